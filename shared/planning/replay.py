"""Replaying a day: what each estimator would have told each visitor on arrival.

For every visitor of a day (simulated, or from the database), the queue as it was
at their arrival is rebuilt from the timestamps: who was waiting ahead of them by
the queue policy, which desks were open and which busy, the appointments booked
for later, and what the days before taught about service times and priority
arrivals. The wait predictor and the two naive estimates are then asked, and
their answers set against the wait that really followed (arrival to first call).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from shared.domain import Desk, Site, Visit, policy_for, rank
from shared.domain.policy import visit_class
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

ESTIMATORS = ("predictor", "queue_length", "last_called")


@dataclass
class Learned:
    """What earlier days teach: service times and priority arrivals, by service and hour."""

    durations: dict[tuple[str, int], list[float]] = field(default_factory=lambda: defaultdict(list))
    priority_arrivals: dict[tuple[str, int], int] = field(default_factory=lambda: defaultdict(int))
    days: int = 0

    def learn(self, site: Site, visits: Iterable[Visit]) -> None:
        zone = ZoneInfo(site.timezone)
        for visit in visits:
            hour = visit.arrived_at.astimezone(zone).hour
            started = visit.serving_at or _first_call(visit)  # imported history: from the call
            if started is not None and visit.ended_at is not None and visit.outcome is not None:
                minutes = (visit.ended_at - started).total_seconds() / 60
                self.durations[(visit.service, hour)].append(minutes)
            if visit_class(visit, site.prioritised_services) == "priority":
                self.priority_arrivals[(visit.service, hour)] += 1
        self.days += 1

    def minutes(self, site: Site, hour: int) -> dict[str, float]:
        """Mean service time per service at this hour: the hour's own when there are
        enough of them, else the service's over the day, else the configured mean."""
        answer = {}
        for service in site.services:
            at_hour = self.durations.get((service.code, hour), [])
            if len(at_hour) >= 8:
                answer[service.code] = statistics.fmean(at_hour)
                continue
            whole = [m for (s, _h), ms in self.durations.items() if s == service.code for m in ms]
            answer[service.code] = (
                statistics.fmean(whole) if len(whole) >= 5 else service.mean_service_minutes
            )
        return answer

    def priority_rate(self, site: Site, hour: int) -> dict[str, float]:
        """Priority arrivals per minute, per service, at this hour of the day."""
        if not self.days:
            return {}
        return {
            service.code: self.priority_arrivals.get((service.code, hour), 0) / (60 * self.days)
            for service in site.services
        }


@dataclass(frozen=True)
class Estimate:
    visit: Visit
    actual: float
    predictor: float
    queue_length: float
    last_called: float


def _first_call(visit: Visit) -> datetime | None:
    return visit.first_called_at or visit.called_at


# Which desks are at work at a moment: (desk, minutes until back; 0 when open now).
DeskRota = Callable[[datetime], Sequence[tuple[Desk, float]]]


def snapshot_at(
    site: Site,
    visit: Visit,
    visits: Sequence[Visit],
    learned: Learned,
    rota: DeskRota,
) -> Snapshot:
    """The queue as `visit` found it on arrival, rebuilt from the day's timestamps.
    `visits` is the whole day (later visitors only count as booked appointments)."""
    zone = ZoneInfo(site.timezone)
    policy = policy_for(site)
    prioritised = site.prioritised_services
    now = visit.arrived_at
    hour = now.astimezone(zone).hour
    mine = rank(visit, prioritised, policy)
    minutes = learned.minutes(site, hour)

    def position(other: Visit, index: int) -> tuple[float, float, float]:
        key = rank(other, prioritised, policy)
        return (float(key.klass), (key.at - now).total_seconds() / 60, float(index))

    ahead, later, busy = [], [], {}
    for index, other in enumerate(visits):
        first = _first_call(other)
        if other is visit:
            continue
        if other.arrived_at <= now:
            if (first is None or first > now) and (other.ended_at is None or other.ended_at > now):
                if rank(other, prioritised, policy) < mine:
                    ahead.append(Waiter(position(other, index), other.service, 0.0))
            elif (
                other.desk
                and first is not None
                and (other.ended_at is None or other.ended_at > now)
            ):
                started = other.serving_at or first
                mean = minutes.get(other.service, 10.0)
                elapsed = (now - started).total_seconds() / 60
                busy[other.desk] = max(mean - elapsed, mean / 3)
        elif (
            other.appointment_at is not None
            and other.appointment_at > now
            and rank(other, prioritised, policy) < mine
        ):
            due = (other.appointment_at - now).total_seconds() / 60
            later.append(Waiter(position(other, index), other.service, due))
    desks = tuple(
        DeskNow(d.name, d.services, busy[d.name], True)
        if back <= 0 and d.name in busy
        else DeskNow(d.name, d.services, max(back, busy.get(d.name, 0.0)))
        for d, back in rota(now)
    )
    walk_in = visit_class(visit, prioritised) == "walk_in"
    return Snapshot(
        service=visit.service,
        ahead=tuple(ahead),
        desks=desks,
        minutes=minutes,
        later=tuple(later),
        overtaking=learned.priority_rate(site, hour) if walk_in else {},
        overtaking_class=float(policy.class_number("priority")),
    )


