"""The safety alarm as reception and supervisors see it: a banner nobody can miss.

A desk's SAFETY ALARM is not one more line in the alerts bar: it gets its own
banner across the top of the console, red and black-and-yellow by turns (the
words and the warning sign say what it is, so colour is never the only sign),
brings the window to the front, and sounds: a short alarm tone through
QtMultimedia when the PC has audio, else the system beep. It sounds again every
few seconds until a member of staff presses *Acknowledge*, which tells the desk
that help is on its way.
"""

from __future__ import annotations

import math
import struct
import wave
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from shared.notices import AlertView

FLASH_MS = 500
REPEAT_MS = 8000  # the tone again while nobody has acknowledged
STYLES = (
    "QFrame#safety { background: #d4351c; border: 4px solid #0b0c0c; }"
    "QFrame#safety QLabel { color: #ffffff; font-size: 24px; font-weight: bold; }",
    "QFrame#safety { background: #0b0c0c; border: 4px solid #ffdd00; }"
    "QFrame#safety QLabel { color: #ffdd00; font-size: 24px; font-weight: bold; }",
)
BUTTON = (
    "QPushButton { background: #ffffff; color: #0b0c0c; font-size: 20px; font-weight: bold;"
    " min-height: 48px; border: 3px solid #0b0c0c; border-radius: 6px; padding: 2px 14px; }"
)


def alarm_tone(path: Path, rate: int = 22050) -> Path:
    """A two-tone alarm (880 and 660 Hz by turns, 0.9 s), written once."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = bytearray()
    for step in range(6):
        frequency = 880.0 if step % 2 == 0 else 660.0
        count = int(rate * 0.15)
        for index in range(count):
            envelope = min(1.0, index / (0.005 * rate), (count - index) / (0.005 * rate))
            value = 0.5 * envelope * math.sin(2 * math.pi * frequency * index / rate)
            frames += struct.pack("<h", int(value * 32767))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


def _audio_output() -> bool:
    try:
        from PySide6.QtMultimedia import QMediaDevices

        return not QMediaDevices.defaultAudioOutput().isNull()
    except Exception:  # no QtMultimedia backend on this PC: the beep will do
        return False


class SafetyBanner(QFrame):
    """Shows the open safety alarms; `acknowledge` asks to acknowledge them."""

    acknowledge = Signal()

    def __init__(
        self, timezone: str, sound_dir: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("safety")
        self.zone = ZoneInfo(timezone)
        self.sound_dir = sound_dir
        self.seen: set[int] = set()
        self.sounded = 0  # how many times it has sounded (support staff, tests)
        self._phase = 0
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        self.text = QLabel("")
        self.text.setObjectName("safety_text")
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.button = QPushButton("Acknowledge: help is on the way")
        self.button.setObjectName("acknowledge")
        self.button.setStyleSheet(BUTTON)
        self.button.clicked.connect(self.acknowledge.emit)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.flash = QTimer(self, interval=FLASH_MS)
        self.flash.timeout.connect(self._flash)
        self.repeat = QTimer(self, interval=REPEAT_MS)
        self.repeat.timeout.connect(self.sound)
        self._player: Any = None
        self._audio: bool | None = None  # asked at the first alarm: QtMultimedia is slow to load
        self.setStyleSheet(STYLES[0])
        self.setVisible(False)

    @property
    def phase(self) -> int:
        """0 red, 1 black and yellow: the flash alternates them."""
        return self._phase

    def show_alarms(self, alarms: list[AlertView]) -> bool:
        """Show these open alarms; True when one of them is new (the window should come
        forward)."""
        if not alarms:
            self.flash.stop()
            self.repeat.stop()
            self.setVisible(False)
            return False
        lines = [
            f"⚠  SAFETY ALARM at {a.source}{self._who(a)} since "
            f"{a.raised_at.astimezone(self.zone):%H:%M}"
            for a in alarms
        ]
        self.text.setText("<br>".join(lines) + "<br>Go to the desk now; call security if needed.")
        new = {a.id for a in alarms} - self.seen
        self.seen |= new
        self.setVisible(True)
        if not self.flash.isActive():
            self.flash.start()
        if new:
            self.sound()
            self.repeat.start()
        return bool(new)

    @staticmethod
    def _who(alarm: AlertView) -> str:
        """The desk's words after its name: who is signed in there, "(Jo Bloggs)"."""
        extra = (alarm.detail or "").removeprefix(f"SAFETY ALARM at {alarm.source}").strip()
        return f" {extra}" if extra else ""

    def _flash(self) -> None:
        self._phase = 1 - self._phase
        self.setStyleSheet(STYLES[self._phase])

    def sound(self) -> None:
        self.sounded += 1
        if self._audio is None:
            self._audio = self.sound_dir is not None and _audio_output()
        if self._audio and self._play():
            return
        QApplication.beep()

    def _play(self) -> bool:
        try:
            from PySide6.QtMultimedia import QSoundEffect

            if self._player is None:
                assert self.sound_dir is not None
                self._player = QSoundEffect(self)
                path = alarm_tone(self.sound_dir / "safety-alarm.wav")
                self._player.setSource(QUrl.fromLocalFile(str(path)))
            self._player.play()
            return True
        except Exception:  # the audio device went away: the beep will do
            return False

    def stop(self) -> None:
        self.flash.stop()
        self.repeat.stop()


def bring_forward(window: QWidget) -> None:
    """Un-minimise and raise the window, and ask the desktop to draw attention to it."""
    state = window.windowState()
    if state & Qt.WindowState.WindowMinimized:
        window.setWindowState(
            (state & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
        )
    window.show()
    window.raise_()
    window.activateWindow()
    QApplication.alert(window)


def when(moment: datetime | None, zone: ZoneInfo) -> str:
    return "" if moment is None else f"{moment.astimezone(zone):%H:%M}"
