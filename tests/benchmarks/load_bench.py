"""Load test: a simulated council on one PostgreSQL server (issue 6, item 6).

    .venv/bin/python -m tests.benchmarks.load_bench [--minutes 10] [--sites 20]
        [--desks 20] [--kiosks 4] [--peak-factor 5] [--db postgresql+psycopg://...]
        [--processes 4] [--service-scale auto] [--seed 2026] [--json]

Without --db it starts its own throwaway PostgreSQL server (tests/pg.py) with room
for every connection; with --db the database is migrated, the load sites `load-01`...
are loaded into it, and they must hold no visits today (give an empty database).

What it simulates, each part through the same core API the app uses:

- Sites: `--sites` configurations derived from the shipped Bootle and Southport files
  (resources/sites/, alternately), each with its own code and name and `--desks`
  desks made from the original desks' service lists (cycled when there are more,
  merged when fewer), every service still served.
- Kiosks (`--kiosks` a site): each is a thread with its own database connection and
  the kiosk app's own link (kiosk/link.py, with a real outbox file): a link step
  every second (the database's clock, reserved blocks of numbers, alerts), and at
  each arrival what the kiosk does when a visitor touches a service: reception's
  notices (is the office open?) then `Office.checkin`. Arrivals are a Poisson
  process per kiosk, the services drawn from the council's mix (shared/demo.py).
- Desks: each a thread with its own connection, as a CSA's PC: the desk console's
  refresh every 5 s (its visitors, the waiting list, the desks' states, as
  reception/desk.py reads them), and Call next (`close_previous=False`, as the
  console's button), the visitor's walk to the desk (10-30 s), Start, the service
  (log-normal, coefficient of variation 0.8, around the service's
  `mean_service_minutes` times `--service-scale`), Finish with an outcome drawn
  from the demo's mix, 3-10 s of notes, then Call next again; a desk that found
  nobody calls again when its refresh shows someone waiting for it (after 1-3 s).
- Displays: one a site, a thread with its own connection listening through the real
  change notification (LISTEN/NOTIFY, `shared.store.notify.subscribe`); on each
  notification, and on its 2 s poll, it runs the display presenter's own refresh
  (reception/display.py: the calls since the last, then the ticker's waits and
  notices), one at a time as the display's GUI thread does. A call counts as shown
  the moment the presenter hands it to the screen (drawing is not included: the
  call_latency benchmark measures a real display process, drawing and all).
- Each site starts with the lunchtime peak under way: a visitor at every desk,
  part-way through (called and started before the clock starts, so the desks finish
  at random moments instead of all pressing Call next at once), and half as many
  again waiting.

Arrival rate. A busy site has 300 visitors a day (../shared/DOMAIN.md, "Sizes to
design for": 100-300 a day, peaks at lunchtime; the council's busiest times are
12:00-14:00, seeds/000 and /001). Over Bootle's opening hours (09:00-17:00) the day's
shape `LUNCHTIME_PEAK` (shared/planning/daysim.py: 1.0, 1.15, 1.2, 1.65, 1.55, 1.0,
0.9, 0.7 for 09:00...16:00) gives the 12:00 hour 1.65 / 9.15 = 18.0% of the day:
54.1 visitors in the peak hour. Five times that is 270.5 an hour a site; 20 sites
ask for 5,410 an hour (1.50 a second). `--service-scale auto` shortens services so
that the desks would be 90% busy at that rate (0.315 with 20 desks; at 1.0, real
service times, 20 desks keep up with about 100 an hour, and the queue grows).

Actors run as threads in `--processes` worker processes (and the displays five to a
process), so 480 actors and 20 displays cost 8 processes, not 500; each actor has its
own connection, as separate PCs would. The load generator shares the machine's
cores with the server: on a small machine the figures include its own Python time
(500 PCs' worth), and the run prints where the CPU went (the load generator, the
server it started, other programs).

Counted as an error: any exception in any actor or display; a server log ERROR
(own server only); and the audit afterwards: duplicate ticket numbers, a check-in
missing from the database or one the kiosks never made, a visit called twice or by
two desks, a finished visit not finished, a desk holding two visitors, a call the
display never showed or a call shown that nobody made.

Printed: check-ins, calls, errors, call-to-display latency median/p95/max, Call
next median/p95, check-in median/p95, database connections used, achieved against
asked arrival rate, the queue. Exit status: 0 when every target is met (no
errors; call to display p95 <= 300 ms, issue 4; the kiosks kept to their arrival
schedule), 1 when any is missed (the line says FAIL), 2 with usage on a bad option.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import queue
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.benchmarks.call_latency import _stop

DISPLAY_TARGET_MS = 300
PEAK_DAY_VISITORS = 300  # a busy site's day (DOMAIN.md: 100-300 visitors a day)
OPENING_HOURS = range(9, 17)  # Bootle: 09:00-17:00, Monday to Friday
UTILISATION = 0.9  # how busy --service-scale auto keeps the desks
LINK_SECONDS = 1.0  # the kiosk's link step (kiosk/presenter.py)
DESK_REFRESH_SECONDS = 5.0  # the desk console's refresh (reception/desk.py)
DISPLAY_POLL_SECONDS = 2.0  # the display's poll beside its notifications (reception/display.py)
WALK_SECONDS = (10.0, 30.0)  # from the call to the visitor at the desk
NOTES_SECONDS = (3.0, 10.0)  # after Finish, before the next Call next
REACTION_SECONDS = (1.0, 3.0)  # a free desk seeing someone waiting
SERVICE_CV = 0.8  # as shared/planning/daysim.py
DRAIN_SECONDS = 5.0  # the displays keep listening this long after the actors stop
SCHEDULE_SHARE = 0.99  # the kiosks must make this share of their drawn arrivals
SCHEDULE_LAG_SECONDS = 5.0  # ...with a p95 lateness under this
ERRORS_KEPT = 20  # examples of errors printed (all are counted)
DISPLAYS_A_PROCESS = 5  # each display is its own PC: few to a process, for the GIL's sake


def peak_hour_visitors() -> float:
    """A busy site's visitors in its lunchtime peak hour, from the day's shape."""
    from shared.planning.daysim import LUNCHTIME_PEAK

    weights = [LUNCHTIME_PEAK.get(hour, 0.0) for hour in OPENING_HOURS]
    return PEAK_DAY_VISITORS * max(weights) / sum(weights)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))]


def summary(values: list[float], digits: int = 1) -> dict[str, float | int | None]:
    if not values:
        return {"count": 0, "median": None, "p95": None, "max": None}
    return {
        "count": len(values),
        "median": round(statistics.median(values), digits),
        "p95": round(percentile(values, 0.95), digits),
        "max": round(max(values), digits),
    }


def mix() -> dict[str, float]:
    from shared.demo import MIX

    return dict(MIX)


def mean_service_seconds(layout_site: Any) -> float:
    """The mix's mean service time at a layout site, in seconds."""
    weights = mix()
    total = sum(weights.values())
    return (
        60
        * sum(layout_site.service(s).mean_service_minutes * w for s, w in weights.items())
        / (total)
    )


