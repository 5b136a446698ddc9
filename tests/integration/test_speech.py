"""Speech rendered to WAV: every phrase, every time, complete, and nothing on stdout."""

from __future__ import annotations

import shutil
import wave
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from shared.devices.announcer import phrase, render_announcement, wav_seconds
from shared.devices.speech import PYTTSX3, EspeakCommand, SpeechError, render_speech, wav_complete

ESPEAK = shutil.which("espeak-ng")
RENDERERS = [
    pytest.param(PYTTSX3, id="pyttsx3"),
    pytest.param(
        EspeakCommand(ESPEAK or "espeak-ng"),
        id="espeak-ng",
        marks=pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed"),
    ),
]


def speech_after_chime(path: Path) -> tuple[float, int]:
    """The announcement's length, and its loudest sample after the chime (0.85 s)."""
    with wave.open(str(path)) as audio:
        rate = audio.getframerate()
        samples = memoryview(audio.readframes(audio.getnframes())).cast("h")
    return len(samples) / rate, max(abs(s) for s in samples[int(rate * 0.9) :])


@pytest.mark.parametrize("renderer", RENDERERS)
def test_many_phrases_in_a_row_all_render_completely(renderer, tmp_path) -> None:
    """The display renders phrase after phrase on one worker thread; none may come out empty.

    pyttsx3 made a new engine per phrase and one in about 150 came out empty under load
    (and once a ReferenceError from espeak's callback)."""
    cache = tmp_path / "cache"
    desks = ["Desk 1", "Desk 8", "Interview Room 1", "Interview Room 2"]
    texts = [phrase(f"{'CHPS'[n % 4]}{n:03d}", desks[n % 4]) for n in range(120)]
    with ThreadPoolExecutor(max_workers=1) as worker:  # like the display's pool
        paths = list(
            worker.map(lambda text: render_announcement(text, cache, renderer=renderer), texts)
        )
    assert len(set(paths)) == len(texts)
    for path in paths:
        assert wav_complete(path)
        seconds, loudest = speech_after_chime(path)
        assert seconds > 2.0, path
        assert loudest > 3000, path  # words after the chime, not silence
    assert not list(cache.glob("*.part")) and not list(cache.glob("speech-*"))


def test_rendering_prints_nothing(capfd, tmp_path) -> None:
    """pyttsx3 printed "Audio saved to ..." per file: a display whose stdout is a pipe
    nobody reads would block on it once the pipe filled."""
    for n in range(3):
        render_speech(
            f"Ticket A 0 0 {n}, please go to desk 4", tmp_path / f"{n}.wav", renderer=PYTTSX3
        )
    captured = capfd.readouterr()
    assert captured.out == ""
    assert all(wav_complete(tmp_path / f"{n}.wav") for n in range(3))


def test_polish_is_rendered_with_its_own_voice(tmp_path) -> None:
    english = render_speech("Numer C 0 0 1", tmp_path / "en.wav", language="en")
    polish = render_speech("Numer C 0 0 1", tmp_path / "pl.wav", language="pl")
    assert english.read_bytes() != polish.read_bytes()
    assert wav_seconds(polish) > 0.5


class Flaky:
    """An engine whose first attempts leave a header and no audio, as pyttsx3 did."""

    name = "flaky"

    def __init__(self, empty_attempts: int) -> None:
        self.empty_attempts = empty_attempts
        self.attempts = 0

    def speak_to(self, text: str, path: Path, language: str, rate: int) -> None:
        self.attempts += 1
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22050)
            if self.attempts > self.empty_attempts:
                out.writeframes(b"\x10\x20" * 22050)


def test_an_empty_render_is_tried_once_more(tmp_path) -> None:
    engine = Flaky(empty_attempts=1)
    path = render_speech("Ticket A 0 0 1", tmp_path / "a.wav", renderer=engine)
    assert engine.attempts == 2
    assert wav_seconds(path) == pytest.approx(1.0)


def test_an_engine_that_never_speaks_is_reported_and_leaves_no_file(tmp_path) -> None:
    engine = Flaky(empty_attempts=5)
    with pytest.raises(SpeechError, match="flaky: the speech engine produced no audio; then"):
        render_speech("Ticket A 0 0 1", tmp_path / "a.wav", renderer=engine)
    assert engine.attempts == 2
    assert not (tmp_path / "a.wav").exists()


def test_a_half_written_wav_is_not_complete(tmp_path) -> None:
    whole = render_speech("Ticket A 0 0 1", tmp_path / "whole.wav")
    assert wav_complete(whole)
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    assert not wav_complete(cut)
    (tmp_path / "header.wav").write_bytes(whole.read_bytes()[:44])
    assert not wav_complete(tmp_path / "header.wav")
    assert not wav_complete(tmp_path / "missing.wav")


def test_polish_announces_rooms_as_rooms() -> None:
    """Polish kept the desk name's last word: "Interview Room 1" was "stanowiska 1", as Desk 1."""
    desk = phrase("C001", "Desk 1", "pl")
    room = phrase("C001", "Interview Room 1", "pl")
    assert desk == "Numer C 0 0 1, proszę podejść do stanowiska 1"
    assert room == "Numer C 0 0 1, proszę podejść do pokoju 1"
    assert phrase("C001", "Room 2", "pl").endswith("do pokoju 2")
    assert phrase("C001", "Counter 3", "pl").endswith("do okienka 3")
    assert phrase("C001", "Reception", "pl").endswith("do Reception")  # unknown: as it is
    assert (
        phrase("C001", "Interview Room 1", "en") == "Ticket C 0 0 1, please go to interview room 1"
    )
