"""Reading and writing visits inside one transaction.

Every write goes through `save_visit`, which keeps the queue's derived columns
(the policy rank), the waiting counts and the audit trail in step with the
visit, and tells subscribers the site changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, insert, or_, select, text, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from shared.domain import DomainError, NotFound, Outcome, Site, State, Visit, quoted
from shared.domain.policy import callable_from, policy_for, rank
from shared.domain.visit import WAITING

from .db import Tx
from .tables import WAITING_SQL, WITH_DESK_SQL, count_t, event_t, site_t, visit_t

WAITING_STATES = tuple(s.value for s in WAITING)


def is_waiting() -> Any:
    """The waiting condition, written exactly as the partial index's, so that SQLite
    (and PostgreSQL's generic plans) can use ix_visit_waiting."""
    return text(WAITING_SQL)


def is_with_desk() -> Any:
    return text(WITH_DESK_SQL)


CHANNEL = "onestop"


@dataclass(frozen=True)
class SiteRef:
    id: int
    site: Site

    @property
    def code(self) -> str:
        return self.site.code


@lru_cache(maxsize=64)
def _parse(config: str) -> Site:
    from shared.config import parse_site

    return parse_site(config, "site configuration stored in the database")


def get_site(tx: Tx, code: str) -> SiteRef:
    # PostgreSQL refuses a NUL in a query's text (an error, not "no such site").
    wanted = code.strip().lower().replace("\x00", "\ufffd")
    row = tx.conn.execute(
        select(site_t.c.id, site_t.c.config).where(site_t.c.code == wanted)
    ).first()
    if row is None:
        known = tx.conn.execute(select(site_t.c.code).order_by(site_t.c.code)).scalars().all()
        raise NotFound(f"no site {quoted(code)} (sites: {', '.join(known) or 'none loaded yet'})")
    return SiteRef(row.id, _parse(row.config))


def site_codes(tx: Tx) -> list[str]:
    return list(tx.conn.execute(select(site_t.c.code).order_by(site_t.c.code)).scalars())


# -- rows <-> visits -------------------------------------------------------------


def visit_from_row(row: Any, site_code: str) -> Visit:
    outcome = Outcome.parse(row.outcome, row.outcome_detail or "") if row.outcome else None
    return Visit(
        id=row.id,
        site=site_code,
        service=row.service,
        ticket=row.ticket,
        arrived_at=row.arrived_at,
        state=State(row.state),
        priority=row.priority,
        appointment_ref=None,
        appointment_at=row.appointment_at,
        flags=json.loads(row.flags or "{}"),
        greeted_at=row.greeted_at,
        first_called_at=row.first_called_at,
        called_at=row.called_at,
        call_count=row.call_count,
        serving_at=row.serving_at,
        parked_at=row.parked_at,
        ended_at=row.ended_at,
        desk=row.desk,
        assigned_desk=row.assigned_desk,
        transfers=row.transfers,
        outcome=outcome,
    )


def _columns(visit: Visit, site: Site) -> dict[str, Any]:
    policy = policy_for(site)
    key = rank(visit, site.prioritised_services, policy)
    return {
        "service": visit.service,
        "state": visit.state.value,
        "priority": visit.priority,
        "appointment_at": visit.appointment_at,
        "flags": json.dumps(visit.flags, sort_keys=True),
        "arrived_at": visit.arrived_at,
        "greeted_at": visit.greeted_at,
        "first_called_at": visit.first_called_at,
        "called_at": visit.called_at,
        "call_count": visit.call_count,
        "serving_at": visit.serving_at,
        "parked_at": visit.parked_at,
        "ended_at": visit.ended_at,
        "desk": visit.desk,
        "assigned_desk": visit.assigned_desk,
        "transfers": visit.transfers,
        "outcome": visit.outcome.kind.value if visit.outcome else None,
        "outcome_detail": visit.outcome.detail if visit.outcome else None,
        "rank_class": key.klass,
        "rank_at": key.at,
        "callable_at": callable_from(visit, policy),
        "arrived_hour": visit.arrived_at.astimezone(ZoneInfo(site.timezone)).hour,
    }


def _queue_key(columns: dict[str, Any]) -> tuple[str, int] | None:
    if columns["state"] in WAITING_STATES:
        return (columns["service"], columns["rank_class"])
    return None


# -- writes ----------------------------------------------------------------------


def insert_visit(
    tx: Tx,
    ref: SiteRef,
    visit: Visit,
    ticket_day: date,
    appointment_id: int | None,
    *,
    at: Any = None,
    detail: str = "",
    staff: str | None = None,
) -> int:
    """Add a visit (its check-in event at `at`, the transaction's time unless given:
    a kiosk's offline check-in happened before it reached the database; `staff`: who
    added it, when reception did)."""
    columns = _columns(visit, ref.site)
    visit_id = tx.conn.execute(
        insert(visit_t)
        .values(
            site_id=ref.id,
            ticket=visit.ticket,
            ticket_day=ticket_day,
            appointment_id=appointment_id,
            **columns,
        )
        .returning(visit_t.c.id)
    ).scalar_one()
    visit.id = visit_id
    _adjust_counts(tx, ref.id, None, _queue_key(columns))
    log_event(tx, ref.id, visit, "checked_in", at or tx.now, detail, staff)
    changed(tx, ref)
    return int(visit_id)


def save_visit(
    tx: Tx,
    ref: SiteRef,
    visit: Visit,
    before: Visit,
    action: str,
    detail: str = "",
    staff: str | None = None,
) -> None:
    """Write a visit after a domain transition (`before` is its state as loaded);
    `staff`: the member of staff who did it, for the audit trail."""
    old = _columns(before, ref.site)
    new = _columns(visit, ref.site)
    tx.conn.execute(update(visit_t).where(visit_t.c.id == visit.id).values(**new))
    _adjust_counts(tx, ref.id, _queue_key(old), _queue_key(new))
    log_event(tx, ref.id, visit, action, tx.now, detail, staff)
    changed(tx, ref)


def log_event(
    tx: Tx,
    site_id: int,
    visit: Visit,
    action: str,
    at: Any,
    detail: str = "",
    staff: str | None = None,
) -> None:
    values = {
        "visit_id": visit.id,
        "site_id": site_id,
        "at": at,
        "action": action,
        "state": visit.state.value,
        "desk": visit.desk,
        "detail": detail or None,
    }
    if staff:  # (the kiosk's login may not write it: its check-ins name nobody)
        values["staff_name"] = staff
    tx.conn.execute(insert(event_t).values(**values))


def changed(tx: Tx, ref: SiteRef) -> None:
    """Tell subscribers the site's queue changed (delivered when the transaction commits)."""
    if tx.postgres:
        tx.conn.execute(
            text("SELECT pg_notify(:channel, :site)"), {"channel": CHANNEL, "site": ref.code}
        )
    else:
        tx.conn.execute(
            update(site_t).where(site_t.c.id == ref.id).values(version=site_t.c.version + 1)
        )


def _upsert(tx: Tx) -> Any:
    return postgresql.insert if tx.postgres else sqlite.insert


def _adjust_counts(
    tx: Tx, site_id: int, before: tuple[str, int] | None, after: tuple[str, int] | None
) -> None:
    if before == after:
        return
    deltas = []
    if before is not None:
        deltas.append((before, -1))
    if after is not None:
        deltas.append((after, +1))
    for (service, klass), delta in sorted(deltas):  # one order everywhere: no deadlocks
        stmt = _upsert(tx)(count_t).values(
            site_id=site_id, service=service, rank_class=klass, waiting=delta
        )
        tx.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=["site_id", "service", "rank_class"],
                set_={"waiting": count_t.c.waiting + delta},
            )
        )


