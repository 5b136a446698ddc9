"""Spoken calls: a chime, then "Ticket A 0 2 3, please go to desk 4", as one WAV file.

Rendering (shared.devices.speech) is slow and blocking, so it runs on a worker;
each phrase is rendered once and kept in a cache folder. The WAV holds the chime
followed by the speech, so playing one file plays the whole announcement.
"""

from __future__ import annotations

import hashlib
import math
import os
import struct
import threading
import wave
from pathlib import Path

from shared.devices.speech import Renderer, render_speech, wav_complete
from shared.domain.tickets import spoken_ticket

PHRASES = {
    "en": "Ticket {ticket}, please go to {desk}",
    "pl": "Numer {ticket}, proszę podejść do {desk}",
}
# Polish names a place in the genitive after "do": the kind of place, then its number.
# Longest first, so "Interview Room 1" is a room ("pokoju 1"), never a desk.
POLISH_PLACES = (
    ("interview room", "pokoju"),
    ("room", "pokoju"),
    ("desk", "stanowiska"),
    ("counter", "okienka"),
    ("booth", "kabiny"),
)


def phrase(ticket: str, desk: str, language: str = "en") -> str:
    template = PHRASES.get(language, PHRASES["en"])
    desk_words = polish_place(desk) if language == "pl" else desk.lower()
    return template.format(ticket=spoken_ticket(ticket), desk=desk_words)


def polish_place(desk: str) -> str:
    """ "Desk 4" -> "stanowiska 4", "Interview Room 1" -> "pokoju 1"; another name as it is."""
    words = desk.split()
    lowered = " ".join(words).lower()
    for english, polish in POLISH_PLACES:
        if lowered.startswith(english + " ") and len(words) > len(english.split()):
            return " ".join([polish, *words[len(english.split()) :]])
    return "stanowiska " + desk if desk.isdigit() else desk


def chime_frames(rate: int, width: int = 2) -> bytes:
    """Two soft tones (E5 then C5), 0.7 s, with fade in and out."""
    frames = bytearray()
    for frequency, seconds in ((659.25, 0.35), (523.25, 0.45)):
        count = int(rate * seconds)
        for index in range(count):
            envelope = min(1.0, index / (0.02 * rate), (count - index) / (0.15 * rate))
            value = 0.35 * envelope * math.sin(2 * math.pi * frequency * index / rate)
            frames += struct.pack("<h", int(value * 32767))
    frames += b"\x00\x00" * int(rate * 0.15)  # a breath before the words
    assert width == 2
    return bytes(frames)


def write_chime(path: Path, rate: int = 22050) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(chime_frames(rate))
    return path


def render_announcement(
    text: str,
    cache: Path,
    *,
    language: str = "en",
    with_chime: bool = True,
    speech: bool = True,
    renderer: Renderer | None = None,
) -> Path:
    """The announcement as a WAV file in `cache` (rendered once per phrase).

    Without speech it is the chime alone, one file for every call."""
    cache.mkdir(parents=True, exist_ok=True)
    if not speech:
        target = cache / "chime.wav"
        if not wav_complete(target):
            write_chime(cache / f"chime-{_unique()}.part").replace(target)
        return target
    key = hashlib.sha256(f"{language}|{with_chime}|{speech}|{text}".encode()).hexdigest()[:20]
    target = cache / f"call-{key}.wav"
    if wav_complete(target):
        return target
    spoken = render_speech(
        text, cache / f"speech-{key}-{_unique()}.wav", language=language, renderer=renderer
    )
    with wave.open(str(spoken), "rb") as source:
        params = source.getparams()
        words = source.readframes(source.getnframes())
    spoken.unlink(missing_ok=True)
    if params.nchannels != 1 or params.sampwidth != 2:
        raise RuntimeError(f"unexpected speech format {params}")
    partial = cache / f"call-{key}-{_unique()}.part"
    with wave.open(str(partial), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(params.framerate)
        if with_chime:
            out.writeframes(chime_frames(params.framerate))
        out.writeframes(words)
    partial.replace(target)  # never a half-written file in the cache
    return target


def _unique() -> str:
    """Two displays on one PC may render the same phrase at once: their scratch files differ."""
    return f"{os.getpid()}-{threading.get_ident()}"


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as source:
        return source.getnframes() / source.getframerate()
