"""A day to simulate for a site, from its history, and the charter figures of the result.

`onestop simulate --site S [--date D]` plans the day from the last weeks' same
weekday (walk-ins by hour and service, averaged), the appointments already booked
for that date, and staggered half-hour lunch breaks; with no history yet (a new
site) it plans `DEFAULT_PER_DESK` walk-ins a desk in the council's usual shape of
a day. The simulated day's figures are worked out with the same definitions as
the quarterly report (DOMAIN.md).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from shared.demo import MIX
from shared.domain import Site
from shared.domain.targets import appointment_on_time, greet_target_met, serve_target_met
from shared.planning.daysim import DayPlan, SimulatedDay, plan_from_rates
from shared.store import repository as repo
from shared.store.db import Database
from shared.store.tables import appointment_t, visit_t

DEFAULT_PER_DESK = 25.0


@dataclass(frozen=True)
class Planned:
    plan: DayPlan
    source: str  # where the arrivals came from, said to the user


def plan_day(
    db: Database,
    site_code: str,
    day: date,
    *,
    weeks: int = 6,
    visitors: float | None = None,
    breaks: bool = True,
    seed: int = 1,
) -> tuple[Site, Planned]:
    with db.transaction(write=False) as tx:
        ref = repo.get_site(tx, site_code)
        site = ref.site
        v = visit_t.c
        same_days = [day - timedelta(weeks=k) for k in range(1, weeks + 1)]
        rows = tx.conn.execute(
            select(v.arrived_hour, v.service, func.count())
            .where(
                v.site_id == ref.id,
                v.ticket_day.in_(same_days),
                v.appointment_at.is_(None),
            )
            .group_by(v.arrived_hour, v.service)
        ).all()
        zone = ZoneInfo(site.timezone)
        start = datetime.combine(day, time(0), zone).astimezone(UTC)
        booked = tx.conn.execute(
            select(appointment_t.c.service, appointment_t.c.at).where(
                appointment_t.c.site_id == ref.id,
                appointment_t.c.at >= start,
                appointment_t.c.at < start + timedelta(days=1),
                appointment_t.c.status != "cancelled",
            )
        ).all()
    known = {s.code for s in site.services}
    appointments = [(s, at.astimezone(zone).time()) for s, at in booked if s in known]
    if rows and visitors is None:
        arrivals: dict[int, dict[str, float]] = defaultdict(dict)
        for hour, service, count in rows:
            if hour is not None and service in known:
                arrivals[int(hour)][service] = count / weeks
        base = plan_from_rates(site, 1.0, {s: 1.0 for s in known}, lunch_breaks=breaks, seed=seed)
        plan = DayPlan(arrivals=dict(arrivals), appointments=appointments, breaks=base.breaks)
        return site, Planned(plan, f"the last {weeks} {day:%A}s")
    total = visitors if visitors is not None else DEFAULT_PER_DESK * len(site.desks)
    mix = {s: n for s, n in MIX.items() if s in known} or {s: 1.0 for s in known}
    plan = plan_from_rates(site, total, mix, lunch_breaks=breaks, seed=seed)
    plan.appointments = appointments
    source = "as asked" if visitors is not None else "no history yet: a typical day"
    return site, Planned(plan, f"{total:.0f} walk-ins ({source})")


def figures(site: Site, days: list[SimulatedDay]) -> dict[str, Any]:
    """The charter figures over the simulated days, and the queue through the day."""
    zone = ZoneInfo(site.timezone)
    targets = site.targets
    visits = [v for d in days for v in d.visits]
    called = [v for v in visits if v.first_called_at is not None]
    waits = sorted((v.first_called_at - v.arrived_at).total_seconds() / 60 for v in called)
    lunch = [
        (v.first_called_at - v.arrived_at).total_seconds() / 60
        for v in called
        if 12 <= v.arrived_at.astimezone(zone).hour < 14
    ]
    booked = [v for v in visits if v.appointment_at is not None]

    def pct(hits: int, whole: int) -> float | None:
        return round(100 * hits / whole, 1) if whole else None

    queue: dict[int, list[int]] = defaultdict(list)
    for day in days:
        for moment, waiting in day.queue:
            local = moment.astimezone(zone)
            queue[local.hour * 2 + local.minute // 30].append(waiting)
    slots = sorted(queue.items())
    while len(slots) > 1 and max(slots[-1][1]) == 0:  # after the last visitor was called
        slots.pop()
    return {
        "days": len(days),
        "visitors": round(len(visits) / max(1, len(days)), 1),
        "greet_target_met_pct": pct(
            sum(bool(greet_target_met(v, targets)) for v in visits), len(visits)
        ),
        "serve_target_met_pct": pct(
            sum(bool(serve_target_met(v, targets)) for v in visits), len(visits)
        ),
        "average_wait_minutes": round(statistics.fmean(waits), 1) if waits else None,
        "p90_wait_minutes": round(_quantile(waits, 0.9), 1) if waits else None,
        "average_wait_minutes_12_14": round(statistics.fmean(lunch), 1) if lunch else None,
        "appointments_on_time_pct": pct(
            sum(bool(appointment_on_time(v, targets)) for v in booked), len(booked)
        ),
        "queue_by_half_hour": {
            f"{slot // 2:02d}:{30 * (slot % 2):02d}": max(values) for slot, values in slots
        },
    }


def _quantile(ordered: list[float], share: float) -> float:
    """Linear interpolation between the neighbouring values, as the report does."""
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def chart(queue_by_half_hour: dict[str, int]) -> str:
    """The queue over the day, a bar a half hour: "09:00 ▁▂▄█▆▃▁ 16:30 (peak 12)"."""
    bars = " ▁▂▃▄▅▆▇█"
    values = list(queue_by_half_hour.values())
    peak = max([*values, 1])
    drawn = "".join(bars[min(8, round(8 * n / peak))] for n in values)
    times = list(queue_by_half_hour)
    return f"{times[0]} {drawn} {times[-1]} (peak {peak} waiting)" if times else "(no queue)"