def auto_scale(desks: int, per_hour: float, mean_seconds: float) -> float:
    """The service-time scale at which `desks` desks are UTILISATION busy."""
    overhead = sum(WALK_SECONDS) / 2 + sum(NOTES_SECONDS) / 2
    cycle = UTILISATION * desks * 3600 / per_hour
    return max(0.01, round((cycle - overhead) / mean_seconds, 3))


# -- the sites ---------------------------------------------------------------------------


def site_configs(count: int, desks: int) -> list[str]:
    """`count` site files derived from Bootle's and Southport's, each with `desks` desks."""
    from shared.config import default_site_files, parse_site

    layouts = [
        (path.read_text(encoding="utf-8"), parse_site(path.read_text(encoding="utf-8")))
        for path in default_site_files()
    ]
    configs = []
    for index in range(count):
        text, site = layouts[index % len(layouts)]
        number = f"{index + 1:02d}"
        text = re.sub(r'(?m)^code = "[^"]*"', f'code = "load-{number}"', text, count=1)
        text = re.sub(
            r'(?m)^name = "[^"]*"',
            f'name = "Load {number} One Stop Shop ({site.code.title()} layout)"',
            text,
            count=1,
        )
        head = text[: text.index("\n[[desks]]")]
        configs.append(head + "\n" + _desk_tables(site, desks))
    return configs


def _desk_tables(site: Any, count: int) -> str:
    originals = list(site.desks)
    order = [s.code for s in site.services]
    numbers: Counter[str] = Counter()
    tables = []
    for index in range(count):
        # More desks than the layout: its desks again; fewer: some desks do two desks' work.
        sources = [originals[index % len(originals)]]
        sources += [d for j, d in enumerate(originals) if j % count == index and j != index]
        services = set().union(*(d.services for d in sources))
        kind = "Interview Room" if sources[0].name.startswith("Interview") else "Desk"
        numbers[kind] += 1
        listed = ", ".join(f'"{code}"' for code in order if code in services)
        tables.append(f'[[desks]]\nname = "{kind} {numbers[kind]}"\nservices = [{listed}]\n')
    return "\n".join(tables)


# -- the actors (in the worker processes) --------------------------------------------------


