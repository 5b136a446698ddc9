"""Today's figures on the reception console: the charter's shares as the day goes.

A share "within the target" counts only the visitors whose outcome for that target
is already decided: greeted (or called) by now, or past the target without it, or
gone without it. Someone who arrived a minute ago and is still inside the greet
target has neither met nor missed it yet, so is not counted, and an early morning
does not show "greeted within 2 min: 40%" for visitors still inside their two
minutes. At the end of the day every visit is decided and the shares are the
charter's (DOMAIN.md: one never greeted counts as not greeted in time).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from shared.domain import ENDED, Targets, Visit
from shared.domain.targets import (
    greet_target_met,
    minutes_between,
    serve_target_met,
    wait_minutes,
)


@dataclass(frozen=True)
class Share:
    met: int
    decided: int

    def __str__(self) -> str:
        if not self.decided:
            return "—"
        return f"{100 * self.met / self.decided:.0f}% of {self.decided}"


@dataclass(frozen=True)
class TodayFigures:
    visitors: int
    average_wait: float | None  # over the visits called so far
    greeted: Share
    called: Share


def _decided(visit: Visit, done_at: datetime | None, target: int, now: datetime) -> bool:
    if done_at is not None or visit.state in ENDED:
        return True
    return minutes_between(visit.arrived_at, now) > target


def today_figures(visits: Iterable[Visit], now: datetime, targets: Targets) -> TodayFigures:
    visits = list(visits)
    waits = [w for w in (wait_minutes(v) for v in visits) if w is not None]
    greet = [v for v in visits if _decided(v, v.greeted_at, targets.greet_minutes, now)]
    serve = [v for v in visits if _decided(v, v.first_called_at, targets.serve_minutes, now)]
    return TodayFigures(
        visitors=len(visits),
        average_wait=sum(waits) / len(waits) if waits else None,
        greeted=Share(sum(greet_target_met(v, targets) for v in greet), len(greet)),
        called=Share(sum(serve_target_met(v, targets) for v in serve), len(serve)),
    )
