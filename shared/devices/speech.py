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

log = logging.getLogger(__name__)


class Speaker:
    def __init__(self, voice_language: str = "en") -> None:
        self.enabled = os.environ.get("ONESTOP_SPEECH", "on") != "off"
        self.language = voice_language
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread: threading.Thread | None = None

    def say(self, text: str) -> None:
        if not self.enabled or not text.strip():
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="onestop-speech", daemon=True)
            self._thread.start()
        self._queue.put(text)

    def _run(self) -> None:
        try:
            import pyttsx3

            engine = pyttsx3.init()
        except Exception as error:  # no speech engine on this PC: stay silent, say why once
            log.warning("speech is not available: %s", error)
            return
        while (text := self._queue.get()) is not None:
            try:
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