def rebuild_counts(tx: Tx, site_id: int) -> None:
    """Recount the waiting from the visits themselves (after a policy change)."""
    tx.conn.execute(count_t.delete().where(count_t.c.site_id == site_id))
    rows = tx.conn.execute(
        select(visit_t.c.service, visit_t.c.rank_class, func.count())
        .where(visit_t.c.site_id == site_id, is_waiting())
        .group_by(visit_t.c.service, visit_t.c.rank_class)
    ).all()
    if rows:
        tx.conn.execute(
            insert(count_t),
            [{"site_id": site_id, "service": s, "rank_class": k, "waiting": n} for s, k, n in rows],
        )


def rerank_waiting(tx: Tx, ref: SiteRef) -> int:
    """Recompute the rank of every waiting visit of a site (after its config changed)."""
    rows = tx.conn.execute(select(visit_t).where(visit_t.c.site_id == ref.id, is_waiting())).all()
    for row in rows:
        visit = visit_from_row(row, ref.code)
        columns = _columns(visit, ref.site)
        tx.conn.execute(
            update(visit_t)
            .where(visit_t.c.id == row.id)
            .values(
                rank_class=columns["rank_class"],
                rank_at=columns["rank_at"],
                callable_at=columns["callable_at"],
            )
        )
    rebuild_counts(tx, ref.id)
    return len(rows)


# -- reads -----------------------------------------------------------------------


