"""Reception's figures of the day: shares over the visitors whose target is decided."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reception.figures import Share, today_figures
from shared.domain import Outcome, OutcomeKind, Targets, Visit

NINE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TARGETS = Targets(greet_minutes=2, serve_minutes=15)


def arrived(minute: float, ticket: str = "C001") -> Visit:
    return Visit(
        site="bootle",
        service="council-tax",
        ticket=ticket,
        arrived_at=NINE + timedelta(minutes=minute),
    )


def at(minute: float) -> datetime:
    return NINE + timedelta(minutes=minute)


def test_early_in_the_morning_visitors_inside_the_targets_are_not_counted() -> None:
    greeted = arrived(0, "C001")
    greeted.greet(at(1))
    fresh = [arrived(1.5, "C002"), arrived(1.8, "C003")]  # inside the 2 minutes at 09:02
    figures = today_figures([greeted, *fresh], at(2), TARGETS)
    assert figures.visitors == 3
    assert figures.greeted == Share(met=1, decided=1)  # not "33%": two are undecided
    assert str(figures.greeted) == "100% of 1"
    assert figures.called == Share(0, 0) and str(figures.called) == "—"
    assert figures.average_wait is None


def test_past_the_target_without_it_counts_as_missed() -> None:
    waiting = arrived(0, "C001")  # never greeted, 3 minutes on
    late = arrived(0, "C002")
    late.greet(at(2.5))  # greeted, but late
    on_time = arrived(1, "C003")
    on_time.call("Desk 1", at(2))  # the call is the greeting
    figures = today_figures([waiting, late, on_time], at(3), TARGETS)
    assert figures.greeted == Share(met=1, decided=3)
    assert figures.called == Share(met=1, decided=1)  # the other two are inside 15 minutes
    assert figures.average_wait == 1.0
    later = today_figures([waiting, late, on_time], at(16), TARGETS)
    assert later.called == Share(met=1, decided=3)


def test_a_visitor_who_left_unseen_is_decided_at_once() -> None:
    walked_out = arrived(0, "C001")
    walked_out.leave(at(1))
    served = arrived(0, "C002")
    served.call("Desk 1", at(0.5))
    served.start(at(1))
    served.finish(Outcome(OutcomeKind.RESOLVED), at(1.5))
    figures = today_figures([walked_out, served], at(1.5), TARGETS)
    assert figures.greeted == Share(met=1, decided=2)
    assert figures.called == Share(met=1, decided=2)
    assert str(figures.called) == "50% of 2"
