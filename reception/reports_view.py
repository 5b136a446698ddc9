"""The supervisors' Reports view: the same figures and filters as `onestop report`, with charts."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shared.domain import DomainError
from shared.reports.kpis import Period, compute, site_names
from shared.reports.render import HEADLINES, SURVEY, show

BLUE, NAVY = QColor("#005a87"), QColor("#0b2545")


def quarters(today: date, count: int = 8) -> list[str]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    result = []
    for _ in range(count):
        result.append(f"{year}-Q{quarter}")
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return result


class ReportsWindow(QWidget):
    def __init__(self, db: Any, sites: list[str], *, today: date | None = None) -> None:
        super().__init__()
        self.db = db
        self.names = site_names(db)
        self.setWindowTitle("OneStop — reports")
        root = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.site = QComboBox()
        self.site.setObjectName("site")
        self.site.addItem("All sites", "")
        for code in sites:
            self.site.addItem(self.names.get(code, code), code)
        self.quarter = QComboBox()
        self.quarter.setObjectName("quarter")
        for q in quarters(today or date.today()):
            self.quarter.addItem(q, q)
        self.quarter.addItem("Dates…", "")
        self.start = QDateEdit(QDate.currentDate().addMonths(-1), calendarPopup=True)
        self.end = QDateEdit(QDate.currentDate(), calendarPopup=True)
        run = QPushButton("Show")
        run.setObjectName("show")
        run.clicked.connect(self.show_report)
        for widget in (
            QLabel("Site"),
            self.site,
            QLabel("Period"),
            self.quarter,
            self.start,
            QLabel("to"),
            self.end,
            run,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)
        root.addLayout(filters)
        self.error = QLabel("")
        root.addWidget(self.error)
        body = QHBoxLayout()
        root.addLayout(body, 1)
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("figures")
        self.table.setHorizontalHeaderLabels(["Figure", "Value"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        body.addWidget(self.table, 2)
        self.charts = QGridLayout()
        body.addLayout(self.charts, 5)
        self.views: list[QChartView] = []
        self.report: dict[str, Any] | None = None

    def figures_text(self, row: int) -> str:
        return self.table.item(row, 0).text()

    def period(self) -> Period:
        chosen = self.quarter.currentData()
        if chosen:
            return Period.quarter(chosen)
        return Period(self.start.date().toPython(), self.end.date().toPython())

    def show_report(self) -> None:
        try:
            site = self.site.currentData()
            self.report = compute(self.db, [site] if site else None, self.period())
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.error.setText("")
        report = self.report
        rows = [(label, show(report[key], unit)) for key, label, unit in HEADLINES]
        rows += [(label, show(report["survey"][key], unit)) for key, label, unit in SURVEY]
        self.table.setRowCount(len(rows))
        for index, (label, value) in enumerate(rows):
            self.table.setItem(index, 0, QTableWidgetItem(label))
            self.table.setItem(index, 1, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        for view in self.views:
            view.setParent(None)
        self.views = [
            self._bars(
                "Minutes to see a CSA (visits called)",
                {
                    k.replace(" min", "").replace(" or more", "+"): v
                    for k, v in report["wait_distribution"].items()
                },
            ),
            self._bars("Visits by hour", report["visits_by_hour"]),
            self._bars(
                "Satisfaction (%)",
                {
                    "Resolved": report["survey"]["resolved_pct"] or 0,
                    "CSA": report["survey"]["csa_satisfied_pct"] or 0,
                    "Overall": report["survey"]["overall_satisfied_pct"] or 0,
                    "Fair": report["survey"]["treated_fairly_pct"] or 0,
                },
                maximum=100,
            ),
            self._trend(report["months"]),
        ]
        for index, view in enumerate(self.views):
            view.setMinimumSize(360, 260)
            self.charts.addWidget(view, index // 2, index % 2)
            view.show()

    def _bars(self, title: str, data: dict[str, Any], maximum: float | None = None) -> QChartView:
        bars = QBarSet(title)
        bars.setColor(BLUE)
        for value in data.values():
            bars.append(float(value or 0))
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart = QChart()
        chart.addSeries(series)
        chart.setTitle(title)
        chart.legend().setVisible(False)
        axis_x = QBarCategoryAxis()
        axis_x.append([str(k) for k in data])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setRange(0, maximum or max([float(v or 0) for v in data.values()] + [1.0]) * 1.15)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        return view

    def _trend(self, months: list[dict[str, Any]]) -> QChartView:
        series = QLineSeries()
        series.setName("Average wait (min)")
        series.setColor(NAVY)
        for index, month in enumerate(months):
            if month["average_wait_minutes"] is not None:  # a month with nobody called: no point
                series.append(index, float(month["average_wait_minutes"]))
        chart = QChart()
        chart.addSeries(series)
        chart.setTitle("Average wait, month by month")
        chart.legend().setVisible(False)
        axis_x = QBarCategoryAxis()
        axis_x.append([m["month"] for m in months] or ["-"])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        peak = max([float(m["average_wait_minutes"] or 0) for m in months] + [1.0])
        axis_y.setRange(0, peak * 1.2)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        return view
