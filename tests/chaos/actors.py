"""The apps' hands for the chaos tests: one process per kiosk, desk or receptionist,
each a loop over the same core API the apps call (shared.office.Office, and for the
kiosk its outbox and link, kiosk/outbox.py and kiosk/link.py), killed with SIGKILL
at random and started again by tests/chaos/scenarios.py.

    python -m tests.chaos.actors kiosk URL SITE NAME OUTBOX SEED
    python -m tests.chaos.actors desk URL SITE NAME SEED
    python -m tests.chaos.actors reception URL SITE NAME SEED

Each prints one JSON line per thing it did, flushed as soon as the database (or, for
an offline check-in, the outbox on disk) has it: a line is a promise the audit holds
the database to. A line may be missing (killed between the commit and the print),
never wrong. `wall` is time.time() at the line.

The kiosk works as the kiosk's presenter does (kiosk/presenter.py): online it checks
in through Office.checkin; when the database cannot be reached it takes a number
from its outbox, and a link step every second (on a thread of its own, as the
presenter's worker) sends what the outbox holds and keeps its blocks topped up.
"""

from __future__ import annotations

import json
import random
import sys
import threading
import time
from datetime import UTC, datetime
from typing import Any

SERVICES = ["council-tax", "payments", "housing-benefit", "general-enquiries"]
DESK_PAUSE = (0.05, 0.25)  # seconds a visitor is with the desk
KIOSK_PAUSE = (0.08, 0.3)  # seconds between visitors at a kiosk
RETRY_SECONDS = 0.1  # after the database did not answer
START_DEADLINE = 60.0  # an actor that cannot start within this gives up (exit 3)


def say(event: str, **details: Any) -> None:
    print(json.dumps({"event": event, "wall": time.time(), **details}), flush=True)


def _office(url: str) -> Any:
    """The office, waiting for the database if it is away when the actor starts."""
    from sqlalchemy.exc import SQLAlchemyError

    from shared.office import Office
    from shared.store import Database

    deadline = time.monotonic() + START_DEADLINE
    while True:
        try:
            return Office(Database(url))
        except SQLAlchemyError as error:
            if time.monotonic() > deadline:
                say("gave_up", error=str(error).splitlines()[0])
                raise SystemExit(3) from None
            time.sleep(RETRY_SECONDS)


def kiosk(url: str, site: str, name: str, outbox_path: str, seed: int) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from kiosk.link import Link, unreachable
    from kiosk.outbox import NoNumberLeft, Outbox, OutboxError
    from shared.domain.tickets import ticket_day

    rng = random.Random(seed)
    office = _office(url)
    outbox = Outbox(outbox_path)
    link = Link(office, outbox, site, name, lambda: datetime.now(UTC))
    chosen, online = link.load_site()
    state = {"online": online, "offline_at": 0.0 if online else time.monotonic()}
    lock = threading.Lock()

    def links() -> None:  # the presenter's link worker: a step a second
        while True:
            report = link.step()
            for entry in report.sent:
                say("sent", ticket=entry.ticket, day=entry.day.isoformat(), key=entry.key)
            for entry, error in report.failed:
                say("refused", ticket=entry.ticket, day=entry.day.isoformat(), error=error)
            with lock:
                if report.online and report.started > state["offline_at"]:
                    if not state["online"]:
                        say("online")
                    state["online"] = True
                elif report.online is False and state["online"]:
                    state["online"] = False
                    state["offline_at"] = time.monotonic()
                    say("offline", error=report.error)
            time.sleep(1.0)

    threading.Thread(target=links, daemon=True).start()
    say("ready", online=online)
    while True:
        service = rng.choice(SERVICES)
        with lock:
            online = state["online"]
        if online:
            try:
                result = office.checkin(site, service)
            except SQLAlchemyError as error:
                if not unreachable(error):
                    raise
                with lock:
                    state["online"] = False
                    state["offline_at"] = time.monotonic()
                say("offline", error=str(getattr(error, "orig", error)).splitlines()[0])
            else:
                day = ticket_day(datetime.fromisoformat(result.arrived_at), chosen.timezone)
                say(
                    "ticket",
                    ticket=result.ticket,
                    day=day.isoformat(),
                    visit_id=result.visit_id,
                    offline=False,
                    arrived_at=result.arrived_at,
                )
                time.sleep(rng.uniform(*KIOSK_PAUSE))
                continue
        now = datetime.now(UTC)
        try:
            entry = outbox.issue(
                site=chosen.code,
                day=ticket_day(now + link.offset, chosen.timezone),
                letter=chosen.service(service).letter,
                service=service,
                kiosk_clock=now,
                offset=link.offset,
            )
        except NoNumberLeft as error:
            say("no_number", error=str(error))
        except OutboxError as error:
            say("unavailable", error=str(error))
        else:
            say(
                "ticket",
                ticket=entry.ticket,
                day=entry.day.isoformat(),
                key=entry.key,
                offline=True,
                arrived_at=entry.arrived_at.isoformat(),
            )
        time.sleep(rng.uniform(*KIOSK_PAUSE))