class Recorder:
    """What one worker process saw; every actor thread writes here."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lists: dict[str, list[Any]] = defaultdict(list)
        self.counts: Counter[str] = Counter()
        self.errors: list[dict[str, str]] = []
        self.error_count = 0

    def add(self, kind: str, item: Any) -> None:
        with self.lock:
            self.lists[kind].append(item)

    def count(self, kind: str, n: int = 1) -> None:
        with self.lock:
            self.counts[kind] += n

    def error(self, actor: str, doing: str, error: BaseException | str) -> None:
        text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        with self.lock:
            self.error_count += 1
            if len(self.errors) < ERRORS_KEPT:
                self.errors.append({"actor": actor, "doing": doing, "error": text[:500]})

    def as_json(self) -> dict[str, Any]:
        return {
            "lists": dict(self.lists),
            "counts": dict(self.counts),
            "errors": self.errors,
            "error_count": self.error_count,
        }


def _sleep_until(moment: float, stop: float) -> None:
    time.sleep(max(0.0, min(moment, stop) - time.time()))


class Kiosk:
    def __init__(self, url: str, site: str, name: str, outbox_dir: Path, rec: Recorder) -> None:
        from kiosk.link import Link
        from kiosk.outbox import Outbox
        from shared.notices import Notices
        from shared.office import Office
        from shared.store import Database

        self.name = f"{site} {name}"
        self.rec = rec
        self.office = Office(Database(url, migrate=False))
        self.notices = Notices(self.office.db)
        slug = name.lower().replace(" ", "-")
        outbox = Outbox(outbox_dir / f"{site}-{slug}.sqlite3")
        self.link = Link(self.office, outbox, site, name, lambda: datetime.now(UTC))
        self.site, _online = self.link.load_site()
        self._step()  # the morning's first step: the day's blocks of numbers

    def _step(self) -> None:
        report = self.link.step()
        if not report.online:
            self.rec.error(self.name, "link step", f"offline: {report.error}")
        for problem in report.problems:
            self.rec.error(self.name, "link step", problem)
        self.rec.count("link_steps")

    def run(self, start: float, stop: float, rate: float, rng: random.Random) -> None:
        weights = {s: w for s, w in mix().items() if any(x.code == s for x in self.site.services)}
        services, shares = list(weights), list(weights.values())
        arrival = start + rng.expovariate(rate) if rate > 0 else math.inf
        next_step = start + rng.uniform(0, LINK_SECONDS)
        while True:
            _sleep_until(min(arrival, next_step), stop)
            now = time.time()
            if now >= stop:
                return
            if now >= next_step:
                try:
                    self._step()
                except Exception as error:
                    self.rec.error(self.name, "link step", error)
                next_step = max(next_step + LINK_SECONDS, time.time())
            if time.time() >= arrival:
                self._check_in(rng.choices(services, shares)[0], arrival)
                arrival += rng.expovariate(rate)

    def _check_in(self, service: str, due: float) -> None:
        try:
            notice = self.notices.notice(self.site.code)  # is the office open?
            if notice.closed:
                raise RuntimeError("the office is closed")
            before = time.time()
            started = time.perf_counter()
            result = self.office.checkin(self.site.code, service, flags={})
            took = (time.perf_counter() - started) * 1000
        except Exception as error:
            self.rec.error(self.name, f"check-in ({service})", error)
            return
        self.rec.add(
            "checkins",
            [self.site.code, result.ticket, result.visit_id, round(took, 2), before, before - due],
        )


class Desk:
    def __init__(self, url: str, site: str, desk: str, scale: float, rec: Recorder) -> None:
        from shared.notices import Notices
        from shared.office import Office
        from shared.staff import Staff
        from shared.store import Database

        self.rec = rec
        self.office = Office(Database(url, migrate=False))
        self.notices = Notices(self.office.db)
        self.staff = Staff(self.office.db)
        self.site = self.office.site(site)
        self.desk = self.site.desk(desk)
        self.name = f"{site} {desk}"
        self.scale = scale
        self.waiting_for_me = 0
        self.serving = ""  # the service of the visitor being served here, if any
        self.refresh()

    def refresh(self) -> None:
        """What the desk console reads every 5 s (reception/desk.py, DeskWindow._refresh)."""
        code = self.site.code
        mine = [v for v in self.office.with_desks(code) if v.desk == self.desk.name]
        self.serving = next((v.service for v in mine if v.state.value == "serving"), "")
        waiting = [w for w in self.office.waiting(code) if self.desk.serves(w.service)]
        _session = [d for d in self.staff.desks(code) if d.desk == self.desk.name]
        self.waiting_for_me = len(waiting)

    def _service_seconds(self, service: str, rng: random.Random) -> float:
        mean = self.site.service(service).mean_service_minutes * 60 * self.scale
        sigma = math.sqrt(math.log(1 + SERVICE_CV**2))
        return rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)

    def run(self, start: float, stop: float, rng: random.Random) -> None:
        from shared.demo import OUTCOMES
        from shared.domain import Outcome

        next_refresh = start + rng.uniform(0, DESK_REFRESH_SECONDS)
        step, at = "call", start + rng.uniform(*REACTION_SECONDS)
        service = self.serving
        if service:  # the peak under way: a visitor already part-way through
            step, at = "finish", start + rng.random() * self._service_seconds(service, rng)
        while True:
            _sleep_until(min(next_refresh, at), stop)
            now = time.time()
            if now >= stop:
                return
            if now >= next_refresh:
                next_refresh = max(next_refresh + DESK_REFRESH_SECONDS, now)
                try:
                    self.refresh()
                    self.rec.count("desk_refreshes")
                except Exception as error:
                    self.rec.error(self.name, "refresh", error)
                if step == "idle" and self.waiting_for_me:
                    step, at = "call", time.time() + rng.uniform(*REACTION_SECONDS)
            if time.time() < at:
                continue
            try:
                if step == "call":
                    service = self._call()
                    if service:
                        step, at = "start", time.time() + rng.uniform(*WALK_SECONDS)
                    else:
                        step, at = "idle", math.inf
                elif step == "start":
                    self._timed("starts", self.office.start, self.site.code, desk=self.desk.name)
                    step, at = "finish", time.time() + self._service_seconds(service, rng)
                elif step == "finish":
                    kind, detail, _weight = rng.choices(OUTCOMES, [o[2] for o in OUTCOMES])[0]
                    visit = self._timed(
                        "finishes",
                        self.office.finish,
                        self.site.code,
                        Outcome(kind, detail),
                        desk=self.desk.name,
                    )
                    self.rec.add("finished", [self.site.code, visit.ticket, visit.id])
                    step, at = "call", time.time() + rng.uniform(*NOTES_SECONDS)
            except Exception as error:
                self.rec.error(self.name, step, error)
                at = time.time() + 1.0  # as a CSA would press again

    def _timed(self, kind: str, action: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        result = action(*args, **kwargs)
        self.rec.add(kind, round((time.perf_counter() - started) * 1000, 2))
        return result

    def _call(self) -> str:
        before = time.time()
        started = time.perf_counter()
        result = self.office.call_next(self.site.code, self.desk.name, close_previous=False)
        took = (time.perf_counter() - started) * 1000
        if result.ticket is None:
            self.rec.count("empty_calls")
            return ""
        self.rec.add(
            "calls",
            [
                self.site.code,
                self.desk.name,
                result.ticket,
                result.visit_id,
                before,
                round(took, 2),
            ],
        )
        return result.service or ""


class _Emit:
    def __init__(self, target: Any) -> None:
        self.emit = target


def display_reader_class() -> type:
    """The display presenter's own refresh (reception/display.py), without Qt's timer
    and event loop: the same methods, run on the display's one thread."""
    from reception.display import LATE_SECONDS, DisplayPresenter

    class DisplayReader:
        _refresh = DisplayPresenter._refresh
        ticker_text = DisplayPresenter.ticker_text
        _predicted_waits = DisplayPresenter._predicted_waits
        refresh = DisplayPresenter.refresh

        def __init__(self, url: str, site: str, rec: Recorder) -> None:
            from shared.notices import Notices
            from shared.office import Office
            from shared.store import Database

            self.rec = rec
            self.office = Office(Database(url, migrate=False))
            self.notices = Notices(self.office.db)
            self.site = self.office.site(site)
            # As DisplayPresenter.__init__: calls made before it opened are not shown.
            self.last_id = self.office.last_event_id(site)
            self.seen = {
                row["event_id"]
                for row in self.office.calls_since(site, 0, limit=1000, late_seconds=LATE_SECONDS)
                if row["event_id"] <= self.last_id
            }
            self.clock = time.monotonic
            self._waits: dict[str, int] | None = None
            self._waits_at = 0.0
            self.called = _Emit(self._shown)
            self.ticker_changed = _Emit(lambda _text: None)
            self.events: queue.Queue[str] = queue.Queue()
            self.ticker_text()

        def _shown(self, call: Any) -> None:
            self.rec.add(
                "shown", [self.site.code, call.ticket, call.event_id, call.recall, time.time()]
            )

        def run(self, stop: float) -> None:
            from shared.store import subscribe

            name = f"{self.site.code} display"
            subscription = subscribe(self.office.db.url, [self.site.code], self.events.put)
            try:
                if not subscription.ready.wait(30):
                    self.rec.error(name, "listen", "the change notification did not start")
                self.rec.count("listening")
                next_poll = time.time() + DISPLAY_POLL_SECONDS
                while time.time() < stop:
                    try:
                        self.events.get(timeout=max(0.0, min(next_poll, stop) - time.time()))
                        self.rec.count("notifications")
                    except queue.Empty:
                        if time.time() < next_poll:
                            continue
                        next_poll += DISPLAY_POLL_SECONDS
                    try:
                        self.refresh()
                        self.rec.count("display_refreshes")
                    except Exception as error:
                        self.rec.error(name, "refresh", error)
            finally:
                subscription.close()

    return DisplayReader


