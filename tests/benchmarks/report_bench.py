"""Report benchmark: a quarter's charter figures over years of history.

    .venv/bin/python -m tests.benchmarks.report_bench [--years 5] [--per-day 1530]
        [--databases sqlite,postgres] [--repeat 5] [--json]

Generates history for Bootle and Southport (about 2 million visits for 5 years at
1,530 visits a weekday across the two sites, a lunchtime peak, survey answers for
one visit in ten), then times the report for the third quarter of the last year,
for both sites and for one site, several times (after one untimed run, so the
figures are not those of a cold cache just after generation). To show how time
grows with history size it first generates the last year alone and times the same
report there, then the other years. Finally it times the whole command a
supervisor runs, `onestop report --all-sites --quarter ... --format json` and
`--format pdf --out FILE` (a new process each time: start-up, imports, counting
and writing).

Target (issue 5): a quarter's report for both sites <= 2 s on SQLite and on
PostgreSQL with about 2 million visits.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text

from shared.office import Office
from shared.reports.kpis import Period, compute
from shared.store import Database
from shared.store.tables import site_t, survey_t, visit_t

LONDON = ZoneInfo("Europe/London")
SERVICES = [
    ("council-tax", "C"),
    ("payments", "Y"),
    ("housing-benefit", "H"),
    ("general-enquiries", "G"),
    ("parking", "P"),
    ("elas", "E"),
]
OUTCOMES = ["resolved"] * 80 + ["referred"] * 8 + ["avoidable"] * 7 + ["digital_assistance"] * 5
HOURS = [9] * 10 + [10] * 14 + [11] * 16 + [12] * 20 + [13] * 18 + [14] * 12 + [15] * 7 + [16] * 3


def generate(db: Database, start: date, end: date, per_day: int, rng: random.Random) -> int:
    with db.transaction(write=False) as tx:
        sites = dict(tx.conn.execute(select(site_t.c.code, site_t.c.id)).all())
    site_ids = [sites["bootle"], sites["southport"]]
    total = 0
    batch: list[dict[str, Any]] = []
    surveys: list[tuple[int, dict[str, Any]]] = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            counters: dict[tuple[int, str], int] = {}
            for _ in range(per_day):
                site_id = rng.choice(site_ids)
                service, letter = rng.choice(SERVICES)
                number = counters[(site_id, letter)] = counters.get((site_id, letter), 0) + 1
                local = datetime(
                    day.year,
                    day.month,
                    day.day,
                    rng.choice(HOURS),
                    rng.randrange(60),
                    rng.randrange(60),
                    tzinfo=LONDON,
                )
                arrived = local.astimezone(UTC)
                wait = timedelta(seconds=rng.expovariate(1 / 600))
                called = arrived + wait if rng.random() > 0.03 else None
                greeted = (
                    arrived + timedelta(seconds=rng.randrange(20, 240))
                    if rng.random() < 0.9
                    else None
                )
                if called is not None and (greeted is None or called < greeted):
                    greeted = called
                state, outcome, ended, serving = "left", None, arrived + timedelta(minutes=30), None
                if called is not None:
                    if rng.random() < 0.04:
                        state, ended = "no_show", called + timedelta(minutes=2)
                    else:
                        state, outcome = "finished", rng.choice(OUTCOMES)
                        serving = called + timedelta(seconds=45)
                        ended = serving + timedelta(minutes=rng.uniform(3, 25))
                batch.append(
                    {
                        "site_id": site_id,
                        "service": service,
                        "ticket": f"{letter}{number:03d}",
                        "ticket_day": day,
                        "state": state,
                        "priority": service == "elas",
                        "appointment_at": None,
                        "flags": "{}",
                        "arrived_at": arrived,
                        "greeted_at": greeted,
                        "first_called_at": called,
                        "called_at": called,
                        "call_count": 1 if called else 0,
                        "serving_at": serving,
                        "parked_at": None,
                        "ended_at": ended,
                        "desk": "Desk 1" if called else None,
                        "assigned_desk": None,
                        "transfers": 0,
                        "outcome": outcome,
                        "outcome_detail": "Could be done online"
                        if outcome == "avoidable"
                        else None,
                        "rank_class": 1 if service == "elas" else 2,
                        "rank_at": arrived,
                        "callable_at": arrived,
                        "arrived_hour": local.hour,
                    }
                )
                if state == "finished" and rng.random() < 0.1:
                    surveys.append(
                        (
                            len(batch) - 1,
                            {
                                "site_id": site_id,
                                "answered_at": ended,
                                "resolved": rng.random() < 0.97,
                                "csa": rng.choice([5, 5, 5, 4, 4, 3]),
                                "overall": rng.choice([5, 5, 4, 4, 3, 2]),
                                "fair": rng.random() < 0.99,
                                "comment": None,
                                "language": "en",
                            },
                        )
                    )
        if len(batch) >= 20_000 or (day == end and batch):
            total += _flush(db, batch, surveys)
            batch, surveys = [], []
        day += timedelta(days=1)
    return total


def _flush(
    db: Database, batch: list[dict[str, Any]], surveys: list[tuple[int, dict[str, Any]]]
) -> int:
    with db.transaction() as tx:
        if tx.postgres:
            ids = tx.conn.execute(insert(visit_t).returning(visit_t.c.id), batch).scalars().all()
        else:
            first = (
                tx.conn.execute(
                    select(visit_t.c.id).order_by(visit_t.c.id.desc()).limit(1)
                ).scalar()
                or 0
            ) + 1
            tx.conn.execute(insert(visit_t), batch)
            ids = list(range(first, first + len(batch)))
        if surveys:
            tx.conn.execute(insert(survey_t), [{**row, "visit_id": ids[i]} for i, row in surveys])
    return len(batch)


def time_report(
    db: Database, sites: list[str] | None, period: Period, repeat: int
) -> dict[str, float]:
    compute(db, sites, period)  # warm-up, untimed: caches and plans as in daily use
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        compute(db, sites, period)
        times.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}


ONESTOP = str(Path(sys.executable).with_name("onestop"))


def time_command(url: str, quarter: str, kind: str, repeat: int) -> dict[str, float]:
    """The whole `onestop report` command, start to finish, in a new process each time."""
    times = []
    with tempfile.TemporaryDirectory(prefix="onestop-report-") as folder:
        command = [ONESTOP, "report", "--all-sites", "--quarter", quarter, "--format", kind]
        command += ["--db", url] + (["--out", f"{folder}/report.{kind}"] if kind == "pdf" else [])
        for _ in range(repeat):
            started = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
            times.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3)}


def run(args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {}
    server = None
    end = date(2025, 12, 31)
    start = date(end.year - args.years + 1, 1, 1)
    quarter = Period.quarter(f"{end.year}-Q3")
    try:
        for database in args.databases:
            if database == "sqlite":
                url = f"sqlite:///{tempfile.mkdtemp(prefix='onestop-reports-')}/history.db"
            else:
                from tests.pg import PostgresServer

                server = server or PostgresServer.start()
                url = server.url(server.create_database("reports"))
            db = Database(url)
            Office(db).ensure_default_sites()
            rng = random.Random(5)
            figures: dict[str, Any] = {}
            # The last year first (1 of --years years), measured, then the rest.
            started = time.perf_counter()
            count = generate(db, date(end.year, 1, 1), end, args.per_day, rng)
            _analyze(db)
            generating = time.perf_counter() - started
            figures["one_year"] = {
                "years": 1,
                "visits": count,
                "both_sites": time_report(db, None, quarter, args.repeat),
            }
            started = time.perf_counter()
            count += generate(db, start, date(end.year - 1, 12, 31), args.per_day, rng)
            _analyze(db)
            figures["generated_seconds"] = round(generating + time.perf_counter() - started, 1)
            figures["full"] = {
                "years": args.years,
                "visits": count,
                "quarter_visits": compute(db, None, quarter)["visits"],
                "both_sites": time_report(db, None, quarter, args.repeat),
                "one_site": time_report(db, ["bootle"], quarter, args.repeat),
            }
            name = quarter.quarter_name or ""
            figures["command"] = {
                kind: time_command(url, name, kind, args.command_repeat) for kind in ("json", "pdf")
            }
            results[database] = figures
            db.dispose()
    finally:
        if server is not None:
            server.stop()
    return results


def _analyze(db: Database) -> None:
    with db.engine.connect() as conn:
        if db.dialect == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            conn.exec_driver_sql("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.report_bench")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--per-day", type=int, default=1530)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--command-repeat", type=int, default=3, help="runs of the whole onestop command"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if not args.databases or any(d not in ("sqlite", "postgres") for d in args.databases):
        parser.error("--databases takes sqlite, postgres or both")
    if args.years < 2 or args.per_day < 10 or args.repeat < 1 or args.command_repeat < 1:
        parser.error("--years >= 2, --per-day >= 10, --repeat >= 1, --command-repeat >= 1")
    results = run(args)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for database, f in results.items():
        full, one = f["full"], f["one_year"]
        verdict = "PASS" if full["both_sites"]["max_s"] <= 2 else "FAIL"
        print(
            f"{database:<9} {full['visits']:>9,} visits over {full['years']} years "
            f"(generated in {f['generated_seconds']} s); the quarter: "
            f"{full['quarter_visits']:,} visits"
        )
        print(
            f"  quarter, both sites: median {full['both_sites']['median_s']} s, "
            f"max {full['both_sites']['max_s']} s  {verdict} (<= 2 s)"
        )
        print(f"  quarter, one site:   median {full['one_site']['median_s']} s")
        for kind, timing in f["command"].items():
            print(
                f"  whole command, --format {kind}: median {timing['median_s']} s, "
                f"max {timing['max_s']} s"
            )
        print(
            f"  growth: 1 year, {one['visits']:,} visits -> median "
            f"{one['both_sites']['median_s']} s; {full['years']} years, "
            f"{full['visits']:,} -> {full['both_sites']['median_s']} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
