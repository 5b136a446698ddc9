"""The wait predictor: the queue played forward, against what can be worked out by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain.predict import (
    DeskNow,
    Snapshot,
    Waiter,
    last_called_estimate,
    mean_absolute_error,
    predict_wait,
    queue_length_estimate,
    share_within,
)

ONE = frozenset({"council-tax"})


def waiting(count: int, service: str = "council-tax") -> tuple[Waiter, ...]:
    return tuple(Waiter((2.0, -float(count - i), float(i)), service) for i in range(count))


def gamma_median(shape: int, rate: float) -> float:
    """The median of a sum of `shape` exponentials of `rate` (found by bisection)."""

    def cdf(x: float) -> float:
        term = total = 1.0
        for k in range(1, shape):
            term *= rate * x / k
            total += term
        return 1 - math.exp(-rate * x) * total

    low, high = 0.0, 1000.0
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if cdf(middle) < 0.5 else (low, middle)
    return low


@pytest.mark.parametrize(("ahead", "desks"), [(0, 1), (5, 3), (12, 4), (2, 6)])
def test_the_textbook_queue_agrees_with_the_formula(ahead: int, desks: int) -> None:
    """One service, identical busy desks, exponential times: the wait of the visitor behind
    n others is n + 1 departures at rate c/m (Erlang), whose median the predictor gives."""
    snapshot = Snapshot(
        service="council-tax",
        ahead=waiting(ahead),
        desks=tuple(DeskNow(f"Desk {i}", ONE, 10.0, busy=True) for i in range(desks)),
        minutes={"council-tax": 10.0},
        spread=1.0,
    )
    expected = gamma_median(ahead + 1, desks / 10.0)
    assert predict_wait(snapshot, runs=2001) == pytest.approx(expected, rel=0.08)


def test_a_free_desk_calls_at_once() -> None:
    snapshot = Snapshot(
        "council-tax",
        ahead=waiting(1),
        desks=(DeskNow("Desk 1", ONE), DeskNow("Desk 2", ONE)),
        minutes={"council-tax": 10.0},
    )
    assert predict_wait(snapshot) == 0.0


def test_visitors_for_services_other_desks_deal_with_do_not_hold_this_one_up() -> None:
    desks = (DeskNow("Desk 1", ONE, 4.0, busy=True), DeskNow("Desk 5", frozenset({"parking"})))
    alone = Snapshot("council-tax", (), desks, {"council-tax": 10.0, "parking": 10.0})
    crowded = Snapshot(
        "council-tax", waiting(20, "parking"), desks, {"council-tax": 10.0, "parking": 10.0}
    )
    assert predict_wait(crowded) == predict_wait(alone)


def test_a_shared_desk_takes_the_better_ranked_visitor_of_either_service() -> None:
    both = frozenset({"council-tax", "parking"})
    minutes = {"council-tax": 10.0, "parking": 10.0}
    desks = (DeskNow("Desk 1", both, 5.0, busy=True),)
    behind_parking = Snapshot("council-tax", waiting(3, "parking"), desks, minutes, spread=0.01)
    assert predict_wait(behind_parking) == pytest.approx(35.0, rel=0.25)  # ~5 + 3 x 10


def test_a_desk_back_from_its_break_is_counted_from_its_return() -> None:
    snapshot = Snapshot(
        "council-tax", (), (DeskNow("Desk 1", ONE, free_in=20.0),), {"council-tax": 10.0}
    )
    assert predict_wait(snapshot) == 20.0


def test_an_appointment_due_during_the_wait_goes_first_but_one_due_later_does_not() -> None:
    desks = (DeskNow("Desk 1", ONE, 10.0, busy=True),)
    minutes = {"council-tax": 10.0}
    base = Snapshot("council-tax", waiting(2), desks, minutes, spread=0.01)
    soon = Snapshot(
        "council-tax",
        waiting(2),
        desks,
        minutes,
        later=(Waiter((0.0, 5.0, 99.0), "council-tax", 5.0),),
        spread=0.01,
    )
    late = Snapshot(
        "council-tax",
        waiting(2),
        desks,
        minutes,
        later=(Waiter((0.0, 300.0, 99.0), "council-tax", 300.0),),
        spread=0.01,
    )
    assert predict_wait(soon) > predict_wait(base) + 5
    assert predict_wait(late) == predict_wait(base)


def test_priority_arrivals_expected_meanwhile_lengthen_a_walk_ins_wait() -> None:
    desks = (DeskNow("Desk 1", ONE, 10.0, busy=True),)
    minutes = {"council-tax": 10.0}
    calm = Snapshot("council-tax", waiting(3), desks, minutes)
    busy = Snapshot("council-tax", waiting(3), desks, minutes, overtaking={"council-tax": 1 / 30})
    assert predict_wait(busy) > predict_wait(calm)


def test_no_open_desk_for_the_service_is_no_estimate() -> None:
    snapshot = Snapshot("parking", (), (DeskNow("Desk 1", ONE),), {"parking": 10.0})
    assert predict_wait(snapshot) == math.inf


def test_a_visit_kept_for_one_desk_is_only_called_there() -> None:
    minutes = {"council-tax": 10.0}
    desks = (DeskNow("Desk 1", ONE, 10.0, busy=True), DeskNow("Desk 2", ONE))
    kept = (Waiter((2.0, -5.0, 1.0), "council-tax", desk="Desk 1"),)
    assert predict_wait(Snapshot("council-tax", kept, desks, minutes)) == 0.0  # Desk 2 is free


@settings(max_examples=60, deadline=None)
@given(
    ahead=st.integers(0, 30),
    desks=st.integers(1, 6),
    extra=st.integers(1, 10),
    minutes=st.floats(2, 40),
)
def test_more_visitors_ahead_never_shorten_the_wait(
    ahead: int, desks: int, extra: int, minutes: float
) -> None:
    def wait(count: int) -> float:
        return predict_wait(
            Snapshot(
                "council-tax",
                waiting(count),
                tuple(DeskNow(f"D{i}", ONE, minutes / 2, busy=True) for i in range(desks)),
                {"council-tax": minutes},
            ),
            runs=21,
        )

    assert wait(ahead + extra) >= wait(ahead) - 1e-9
    assert wait(ahead) >= 0


def test_the_same_queue_gets_the_same_answer() -> None:
    snapshot = Snapshot(
        "council-tax",
        waiting(7),
        (DeskNow("D1", ONE, 3.0, busy=True), DeskNow("D2", ONE, 8.0, busy=True)),
        {"council-tax": 12.0},
    )
    assert predict_wait(snapshot) == predict_wait(snapshot)


def test_the_naive_estimates_and_the_measures() -> None:
    assert queue_length_estimate(6, 3, 10.0) == 20.0
    assert queue_length_estimate(6, 0, 10.0) == 60.0  # no desk open: as if one
    assert last_called_estimate(None) == 0.0 and last_called_estimate(12.5) == 12.5
    pairs = [(10.0, 12.0), (3.0, 9.0), (0.0, 0.0)]
    assert mean_absolute_error(pairs) == pytest.approx(8 / 3)
    assert share_within(pairs, 5.0) == pytest.approx(200 / 3)
    assert mean_absolute_error([]) == 0.0 and share_within([]) == 0.0