def worker(plan: dict[str, Any]) -> None:
    """One worker process: its actors' threads; prints ready, waits for go, then results."""
    rec = Recorder()
    url = plan["url"]
    outbox_dir = Path(plan["outbox_dir"])
    actors: list[tuple[str, Any]] = []
    reader = display_reader_class() if plan["role"] == "displays" else None
    for index, (kind, site, name) in enumerate(plan["actors"]):
        try:
            if kind == "kiosk":
                actors.append((kind, Kiosk(url, site, name, outbox_dir, rec)))
            elif kind == "desk":
                actors.append((kind, Desk(url, site, name, plan["scale"], rec)))
            else:
                assert reader is not None
                actors.append((kind, reader(url, site, rec)))
        except Exception as error:
            rec.error(f"{site} {name}", "starting", error)
            traceback.print_exc(file=sys.stderr)
        if index % 20 == 19:
            time.sleep(0.05)  # not every connection at once
    print(json.dumps({"ready": len(actors)}), flush=True)
    line = sys.stdin.readline().split()
    if not line or line[0] != "go":
        return
    start, stop = float(line[1]), float(line[2])
    threads = []
    for index, (kind, actor) in enumerate(actors):
        rng = random.Random(f"{plan['seed']}:{plan['offset'] + index}")
        if kind == "kiosk":
            args: tuple[Any, ...] = (start, stop, plan["rate_per_kiosk"], rng)
        elif kind == "desk":
            args = (start, stop, rng)
        else:
            args = (stop + DRAIN_SECONDS,)
        threads.append(threading.Thread(target=_guarded, args=(rec, actor, args), daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(rec.as_json()), flush=True)


def _guarded(rec: Recorder, actor: Any, args: tuple[Any, ...]) -> None:
    try:
        actor.run(*args)
    except Exception as error:
        rec.error(getattr(actor, "name", "actor"), "running", error)


# -- the coordinator ------------------------------------------------------------------------


def _spawn(plan: dict[str, Any]) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ONESTOP_SPEECH": "off"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.load_bench", "--worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdin is not None
    process.stdin.write(json.dumps(plan) + "\n")
    process.stdin.flush()
    return process


def _read_line(process: subprocess.Popen[str], timeout: float, what: str) -> dict[str, Any]:
    answer: list[str] = []
    reader = threading.Thread(target=lambda: answer.append(process.stdout.readline()))  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout)
    if not answer or not answer[0].strip():
        tail = ""
        if process.poll() is not None and process.stderr is not None:
            tail = process.stderr.read()[-1500:]
        raise RuntimeError(
            f"a worker process gave no {what} within {timeout:.0f} s{tail and ':'}\n{tail}"
        )
    return json.loads(answer[0])


def _start_server(connections: int) -> Any:
    from tests.pg import PostgresServer

    server_class = type("LoadServer", (PostgresServer,), {"MAX_CONNECTIONS": connections})
    return server_class.start()


