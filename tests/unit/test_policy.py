"""The queue policy, proved on generated queues and desks (hypothesis).

The oracle below is written from the policy's text (DOMAIN.md, policy.py's
docstring), not from the code: appointments whose window has opened by appointed
time, then priority (a prioritised service or reception's flag) by arrival, then
everyone else by arrival; ties to the earlier arrival, then the earlier check-in.
A desk only calls what it serves, a visit transferred to a desk only from there,
and an appointment never before its window opens.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise, permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain import (
    Desk,
    DomainError,
    QueuePolicy,
    Service,
    Site,
    State,
    Targets,
    Visit,
    choose_next,
    policy_for,
)
from shared.domain.policy import CLASSES, callable_from, may_call, rank

BASE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
SERVICES = ["council-tax", "housing-benefit", "parking", "elas", "social-care"]
PRIORITISED = frozenset({"elas", "social-care"})
DESK_NAMES = ["Desk 1", "Desk 2", "Room 1"]
SETTINGS = settings(max_examples=200, deadline=None)

# Every legal calling order: each non-empty arrangement of some of the classes.
ORDERS = [order for size in (1, 2, 3) for order in permutations(CLASSES, size)]

desks = st.builds(
    Desk,
    name=st.sampled_from(DESK_NAMES),
    services=st.frozensets(st.sampled_from(SERVICES), min_size=1),
)
nows = st.integers(0, 10 * 60).map(lambda m: BASE + timedelta(minutes=m))


@st.composite
def queues(draw: st.DrawFn, now: datetime, waiting_only: bool = False) -> list[Visit]:
    """Visits at a site: mostly waiting, some with desks or ended (never callable).

    Times are drawn on a coarse grid so that ties (same arrival, same appointed
    time, appointed time equal to another's arrival) happen often.
    """
    count = draw(st.integers(0, 25))
    states = [State.CHECKED_IN, State.GREETED]
    if not waiting_only:
        states += [State.CALLED, State.SERVING, State.PARKED, State.FINISHED, State.LEFT]
    result = []
    for index in range(count):
        arrived = now - timedelta(minutes=draw(st.integers(0, 48)) * 5)
        appointment = None
        if draw(st.integers(0, 3)) == 0:
            appointment = now + timedelta(minutes=draw(st.integers(-18, 18)) * 5)
        result.append(
            Visit(
                id=index + 1,
                site="test",
                service=draw(st.sampled_from(SERVICES)),
                ticket=f"A{index + 1:03d}",
                arrived_at=arrived,
                priority=draw(st.integers(0, 4)) == 0,
                appointment_at=appointment,
                state=draw(st.sampled_from(states)),
                assigned_desk=draw(st.sampled_from([None, None, None, None, *DESK_NAMES])),
            )
        )
    return result


def policies(orders: list[tuple[str, ...]] = ORDERS) -> st.SearchStrategy[QueuePolicy]:
    return st.builds(
        QueuePolicy,
        order=st.sampled_from(orders),
        appointment_window_minutes_before=st.sampled_from([0, 0, 5, 10, 30]),
    )


# -- the oracle, from the policy's text ---------------------------------------------------


def class_name(visit: Visit) -> str:
    if visit.appointment_at is not None:
        return "appointment"
    if visit.priority or visit.service in PRIORITISED:
        return "priority"
    return "walk_in"


def class_position(visit: Visit, policy: QueuePolicy) -> int:
    """Where the visit's class is called; a class left out is folded into the last one."""
    name = class_name(visit)
    return policy.order.index(name) if name in policy.order else len(policy.order) - 1


def oracle_key(visit: Visit, policy: QueuePolicy) -> tuple:
    # Appointments go by appointed time, everyone else by arrival; then arrival, then id.
    time_key = visit.appointment_at if visit.appointment_at is not None else visit.arrived_at
    return (class_position(visit, policy), time_key, visit.arrived_at, visit.id)


def eligible(visit: Visit, desk: Desk, now: datetime, policy: QueuePolicy) -> bool:
    if visit.state not in (State.CHECKED_IN, State.GREETED):
        return False
    if visit.service not in desk.services:
        return False
    if visit.assigned_desk is not None and visit.assigned_desk != desk.name:
        return False
    if visit.appointment_at is not None:
        window = timedelta(minutes=policy.appointment_window_minutes_before)
        return visit.appointment_at - window <= now
    return True


def candidates(queue, desk, now, policy) -> list[Visit]:  # type: ignore[no-untyped-def]
    return [v for v in queue if eligible(v, desk, now, policy)]


# -- (a)-(d): one call -------------------------------------------------------------------


@SETTINGS
@given(st.data(), desks, nows, policies())
def test_the_chosen_visit_is_eligible_and_nobody_eligible_ranks_before_it(
    data: st.DataObject, desk: Desk, now: datetime, policy: QueuePolicy
) -> None:
    queue = data.draw(queues(now))
    chosen = choose_next(queue, desk, now, PRIORITISED, policy)
    eligible_now = candidates(queue, desk, now, policy)
    # (d) nobody is called exactly when nobody eligible waits
    assert (chosen is None) == (not eligible_now)
    if chosen is None:
        return
    # (a) the desk serves it, it is waiting, and no other desk has it transferred to them
    assert chosen.service in desk.services and desk.serves(chosen.service)
    assert chosen.state in (State.CHECKED_IN, State.GREETED)
    assert chosen.assigned_desk in (None, desk.name)
    # (b) never an appointment whose window has not opened
    if chosen.appointment_at is not None:
        assert chosen.appointment_at - policy.window <= now
    # (c) nobody eligible ranks strictly before it
    assert chosen in eligible_now
    best = min(eligible_now, key=lambda v: oracle_key(v, policy))
    assert chosen is best, f"chose {chosen.ticket}, the policy says {best.ticket}"


@SETTINGS
@given(st.data(), desks, nows, policies())
def test_the_choice_does_not_depend_on_the_order_of_the_list(
    data: st.DataObject, desk: Desk, now: datetime, policy: QueuePolicy
) -> None:
    queue = data.draw(queues(now))
    shuffled = data.draw(st.permutations(queue))
    assert choose_next(queue, desk, now, PRIORITISED, policy) is choose_next(
        shuffled, desk, now, PRIORITISED, policy
    )


@SETTINGS
@given(st.data(), desks, nows, policies())
def test_rank_and_may_call_agree_with_the_oracle(
    data: st.DataObject, desk: Desk, now: datetime, policy: QueuePolicy
) -> None:
    """The store keeps rank() and callable_from() in indexed columns: both must be right."""
    queue = data.draw(queues(now))
    for visit in queue:
        assert may_call(visit, desk, now, policy) == eligible(visit, desk, now, policy)
        opens = callable_from(visit, policy)
        assert opens == (
            visit.appointment_at - policy.window if visit.appointment_at else visit.arrived_at
        )
    by_rank = sorted(queue, key=lambda v: rank(v, PRIORITISED, policy))
    by_oracle = sorted(queue, key=lambda v: oracle_key(v, policy))
    assert [v.id for v in by_rank] == [v.id for v in by_oracle]


# -- (e): calling from one desk until nobody is left ---------------------------------------


@SETTINGS
@given(st.data(), desks, nows, policies())
def test_calling_until_empty_calls_each_eligible_visit_once_in_policy_order(
    data: st.DataObject, desk: Desk, now: datetime, policy: QueuePolicy
) -> None:
    queue = data.draw(queues(now))
    expected = sorted(candidates(queue, desk, now, policy), key=lambda v: oracle_key(v, policy))
    called: list[Visit] = []
    while (chosen := choose_next(queue, desk, now, PRIORITISED, policy)) is not None:
        assert chosen not in called, "called twice"
        chosen.call(desk.name, now)
        called.append(chosen)
        assert len(called) <= len(queue)
    assert [v.id for v in called] == [v.id for v in expected]
    assert not candidates(queue, desk, now, policy)


@SETTINGS
@given(st.data(), desks, nows)
def test_with_the_default_order_each_class_is_called_in_arrival_or_appointed_order(
    data: st.DataObject, desk: Desk, now: datetime
) -> None:
    policy = QueuePolicy()
    queue = data.draw(queues(now))
    called: list[Visit] = []
    while (chosen := choose_next(queue, desk, now, PRIORITISED, policy)) is not None:
        chosen.call(desk.name, now)
        called.append(chosen)
    classes = [CLASSES.index(class_name(v)) for v in called]
    assert classes == sorted(classes), "appointments, then priority, then walk-ins"
    for a, b in pairwise(called):
        if class_name(a) != class_name(b):
            continue
        if class_name(a) == "appointment":
            assert (a.appointment_at, a.arrived_at, a.id) < (b.appointment_at, b.arrived_at, b.id)
        else:
            assert (a.arrived_at, a.id) < (b.arrived_at, b.id)


# -- (f): the calling order is the site's --------------------------------------------------


def without_priority(visit: Visit) -> Visit:
    plain = Visit(**{**vars(visit), "priority": False})
    return plain


@SETTINGS
@given(st.data(), desks, nows, st.sampled_from([0, 5]))
def test_appointment_then_walk_in_ignores_priority(
    data: st.DataObject, desk: Desk, now: datetime, window: int
) -> None:
    policy = QueuePolicy(order=("appointment", "walk_in"), appointment_window_minutes_before=window)
    queue = data.draw(queues(now))
    chosen = choose_next(queue, desk, now, PRIORITISED, policy)
    # The same choice as if nobody were flagged and no service prioritised.
    plain = [without_priority(v) for v in queue]
    unprioritised = choose_next(plain, desk, now, frozenset(), policy)
    assert (chosen and chosen.id) == (unprioritised and unprioritised.id)
    if chosen is not None and chosen.appointment_at is None:
        # No waiting walk-in (prioritised or not) eligible here arrived before it.
        others = [v for v in candidates(queue, desk, now, policy) if v.appointment_at is None]
        assert all((chosen.arrived_at, chosen.id) <= (v.arrived_at, v.id) for v in others)
        assert not [v for v in candidates(queue, desk, now, policy) if v.appointment_at]


@SETTINGS
@given(st.data(), desks, nows, st.sampled_from([0, 5]))
def test_priority_first_calls_any_eligible_priority_visitor_before_appointments(
    data: st.DataObject, desk: Desk, now: datetime, window: int
) -> None:
    policy = QueuePolicy(
        order=("priority", "appointment", "walk_in"), appointment_window_minutes_before=window
    )
    queue = data.draw(queues(now))
    chosen = choose_next(queue, desk, now, PRIORITISED, policy)
    eligible_now = candidates(queue, desk, now, policy)
    urgent = [v for v in eligible_now if class_name(v) == "priority"]
    booked = [v for v in eligible_now if class_name(v) == "appointment"]
    if urgent:
        first = min(urgent, key=lambda v: (v.arrived_at, v.id))
        assert chosen is first
    elif booked:
        assert chosen is min(booked, key=lambda v: (v.appointment_at, v.arrived_at, v.id))
    else:
        assert chosen is (
            min(eligible_now, key=lambda v: (v.arrived_at, v.id)) if eligible_now else None
        )


@SETTINGS
@given(st.data(), desks, nows)
def test_an_appointment_is_never_called_before_its_window_even_by_an_idle_desk(
    data: st.DataObject, desk: Desk, now: datetime
) -> None:
    queue = [v for v in data.draw(queues(now, waiting_only=True)) if v.appointment_at]
    for window in (0, 5, 30):
        policy = QueuePolicy(appointment_window_minutes_before=window)
        chosen = choose_next(queue, desk, now, PRIORITISED, policy)
        opened = [v for v in candidates(queue, desk, now, policy)]
        assert all(v.appointment_at - timedelta(minutes=window) <= now for v in opened)
        assert (chosen is None) == (not opened)


# -- examples, to read ---------------------------------------------------------------------

NOW = BASE + timedelta(hours=3)
DESK_2 = Desk("Desk 2", frozenset({"council-tax", "housing-benefit", "elas"}))


def walk_in(ident: int, service: str, minutes_ago: int, **kw) -> Visit:
    return Visit(
        id=ident,
        site="test",
        service=service,
        ticket=f"X{ident:03d}",
        arrived_at=NOW - timedelta(minutes=minutes_ago),
        **kw,
    )


def call_all(queue: list[Visit], desk: Desk, policy: QueuePolicy | None = None) -> list[int]:
    policy = policy or QueuePolicy()
    order = []
    while (chosen := choose_next(queue, desk, NOW, PRIORITISED, policy)) is not None:
        chosen.call(desk.name, NOW)
        order.append(chosen.id)
    return order


def test_default_order_appointment_then_priority_then_arrival() -> None:
    queue = [
        walk_in(1, "council-tax", 30),
        walk_in(2, "elas", 5),
        walk_in(3, "housing-benefit", 2, appointment_at=NOW - timedelta(minutes=1)),
        walk_in(4, "council-tax", 40, priority=True),
        walk_in(5, "council-tax", 50, appointment_at=NOW - timedelta(minutes=3)),
        walk_in(6, "parking", 60),  # Desk 2 does not deal with parking
        walk_in(7, "council-tax", 30),  # same arrival as 1, checked in later
    ]
    assert call_all(queue, DESK_2) == [5, 3, 4, 2, 1, 7]


def test_an_appointment_before_its_window_is_not_called_even_by_an_idle_desk() -> None:
    early = walk_in(1, "council-tax", 10, appointment_at=NOW + timedelta(minutes=3))
    assert choose_next([early], DESK_2, NOW, PRIORITISED) is None
    five_before = QueuePolicy(appointment_window_minutes_before=5)
    assert choose_next([early], DESK_2, NOW, PRIORITISED, five_before) is early
    two_before = QueuePolicy(appointment_window_minutes_before=2)
    assert choose_next([early], DESK_2, NOW, PRIORITISED, two_before) is None


def test_priority_can_be_switched_off_or_put_first() -> None:
    def queue() -> list[Visit]:
        return [
            walk_in(1, "council-tax", 30),
            walk_in(2, "elas", 5),
            walk_in(3, "council-tax", 1, appointment_at=NOW),
            walk_in(4, "council-tax", 10, priority=True),
        ]

    assert call_all(queue(), DESK_2) == [3, 4, 2, 1]
    no_priority = QueuePolicy(order=("appointment", "walk_in"))
    assert call_all(queue(), DESK_2, no_priority) == [3, 1, 4, 2]
    priority_first = QueuePolicy(order=("priority", "appointment", "walk_in"))
    assert call_all(queue(), DESK_2, priority_first) == [4, 2, 3, 1]


def test_a_visit_transferred_to_a_desk_is_called_only_there() -> None:
    visit = walk_in(1, "council-tax", 5, assigned_desk="Desk 2")
    desk_1 = Desk("Desk 1", frozenset({"council-tax", "parking"}))
    assert choose_next([visit], desk_1, NOW, PRIORITISED) is None
    assert choose_next([visit], DESK_2, NOW, PRIORITISED) is visit
    assert not may_call(visit, desk_1, NOW, QueuePolicy())


def test_rank_orders_classes_then_time_then_arrival_then_id() -> None:
    policy = QueuePolicy()
    a = walk_in(1, "council-tax", 10)
    b = walk_in(2, "council-tax", 10)
    c = walk_in(3, "council-tax", 20)
    assert (
        rank(c, PRIORITISED, policy) < rank(a, PRIORITISED, policy) < rank(b, PRIORITISED, policy)
    )
    booked = walk_in(4, "council-tax", 1, appointment_at=NOW + timedelta(hours=2))
    assert rank(booked, PRIORITISED, policy) < rank(c, PRIORITISED, policy)


# -- the policy's own checks -----------------------------------------------------------------


@pytest.mark.parametrize(
    "order",
    [(), ("walk_in", "walk_in"), ("vip",), ("appointment", "Priority"), ("appointment", "")],
)
def test_bad_policies_are_refused(order: tuple[str, ...]) -> None:
    with pytest.raises(DomainError, match="queue order must list some of appointment, priority"):
        QueuePolicy(order=order)


@pytest.mark.parametrize("order", ORDERS)
def test_every_arrangement_of_the_classes_is_accepted(order: tuple[str, ...]) -> None:
    policy = QueuePolicy(order=order)
    for name in CLASSES:
        expected = order.index(name) if name in order else len(order) - 1
        assert policy.class_number(name) == expected


def test_the_site_gives_the_policy() -> None:
    site = Site(
        code="test",
        name="Test",
        council="Test Council",
        services=(
            Service("council-tax", "Council Tax", "C"),
            Service("elas", "ELAS", "E", prioritised=True),
        ),
        desks=(Desk("Desk 1", frozenset({"council-tax", "elas"})),),
        targets=Targets(appointment_window_minutes_before=10),
        queue_order=("priority", "walk_in"),
    )
    policy = policy_for(site)
    assert policy == QueuePolicy(("priority", "walk_in"), 10)
    assert policy.window == timedelta(minutes=10)
    assert site.prioritised_services == frozenset({"elas"})
