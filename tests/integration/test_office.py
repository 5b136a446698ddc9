"""The office's actions on a real database: numbering, clocks, appointments, places."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from shared.config import SITES_DIR
from shared.domain import DomainError, NotFound, State
from shared.office import Office
from shared.store import Database


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def office(db_url: str):
    db = Database(db_url)
    office = Office(db)
    office.ensure_default_sites()
    yield office
    db.dispose()


def test_numbers_restart_at_001_each_local_day_per_letter_and_site(sqlite_url: str) -> None:
    # 23:59 BST on 1 June is 22:59 UTC; a minute later is the next local day.
    clock = Clock(datetime(2026, 6, 1, 22, 58, tzinfo=UTC))
    db = Database(sqlite_url, clock=clock)
    office = Office(db)
    office.ensure_default_sites()
    assert office.checkin("bootle", "council-tax").ticket == "C001"
    assert office.checkin("bootle", "council-tax").ticket == "C002"
    assert office.checkin("bootle", "housing-benefit").ticket == "H001"
    assert office.checkin("southport", "council-tax").ticket == "C001"
    clock.now += timedelta(minutes=2)  # 00:00 BST, 2 June
    assert office.checkin("bootle", "council-tax").ticket == "C001"
    db.dispose()
    # Stable across restarts: a new process goes on from the stored counter.
    again = Office(Database(sqlite_url, clock=clock))
    assert again.checkin("bootle", "council-tax").ticket == "C002"
    again.db.dispose()


@pytest.mark.postgres
def test_on_postgresql_times_come_from_the_database_clock(pg_url: str) -> None:
    db = Database(pg_url, clock=lambda: datetime(1999, 1, 1, tzinfo=UTC))  # ignored on PostgreSQL
    office = Office(db)
    office.ensure_default_sites()
    with db.engine.connect() as conn:
        before = conn.execute(text("SELECT clock_timestamp()")).scalar()
    result = office.checkin("bootle", "council-tax")
    visit = office.greet("bootle", result.ticket)
    with db.engine.connect() as conn:
        after = conn.execute(text("SELECT clock_timestamp()")).scalar()
    arrived = datetime.fromisoformat(result.arrived_at)
    assert before <= arrived <= visit.greeted_at <= after
    assert arrived.utcoffset() == timedelta(0)
    db.dispose()


def test_appointment_check_in_cases(office: Office) -> None:
    now = datetime.now(UTC)
    booked = office.add_appointment("bootle", "housing-benefit", now + timedelta(minutes=30))
    with pytest.raises(NotFound, match="please ask at reception"):
        office.checkin("bootle", appointment="NO-SUCH")
    result = office.checkin("bootle", appointment=booked["ref"])
    assert result.service == "housing-benefit" and result.appointment_at
    with pytest.raises(DomainError, match="already checked in"):
        office.checkin("bootle", appointment=booked["ref"])
    cancelled = office.add_appointment("bootle", "council-tax", now + timedelta(minutes=40))
    office.cancel_appointment("bootle", cancelled["ref"])
    with pytest.raises(DomainError, match="cancelled"):
        office.checkin("bootle", appointment=cancelled["ref"])
    next_week = office.add_appointment("bootle", "council-tax", now + timedelta(days=7))
    with pytest.raises(DomainError, match="please ask at reception"):
        office.checkin("bootle", appointment=next_week["ref"])
    with pytest.raises(DomainError, match="is for Council Tax"):
        other = office.add_appointment("bootle", "council-tax", now + timedelta(minutes=50))
        office.checkin("bootle", "parking", appointment=other["ref"])
    # An appointment whose window has not opened waits; an idle desk does not call it.
    assert office.call_next("bootle", "Desk 3").ticket is None


def test_ahead_and_estimate_grow_as_people_arrive(office: Office) -> None:
    results = [office.checkin("bootle", "housing-benefit") for _ in range(10)]
    assert [r.ahead for r in results] == list(range(10))
    waits = [r.estimated_wait_minutes for r in results]
    # Nobody signed in yet: every desk of the site counts as open, and four deal with
    # Housing Benefit, so the first four are called at once; after them, waits grow.
    assert waits[:4] == [0, 0, 0, 0]
    assert waits == sorted(waits) and waits[-1] > waits[4] > 0
    urgent = office.checkin("bootle", "elas")
    # The prioritised service's desks (interview rooms) have Housing Benefit visitors too,
    # but priority comes first: nobody is ahead.
    assert urgent.ahead == 0


def test_a_transferred_visitor_keeps_their_place(office: Office) -> None:
    first = office.checkin("bootle", "council-tax")
    office.checkin("bootle", "housing-benefit")
    office.checkin("bootle", "housing-benefit")
    assert office.call_next("bootle", "Desk 1").ticket == first.ticket
    office.start("bootle", desk="Desk 1")
    moved = office.transfer("bootle", desk="Desk 1", to_service="housing-benefit")
    assert moved.state is State.GREETED
    assert office.call_next("bootle", "Desk 3").ticket == first.ticket


def test_changing_the_queue_order_reranks_the_waiting(office: Office) -> None:
    office.checkin("bootle", "housing-benefit")
    urgent = office.checkin("bootle", "discretionary-housing-payments", priority=True)
    assert office.waiting("bootle")[0].ticket == urgent.ticket
    config = (
        (SITES_DIR / "bootle.toml")
        .read_text()
        .replace(
            'order = ["appointment", "priority", "walk_in"]', 'order = ["appointment", "walk_in"]'
        )
    )
    office.load_site(config, "bootle.toml")
    assert office.waiting("bootle")[0].ticket == "H001"
    assert office.call_next("bootle", "Desk 3").ticket == "H001"


def test_every_change_to_the_bookings_is_notified_at_once(office: Office, db_url: str) -> None:
    from shared.store import subscribe

    seen = threading.Event()
    with subscribe(db_url, ["bootle"], lambda _site: seen.set()) as subscription:
        assert subscription.ready.wait(10)
        at = datetime.now(UTC) + timedelta(hours=2)
        actions = [
            lambda: office.add_appointment("bootle", "council-tax", at, "BK-N1"),
            lambda: office.change_appointment("bootle", "BK-N1", at=at + timedelta(minutes=30)),
            lambda: office.cancel_appointment("bootle", "BK-N1"),
        ]
        for number, action in enumerate(actions):
            time.sleep(0.2)  # anything from before (the subscription's first look) passes
            seen.clear()
            action()
            assert seen.wait(2), f"booking change {number} was not notified"
