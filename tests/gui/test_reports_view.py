"""The supervisors' Reports view, driven as a supervisor drives it (real Qt window, offscreen)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCharts import QLineSeries, QStackedBarSeries, QValueAxis
from PySide6.QtCore import Qt

from reception.reports_view import ReportsWindow
from shared.office import Office
from shared.reports.history import import_visits
from shared.store import Database
from tests.integration.test_reports import HEADER, ROWS

SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "reports"


@pytest.fixture
def window(qtbot, db_url: str, tmp_path: Path):
    db = Database(db_url)
    Office(db).ensure_default_sites()
    path = tmp_path / "history.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n")
    import_visits(db, path)
    window = ReportsWindow(db, ["bootle", "southport"], today=date(2025, 10, 15))
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    yield window
    window.close()
    db.dispose()


def show(qtbot, window: ReportsWindow, quarter: str, site: str = "") -> None:
    window.quarter.setCurrentIndex(window.quarter.findData(quarter))
    window.site.setCurrentIndex(window.site.findData(site))
    with qtbot.waitSignal(window.computed, timeout=30_000):
        qtbot.mouseClick(window.run, Qt.MouseButton.LeftButton)
    assert window.run.isEnabled() and window.error.text() == ""


def cells(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_dates_are_for_a_range_and_off_for_a_quarter(window) -> None:
    assert window.quarter.currentData() == "2025-Q4"
    assert not window.start.isEnabled() and not window.end.isEnabled()
    window.quarter.setCurrentIndex(window.quarter.findData(""))
    assert window.start.isEnabled() and window.end.isEnabled()
    window.start.setDate(date(2025, 9, 30))
    window.end.setDate(date(2025, 7, 1))
    window.run.click()
    assert "ends before it starts" in window.error.text() and window.run.isEnabled()
    window.quarter.setCurrentIndex(window.quarter.findData("2025-Q3"))
    assert not window.start.isEnabled()


def test_the_waits_are_coloured_against_the_targets(qtbot, window) -> None:
    show(qtbot, window, "2025-Q3")
    figures = dict(cells(window.table))
    assert figures["Visits"] == "7" and figures["Average wait to see a CSA"] == "9.5 min"
    chart = window.views[0].chart()
    bars = next(s for s in chart.series() if isinstance(s, QStackedBarSeries))
    within, outside = bars.barSets()
    # waits 10, 20, 5, 4, 6 (Bootle) and 12 (Southport): 4 and 5 in "2-5", 6 and 10 in
    # "5-10", 12 in "10-15" (within 15 minutes); 20 in "15-20" (outside)
    assert [within.at(i) for i in range(7)] == [0, 2, 2, 1, 0, 0, 0]
    assert [outside.at(i) for i in range(7)] == [0, 0, 0, 0, 1, 0, 0]
    assert within.color().name() != outside.color().name()
    lines = {s.name(): s.at(0).x() for s in chart.series() if isinstance(s, QLineSeries)}
    assert lines == {"greet target": 0.5, "serve target": 3.5}  # 2 and 15 minutes, band edges
    for view in window.views[:3]:  # counts: whole-number ticks, no decimals
        axis = next(
            a
            for a in view.chart().axes(Qt.Orientation.Vertical)
            if isinstance(a, QValueAxis) and a.isVisible()
        )
        assert axis.labelFormat() == "%d" and axis.tickInterval() == int(axis.tickInterval())
        assert axis.max() % axis.tickInterval() == 0


def test_closed_while_counting_no_job_is_left_holding_the_database(qtbot, window) -> None:
    show(qtbot, window, "2025-Q3")  # the figures are in; the waits told are being replayed
    window.close()
    assert window.pool.activeThreadCount() == 0  # the fixture then closes the database


def test_the_survey_by_site_comments_services_and_avoidable_contact(qtbot, window) -> None:
    show(qtbot, window, "2025-Q3")
    assert cells(window.survey_sites) == [
        ["Bootle One Stop Shop", "3", "50.0%", "66.7%", "50.0%", "100.0%"],
        ["Southport One Stop Shop", "0", "n/a", "n/a", "n/a", "n/a"],
    ]
    assert cells(window.comments) == [["Bootle One Stop Shop", "2025-07-01", "Very helpful"]]
    assert cells(window.avoidable_reasons) == [["not recorded", "1", "100.0%"]]
    assert cells(window.avoidable_services) == [["Council Tax", "1", "100.0%", "33.3%"]]
    services = window.views[4].chart()
    visits = services.series()[0].barSets()[0]
    assert [visits.at(i) for i in range(visits.count())] == [1, 1, 2, 3]  # the biggest on top
    assert services.axes(Qt.Orientation.Vertical)[0].categories()[-1] == "Council Tax"
    satisfaction = window.views[5].chart().series()[0].barSets()  # Southport has no answers
    assert [s.label() for s in satisfaction] == ["Bootle One Stop Shop (3 responses)"]
    weekdays = window.views[2].chart().axes(Qt.Orientation.Horizontal)[0].categories()
    assert weekdays == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(50)
        window.grab().save(str(SHOTS / f"reports-{index + 1}.png"))


def test_a_single_site_shows_only_its_figures(qtbot, window) -> None:
    show(qtbot, window, "2025-Q3", "southport")
    assert dict(cells(window.table))["Visits"] == "1"
    assert [row[0] for row in cells(window.survey_sites)] == ["Southport One Stop Shop"]
    assert cells(window.comments) == []
