"""The demonstration: a morning at Bootle One Stop Shop, played through the real core.

Visitors arrive (walk-ins in the council's mix of enquiries, a few appointments,
some priority), reception greets them, CSAs call the next from their desks, serve
and record an outcome. Every step is a real transaction on a SQLite database of
its own; the clock is the morning's, run faster than life.
"""

from __future__ import annotations

import heapq
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.domain import DomainError, Outcome, OutcomeKind
from shared.domain.targets import greet_target_met, serve_target_met, wait_minutes
from shared.office import Office

LONDON = ZoneInfo("Europe/London")

# Share of walk-ins by service, after the council's face-to-face mix (DOMAIN.md).
MIX = {
    "council-tax": 18,
    "housing-benefit": 12,
    "payments": 14,
    "general-enquiries": 10,
    "housing": 8,
    "my-account": 8,
    "parking": 5,
    "blue-badges": 5,
    "council-tax-reduction": 5,
    "business-rates": 3,
    "household-support-fund": 4,
    "elas": 3,
    "social-care": 3,
    "taxi-licensing": 2,
}
OUTCOMES = [
    (OutcomeKind.RESOLVED, "", 80),
    (OutcomeKind.REFERRED, "Revenues back office", 8),
    (OutcomeKind.AVOIDABLE, "Could have been done online", 7),
    (OutcomeKind.DIGITAL_ASSISTANCE, "", 5),
]


@dataclass(order=True)
class Event:
    at: datetime
    order: int
    action: Callable[[], None] = field(compare=False)


class SimulatedClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def demo_day() -> date:
    """Today, or the next weekday when the demo runs at a weekend."""
    day = datetime.now(LONDON).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def run_demo(
    office: Office,
    *,
    visitors: int = 24,
    fast: bool = False,
    seed: int = 7,
    clock: SimulatedClock | None = None,
    seconds_per_minute: float = 0.15,
    out: Callable[[str], None] = print,
) -> dict[str, float]:
    """Play the morning; return the figures it prints at the end."""
    rng = random.Random(seed)
    site = office.site("bootle")
    if clock is None:
        clock = office.db.clock  # type: ignore[assignment]
    assert isinstance(clock, SimulatedClock), "the demo needs a simulated clock"
    services = {s.code for s in site.services}
    mix = {code: weight for code, weight in MIX.items() if code in services} or {
        s.code: 1 for s in site.services
    }
    desks = [d.name for d in site.desks][:5]
    queue: list[Event] = []
    counter = iter(range(1_000_000))

    def at(moment: datetime, action: Callable[[], None]) -> None:
        heapq.heappush(queue, Event(moment, next(counter), action))

    start = clock.now
    out(
        f"{site.name}: a morning from {start.astimezone(LONDON):%H:%M}, {visitors} visitors, "
        f"{len(desks)} desks open"
    )
    out("")

    def say(text: str) -> None:
        out(f"{clock.now.astimezone(LONDON):%H:%M}  {text}")

    # Appointments booked for the morning.
    booked: list[tuple[str, datetime]] = []
    for slot in (30, 75, 120):
        when = start + timedelta(minutes=slot)
        row = office.add_appointment("bootle", "housing-benefit", when)
        booked.append((row["ref"], when))

    state = {"arrivals": visitors + len(booked), "busy": 0}

    def arrive(service: str, priority: bool = False) -> Callable[[], None]:
        def run() -> None:
            state["arrivals"] -= 1
            result = office.checkin("bootle", service, priority=priority)
            say(
                f"checked in   {result.ticket}  {service:<24} {result.ahead} ahead, "
                f"about {result.estimated_wait_minutes} min"
            )
            if rng.random() < 0.85:
                at(clock.now + timedelta(seconds=rng.randint(20, 200)), greet(result.ticket))

        return run

    def arrive_appointment(ref: str) -> Callable[[], None]:
        def run() -> None:
            state["arrivals"] -= 1
            result = office.checkin("bootle", appointment=ref)
            say(f"checked in   {result.ticket}  appointment {ref}")

        return run

    def greet(ticket: str) -> Callable[[], None]:
        def run() -> None:
            try:
                office.greet("bootle", ticket)
                say(f"greeted      {ticket}")
            except DomainError:
                pass  # already called by a desk: the call was the greeting

        return run

    def desk_free(desk: str) -> Callable[[], None]:
        def run() -> None:
            called = office.call_next("bootle", desk)
            if called.ticket is None:
                at(clock.now + timedelta(minutes=1), desk_free(desk))
                return
            state["busy"] += 1
            say(f"called       {called.ticket} -> {desk}")
            at(clock.now + timedelta(seconds=rng.randint(30, 90)), serve(desk))

        return run

    def serve(desk: str) -> Callable[[], None]:
        def run() -> None:
            office.start("bootle", desk=desk)
            minutes = max(3.0, rng.gauss(11, 4))
            at(clock.now + timedelta(minutes=minutes), finish(desk))

        return run

    def finish(desk: str) -> Callable[[], None]:
        def run() -> None:
            kinds = [(k, d) for k, d, _ in OUTCOMES]
            kind, detail = rng.choices(kinds, weights=[w for *_, w in OUTCOMES])[0]
            visit = office.finish("bootle", Outcome(kind, detail), desk=desk)
            state["busy"] -= 1
            say(f"finished     {visit.ticket} at {desk}: {kind.value.replace('_', ' ')}")
            at(clock.now + timedelta(seconds=rng.randint(10, 60)), desk_free(desk))

        return run

    moment = start
    for _ in range(visitors):
        moment += timedelta(minutes=rng.expovariate(1 / 6))
        service = rng.choices(list(mix), weights=list(mix.values()))[0]
        at(moment, arrive(service, priority=rng.random() < 0.05))
    for ref, when in booked:
        at(when - timedelta(minutes=rng.randint(2, 10)), arrive_appointment(ref))
    for index, desk in enumerate(desks):
        at(start + timedelta(minutes=5 + 2 * index), desk_free(desk))

    end = moment + timedelta(hours=2)
    while queue and queue[0].at <= end:
        event = heapq.heappop(queue)
        if not fast:
            time.sleep(max(0.0, (event.at - clock.now).total_seconds() / 60 * seconds_per_minute))
        clock.now = max(clock.now, event.at)
        event.action()
        if state["arrivals"] == 0 and state["busy"] == 0 and not office.waiting("bootle"):
            break

    visits = office.visits("bootle", start.astimezone(LONDON).date())
    figures = summarise(visits, site.targets)
    out("")
    out(
        f"Visits: {figures['visits']:.0f}   greeted within {site.targets.greet_minutes} min: "
        f"{figures['greet_target_met_pct']:.1f}%   called within {site.targets.serve_minutes} min: "
        f"{figures['serve_target_met_pct']:.1f}%   average wait: "
        f"{figures['average_wait_minutes']:.1f} min"
    )
    return figures


def summarise(visits: list, targets) -> dict[str, float]:  # type: ignore[no-untyped-def,type-arg]
    waits = [w for w in (wait_minutes(v) for v in visits) if w is not None]
    count = len(visits)
    return {
        "visits": float(count),
        "greet_target_met_pct": round(
            100 * sum(greet_target_met(v, targets) for v in visits) / count, 1
        )
        if count
        else 0.0,
        "serve_target_met_pct": round(
            100 * sum(serve_target_met(v, targets) for v in visits) / count, 1
        )
        if count
        else 0.0,
        "average_wait_minutes": round(sum(waits) / len(waits), 1) if waits else 0.0,
    }


def morning_start(day: date | None = None) -> datetime:
    day = day or demo_day()
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=LONDON).astimezone(UTC)
