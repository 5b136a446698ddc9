"""Speech, always off the GUI thread: spoken aloud (the kiosk) or rendered to WAV (the display).

pyttsx3 is the product's speech engine (SAPI5 on Windows, espeak-ng on Linux). Its
engine is not safe to create and drop per phrase: pyttsx3 keeps one engine per
process and, on espeak-ng, one synthesis callback, so a discarded engine can be
freed while espeak's thread is still inside its callback (a `ReferenceError`, an
empty WAV, once a segfault). So one thread per process (`onestop-speech`) creates
the engine once, keeps it, and does every pyttsx3 job in order.

WAV files are rendered by the espeak-ng command where it is installed (Linux: the
same engine pyttsx3 drives there, one short process per phrase, nothing shared), and
by that pyttsx3 thread everywhere else. Either way a WAV counts only once it is
complete (header, every frame on disk, some length); an incomplete one is rendered
once more, then the caller is told why (`SpeechError`). ONESTOP_SPEECH=off silences
`Speaker`; ONESTOP_SPEECH_ENGINE=pyttsx3 or espeak-ng chooses the renderer.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

RATE = 150  # words a minute: unhurried, a waiting room, not a radio advert
VOICES = {"en": "en-gb", "pl": "pl"}  # espeak-ng voice names, matched in pyttsx3's voice list
RENDER_TIMEOUT = 60.0  # seconds for one phrase, on a busy two-core PC


class SpeechError(RuntimeError):
    """No usable audio came from the speech engine."""


class Renderer(Protocol):
    name: str

    def speak_to(self, text: str, path: Path, language: str, rate: int) -> None: ...


def wav_complete(path: Path, min_seconds: float = 0.3) -> bool:
    """A WAV whose header is whole, whose frames are all on disk, and that lasts a while."""
    try:
        size = path.stat().st_size
        with wave.open(str(path), "rb") as source:
            frames, rate = source.getnframes(), source.getframerate()
            frame_bytes = source.getsampwidth() * source.getnchannels()
    except (OSError, EOFError, wave.Error):
        return False
    return rate > 0 and frames / rate >= min_seconds and size >= 44 + frames * frame_bytes


def render_speech(
    text: str,
    path: Path,
    *,
    language: str = "en",
    rate: int = RATE,
    renderer: Renderer | None = None,
) -> Path:
    """Speak `text` into the WAV file `path` (blocking: call it from a worker thread)."""
    if not text.strip():
        raise SpeechError("nothing to say")
    renderer = renderer or default_renderer()
    path.parent.mkdir(parents=True, exist_ok=True)
    reasons = []
    for _attempt in range(2):  # an incomplete file is rendered once more
        path.unlink(missing_ok=True)
        try:
            renderer.speak_to(text, path, language, rate)
        except Exception as error:
            reasons.append(str(error) or type(error).__name__)
            continue
        if _wait_until_complete(path):
            return path
        reasons.append("the speech engine produced no audio")
    path.unlink(missing_ok=True)
    raise SpeechError(f"{renderer.name}: {'; then '.join(reasons)}")


def _wait_until_complete(path: Path, seconds: float = 2.0) -> bool:
    """The engine may still be writing when it returns: give it a moment."""
    deadline = time.monotonic() + seconds
    while not wav_complete(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def render_wav(text: str, path: Path, rate: int | None = None, language: str = "en") -> Path:
    """Speak `text` into a WAV file (blocking: call it from a worker)."""
    return render_speech(text, path, language=language, rate=rate or RATE)


def default_renderer() -> Renderer:
    chosen = os.environ.get("ONESTOP_SPEECH_ENGINE", "").strip().lower()
    if chosen == "pyttsx3":
        return PYTTSX3
    command = shutil.which("espeak-ng")
    if chosen == "espeak-ng":
        if command is None:
            raise SpeechError("ONESTOP_SPEECH_ENGINE is espeak-ng, but espeak-ng is not installed")
        return EspeakCommand(command)
    if command and sys.platform.startswith("linux"):
        return EspeakCommand(command)
    return PYTTSX3


class EspeakCommand:
    """espeak-ng as a command: one process per phrase, so no state is shared between them."""

    name = "espeak-ng"

    def __init__(self, command: str) -> None:
        self.command = command

    def speak_to(self, text: str, path: Path, language: str, rate: int) -> None:
        voice = VOICES.get(language, VOICES["en"])
        try:
            result = subprocess.run(
                [self.command, "-v", voice, "-s", str(rate), "-b", "1", "-w", str(path)],
                input=text.encode("utf-8"),  # on stdin: a phrase can never be read as an option
                capture_output=True,
                timeout=RENDER_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise SpeechError(f"espeak-ng took more than {RENDER_TIMEOUT:.0f} s") from None
        if result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise SpeechError(f"espeak-ng failed: {message[-1] if message else result.returncode}")


class _Job:
    def __init__(self, work: Callable[[Any], Any]) -> None:
        self.work = work
        self.result: Future[Any] = Future()


class SpeechThread:
    """The one thread of the process that talks to pyttsx3; its engine lives as long as it."""

    name = "pyttsx3"

    def __init__(self) -> None:
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, work: Callable[[Any], Any]) -> Future[Any]:
        job = _Job(work)
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="onestop-speech", daemon=True
                )
                self._thread.start()
        self._jobs.put(job)
        return job.result

    def _run(self) -> None:
        try:
            engine = _make_engine()
        except Exception as error:  # no speech engine on this PC: every job says why
            log.warning("speech is not available: %s", error)
            failure = SpeechError(f"speech is not available: {error}")
            while True:
                self._jobs.get().result.set_exception(failure)
        while True:
            job = self._jobs.get()
            try:
                job.result.set_result(job.work(engine))
            except Exception as error:
                job.result.set_exception(error)

    def speak_to(self, text: str, path: Path, language: str, rate: int) -> None:
        def save(engine: Any) -> None:
            _set_voice(engine, language, rate)
            engine.save_to_file(text, str(path))
            engine.runAndWait()

        try:
            self.submit(save).result(timeout=RENDER_TIMEOUT)
        except TimeoutError:
            raise SpeechError(f"pyttsx3 took more than {RENDER_TIMEOUT:.0f} s") from None

    def say(self, text: str, language: str = "en") -> Future[Any]:
        def speak(engine: Any) -> None:
            _set_voice(engine, language, RATE)
            engine.say(text)
            engine.runAndWait()

        return self.submit(speak)


def _make_engine() -> Any:
    if sys.platform == "win32":  # SAPI5 is COM: this thread needs its own apartment
        with contextlib.suppress(Exception):
            import comtypes  # type: ignore[import-not-found]

            comtypes.CoInitialize()
    import pyttsx3  # type: ignore[import-untyped]

    with contextlib.suppress(Exception):  # no espeak-ng library (Windows): nothing to silence
        # pyttsx3's espeak driver prints "Audio saved to ..." at every file, on the
        # synthesis thread: where stdout is a pipe nobody reads, that print blocks it.
        import pyttsx3.drivers.espeak as espeak_driver  # type: ignore[import-untyped]

        espeak_driver.print = _quiet
    return pyttsx3.init()


def _quiet(*_args: Any, **_kwargs: Any) -> None:
    return None


_voice_ids: dict[str, str | None] = {}
_engine_set: dict[str, Any] = {}  # what the engine was last told (only the speech thread)


def _set_voice(engine: Any, language: str, rate: int) -> None:
    """Tell the engine only what changed: choosing a voice reloads it (a tenth of a second)."""
    wanted = VOICES.get(language, VOICES["en"])
    if language not in _voice_ids:
        _voice_ids[language] = next(
            (
                voice.id
                for voice in engine.getProperty("voices")
                if wanted in (voice.id or "").lower() or wanted in str(voice.languages).lower()
            ),
            None,
        )
    for name, value in (("voice", _voice_ids[language]), ("rate", rate)):
        if value is not None and _engine_set.get(name) != value:
            engine.setProperty(name, value)
            _engine_set[name] = value


PYTTSX3 = SpeechThread()  # one per process: see the module's docstring


class Speaker:
    """Speaks aloud: `say()` queues a phrase and returns at once; phrases are spoken in order."""

    def __init__(self, voice_language: str = "en") -> None:
        self.enabled = os.environ.get("ONESTOP_SPEECH", "on") != "off"
        self.language = voice_language

    def say(self, text: str) -> None:
        if not self.enabled or not text.strip():
            return
        PYTTSX3.say(text, self.language).add_done_callback(_warn_if_failed)

    def close(self) -> None:
        """Nothing to release: the speech thread is the process's and ends with it."""


def _warn_if_failed(done: Future[Any]) -> None:
    if done.exception() is not None:
        log.warning("could not speak: %s", done.exception())
