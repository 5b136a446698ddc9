"""The pieces every touch screen of the kiosk is made of: words, buttons that always fit
their words, a page with its words above and its controls below, on-screen keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QIcon
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from shared.resources import resource_path


def tr(text: str) -> str:
    return QCoreApplication.translate("Kiosk", text)


def label(text: str, role: str = "", wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if role:
        widget.setProperty("role", role)
    return widget


ICONS = resource_path("icons")


def with_icon(widget: QPushButton, icon: str) -> QPushButton:
    path = ICONS / f"{icon}.svg"
    if icon and path.exists():
        widget.setIcon(QIcon(str(path)))
        widget.setIconSize(QSize(44, 44))
    return widget


def wrap_to_width(text: str, metrics: QFontMetrics, width: int) -> list[str] | None:
    """The words of `text` in lines no wider than `width` pixels; None if a word is wider."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            if metrics.horizontalAdvance(word) > width:
                return None
            candidate = f"{line} {word}" if line else word
            if metrics.horizontalAdvance(candidate) <= width:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


class FitButton(QPushButton):
    """A button whose words always fit: wrapped to its width by the font's own metrics,
    and set smaller (down to 60%) only when a word or the lines still do not fit. Its
    text() is the wrapped text; fullText() the words as given."""

    PADDING = 40  # the stylesheet's 16 px each side, the border, a little air
    MARKS: ClassVar[dict[bool, str]] = {
        True: "✓ ",
        False: "",
    }  # a chosen toggle says so in words too, not colour only

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._text = text
        self._fitting = False
        self.toggled.connect(lambda _on: self._fit())

    def fullText(self) -> str:
        return self._text

    def setFullText(self, text: str) -> None:
        self._text = text
        self._fit()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._fit()

    def _fit(self) -> None:
        if self._fitting or self.width() <= 0:
            return
        self._fitting = True
        try:
            words = self.MARKS[self.isCheckable() and self.isChecked()] + self._text
            icon = self.iconSize().width() + 12 if not self.icon().isNull() else 0
            width = self.width() - self.PADDING - icon
            height = self.height() - 12
            self.setStyleSheet("")
            self.ensurePolished()
            base = self.font()
            size = base.pixelSize() if base.pixelSize() > 0 else round(base.pointSizeF() * 4 / 3)
            chosen = words
            for step in range(5):  # 100%, 90% ... 60% of the theme's size
                font = QFont(base)
                font.setPixelSize(max(8, round(size * (1 - step / 10))))
                metrics = QFontMetrics(font)
                lines = wrap_to_width(words, metrics, width)
                if lines is not None and len(lines) * metrics.lineSpacing() <= max(height, 1):
                    chosen = "\n".join(lines)
                    if step:
                        self.setStyleSheet(f"font-size: {font.pixelSize()}px;")
                    break
            else:
                chosen = "\n".join(wrap_to_width(words, metrics, 10**6) or [words])
                self.setStyleSheet(f"font-size: {font.pixelSize()}px;")
            if chosen != self.text():
                super().setText(chosen)
        finally:
            self._fitting = False


def button(text: str, on_click: Callable[[], None], role: str = "", name: str = "") -> QPushButton:
    widget = FitButton(text)
    widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
    widget.clicked.connect(lambda: on_click())  # called without the `checked` flag
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    return widget


class Page(QWidget):
    """Words in the top half, controls in the bottom half."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 24, 40, 24)
        self.words = QVBoxLayout()
        self.controls = QVBoxLayout()
        self.controls.setSpacing(18)
        top = QWidget()
        top.setLayout(self.words)
        bottom = QWidget()
        bottom.setLayout(self.controls)
        # The controls start at the screen's middle: the bar below the pages takes
        # about a tenth of the height, so the words get 5 parts to the controls' 4.
        outer.addWidget(top, 5)
        outer.addWidget(bottom, 4)

    def speech(self) -> str:
        """What the screen says, in reading order: its words, then its buttons' words (a
        label may say how it is spoken: a ticket number letter by letter)."""
        texts = [
            str(w.property("spoken") or w.text())
            for w in self.findChildren(QLabel)
            if w.isVisible() and w.text()
        ]
        texts += [
            w.fullText() if isinstance(w, FitButton) else w.text()
            for w in self.findChildren(QPushButton)
            if w.isVisible() and w.text()
        ]
        return ". ".join(t.replace("\n", " ") for t in texts)


def add_keyboard(
    layout: QVBoxLayout,
    target: QLineEdit,
    *,
    space: bool,
    characters: str = "1234567890QWERTYUIOPASDFGHJKL-ZXCVBNM",
    columns: int = 13,
) -> None:
    """On-screen keys typing into `target` (lower case when `space`: words, not codes),
    in rows of `columns`, then Space (when asked) and backspace on the last row."""
    keys = QGridLayout()
    keys.setSpacing(6)
    for index, char in enumerate(characters):
        keys.addWidget(
            button(char, lambda c=char: target.insert(c.lower() if space else c), "key"),
            index // columns,
            index % columns,
        )
    row, column = divmod(len(characters), columns)
    if space:
        if column + 3 > columns:  # Space and backspace need a row of their own
            row, column = row + 1, 0
        keys.addWidget(
            button(tr("Space"), lambda: target.insert(" "), "key", "space"), row, column, 1, 2
        )
        column += 2
    if column >= columns:
        row, column = row + 1, 0
    keys.addWidget(
        button("⌫", target.backspace, "key", "backspace"), row, column, 1, columns - column
    )
    layout.addWidget(key_panel(keys), 4)


def key_panel(keys: QGridLayout) -> QWidget:
    """Keys keep their order in every language: QWERTY and 1-2-3 are never mirrored."""
    panel = QWidget()
    panel.setLayout(keys)
    panel.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    return panel
