"""The day simulator agrees with the Erlang C formula for the M/M/c queue (long runs)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from shared.planning.erlang import ErlangC
from shared.planning.simulate import simulate_mmc


def test_erlang_c_textbook_values() -> None:
    # 2 desks, a = 1 Erlang: C = 1/3; mean wait = C / (2μ - λ) with μ = 1/10 per minute.
    queue = ErlangC(arrivals_per_hour=6, mean_service_minutes=10, desks=2)
    assert queue.probability_of_waiting() == pytest.approx(1 / 3)
    assert queue.mean_wait_minutes() == pytest.approx((1 / 3) / (0.2 - 0.1))
    with pytest.raises(ValueError, match="cannot keep up"):
        ErlangC(60, 10, 9)


@pytest.mark.parametrize(("arrivals", "service", "desks"), [(20, 10, 5), (40, 10, 8), (30, 12, 7)])
def test_long_runs_agree_with_erlang_c_within_5_percent(arrivals, service, desks) -> None:
    exact = ErlangC(arrivals, service, desks)
    runs = [
        simulate_mmc(arrivals, service, desks, 2500, seed, warm_up_hours=10) for seed in range(6)
    ]
    waits = statistics.fmean(r.average_wait_minutes() for r in runs)
    within = statistics.fmean(r.share_within(15) for r in runs)
    assert waits == pytest.approx(exact.mean_wait_minutes(), rel=0.05)
    assert within == pytest.approx(100 * exact.share_within(15), rel=0.05)


def test_the_command_prints_the_mmc_figures() -> None:
    onestop = str(Path(sys.executable).with_name("onestop"))
    result = subprocess.run(
        [
            onestop,
            "simulate",
            "--arrivals-per-hour",
            "20",
            "--mean-service-minutes",
            "10",
            "--desks",
            "5",
            "--hours",
            "8",
            "--seed",
            "4",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"average_wait_minutes", "serve_target_met_pct"} <= set(data)
    assert data["erlang_c"]["average_wait_minutes"] == pytest.approx(1.96, abs=0.01)
    again = subprocess.run(
        [
            onestop,
            "simulate",
            "--arrivals-per-hour",
            "20",
            "--mean-service-minutes",
            "10",
            "--desks",
            "5",
            "--hours",
            "8",
            "--seed",
            "4",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(again.stdout) == data  # the same seed, the same day


@pytest.mark.parametrize(("arrivals", "service"), [(5, 10), (12, 14), (20, 10), (40, 12)])
def test_staffing_is_the_smallest_number_that_meets_the_target(arrivals, service) -> None:
    from shared.planning.staffing import csas_needed

    needed = csas_needed(arrivals, service, 15, 0.9)
    assert ErlangC(arrivals, service, needed).share_within(15) >= 0.9
    try:
        fewer = ErlangC(arrivals, service, needed - 1).share_within(15)
    except ValueError:
        fewer = 0.0  # one fewer cannot keep up at all
    assert needed == 1 or fewer < 0.9


def test_staffing_from_history(sqlite_url, tmp_path) -> None:
    from datetime import date

    from shared.office import Office
    from shared.planning.staffing import advise
    from shared.reports.history import import_visits
    from shared.store import Database

    rows = []
    for week in range(1, 5):  # four Tuesdays, 6 visitors at 10:00-10:59 each, 12 minutes a visit
        day = date(2025, 9, 30).toordinal() - 7 * week
        d = date.fromordinal(day).isoformat()
        for n in range(6):
            rows.append(
                f"bootle,council-tax,C{week}{n:02d},{d}T10:{n * 9:02d}:00+01:00,,"
                f"{d}T10:{n * 9 + 1:02d}:00+01:00,{d}T10:{n * 9 + 13:02d}:00+01:00,"
                "Desk 1,,resolved,,,,,"
            )
    path = tmp_path / "h.csv"
    path.write_text(
        "site,service,ticket,arrived_at,greeted_at,called_at,finished_at,desk,"
        "appointment_at,outcome,survey_resolved,survey_csa,survey_overall,survey_fair,"
        "survey_comment\n" + "\n".join(rows) + "\n"
    )
    db = Database(sqlite_url)
    Office(db).ensure_default_sites()
    import_visits(db, path)
    advice = advise(db, "bootle", date(2025, 9, 30), weeks=4)
    assert advice["mean_service_minutes"] == 12.0
    assert [(h["hour"], h["arrivals_per_hour"]) for h in advice["hours"]] == [("10:00", 6.0)]
    assert advice["hours"][0]["csas"] == csas_for(6.0, 12.0)
    db.dispose()


def csas_for(arrivals: float, service: float) -> int:
    desks = 1
    while True:
        try:
            if ErlangC(arrivals, service, desks).share_within(15) >= 0.9:
                return desks
        except ValueError:
            pass
        desks += 1
