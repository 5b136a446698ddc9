"""A day at one of the council's sites, simulated (SimPy), with the real queue rules.

The site's own services (with their mean service times) and desks (with the services
each deals with) are simulated over the opening hours: walk-ins arrive by hour (a
Poisson process whose rate follows the hour's share of the day), appointment
visitors arrive around their appointed time, desks take breaks, and every free desk
calls the visitor the site's queue policy gives it (`shared.domain.choose_next`, the
same function the live queue uses). Reception greets each arrival after a short
while unless a desk calls them first.

The day comes back as domain `Visit`s with every timestamp, so the charter figures,
the wait predictor and the reports are computed from it exactly as from a real day.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import simpy

from shared.domain import Outcome, OutcomeKind, Site, Visit, choose_next, policy_for
from shared.domain.tickets import format_ticket

# The shape of a council counter's day: each opening hour's share of the arrivals,
# peaking at lunchtime (the council reports 12:00-14:00 on its own for that reason).
LUNCHTIME_PEAK = {8: 0.6, 9: 1.0, 10: 1.15, 11: 1.2, 12: 1.65, 13: 1.55, 14: 1.0, 15: 0.9, 16: 0.7}


@dataclass(frozen=True)
class Break:
    desk: str
    start: time
    minutes: int


@dataclass
class DayPlan:
    """What happens on the day: arrivals per hour and service, appointments, breaks."""

    arrivals: Mapping[int, Mapping[str, float]]  # local hour -> service -> visitors in that hour
    appointments: Sequence[tuple[str, time]] = ()  # (service, appointed local time)
    breaks: Sequence[Break] = ()
    desks: Sequence[str] | None = None  # the desks staffed (None: all of the site's)
    priority_share: float = 0.05  # walk-ins reception flags as priority
    service_cv: float = 0.8  # spread of service times (1.0: exponential)
    greet_mean_minutes: float = 1.0  # reception's greeting, when a desk is not quicker


@dataclass
class SimulatedDay:
    site: Site
    day: date
    visits: list[Visit] = field(default_factory=list)
    queue: list[tuple[datetime, int]] = field(default_factory=list)  # (moment, waiting)
    desks_open: list[tuple[datetime, int]] = field(default_factory=list)


def plan_from_rates(
    site: Site,
    visitors_per_day: float,
    mix: Mapping[str, float],
    *,
    profile: Mapping[int, float] = LUNCHTIME_PEAK,
    appointments_per_hour: float = 0.0,
    lunch_breaks: bool = True,
    seed: int = 1,
) -> DayPlan:
    """A plan for a typical day: `visitors_per_day` walk-ins shared between services by
    `mix` and between hours by `profile`; staggered lunch breaks over 11:30-14:00."""
    rng = random.Random(seed)
    day_hours = _opening_hours(site)
    weights = {h: profile.get(h, 0.0) for h in day_hours}
    total_weight = sum(weights.values()) or 1.0
    mix_total = sum(mix.values()) or 1.0
    arrivals = {
        hour: {s: visitors_per_day * w / total_weight * m / mix_total for s, m in mix.items()}
        for hour, w in weights.items()
    }
    appointments: list[tuple[str, time]] = []
    services = [s for s in mix if mix[s] > 0]
    for hour in day_hours:
        for _ in range(_poisson(rng, appointments_per_hour)):
            slot = rng.choice([0, 15, 30, 45])
            appointments.append((rng.choice(services), time(hour, slot)))
    breaks: list[Break] = []
    if lunch_breaks:
        for index, desk in enumerate(site.desks):
            start = datetime(2000, 1, 1, 11, 30) + timedelta(minutes=30 * (index % 5))
            breaks.append(Break(desk.name, start.time(), 30))
    return DayPlan(arrivals=arrivals, appointments=appointments, breaks=breaks)


def simulate_day(site: Site, day: date, plan: DayPlan, *, seed: int = 1) -> SimulatedDay:
    """Run the day; every visitor who arrives before closing is seen (the office stays
    until the last one is called)."""
    rng = random.Random(seed)
    zone = ZoneInfo(site.timezone)
    hours = _opening_hours(site)
    opens = datetime.combine(day, time(hours[0]), zone).astimezone(UTC)
    closes = datetime.combine(day, time(hours[-1] + 1), zone).astimezone(UTC)
    span = (closes - opens).total_seconds() / 60
    policy = policy_for(site)
    prioritised = site.prioritised_services
    env = simpy.Environment()
    result = SimulatedDay(site, day)
    waiting: list[Visit] = []
    changed = [env.event()]
    staffed = [d for d in site.desks if plan.desks is None or d.name in plan.desks]
    on_break: set[str] = set()
    numbers: dict[str, int] = {}

    def at(minute: float) -> datetime:
        return opens + timedelta(minutes=minute)

    def poke() -> None:
        event, changed[0] = changed[0], env.event()
        event.succeed()

    def service_minutes(service: str) -> float:
        mean = site.service(service).mean_service_minutes
        if plan.service_cv >= 0.999:
            return rng.expovariate(1 / mean)
        sigma = math.sqrt(math.log(1 + plan.service_cv**2))
        return rng.lognormvariate(math.log(mean) - sigma**2 / 2, sigma)

    def arrive(service: str, appointment: datetime | None = None, priority: bool = False) -> None:
        letter = site.service(service).letter
        numbers[letter] = numbers.get(letter, 0) + 1
        visit = Visit(
            id=len(result.visits) + 1,
            site=site.code,
            service=service,
            ticket=format_ticket(letter, numbers[letter]),
            arrived_at=at(env.now),
            priority=priority,
            appointment_at=appointment,
        )
        result.visits.append(visit)
        waiting.append(visit)
        env.process(greet(visit))
        poke()

    def greet(visit: Visit) -> simpy.events.ProcessGenerator:
        yield env.timeout(rng.expovariate(1 / plan.greet_mean_minutes))
        if visit.waiting and visit.greeted_at is None:
            visit.greet(at(env.now))

    def walk_ins(hour: int, service: str, count: float) -> simpy.events.ProcessGenerator:
        start = (datetime.combine(day, time(hour), zone).astimezone(UTC) - opens).total_seconds()
        yield env.timeout(max(0.0, start / 60))
        end = env.now + 60
        if count <= 0:
            return
        while True:
            yield env.timeout(rng.expovariate(count / 60))
            if env.now >= end:
                return
            arrive(service, priority=rng.random() < plan.priority_share)

    def appointment(service: str, when: time) -> simpy.events.ProcessGenerator:
        booked = datetime.combine(day, when, zone).astimezone(UTC)
        minute = (booked - opens).total_seconds() / 60 + rng.gauss(-4, 5)  # most come early
        yield env.timeout(max(0.0, minute))
        arrive(service, appointment=booked)

    def desk_breaks(pause: Break) -> simpy.events.ProcessGenerator:
        begin = datetime.combine(day, pause.start, zone).astimezone(UTC)
        yield env.timeout(max(0.0, (begin - opens).total_seconds() / 60))
        on_break.add(pause.desk)  # the CSA finishes the visitor in hand first
        yield env.timeout(pause.minutes)
        on_break.discard(pause.desk)
        poke()

    def desk_loop(desk_index: int) -> simpy.events.ProcessGenerator:
        desk = staffed[desk_index]
        while True:
            if env.now >= span and not waiting:
                return
            if desk.name in on_break:
                yield changed[0]
                continue
            chosen = choose_next(waiting, desk, at(env.now), prioritised, policy)
            if chosen is None:
                # Wake for a new arrival, a break's end, or an appointment's window opening.
                yield changed[0] | env.timeout(1.0)
                continue
            waiting.remove(chosen)
            chosen.call(desk.name, at(env.now))
            yield env.timeout(0.5)  # the visitor walks to the desk
            chosen.start(at(env.now))
            yield env.timeout(service_minutes(chosen.service))
            chosen.finish(Outcome(OutcomeKind.RESOLVED), at(env.now))
            poke()

    def watch() -> simpy.events.ProcessGenerator:
        while env.now < span or waiting:
            result.queue.append((at(env.now), len(waiting)))
            result.desks_open.append(
                (at(env.now), sum(1 for d in staffed if d.name not in on_break))
            )
            yield env.timeout(5.0)

    for hour, services in plan.arrivals.items():
        for service, count in services.items():
            env.process(walk_ins(hour, service, count))
    for service, when in plan.appointments:
        env.process(appointment(service, when))
    for pause in plan.breaks:
        if any(d.name == pause.desk for d in staffed):
            env.process(desk_breaks(pause))
    for index in range(len(staffed)):
        env.process(desk_loop(index))
    env.process(watch())
    env.run(until=span + 24 * 60)
    result.visits.sort(key=lambda v: v.arrived_at)
    return result


def _opening_hours(site: Site) -> list[int]:
    """The local hours the site is open on a weekday (09-16 for 9:00-17:00)."""
    spans = [span for span in site.opening_hours.days.values() if span]
    if not spans:
        return list(range(9, 17))
    first = min(s[0] for s in spans)
    last = max(s[1] for s in spans)
    return list(range(first.hour, last.hour if last.minute == 0 else last.hour + 1))


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k
