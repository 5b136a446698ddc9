"""A ticket drawn as an image: the preview printer's PNG, and the bitmap sent to a
thermal printer for scripts its code pages cannot print (Arabic).

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

from shared.devices.ticket import Ticket, ticket_lines
from shared.domain.model import TicketOptions

STYLES = {  # point size at 8 dots/mm, bold
    "council": (22, True),
    "site": (22, False),
    "label": (20, False),
    "number": (96, True),
    "service": (30, True),
    "body": (22, False),
    "notice": (22, True),
    "small": (18, False),
}


def ensure_gui() -> None:
    """Fonts need a QGuiApplication; scripts get an offscreen one."""
    if QGuiApplication.instance() is None:
        if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        QGuiApplication.setApplicationName("onestop")
        ensure_gui.app = QGuiApplication([])  # type: ignore[attr-defined]


def render_ticket(
    ticket: Ticket,
    options: TicketOptions,
    *,
    labels: dict[str, str] | None = None,
    language: str = "en",
) -> QImage:
    ensure_gui()
    width = 384 if options.paper_mm <= 58 else 576
    margin = 16
    lines = ticket_lines(ticket, labels)
    rtl = language == "ar"
    # Measure, then draw.
    blocks: list[tuple[QFont, str, int]] = []
    for style, text in lines:
        size, bold = STYLES[style]
        font = QFont("DejaVu Sans")
        font.setPixelSize(size)
        font.setBold(bold)
        blocks.append((font, text, size))
    footer_font = QFont("DejaVu Sans")
    footer_font.setPixelSize(STYLES["small"][0])
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(ticket.qr_content(options))
    qr.make(fit=True)
    matrix = qr.get_matrix()
    module = max(4, (width // 2) // len(matrix))

    probe = QImage(width, 10, QImage.Format.Format_Grayscale8)
    painter = QPainter(probe)
    heights = []
    for font, text, _size in blocks:
        painter.setFont(font)
        heights.append(
            painter.boundingRect(QRect(0, 0, width - 2 * margin, 10_000), _flags(), text).height()
        )
    painter.setFont(footer_font)
    footer_height = painter.boundingRect(
        QRect(0, 0, width - 2 * margin, 10_000), _flags(), options.footer
    ).height()
    painter.end()
    height = (
        margin + sum(h + 8 for h in heights) + 16 + module * len(matrix) + 16 + footer_height + 48
    )

    image = QImage(width, height, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    painter.setPen(QColor("black"))
    y = margin
    for (font, text, _size), block_height in zip(blocks, heights, strict=True):
        painter.setFont(font)
        painter.drawText(QRect(margin, y, width - 2 * margin, block_height), _flags(), text)
        y += block_height + 8
    y += 16
    left = (width - module * len(matrix)) // 2
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                painter.fillRect(
                    QRectF(left + column * module, y + row * module, module, module),
                    QColor("black"),
                )
    y += module * len(matrix) + 16
    painter.setFont(footer_font)
    painter.drawText(QRect(margin, y, width - 2 * margin, footer_height), _flags(), options.footer)
    painter.end()
    return image


def _flags() -> int:
    return int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


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


def ticket_pil_image(
    ticket: Ticket,
    options: TicketOptions,
    *,
    labels: dict[str, str] | None = None,
    language: str = "en",
) -> Any:
    """The ticket as a PIL image, for python-escpos's image printing."""
    from io import BytesIO

    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice

    image = render_ticket(ticket, options, labels=labels, language=language)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(BytesIO(bytes(buffer.data()))).convert("1")