class Sampler:
    """Every few seconds during the run: connections to the database and the queue."""

    def __init__(self, url: str, site_ids: list[int]) -> None:
        import psycopg

        from shared.store.notify import _conninfo

        self.conn = psycopg.connect(_conninfo(url), autocommit=True)
        self.site_ids = site_ids
        self.samples: list[tuple[float, int, int]] = []  # (time, connections, waiting)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> tuple[int, int]:
        connections = self.conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        ).fetchone()
        waiting = self.conn.execute(
            "SELECT count(*) FROM visit WHERE site_id = ANY(%s) AND state IN "
            "('checked_in', 'greeted')",
            (self.site_ids,),
        ).fetchone()
        return int(connections[0]), int(waiting[0])  # type: ignore[index]

    def server_counts(self) -> dict[str, int]:
        """The server's own counters for this database (pg_stat_database)."""
        row = self.conn.execute(
            "SELECT xact_commit, xact_rollback, deadlocks, tup_returned + tup_fetched, "
            "tup_inserted + tup_updated + tup_deleted "
            "FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
        keys = ("commits", "rollbacks", "deadlocks", "rows_read", "rows_written")
        return dict(zip(keys, (int(v) for v in row), strict=True)) if row else {}

    def _run(self) -> None:
        while not self._stop.wait(5.0):
            with contextlib.suppress(Exception):
                self.samples.append((time.time(), *self.sample()))

    def start(self) -> None:
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(10)
        self.conn.close()


class CpuShares:
    """Where the machine's CPU went over the run (Linux /proc): the load generator (this
    process and its workers), the PostgreSQL server we started, and everything else
    (other programs on the same machine)."""

    def __init__(self, ours: list[int], server: Any) -> None:
        self.ours = ours
        self.postmaster = 0
        if server is not None:
            with contextlib.suppress(OSError, ValueError):
                pid_file = server.data / "postmaster.pid"
                self.postmaster = int(pid_file.read_text().split()[0])
        self.marks: list[tuple[float, float, float, float]] = []

    @staticmethod
    def _stat(pid: int) -> tuple[int, float]:
        """(parent pid, CPU seconds) of a process."""
        try:
            with open(f"/proc/{pid}/stat") as stream:
                fields = stream.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return 0, 0.0
        return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def mark(self) -> None:
        try:
            with open("/proc/stat") as stream:
                jiffies = [int(x) for x in stream.readline().split()[1:9]]
            pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        except OSError:
            return
        busy = (sum(jiffies) - jiffies[3] - jiffies[4]) / os.sysconf("SC_CLK_TCK")
        ours = sum(self._stat(pid)[1] for pid in self.ours)
        server = 0.0
        if self.postmaster:
            for pid in pids:
                parent, seconds = self._stat(pid)
                if pid == self.postmaster or parent == self.postmaster:
                    server += seconds
        self.marks.append((time.time(), busy, ours, server))

    def shares(self) -> dict[str, Any]:
        if len(self.marks) < 2:
            return {}
        (t0, busy0, ours0, server0), (t1, busy1, ours1, server1) = self.marks[:2]
        seconds = t1 - t0
        busy, ours, server = busy1 - busy0, ours1 - ours0, server1 - server0
        return {
            "cores": os.cpu_count(),
            "machine_busy_cores": round(busy / seconds, 2),
            "load_generator_cores": round(ours / seconds, 2),
            "postgres_cores": round(server / seconds, 2) if self.postmaster else None,
            "other_programs_cores": round(max(0.0, busy - ours - server) / seconds, 2),
        }


def run(args: argparse.Namespace) -> dict[str, Any]:
    from shared.domain import DomainError
    from shared.office import Office
    from shared.store import Database

    per_site_hour = peak_hour_visitors() * args.peak_factor
    actors_count = args.sites * (args.desks + args.kiosks)
    needed = actors_count + 2 * args.sites + 20  # each actor one, each display two, and us
    server = None
    scratch = Path(tempfile.mkdtemp(prefix="onestop-load-"))
    processes: list[subprocess.Popen[str]] = []
    try:
        if args.db:
            url = args.db
        else:
            server = _start_server(needed + 50)
            url = server.url(server.create_database("load"))
        db = Database(url)
        if db.dialect != "postgresql":
            raise DomainError("the load test runs on PostgreSQL: give a postgresql+psycopg:// URL")
        office = Office(db)
        room = _free_connections(db)
        if room < needed:
            raise DomainError(
                f"the server has room for {room} more connections; the load needs {needed} "
                "(raise max_connections, or run fewer sites, desks or kiosks)"
            )
        configs = site_configs(args.sites, args.desks)
        codes = []
        for config in configs:
            codes.append(office.load_site(config, "load test").code)
        _refuse_used(office, codes)
        layout = office.site(codes[0])
        scale = args.service_scale or auto_scale(
            args.desks, per_site_hour, mean_service_seconds(layout)
        )
        prefilled = _prefill(office, codes, random.Random(args.seed))
        site_ids = _site_ids(db, codes)

        # Plan the processes: actors spread evenly, the displays in their own.
        everyone: list[tuple[str, str, str]] = []
        for code in codes:
            site = office.site(code)
            everyone += [("desk", code, d.name) for d in site.desks]
            everyone += [("kiosk", code, f"Kiosk {n + 1}") for n in range(args.kiosks)]
        shares: list[list[tuple[str, str, str]]] = [[] for _ in range(args.processes)]
        for index, actor in enumerate(everyone):
            shares[index % args.processes].append(actor)
        base = {
            "url": url,
            "outbox_dir": str(scratch),
            "scale": scale,
            "seed": args.seed,
            "rate_per_kiosk": per_site_hour / 3600 / args.kiosks if args.kiosks else 0.0,
        }
        offset = 0
        for share in shares:
            processes.append(_spawn({**base, "role": "actors", "actors": share, "offset": offset}))
            offset += len(share)
        displays = [("display", code, "display") for code in codes]
        for index in range(0, len(displays), DISPLAYS_A_PROCESS):
            group = displays[index : index + DISPLAYS_A_PROCESS]
            processes.append(
                _spawn({**base, "role": "displays", "actors": group, "offset": offset})
            )
            offset += len(group)
        ready = [_read_line(p, 300, "ready line")["ready"] for p in processes]
        if sum(ready) != len(everyone) + len(displays):
            raise RuntimeError(
                f"only {sum(ready)} of {len(everyone) + len(displays)} actors started"
            )

        sampler = Sampler(url, site_ids)
        connections_before, waiting_before = sampler.sample()
        log_mark = _log_size(server)
        cpu = CpuShares([os.getpid(), *(p.pid for p in processes)], server)
        start = time.time() + 2.0
        stop = start + args.minutes * 60
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(f"go {start} {stop}\n")
            process.stdin.flush()
        sampler.start()
        _sleep_until(start, math.inf)
        cpu.mark()
        counts_before = sampler.server_counts()
        _sleep_until(stop, math.inf)
        cpu.mark()
        counts_after = sampler.server_counts()
        results = [_read_line(p, args.minutes * 60 + 240, "results") for p in processes]
        sampler.close()
        server_errors = _server_errors(server, log_mark)
        audit = _audit(db, site_ids, codes, results, prefilled, start, stop)
        figures = _figures(
            args, results, audit, sampler, server_errors, scale, per_site_hour, start, stop
        )
        figures["queue"]["at_start"] = waiting_before
        figures["connections"]["before_start"] = connections_before
        figures["cpu"] = cpu.shares()
        seconds = stop - start
        figures["server"] = {
            f"{key}_per_second": round((counts_after[key] - counts_before.get(key, 0)) / seconds, 1)
            for key in counts_after
        }
        db.dispose()
        return figures
    finally:
        for process in processes:
            _stop(process)
        if server is not None:
            server.stop()
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)


def _free_connections(db: Any) -> int:
    from sqlalchemy import text

    with db.engine.connect() as conn:
        most = int(conn.execute(text("SHOW max_connections")).scalar_one())
        reserved = int(conn.execute(text("SHOW superuser_reserved_connections")).scalar_one())
        used = int(conn.execute(text("SELECT count(*) FROM pg_stat_activity")).scalar_one())
    return most - reserved - used


