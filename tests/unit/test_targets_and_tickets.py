"""Charter targets (with the clock changes) and ticket numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.domain import DomainError, Targets, Visit
from shared.domain.estimate import estimate_wait_minutes
from shared.domain.targets import (
    appointment_on_time,
    greet_target_met,
    serve_target_met,
    wait_minutes,
)
from shared.domain.tickets import (
    format_ticket,
    normalise_ticket,
    parse_ticket,
    spoken_ticket,
    ticket_day,
)

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TARGETS = Targets()


def visit(arrived: datetime = T0, **kw) -> Visit:
    return Visit(site="bootle", service="council-tax", ticket="C001", arrived_at=arrived, **kw)


def test_greet_target_boundary() -> None:
    on_time = visit()
    on_time.greet(T0 + timedelta(minutes=2))
    late = visit()
    late.greet(T0 + timedelta(minutes=2, milliseconds=1))
    assert greet_target_met(on_time, TARGETS)
    assert not greet_target_met(late, TARGETS)
    assert not greet_target_met(visit(), TARGETS)  # never greeted


def test_serve_target_uses_the_first_call() -> None:
    v = visit()
    v.call("Desk 1", T0 + timedelta(minutes=15))
    v.recall(T0 + timedelta(minutes=20))
    assert wait_minutes(v) == 15
    assert serve_target_met(v, TARGETS)
    assert not serve_target_met(visit(), TARGETS)  # never called
    assert not serve_target_met(v, Targets(serve_minutes=10))


def test_appointments_on_time_from_the_appointed_time_or_a_late_arrival() -> None:
    appointed = T0 + timedelta(minutes=30)
    early = visit(appointment_at=appointed)
    early.call("Desk 1", appointed + timedelta(minutes=5))
    assert appointment_on_time(early, TARGETS) is True
    tardy = visit(appointment_at=appointed)
    tardy.call("Desk 1", appointed + timedelta(minutes=5, seconds=1))
    assert appointment_on_time(tardy, TARGETS) is False
    came_late = visit(arrived=appointed + timedelta(minutes=20), appointment_at=appointed)
    came_late.call("Desk 1", appointed + timedelta(minutes=24))
    assert appointment_on_time(came_late, TARGETS) is True
    assert appointment_on_time(visit(appointment_at=appointed), TARGETS) is False  # never called
    assert appointment_on_time(visit(), TARGETS) is None  # a walk-in


@pytest.mark.parametrize(
    ("local_arrival", "real_minutes"),
    [
        # 26 October 2025: clocks go back at 02:00 BST to 01:00 GMT.
        (datetime(2025, 10, 26, 1, 50, fold=0, tzinfo=LONDON), 20),
        # 30 March 2025: clocks go forward at 01:00 GMT to 02:00 BST.
        (datetime(2025, 3, 30, 0, 50, tzinfo=LONDON), 20),
    ],
)
def test_a_wait_across_a_clock_change_is_real_elapsed_time(local_arrival, real_minutes) -> None:
    arrived = local_arrival.astimezone(UTC)
    called = arrived + timedelta(minutes=real_minutes)
    v = visit(arrived=arrived)
    v.call("Desk 1", called.astimezone(LONDON))  # given in local time, across the change
    assert wait_minutes(v) == pytest.approx(real_minutes)
    assert called.astimezone(LONDON).utcoffset() != local_arrival.utcoffset()


def test_ticket_numbers() -> None:
    assert format_ticket("A", 1) == "A001"
    assert format_ticket("A", 23) == "A023"
    assert format_ticket("A", 1000) == "A1000"
    assert parse_ticket(" a23 ") == ("A", 23)
    assert normalise_ticket("c7") == "C007"
    assert spoken_ticket("A023") == "A 0 2 3"
    for bad in ("", "23", "AB12", "A-12", "A1234567"):
        with pytest.raises(DomainError, match="not a ticket number"):
            parse_ticket(bad)
    with pytest.raises(DomainError):
        format_ticket("A", 0)


def test_ticket_day_is_the_local_day() -> None:
    summer_late = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)  # 00:30 BST on 2 June
    assert ticket_day(summer_late, "Europe/London").isoformat() == "2026-06-02"
    winter_late = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)  # 23:30 GMT on 1 December
    assert ticket_day(winter_late, "Europe/London").isoformat() == "2026-12-01"


def test_estimate() -> None:
    assert estimate_wait_minutes(0, 3, 10) == 0
    assert estimate_wait_minutes(3, 3, 10) == 10
    assert estimate_wait_minutes(4, 3, 10) == 14
    assert estimate_wait_minutes(2, 0, 10) == 20  # no desk open: as if one
