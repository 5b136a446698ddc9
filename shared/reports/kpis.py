"""The charter figures for a period, computed in the database (docs/reports.md).

Definitions (DOMAIN.md): a visit belongs to the period of its local arrival day.
Shares of visits ("greeted in time", "called in time") are over every visit that
arrived; never greeted / never called counts as not in time. Average and 90th
percentile waits (arrival to first call) are over the visits that were called;
the 90th percentile interpolates linearly between the two nearest waits (as
PostgreSQL's percentile_cont and NumPy's default do). The busiest period is
arrivals 12:00-13:59 local time. An appointment is on time when first called no
later than the grace after the appointed time, or after arrival if the visitor
came late. First point of contact resolution and avoidable contact are shares
of finished visits. Survey shares are over the responses that answered that
question; "satisfied" is 4 or 5 on the five-point scale. Percentages and minutes
are rounded half up to one decimal; a figure with nothing to count is null.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, cast, func, literal, select

from shared.domain import DomainError
from shared.store import repository as repo
from shared.store.db import Database, Tx
from shared.store.tables import site_t, survey_t, visit_t

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def quarter(cls, text: str) -> Period:
        match = re.fullmatch(r"(\d{4})-?Q([1-4])", text.strip().upper())
        if not match:
            raise DomainError(f"{text!r} is not a quarter like 2025-Q3")
        year, number = int(match.group(1)), int(match.group(2))
        first_month = 3 * (number - 1) + 1
        last_month = first_month + 2
        return cls(
            date(year, first_month, 1),
            date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise DomainError("the period ends before it starts")

    def utc_bounds(self, timezone: str) -> tuple[datetime, datetime]:
        zone = ZoneInfo(timezone)
        return (
            datetime.combine(self.start, time(), zone),
            datetime.combine(self.end + timedelta(days=1), time(), zone),
        )


def one_decimal(value: float | Decimal | None) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def share(part: Any, whole: Any) -> float | None:
    if not whole:
        return None
    return one_decimal(Decimal(int(part or 0)) * 100 / Decimal(int(whole)))


def seconds(tx: Tx, later: Any, earlier: Any) -> Any:
    if tx.postgres:
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def greatest(tx: Tx, a: Any, b: Any) -> Any:
    return func.greatest(a, b) if tx.postgres else func.max(a, b)


def compute(db: Database, sites: list[str] | None, period: Period) -> dict[str, Any]:
    """The report for the given sites (None: all) over the period."""
    with db.transaction(write=False) as tx:
        refs = [repo.get_site(tx, code) for code in (sites or repo.site_codes(tx))]
        if not refs:
            raise DomainError("no sites to report on")
        return _compute(tx, refs, period)


def _target(refs: list[repo.SiteRef], attribute: str) -> Any:
    """Each site's own target, as SQL: CASE site_id WHEN 1 THEN 120 ... END (seconds)."""
    return case(
        {ref.id: literal(getattr(ref.site.targets, attribute) * 60.0) for ref in refs},
        value=visit_t.c.site_id,
    )


