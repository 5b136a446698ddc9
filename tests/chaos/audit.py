"""After the chaos: is every visit accounted for?

`audit(url, promised, outboxes)` reads the whole database and returns the problems
found (an empty list when all is well):

- every ticket a kiosk printed (a "ticket" line of tests/chaos/actors.py, or one the
  test issued itself) is in the database exactly once, for that site and day, with
  the visit id it was given online, and (offline) its true arrival time;
- every kiosk outbox has sent everything it holds (nothing pending, nothing refused);
- no ticket number twice per site and day;
- no visit called twice (its trail holds at most one "called" step: the actors never
  recall), every visit has its check-in step first, and its steps' times never go
  backwards;
- lifecycle times in order (arrived <= greeted, arrived <= first called <= called
  <= serving <= ended), and each state with the times and desk it needs; a desk
  holds one visitor at a time;
- the kept queue counts (queue_count) equal the waiting visitors counted afresh.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

ARRIVAL_SLACK = timedelta(seconds=1)  # an offline arrival as the kiosk's clock had it


@dataclass(frozen=True)
class Promise:
    """A ticket a visitor holds: the audit finds it in the database exactly once."""

    site: str
    day: date
    ticket: str
    visit_id: int | None = None  # known for online check-ins
    arrived_at: datetime | None = None  # offline: the arrival the kiosk recorded
    source: str = ""

    @classmethod
    def from_line(cls, site: str, line: dict[str, Any], source: str = "") -> Promise:
        return cls(
            site,
            date.fromisoformat(line["day"]),
            line["ticket"],
            line.get("visit_id") if not line.get("offline") else None,
            datetime.fromisoformat(line["arrived_at"]) if line.get("offline") else None,
            source,
        )


@dataclass
class Totals:
    visits: int = 0
    called: int = 0
    finished: int = 0
    offline: int = 0  # visits that reached the database from an outbox


def audit(
    url: str, promised: Iterable[Promise], outboxes: Iterable[Path] = ()
) -> tuple[list[str], Totals]:
    from kiosk.outbox import Outbox
    from shared.store import Database
    from shared.store.repository import is_waiting
    from shared.store.tables import count_t, event_t, site_t, visit_t

    problems: list[str] = []
    totals = Totals()
    db = Database(url, migrate=False)
    try:
        with db.transaction(write=False) as tx:
            sites = {r.id: r.code for r in tx.conn.execute(select(site_t.c.id, site_t.c.code))}
            visits = tx.conn.execute(select(visit_t).order_by(visit_t.c.id)).all()
            events = tx.conn.execute(select(event_t).order_by(event_t.c.id)).all()
            kept = Counter(
                {
                    (r.site_id, r.service, r.rank_class): r.waiting
                    for r in tx.conn.execute(select(count_t))
                    if r.waiting
                }
            )
            counted = Counter(
                (r.site_id, r.service, r.rank_class)
                for r in tx.conn.execute(
                    select(visit_t.c.site_id, visit_t.c.service, visit_t.c.rank_class).where(
                        is_waiting()
                    )
                )
            )
    finally:
        db.dispose()
    totals.visits = len(visits)
    by_ticket: dict[tuple[str, date, str], list[Any]] = defaultdict(list)
    by_id = {v.id: v for v in visits}
    for visit in visits:
        by_ticket[(sites[visit.site_id], visit.ticket_day, visit.ticket)].append(visit)
    for key, rows in by_ticket.items():
        if len(rows) > 1:
            problems.append(f"ticket {key[2]} of {key[1]} at {key[0]} issued {len(rows)} times")

    for promise in promised:
        rows = by_ticket.get((promise.site, promise.day, promise.ticket), [])
        if len(rows) != 1:
            problems.append(
                f"{promise.source}'s ticket {promise.ticket} of {promise.day} is in the "
                f"database {len(rows)} times"
            )
            continue
        [row] = rows
        if promise.visit_id is not None and row.id != promise.visit_id:
            problems.append(
                f"{promise.source}'s ticket {promise.ticket} was visit {promise.visit_id}, "
                f"the database has it as {row.id}"
            )
        if promise.arrived_at is not None and abs(row.arrived_at - promise.arrived_at) > (
            ARRIVAL_SLACK
        ):
            problems.append(
                f"offline ticket {promise.ticket} arrived {promise.arrived_at.isoformat()}, "
                f"the database says {row.arrived_at.isoformat()}"
            )

    for path in outboxes:
        outbox = Outbox(path)
        try:
            for entry in outbox.checkins():
                if entry.status != "sent":
                    problems.append(
                        f"outbox {path.name}: {entry.ticket} of {entry.day} is {entry.status}"
                        + (f" ({entry.error})" if entry.error else "")
                    )
                    continue
                totals.offline += 1
                rows = by_ticket.get((entry.site, entry.day, entry.ticket), [])
                if len(rows) != 1 or rows[0].id != entry.visit_id:
                    problems.append(
                        f"outbox {path.name}: {entry.ticket} sent as visit {entry.visit_id}, "
                        f"the database holds {[r.id for r in rows]}"
                    )
        finally:
            outbox.close()

    trail: dict[int, list[Any]] = defaultdict(list)
    for event in events:
        trail[event.visit_id].append(event)
    holding: dict[tuple[int, str], list[str]] = defaultdict(list)
    for visit in visits:
        steps = trail.get(visit.id, [])
        label = f"{sites[visit.site_id]} {visit.ticket} ({visit.ticket_day})"
        if not steps or steps[0].action != "checked_in":
            problems.append(f"{label}: its trail does not begin with its check-in")
        calls = sum(1 for s in steps if s.action == "called")
        totals.called += bool(calls)
        if calls > 1:
            problems.append(f"{label} was called {calls} times")
        if calls != (visit.first_called_at is not None):
            problems.append(
                f"{label}: {calls} calls in its trail, first called {visit.first_called_at}"
            )
        for before, after in itertools.pairwise(steps):
            if after.at < before.at:
                problems.append(f"{label}: {after.action} at {after.at} before {before.action}")
        problems += _lifecycle(label, visit)
        if visit.state in ("called", "serving"):
            holding[(visit.site_id, visit.desk)].append(visit.ticket)
        totals.finished += visit.state == "finished"
    for (site_id, desk), tickets in holding.items():
        if len(tickets) > 1:
            problems.append(f"{sites[site_id]} {desk} holds {len(tickets)} visitors: {tickets}")
    if kept != counted:
        problems.append(f"queue counts kept {dict(kept)} but waiting {dict(counted)}")
    assert all(v in by_id for v in trail), "a step of a visit that is not there"
    return problems, totals


def _lifecycle(label: str, visit: Any) -> list[str]:
    problems = []
    order = [
        ("arrived", visit.arrived_at),
        ("first called", visit.first_called_at),
        ("called", visit.called_at),
        ("serving", visit.serving_at),
        ("ended", visit.ended_at),
    ]
    known = [(name, at) for name, at in order if at is not None]
    for (name_a, a), (name_b, b) in itertools.pairwise(known):
        if b < a:
            problems.append(f"{label}: {name_b} {b} before {name_a} {a}")
    if visit.greeted_at is not None and visit.greeted_at < visit.arrived_at:
        problems.append(f"{label}: greeted before it arrived")
    needs = {
        "checked_in": (),
        "greeted": ("greeted_at",),
        "called": ("called_at", "desk"),
        "serving": ("called_at", "serving_at", "desk"),
        "finished": ("called_at", "serving_at", "ended_at", "outcome"),
        "no_show": ("ended_at",),
        "left": ("ended_at",),
        "parked": ("parked_at",),
    }
    if visit.state not in needs:
        return [*problems, f"{label}: unknown state {visit.state!r}"]
    missing = [column for column in needs[visit.state] if getattr(visit, column) is None]
    if missing:
        problems.append(f"{label} is {visit.state} without {', '.join(missing)}")
    if visit.state in ("checked_in", "greeted") and visit.ended_at is not None:
        problems.append(f"{label} is waiting but ended at {visit.ended_at}")
    return problems
