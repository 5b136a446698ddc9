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

Exactness: every time is turned into whole milliseconds in SQL (rounded to the
nearest), so a wait is an exact whole number of milliseconds on both databases.
SQLite's julianday() is a float of days, and (julianday(b) - julianday(a)) * 86400
is off by a few hundred-thousandths of a second: a greet at exactly 2 minutes came
out as 120.000033 s and missed its target. Targets are compared in milliseconds,
averages are exact sums divided in Python (Decimal), and the 90th percentile takes
its two neighbouring waits from the database and interpolates in Python, so both
databases give the same figure to the last decimal.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BigInteger, Integer, and_, case, cast, func, literal, select

from shared.access import Actor
from shared.domain import DomainError, quoted
from shared.store import repository as repo
from shared.store.db import Database, Tx
from shared.store.tables import site_t, survey_t, visit_t

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MINUTE_MS = 60_000


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def quarter(cls, text: str) -> Period:
        match = re.fullmatch(r"(\d{4})-?Q([1-4])", text.strip().upper())
        if not match:
            raise DomainError(f"{quoted(text)} is not a quarter like 2025-Q3")
        return cls._quarter(int(match.group(1)), int(match.group(2)))

    @classmethod
    def _quarter(cls, year: int, number: int) -> Period:
        first_month = 3 * (number - 1) + 1
        last_month = first_month + 2
        return cls(
            date(year, first_month, 1),
            date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise DomainError("the period ends before it starts")
        if self.start.year < 1970 or self.end.year > 2999:  # past 9999 dates overflow
            raise DomainError("a period lies between 1970 and 2999")

    @property
    def quarter_name(self) -> str | None:
        """The quarter's name ("2025-Q3") when the period is exactly one, else None."""
        number = (self.start.month - 1) // 3 + 1
        if self == Period._quarter(self.start.year, number):
            return f"{self.start.year}-Q{number}"
        return None

    def previous_quarter(self) -> Period | None:
        """The quarter before, when this period is a quarter."""
        if self.quarter_name is None:
            return None
        number = (self.start.month - 1) // 3 + 1
        year, number = (self.start.year, number - 1) if number > 1 else (self.start.year - 1, 4)
        return Period._quarter(year, number)

    def months(self) -> list[str]:
        """Every month the period touches, "YYYY-MM"."""
        result = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            result.append(f"{year}-{month:02d}")
            year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        return result

    def utc_bounds(self, timezone: str) -> tuple[datetime, datetime]:
        zone = ZoneInfo(timezone)
        return (
            datetime.combine(self.start, time(), zone),
            datetime.combine(self.end + timedelta(days=1), time(), zone),
        )


def _exact(value: Fraction | Decimal | int) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value)


