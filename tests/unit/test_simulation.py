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
