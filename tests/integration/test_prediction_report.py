"""`onestop report prediction`: the predictor replayed over history imported as a council
would import it, against the naive estimates; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from shared.config import load_site
from shared.demo import MIX
from shared.planning.daysim import plan_from_rates, simulate_day
from shared.reports.history import COLUMNS

ROOT = Path(__file__).resolve().parents[2]
ONESTOP = str(Path(sys.executable).with_name("onestop"))
DAYS = [date(2026, 3, 2) + timedelta(days=d) for d in (0, 1, 2, 3, 4, 7, 8, 9)]  # weekdays


def history_file(path: Path) -> int:
    """Simulated Bootle days written as the history import's CSV; the visits called in
    the last three days (the period reported)."""
    site = load_site(ROOT / "resources" / "sites" / "bootle.toml")
    called = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for index, day in enumerate(DAYS):
            plan = plan_from_rates(site, 280, dict(MIX), appointments_per_hour=1, seed=index)
            for visit in simulate_day(site, day, plan, seed=index).visits:
                out.writerow(
                    [
                        "bootle",
                        visit.service,
                        visit.ticket,
                        visit.arrived_at.isoformat(),
                        visit.greeted_at.isoformat() if visit.greeted_at else "",
                        visit.called_at.isoformat(),
                        visit.ended_at.isoformat(),
                        visit.desk,
                        visit.appointment_at.isoformat() if visit.appointment_at else "",
                        "resolved",
                    ]
                    + [""] * 5
                )
                called += day >= DAYS[-3]
    return called


def onestop(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ONESTOP, "--db", db_url, *args], capture_output=True, text=True, timeout=600
    )


def test_the_told_waits_are_measured_over_the_history(db_url: str, tmp_path: Path) -> None:
    called = history_file(tmp_path / "history.csv")
    imported = onestop(db_url, "import", "visits", str(tmp_path / "history.csv"))
    assert imported.returncode == 0, imported.stderr
    period = ["--from", DAYS[-3].isoformat(), "--to", DAYS[-1].isoformat()]
    done = onestop(db_url, "report", "prediction", "--site", "bootle", *period, "--json")
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    assert figures["visitors"] == called
    errors = figures["mean_absolute_error_minutes"]
    assert set(errors) == {"predictor", "queue_length", "last_called"}
    assert errors["predictor"] < errors["queue_length"]
    assert errors["predictor"] < errors["last_called"]
    assert 0 <= figures["within_5_minutes_pct"]["predictor"] <= 100
    assert figures["by_site"]["bootle"]["visitors"] == called
    assert figures["12_14"]["visitors"] > 0
    text = onestop(db_url, "report", "prediction", "--site", "bootle", *period)
    assert text.returncode == 0 and "the wait predictor" in text.stdout
    assert "12:00-14:00" in text.stdout


def test_the_prediction_report_refuses_what_it_cannot_do(db_url: str) -> None:
    wrong = onestop(db_url, "report", "prediction", "--site", "bootle", "--quarter", "2026-Q1")
    assert wrong.returncode == 0  # an empty quarter: nothing to measure, nothing wrong
    assert (
        json.loads(
            onestop(
                db_url, "report", "prediction", "--site", "bootle", "--quarter", "2026-Q1", "--json"
            ).stdout
        )["visitors"]
        == 0
    )
    pdf = onestop(
        db_url,
        "report",
        "prediction",
        "--site",
        "bootle",
        "--quarter",
        "2026-Q1",
        "--format",
        "pdf",
    )
    assert pdf.returncode == 2 and "text or json" in pdf.stderr
    backwards = onestop(
        db_url,
        "report",
        "prediction",
        "--site",
        "bootle",
        "--from",
        "2026-03-05",
        "--to",
        "2026-03-01",
    )
    assert backwards.returncode == 2 and "Traceback" not in backwards.stderr
