"""The report as a workbook (a formatted sheet per table) and as a PDF with charts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .render import HEADLINES, SURVEY, statement, tables

NAVY, BLUE, YELLOW = "0B2545", "005A87", "FFDD00"
SHEETS = {  # a sheet's name is at most 31 characters
    "Visits by service": "By service",
    "Visits by hour": "By hour",
    "Visits by weekday": "By weekday",
    "Wait to see a CSA": "Waits",
    "Avoidable contact by reason": "Avoidable by reason",
    "Avoidable contact by service": "Avoidable by service",
    "Month by month": "Months",
}


def to_xlsx(report: dict[str, Any], names: dict[str, str], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=BLUE)

    def sheet(title: str, columns: list[str], rows: list[list[Any]], widths: list[int]) -> None:
        ws = book.create_sheet(title)
        ws.append(columns)
        for cell in ws[1]:
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="center")
        for row in rows:
            ws.append(row)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "0.0"
        ws.freeze_panes = "A2"

    book.remove(book.active)
    period = f"{report['period']['from']} to {report['period']['to']}"
    sheet(
        "Headlines",
        ["Figure", "Value", "Unit"],
        [["Sites", ", ".join(names.get(s, s) for s in report["sites"]), ""], ["Period", period, ""]]
        + [[label, report[key], unit.strip()] for key, label, unit in HEADLINES],
        [52, 16, 8],
    )
    survey = report["survey"]
    sheet(
        "Survey",
        ["Site", *[label for _, label, _ in SURVEY]],
        [["All sites", *[survey[key] for key, _, _ in SURVEY]]]
        + [
            [names.get(code, code), *[f[key] for key, _, _ in SURVEY]]
            for code, f in survey["by_site"].items()
        ],
        [24, 16, 24, 24, 28, 16],
    )
    for title, columns, rows in tables(report):
        widths = [
            min(60, max(len(str(v)) for v in [c, *[r[i] for r in rows]]) + 3)
            for i, c in enumerate(columns)
        ]
        sheet(SHEETS[title], columns, rows, widths)
    sheet(
        "Comments",
        ["Site", "Date", "Comment"],
        [[names.get(c["site"], c["site"]), c["date"], c["comment"]] for c in survey["comments"]],
        [24, 12, 100],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def to_pdf(report: dict[str, Any], names: dict[str, str], path: Path) -> Path:
    """A4: the statement and the headline table, then charts."""
    from PySide6.QtCore import QMarginsF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QPageLayout, QPageSize, QPainter, QPdfWriter

    from shared.qt.ticket_image import ensure_gui

    ensure_gui()
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(150)
    writer.setTitle("One Stop Shop performance")
    painter = QPainter(writer)
    width = writer.width()
    height = writer.height()

    def font(size: int, bold: bool = False) -> QFont:
        f = QFont("DejaVu Sans")
        f.setPointSize(size)
        f.setBold(bold)
        return f

    y = 0.0
    for line in statement(report, names).splitlines():
        if not line.strip():
            y += 20
            continue
        size, bold = (
            (16, True)
            if line.startswith("## ")
            else (13, True)
            if line.startswith("### ")
            else (10, False)
        )
        painter.setFont(font(size, bold))
        text = line.lstrip("#").strip()
        text = "• " + text[2:] if line.startswith("- ") else text
        rect = painter.boundingRect(
            QRectF(0, y, width, 10_000), int(Qt.TextFlag.TextWordWrap), text
        )
        painter.drawText(rect, int(Qt.TextFlag.TextWordWrap), text)
        y += rect.height() + 10
    y += 30
    painter.setFont(font(10))
    for key, label, unit in HEADLINES:
        value = report[key]
        painter.drawText(QRectF(0, y, width * 0.7, 40), label)
        painter.drawText(
            QRectF(width * 0.7, y, width * 0.3, 40),
            int(Qt.AlignmentFlag.AlignRight),
            "n/a" if value is None else f"{value}{unit}",
        )
        y += 42

    def bars(
        title: str,
        data: dict[str, Any],
        top: float,
        chart_height: float,
        limit: float | None = None,
        limit_label: str = "",
    ) -> None:
        painter.setFont(font(12, True))
        painter.setPen(QColor("#0b0c0c"))
        painter.drawText(QRectF(0, top, width, 50), title)
        area = QRectF(60, top + 60, width - 80, chart_height - 120)
        values = [float(v or 0) for v in data.values()]
        peak = max([*values, limit or 0, 1.0]) * 1.12  # room for the labels
        count = max(len(values), 1)
        slot = area.width() / count
        painter.setFont(font(7))
        for index, (label, value) in enumerate(zip(data, values, strict=True)):
            bar = area.height() * value / peak
            rect = QRectF(
                area.left() + index * slot + slot * 0.15, area.bottom() - bar, slot * 0.7, bar
            )
            painter.fillRect(rect, QColor("#" + BLUE))
            painter.drawText(
                QRectF(area.left() + index * slot, area.bottom() + 4, slot, 40),
                int(Qt.AlignmentFlag.AlignHCenter),
                str(label),
            )
            painter.drawText(
                QRectF(rect.left() - 20, rect.top() - 36, rect.width() + 40, 32),
                int(Qt.AlignmentFlag.AlignHCenter),
                f"{value:g}",
            )
        painter.setPen(QColor("#0b0c0c"))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        if limit is not None:
            level = area.bottom() - area.height() * limit / peak
            painter.setPen(QColor("#" + NAVY))
            painter.drawLine(area.left(), level, area.right(), level)
            painter.drawText(
                QRectF(area.right() - 400, level - 36, 400, 32),
                int(Qt.AlignmentFlag.AlignRight),
                limit_label,
            )

    writer.newPage()
    slice_height = height / 3
    bars("Wait to see a CSA (visits called)", report["wait_distribution"], 0, slice_height)
    bars("Visits by hour of arrival", report["visits_by_hour"], slice_height, slice_height)
    months = {m["month"]: m["average_wait_minutes"] for m in report["months"]}
    bars("Average wait by month (minutes)", months, 2 * slice_height, slice_height)
    writer.newPage()
    survey = report["survey"]
    satisfaction = {
        label.split(" with ")[-1][:28]: survey[key] or 0 for key, label, _ in SURVEY[1:]
    }
    bars("Survey (% of those who answered)", satisfaction, 0, slice_height, 95, "95% aim")
    bars("Visits by weekday", report["visits_by_weekday"], slice_height, slice_height)
    painter.end()
    return path
