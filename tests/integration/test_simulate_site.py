"""`onestop simulate --site S`: a day at the site planned from its history, simulated with
its own desks and rules, reported with the charter's figures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from tests.integration.test_prediction_report import DAYS, history_file, onestop


def simulate(db_url: str, *args: str) -> dict:
    done = onestop(db_url, "simulate", "--site", "bootle", *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_site_without_history_gets_a_typical_day(sqlite_url: str) -> None:
    day = simulate(sqlite_url, "--date", "2026-12-02", "--days", "5")
    assert day["planned_from"].startswith("250 walk-ins")  # 25 a desk at Bootle's 10 desks
    assert 200 < day["visitors"] < 300
    for key in ("greet_target_met_pct", "serve_target_met_pct", "average_wait_minutes"):
        assert day[key] is not None
    assert 0 <= day["serve_target_met_pct"] <= 100
    peak = max(day["queue_by_half_hour"], key=lambda slot: day["queue_by_half_hour"][slot])
    assert "11:00" <= peak <= "14:30"  # the lunchtime peak, with desks at lunch


def test_the_day_is_planned_from_the_same_weekday_in_the_history(
    db_url: str, tmp_path: Path
) -> None:
    history_file(tmp_path / "history.csv")
    assert onestop(db_url, "import", "visits", str(tmp_path / "history.csv")).returncode == 0
    monday = DAYS[-3]  # the history holds two Mondays, 2 and 9 March
    next_monday = date.fromordinal(monday.toordinal() + 7)
    day = simulate(db_url, "--date", next_monday.isoformat(), "--weeks", "2", "--days", "4")
    assert day["planned_from"] == "the last 2 Mondays"
    assert 230 < day["visitors"] < 330  # about the 280 a day the history had


def test_more_visitors_make_longer_waits(sqlite_url: str) -> None:
    calm = simulate(sqlite_url, "--visitors", "150", "--days", "4", "--date", "2026-12-02")
    busy = simulate(sqlite_url, "--visitors", "330", "--days", "4", "--date", "2026-12-02")
    assert busy["average_wait_minutes"] > calm["average_wait_minutes"]
    assert busy["serve_target_met_pct"] < calm["serve_target_met_pct"]


def test_the_plain_queue_is_still_there_and_text_is_drawn(sqlite_url: str) -> None:
    plain = onestop(
        sqlite_url,
        "simulate",
        "--arrivals-per-hour",
        "20",
        "--mean-service-minutes",
        "10",
        "--desks",
        "5",
        "--json",
    )
    assert "erlang_c" in json.loads(plain.stdout)
    text = onestop(sqlite_url, "simulate", "--site", "bootle", "--days", "2")
    assert text.returncode == 0 and "queue by half hour" in text.stdout
    assert "called within 15 min" in text.stdout


def test_bad_numbers_are_refused_plainly(sqlite_url: str) -> None:
    for args in (["--days", "0"], ["--weeks", "0"], ["--visitors", "-5"], ["--date", "tomorrow"]):
        done = onestop(sqlite_url, "simulate", "--site", "bootle", *args)
        assert done.returncode == 2, args
        assert "Traceback" not in done.stderr
    unknown = onestop(sqlite_url, "simulate", "--site", "nowhere")
    assert unknown.returncode == 2 and "no site 'nowhere'" in unknown.stderr
