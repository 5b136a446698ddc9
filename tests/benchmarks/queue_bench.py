"""Queue benchmark: check-in, call-next and change notification, on SQLite and PostgreSQL.

    .venv/bin/python -m tests.benchmarks.queue_bench [--sizes 100,10000,100000]
        [--samples 200] [--databases sqlite,postgres] [--json]

For each database and each queue size (visitors WAITING at Bootle), a fresh
database is seeded in bulk, then check-in and call-next are timed one action at a
time (each a full transaction through Office, as an app does it). The queue is
kept at its size: every timed check-in is followed by an untimed call, every
timed call by an untimed check-in. Notification latency is measured from just
before a commit on one connection to the subscriber's callback on another.

Targets (issue 2): call-next p95 <= 20 ms at 10,000 waiting; call-next growth
from 100 to 100,000 waiting <= 2x; notification p95 <= 50 ms on PostgreSQL and
<= 250 ms on SQLite. A benchmark reports; it does not fail.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from shared.demo import MIX as WALK_IN_MIX
from shared.domain import Visit
from shared.domain.tickets import format_ticket, ticket_day
from shared.office import Office
from shared.store import Database, subscribe
from shared.store import repository as repo
from shared.store.tables import counter_t, visit_t

DESKS = ["Desk 1", "Desk 2", "Desk 3", "Desk 4", "Desk 5", "Desk 6", "Desk 7", "Desk 8"]
MIX = dict(WALK_IN_MIX)  # the council's mix of enquiries, as the demo uses


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(samples), 3),
        "p95_ms": round(percentile(samples, 0.95), 3),
        "samples": len(samples),
    }


def seed(db: Database, size: int, rng: random.Random) -> None:
    """Insert `size` waiting visits at Bootle in the store's own format."""
    with db.transaction() as tx:
        ref = repo.get_site(tx, "bootle")
        site = ref.site
        day = ticket_day(tx.now, site.timezone)
        sequences: dict[str, int] = {}
        rows = []
        services = list(MIX)
        weights = list(MIX.values())
        for index in range(size):
            service = site.service(rng.choices(services, weights)[0])
            sequences[service.letter] = sequences.get(service.letter, 0) + 1
            arrived = tx.now - timedelta(seconds=(size - index) * 0.05 + 1)
            appointment_at = None
            if rng.random() < 0.01:
                appointment_at = arrived + timedelta(minutes=rng.randint(-20, 5))
            visit = Visit(
                site="bootle",
                service=service.code,
                ticket=format_ticket(service.letter, sequences[service.letter]),
                arrived_at=arrived,
                priority=rng.random() < 0.03,
                appointment_at=appointment_at,
            )
            columns = repo._columns(visit, site)
            rows.append({"site_id": ref.id, "ticket": visit.ticket, "ticket_day": day, **columns})
            if len(rows) == 5000:
                tx.conn.execute(insert(visit_t), rows)
                rows = []
        if rows:
            tx.conn.execute(insert(visit_t), rows)
        for letter, last in sequences.items():
            tx.conn.execute(
                insert(counter_t).values(site_id=ref.id, day=day, letter=letter, last=last)
            )
        repo.rebuild_counts(tx, ref.id)
    with db.engine.connect() as conn:
        if db.dialect == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
        else:
            conn.exec_driver_sql("ANALYZE")


def time_actions(office: Office, samples: int, rng: random.Random) -> dict[str, dict[str, float]]:
    services = list(MIX)
    weights = list(MIX.values())
    checkins, calls = [], []
    for index in range(samples):
        service = rng.choices(services, weights)[0]
        started = time.perf_counter()
        office.checkin("bootle", service)
        checkins.append((time.perf_counter() - started) * 1000)
        office.call_next("bootle", DESKS[index % len(DESKS)])

        desk = DESKS[(index + 3) % len(DESKS)]
        started = time.perf_counter()
        office.call_next("bootle", desk)
        calls.append((time.perf_counter() - started) * 1000)
        office.checkin("bootle", rng.choices(services, weights)[0])
    return {"checkin": summary(checkins), "call_next": summary(calls)}


def notification_latency(db: Database, samples: int) -> dict[str, float]:
    arrived = threading.Event()
    stamps: list[float] = []

    def on_change(_site: str) -> None:
        stamps.append(time.perf_counter())
        arrived.set()

    subscription = subscribe(db.url, ["bootle"], on_change)
    try:
        if not subscription.ready.wait(10):
            raise RuntimeError("the subscriber did not start")
        time.sleep(0.2)
        latencies = []
        for _ in range(samples):
            arrived.clear()
            stamps.clear()
            with db.transaction() as tx:
                repo.changed(tx, repo.get_site(tx, "bootle"))
                committed = time.perf_counter()  # the block's end is the commit
            if not arrived.wait(5):
                raise RuntimeError("a change was not notified within 5 s")
            latencies.append((stamps[0] - committed) * 1000)
            time.sleep(0.01)
        return summary(latencies)
    finally:
        subscription.close()


