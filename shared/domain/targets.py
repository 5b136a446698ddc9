"""Whether a visit met the charter's targets, with the definitions of DOMAIN.md.

- Greeted: the first of "greeted by reception" and "called by a CSA" (the visit's
  `greeted_at` already holds that). Met when within `greet_minutes` of arrival.
- Wait to see a CSA: arrival to the *first* call. Met when within `serve_minutes`.
- Appointment on time: first called no later than `appointment_grace_minutes`
  after the appointed time, or after arrival when the visitor came late.

All arithmetic is done in UTC, so a British Summer Time change in the middle of
a wait does not stretch or shrink it, even when the times are given in local
time (Python subtracts and compares two datetimes of the *same* zone by their
wall clocks). A visit never greeted (or never called) has not met that target;
`None` answers "not applicable" only where the question does not arise (on-time
for a walk-in).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .model import Targets
from .visit import Visit


def minutes_between(start: datetime, end: datetime) -> float:
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60.0


def greet_minutes(visit: Visit) -> float | None:
    return None if visit.greeted_at is None else minutes_between(visit.arrived_at, visit.greeted_at)


def wait_minutes(visit: Visit) -> float | None:
    """Arrival to the first call by a CSA; None when never called."""
    if visit.first_called_at is None:
        return None
    return minutes_between(visit.arrived_at, visit.first_called_at)


def greet_target_met(visit: Visit, targets: Targets) -> bool:
    waited = greet_minutes(visit)
    return waited is not None and waited <= targets.greet_minutes


def serve_target_met(visit: Visit, targets: Targets) -> bool:
    waited = wait_minutes(visit)
    return waited is not None and waited <= targets.serve_minutes


def appointment_due(visit: Visit) -> datetime | None:
    """When an appointment visitor should have been called by (before the grace)."""
    if visit.appointment_at is None:
        return None
    return max(visit.appointment_at.astimezone(UTC), visit.arrived_at.astimezone(UTC))


def appointment_on_time(visit: Visit, targets: Targets) -> bool | None:
    """None for walk-ins; False for an appointment never called."""
    due = appointment_due(visit)
    if due is None:
        return None
    if visit.first_called_at is None:
        return False
    grace = timedelta(minutes=targets.appointment_grace_minutes)
    return visit.first_called_at.astimezone(UTC) <= due + grace