def load_visit(tx: Tx, ref: SiteRef, *, visit_id: int, lock: bool = True) -> Visit:
    stmt = select(visit_t).where(visit_t.c.id == visit_id, visit_t.c.site_id == ref.id)
    if lock and tx.postgres:
        stmt = stmt.with_for_update()
    row = tx.conn.execute(stmt).first()
    if row is None:
        raise NotFound(f"no visit {visit_id} at {ref.code}")
    return visit_from_row(row, ref.code)


def find_ticket(tx: Tx, ref: SiteRef, ticket: str, day: date, *, lock: bool = True) -> Visit:
    stmt = select(visit_t).where(
        visit_t.c.site_id == ref.id, visit_t.c.ticket_day == day, visit_t.c.ticket == ticket
    )
    if lock and tx.postgres:
        stmt = stmt.with_for_update()
    row = tx.conn.execute(stmt).first()
    if row is None:
        raise NotFound(f"no ticket {ticket} at {ref.code} on {day.isoformat()}")
    return visit_from_row(row, ref.code)


def desk_visit(tx: Tx, ref: SiteRef, desk: str, states: Iterable[State]) -> Visit | None:
    """The visit a desk is dealing with: the one it called or is serving, else its most
    recently called parked visitor (by state first: a visitor parked in the same
    clock tick as the next was called must not be taken for the current one)."""
    stmt = (
        select(visit_t)
        .where(
            visit_t.c.site_id == ref.id,
            visit_t.c.desk == desk,
            is_with_desk(),
            visit_t.c.state.in_([s.value for s in states]),
        )
        .order_by(
            (visit_t.c.state == State.PARKED.value), visit_t.c.called_at.desc(), visit_t.c.id.desc()
        )
        .limit(1)
    )
    if tx.postgres:
        stmt = stmt.with_for_update()
    row = tx.conn.execute(stmt).first()
    return None if row is None else visit_from_row(row, ref.code)


def next_for_desk(tx: Tx, ref: SiteRef, desk_name: str, services: Sequence[str]) -> Visit | None:
    """Lock and return the visit the queue policy gives this desk, or None.

    One indexed LIMIT query per service the desk serves (each walks the partial
    waiting index in policy order), merged in policy order. On PostgreSQL the
    winner is taken FOR UPDATE SKIP LOCKED: a visit another desk is calling at
    this very moment is skipped, never called twice. The per-service look-ahead
    is wide enough to step over the visits other desks hold; if every candidate
    was taken meanwhile, look again further ahead.
    """
    if not services:
        return None
    depth = 16 if tx.postgres else 1
    for _attempt in range(8):
        eligible = and_(
            visit_t.c.site_id == ref.id,
            is_waiting(),
            visit_t.c.callable_at <= tx.now,
            or_(visit_t.c.assigned_desk.is_(None), visit_t.c.assigned_desk == desk_name),
        )
        key = (visit_t.c.rank_class, visit_t.c.rank_at, visit_t.c.arrived_at, visit_t.c.id)
        per_service = [
            select(*key).where(eligible, visit_t.c.service == service).order_by(*key).limit(depth)
            for service in services
        ]
        merged = union_all(*[q.subquery().select() for q in per_service]).subquery()
        if not tx.postgres:
            # Writers are serialised (BEGIN IMMEDIATE): the best candidate is the one.
            best = tx.conn.execute(
                select(merged.c.id)
                .order_by(merged.c.rank_class, merged.c.rank_at, merged.c.arrived_at, merged.c.id)
                .limit(1)
            ).scalar()
            return None if best is None else load_visit(tx, ref, visit_id=best, lock=False)
        stmt = (
            select(visit_t)
            .where(visit_t.c.id.in_(select(merged.c.id)), is_waiting())
            .order_by(*key)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        row = tx.conn.execute(stmt).first()
        if row is not None:
            return visit_from_row(row, ref.code)
        # Everything we looked at was locked by other desks: is anyone left whom no other
        # desk is calling this moment? If not, nobody is waiting for this desk (those
        # others are being called); if so, look further ahead for them.
        anyone = tx.conn.execute(
            select(visit_t.c.id)
            .where(eligible, visit_t.c.service.in_(list(services)))
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if anyone is None:
            return None
        depth *= 4
    raise DomainError("the queue is too busy to call from just now: please press Call next again")


def waiting_counts(tx: Tx, site_id: int) -> dict[tuple[str, int], int]:
    rows = tx.conn.execute(
        select(count_t.c.service, count_t.c.rank_class, count_t.c.waiting).where(
            count_t.c.site_id == site_id
        )
    ).all()
    return {(s, k): n for s, k, n in rows if n}
