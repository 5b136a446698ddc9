"""The announcement queue: every call is announced, in order, never cut off or dropped.

Calls are queued as they arrive. One at a time: the WAV (chime + speech, cached
per phrase) is rendered on a worker thread, then played through QtMultimedia;
the next starts only when the previous has finished. With no audio output (a PC
without a sound card, a test machine), the queue waits for the announcement's
length instead, so timing and order are the same. Modes: voice, chime, silent.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, QUrl, Signal

from shared.devices.announcer import phrase, render_announcement, wav_seconds
from shared.devices.speech import Renderer
from shared.eventlog import EventLog
from shared.qt.jobs import tell

MODES = ("voice", "chime", "silent")


@dataclass(frozen=True)
class Call:
    ticket: str
    desk: str
    recall: bool = False
    event_id: int = 0
    called_at: str = ""


class _Render(QRunnable):
    def __init__(self, queue: AnnouncementQueue, call: Call) -> None:
        super().__init__()
        self.queue = queue
        self.call = call

    def run(self) -> None:
        queue = self.queue
        text = phrase(self.call.ticket, self.call.desk, queue.language)
        failure = ""
        try:
            path = render_announcement(
                text,
                queue.cache,
                language=queue.language,
                speech=queue.mode == "voice",
                renderer=queue.renderer,
            )
        except Exception as error:  # no speech this time: the chime still calls them
            failure = str(error) or type(error).__name__
            try:
                path = render_announcement(text, queue.cache, speech=False)
            except Exception as chime_error:  # not even the chime (the disk is full)
                tell(queue, "rendered", self.call, "", f"{failure}; chime: {chime_error}")
                return
        tell(queue, "rendered", self.call, str(path), failure)


class AnnouncementQueue(QObject):
    rendered = Signal(object, str, str)  # call, wav path ("" if none), why speech failed
    started = Signal(object, str)  # call, wav path
    finished = Signal(object)

    def __init__(
        self,
        cache: Path,
        log: EventLog,
        site: str,
        *,
        mode: str = "voice",
        language: str = "en",
        renderer: Renderer | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        if mode not in MODES:
            raise ValueError(f"announcement mode must be one of {', '.join(MODES)}")
        self.cache = cache
        self.log = log
        self.site = site
        self.mode = mode
        self.language = language
        self.renderer = renderer
        self.pending: deque[Call] = deque()
        self.busy = False
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.rendered.connect(self._play)
        self._player: Any = None
        self._output_available = self._audio_available()
        self._gap = QTimer(self, singleShot=True)
        self._gap.timeout.connect(self._done)

    @staticmethod
    def _audio_available() -> bool:
        try:
            from PySide6.QtMultimedia import QMediaDevices

            return not QMediaDevices.defaultAudioOutput().isNull()
        except Exception:
            return False

    def announce(self, call: Call) -> None:
        if self.mode == "silent":
            return
        self.pending.append(call)
        self._next()

    def _next(self) -> None:
        if self.busy or not self.pending:
            return
        self.busy = True
        self.pool.start(_Render(self, self.pending.popleft()))

    def _play(self, call: Call, path: str, failure: str) -> None:
        played = False
        seconds = 1.0
        if failure:
            self.log.write(
                "announce_failed",
                site=self.site,
                ticket=call.ticket,
                desk=call.desk,
                reason=failure,
                fallback="chime" if path else None,
            )
        if path:
            seconds = wav_seconds(Path(path))
            if self._output_available:
                played = self._start_player(path)
        self.log.write(
            "announced",
            site=self.site,
            ticket=call.ticket,
            desk=call.desk,
            wav=path or None,
            speech=bool(path) and self.mode == "voice" and not failure,
            mode=self.mode,
            recall=call.recall,
            played=played,
            seconds=round(seconds, 2),
            event_id=call.event_id,
            called_at=call.called_at,
        )
        self.started.emit(call, path)
        self._current = call
        if not played:
            self._gap.start(int(seconds * 1000))

    def _start_player(self, path: str) -> bool:
        try:
            from PySide6.QtMultimedia import QSoundEffect

            if self._player is None:
                self._player = QSoundEffect(self)
                self._player.playingChanged.connect(self._on_playing_changed)
            self._player.setSource(QUrl.fromLocalFile(path))
            self._player.play()
            return True
        except Exception:
            return False

    def _on_playing_changed(self) -> None:
        if self._player is not None and not self._player.isPlaying():
            self._done()

    def _done(self) -> None:
        self.busy = False
        self.finished.emit(getattr(self, "_current", None))
        self._next()

    def idle(self) -> bool:
        return not self.busy and not self.pending
