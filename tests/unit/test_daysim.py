"""The simulated day: the real queue rules over a day, checked against the plain queue."""

from __future__ import annotations

import statistics
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.config import parse_site
from shared.domain import State
from shared.domain.targets import wait_minutes
from shared.planning.daysim import Break, DayPlan, plan_from_rates, simulate_day
from shared.planning.simulate import simulate_mmc

LONDON = ZoneInfo("Europe/London")
DAY = date(2026, 3, 10)  # a Tuesday


def site_text(desks: int, services: str = "", desk_services: str = '"council-tax"') -> str:
    rows = "\n".join(
        f'[[desks]]\nname = "Desk {i + 1}"\nservices = [{desk_services}]\n' for i in range(desks)
    )
    return f"""
[site]
code = "testshop"
name = "Test One Stop Shop"
council = "Test Council"

[opening_hours]
monday = "09:00-17:00"
tuesday = "09:00-17:00"

[[services]]
code = "council-tax"
name = "Council Tax"
letter = "C"
mean_service_minutes = 10
{services}
{rows}
"""


def flat(rate: float, service: str = "council-tax") -> dict[int, dict[str, float]]:
    return {hour: {service: rate} for hour in range(9, 17)}


def test_one_service_agrees_with_the_plain_queue_simulation() -> None:
    """M/M/3 at 80% utilisation over a day from empty: the site simulation (the policy,
    the site's desks) and the plain M/M/c simulation give the same waits on average."""
    site = parse_site(site_text(3))
    plan = DayPlan(arrivals=flat(14.4), priority_share=0.0, service_cv=1.0)
    ours = [
        wait_minutes(v)
        for seed in range(60)
        for v in simulate_day(site, DAY, plan, seed=seed).visits
    ]
    plain = [w for seed in range(60) for w in simulate_mmc(14.4, 10.0, 3, 8.0, seed).waits]
    assert statistics.fmean(ours) == pytest.approx(statistics.fmean(plain), rel=0.12)


def test_everyone_is_seen_and_every_step_is_in_order() -> None:
    site = parse_site(site_text(2))
    day = simulate_day(site, DAY, DayPlan(arrivals=flat(10.0)), seed=4)
    assert len(day.visits) > 50
    for visit in day.visits:
        assert visit.state is State.FINISHED
        assert visit.arrived_at <= visit.called_at <= visit.serving_at <= visit.ended_at
        assert visit.greeted_at is None or visit.greeted_at >= visit.arrived_at
        local = visit.arrived_at.astimezone(LONDON)
        assert time(9) <= local.time() < time(17)
    assert len({v.ticket for v in day.visits}) == len(day.visits)


def test_priority_visitors_wait_less_than_walk_ins() -> None:
    site = parse_site(site_text(2))
    plan = DayPlan(arrivals=flat(11.0), priority_share=0.2)
    waits: dict[bool, list[float]] = {True: [], False: []}
    for seed in range(10):
        for visit in simulate_day(site, DAY, plan, seed=seed).visits:
            waits[visit.priority].append(wait_minutes(visit) or 0.0)
    assert statistics.fmean(waits[True]) < statistics.fmean(waits[False]) / 2


def test_appointments_are_never_called_before_their_time() -> None:
    site = parse_site(site_text(2))
    booked = [("council-tax", time(h, m)) for h in range(9, 16) for m in (0, 30)]
    day = simulate_day(site, DAY, DayPlan(arrivals=flat(6.0), appointments=booked), seed=2)
    appointments = [v for v in day.visits if v.appointment_at is not None]
    assert len(appointments) == len(booked)
    assert all(v.called_at >= v.appointment_at for v in appointments)


def test_a_desk_on_its_break_calls_nobody() -> None:
    site = parse_site(site_text(2))
    pause = Break("Desk 1", time(12, 0), 30)
    day = simulate_day(site, DAY, DayPlan(arrivals=flat(12.0), breaks=[pause]), seed=3)
    start = datetime.combine(DAY, time(12, 0), LONDON).astimezone(UTC)
    end = start + timedelta(minutes=30)
    assert not [v for v in day.visits if v.desk == "Desk 1" and start <= v.called_at < end]
    assert [v for v in day.visits if v.desk == "Desk 2" and start <= v.called_at < end]


def test_a_desk_only_calls_the_services_it_deals_with() -> None:
    parking = '[[services]]\ncode = "parking"\nname = "Parking"\nletter = "P"\n'
    text = site_text(1, parking) + '[[desks]]\nname = "Desk 9"\nservices = ["parking"]\n'
    site = parse_site(text)
    plan = DayPlan(arrivals={h: {"council-tax": 4.0, "parking": 4.0} for h in range(9, 17)})
    day = simulate_day(site, DAY, plan, seed=5)
    for visit in day.visits:
        assert site.desk(visit.desk).serves(visit.service)


def test_a_planned_day_has_its_lunchtime_peak_and_staggered_breaks() -> None:
    site = parse_site(site_text(6))
    plan = plan_from_rates(site, 200, {"council-tax": 1.0}, seed=1)
    per_hour = {h: sum(s.values()) for h, s in plan.arrivals.items()}
    assert sum(per_hour.values()) == pytest.approx(200)
    assert max(per_hour, key=lambda h: per_hour[h]) in (12, 13)
    assert len({b.start for b in plan.breaks}) > 1  # not everyone at once
    day = simulate_day(site, DAY, plan, seed=1)
    assert 150 < len(day.visits) < 250
