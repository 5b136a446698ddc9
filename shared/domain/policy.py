"""The queue policy: which waiting visit a desk calls next.

The default, from the council's charter (DOMAIN.md):

1. **Appointments** whose window has opened, by appointed time. The window opens
   `appointment_window_minutes_before` minutes before the appointed time (0 by
   default: never before the appointed time). An appointment whose window has not
   opened is not called at all, even by an idle desk.
2. **Priority**: visits for a prioritised service (ELAS, Household Support Fund,
   Social Care) and visitors reception flagged as priority, in arrival order.
3. **Everyone else**, first come, first served.

Within a class, ties go to the earlier arrival, then the earlier check-in (the
visit id). A desk only ever calls services it serves, and a visit transferred to
a desk is only called by that desk. A transferred visit keeps its arrival time.

The policy is configurable per site through `QueuePolicy.order`: the classes in
the order they are called. A class left out is folded into the last one, so
`order=("appointment", "walk_in")` turns priority off, and
`order=("priority", "appointment", "walk_in")` serves priority first.

`rank()` turns a visit into a sort key; `choose_next()` applies it to a list of
visits. The store keeps the same key in indexed columns so that it can answer
in SQL, and the tests prove both agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import DomainError
from .model import Desk, Site
from .visit import Visit

CLASSES = ("appointment", "priority", "walk_in")


@dataclass(frozen=True)
class QueuePolicy:
    order: tuple[str, ...] = CLASSES
    appointment_window_minutes_before: int = 0

    def __post_init__(self) -> None:
        unknown = [c for c in self.order if c not in CLASSES]
        if unknown or not self.order or len(set(self.order)) != len(self.order):
            raise DomainError(
                f"queue order must list some of {', '.join(CLASSES)} once each, not {self.order}"
            )

    @property
    def window(self) -> timedelta:
        return timedelta(minutes=self.appointment_window_minutes_before)

    def class_number(self, name: str) -> int:
        """Position of a class in the calling order; classes left out go last."""
        return self.order.index(name) if name in self.order else len(self.order) - 1


@dataclass(frozen=True, order=True)
class Rank:
    """Sort key of a waiting visit: lower is called first."""

    klass: int
    at: datetime  # appointed time for appointments, arrival time for the rest
    arrived_at: datetime
    id: int


def visit_class(visit: Visit, prioritised: frozenset[str]) -> str:
    if visit.appointment_at is not None:
        return "appointment"
    if visit.priority or visit.service in prioritised:
        return "priority"
    return "walk_in"


def rank(visit: Visit, prioritised: frozenset[str], policy: QueuePolicy) -> Rank:
    klass = visit_class(visit, prioritised)
    at = visit.appointment_at if klass == "appointment" else visit.arrived_at
    assert at is not None
    return Rank(policy.class_number(klass), at, visit.arrived_at, visit.id or 0)


def callable_from(visit: Visit, policy: QueuePolicy) -> datetime:
    """The earliest moment the visit may be called."""
    if visit.appointment_at is not None:
        return visit.appointment_at - policy.window
    return visit.arrived_at


def may_call(visit: Visit, desk: Desk, now: datetime, policy: QueuePolicy) -> bool:
    return (
        visit.waiting
        and desk.serves(visit.service)
        and (visit.assigned_desk is None or visit.assigned_desk == desk.name)
        and callable_from(visit, policy) <= now
    )


def choose_next(
    visits: Iterable[Visit],
    desk: Desk,
    now: datetime,
    prioritised: frozenset[str],
    policy: QueuePolicy = QueuePolicy(),
) -> Visit | None:
    """The visit `desk` should call at `now`, or None when nobody is waiting for it."""
    candidates = [v for v in visits if may_call(v, desk, now, policy)]
    if not candidates:
        return None
    return min(candidates, key=lambda v: rank(v, prioritised, policy))


def policy_for(site: Site) -> QueuePolicy:
    return QueuePolicy(site.queue_order, site.targets.appointment_window_minutes_before)