def desk(url: str, site: str, name: str, seed: int) -> None:
    """Call next, start, finish; a desk started again finds its visitor as it left them
    (the desk console shows who it is dealing with) and finishes them first."""
    from sqlalchemy.exc import SQLAlchemyError

    from shared.domain import DomainError, Outcome, OutcomeKind

    rng = random.Random(seed)
    office = _office(url)
    done = Outcome(OutcomeKind.RESOLVED)
    say("ready")
    while True:
        try:
            result = office.call_next(site, name)
            if result.ticket is None:
                time.sleep(0.1)
                continue
            say("called", ticket=result.ticket, visit_id=result.visit_id, closed=result.closed)
            time.sleep(rng.uniform(*DESK_PAUSE) / 2)
            office.start(site, desk=name)
            time.sleep(rng.uniform(*DESK_PAUSE) / 2)
            visit = office.finish(site, done, desk=name)
            say("finished", ticket=visit.ticket, visit_id=visit.id)
        except DomainError as error:  # killed while serving: finish that visitor first
            say("desk_said", error=str(error))
            try:
                office.finish(site, done, desk=name)
            except DomainError:
                time.sleep(RETRY_SECONDS)
            except SQLAlchemyError:
                time.sleep(RETRY_SECONDS)
        except SQLAlchemyError as error:
            say("db_error", error=str(getattr(error, "orig", error)).splitlines()[0][:200])
            time.sleep(RETRY_SECONDS)


def reception(url: str, site: str, name: str, seed: int) -> None:
    """Greets whoever is waiting and not yet greeted, oldest first, a few at a time."""
    from sqlalchemy.exc import SQLAlchemyError

    from shared.domain import DomainError

    rng = random.Random(seed)
    office = _office(url)
    say("ready")
    while True:
        try:
            waiting = [w for w in office.waiting(site) if w.state == "checked_in"]
            for visitor in waiting[: rng.randint(1, 3)]:
                try:
                    office.greet(site, visitor.ticket)
                except DomainError:  # called meanwhile
                    continue
                say("greeted", ticket=visitor.ticket, visit_id=visitor.visit_id)
        except SQLAlchemyError as error:
            say("db_error", error=str(getattr(error, "orig", error)).splitlines()[0][:200])
        time.sleep(rng.uniform(0.1, 0.4))


def main(argv: list[str]) -> int:
    role, rest = argv[0], argv[1:]
    if role == "kiosk":
        url, site, name, outbox, seed = rest
        kiosk(url, site, name, outbox, int(seed))
    elif role == "desk":
        url, site, name, seed = rest
        desk(url, site, name, int(seed))
    elif role == "reception":
        url, site, name, seed = rest
        reception(url, site, name, int(seed))
    else:
        print(f"unknown actor {role!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
