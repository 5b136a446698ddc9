"""The chaos soak: the suite's chaos scenarios in rounds, with many more kills, for as
long as asked.

    .venv/bin/python -m tests.chaos.soak --minutes 10 [--seed N]

Each round, on fresh databases: apps killed with SIGKILL at random (PostgreSQL, then
SQLite WAL), the PostgreSQL server stopped fast and immediate mid-call, and the
printer's connection dropped mid-ticket at random bytes; each followed by the audit
of tests/chaos/audit.py. Prints what it did and the figures (kills, check-ins, calls,
restarts, seconds to recover: median and max). Exit 0 when every audit passed, 1
when one did not (the problems are printed), 2 on a bad option.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

KILLS_PG = 40  # per round
KILLS_SQLITE = 20
PRINTER_DROPS = 10


def parser() -> argparse.ArgumentParser:
    def minutes(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from None
        if not 0 < value <= 24 * 60:
            raise argparse.ArgumentTypeError("minutes must be more than 0 and at most 1440")
        return value

    chosen = argparse.ArgumentParser(
        prog="python -m tests.chaos.soak", description=__doc__.split("\n\n")[0]
    )
    chosen.add_argument("--minutes", type=minutes, default=10.0, help="how long (default 10)")
    chosen.add_argument("--seed", type=int, default=None, help="replay a run (default: random)")
    return chosen


def printer_drops(rng: random.Random, count: int) -> tuple[int, list[str]]:
    """The printer's connection dropped at a random byte: never taken for printed; the
    reprint that follows prints whole."""
    from shared.office import Office
    from shared.printing import build_ticket, print_ticket
    from shared.store import Database
    from tests.loopback_printer import CUTS, PrinterListener

    problems = []
    folder = tempfile.mkdtemp(prefix="onestop-chaos-printer-")
    office = Office(Database(f"sqlite:///{folder}/onestop.db"))
    office.ensure_default_sites()
    site = office.site("bootle")
    listener = PrinterListener()
    try:
        for index in range(count):
            ticket = build_ticket(
                site,
                ticket=f"C{index + 1:03d}",
                service="council-tax",
                issued_at=datetime.now(UTC),
                ahead=index,
                estimated_wait_minutes=index,
            )
            listener.cut_next = cut = rng.randrange(1, 400)
            first = print_ticket(site, ticket, f"tcp://127.0.0.1:{listener.port}")
            again = print_ticket(site, ticket, f"tcp://127.0.0.1:{listener.port}")
            deadline = time.monotonic() + 5
            while len(listener.jobs) <= index and time.monotonic() < deadline:
                time.sleep(0.01)
            if first.printed:
                problems.append(f"{ticket.code} cut after {cut} bytes was taken for printed")
            if not again.printed or len(listener.jobs) != index + 1:
                problems.append(f"{ticket.code}'s reprint did not print: {again.error}")
            elif (
                not listener.jobs[-1].endswith(CUTS)
                or ticket.code.encode() not in (listener.jobs[-1])
            ):
                problems.append(f"{ticket.code}'s reprint is not the whole ticket")
    finally:
        listener.close()
        office.db.dispose()
    return count, problems


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from shared.office import Office
    from shared.store import Database
    from tests.chaos.scenarios import Report, durable_server, kill_round, restart_round

    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    os.environ.setdefault("ONESTOP_DATA_DIR", tempfile.mkdtemp(prefix="onestop-chaos-data-"))
    print(f"chaos soak: {args.minutes:g} minutes, seed {seed}", flush=True)
    ends = time.monotonic() + args.minutes * 60
    total = Report("all")
    drops = 0
    rounds = 0

    def ready(url: str) -> str:
        office = Office(Database(url))
        office.ensure_default_sites()
        office.db.dispose()
        return url

    def show(report: Report, took: float) -> None:
        line = (
            f"  {report.scenario}: {report.kills} kills, {report.restarts} restarts, "
            f"{report.checkins} check-ins ({report.offline_checkins} offline), "
            f"{report.calls} calls"
        )
        if report.recoveries:
            line += (
                f", back in {statistics.median(report.recoveries):.2f} s median, "
                f"{max(report.recoveries):.2f} s max"
            )
        line += f"; {'; '.join(report.notes) + '; ' if report.notes else ''}{took:.0f} s"
        line += f"; {len(report.problems)} problems" if report.problems else "; audit passed"
        print(line, flush=True)
        for problem in report.problems:
            print(f"    PROBLEM: {problem}", flush=True)

    with (
        tempfile.TemporaryDirectory(prefix="onestop-chaos-") as scratch,
        durable_server() as server,
    ):
        while time.monotonic() < ends:
            rounds += 1
            print(f"round {rounds}", flush=True)
            folder = Path(scratch) / f"round-{rounds}"
            plans = [
                ("pg-kill", lambda f: kill_round(_pg(server, ready), f, rng, KILLS_PG)),
                (
                    "pg-restart",
                    lambda f: restart_round(
                        server, _pg(server, ready), f, rng, ["fast", "immediate"]
                    ),
                ),
                (
                    "sqlite-kill",
                    lambda f: kill_round(ready(f"sqlite:///{f}.db"), f, rng, KILLS_SQLITE),
                ),
            ]
            for name, plan in plans:
                if time.monotonic() >= ends and rounds > 1:
                    break
                started = time.monotonic()
                report = plan(folder / name)
                show(report, time.monotonic() - started)
                total.add(report)
            count, problems = printer_drops(rng, PRINTER_DROPS)
            drops += count
            print(
                f"  printer dropped mid-ticket: {count} times; "
                + (
                    f"{len(problems)} problems"
                    if problems
                    else "never taken for printed, every reprint whole"
                ),
                flush=True,
            )
            for problem in problems:
                print(f"    PROBLEM: {problem}", flush=True)
            total.problems += problems
    recoveries = total.recoveries
    print(
        f"chaos soak, {rounds} rounds (seed {seed}): {total.kills} kills, "
        f"{total.restarts} PostgreSQL restarts, {drops} printer drops; "
        f"{total.checkins} check-ins ({total.offline_checkins} offline), {total.calls} calls; "
        f"{len(recoveries)} recoveries, "
        + (
            f"{statistics.median(recoveries):.2f} s median, {max(recoveries):.2f} s max"
            if recoveries
            else "none"
        )
        + f"; {len(total.problems)} problems",
        flush=True,
    )
    return 1 if total.problems else 0


def _pg(server, ready) -> str:  # type: ignore[no-untyped-def]
    return ready(server.url(server.create_database()))


if __name__ == "__main__":
    sys.exit(main())
