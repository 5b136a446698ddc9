"""A visit's lifecycle: each legal step timestamped, each illegal one refused clearly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.domain import DomainError, IllegalTransition, Outcome, OutcomeKind, State, Visit

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def new_visit(**kw) -> Visit:
    return Visit(site="bootle", service="council-tax", ticket="C001", arrived_at=T0, **kw)


RESOLVED = Outcome(OutcomeKind.RESOLVED)


def test_the_whole_journey_is_timestamped() -> None:
    visit = new_visit()
    visit.greet(at(1))
    visit.call("Desk 4", at(5))
    visit.recall(at(6))
    visit.start(at(7))
    visit.finish(RESOLVED, at(20))
    assert visit.state is State.FINISHED
    assert (visit.greeted_at, visit.first_called_at, visit.called_at) == (at(1), at(5), at(6))
    assert (visit.serving_at, visit.ended_at) == (at(7), at(20))
    assert visit.call_count == 2 and visit.desk == "Desk 4" and visit.outcome == RESOLVED


def test_a_call_counts_as_the_greeting() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(3))
    assert visit.greeted_at == at(3)


def test_transfer_keeps_arrival_and_first_call_and_returns_to_the_queue() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(4))
    visit.start(at(5))
    visit.transfer(at(9), service="housing-benefit")
    assert visit.state is State.GREETED and visit.waiting
    assert visit.arrived_at == T0 and visit.first_called_at == at(4)
    assert (visit.service, visit.desk, visit.transfers) == ("housing-benefit", None, 1)
    visit.call("Desk 3", at(12))
    assert visit.first_called_at == at(4) and visit.called_at == at(12)


def test_transfer_to_a_desk_is_called_only_by_that_desk() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(4))
    visit.transfer(at(5), desk="Desk 2")
    with pytest.raises(DomainError, match="transferred to Desk 2"):
        visit.call("Desk 1", at(6))
    visit.call("Desk 2", at(6))
    assert visit.desk == "Desk 2"


def test_park_and_return() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(2))
    visit.park(at(3))
    assert visit.state is State.PARKED and visit.parked_at == at(3)
    visit.return_to_queue(at(10))
    assert visit.state is State.GREETED and visit.desk is None and visit.arrived_at == T0
    visit.call("Desk 2", at(11))
    visit.park(at(12))
    visit.call("Desk 2", at(15))  # a desk can call its parked visitor back
    assert visit.state is State.CALLED and visit.parked_at is None


def test_no_show_and_leaving() -> None:
    called = new_visit()
    called.call("Desk 1", at(1))
    called.no_show(at(3))
    assert called.state is State.NO_SHOW and called.ended_at == at(3)
    walked_out = new_visit()
    walked_out.leave(at(8))
    assert walked_out.state is State.LEFT and walked_out.first_called_at is None


def test_call_next_closes_the_previous_visit_unrecorded() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(2))
    visit.close_unrecorded(at(9))
    assert visit.state is State.FINISHED
    assert visit.serving_at == at(2) and visit.outcome == Outcome(OutcomeKind.NOT_RECORDED)


@pytest.mark.parametrize(
    ("setup", "action", "words"),
    [
        ([], lambda v: v.start(at(1)), "is checked in: it cannot be started"),
        ([], lambda v: v.recall(at(1)), "cannot be recalled"),
        ([], lambda v: v.finish(RESOLVED, at(1)), "cannot be finished"),
        ([], lambda v: v.no_show(at(1)), "cannot be marked as a no-show"),
        ([], lambda v: v.park(at(1)), "cannot be parked"),
        ([], lambda v: v.transfer(at(1), service="x"), "cannot be transferred"),
        (["greet"], lambda v: v.greet(at(2)), "is greeted: it cannot be greeted"),
        (["call"], lambda v: v.greet(at(2)), "is called: it cannot be greeted"),
        (["call"], lambda v: v.leave(at(2)), "cannot be marked as left"),
        (["call"], lambda v: v.finish(RESOLVED, at(2)), "is called: it cannot be finished"),
        (["call", "start"], lambda v: v.no_show(at(3)), "is serving"),
        (["call", "start", "finish"], lambda v: v.call("Desk 1", at(4)), "is finished"),
        (["leave"], lambda v: v.call("Desk 1", at(4)), "is left: it cannot be called"),
        ([], lambda v: v.return_to_queue(at(1)), "cannot be returned to the queue"),
        (
            ["greet"],
            lambda v: v.change(service="x") or v.call("D", at(2)) or v.change(),
            "is called",
        ),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(setup, action, words) -> None:
    visit = new_visit()
    steps = {
        "greet": lambda v: v.greet(at(1)),
        "call": lambda v: v.call("Desk 1", at(1)),
        "start": lambda v: v.start(at(2)),
        "finish": lambda v: v.finish(RESOLVED, at(3)),
        "leave": lambda v: v.leave(at(1)),
    }
    for step in setup:
        steps[step](visit)
    with pytest.raises(IllegalTransition) as error:
        action(visit)
    assert "C001" in str(error.value)
    assert words in str(error.value)


def test_a_refused_step_leaves_the_visit_as_it_was() -> None:
    visit = new_visit()
    visit.call("Desk 1", at(1))
    snapshot = dict(vars(visit))
    with pytest.raises(IllegalTransition):
        visit.finish(RESOLVED, at(2))
    assert vars(visit) == snapshot


def test_times_must_carry_a_zone() -> None:
    with pytest.raises(DomainError, match="time zone"):
        Visit(site="b", service="s", ticket="C001", arrived_at=datetime(2026, 1, 1, 9, 0))
    visit = new_visit()
    with pytest.raises(DomainError, match="time zone"):
        visit.greet(datetime(2026, 1, 1, 9, 1))


@pytest.mark.parametrize(
    ("kind", "detail", "expected"),
    [
        ("resolved", "", OutcomeKind.RESOLVED),
        ("Digital-Assistance", "", OutcomeKind.DIGITAL_ASSISTANCE),
        ("referred", "Revenues", OutcomeKind.REFERRED),
        ("avoidable", "could be done online", OutcomeKind.AVOIDABLE),
    ],
)
def test_outcomes_parse(kind, detail, expected) -> None:
    assert Outcome.parse(kind, detail).kind is expected


@pytest.mark.parametrize(
    ("kind", "detail", "message"),
    [
        ("referred", "", "needs the back office"),
        ("avoidable", "  ", "needs the reason"),
        ("sorted", "", "unknown outcome"),
    ],
)
def test_bad_outcomes_are_refused(kind, detail, message) -> None:
    with pytest.raises(DomainError, match=message):
        Outcome.parse(kind, detail)