def run(args: argparse.Namespace, out: Any = print) -> dict[str, Any]:
    results: dict[str, Any] = {}
    server = None
    rng = random.Random(2026)
    scratch = Path(tempfile.mkdtemp(prefix="onestop-bench-"))
    try:
        for database in args.databases:
            results[database] = {"sizes": {}}
            for size in args.sizes:
                if database == "sqlite":
                    url = f"sqlite:///{scratch}/bench-{size}.db"
                    cleanup = None
                else:
                    if server is None:
                        from tests.pg import PostgresServer

                        server = PostgresServer.start()
                    name = server.create_database("bench")
                    url = server.url(name)
                    cleanup = (server, name)
                db = Database(url)
                office = Office(db)
                office.ensure_default_sites()
                started = time.perf_counter()
                seed(db, size, rng)
                seeded = time.perf_counter() - started
                figures = time_actions(office, args.samples, rng)
                figures["seed_seconds"] = round(seeded, 1)
                results[database]["sizes"][size] = figures
                out(
                    f"{database:<9} {size:>7} waiting  "
                    f"check-in median {figures['checkin']['median_ms']:7.2f} ms  "
                    f"p95 {figures['checkin']['p95_ms']:7.2f} ms   "
                    f"call-next median {figures['call_next']['median_ms']:7.2f} ms  "
                    f"p95 {figures['call_next']['p95_ms']:7.2f} ms"
                )
                if size == args.sizes[0]:
                    results[database]["notification"] = notification_latency(db, args.samples)
                    note = results[database]["notification"]
                    out(
                        f"{database:<9} notification          median {note['median_ms']:7.2f} ms  "
                        f"p95 {note['p95_ms']:7.2f} ms"
                    )
                db.dispose()
                if cleanup:
                    cleanup[0].drop_database(cleanup[1])
    finally:
        if server is not None:
            server.stop()
        for path in scratch.glob("*"):
            path.unlink()
        scratch.rmdir()
    results["targets"] = verdicts(results, args)
    out("")
    for line in results["targets"]:
        out(f"{'PASS' if line['pass'] else 'FAIL'}  {line['target']}: {line['measured']}")
    return results


def verdicts(results: dict[str, Any], args: argparse.Namespace) -> list[dict[str, Any]]:
    lines = []
    limits = {"sqlite": 250.0, "postgres": 50.0}
    for database in args.databases:
        sizes = results[database]["sizes"]
        if 10000 in sizes:
            p95 = sizes[10000]["call_next"]["p95_ms"]
            lines.append(
                {
                    "target": f"{database} call-next p95 <= 20 ms at 10,000 waiting",
                    "measured": f"{p95} ms",
                    "pass": p95 <= 20,
                }
            )
        low, high = min(sizes), max(sizes)
        if low != high:
            for stat in ("median_ms", "p95_ms"):
                ratio = sizes[high]["call_next"][stat] / sizes[low]["call_next"][stat]
                lines.append(
                    {
                        "target": f"{database} call-next {stat[:-3]} growth "
                        f"{low:,} -> {high:,} <= 2x",
                        "measured": f"{ratio:.2f}x",
                        "pass": ratio <= 2,
                    }
                )
        note = results[database]["notification"]["p95_ms"]
        lines.append(
            {
                "target": f"{database} notification p95 <= {limits[database]:.0f} ms",
                "measured": f"{note} ms",
                "pass": note <= limits[database],
            }
        )
    return lines


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.queue_bench")
    parser.add_argument("--sizes", default="100,10000,100000")
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    try:
        args.sizes = sorted({int(s) for s in args.sizes.split(",")})
    except ValueError:
        parser.error("--sizes takes whole numbers separated by commas, e.g. 100,10000")
    if any(s < 1 for s in args.sizes):
        parser.error("--sizes must be at least 1")
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    if not args.databases or any(d not in ("sqlite", "postgres") for d in args.databases):
        parser.error("--databases takes sqlite, postgres or both")
    if args.samples < 5:
        parser.error("--samples must be at least 5")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.json:
        print(json.dumps(run(args, out=lambda _line: None), indent=2))
    else:
        run(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