def one_decimal(value: Fraction | Decimal | int | float | None) -> float | None:
    """Half up to one decimal (12.25 -> 12.3), from the exact value when given one."""
    if value is None:
        return None
    exact = Decimal(str(value)) if isinstance(value, float) else _exact(value)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def whole_number(value: Fraction | Decimal | int | None) -> int | None:
    """Half up to a whole number (9.5 -> 10), from the exact value."""
    if value is None:
        return None
    return int(_exact(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def share(part: Any, whole: Any) -> float | None:
    if not whole:
        return None
    return one_decimal(Fraction(int(part or 0) * 100, int(whole)))


def minutes(total_ms: Any, count: Any) -> Fraction | None:
    """The exact mean in minutes of `count` waits summing to `total_ms` milliseconds."""
    if not count:
        return None
    return Fraction(int(total_ms or 0), int(count) * MINUTE_MS)


def millis(tx: Tx, moment: Any) -> Any:
    """A time as whole milliseconds (rounded to the nearest), exact on both databases."""
    if tx.postgres:
        return cast(func.round(func.extract("epoch", moment) * 1000), BigInteger)
    # julianday is a float of days; times 86,400,000 it is within a tenth of a
    # millisecond of the whole millisecond SQLite parsed, so rounding makes it exact.
    return cast(func.round(func.julianday(moment) * 86_400_000.0), Integer)


def elapsed_ms(tx: Tx, later: Any, earlier: Any) -> Any:
    return millis(tx, later) - millis(tx, earlier)


def greatest(tx: Tx, a: Any, b: Any) -> Any:
    return func.greatest(a, b) if tx.postgres else func.max(a, b)


def compute(
    db: Database, sites: list[str] | None, period: Period, *, by: Actor | None = None
) -> dict[str, Any]:
    """The report for the given sites (None: all) over the period. For supervisors
    (`by`, shared/access.py); recorded in the audit trail."""
    from shared.audit import allow_report

    allow_report(
        db, by, sites, "the charter report", f"charter report {period.start} to {period.end}"
    )
    with db.transaction(write=False) as tx:
        refs = [repo.get_site(tx, code) for code in (sites or repo.site_codes(tx))]
        if not refs:
            raise DomainError("no sites to report on")
        return _compute(tx, refs, period)


def _target_ms(refs: list[repo.SiteRef], attribute: str) -> Any:
    """Each site's own target, as SQL: CASE site_id WHEN 1 THEN 120000 ... END (ms)."""
    return case(
        {ref.id: literal(getattr(ref.site.targets, attribute) * MINUTE_MS) for ref in refs},
        value=visit_t.c.site_id,
    )


def _in_period(refs: list[repo.SiteRef], period: Period) -> Any:
    v = visit_t.c
    return and_(
        v.site_id.in_([r.id for r in refs]),
        v.ticket_day >= period.start,
        v.ticket_day <= period.end,
    )


def _compute(tx: Tx, refs: list[repo.SiteRef], period: Period) -> dict[str, Any]:
    v = visit_t.c
    in_period = _in_period(refs, period)
    wait = elapsed_ms(tx, v.first_called_at, v.arrived_at)
    greet_ok = case(
        (
            and_(
                v.greeted_at.is_not(None),
                elapsed_ms(tx, v.greeted_at, v.arrived_at) <= _target_ms(refs, "greet_minutes"),
            ),
            1,
        ),
        else_=0,
    )
    serve_ok = case(
        (
            and_(v.first_called_at.is_not(None), wait <= _target_ms(refs, "serve_minutes")),
            1,
        ),
        else_=0,
    )
    due = greatest(tx, v.appointment_at, v.arrived_at)
    on_time = case(
        (
            and_(
                v.first_called_at.is_not(None),
                elapsed_ms(tx, v.first_called_at, due)
                <= _target_ms(refs, "appointment_grace_minutes"),
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
            func.sum(wait),
            func.sum(case((lunchtime, wait))),
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
        wait_ms,
        lunch_wait_ms,
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
    average = minutes(wait_ms, called)
    report: dict[str, Any] = {
        "sites": [r.code for r in refs],
        "site_names": {r.code: r.site.name for r in refs},
        "service_names": _service_names(refs),
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "quarter": period.quarter_name,
        "visits": int(visits),
        "greet_target_met_pct": share(greeted, visits),
        "serve_target_met_pct": share(served, visits),
        "average_wait_minutes": one_decimal(average),
        "average_wait_whole_minutes": whole_number(average),
        "p90_wait_minutes": one_decimal(_percentile(tx, wait, in_period, int(called), 9)),
        "average_wait_minutes_12_14": one_decimal(minutes(lunch_wait_ms, lunch_called)),
        "visits_12_14": int(lunch_visits or 0),
        "p90_wait_minutes_12_14": one_decimal(
            _percentile(tx, wait, and_(in_period, lunchtime), int(lunch_called or 0), 9)
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
    report.update(_avoidable(tx, in_period, int(avoidable or 0)))
    report["visits_by_service"] = _counts(tx, v.service, in_period)
    report["visits_by_hour"] = _hours(refs, _counts(tx, v.arrived_hour, in_period))
    weekday = (
        func.extract("isodow", v.ticket_day) - 1
        if tx.postgres
        else (cast(func.strftime("%w", v.ticket_day), Integer) + 6) % 7
    )
    report["visits_by_weekday"] = _weekdays(refs, _counts(tx, weekday, in_period))
    report["wait_distribution"] = _distribution(
        tx, wait, and_(in_period, v.first_called_at.is_not(None))
    )
    report["months"] = _months(tx, period, in_period, wait, greet_ok, serve_ok)
    report["previous_quarter"] = _previous_quarter(tx, refs, period)
    report["survey"] = _survey(tx, refs, period)
    return report


def _avoidable(tx: Tx, in_period: Any, avoidable: int) -> dict[str, Any]:
    """Avoidable contact by reason and by service: counts, and each as a share of all
    avoidable contact; by service also the share of that service's finished visits."""
    v = visit_t.c
    finished = and_(in_period, v.state == "finished")
    where = and_(finished, v.outcome == "avoidable")
    by_reason = _counts(tx, func.coalesce(v.outcome_detail, ""), where)
    by_service = _counts(tx, v.service, where)
    finished_by_service = _counts(tx, v.service, finished)
    return {
        "avoidable_by_reason": by_reason,
        "avoidable_by_reason_pct": {k: share(n, avoidable) for k, n in by_reason.items()},
        "avoidable_by_service": by_service,
        "avoidable_by_service_pct": {k: share(n, avoidable) for k, n in by_service.items()},
        "avoidable_rate_by_service_pct": {
            k: share(n, finished_by_service[k]) for k, n in by_service.items()
        },
    }


def _hours(refs: list[repo.SiteRef], counts: dict[Any, int]) -> dict[str, int]:
    """Every hour from the earliest opening to the last closing, an empty one as 0, and
    any other hour in which visitors arrived (a clock change, a late evening)."""
    found = {int(k): n for k, n in counts.items()}
    spans = [span for ref in refs for span in ref.site.opening_hours.days.values()]
    hours = set(found)
    if spans:
        last = max(closes.hour if closes.minute else closes.hour - 1 for _, closes in spans)
        hours.update(range(min(opens.hour for opens, _ in spans), last + 1))
    return {f"{h:02d}:00": found.get(h, 0) for h in sorted(hours)}


def _weekdays(refs: list[repo.SiteRef], counts: dict[Any, int]) -> dict[str, int]:
    """The days any site opens, and any other day with visits; empty days as 0."""
    found = {int(k): n for k, n in counts.items()}
    days = set(found)
    for ref in refs:
        days.update(ref.site.opening_hours.days)
    return {WEEKDAYS[d]: found.get(d, 0) for d in sorted(days)}


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
            (
                (wait <= high * MINUTE_MS)
                if low == 0
                else and_(wait > low * MINUTE_MS, wait <= high * MINUTE_MS),
                label,
            )
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


def _percentile(tx: Tx, wait_ms: Any, where: Any, count: int, tenths: int) -> Fraction | None:
    """The `tenths`/10 percentile of the waits in minutes, interpolated linearly between
    the two nearest (percentile_cont's method), exactly: the database gives the two
    neighbouring waits (ORDER BY ... OFFSET), the interpolation is a fraction."""
    if count == 0:
        return None
    called = and_(where, visit_t.c.first_called_at.is_not(None))
    position = Fraction((count - 1) * tenths, 10)
    low = int(position)
    pair = [
        int(x)
        for x in tx.conn.execute(
            select(wait_ms.label("wait")).where(called).order_by(wait_ms).limit(2).offset(low)
        ).scalars()
    ]
    below = pair[0]
    above = pair[1] if len(pair) > 1 else below
    return (below + (above - below) * (position - low)) / MINUTE_MS


def _months(
    tx: Tx, period: Period, where: Any, wait: Any, greet_ok: Any, serve_ok: Any
) -> list[dict[str, Any]]:
    """Every month of the period, a month without visits with zero visits."""
    v = visit_t.c
    month = (
        func.to_char(v.ticket_day, "YYYY-MM")
        if tx.postgres
        else func.strftime("%Y-%m", v.ticket_day)
    )
    rows = {
        m: (n, total, called, g, s)
        for m, n, total, called, g, s in tx.conn.execute(
            select(
                month,
                func.count(),
                func.sum(wait),
                func.count(v.first_called_at),
                func.sum(greet_ok),
                func.sum(serve_ok),
            )
            .where(where)
            .group_by(month)
            .order_by(month)
        ).all()
    }
    result = []
    for m in period.months():
        n, total, called, g, s = rows.get(m, (0, 0, 0, 0, 0))
        result.append(
            {
                "month": m,
                "visits": int(n),
                "average_wait_minutes": one_decimal(minutes(total, called)),
                "greet_target_met_pct": share(g, n),
                "serve_target_met_pct": share(s, n),
            }
        )
    return result


def _previous_quarter(tx: Tx, refs: list[repo.SiteRef], period: Period) -> dict[str, Any] | None:
    """For a quarter, the quarter before's average wait (the statement compares them)."""
    before = period.previous_quarter()
    if before is None:
        return None
    v = visit_t.c
    visits, called, total = tx.conn.execute(
        select(
            func.count(),
            func.count(v.first_called_at),
            func.sum(elapsed_ms(tx, v.first_called_at, v.arrived_at)),
        ).where(_in_period(refs, before))
    ).one()
    average = minutes(total, called)
    return {
        "quarter": before.quarter_name,
        "from": before.start.isoformat(),
        "to": before.end.isoformat(),
        "visits": int(visits),
        "average_wait_minutes": one_decimal(average),
        "average_wait_whole_minutes": whole_number(average),
    }


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


def _service_names(refs: list[repo.SiteRef]) -> dict[str, str]:
    """Each service code's name as the sites call it (the first site's, if they differ)."""
    names: dict[str, str] = {}
    for ref in refs:
        for service in ref.site.services:
            names.setdefault(service.code, service.name)
    return names