def _compute(tx: Tx, refs: list[repo.SiteRef], period: Period) -> dict[str, Any]:
    v = visit_t.c
    in_period = and_(
        v.site_id.in_([r.id for r in refs]),
        v.ticket_day >= period.start,
        v.ticket_day <= period.end,
    )
    wait = seconds(tx, v.first_called_at, v.arrived_at) / 60.0
    greet_ok = case(
        (
            and_(
                v.greeted_at.is_not(None),
                seconds(tx, v.greeted_at, v.arrived_at) <= _target(refs, "greet_minutes"),
            ),
            1,
        ),
        else_=0,
    )
    serve_ok = case(
        (
            and_(
                v.first_called_at.is_not(None),
                seconds(tx, v.first_called_at, v.arrived_at) <= _target(refs, "serve_minutes"),
            ),
            1,
        ),
        else_=0,
    )
    due = greatest(tx, v.appointment_at, v.arrived_at)
    on_time = case(
        (
            and_(
                v.first_called_at.is_not(None),
                seconds(tx, v.first_called_at, due) <= _target(refs, "appointment_grace_minutes"),
            ),
            1,
        ),
        else_=0,
    )
    lunchtime = v.arrived_hour.in_((12, 13))
    head = tx.conn.execute(
        select(
            func.count(),
            func.sum(greet_ok),
            func.sum(serve_ok),
            func.count(v.first_called_at),
            func.avg(wait),
            func.avg(case((lunchtime, wait))),
            func.sum(case((lunchtime, 1), else_=0)),
            func.count(v.appointment_at),
            func.sum(case((v.appointment_at.is_not(None), on_time), else_=0)),
            func.sum(case((v.state == "finished", 1), else_=0)),
            func.sum(case((and_(v.state == "finished", v.outcome == "resolved"), 1), else_=0)),
            func.sum(case((and_(v.state == "finished", v.outcome == "avoidable"), 1), else_=0)),
            func.sum(case((v.state == "no_show", 1), else_=0)),
            func.sum(case((v.state == "left", 1), else_=0)),
            func.sum(case((and_(lunchtime, v.first_called_at.is_not(None)), 1), else_=0)),
            func.sum(case((lunchtime, greet_ok), else_=0)),
            func.sum(case((lunchtime, serve_ok), else_=0)),
        ).where(in_period)
    ).one()
    (
        visits,
        greeted,
        served,
        called,
        avg_wait,
        avg_lunch,
        lunch_visits,
        appointments,
        on_time_n,
        finished,
        resolved,
        avoidable,
        no_shows,
        left,
        lunch_called,
        lunch_greeted,
        lunch_served,
    ) = head
    report: dict[str, Any] = {
        "sites": [r.code for r in refs],
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "visits": int(visits),
        "greet_target_met_pct": share(greeted, visits),
        "serve_target_met_pct": share(served, visits),
        "average_wait_minutes": one_decimal(avg_wait),
        "p90_wait_minutes": one_decimal(_percentile(tx, wait, in_period, int(called), 0.9)),
        "average_wait_minutes_12_14": one_decimal(avg_lunch),
        "visits_12_14": int(lunch_visits or 0),
        "p90_wait_minutes_12_14": one_decimal(
            _percentile(tx, wait, and_(in_period, lunchtime), int(lunch_called or 0), 0.9)
        ),
        "greet_target_met_pct_12_14": share(lunch_greeted, lunch_visits),
        "serve_target_met_pct_12_14": share(lunch_served, lunch_visits),
        "appointments": int(appointments),
        "appointments_on_time_pct": share(on_time_n, appointments),
        "called": int(called),
        "finished": int(finished or 0),
        "first_contact_resolution_pct": share(resolved, finished),
        "avoidable_contact_pct": share(avoidable, finished),
        "no_shows": int(no_shows or 0),
        "left_before_called": int(left or 0),
    }
    report["avoidable_by_reason"] = _counts(
        tx,
        func.coalesce(v.outcome_detail, ""),
        and_(in_period, v.state == "finished", v.outcome == "avoidable"),
    )
    report["avoidable_by_service"] = _counts(
        tx, v.service, and_(in_period, v.state == "finished", v.outcome == "avoidable")
    )
    report["visits_by_service"] = _counts(tx, v.service, in_period)
    report["visits_by_hour"] = {
        f"{int(k):02d}:00": n for k, n in _counts(tx, v.arrived_hour, in_period).items()
    }
    weekday = (
        func.extract("isodow", v.ticket_day) - 1
        if tx.postgres
        else (cast(func.strftime("%w", v.ticket_day), Integer) + 6) % 7
    )
    report["visits_by_weekday"] = {
        WEEKDAYS[int(k)]: n for k, n in sorted(_counts(tx, weekday, in_period).items())
    }
    report["wait_distribution"] = _distribution(
        tx, wait, and_(in_period, v.first_called_at.is_not(None))
    )
    report["months"] = _months(tx, refs, in_period, wait, greet_ok, serve_ok)
    report["survey"] = _survey(tx, refs, period)
    return report


BANDS = [
    (0, 2, "0-2 min"),
    (2, 5, "2-5 min"),
    (5, 10, "5-10 min"),
    (10, 15, "10-15 min"),
    (15, 20, "15-20 min"),
    (20, 30, "20-30 min"),
    (30, None, "30 min or more"),
]


