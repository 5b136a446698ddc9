"""The queue policy, proved on generated queues (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain import Desk, DomainError, QueuePolicy, State, Visit, choose_next
from shared.domain.policy import may_call, rank

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SERVICES = ["council-tax", "housing-benefit", "elas", "social-care", "parking"]
PRIORITISED = frozenset({"elas", "social-care"})
DESKS = [
    Desk("Desk 1", frozenset({"council-tax", "parking"})),
    Desk("Desk 2", frozenset({"council-tax", "housing-benefit", "elas"})),
    Desk("Room 1", frozenset({"elas", "social-care", "housing-benefit"})),
]


@st.composite
def visits(draw: st.DrawFn) -> list[Visit]:
    count = draw(st.integers(0, 25))
    result = []
    for index in range(count):
        arrived = NOW - timedelta(seconds=draw(st.integers(0, 4 * 3600)))
        appointment = None
        if draw(st.integers(0, 4)) == 0:
            appointment = NOW + timedelta(minutes=draw(st.integers(-90, 90)))
        visit = Visit(
            id=index + 1,
            site="test",
            service=draw(st.sampled_from(SERVICES)),
            ticket=f"A{index + 1:03d}",
            arrived_at=arrived,
            priority=draw(st.booleans()) and draw(st.booleans()),
            appointment_at=appointment,
            state=draw(
                st.sampled_from([State.CHECKED_IN, State.GREETED, State.GREETED, State.CALLED])
            ),
            assigned_desk=draw(st.sampled_from([None, None, None, None, "Desk 2"])),
        )
        result.append(visit)
    return result


policies = st.builds(
    QueuePolicy,
    order=st.sampled_from(
        [
            ("appointment", "priority", "walk_in"),
            ("priority", "appointment", "walk_in"),
            ("appointment", "walk_in"),
        ]
    ),
    appointment_window_minutes_before=st.sampled_from([0, 0, 5, 10]),
)


def eligible(visit: Visit, desk: Desk, policy: QueuePolicy) -> bool:
    """Written out from the policy's text, independently of the code under test."""
    if visit.state not in (State.CHECKED_IN, State.GREETED):
        return False
    if visit.service not in desk.services:
        return False
    if visit.assigned_desk not in (None, desk.name):
        return False
    if visit.appointment_at is not None:
        return (
            visit.appointment_at - timedelta(minutes=policy.appointment_window_minutes_before)
            <= NOW
        )
    return True


def klass(visit: Visit, policy: QueuePolicy) -> int:
    if visit.appointment_at is not None:
        name = "appointment"
    elif visit.priority or visit.service in PRIORITISED:
        name = "priority"
    else:
        name = "walk_in"
    return policy.order.index(name) if name in policy.order else len(policy.order) - 1


def before(a: Visit, b: Visit, policy: QueuePolicy) -> bool:
    """True when the policy calls `a` strictly before `b`."""
    ka, kb = klass(a, policy), klass(b, policy)
    if ka != kb:
        return ka < kb
    # Every generated policy keeps the appointment class: appointments go by appointed time.
    key_a = a.appointment_at or a.arrived_at
    key_b = b.appointment_at or b.arrived_at
    return (key_a, a.arrived_at, a.id) < (key_b, b.arrived_at, b.id)


@settings(max_examples=300, deadline=None)
@given(visits(), st.sampled_from(DESKS), policies)
def test_the_chosen_visit_is_eligible_and_nobody_eligible_ranks_before_it(queue, desk, policy):
    chosen = choose_next(queue, desk, NOW, PRIORITISED, policy)
    candidates = [v for v in queue if eligible(v, desk, policy)]
    if not candidates:
        assert chosen is None
        return
    assert chosen is not None
    assert chosen.service in desk.services  # a desk never calls a service it does not serve
    assert chosen.waiting
    if chosen.appointment_at is not None:  # never before the appointment's window
        assert chosen.appointment_at - policy.window <= NOW
    assert not any(before(other, chosen, policy) for other in candidates if other is not chosen)


