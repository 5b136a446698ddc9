"""The supervisors' Reports view: the same figures and filters as `onestop report`, with charts.

The figures are counted by the database on a worker of the window's own pool (a
quarter over years of history takes up to a second or two on a busy network), and
come back through the `computed` / `failed` signals; the window stays responsive.
Then, on the same worker, the slower part: the waits told to visitors replayed
over the period against the naive estimates, and the staffing advice for each
site's next opening day (`planned`), shown on their own tab and beside the figures.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QCloseEvent, QColor, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from shared.domain import DomainError
from shared.office import Office
from shared.planning.accuracy import measure
from shared.planning.staffing import advise
from shared.qt.jobs import tell
from shared.reports.kpis import Period, compute, site_names
from shared.reports.render import HEADLINES, SURVEY, SURVEY_SHORT, show, tick_step

BLUE, NAVY = QColor("#005a87"), QColor("#0b2545")
WITHIN, OUTSIDE = QColor("#00703c"), QColor("#d4351c")  # GOV.UK green and red
SITE_COLOURS = [QColor("#005a87"), QColor("#f47738"), QColor("#4c2c92"), QColor("#28a197")]
# The wait bands (kpis.BANDS) up to 15 minutes are within the serve target.
WITHIN_SERVE = {"0-2 min", "2-5 min", "5-10 min", "10-15 min"}
STRETCH = QHeaderView.ResizeMode.Stretch
STYLE = """
QTableWidget { font-size: 14px; }
QLabel#error { color: #d4351c; font-weight: bold; }
QPushButton#show { background: #005a87; color: white; font-weight: bold; padding: 4px 16px; }
QPushButton#show:disabled { background: #b1b4b6; }
"""


def quarters(today: date, count: int = 8) -> list[str]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    result = []
    for _ in range(count):
        result.append(f"{year}-Q{quarter}")
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return result


def count_axis(peak: float) -> QValueAxis:
    """A y axis for counts: 0 to a whole number, ticks on whole numbers, no decimals."""
    step = tick_step(max(peak, 1))
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setRange(0, step * math.ceil(max(peak, 1) * 1.15 / step))
    axis.setMinorTickCount(0)
    return axis


class _ReportJob(QRunnable):
    def __init__(self, window: ReportsWindow, sites: list[str] | None, period: Period) -> None:
        super().__init__()
        self.window = window
        self.today = window.today
        self.db = window.db
        self.by = window.by
        self.sites = sites
        self.period = period

    def run(self) -> None:
        try:
            report = compute(self.db, self.sites, self.period, by=self.by)
        except DomainError as error:
            tell(self.window, "failed", str(error))
            return
        except SQLAlchemyError as error:  # the database gone away: say so, keep the window
            tell(self.window, "failed", f"the report could not be counted: {error}")
            return
        tell(self.window, "computed", report)
        if self.window.closing:  # the window closed while it counted: no more of it
            return
        # Then the slower part: the waits told replayed over the period, and staffing.
        try:
            told = measure(self.db, self.sites, self.period.start, self.period.end, by=self.by)
            staffing = [
                advise(self.db, code, next_open_day(self.window.sites_config[code], self.today))
                for code in (self.sites or report["sites"])
            ]
        except (DomainError, SQLAlchemyError) as error:
            tell(self.window, "failed", f"the waits told could not be measured: {error}")
            return
        tell(self.window, "planned", {"told": told, "staffing": staffing})


def next_open_day(site: Any, today: date) -> date:
    """The next day the site opens after `today` (tomorrow, or Monday after a Friday)."""
    for ahead in range(1, 8):
        day = today + timedelta(days=ahead)
        if site.opening_hours.days.get(day.weekday()) or not site.opening_hours.days:
            return day
    return today + timedelta(days=1)


class ReportsWindow(QWidget):
    computed = Signal(object)  # the report (a dict), from the worker
    planned = Signal(object)  # then the waits told and the staffing advice
    failed = Signal(str)

    def __init__(
        self, db: Any, sites: list[str], *, today: date | None = None, by: Any = None
    ) -> None:
        """`by`: the supervisor who opened it (shared/access.py), asked for by the core
        at every report counted (a sign-in that has ended counts no more)."""
        super().__init__()
        self.db = db
        self.by = by
        self.today = today or date.today()
        self.names = site_names(db)
        office = Office(db)
        self.sites_config = {code: office.site(code) for code in sites}
        self.services: dict[str, str] = {}  # service code -> name, from each report
        self.setWindowTitle("OneStop — reports")
        self.setStyleSheet(STYLE)
        self.pool = QThreadPool(self)  # the window's: closing it waits for a count in flight
        self.pool.setMaxThreadCount(1)
        self.closing = False  # read by the job: closed, it stops after the part in hand
        self.computed.connect(self._show)
        self.planned.connect(self._show_planning)
        self.failed.connect(self._failed)
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
        start = QDate(today) if today else QDate.currentDate()
        self.start = QDateEdit(start.addMonths(-1), calendarPopup=True)
        self.start.setObjectName("from")
        self.end = QDateEdit(start, calendarPopup=True)
        self.end.setObjectName("to")
        for edit in (self.start, self.end):
            edit.setDisplayFormat("d MMM yyyy")
        self.quarter.currentIndexChanged.connect(self._quarter_chosen)
        self._quarter_chosen()
        self.run = QPushButton("Show")
        self.run.setObjectName("show")
        self.run.clicked.connect(self.show_report)
        for widget in (
            QLabel("Site"),
            self.site,
            QLabel("Period"),
            self.quarter,
            QLabel("from"),
            self.start,
            QLabel("to"),
            self.end,
            self.run,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)
        root.addLayout(filters)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        root.addWidget(self.error)
        body = QHBoxLayout()
        root.addLayout(body, 1)
        self.table = self._table("figures", ["Figure", "Value"])
        self.table.setMinimumWidth(470)
        body.addWidget(self.table, 2)
        self.tabs = QTabWidget()
        body.addWidget(self.tabs, 5)
        self.grids: dict[str, QGridLayout] = {}
        for title in (
            "Waits and visits",
            "Services and avoidable contact",
            "Survey",
            "Waits told and staffing",
        ):
            page = QWidget()
            self.grids[title] = QGridLayout(page)
            self.tabs.addTab(page, title)
        self.avoidable_reasons = self._table(
            "avoidable_reasons", ["Avoidable reason", "Visits", "% of avoidable"]
        )
        self.avoidable_services = self._table(
            "avoidable_services",
            ["Service", "Avoidable", "% of avoidable", "% of its finished visits"],
        )
        self.survey_sites = self._table(
            "survey_sites", ["Site", *[SURVEY_SHORT[key] for key, _, _ in SURVEY]]
        )
        self.comments = self._table("comments", ["Site", "Date", "Comment"])
        self.told = self._table(
            "told",
            ["How the wait told was worked out", "Mean error", "Within 5 min", "12-14 error"],
        )
        self.staffing = self._table(
            "staffing",
            ["Site and day", "Hour", "Walk-ins an hour", "CSAs needed", "Called in time"],
        )
        planning = self.grids["Waits told and staffing"]
        planning.addWidget(
            QLabel(
                "The wait each visitor was told (replayed over the period, knowing only what "
                "was known at their arrival) against the wait that followed, beside two "
                "simple estimates."
            ),
            0,
            0,
        )
        planning.addWidget(self.told, 1, 0)
        self.staffing_title = QLabel("CSAs needed each hour, from the last six weeks")
        planning.addWidget(self.staffing_title, 2, 0)
        planning.addWidget(self.staffing, 3, 0)
        planning.setRowStretch(1, 1)
        planning.setRowStretch(3, 3)
        for label_ in planning.parentWidget().findChildren(QLabel):
            label_.setWordWrap(True)
        self.views: list[QChartView] = []
        self.report: dict[str, Any] | None = None

    # -- filters --------------------------------------------------------------------

    def _quarter_chosen(self) -> None:
        dates = not self.quarter.currentData()
        self.start.setEnabled(dates)
        self.end.setEnabled(dates)

    def figures_text(self, row: int) -> str:
        return self.table.item(row, 0).text()

    def period(self) -> Period:
        chosen = self.quarter.currentData()
        if chosen:
            return Period.quarter(chosen)
        return Period(self.start.date().toPython(), self.end.date().toPython())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closed: a count in flight finishes its part, the rest is not started, and no
        job holds the database once the window is gone (so it can be closed after)."""
        self.closing = True
        self.pool.clear()
        self.pool.waitForDone()
        super().closeEvent(event)

    def show_report(self) -> None:
        """Count the report on the window's worker; `computed` or `failed` answers."""
        try:
            period = self.period()
        except DomainError as error:
            self._failed(str(error))
            return
        site = self.site.currentData()
        self.error.setText("Counting…")
        self.run.setEnabled(False)
        self.closing = False
        self.pool.start(_ReportJob(self, [site] if site else None, period))

    def _failed(self, message: str) -> None:
        self.run.setEnabled(True)
        self.error.setText(message)

    # -- showing a report -----------------------------------------------------------

    def _show(self, report: dict[str, Any]) -> None:
        self.run.setEnabled(True)
        self.error.setText("")
        self.report = report
        self.services = report["service_names"]
        rows = [(label, show(report[key], unit)) for key, label, unit in HEADLINES]
        rows += [(label, show(report["survey"][key], unit)) for key, label, unit in SURVEY]
        self._fill(self.table, rows)
        self._fill(
            self.avoidable_reasons,
            [
                (reason or "(none given)", n, show(report["avoidable_by_reason_pct"][reason], "%"))
                for reason, n in report["avoidable_by_reason"].items()
            ],
        )
        self._fill(
            self.avoidable_services,
            [
                (
                    self.services.get(service, service),
                    n,
                    show(report["avoidable_by_service_pct"][service], "%"),
                    show(report["avoidable_rate_by_service_pct"][service], "%"),
                )
                for service, n in report["avoidable_by_service"].items()
            ],
        )
        survey = report["survey"]
        self._fill(
            self.survey_sites,
            [
                (self.names.get(code, code), *[show(f[key], unit) for key, _, unit in SURVEY])
                for code, f in survey["by_site"].items()
            ],
        )
        self._fill(
            self.comments,
            [
                (self.names.get(c["site"], c["site"]), c["date"], c["comment"])
                for c in survey["comments"]
            ],
        )
        for view in self.views:
            view.setParent(None)
            view.deleteLater()
        waits = self.grids["Waits and visits"]
        services = self.grids["Services and avoidable contact"]
        opinions = self.grids["Survey"]
        for layout in (waits, services, opinions):
            while layout.count():
                layout.takeAt(0)
        self.views = [
            self._waits(report["wait_distribution"]),
            self._counts("Visits by hour of arrival", report["visits_by_hour"]),
            self._counts("Visits by weekday", report["visits_by_weekday"], short=3),
            self._trend(report["months"]),
            self._services(report["visits_by_service"]),
            self._satisfaction(survey["by_site"]),
        ]
        for index, view in enumerate(self.views[:4]):
            waits.addWidget(view, index // 2, index % 2)
        services.addWidget(self.views[4], 0, 0, 1, 2)
        services.addWidget(self.avoidable_reasons, 1, 0)
        services.addWidget(self.avoidable_services, 1, 1)
        services.setRowStretch(0, 3)
        services.setRowStretch(1, 2)
        opinions.addWidget(self.views[5], 0, 0)
        opinions.addWidget(self.survey_sites, 1, 0)
        opinions.addWidget(self.comments, 2, 0)
        opinions.setRowStretch(0, 3)
        opinions.setRowStretch(1, 1)
        opinions.setRowStretch(2, 2)
        for view in self.views:
            view.setMinimumSize(340, 240)
            view.show()

    def _show_planning(self, planning: dict[str, Any]) -> None:
        told = planning["told"]
        names = {
            "predictor": "The wait predictor (what visitors are told)",
            "queue_length": "Visitors ahead x mean time / desks open",
            "last_called": "The wait of the last visitor called",
        }
        errors, within = told["mean_absolute_error_minutes"], told["within_5_minutes_pct"]
        lunch = told["12_14"]["mean_absolute_error_minutes"]
        self._fill(
            self.told,
            [
                (name, f"{errors[key]:.1f} min", f"{within[key]:.1f}%", f"{lunch[key]:.1f} min")
                for key, name in names.items()
            ]
            if told["visitors"]
            else [("No visitors called in the period", "-", "-", "-")],
        )
        rows = []
        for advice in planning["staffing"]:
            when = f"{self.names.get(advice['site'], advice['site'])}, {advice['weekday']}"
            for hour in advice["hours"]:
                rows.append(
                    (
                        when,
                        hour["hour"],
                        hour["arrivals_per_hour"],
                        hour["csas"],
                        f"{hour['called_in_time_pct']:.1f}%",
                    )
                )
        self._fill(self.staffing, rows or [("No history to plan from yet", "", "", "", "")])
        if told["visitors"]:  # beside the other figures
            count = self.table.rowCount()
            self.table.setRowCount(count + 2)
            for offset, (label_, value) in enumerate(
                (
                    ("Waits told: mean error", f"{errors['predictor']:.1f} min"),
                    ("Waits told: within 5 minutes", f"{within['predictor']:.1f}%"),
                )
            ):
                self.table.setItem(count + offset, 0, QTableWidgetItem(label_))
                item = QTableWidgetItem(value)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(count + offset, 1, item)

    def _table(self, name: str, columns: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(columns))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(columns)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(columns) - 1 if name == "comments" else 0, STRETCH)
        return table

    def _fill(self, table: QTableWidget, rows: list[tuple[Any, ...]]) -> None:
        table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for column, value in enumerate(row):
                item = QTableWidgetItem(str(value))
                item.setToolTip(str(value))
                if column > 0 and table is not self.comments:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(index, column, item)
        table.resizeRowsToContents()

    # -- charts ---------------------------------------------------------------------

    @staticmethod
    def _chart(title: str, legend: bool = False) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setVisible(legend)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(0, 0, 0, 0))
        return chart

    @staticmethod
    def _view(chart: QChart) -> QChartView:
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        return view

    def _counts(self, title: str, data: dict[str, int], short: int = 0) -> QChartView:
        """Bars of counts; `short` cuts the category labels to that many letters."""
        bars = QBarSet("Visits")
        bars.setColor(BLUE)
        bars.setLabelColor(QColor("white"))
        bars.append([float(v) for v in data.values()])
        series = QBarSeries()
        series.append(bars)
        series.setBarWidth(0.8)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsInsideEnd)
        chart = self._chart(title)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([str(k)[:short] if short else str(k) for k in data] or ["-"])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = count_axis(max(data.values(), default=0))
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        return self._view(chart)

    def _waits(self, bands: dict[str, int]) -> QChartView:
        """Minutes from arrival to the call, in bands: green within the 15-minute serve
        target, red outside; dashed lines at 2 minutes (greet) and 15 (serve)."""
        within, outside = QBarSet("within 15 min"), QBarSet("over 15 min")
        within.setColor(WITHIN)
        outside.setColor(OUTSIDE)
        within.setLabelColor(QColor("white"))
        outside.setLabelColor(QColor("white"))
        for label, n in bands.items():
            within.append(float(n) if label in WITHIN_SERVE else 0.0)
            outside.append(0.0 if label in WITHIN_SERVE else float(n))
        series = QStackedBarSeries()
        series.append([within, outside])
        series.setBarWidth(0.8)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        chart = self._chart("Minutes from arrival to being called", legend=True)
        chart.addSeries(series)
        labels = [k.replace(" min", "").replace(" or more", "+") for k in bands]
        axis_x = QBarCategoryAxis()
        axis_x.append(labels)
        axis_x.setTitleText("minutes")
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = count_axis(max(bands.values(), default=0))
        axis_y.setTitleText("visits")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        # The target lines sit on the edges between bands: 2 minutes after "0-2",
        # 15 after "10-15"; a hidden value axis spans the categories' -0.5 .. n-0.5.
        edges = QValueAxis()
        edges.setRange(-0.5, len(labels) - 0.5)
        edges.setVisible(False)
        chart.addAxis(edges, Qt.AlignmentFlag.AlignBottom)
        ordered = list(bands)
        for name, after, style in (
            ("greet target", "0-2 min", Qt.PenStyle.DashLine),
            ("serve target", "10-15 min", Qt.PenStyle.SolidLine),
        ):
            if after not in ordered:
                continue
            x = ordered.index(after) + 0.5
            line = QLineSeries()
            line.setName(name)
            line.append(x, 0)
            line.append(x, axis_y.max())
            line.setPen(QPen(NAVY, 3, style))
            chart.addSeries(line)
            line.attachAxis(edges)
            line.attachAxis(axis_y)
        return self._view(chart)

    def _services(self, data: dict[str, int]) -> QChartView:
        # the biggest at the top, each service by its name
        ordered = sorted(
            ((self.services.get(k, k), n) for k, n in data.items()), key=lambda i: i[1]
        )
        bars = QBarSet("Visits")
        bars.setColor(BLUE)
        bars.append([float(n) for _, n in ordered])
        series = QHorizontalBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart = self._chart("Visits by service")
        chart.addSeries(series)
        axis_y = QBarCategoryAxis()
        axis_y.append([name for name, _ in ordered] or ["-"])
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        axis_x = count_axis(max(data.values(), default=0))
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        return self._view(chart)

    def _satisfaction(self, by_site: dict[str, dict[str, Any]]) -> QChartView:
        series = QBarSeries()
        answering = [(code, f) for code, f in by_site.items() if f["responses"]]
        for index, (code, figures) in enumerate(answering):  # a site with none: the table
            answered = figures["responses"]
            bars = QBarSet(
                f"{self.names.get(code, code)} ({answered} response{'s' if answered > 1 else ''})"
            )
            bars.setColor(SITE_COLOURS[index % len(SITE_COLOURS)])
            bars.append([float(figures[key] or 0) for key, _, _ in SURVEY[1:]])
            series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value%")
        chart = self._chart("Survey by site (% of those who answered)", legend=True)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(
            ["Query resolved", "Satisfied with CSA", "Satisfied overall", "Treated fairly"]
        )
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setRange(0, 110)
        axis_y.setTickType(QValueAxis.TickType.TicksDynamic)
        axis_y.setTickAnchor(0)
        axis_y.setTickInterval(20)
        axis_y.setLabelFormat("%d%%")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        aim = QLineSeries()
        aim.setName("95% aim")
        edges = QValueAxis()
        edges.setRange(-0.5, 3.5)
        edges.setVisible(False)
        chart.addAxis(edges, Qt.AlignmentFlag.AlignBottom)
        aim.append(-0.5, 95)
        aim.append(3.5, 95)
        aim.setPen(QPen(NAVY, 2, Qt.PenStyle.DashLine))
        chart.addSeries(aim)
        aim.attachAxis(edges)
        aim.attachAxis(axis_y)
        return self._view(chart)

    def _trend(self, months: list[dict[str, Any]]) -> QChartView:
        series = QLineSeries()
        series.setName("Average wait (min)")
        series.setColor(NAVY)
        series.setPointsVisible(True)
        series.setPointLabelsVisible(True)
        series.setPointLabelsFormat("@yPoint")
        for index, month in enumerate(months):
            if month["average_wait_minutes"] is not None:  # a month with nobody called: no point
                series.append(index, float(month["average_wait_minutes"]))
        chart = self._chart("Average wait to be called, month by month (minutes)")
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([m["month"] for m in months] or ["-"])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = count_axis(max([float(m["average_wait_minutes"] or 0) for m in months] + [1.0]))
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        return self._view(chart)