def _distribution(tx: Tx, wait: Any, where: Any) -> dict[str, int]:
    """Waits of the called, in bands (a wait of exactly 15 minutes is in "10-15 min")."""
    band = case(
        *[
            ((wait <= high) if low == 0 else and_(wait > low, wait <= high), label)
            for low, high, label in BANDS
            if high is not None
        ],
        else_=BANDS[-1][2],
    )
    counts = _counts(tx, band, where)
    return {label: counts.get(label, 0) for _, _, label in BANDS}


def _counts(tx: Tx, key: Any, where: Any) -> dict[Any, int]:
    rows = tx.conn.execute(select(key, func.count()).where(where).group_by(key).order_by(key)).all()
    return {k: int(n) for k, n in rows}


def _percentile(tx: Tx, value: Any, where: Any, count: int, fraction: float) -> float | None:
    if count == 0:
        return None
    called = and_(where, visit_t.c.first_called_at.is_not(None))
    if tx.postgres:
        return tx.conn.execute(
            select(func.percentile_cont(fraction).within_group(value)).where(called)
        ).scalar()
    position = (count - 1) * fraction
    low, high = int(position), min(int(position) + 1, count - 1)
    ordered = select(value).where(called).order_by(value)
    below = tx.conn.execute(ordered.limit(1).offset(low)).scalar()
    above = tx.conn.execute(ordered.limit(1).offset(high)).scalar()
    return below + (above - below) * (position - low)


def _months(
    tx: Tx, refs: list[repo.SiteRef], where: Any, wait: Any, greet_ok: Any, serve_ok: Any
) -> list[dict[str, Any]]:
    v = visit_t.c
    month = (
        func.to_char(v.ticket_day, "YYYY-MM")
        if tx.postgres
        else func.strftime("%Y-%m", v.ticket_day)
    )
    rows = tx.conn.execute(
        select(month, func.count(), func.avg(wait), func.sum(greet_ok), func.sum(serve_ok))
        .where(where)
        .group_by(month)
        .order_by(month)
    ).all()
    return [
        {
            "month": m,
            "visits": int(n),
            "average_wait_minutes": one_decimal(avg),
            "greet_target_met_pct": share(g, n),
            "serve_target_met_pct": share(s, n),
        }
        for m, n, avg, g, s in rows
    ]


def _survey(tx: Tx, refs: list[repo.SiteRef], period: Period) -> dict[str, Any]:
    s = survey_t.c
    by_site: dict[str, Any] = {}
    totals = [0] * 9
    comments: list[dict[str, Any]] = []
    for ref in refs:
        low, high = period.utc_bounds(ref.site.timezone)
        where = and_(s.site_id == ref.id, s.answered_at >= low, s.answered_at < high)
        row = tx.conn.execute(
            select(
                func.count(),
                func.sum(case((s.resolved.is_(True), 1), else_=0)),
                func.count(s.resolved),
                func.sum(case((s.csa >= 4, 1), else_=0)),
                func.count(s.csa),
                func.sum(case((s.overall >= 4, 1), else_=0)),
                func.count(s.overall),
                func.sum(case((s.fair.is_(True), 1), else_=0)),
                func.count(s.fair),
            ).where(where)
        ).one()
        numbers = [int(x or 0) for x in row]
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
        by_site[ref.code] = _survey_figures(numbers)
        for text, answered in tx.conn.execute(
            select(s.comment, s.answered_at)
            .where(where, s.comment.is_not(None))
            .order_by(s.answered_at)
        ):
            comments.append(
                {
                    "site": ref.code,
                    "date": answered.astimezone(ZoneInfo(ref.site.timezone)).date().isoformat(),
                    "comment": text,
                }
            )
    return {**_survey_figures(totals), "by_site": by_site, "comments": comments}


def _survey_figures(n: list[int]) -> dict[str, Any]:
    return {
        "responses": n[0],
        "resolved_pct": share(n[1], n[2]),
        "csa_satisfied_pct": share(n[3], n[4]),
        "overall_satisfied_pct": share(n[5], n[6]),
        "treated_fairly_pct": share(n[7], n[8]),
    }


def site_names(db: Database) -> dict[str, str]:
    with db.transaction(write=False) as tx:
        return dict(tx.conn.execute(select(site_t.c.code, site_t.c.name)).all())
