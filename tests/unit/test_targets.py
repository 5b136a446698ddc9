"""The charter's targets, with DOMAIN.md's definitions, including the clock changes.

- Greeted: the first of "greeted by reception" and "called by a CSA", within
  `greet_minutes` (2) of arrival. Never greeted: not met.
- Wait to see a CSA: arrival to the *first* call, within `serve_minutes` (15).
  Never called: not met.
- Appointment on time: first called no later than the grace (5 minutes) after the
  appointed time, or after arrival when the visitor came late.
- Waits are real elapsed time: a British Summer Time change neither stretches nor
  shrinks them, whether the times are given in UTC or in Europe/London local time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.domain import DomainError, Targets, Visit
from shared.domain.targets import (
    appointment_due,
    appointment_on_time,
    greet_minutes,
    greet_target_met,
    minutes_between,
    serve_target_met,
    wait_minutes,
)

LONDON = ZoneInfo("Europe/London")
T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TARGETS = Targets()
MS = timedelta(milliseconds=1)


def visit(arrived: datetime = T0, **kw) -> Visit:
    return Visit(site="bootle", service="council-tax", ticket="C001", arrived_at=arrived, **kw)


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def test_the_charter_defaults() -> None:
    assert (TARGETS.greet_minutes, TARGETS.serve_minutes) == (2, 15)
    assert (TARGETS.appointment_grace_minutes, TARGETS.appointment_window_minutes_before) == (5, 0)


@pytest.mark.parametrize(
    "field",
    [
        "greet_minutes",
        "serve_minutes",
        "appointment_grace_minutes",
        "appointment_window_minutes_before",
    ],
)
@pytest.mark.parametrize("value", [-1, 1.5, True, "2", None])
def test_targets_must_be_whole_minutes(field: str, value: object) -> None:
    with pytest.raises(DomainError, match=f"target {field} must be a whole number of minutes"):
        Targets(**{field: value})  # type: ignore[arg-type]


# -- greeted within 2 minutes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "met"),
    [(minutes(0), True), (minutes(2), True), (minutes(2) + MS, False), (minutes(30), False)],
)
def test_greet_target_boundary(after: timedelta, met: bool) -> None:
    v = visit()
    v.greet(T0 + after)
    assert greet_minutes(v) == pytest.approx(after.total_seconds() / 60)
    assert greet_target_met(v, TARGETS) is met


@pytest.mark.parametrize(("after", "met"), [(minutes(2), True), (minutes(2) + MS, False)])
def test_a_call_is_the_greeting_when_reception_did_not_greet(after: timedelta, met: bool) -> None:
    v = visit()
    v.call("Desk 1", T0 + after)
    assert greet_target_met(v, TARGETS) is met


def test_the_greeting_is_the_first_of_greeted_and_called() -> None:
    v = visit()
    v.greet(T0 + minutes(1))
    v.call("Desk 1", T0 + minutes(40))
    assert greet_minutes(v) == 1 and greet_target_met(v, TARGETS)


def test_never_greeted_is_not_met() -> None:
    v = visit()
    assert greet_minutes(v) is None
    assert greet_target_met(v, TARGETS) is False
    v.leave(T0 + minutes(1))  # walked out within the two minutes, nobody greeted them
    assert greet_target_met(v, TARGETS) is False


def test_the_site_sets_the_greet_minutes() -> None:
    v = visit()
    v.greet(T0 + minutes(4))
    assert not greet_target_met(v, TARGETS)
    assert greet_target_met(v, Targets(greet_minutes=4))
    assert not greet_target_met(v, Targets(greet_minutes=0))


# -- called within 15 minutes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "met"),
    [(minutes(0), True), (minutes(15), True), (minutes(15) + MS, False), (minutes(16), False)],
)
def test_serve_target_boundary(after: timedelta, met: bool) -> None:
    v = visit()
    v.greet(T0 + minutes(1))
    v.call("Desk 1", T0 + after)
    assert wait_minutes(v) == pytest.approx(after.total_seconds() / 60)
    assert serve_target_met(v, TARGETS) is met


def test_the_wait_ends_at_the_first_call_not_a_recall_or_a_later_call() -> None:
    v = visit()
    v.call("Desk 1", T0 + minutes(15))
    v.recall(T0 + minutes(20))
    assert wait_minutes(v) == 15 and serve_target_met(v, TARGETS)
    v.transfer(T0 + minutes(25), service="housing-benefit")
    v.call("Desk 2", T0 + minutes(50))
    assert wait_minutes(v) == 15 and serve_target_met(v, TARGETS)
    assert not serve_target_met(v, Targets(serve_minutes=10))


def test_never_called_is_not_met() -> None:
    v = visit()
    v.greet(T0 + minutes(1))
    assert wait_minutes(v) is None and serve_target_met(v, TARGETS) is False
    v.leave(T0 + minutes(3))
    assert serve_target_met(v, TARGETS) is False


# -- appointments on time ---------------------------------------------------------------

APPOINTED = T0 + minutes(30)


@pytest.mark.parametrize(
    ("arrived", "called", "on_time"),
    [
        # Came early: the appointed time plus the grace.
        (APPOINTED - minutes(20), APPOINTED, True),
        (APPOINTED - minutes(20), APPOINTED + minutes(5), True),
        (APPOINTED - minutes(20), APPOINTED + minutes(5) + MS, False),
        # Came on the dot.
        (APPOINTED, APPOINTED + minutes(5), True),
        (APPOINTED, APPOINTED + minutes(5) + MS, False),
        # Came late: the arrival plus the grace.
        (APPOINTED + minutes(20), APPOINTED + minutes(24), True),
        (APPOINTED + minutes(20), APPOINTED + minutes(25), True),
        (APPOINTED + minutes(20), APPOINTED + minutes(25) + MS, False),
    ],
)
def test_appointment_on_time(arrived: datetime, called: datetime, on_time: bool) -> None:
    v = visit(arrived=arrived, appointment_at=APPOINTED)
    v.call("Desk 1", called)
    assert appointment_due(v) == max(arrived, APPOINTED)
    assert appointment_on_time(v, TARGETS) is on_time


def test_appointment_grace_is_the_sites_setting() -> None:
    v = visit(arrived=APPOINTED - minutes(5), appointment_at=APPOINTED)
    v.call("Desk 1", APPOINTED + minutes(1))
    assert appointment_on_time(v, TARGETS) is True
    assert appointment_on_time(v, Targets(appointment_grace_minutes=0)) is False


def test_appointment_on_time_uses_the_first_call() -> None:
    v = visit(arrived=APPOINTED - minutes(5), appointment_at=APPOINTED)
    v.call("Desk 1", APPOINTED + minutes(2))
    v.recall(APPOINTED + minutes(9))
    assert appointment_on_time(v, TARGETS) is True


def test_an_appointment_never_called_is_late_and_a_walk_in_has_no_appointment() -> None:
    assert appointment_on_time(visit(appointment_at=APPOINTED), TARGETS) is False
    assert appointment_on_time(visit(), TARGETS) is None
    assert appointment_due(visit()) is None


# -- British Summer Time ----------------------------------------------------------------
#
# 30 March 2025: at 01:00 GMT clocks go forward to 02:00 BST (local 01:00-01:59 never happen).
# 26 October 2025: at 02:00 BST clocks go back to 01:00 GMT (local 01:00-01:59 happen twice;
# fold=0 is the first time, in BST, fold=1 the second, in GMT).


def local(y: int, mo: int, d: int, h: int, mi: int, fold: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, fold=fold, tzinfo=LONDON)


WAITS_ACROSS_A_CHANGE = [
    # arrival, first call (both local), real minutes, wall-clock minutes
    pytest.param(local(2025, 10, 26, 0, 50), local(2025, 10, 26, 1, 10, 1), 80, 20, id="back-0050"),
    pytest.param(local(2025, 10, 26, 1, 50), local(2025, 10, 26, 1, 5, 1), 15, -45, id="back-0150"),
    pytest.param(local(2025, 10, 26, 1, 30), local(2025, 10, 26, 1, 40, 1), 70, 10, id="back-0130"),
    pytest.param(local(2025, 3, 30, 0, 50), local(2025, 3, 30, 2, 5), 15, 75, id="fwd-0050"),
    pytest.param(local(2025, 3, 30, 0, 45), local(2025, 3, 30, 2, 0), 15, 75, id="fwd-0045"),
]


@pytest.mark.parametrize(("arrived", "called", "real", "wall"), WAITS_ACROSS_A_CHANGE)
@pytest.mark.parametrize("given_in", ["local", "utc", "mixed"])
def test_a_wait_across_a_clock_change_is_real_elapsed_time(
    arrived: datetime, called: datetime, real: int, wall: int, given_in: str
) -> None:
    assert called.utcoffset() != arrived.utcoffset(), "the wait must span the change"
    assert (called.replace(tzinfo=None) - arrived.replace(tzinfo=None)) == minutes(wall)
    assert called.astimezone(UTC) - arrived.astimezone(UTC) == minutes(real)
    if given_in == "utc":
        arrived, called = arrived.astimezone(UTC), called.astimezone(UTC)
    elif given_in == "mixed":
        arrived = arrived.astimezone(UTC)
    v = visit(arrived=arrived)
    v.call("Desk 1", called)
    assert wait_minutes(v) == pytest.approx(real)
    assert greet_minutes(v) == pytest.approx(real)
    assert serve_target_met(v, TARGETS) is (real <= 15)
    assert greet_target_met(v, TARGETS) is (real <= 2)
    assert minutes_between(arrived, called) == pytest.approx(real)


def test_greeted_within_two_real_minutes_across_the_spring_change() -> None:
    v = visit(arrived=local(2025, 3, 30, 0, 59))
    v.greet(local(2025, 3, 30, 2, 0))  # 61 minutes on the wall clock, 1 in reality
    assert greet_minutes(v) == pytest.approx(1)
    assert greet_target_met(v, TARGETS)


def test_greeted_late_although_the_wall_clock_says_early_across_the_autumn_change() -> None:
    v = visit(arrived=local(2025, 10, 26, 1, 59))  # 01:59 BST
    v.greet(local(2025, 10, 26, 1, 0, fold=1))  # 01:00 GMT: the wall clock went back
    assert greet_minutes(v) == pytest.approx(1)
    late = visit(arrived=local(2025, 10, 26, 1, 10))  # 01:10 BST
    late.greet(local(2025, 10, 26, 1, 11, fold=1))  # 01:11 GMT: 61 real minutes
    assert greet_minutes(late) == pytest.approx(61)
    assert not greet_target_met(late, TARGETS)


@pytest.mark.parametrize("given_in", ["local", "utc"])
def test_an_appointment_across_the_autumn_change_is_judged_in_real_time(given_in: str) -> None:
    appointed = local(2025, 10, 26, 1, 58)  # 01:58 BST = 00:58 UTC
    arrived = local(2025, 10, 26, 1, 50)
    late_call = local(2025, 10, 26, 1, 59, fold=1)  # 01:59 GMT: 61 minutes after the slot
    on_time_call = local(2025, 10, 26, 1, 2, fold=1)  # 01:02 GMT: 4 minutes after the slot
    if given_in == "utc":
        appointed, arrived = appointed.astimezone(UTC), arrived.astimezone(UTC)
        late_call, on_time_call = late_call.astimezone(UTC), on_time_call.astimezone(UTC)
    late = visit(arrived=arrived, appointment_at=appointed)
    late.call("Desk 1", late_call)
    assert appointment_on_time(late, TARGETS) is False
    kept = visit(arrived=arrived, appointment_at=appointed)
    kept.call("Desk 1", on_time_call)
    assert appointment_on_time(kept, TARGETS) is True


def test_a_late_arrival_across_the_spring_change_gets_the_grace_from_arrival() -> None:
    appointed = local(2025, 3, 30, 0, 40)  # GMT
    arrived = local(2025, 3, 30, 0, 58)  # GMT, 18 minutes late
    called = local(2025, 3, 30, 2, 3)  # BST: 5 real minutes after arrival
    v = visit(arrived=arrived, appointment_at=appointed)
    v.call("Desk 1", called)
    assert appointment_on_time(v, TARGETS) is True
    v2 = visit(arrived=arrived, appointment_at=appointed)
    v2.call("Desk 1", local(2025, 3, 30, 2, 3) + MS)
    assert appointment_on_time(v2, TARGETS) is False
