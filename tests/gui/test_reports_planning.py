"""The supervisors' view tells how good the waits told were, and how many CSAs each hour of
the next opening day needs, from history imported as a council would import it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from reception.reports_view import ReportsWindow, next_open_day
from shared.office import Office
from shared.reports.history import import_visits
from shared.store import Database
from tests.integration.test_prediction_report import DAYS, history_file

SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "reports"


@pytest.fixture
def window(qtbot, sqlite_url: str, tmp_path: Path):
    db = Database(sqlite_url)
    Office(db).ensure_default_sites()
    history_file(tmp_path / "history.csv")
    import_visits(db, tmp_path / "history.csv")
    today = DAYS[-1]  # Wednesday 11 March 2026
    window = ReportsWindow(db, ["bootle", "southport"], today=today)
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    yield window
    window.close()
    db.dispose()


def cells(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_waits_told_and_the_staffing_advice(qtbot, window: ReportsWindow) -> None:
    window.quarter.setCurrentIndex(window.quarter.findData(""))  # dates
    window.start.setDate(DAYS[-3])
    window.end.setDate(DAYS[-1])
    window.site.setCurrentIndex(window.site.findData("bootle"))
    with qtbot.waitSignal(window.planned, timeout=120_000):
        qtbot.mouseClick(window.run, Qt.MouseButton.LeftButton)
    told = cells(window.told)
    assert [row[0] for row in told] == [
        "The wait predictor (what visitors are told)",
        "Visitors ahead x mean time / desks open",
        "The wait of the last visitor called",
    ]
    errors = [float(row[1].split()[0]) for row in told]
    assert errors[0] < errors[1] and errors[0] < errors[2]
    figures = cells(window.table)
    assert figures[-2][0] == "Waits told: mean error" and figures[-2][1] == told[0][1]
    staffing = cells(window.staffing)
    assert staffing[0][0] == "Bootle One Stop Shop, Thursday"  # the next opening day
    assert all(int(row[3]) >= 1 for row in staffing)
    assert 200 < sum(float(row[2]) for row in staffing) < 360  # one Thursday of ~280 walk-ins
    busiest = max(staffing, key=lambda row: float(row[2]))
    assert "11:00" <= busiest[1] <= "13:00"  # around lunchtime
    window.tabs.setCurrentIndex(3)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "waits-told-and-staffing.png"))


def test_the_next_opening_day_skips_the_weekend() -> None:
    from shared.config import load_site

    site = load_site(Path(__file__).resolve().parents[2] / "resources" / "sites" / "bootle.toml")
    assert next_open_day(site, date(2026, 3, 13)) == date(2026, 3, 16)  # Friday -> Monday
    assert next_open_day(site, date(2026, 3, 10)) == date(2026, 3, 11)
