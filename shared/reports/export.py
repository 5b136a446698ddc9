"""The report as a workbook (a formatted sheet per table) and as a PDF with charts (pdf.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .render import HEADLINES, SURVEY, tables

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
        if title not in SHEETS:  # the survey and the comments have their own sheets
            continue
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
    for (comment,) in book["Comments"].iter_rows(min_row=2, min_col=3, max_col=3):
        comment.alignment = Alignment(wrap_text=True, vertical="top")
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def to_pdf(report: dict[str, Any], names: dict[str, str], path: Path) -> Path:
    """A4: the statement, the figures, charts with axes, the tables and the comments."""
    from .pdf import to_pdf as draw

    return draw(report, names, path)
