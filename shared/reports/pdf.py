"""The report as an A4 PDF: the charter statement, the figures, charts with axes, the tables
and the survey comments. Drawn with Qt (QPdfWriter), which the apps already carry."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .render import (
    HEADLINES,
    SURVEY,
    SURVEY_SHORT,
    cell,
    comment_rows,
    show,
    site_name,
    statement_blocks,
    survey_rows,
    tables,
    tick_step,
)

INK, BLUE, GREEN, RED, GREY = "#0b0c0c", "#005a87", "#00703c", "#d4351c", "#b1b4b6"
SITE_COLOURS = ["#005a87", "#f47738", "#4c2c92", "#28a197"]
WITHIN_SERVE = {"0-2 min", "2-5 min", "5-10 min", "10-15 min"}  # kpis.BANDS up to 15


@dataclass
class Series:
    name: str
    values: list[float | None]
    colours: list[str]  # one per bar, or one for all


def to_pdf(report: dict[str, Any], names: dict[str, str], path: Path) -> Path:
    from shared.qt.ticket_image import ensure_gui

    ensure_gui()
    path.parent.mkdir(parents=True, exist_ok=True)
    page = _Page(path)
    try:
        _write(page, report, names)
    finally:
        page.painter.end()
    return path


def _write(page: _Page, report: dict[str, Any], names: dict[str, str]) -> None:
    for kind, content in statement_blocks(report, names):
        if kind == "ul":
            for item in content:
                page.text(item, 10, bullet=True)
        else:
            size = {"h2": 16, "h3": 13, "p": 11}[kind]
            page.gap(12 if kind != "p" else 0)
            page.text(content, size, bold=kind != "p")
        page.gap(6)
    page.gap(16)
    page.heading("Figures")
    page.table(
        ["Figure", "Value"],
        [[label, show(report[key], unit)] for key, label, unit in HEADLINES]
        + [[label, show(report["survey"][key], unit)] for key, label, unit in SURVEY],
        [0.75, 0.25],
    )
    page.gap(16)
    page.heading("Survey by site")
    page.table(
        ["Site", *[SURVEY_SHORT[key] for key, _, _ in SURVEY]],
        [
            [v if i == 0 else show(v, "%" if i > 1 else "") for i, v in enumerate(r)]
            for r in survey_rows(report)
        ],
        [0.3, 0.12, 0.145, 0.145, 0.145, 0.145],
    )

    page.new()
    third = page.height / 3
    bands = report["wait_distribution"]
    page.chart(
        "Minutes from arrival to being called (visits called)",
        [k.replace(" min", "").replace(" or more", "+") for k in bands],
        [
            Series(
                "visits",
                [float(n) for n in bands.values()],
                [GREEN if k in WITHIN_SERVE else RED for k in bands],
            )
        ],
        third,
        unit="visits",
        edges=[(1, "greet target 2 min"), (4, "serve target 15 min")],
        key=[("called within the 15-minute serve target", GREEN), ("after 15 minutes", RED)],
    )
    hours = report["visits_by_hour"]
    page.chart(
        "Visits by hour of arrival",
        [h[:2] if len(hours) > 12 else h for h in hours],
        [Series("visits", [float(n) for n in hours.values()], [BLUE])],
        third,
        unit="visits",
    )
    months = report["months"]
    page.chart(
        "Average wait to be called, month by month",
        [m["month"] for m in months],
        [Series("minutes", [m["average_wait_minutes"] for m in months], [BLUE])],
        third,
        unit="minutes",
        decimals=1,
    )

    page.new()
    by_site = [
        (code, f) for code, f in report["survey"]["by_site"].items() if f["responses"]
    ]  # a site with no answers: "n/a" in the table, no bars
    page.chart(
        "Survey by site (% of those who answered)",
        [SURVEY_SHORT[key] for key, _, _ in SURVEY[1:]],
        [
            Series(
                f"{site_name(report, code)} ({f['responses']})",
                [f[key] for key, _, _ in SURVEY[1:]],
                [SITE_COLOURS[i % len(SITE_COLOURS)]],
            )
            for i, (code, f) in enumerate(by_site)
        ],
        third,
        unit="%",
        decimals=1,
        percent=True,
        aim=(95, "95% aim"),
        key=[
            (f"{site_name(report, code)} ({f['responses']} responses)", SITE_COLOURS[i % 4])
            for i, (code, f) in enumerate(by_site)
        ],
    )
    weekdays = report["visits_by_weekday"]
    page.chart(
        "Visits by weekday",
        list(weekdays),
        [Series("visits", [float(n) for n in weekdays.values()], [BLUE])],
        third,
        unit="visits",
    )
    for title, columns, rows in tables(report):
        if title in (
            "Visits by service",
            "Avoidable contact by reason",
            "Avoidable contact by service",
        ):
            page.gap(16)
            page.heading(title)
            widths = [0.4] + [0.6 / (len(columns) - 1)] * (len(columns) - 1)
            page.table(
                columns,
                [[cell(v) for v in row] for row in rows] or [["none", *[""] * (len(columns) - 1)]],
                widths,
            )
    comments = comment_rows(report)
    page.gap(16)
    page.heading(f"Survey comments ({len(comments)})")
    if not comments:
        page.text("No comments in this period.", 10)
    for site, day, comment in comments:
        page.text(f"{day}, {site}: {' '.join(str(comment).split())}", 10, bullet=True)
        page.gap(4)


class _Page:
    """A cursor down A4 pages: text that wraps, tables and bar charts with axes."""

    def __init__(self, path: Path) -> None:
        from PySide6.QtCore import QMarginsF
        from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

        self.writer = QPdfWriter(str(path))
        self.writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(15, 15, 15, 15),
                QPageLayout.Unit.Millimeter,
            )
        )
        self.writer.setResolution(150)
        self.writer.setTitle("One Stop Shop performance")
        self.painter = QPainter(self.writer)
        self.width = float(self.writer.width())
        self.height = float(self.writer.height())
        self.y = 0.0

    # -- flow -------------------------------------------------------------------------

    def new(self) -> None:
        self.writer.newPage()
        self.y = 0.0

    def room(self, needed: float) -> None:
        if self.y + needed > self.height:
            self.new()

    def gap(self, pixels: float) -> None:
        self.y += pixels

    def font(self, size: float, bold: bool = False) -> Any:
        from PySide6.QtGui import QFont

        font = QFont("DejaVu Sans")
        font.setPointSizeF(size)
        font.setBold(bold)
        self.painter.setFont(font)
        return font

    def text(self, text: str, size: float, *, bold: bool = False, bullet: bool = False) -> None:
        from PySide6.QtCore import QRectF, Qt

        self.font(size, bold)
        indent = 40.0 if bullet else 0.0
        flags = int(Qt.TextFlag.TextWordWrap)
        box = self.painter.boundingRect(QRectF(indent, 0, self.width - indent, 10_000), flags, text)
        self.room(box.height())
        self.painter.setPen(_colour(INK))
        if bullet:
            self.painter.drawText(QRectF(0, self.y, indent, box.height()), "•")
        self.painter.drawText(
            QRectF(indent, self.y, self.width - indent, box.height()), flags, text
        )
        self.y += box.height()

    def heading(self, text: str) -> None:
        self.room(120)  # never a heading alone at the foot of a page
        self.text(text, 13, bold=True)
        self.gap(8)

    def table(self, columns: list[str], rows: list[list[Any]], widths: list[float]) -> None:
        from PySide6.QtCore import QRectF, Qt

        row_height = 38.0
        lefts = [sum(widths[:i]) * self.width for i in range(len(widths))]

        def line(values: list[Any], bold: bool, shade: str | None) -> None:
            self.font(9, bold)
            wrap = int(Qt.TextFlag.TextWordWrap) if bold else 0  # headings wrap, cells elide
            height = row_height
            if bold:
                for index, value in enumerate(values):
                    box = QRectF(0, 0, widths[index] * self.width - 12, 1000)
                    needed = self.painter.boundingRect(box, wrap, str(value)).height() + 12
                    height = max(height, needed)
            self.room(height)
            if shade:
                self.painter.fillRect(QRectF(0, self.y, self.width, height), _colour(shade))
            self.painter.setPen(_colour("#ffffff" if bold else INK))
            for index, value in enumerate(values):
                align = Qt.AlignmentFlag.AlignLeft if index == 0 else Qt.AlignmentFlag.AlignRight
                box = QRectF(lefts[index] + 6, self.y, widths[index] * self.width - 12, height)
                text = str(value)
                if not bold:
                    text = self.painter.fontMetrics().elidedText(
                        text, Qt.TextElideMode.ElideRight, int(box.width())
                    )
                self.painter.drawText(box, int(align | Qt.AlignmentFlag.AlignVCenter) | wrap, text)
            self.y += height

        line(columns, True, BLUE)
        for index, row in enumerate(rows):
            line(row, False, "#f3f2f1" if index % 2 else None)

    def chart(
        self,
        title: str,
        categories: list[str],
        series: list[Series],
        height: float,
        *,
        unit: str,
        decimals: int = 0,
        percent: bool = False,
        edges: list[tuple[int, str]] = (),  # type: ignore[assignment]
        aim: tuple[float, str] | None = None,
        key: list[tuple[str, str]] = (),  # type: ignore[assignment]
    ) -> None:
        """Bars per category (a group when several series), a y axis with whole-number
        ticks (0-100 for percentages), dashed lines at category edges, an aim line."""
        from PySide6.QtCore import QLineF, QRectF, Qt
        from PySide6.QtGui import QPen

        self.room(height)
        top = self.y
        self.font(12, True)
        self.painter.setPen(_colour(INK))
        self.painter.drawText(QRectF(0, top, self.width, 40), title)
        key_height = 34.0 if key else 0.0
        area = QRectF(110, top + 70, self.width - 130, height - 150 - key_height)
        values = [v for s in series for v in s.values if v is not None]
        if percent:
            step, ceiling = 20, 100
        else:
            peak = max([*values, 1.0])
            step = tick_step(peak)
            ceiling = step * -(-peak * 1.1 // step)  # room above the tallest bar
        # y axis: ticks, labels and light grid lines
        self.font(8)
        tick = 0.0
        while tick <= ceiling + 1e-9:
            level = area.bottom() - area.height() * tick / ceiling
            self.painter.setPen(QPen(_colour("#dddddd"), 1))
            self.painter.drawLine(QLineF(area.left(), level, area.right(), level))
            self.painter.setPen(_colour(INK))
            self.painter.drawLine(QLineF(area.left() - 8, level, area.left(), level))
            label = f"{tick:g}%" if percent else f"{tick:g}"
            self.painter.drawText(
                QRectF(0, level - 16, area.left() - 14, 32),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                label,
            )
            tick += step
        self.painter.save()
        self.painter.translate(14, area.center().y())
        self.painter.rotate(-90)
        self.painter.drawText(
            QRectF(-area.height() / 2, -14, area.height(), 30),
            int(Qt.AlignmentFlag.AlignCenter),
            unit,
        )
        self.painter.restore()
        self.painter.setPen(QPen(_colour(INK), 2))
        self.painter.drawLine(QLineF(area.bottomLeft(), area.topLeft()))
        self.painter.drawLine(QLineF(area.bottomLeft(), area.bottomRight()))
        # bars
        count = max(len(categories), 1)
        slot = area.width() / count
        groups = max(len(series), 1)
        bar = slot * 0.75 / groups
        for index, name in enumerate(categories):
            for number, one in enumerate(series):
                value = one.values[index]
                left = area.left() + index * slot + slot * 0.125 + number * bar
                colour = one.colours[index] if len(one.colours) > 1 else one.colours[0]
                tall = 0.0 if value is None else area.height() * value / ceiling
                self.painter.fillRect(
                    QRectF(left, area.bottom() - tall, bar * 0.92, tall), _colour(colour)
                )
                self.painter.setPen(_colour(INK))
                self.font(7)
                self.painter.drawText(
                    QRectF(left - 30, area.bottom() - tall - 30, bar + 60, 28),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom),
                    "n/a" if value is None else f"{value:.{decimals}f}" + ("%" if percent else ""),
                )
            self.font(8)
            self.painter.drawText(
                QRectF(area.left() + index * slot, area.bottom() + 6, slot, 60),
                int(Qt.AlignmentFlag.AlignHCenter | Qt.TextFlag.TextWordWrap),
                name,
            )
        pen = QPen(_colour(INK), 3, Qt.PenStyle.DashLine)
        for after, label in edges:
            x = area.left() + after * slot
            self.painter.setPen(pen)
            self.painter.drawLine(QLineF(x, area.top(), x, area.bottom()))
            self.font(8, True)
            self.painter.drawText(QRectF(x + 8, area.top() - 30, 400, 28), label)
        if aim is not None:
            level = area.bottom() - area.height() * aim[0] / ceiling
            self.painter.setPen(QPen(_colour(INK), 3, Qt.PenStyle.DashLine))
            self.painter.drawLine(QLineF(area.left(), level, area.right(), level))
            self.font(8, True)
            self.painter.drawText(
                QRectF(area.right() - 300, level - 32, 300, 28),
                int(Qt.AlignmentFlag.AlignRight),
                aim[1],
            )
        x = area.left()
        self.font(8)
        for label, colour in key:
            y = area.bottom() + 70
            self.painter.fillRect(QRectF(x, y + 6, 22, 22), _colour(colour))
            self.painter.setPen(_colour(INK))
            width = self.painter.fontMetrics().horizontalAdvance(label) + 20
            self.painter.drawText(QRectF(x + 30, y, width, 34), label)
            x += 30 + width + 30
        self.y = top + height


def _colour(name: str) -> Any:
    from PySide6.QtGui import QColor

    return QColor(name)
