"""A visit's lifecycle: each legal step timestamped, each illegal one refused clearly.

The whole (state x action) table is checked: every pair is either a legal step to
the documented state, or an IllegalTransition naming the ticket, the state and the
action, after which the visit is exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from shared.domain import (
    ENDED,
    WAITING,
    WITH_DESK,
    DomainError,
    IllegalTransition,
    Outcome,
    OutcomeKind,
    State,
    Visit,
)

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
RESOLVED = Outcome(OutcomeKind.RESOLVED)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def new_visit(**kw) -> Visit:
    return Visit(site="bootle", service="council-tax", ticket="C001", arrived_at=T0, **kw)


# How to bring a fresh visit into each state (one step a minute from T0 + 1).
PATHS: dict[State, list[str]] = {
    State.CHECKED_IN: [],
    State.GREETED: ["greet"],
    State.CALLED: ["call"],
    State.SERVING: ["call", "start"],
    State.PARKED: ["call", "park"],
    State.FINISHED: ["call", "start", "finish"],
    State.NO_SHOW: ["call", "no_show"],
    State.LEFT: ["leave"],
}

Step = Callable[[Visit, datetime], None]

# name -> (the step, the words of the refusal, the states it is legal from, the state after)
ACTIONS: dict[str, tuple[Step, str, frozenset[State], State | None]] = {
    "greet": (lambda v, t: v.greet(t), "greeted", frozenset({State.CHECKED_IN}), State.GREETED),
    "call": (lambda v, t: v.call("Desk 1", t), "called", WAITING | {State.PARKED}, State.CALLED),
    "recall": (lambda v, t: v.recall(t), "recalled", frozenset({State.CALLED}), State.CALLED),
    "start": (lambda v, t: v.start(t), "started", frozenset({State.CALLED}), State.SERVING),
    "finish": (
        lambda v, t: v.finish(RESOLVED, t),
        "finished",
        frozenset({State.SERVING}),
        State.FINISHED,
    ),
    "close_unrecorded": (
        lambda v, t: v.close_unrecorded(t),
        "closed",
        frozenset({State.CALLED, State.SERVING}),
        State.FINISHED,
    ),
    "no_show": (
        lambda v, t: v.no_show(t),
        "marked as a no-show",
        frozenset({State.CALLED}),
        State.NO_SHOW,
    ),
    "leave": (lambda v, t: v.leave(t), "marked as left", WAITING | {State.PARKED}, State.LEFT),
    "park": (
        lambda v, t: v.park(t),
        "parked",
        frozenset({State.CALLED, State.SERVING}),
        State.PARKED,
    ),
    "return_to_queue": (
        lambda v, t: v.return_to_queue(t),
        "returned to the queue",
        frozenset({State.PARKED}),
        State.GREETED,
    ),
    "transfer": (
        lambda v, t: v.transfer(t, service="housing-benefit"),
        "transferred",
        WITH_DESK,
        State.GREETED,
    ),
    "change": (lambda v, t: v.change(priority=True), "changed", WAITING, None),
}


def visit_in(state: State) -> Visit:
    visit = new_visit()
    for minute, name in enumerate(PATHS[state], start=1):
        ACTIONS[name][0](visit, at(minute))
    assert visit.state is state
    return visit


def test_the_paths_reach_every_state_and_the_state_sets_partition_them() -> None:
    assert set(PATHS) == set(State)
    assert set(State) == WAITING | WITH_DESK | ENDED
    assert not (WAITING & WITH_DESK or WAITING & ENDED or WITH_DESK & ENDED)


@pytest.mark.parametrize(
    ("state", "name"), list(product(State, ACTIONS)), ids=lambda x: getattr(x, "value", x)
)
def test_every_action_from_every_state_is_done_or_refused_with_a_clear_message(
    state: State, name: str
) -> None:
    step, words, legal_from, after = ACTIONS[name]
    visit = visit_in(state)
    if state in legal_from:
        step(visit, at(30))
        assert visit.state is (after or state)
        return
    snapshot = deepcopy(visit)
    with pytest.raises(IllegalTransition) as caught:
        step(visit, at(30))
    error = caught.value
    assert isinstance(error, DomainError)
    assert (error.ticket, error.state) == ("C001", state.value)
    assert str(error) == f"ticket C001 is {state.value.replace('_', ' ')}: it cannot be {words}"
    assert visit == snapshot, "a refused step changed the visit"


# -- each legal step and its timestamps ---------------------------------------------


def test_greet_stamps_the_greeting_only() -> None:
    visit = new_visit()
    visit.greet(at(1))
    assert visit.state is State.GREETED and visit.greeted_at == at(1)
    assert (visit.called_at, visit.first_called_at, visit.call_count, visit.desk) == (
        None,
        None,
        0,
        None,
    )


def test_a_call_counts_as_the_greeting() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(3))
    assert visit.state is State.CALLED
    assert visit.greeted_at == visit.first_called_at == visit.called_at == at(3)
    assert (visit.call_count, visit.desk) == (1, "Desk 1")


def test_a_call_after_the_greeting_keeps_the_greeting_time() -> None:
    visit = new_visit()
    visit.greet(at(1))
    visit.call("Desk 1", at(6))
    assert (visit.greeted_at, visit.first_called_at, visit.called_at) == (at(1), at(6), at(6))


def test_recall_counts_the_call_but_keeps_the_first_call() -> None:
    visit = new_visit()
    visit.call("Desk 2", at(4))
    visit.recall(at(5))
    visit.recall(at(7))
    assert visit.state is State.CALLED and visit.desk == "Desk 2"
    assert (visit.first_called_at, visit.called_at, visit.call_count) == (at(4), at(7), 3)
    assert visit.greeted_at == at(4)


def test_start_and_finish() -> None:
    visit = new_visit()
    visit.greet(at(1))
    visit.call("Desk 4", at(5))
    visit.recall(at(6))
    visit.start(at(7))
    assert visit.state is State.SERVING and visit.serving_at == at(7)
    referred = Outcome(OutcomeKind.REFERRED, "Revenues")
    visit.finish(referred, at(20))
    assert visit.state is State.FINISHED
    assert (visit.greeted_at, visit.first_called_at, visit.called_at) == (at(1), at(5), at(6))
    assert (visit.serving_at, visit.ended_at) == (at(7), at(20))
    assert (visit.call_count, visit.desk, visit.outcome) == (2, "Desk 4", referred)


def test_closing_a_called_visit_counts_it_served_from_its_last_call() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(2))
    visit.recall(at(4))
    visit.close_unrecorded(at(9))
    assert visit.state is State.FINISHED
    assert (visit.serving_at, visit.ended_at) == (at(4), at(9))
    assert visit.outcome == Outcome(OutcomeKind.NOT_RECORDED)


def test_closing_a_visit_being_served_keeps_its_start() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(2))
    visit.start(at(3))
    visit.close_unrecorded(at(9))
    assert (visit.state, visit.serving_at, visit.ended_at) == (State.FINISHED, at(3), at(9))
    assert visit.outcome is not None and visit.outcome.kind is OutcomeKind.NOT_RECORDED


def test_no_show() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(1))
    visit.recall(at(2))
    visit.no_show(at(3))
    assert visit.state is State.NO_SHOW and visit.ended_at == at(3)
    assert (visit.first_called_at, visit.serving_at, visit.outcome) == (at(1), None, None)


@pytest.mark.parametrize("state", [State.CHECKED_IN, State.GREETED, State.PARKED])
def test_leaving(state: State) -> None:
    visit = visit_in(state)
    called = visit.first_called_at
    visit.leave(at(8))
    assert visit.state is State.LEFT and visit.ended_at == at(8)
    assert visit.first_called_at == called and visit.outcome is None


@pytest.mark.parametrize("from_state", [State.CALLED, State.SERVING])
def test_park_keeps_the_desk_and_the_desk_can_call_back(from_state: State) -> None:
    visit = visit_in(from_state)
    serving = visit.serving_at
    visit.park(at(10))
    assert visit.state is State.PARKED and visit.parked_at == at(10)
    assert visit.desk == "Desk 1" and visit.serving_at == serving
    visit.call("Desk 3", at(15))
    assert visit.state is State.CALLED and visit.parked_at is None
    assert (visit.desk, visit.called_at, visit.first_called_at, visit.call_count) == (
        "Desk 3",
        at(15),
        at(1),
        2,
    )


def test_return_to_queue_keeps_arrival_and_greeting() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(2))
    visit.park(at(3))
    visit.return_to_queue(at(10))
    assert visit.state is State.GREETED and visit.waiting
    assert (visit.desk, visit.parked_at, visit.assigned_desk) == (None, None, None)
    assert (visit.arrived_at, visit.greeted_at, visit.first_called_at) == (T0, at(2), at(2))
    visit.call("Desk 2", at(11))  # any desk may call it now
    assert (visit.desk, visit.first_called_at, visit.call_count) == ("Desk 2", at(2), 2)


@pytest.mark.parametrize("from_state", sorted(WITH_DESK))
def test_transfer_keeps_arrival_counts_the_transfer_and_returns_to_the_queue(
    from_state: State,
) -> None:
    visit = visit_in(from_state)
    visit.transfer(at(9), service="housing-benefit")
    assert visit.state is State.GREETED and visit.waiting
    assert (visit.arrived_at, visit.greeted_at, visit.first_called_at) == (T0, at(1), at(1))
    assert (visit.service, visit.transfers, visit.call_count) == ("housing-benefit", 1, 1)
    assert (visit.desk, visit.assigned_desk, visit.parked_at, visit.serving_at) == (
        None,
        None,
        None,
        None,
    )
    visit.call("Desk 3", at(12))
    assert (visit.first_called_at, visit.called_at, visit.call_count) == (at(1), at(12), 2)
    visit.transfer(at(13), service="parking")
    assert visit.transfers == 2


def test_transfer_to_a_desk_is_called_only_by_that_desk() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(4))
    visit.transfer(at(5), desk="Desk 2")
    assert (visit.service, visit.assigned_desk, visit.desk) == ("council-tax", "Desk 2", None)
    snapshot = deepcopy(visit)
    with pytest.raises(DomainError, match="ticket C001 was transferred to Desk 2"):
        visit.call("Desk 1", at(6))
    assert visit == snapshot
    visit.call("Desk 2", at(6))
    assert visit.desk == "Desk 2"
    # A later transfer to a service only lets any desk call it again.
    visit.transfer(at(7), service="parking")
    assert visit.assigned_desk is None
    visit.call("Desk 1", at(8))
    assert visit.desk == "Desk 1" and visit.transfers == 2


def test_transfer_needs_somewhere_to_go() -> None:
    visit = visit_in(State.SERVING)
    snapshot = deepcopy(visit)
    with pytest.raises(DomainError, match="needs a service or a desk"):
        visit.transfer(at(5))
    assert visit == snapshot


def test_reception_changes_service_or_priority_of_a_waiting_visitor() -> None:
    visit = new_visit()
    visit.change(service="parking")
    assert (visit.service, visit.priority) == ("parking", False)
    visit.greet(at(1))
    visit.change(priority=True)
    assert (visit.service, visit.priority, visit.state) == ("parking", True, State.GREETED)
    visit.change()
    assert (visit.service, visit.priority) == ("parking", True)


def test_questions() -> None:
    walk_in = new_visit()
    booked = new_visit(appointment_at=at(30))
    assert walk_in.waiting and not walk_in.is_appointment and booked.is_appointment
    walk_in.call("Desk 1", at(1))
    assert not walk_in.waiting


# -- times must carry their zone ----------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n in ACTIONS if n != "change"))
def test_naive_times_are_refused_and_change_nothing(name: str) -> None:
    step, _words, legal_from, _after = ACTIONS[name]
    visit = visit_in(min(legal_from, key=lambda s: len(PATHS[s])))
    snapshot = deepcopy(visit)
    with pytest.raises(DomainError, match="time zone"):
        step(visit, datetime(2026, 6, 1, 9, 30))
    assert visit == snapshot, f"{name} with a naive time changed the visit"


def test_a_visit_needs_aware_arrival_and_appointment_times() -> None:
    with pytest.raises(DomainError, match="time zone"):
        Visit(site="b", service="s", ticket="C001", arrived_at=datetime(2026, 1, 1, 9, 0))
    with pytest.raises(DomainError, match="time zone"):
        new_visit(appointment_at=datetime(2026, 6, 1, 10, 0))


# -- outcomes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "detail", "expected"),
    [
        ("resolved", "", Outcome(OutcomeKind.RESOLVED)),
        (" RESOLVED ", "", Outcome(OutcomeKind.RESOLVED)),
        ("Digital-Assistance", "", Outcome(OutcomeKind.DIGITAL_ASSISTANCE)),
        ("digital assistance", "", Outcome(OutcomeKind.DIGITAL_ASSISTANCE)),
        ("not_recorded", "", Outcome(OutcomeKind.NOT_RECORDED)),
        ("referred", "  Revenues ", Outcome(OutcomeKind.REFERRED, "Revenues")),
        (
            "avoidable",
            "could be done online",
            Outcome(OutcomeKind.AVOIDABLE, "could be done online"),
        ),
        ("resolved", "paid in full", Outcome(OutcomeKind.RESOLVED, "paid in full")),
    ],
)
def test_outcomes_parse(kind: str, detail: str, expected: Outcome) -> None:
    assert Outcome.parse(kind, detail) == expected


@pytest.mark.parametrize(
    ("kind", "detail", "message"),
    [
        ("referred", "", "outcome referred needs the back office"),
        ("Referred", "   ", "outcome referred needs the back office"),
        ("avoidable", "  ", "outcome avoidable needs the reason"),
        ("sorted", "", "unknown outcome 'sorted' .*resolved, referred, avoidable, digital-assis"),
        ("", "", "unknown outcome ''"),
    ],
)
def test_bad_outcomes_are_refused(kind: str, detail: str, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        Outcome.parse(kind, detail)


def test_an_outcome_built_directly_is_checked_too() -> None:
    with pytest.raises(DomainError, match="needs the back office"):
        Outcome(OutcomeKind.REFERRED)
    with pytest.raises(DomainError, match="needs the reason"):
        Outcome(OutcomeKind.AVOIDABLE, " ")
