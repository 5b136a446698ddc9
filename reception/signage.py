"""Text for the waiting-area display: as large as it fits, never cut off.

Desk names come from the site's file and may be long ("Interview Room 1"). A label
with a fixed font cuts them off at both ends; `FitText` measures the text with
QFontMetrics and draws it at the largest size that fits, wrapping between words
when that gives bigger letters than one shrunken line.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations, pairwise
from typing import Any

from PySide6.QtCore import QElapsedTimer, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

WHITE = "#ffffff"
MIN_PIXELS = 8
WRAP_GAIN = 1.05  # another line must make the letters 5% bigger to be worth it


def layouts(text: str, max_lines: int) -> Iterator[list[str]]:
    """Every way to lay `text` out in at most `max_lines` lines: fewest lines first.

    A newline in `text` always breaks; a line may also break between words."""
    paragraphs = [p.split() for p in text.split("\n")]
    candidates: list[list[str]] = []

    def wraps(words: list[str], breaks: int) -> Iterator[list[str]]:
        for cut in combinations(range(1, len(words)), breaks):
            edges = (0, *cut, len(words))
            yield [" ".join(words[a:b]) for a, b in pairwise(edges)]

    def build(index: int, lines: list[str]) -> None:
        if index == len(paragraphs):
            candidates.append(lines)
            return
        words = paragraphs[index] or [""]
        room = max_lines - len(lines) - (len(paragraphs) - index - 1)
        for breaks in range(min(len(words), max(room, 1))):
            for wrapped in wraps(words, breaks):
                build(index + 1, lines + wrapped)

    build(0, [])
    candidates.sort(key=lambda lines: (len(lines), len(lines[0])))
    yield from candidates


class FitText(QWidget):
    """A line (or a few) of text drawn as large as fits, up to a largest size."""

    def __init__(
        self,
        *,
        bold: bool = True,
        max_lines: int = 2,
        name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self.bold = bold
        self.max_lines = max_lines
        self.max_pixels = 100
        self.padding = 0
        self.foreground, self.background = QColor(WHITE), QColor(Qt.GlobalColor.transparent)
        self._text = ""
        self._lines: list[str] = []
        self._font = QFont(self.font())

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self._fit()
            self.update()

    def set_max_pixels(self, pixels: int) -> None:
        if pixels != self.max_pixels:
            self.max_pixels = max(MIN_PIXELS, pixels)
            self._fit()
            self.update()

    def set_padding(self, pixels: int) -> None:
        if pixels != self.padding:
            self.padding = pixels
            self._fit()
            self.update()

    def set_colours(self, foreground: str, background: str | None = None) -> None:
        self.foreground = QColor(foreground)
        self.background = QColor(background or Qt.GlobalColor.transparent)
        self.update()

    def lines(self) -> list[str]:
        """The lines as drawn."""
        return list(self._lines)

    def fitted_font(self) -> QFont:
        return QFont(self._font)

    def text_area(self) -> QRect:
        pad = self.padding
        return self.rect().adjusted(pad, pad, -pad, -pad)

    def resizeEvent(self, event: Any) -> None:
        self._fit()
        super().resizeEvent(event)

    def _font_at(self, pixels: int) -> QFont:
        font = QFont(self.font())
        font.setBold(self.bold)
        font.setPixelSize(pixels)
        return font

    def fits(self, lines: list[str], font: QFont, area: QRect | None = None) -> bool:
        area = area or self.text_area()
        metrics = QFontMetrics(font)
        widest = max(metrics.horizontalAdvance(line) for line in lines)
        return widest <= area.width() and metrics.height() * len(lines) <= area.height()

    def _largest(self, lines: list[str], area: QRect) -> int:
        probe = QFontMetrics(self._font_at(100))
        widest = max(probe.horizontalAdvance(line) for line in lines) or 1
        tall = probe.height() * len(lines)
        pixels = int(min(self.max_pixels, 100 * area.width() / widest, 100 * area.height() / tall))
        while pixels > MIN_PIXELS and not self.fits(lines, self._font_at(pixels), area):
            pixels -= 1  # hinting: letters do not grow exactly in proportion
        return max(pixels, MIN_PIXELS)

    def _fit(self) -> None:
        area = self.text_area()
        if not self._text.strip() or area.width() <= 0 or area.height() <= 0:
            self._lines = []
            return
        best_lines: list[str] = []
        best = 0
        for lines in layouts(self._text, self.max_lines):
            pixels = self._largest(lines, area)
            if not best_lines or pixels > best * WRAP_GAIN:
                best_lines, best = lines, pixels
        self._lines, self._font = best_lines, self._font_at(best)

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.background.alpha():
            painter.fillRect(self.rect(), self.background)
        if not self._lines:
            return
        area = self.text_area()
        painter.setFont(self._font)
        painter.setPen(self.foreground)
        height = QFontMetrics(self._font).height()
        top = area.top() + (area.height() - height * len(self._lines)) // 2
        for index, line in enumerate(self._lines):
            row = QRect(area.left(), top + index * height, area.width(), height)
            painter.drawText(row, Qt.AlignmentFlag.AlignCenter, line)


class HistoryTile(QWidget):
    """An earlier call: its ticket above, its desk below (wrapped if long), in a frame."""

    def __init__(self, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        policy.setRetainSizeWhenHidden(True)  # an empty tile keeps its place, undrawn
        self.setSizePolicy(policy)
        self.border = 3
        self.ticket = FitText(max_lines=1, parent=self)
        self.desk = FitText(max_lines=2, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(0)
        layout.addWidget(self.ticket, 9)
        layout.addWidget(self.desk, 11)

    def text(self) -> str:
        return f"{self.ticket.text()}\n{self.desk.text()}" if self.ticket.text() else ""

    def setText(self, text: str) -> None:
        ticket, _, desk = text.partition("\n")
        self.ticket.setText(ticket)
        self.desk.setText(desk)
        self.update()

    def set_max_pixels(self, pixels: int) -> None:
        self.ticket.set_max_pixels(pixels)
        self.desk.set_max_pixels(pixels)

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(WHITE), self.border))
        half = self.border / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 12, 12)


class Ticker(QWidget):
    """The band at the foot of the display: still when its text fits, else scrolling smoothly.

    Whether it scrolls depends on the text's measured width against the band's, and
    it moves by pixels (a steady speed, however late the timer fires), never a
    character at a time."""

    SPEED = 2.0  # letter sizes a second: about four letters a second, easy to follow
    FRAME_MS = 20
    GAP = "      •      "  # between the end of the text and its start coming round again

    def __init__(self, foreground: str, background: str, name: str = "ticker") -> None:
        super().__init__()
        self.setObjectName(name)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.foreground, self.background = QColor(foreground), QColor(background)
        self.padding = 12
        self.offset = 0.0
        self._text = ""
        self._font = QFont(self.font())
        self._font.setBold(True)
        self._timer = QTimer(self, interval=self.FRAME_MS)
        self._timer.timeout.connect(self._step)
        self._clock = QElapsedTimer()

    def text(self) -> str:
        return self._text

    def text_font(self) -> QFont:
        """The font the text is drawn in."""
        return QFont(self._font)

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.offset = 0.0
            self._relayout()

    def set_pixel_size(self, pixels: int, padding: int) -> None:
        self._font.setPixelSize(max(MIN_PIXELS, pixels))
        self.padding = padding
        self.setFixedHeight(QFontMetrics(self._font).height() + 2 * padding)
        self._relayout()

    def text_width(self) -> int:
        return QFontMetrics(self._font).horizontalAdvance(self._text)

    def scrolling(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        self._timer.stop()

    def resizeEvent(self, event: Any) -> None:
        self._relayout()
        super().resizeEvent(event)

    def _relayout(self) -> None:
        wide = bool(self._text) and self.text_width() > self.width() - 2 * self.padding
        if wide and not self._timer.isActive():
            self._clock.start()
            self._timer.start()
        elif not wide:
            self._timer.stop()
            self.offset = 0.0
        self.update()

    def _step(self) -> None:
        seconds = self._clock.restart() / 1000
        lap = self.text_width() + QFontMetrics(self._font).horizontalAdvance(self.GAP)
        self.offset = (self.offset + self.SPEED * self._font.pixelSize() * seconds) % max(lap, 1)
        self.update()

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.background)
        if not self._text:
            return
        area = self.rect().adjusted(self.padding, 0, -self.padding, 0)
        painter.setClipRect(area)
        painter.setFont(self._font)
        painter.setPen(self.foreground)
        metrics = QFontMetrics(self._font)
        baseline = area.top() + (area.height() + metrics.ascent() - metrics.descent()) // 2
        if not self.scrolling():
            painter.drawText(area.left(), baseline, self._text)
            return
        lap = self.text_width() + metrics.horizontalAdvance(self.GAP)
        x = area.left() - self.offset
        while x < area.right():
            painter.drawText(QPointF(x, baseline), self._text + self.GAP)
            x += lap
