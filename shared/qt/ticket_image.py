"""A ticket drawn as an image: the preview printer's PNG, and the lines sent to a
thermal printer as bitmaps where its code pages cannot print them (Arabic always;
Polish on a printer without CP852).

Paper is drawn at 8 dots per millimetre (576 dots across the 72 mm printable width
of 80 mm paper, 384 across 58 mm), as thermal printers print.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import qrcode
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter

from shared.devices.ticket import Ticket, right_to_left, ticket_lines
from shared.domain.model import TicketOptions

STYLES = {  # pixel size at 8 dots/mm, bold
    "council": (22, True),
    "site": (22, False),
    "label": (20, False),
    "number": (96, True),
    "service": (30, True),
    "body": (22, False),
    "notice": (22, True),
    "scan": (20, False),
    "small": (18, False),
}
MARGIN_MM = 2


def ensure_gui() -> None:
    """Fonts need a QGuiApplication; scripts get an offscreen one."""
    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication.setApplicationName("onestop")
        ensure_gui.app = QGuiApplication([])  # type: ignore[attr-defined]


def _font(style: str, per_mm: float) -> QFont:
    size, bold = STYLES[style]
    font = QFont("DejaVu Sans")
    font.setPixelSize(max(8, round(size * per_mm / 8)))
    font.setBold(bold)
    return font


def _direction(text: str) -> Qt.LayoutDirection:
    """Each line its own direction: an Arabic label right to left, and the date, the
    number or an English footer left to right even on an Arabic ticket (so the time
    stays after the date and a full stop at the end)."""
    return Qt.LayoutDirection.RightToLeft if right_to_left(text) else Qt.LayoutDirection.LeftToRight


def _flags() -> int:
    return int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


def _text_height(font: QFont, text: str, width: int) -> int:
    probe = QImage(8, 8, QImage.Format.Format_Grayscale8)
    painter = QPainter(probe)
    painter.setFont(font)
    painter.setLayoutDirection(_direction(text))
    height = painter.boundingRect(QRect(0, 0, width, 10_000), _flags(), text).height()
    painter.end()
    return height


def _draw_text(painter: QPainter, font: QFont, text: str, rect: QRect) -> None:
    painter.setFont(font)
    painter.setLayoutDirection(_direction(text))
    painter.drawText(rect, _flags(), text)


def render_ticket(
    ticket: Ticket,
    options: TicketOptions,
    *,
    labels: dict[str, str] | None = None,
    language: str = "en",
) -> QImage:
    """The whole ticket (the preview printer's PNG): its lines, the QR code, the footer.

    `language` is the visitor's; each line takes its direction from its own text.
    """
    ensure_gui()
    width, per_mm = (384 if options.paper_mm <= 58 else 576), 8.0
    margin = round(MARGIN_MM * per_mm)
    inner = width - 2 * margin
    blocks = [(_font(style, per_mm), text) for style, text in ticket_lines(ticket, labels)]
    footer_font = _font("small", per_mm)
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(ticket.qr_content(options))
    qr.make(fit=True)
    matrix = qr.get_matrix()
    module = max(4, (width // 2) // len(matrix))

    heights = [_text_height(font, text, inner) for font, text in blocks]
    footer_height = _text_height(footer_font, options.footer, inner)
    height = (
        margin + sum(h + 8 for h in heights) + 8 + module * len(matrix) + 16 + footer_height + 48
    )
    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(QColor("black"))
    y = margin
    for (font, text), block_height in zip(blocks, heights, strict=True):
        _draw_text(painter, font, text, QRect(margin, y, inner, block_height))
        y += block_height + 8
    y += 8
    left = (width - module * len(matrix)) // 2
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                painter.fillRect(
                    QRectF(left + column * module, y + row * module, module, module),
                    QColor("black"),
                )
    y += module * len(matrix) + 16
    _draw_text(painter, footer_font, options.footer, QRect(margin, y, inner, footer_height))
    painter.end()
    return image


def line_picture(style: str, text: str, width: int, per_mm: float = 8.0) -> Any:
    """One ticket line drawn for a thermal printer: a 1-bit PIL image the printer's
    full width (centred as the text lines are), only as tall as the words."""
    from PIL import Image, ImageOps

    ensure_gui()
    margin = round(MARGIN_MM * per_mm)
    font = _font(style, per_mm)
    height = _text_height(font, text, width - 2 * margin) + 8
    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(QColor("black"))
    _draw_text(painter, font, text, QRect(margin, 4, width - 2 * margin, height - 4))
    painter.end()
    grey = Image.frombuffer(
        "L", (width, height), bytes(image.constBits()), "raw", "L", image.bytesPerLine(), 1
    )
    ink = ImageOps.invert(grey).getbbox()
    if ink is None:
        return grey.crop((0, 0, width, 1)).point(lambda v: 255, mode="1")
    pad = max(2, round(per_mm / 2))
    top, bottom = max(0, ink[1] - pad), min(height, ink[3] + pad)
    # A threshold, not dithering: grey edges of letters would print as speckles.
    return grey.crop((0, top, width, bottom)).point(lambda v: 0 if v < 150 else 255, mode="1")


def line_pictures(lines: list[tuple[str, str]], width: int, per_mm: float = 8.0) -> dict:
    """Pictures for the lines a printer's code pages cannot print, keyed by line."""
    return {(style, text): line_picture(style, text, width, per_mm) for style, text in lines}


def save_ticket_png(
    ticket: Ticket,
    options: TicketOptions,
    path: Path,
    *,
    labels: dict[str, str] | None = None,
    language: str = "en",
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = render_ticket(ticket, options, labels=labels, language=language)
    if not image.save(str(path), "PNG"):
        from shared.devices.printer import PrinterError

        raise PrinterError(f"cannot write the ticket preview to {path}")
    return path