def _refuse_used(office: Any, codes: list[str]) -> None:
    from shared.domain import DomainError

    for code in codes:
        if office.visits(code):
            raise DomainError(
                f"the database already holds today's visits at {code}: "
                "give the load test an empty database"
            )


def _prefill(office: Any, codes: list[str], rng: random.Random) -> set[int]:
    """A lunchtime peak under way at every site: a visitor at every desk (called and
    started before the clock starts, so the desks finish at random moments rather than
    all calling at once) and half as many again waiting."""
    weights = mix()
    ids = set()
    for code in codes:
        desks = office.site(code).desks
        for _ in range(len(desks) + len(desks) // 2):
            service = rng.choices(list(weights), list(weights.values()))[0]
            ids.add(office.checkin(code, service).visit_id)
        for desk in desks:
            if office.call_next(code, desk.name).ticket is not None:
                office.start(code, desk=desk.name)
    return ids


def _site_ids(db: Any, codes: list[str]) -> list[int]:
    from sqlalchemy import select

    from shared.store.tables import site_t

    with db.engine.connect() as conn:
        rows = conn.execute(select(site_t.c.id).where(site_t.c.code.in_(codes))).scalars()
        return sorted(int(r) for r in rows)


def _log_size(server: Any) -> int:
    log = server.directory / "server.log" if server is not None else None
    return log.stat().st_size if log is not None and log.exists() else 0


def _server_errors(server: Any, mark: int) -> list[str]:
    """The server log's ERROR and FATAL lines written during the run (own server only)."""
    if server is None:
        return []
    log = server.directory / "server.log"
    with log.open("rb") as stream:
        stream.seek(mark)
        text = stream.read().decode("utf-8", "replace")
    return [line for line in text.splitlines() if re.search(r"\b(ERROR|FATAL|PANIC):", line)]


def _audit(
    db: Any,
    site_ids: list[int],
    codes: list[str],
    results: list[dict[str, Any]],
    prefilled: set[int],
    start: float,
    stop: float,
) -> dict[str, Any]:
    """Every visit accounted for, no number twice, nobody called twice, every call shown."""
    from sqlalchemy import func, select

    from shared.store.tables import event_t, site_t, visit_t

    def gather(kind: str) -> list[Any]:
        return [item for r in results for item in r["lists"].get(kind, [])]

    checkins, calls, shown, finished = (
        gather(k) for k in ("checkins", "calls", "shown", "finished")
    )
    problems: list[str] = []
    with db.engine.connect() as conn:
        code_of = dict(
            conn.execute(select(site_t.c.id, site_t.c.code).where(site_t.c.id.in_(site_ids))).all()
        )
        visits = {
            row.id: row
            for row in conn.execute(select(visit_t).where(visit_t.c.site_id.in_(site_ids)))
        }
        called_events = Counter(
            dict(
                conn.execute(
                    select(event_t.c.visit_id, func.count())
                    .where(event_t.c.site_id.in_(site_ids), event_t.c.action == "called")
                    .group_by(event_t.c.visit_id)
                ).all()
            )
        )
    numbers = Counter((v.site_id, v.ticket_day, v.ticket) for v in visits.values())
    for (site_id, day, ticket), n in numbers.items():
        if n > 1:
            problems.append(f"ticket {ticket} issued {n} times at {code_of[site_id]} on {day}")
    made = {c[2] for c in checkins}
    for site, ticket, visit_id, *_ in checkins:
        row = visits.get(visit_id)
        if row is None or row.ticket != ticket or code_of[row.site_id] != site:
            problems.append(f"check-in {site} {ticket} (visit {visit_id}) is not in the database")
    for visit_id, row in visits.items():
        if visit_id not in made and visit_id not in prefilled:
            problems.append(f"visit {visit_id} ({row.ticket}) was never checked in by the load")
    by_visit = Counter(c[3] for c in calls)
    for visit_id, n in by_visit.items():
        if n > 1:
            problems.append(f"visit {visit_id} was given to {n} Call next presses")
    for visit_id, n in called_events.items():
        if n > 1:
            problems.append(f"visit {visit_id} has {n} 'called' steps in its history")
    for site, desk, ticket, visit_id, *_ in calls:
        row = visits.get(visit_id)
        if row is None or row.ticket != ticket or row.desk != desk or row.first_called_at is None:
            problems.append(f"call of {site} {ticket} at {desk} is not in the database as made")
    for site, ticket, visit_id in finished:
        row = visits.get(visit_id)
        if row is None or row.state != "finished":
            problems.append(f"{site} {ticket} was finished but is {row.state if row else 'gone'}")
    at_desks = Counter(
        (v.site_id, v.desk) for v in visits.values() if v.state in ("called", "serving")
    )
    for (site_id, desk), n in at_desks.items():
        if n > 1:
            problems.append(f"{desk} at {code_of[site_id]} holds {n} visitors at once")
    # The displays: every call shown at its own site, once; nothing shown that nobody called.
    shown_first: dict[tuple[str, str], float] = {}
    for site, ticket, _event, recall, at in shown:
        key = (site, ticket)
        if recall:
            continue
        if key in shown_first:
            problems.append(f"the display at {site} showed the call of {ticket} twice")
        shown_first[key] = min(at, shown_first.get(key, at))
    call_keys = {(c[0], c[2]) for c in calls}
    for key in call_keys - set(shown_first):
        problems.append(f"the display at {key[0]} never showed the call of {key[1]}")
    for key in set(shown_first) - call_keys:
        problems.append(f"the display at {key[0]} showed a call of {key[1]} nobody made")
    display_ms = [
        (shown_first[(c[0], c[2])] - c[4]) * 1000 for c in calls if (c[0], c[2]) in shown_first
    ]
    # From Call next's return (its commit) to the display: the notification and the read.
    after_commit_ms = [
        (shown_first[(c[0], c[2])] - c[4]) * 1000 - c[5]
        for c in calls
        if (c[0], c[2]) in shown_first
    ]
    run_calls = {c[3] for c in calls}
    called = [v for v in visits.values() if v.id in run_calls and v.first_called_at is not None]
    waits = [(v.first_called_at - v.arrived_at).total_seconds() / 60 for v in called]
    return {
        "problems": problems,
        "display_ms": display_ms,
        "after_commit_ms": after_commit_ms,
        "visits": len(visits),
        "waiting_at_end": sum(1 for v in visits.values() if v.state in ("checked_in", "greeted")),
        "waiting_by_site": Counter(
            code_of[v.site_id] for v in visits.values() if v.state in ("checked_in", "greeted")
        ),
        "wait_minutes": waits,
        "served_in_target": sum(1 for w in waits if w <= 15),
        "sites": codes,
    }


def _figures(
    args: argparse.Namespace,
    results: list[dict[str, Any]],
    audit: dict[str, Any],
    sampler: Sampler,
    server_errors: list[str],
    scale: float,
    per_site_hour: float,
    start: float,
    stop: float,
) -> dict[str, Any]:
    def gather(kind: str) -> list[Any]:
        return [item for r in results for item in r["lists"].get(kind, [])]

    counts: Counter[str] = Counter()
    for r in results:
        counts.update(r["counts"])
    exceptions = sum(r["error_count"] for r in results)
    examples = [e for r in results for e in r["errors"]][:ERRORS_KEPT]
    problems = audit["problems"]
    errors = exceptions + len(problems) + len(server_errors)
    checkins, calls = gather("checkins"), gather("calls")
    seconds = stop - start
    hours = seconds / 3600
    asked = per_site_hour * args.sites
    lateness = [c[5] for c in checkins]
    # The kiosks' own draws: how many arrivals their Poisson schedules held.
    on_time = sum(1 for late in lateness if late <= SCHEDULE_LAG_SECONDS)
    waiting = [w for _t, _c, w in sampler.samples]
    connections = [c for _t, c, _w in sampler.samples]
    return {
        "asked": {
            "sites": args.sites,
            "desks_per_site": args.desks,
            "kiosks_per_site": args.kiosks,
            "minutes": args.minutes,
            "peak_factor": args.peak_factor,
            "peak_hour_visitors_per_site": round(peak_hour_visitors(), 1),
            "arrivals_per_hour": round(asked, 1),
            "service_scale": scale,
            "processes": args.processes + math.ceil(args.sites / DISPLAYS_A_PROCESS),
        },
        "checkins": len(checkins),
        "calls": len(calls),
        "empty_calls": counts["empty_calls"],
        "starts": len(gather("starts")),
        "finishes": len(gather("finishes")),
        "desk_refreshes": counts["desk_refreshes"],
        "link_steps": counts["link_steps"],
        "display_refreshes": counts["display_refreshes"],
        "notifications": counts["notifications"],
        "errors": errors,
        "error_parts": {
            "exceptions": exceptions,
            "audit": len(problems),
            "server_log": len(server_errors),
        },
        "error_examples": examples
        + [{"audit": p} for p in problems[:ERRORS_KEPT]]
        + [{"server_log": line} for line in server_errors[:ERRORS_KEPT]],
        "call_to_display_ms": summary(audit["display_ms"]),
        "commit_to_display_ms": summary(audit["after_commit_ms"]),
        "call_next_ms": summary([c[5] for c in calls], 2),
        "checkin_ms": summary([c[3] for c in checkins], 2),
        "start_ms": summary(gather("starts"), 2),
        "finish_ms": summary(gather("finishes"), 2),
        "kiosk_lateness_s": summary(lateness, 2),
        "arrival_rate": {
            "asked_per_hour": round(asked, 1),
            "achieved_per_hour": round(len(checkins) / hours, 1) if hours else None,
            "achieved_share": round(len(checkins) / (asked * hours), 3) if hours else None,
            "on_schedule_share": round(on_time / len(checkins), 3) if checkins else None,
        },
        "connections": {
            "max": max(connections, default=None),
            "median": round(statistics.median(connections)) if connections else None,
        },
        "queue": {
            "max": max(waiting, default=None),
            "at_end": audit["waiting_at_end"],
            "at_end_busiest_site": max(audit["waiting_by_site"].values(), default=0),
            "wait_to_call_minutes": summary(audit["wait_minutes"]),
            "called_within_15_min_share": round(
                audit["served_in_target"] / len(audit["wait_minutes"]), 3
            )
            if audit["wait_minutes"]
            else None,
        },
    }


def verdicts(figures: dict[str, Any]) -> list[tuple[bool, str]]:
    display = figures["call_to_display_ms"]
    rate = figures["arrival_rate"]
    lateness = figures["kiosk_lateness_s"]
    parts = figures["error_parts"]
    on_schedule = rate["on_schedule_share"]
    return [
        (
            figures["errors"] == 0,
            f"errors: {figures['errors']} ({parts['exceptions']} exceptions, {parts['audit']} "
            f"audit failures, {parts['server_log']} server log errors; target 0)",
        ),
        (
            display["p95"] is not None and display["p95"] <= DISPLAY_TARGET_MS,
            f"call to display: {display['count']} calls, median {display['median']} ms, "
            f"p95 {display['p95']} ms, max {display['max']} ms "
            f"(target p95 <= {DISPLAY_TARGET_MS} ms)",
        ),
        (
            on_schedule is not None
            and on_schedule >= SCHEDULE_SHARE
            and (lateness["p95"] or 0) <= SCHEDULE_LAG_SECONDS,
            f"kiosks kept to their arrivals: {on_schedule} of check-ins within "
            f"{SCHEDULE_LAG_SECONDS:.0f} s of the visitor's arrival, lateness p95 "
            f"{lateness['p95']} s (target >= {SCHEDULE_SHARE} and p95 <= "
            f"{SCHEDULE_LAG_SECONDS:.0f} s: the load asked for was delivered)",
        ),
    ]


def report_lines(figures: dict[str, Any]) -> list[str]:
    asked, rate, queue_ = figures["asked"], figures["arrival_rate"], figures["queue"]
    cn, ci = figures["call_next_ms"], figures["checkin_ms"]
    lines = [
        f"load: {asked['sites']} sites x ({asked['desks_per_site']} desks + "
        f"{asked['kiosks_per_site']} kiosks + 1 display), {asked['minutes']} min, "
        f"{asked['peak_factor']} x a busy site's peak of {asked['peak_hour_visitors_per_site']} "
        f"an hour, service times x {asked['service_scale']}, {asked['processes']} processes",
        f"check-ins: {figures['checkins']}   calls: {figures['calls']} "
        f"(and {figures['empty_calls']} that found nobody)   starts: {figures['starts']}   "
        f"finishes: {figures['finishes']}",
        f"arrival rate: asked {rate['asked_per_hour']} an hour, achieved "
        f"{rate['achieved_per_hour']} ({rate['achieved_share']} of asked)",
        f"call next: median {cn['median']} ms, p95 {cn['p95']} ms, max {cn['max']} ms   "
        f"check-in: median {ci['median']} ms, p95 {ci['p95']} ms, max {ci['max']} ms",
        f"database connections: {figures['connections']['max']} at most "
        f"({figures['connections']['before_start']} before the start)",
        f"queue: {queue_['at_start']} waiting at the start, {queue_['max']} at most, "
        f"{queue_['at_end']} at the end (busiest site {queue_['at_end_busiest_site']}); wait to "
        f"call median {queue_['wait_to_call_minutes']['median']} min, p95 "
        f"{queue_['wait_to_call_minutes']['p95']} min, "
        f"{queue_['called_within_15_min_share']} called within 15 min",
        f"background: {figures['desk_refreshes']} desk refreshes, {figures['link_steps']} "
        f"kiosk link steps, {figures['display_refreshes']} display refreshes after "
        f"{figures['notifications']} notifications",
    ]
    after = figures["commit_to_display_ms"]
    lines.append(
        f"of the call to display, from Call next's commit: median {after['median']} ms, "
        f"p95 {after['p95']} ms (the notification and the display's read)"
    )
    server = figures.get("server") or {}
    if server:
        lines.append(
            f"the server: {server['commits_per_second']} transactions a second "
            f"({server['rollbacks_per_second']} rolled back, {server['deadlocks_per_second']} "
            f"deadlocks), rows read {server['rows_read_per_second']} and written "
            f"{server['rows_written_per_second']} a second"
        )
    cpu = figures.get("cpu") or {}
    if cpu:
        lines.append(
            f"CPU over the run ({cpu['cores']} cores): {cpu['machine_busy_cores']} busy = load "
            f"generator {cpu['load_generator_cores']} + PostgreSQL {cpu['postgres_cores']} + "
            f"other programs {cpu['other_programs_cores']}"
        )
    for example in figures["error_examples"]:
        lines.append(f"  error: {json.dumps(example)}")
    return lines


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.load_bench",
        description="A simulated council against one PostgreSQL server.",
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="how long the load runs")
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--desks", type=int, default=20, help="desks at each site")
    parser.add_argument("--kiosks", type=int, default=4, help="kiosks at each site")
    parser.add_argument("--peak-factor", type=float, default=5.0, help="times a busy peak hour")
    parser.add_argument("--db", help="a PostgreSQL URL (default: a throwaway server of its own)")
    parser.add_argument("--processes", type=int, default=4, help="worker processes for actors")
    parser.add_argument(
        "--service-scale",
        default="auto",
        help="service times as a share of the sites' own (auto: desks 90%% busy)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    args = parser.parse_args(argv)
    if not (math.isfinite(args.minutes) and 0.05 <= args.minutes <= 600):
        parser.error("--minutes must be between 0.05 and 600")
    if not 1 <= args.sites <= 99:
        parser.error("--sites must be 1 to 99")
    if not 1 <= args.desks <= 60:
        parser.error("--desks must be 1 to 60")
    if not 1 <= args.kiosks <= 20:
        parser.error("--kiosks must be 1 to 20")
    if not (math.isfinite(args.peak_factor) and 0 < args.peak_factor <= 100):
        parser.error("--peak-factor must be above 0 and at most 100")
    if not 1 <= args.processes <= 64:
        parser.error("--processes must be 1 to 64")
    if args.service_scale == "auto":
        args.service_scale = None
    else:
        try:
            args.service_scale = float(args.service_scale)
        except ValueError:
            parser.error("--service-scale takes auto or a number, e.g. 0.3")
        if not (math.isfinite(args.service_scale) and 0.001 <= args.service_scale <= 10):
            parser.error("--service-scale must be between 0.001 and 10")
    if args.db is not None and not args.db.startswith(("postgresql://", "postgresql+psycopg://")):
        parser.error("--db takes a PostgreSQL URL: postgresql+psycopg://USER@HOST/DB")
    return args


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        worker(json.loads(sys.stdin.readline()))
        return 0
    args = parse_args(argv)
    from sqlalchemy.exc import SQLAlchemyError

    from shared.domain import DomainError

    try:
        figures = run(args)
    except DomainError as error:
        print(f"load test: {error}", file=sys.stderr)
        return 2
    except SQLAlchemyError as error:  # --db names a server that cannot be reached or used
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        print(
            f"load test: the database cannot be used: {reason[0] if reason else error}",
            file=sys.stderr,
        )
        return 2
    except RuntimeError as error:  # no PostgreSQL here, or a worker that did not start
        print(f"load test: {error}", file=sys.stderr)
        return 1
    lines = verdicts(figures)
    met = all(ok for ok, _ in lines)
    if args.json:
        figures["targets"] = [{"pass": ok, "target": text} for ok, text in lines]
        figures["targets_met"] = met
        print(json.dumps(figures, indent=2, default=str))
    else:
        for line in report_lines(figures):
            print(line)
        for ok, text in lines:
            print(f"{'PASS' if ok else 'FAIL'}  {text}")
        print("all targets met" if met else "TARGET MISSED: exit status 1")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