@settings(max_examples=200, deadline=None)
@given(visits(), st.sampled_from(DESKS))
def test_calling_until_empty_keeps_arrival_order_within_each_class(queue, desk):
    policy = QueuePolicy()
    called: list[Visit] = []
    seen_ids: set[int] = set()
    while (chosen := choose_next(queue, desk, NOW, PRIORITISED, policy)) is not None:
        assert chosen.id not in seen_ids  # nobody is called twice
        seen_ids.add(chosen.id or 0)
        chosen.call(desk.name, NOW)
        called.append(chosen)
    for a, b in pairwise(called):
        ka, kb = klass(a, policy), klass(b, policy)
        assert ka <= kb
        if ka == kb:
            if a.appointment_at is not None:
                assert (a.appointment_at, a.arrived_at) <= (b.appointment_at, b.arrived_at)
            else:
                assert a.arrived_at <= b.arrived_at
    assert not any(eligible(v, desk, policy) for v in queue)


def walk_in(ident: int, service: str, minutes_ago: int, **kw) -> Visit:
    return Visit(
        id=ident,
        site="test",
        service=service,
        ticket=f"X{ident:03d}",
        arrived_at=NOW - timedelta(minutes=minutes_ago),
        **kw,
    )


def test_default_order_appointment_then_priority_then_arrival():
    desk = DESKS[1]
    queue = [
        walk_in(1, "council-tax", 30),
        walk_in(2, "elas", 5),
        walk_in(3, "housing-benefit", 2, appointment_at=NOW - timedelta(minutes=1)),
        walk_in(4, "council-tax", 40, priority=True),
    ]
    order = []
    while (chosen := choose_next(queue, desk, NOW, PRIORITISED)) is not None:
        chosen.call(desk.name, NOW)
        order.append(chosen.id)
    assert order == [3, 4, 2, 1]


def test_an_appointment_before_its_window_is_not_called_even_by_an_idle_desk():
    desk = DESKS[1]
    early = walk_in(1, "council-tax", 10, appointment_at=NOW + timedelta(minutes=3))
    assert choose_next([early], desk, NOW, PRIORITISED) is None
    assert (
        choose_next(
            [early], desk, NOW, PRIORITISED, QueuePolicy(appointment_window_minutes_before=5)
        )
        is early
    )


def test_priority_can_be_switched_off_or_put_first():
    desk = DESKS[1]
    plain = walk_in(1, "council-tax", 30)
    urgent = walk_in(2, "elas", 5)
    booked = walk_in(3, "council-tax", 1, appointment_at=NOW)
    no_priority = QueuePolicy(order=("appointment", "walk_in"))
    assert choose_next([plain, urgent], desk, NOW, PRIORITISED, no_priority) is plain
    priority_first = QueuePolicy(order=("priority", "appointment", "walk_in"))
    assert choose_next([plain, urgent, booked], desk, NOW, PRIORITISED, priority_first) is urgent


def test_a_visit_transferred_to_a_desk_is_called_only_there():
    visit = walk_in(1, "council-tax", 5, assigned_desk="Desk 2")
    assert choose_next([visit], DESKS[0], NOW, PRIORITISED) is None
    assert choose_next([visit], DESKS[1], NOW, PRIORITISED) is visit
    assert not may_call(visit, DESKS[0], NOW, QueuePolicy())


@pytest.mark.parametrize("order", [(), ("walk_in", "walk_in"), ("vip",)])
def test_bad_policies_are_refused(order):
    with pytest.raises(DomainError, match="queue order"):
        QueuePolicy(order=order)


def test_rank_orders_classes_then_time_then_arrival():
    a = walk_in(1, "council-tax", 10)
    b = walk_in(2, "council-tax", 10)
    assert rank(a, PRIORITISED, QueuePolicy()) < rank(b, PRIORITISED, QueuePolicy())
