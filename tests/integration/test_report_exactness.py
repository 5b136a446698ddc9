"""Report figures at their edges, on both databases: waits of exactly the target,
a millisecond or a second over it, averages and percentiles ending in 5."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from shared.office import Office
from shared.reports.history import import_visits
from shared.reports.kpis import Period, compute
from shared.reports.render import statement
from shared.store import Database
from tests.integration.test_reports import HEADER

NAMES = {"bootle": "Bootle One Stop Shop"}


def visit(
    ticket: str, arrived: str, called: str, *, greeted: str = "", appointment: str = ""
) -> str:
    """A Bootle council-tax visit on Tuesday 1 July 2025 (BST): times as HH:MM:SS[.fff]."""

    def at(clock: str) -> str:
        return f"2025-07-01T{clock}+01:00" if clock else ""

    return (
        f"bootle,council-tax,{ticket},{at(arrived)},{at(greeted)},{at(called)},"
        f"{at('16:00:00')},Desk 1,{at(appointment)},resolved,,,,,"
    )


@pytest.fixture
def load(db_url: str, tmp_path: Path):
    db = Database(db_url)
    Office(db).ensure_default_sites()

    def load(*rows: str, day: date = date(2025, 7, 1)) -> dict:
        """Import the rows; the report for Bootle on that day."""
        path = tmp_path / "history.csv"
        path.write_text(HEADER + "\n".join(rows) + "\n")
        import_visits(db, path)
        return compute(db, ["bootle"], Period(day, day))

    load.db = db

    yield load
    db.dispose()


def test_a_wait_of_exactly_the_target_meets_it(load) -> None:
    report = load(
        # greeted at exactly 2 minutes, called at exactly 15: both in time
        visit("C001", "09:00:00", "09:15:00", greeted="09:02:00"),
        # a second over each: both late
        visit("C002", "10:00:00", "10:15:01", greeted="10:02:01"),
        # a millisecond over the greet target: late; called at 14:59.999: in time
        visit("C003", "12:00:00", "12:14:59.999", greeted="12:02:00.001"),
        # appointment at 11:00, arrived early, called at exactly 11:05: on time
        visit("H001", "10:50:00", "11:05:00", greeted="10:52:00", appointment="11:00:00"),
        # appointment at 11:00, came late at 11:10, called exactly 5 minutes later: on time
        visit("H002", "11:10:00", "11:15:00", greeted="11:10:30", appointment="11:00:00"),
        # appointment at 15:00, called a second after the grace: late
        visit("H003", "14:55:00", "15:05:01", greeted="14:56:00", appointment="15:00:00"),
    )
    assert report["visits"] == 6
    assert report["greet_target_met_pct"] == 66.7  # C001, H001, H002, H003 of 6
    assert report["serve_target_met_pct"] == 83.3  # all but C002 (15:01)
    assert report["appointments_on_time_pct"] == 66.7  # H001, H002 of 3
    assert report["greet_target_met_pct_12_14"] == 0.0  # C003 (2:00.001)
    assert report["serve_target_met_pct_12_14"] == 100.0  # C003 (14:59.999)
    # 15:00 (twice), 14:59.999 and 10:01 are in "10-15 min", 15:01 in "15-20", 5:00 in "2-5"
    assert report["wait_distribution"] == {
        "0-2 min": 0,
        "2-5 min": 1,
        "5-10 min": 0,
        "10-15 min": 4,
        "15-20 min": 1,
        "20-30 min": 0,
        "30 min or more": 0,
    }


def test_an_average_ending_in_5_rounds_half_up(load) -> None:
    report = load(visit("C001", "09:00:00", "09:12:15"))  # 12.25 minutes
    assert report["average_wait_minutes"] == 12.3
    assert report["p90_wait_minutes"] == 12.3
    assert report["average_wait_whole_minutes"] == 12


def test_the_90th_percentile_is_exact_and_rounds_half_up(load) -> None:
    # waits 3, 5, 9, 9.5, 14, 15, 21, 25.5 min: position 0.9 x 7 = 6.3, so
    # 21 + 0.3 x (25.5 - 21) = 22.35 -> 22.4 (a float percentile gave 22.349999 -> 22.3)
    waits = ["09:03:00", "09:05:00", "09:09:00", "09:09:30", "09:14:00", "09:15:00"]
    waits += ["09:21:00", "09:25:30"]
    report = load(*[visit(f"C{n:03d}", "09:00:00", w) for n, w in enumerate(waits, start=1)])
    assert report["p90_wait_minutes"] == 22.4
    assert report["average_wait_minutes"] == 12.8  # 102 / 8 = 12.75 -> 12.8


def test_the_whole_minutes_come_from_the_exact_average(load) -> None:
    # 10 and 11 minutes: 10.5 -> 11 (Python's round would give 10)
    report = load(visit("C001", "09:00:00", "09:10:00"), visit("C002", "09:00:00", "09:11:00"))
    assert report["average_wait_minutes"] == 10.5 and report["average_wait_whole_minutes"] == 11


def test_the_whole_minutes_are_not_rounded_twice(load) -> None:
    # 9 min 27.6 s = 9.46 minutes: 9.5 to one decimal, but 9 whole minutes (not 10)
    report = load(visit("C001", "09:00:00", "09:09:27.600"))
    assert report["average_wait_minutes"] == 9.5 and report["average_wait_whole_minutes"] == 9
    assert "CSA, at Bootle One Stop Shop, was 9 minutes." in statement(report, NAMES)


def test_a_share_ending_in_5_rounds_half_up(load) -> None:
    # 16 visits, 3 greeted within 2 minutes: 18.75% -> 18.8 (banker's rounding: 18.8 too,
    # so also 1 of 16 called within 15: 6.25% -> 6.3, where banker's gives 6.2)
    rows = [
        visit(f"C{n:03d}", "09:00:00", "09:14:00" if n == 1 else "09:20:00", greeted=greeted)
        for n, greeted in enumerate(["09:01:00"] * 3 + ["09:05:00"] * 13, start=1)
    ]
    report = load(*rows)
    assert report["greet_target_met_pct"] == 18.8
    assert report["serve_target_met_pct"] == 6.3


def test_the_spring_clock_change_does_not_distort_a_wait(load) -> None:
    # Sunday 30 March 2025: at 01:00 GMT the clocks go forward to 02:00 BST.
    report = load(
        # arrived 00:50 GMT, greeted 02:01 BST (01:01Z: 11 min), called 02:10 BST (20 min)
        "bootle,council-tax,C001,2025-03-30T00:50:00+00:00,2025-03-30T02:01:00+01:00,"
        "2025-03-30T02:10:00+01:00,2025-03-30T02:30:00+01:00,Desk 1,,resolved,,,,,",
        # arrived 02:30 BST, greeted after 90 s, called 10 minutes later
        "bootle,council-tax,C002,2025-03-30T02:30:00+01:00,2025-03-30T02:31:30+01:00,"
        "2025-03-30T02:40:00+01:00,2025-03-30T02:50:00+01:00,Desk 1,,resolved,,,,,",
        day=date(2025, 3, 30),
    )
    assert report["visits"] == 2
    assert report["average_wait_minutes"] == 15.0  # (20 + 10) / 2, not (80 + 10) / 2
    assert report["greet_target_met_pct"] == 50.0 and report["serve_target_met_pct"] == 50.0
    assert report["visits_by_hour"]["00:00"] == 1 and report["visits_by_hour"]["02:00"] == 1
    assert "01:00" not in report["visits_by_hour"]  # that hour did not happen
    assert report["visits_by_weekday"]["Sunday"] == 2


def test_a_visit_belongs_to_the_day_it_arrived_across_midnight(load) -> None:
    late = (
        "bootle,council-tax,C001,2025-07-01T23:55:00+01:00,,2025-07-02T00:07:00+01:00,"
        "2025-07-02T00:20:00+01:00,Desk 1,,resolved,,,,,"
    )
    first = load(late)
    assert first["visits"] == 1 and first["average_wait_minutes"] == 12.0
    assert first["visits_by_hour"]["23:00"] == 1
    second = compute(load.db, ["bootle"], Period(date(2025, 7, 2), date(2025, 7, 2)))
    assert second["visits"] == 0


@pytest.mark.postgres
def test_both_databases_give_the_same_report(sqlite_url: str, pg_url: str) -> None:
    """The same generated history (waits to the microsecond) on SQLite and PostgreSQL:
    every figure of the report is the same, to the last decimal."""
    import random

    from tests.benchmarks.report_bench import generate

    reports = []
    for url in (sqlite_url, pg_url):
        db = Database(url)
        Office(db).ensure_default_sites()
        generate(db, date(2025, 6, 1), date(2025, 9, 30), 40, random.Random(11))
        reports.append(compute(db, None, Period.quarter("2025-Q3")))
        db.dispose()
    sqlite, postgres = reports
    assert sqlite["visits"] == 40 * 66 and sqlite["p90_wait_minutes"] is not None
    assert sqlite == postgres
