"""The load test runs end to end, scaled down, on the suite's PostgreSQL server: every
actor its own connection, zero errors, every call shown by its site's display; its
exit status follows its targets, and a bad option exits 2 with usage."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SITES, DESKS, KIOSKS = 3, 4, 2


@pytest.mark.slow
@pytest.mark.postgres
def test_a_small_council_runs_without_errors_and_reports_every_figure(pg_url: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.benchmarks.load_bench",
            *("--db", pg_url, "--sites", str(SITES), "--desks", str(DESKS)),
            *("--kiosks", str(KIOSKS), "--minutes", "0.2", "--peak-factor", "40"),
            *("--processes", "2", "--json"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr[-2000:]
    figures = json.loads(result.stdout)
    assert result.returncode == (0 if figures["targets_met"] else 1)
    assert figures["errors"] == 0, figures["error_examples"]
    assert figures["checkins"] > 0 and figures["calls"] > 0 and figures["finishes"] > 0
    shown = figures["call_to_display_ms"]
    assert shown["count"] == figures["calls"]  # every call reached its display
    assert 0 < shown["median"] <= shown["p95"] <= shown["max"]
    assert figures["call_next_ms"]["count"] == figures["calls"]
    assert figures["checkin_ms"]["count"] == figures["checkins"]
    # Each desk and kiosk its own connection, each display two (its reads, its LISTEN).
    assert figures["connections"]["max"] >= SITES * (DESKS + KIOSKS + 2)
    rate = figures["arrival_rate"]
    assert rate["asked_per_hour"] == pytest.approx(
        figures["asked"]["peak_hour_visitors_per_site"] * 40 * SITES, rel=0.01
    )
    assert rate["achieved_per_hour"] > 0
    assert figures["desk_refreshes"] > 0 and figures["link_steps"] > 0
    assert figures["notifications"] > 0
    assert figures["queue"]["at_end"] >= 0
    assert {t["target"].split(":")[0] for t in figures["targets"]} == {
        "errors",
        "call to display",
        "kiosks kept to their arrivals",
    }


@pytest.mark.parametrize(
    "argv",
    [["--minutes", "ten"], ["--sites", "0"], ["--db", "sqlite:///x.db"], ["--bogus"]],
)
def test_a_bad_option_exits_2_with_usage(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.load_bench", *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "usage:" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_cannot_be_reached_exits_2_with_a_clear_message() -> None:
    from tests.pg import free_port

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"
    result = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.load_bench", "--db", url],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("load test: the database cannot be used:")
    assert "Traceback" not in result.stderr
