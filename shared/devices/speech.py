"""Speech with pyttsx3 (espeak-ng on Linux, SAPI5 on Windows), off the GUI thread.

`Speaker.say()` queues a phrase and returns at once; one worker thread speaks the
phrases in order. `render_wav()` writes a phrase to a WAV file (the display's
announcements are played from such files). Set ONESTOP_SPEECH=off for silence.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


LANGUAGE_NAMES = {"en": "English", "pl": "Polish", "ar": "Arabic"}


def voice_for(voices: list[Any], language: str) -> str | None:
    """The id of the installed voice that speaks `language` (a code: en, pl, ar), or None.

    espeak-ng names its voices' languages ("pl", "en-gb"); SAPI5 often names none, so its
    voice names are searched for the language's English name. British English first."""
    wanted = language.lower()
    preferred = {"en": "en-gb"}.get(wanted, wanted)

    def codes(voice: Any) -> list[str]:
        found = []
        for code in getattr(voice, "languages", None) or []:
            if isinstance(code, bytes):  # some drivers give b"\x05en-gb"
                code = code.decode("ascii", "ignore").lstrip("\x00\x01\x02\x03\x04\x05")
            found.append(str(code).lower())
        return found

    for test in (
        lambda v: preferred in codes(v),
        lambda v: wanted in codes(v),
        lambda v: any(c.startswith(wanted + "-") for c in codes(v)),
        lambda v: LANGUAGE_NAMES.get(wanted, "\0").lower() in str(v.name).lower(),
    ):
        for voice in voices:
            if test(voice):
                return str(voice.id)
    return None


class Speaker:
    """Reads text aloud in the visitor's language, one phrase after another."""

    def __init__(self, voice_language: str = "en") -> None:
        self.enabled = os.environ.get("ONESTOP_SPEECH", "on") != "off"
        self.language = voice_language
        self._queue: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def say(self, text: str, language: str | None = None) -> None:
        if not self.enabled or not text.strip():
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="onestop-speech", daemon=True)
            self._thread.start()
        self._queue.put((text, language or self.language))

    def _run(self) -> None:
        try:
            import pyttsx3

            engine = pyttsx3.init()
            voices = list(engine.getProperty("voices") or [])
        except Exception as error:  # no speech engine on this PC: stay silent, say why once
            log.warning("speech is not available: %s", error)
            return
        current = None
        while (item := self._queue.get()) is not None:
            text, language = item
            try:
                if language != current:
                    voice = voice_for(voices, language)
                    if voice is not None:
                        engine.setProperty("voice", voice)
                    else:
                        log.warning("no %s voice installed: speaking with the default", language)
                    current = language
                engine.say(text)
                engine.runAndWait()
            except Exception as error:
                log.warning("could not speak: %s", error)

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)


def render_wav(text: str, path: Path, rate: int | None = None) -> Path:
    """Speak `text` into a WAV file (blocking: call it from a worker)."""
    import pyttsx3

    engine = pyttsx3.init()
    if rate:
        engine.setProperty("rate", rate)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine.save_to_file(text, str(path))
    engine.runAndWait()
    return path