def replay_day(
    site: Site,
    visits: Sequence[Visit],
    learned: Learned,
    rota: DeskRota,
) -> list[Estimate]:
    """Each called visitor's wait against what each estimator said at their arrival."""
    estimates: list[Estimate] = []
    by_arrival = sorted(visits, key=lambda v: (v.arrived_at, v.id or 0))
    for index, visit in enumerate(by_arrival):
        called = _first_call(visit)
        if called is None:
            continue  # left, or still waiting: no wait to compare with
        snapshot = snapshot_at(site, visit, by_arrival, learned, rota)
        predicted = predict_wait(snapshot)
        if predicted == float("inf"):  # no desk open for it: as the naive estimate
            predicted = queue_length_estimate(
                len(snapshot.ahead), 1, snapshot.minutes[visit.service]
            )
        open_now = [d for d in snapshot.desks if d.free_in == 0 or d.busy]
        serving = [d for d in open_now if visit.service in d.services]
        related = set().union(*(d.services for d in serving)) if serving else {visit.service}
        now = visit.arrived_at
        estimates.append(
            Estimate(
                visit=visit,
                actual=(called - now).total_seconds() / 60,
                predictor=predicted,
                queue_length=queue_length_estimate(
                    sum(1 for w in snapshot.ahead if w.service in related),
                    len(serving),
                    site.service(visit.service).mean_service_minutes,
                ),
                last_called=last_called_estimate(_last_wait(by_arrival[:index], now)),
            )
        )
    return estimates


def _last_wait(earlier: Sequence[Visit], now: datetime) -> float | None:
    """The wait of the visitor most recently called before `now`."""
    called = [(c, v) for v in earlier if (c := _first_call(v)) is not None and c <= now]
    if not called:
        return None
    moment, visit = max(called, key=lambda pair: pair[0])
    return (moment - visit.arrived_at).total_seconds() / 60


@dataclass(frozen=True)
class Accuracy:
    visitors: int
    mean_absolute_error: dict[str, float]
    within_5_minutes_pct: dict[str, float]

    def as_json(self) -> dict[str, object]:
        return {
            "visitors": self.visitors,
            "mean_absolute_error_minutes": {
                k: round(v, 2) for k, v in self.mean_absolute_error.items()
            },
            "within_5_minutes_pct": {k: round(v, 1) for k, v in self.within_5_minutes_pct.items()},
        }


def accuracy(estimates: Sequence[Estimate]) -> Accuracy:
    errors = {}
    within = {}
    for name in ESTIMATORS:
        pairs = [(getattr(e, name), e.actual) for e in estimates]
        errors[name] = mean_absolute_error(pairs)
        within[name] = share_within(pairs, 5.0)
    return Accuracy(len(estimates), errors, within)


def rota_from_breaks(
    site: Site, breaks: Iterable[tuple[str, datetime, datetime]], desks: Iterable[str] | None = None
) -> DeskRota:
    """The rota of a day whose breaks are known: (desk, from, to), in UTC."""
    pauses = list(breaks)
    staffed = [d for d in site.desks if desks is None or d.name in set(desks)]

    def at(moment: datetime) -> list[tuple[Desk, float]]:
        answer = []
        for desk in staffed:
            back = [
                end for name, start, end in pauses if name == desk.name and start <= moment < end
            ]
            answer.append((desk, (back[0] - moment).total_seconds() / 60 if back else 0.0))
        return answer

    return at


def rota_from_calls(site: Site, visits: Sequence[Visit], margin_minutes: int = 40) -> DeskRota:
    """The rota of a day known only from its visits: a desk counts as open around the
    times it called visitors (for history imported without sign-in records)."""
    calls: dict[str, list[datetime]] = defaultdict(list)
    for visit in visits:
        if visit.desk and (first := _first_call(visit)) is not None:
            calls[visit.desk].append(first)
    margin = timedelta(minutes=margin_minutes)

    def at(moment: datetime) -> list[tuple[Desk, float]]:
        return [
            (d, 0.0)
            for d in site.desks
            if any(abs(c - moment) <= margin for c in calls.get(d.name, []))
        ]

    return at
