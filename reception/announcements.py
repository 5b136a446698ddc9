"""The announcement queue: every call is announced, in order, never cut off or dropped.

Calls are queued as they arrive. One at a time: the WAV (chime + speech, cached
per phrase) is rendered on a worker thread, then played through QtMultimedia;
the next starts only when the previous has finished. With no audio output (a PC
without a sound card, a test machine), the queue waits for the announcement's
length instead, so timing and order are the same. Modes: voice, chime, silent.

What happened is logged as it happens: `announced` when the sound really starts
(or, with no audio output, when its silent wait starts), `announce_failed` when
speech could not be rendered (the chime plays instead) or the sound could not be
played. A player that never starts or never ends (a load error) would hold up every
later call: a watchdog at the WAV's length plus a margin gives up on it and goes on.
"""

from __future__ import annotations

import wave
from collections import deque
from collections.abc import Callable
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


@dataclass
class _Playing:
    call: Call
    wav: str
    speech: bool
    seconds: float
    started: bool = False


class AnnouncementQueue(QObject):
    rendered = Signal(object, str, str)  # call, wav path ("" if none), why speech failed
    started = Signal(object, str)  # call, wav path
    finished = Signal(object)

    WATCHDOG_MARGIN_MS = 3000  # a sound that has not ended by its length and this has failed

    def __init__(
        self,
        cache: Path,
        log: EventLog,
        site: str,
        *,
        mode: str = "voice",
        language: str = "en",
        renderer: Renderer | None = None,
        player: Callable[[QObject], Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """`player(parent)` makes the sound player (a QSoundEffect unless a test says)."""
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
        self._make_player = player
        self._player: Any = None
        self._output_available = player is not None or self._audio_available()
        self._playing: _Playing | None = None
        self._gap = QTimer(self, singleShot=True)  # no sound card: wait the sound's length
        self._gap.timeout.connect(self._done)
        self._watchdog = QTimer(self, singleShot=True)  # the player never started or ended
        self._watchdog.timeout.connect(self._stalled)

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

    def _write(self, event: str, call: Call, **details: Any) -> None:
        self.log.write(
            event,
            site=self.site,
            ticket=call.ticket,
            desk=call.desk,
            recall=call.recall,
            event_id=call.event_id,
            called_at=call.called_at,
            **details,
        )

    def _play(self, call: Call, path: str, failure: str) -> None:
        if failure:
            fallback = "chime" if path else None
            self._write("announce_failed", call, stage="render", reason=failure, fallback=fallback)
        if not path:
            self._playing = _Playing(call, "", False, 0.0)
            self._done()
            return
        playing = _Playing(call, path, self.mode == "voice" and not failure, 0.0)
        self._playing = playing
        try:
            playing.seconds = wav_seconds(Path(path))
        except (OSError, EOFError, wave.Error) as error:  # gone from the cache meanwhile
            self._failed(f"the sound file could not be read: {error}")
            return
        if not self._output_available:
            self._announced(playing, played=False, output="none")
            self._gap.start(int(playing.seconds * 1000))
            return
        self._watchdog.start(int(playing.seconds * 1000) + self.WATCHDOG_MARGIN_MS)
        try:
            self._player_for_use().setSource(QUrl.fromLocalFile(path))
            if self._playing is playing:  # not already failed while loading
                self._player.play()
        except Exception as error:
            self._failed(f"the sound could not be played: {error}")

    def _announced(self, playing: _Playing, *, played: bool, output: str) -> None:
        playing.started = True
        self._write(
            "announced",
            playing.call,
            wav=playing.wav,
            speech=playing.speech,
            mode=self.mode,
            played=played,
            output=output,
            seconds=round(playing.seconds, 2),
        )
        self.started.emit(playing.call, playing.wav)

    def _player_for_use(self) -> Any:
        if self._player is None:
            if self._make_player is not None:
                self._player = self._make_player(self)
            else:
                from PySide6.QtMultimedia import QSoundEffect

                self._player = QSoundEffect(self)
            self._player.playingChanged.connect(self._on_playing_changed)
            self._player.statusChanged.connect(self._on_status_changed)
        return self._player

    def _on_playing_changed(self) -> None:
        playing = self._playing
        if playing is None or self._player is None or not self._watchdog.isActive():
            return
        if self._player.isPlaying() and not playing.started:
            self._announced(playing, played=True, output="speakers")
        elif not self._player.isPlaying() and playing.started:
            self._watchdog.stop()
            self._done()

    def _on_status_changed(self) -> None:
        from PySide6.QtMultimedia import QSoundEffect

        if self._watchdog.isActive() and self._player_failed(QSoundEffect.Status.Error):
            self._failed("the sound could not be loaded or played")

    def _player_failed(self, error: Any) -> bool:
        return self._player is not None and self._player.status() == error

    def _stalled(self) -> None:
        playing = self._playing
        seconds = round((playing.seconds if playing else 0) + self.WATCHDOG_MARGIN_MS / 1000, 1)
        verb = "finish" if playing and playing.started else "start"
        self._failed(f"the sound did not {verb} within {seconds} s")

    def _failed(self, reason: str) -> None:
        """Playback went wrong: say so, stop the player and go on to the next call."""
        self._watchdog.stop()
        if self._playing is not None:
            self._write(
                "announce_failed",
                self._playing.call,
                stage="playback",
                reason=reason,
                wav=self._playing.wav,
                started=self._playing.started,
            )
        if self._player is not None:
            self._player.stop()
        self._done()

    def _done(self) -> None:
        self.busy = False
        finished, self._playing = self._playing, None
        self.finished.emit(finished.call if finished else None)
        self._next()

    def idle(self) -> bool:
        return not self.busy and not self.pending
