"""What the chaos found, each pinned down by a test that fails without its fix.

1. On PostgreSQL a step took its time when its transaction began, before it had the
   visit's lock: reception greeted a visitor while a desk's call was on its way to
   them, and the call was recorded before the greeting (the trail went back in time,
   the visit was called before it was greeted). Found by the kill -9 round's audit.
   The interleaving is made here on purpose: the other step commits from the desk's
   own statement hook, between the desk's transaction starting and its taking the lock.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import event

from shared.domain import Outcome, OutcomeKind
from shared.office import Office
from shared.store import Database

pytestmark = pytest.mark.postgres


def just_before_locking(db: Database, other: Callable[[], object]) -> list[object]:
    """Runs `other` once, on its own connection, just before `db`'s first SELECT ...
    FOR UPDATE (the moment a step's transaction has begun and takes the visit's lock)."""
    done: list[object] = []

    def hook(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if not done and "FOR UPDATE" in statement:
            done.append(other())

    event.listen(db.engine, "before_cursor_execute", hook)
    return done


def trail(office: Office, visit_id: int) -> list[tuple[str, object]]:
    from sqlalchemy import select

    from shared.store.tables import event_t

    with office.db.transaction(write=False) as tx:
        rows = tx.conn.execute(
            select(event_t.c.action, event_t.c.at)
            .where(event_t.c.visit_id == visit_id)
            .order_by(event_t.c.id)
        ).all()
    return [(r.action, r.at) for r in rows]


def test_a_call_made_while_reception_greets_is_recorded_after_the_greeting(pg_url: str) -> None:
    reception = Office(Database(pg_url))
    reception.ensure_default_sites()
    desk = Office(Database(pg_url))
    try:
        ticket = reception.checkin("bootle", "council-tax").ticket
        greeted = just_before_locking(desk.db, lambda: reception.greet("bootle", ticket))
        called = desk.call_next("bootle", "Desk 1")
        assert greeted and called.ticket == ticket
        visit = reception.visit("bootle", ticket)
        steps = trail(reception, visit.id or 0)
        assert [a for a, _ in steps] == ["checked_in", "greeted", "called"]
        times = [at for _, at in steps]
        assert times == sorted(times), steps
        assert visit.greeted_at is not None and visit.called_at is not None
        assert visit.greeted_at <= visit.called_at
    finally:
        reception.db.dispose()
        desk.db.dispose()


def test_a_start_made_while_the_visitor_is_recalled_is_not_before_the_recall(
    pg_url: str,
) -> None:
    """The same for every step of a visit (Office._act): here the desk's Start begins,
    a recall commits before Start has the visit's lock; serving must not precede the
    (latest) call."""
    other = Office(Database(pg_url))
    other.ensure_default_sites()
    desk = Office(Database(pg_url))
    try:
        ticket = other.checkin("bootle", "council-tax").ticket
        other.call_next("bootle", "Desk 1")
        recalled = just_before_locking(desk.db, lambda: other.recall("bootle", ticket))
        started = desk.start("bootle", ticket)
        assert recalled and started.called_at is not None and started.serving_at is not None
        assert started.called_at <= started.serving_at
        finished = desk.finish("bootle", Outcome(OutcomeKind.RESOLVED), ticket)
        times = [at for _, at in trail(other, finished.id or 0)]
        assert times == sorted(times)
    finally:
        other.db.dispose()
        desk.db.dispose()
