"""How good the waits told to visitors are: the predictor replayed over the history.

`onestop report prediction` asks, for every visitor of the period who was called,
what the predictor would have told them on arrival, knowing only what it would
have known then (the queue at that moment, the desks at work, and what the
eight weeks before that day taught), and sets it against the wait that followed.
The two naive estimates are measured the same way beside it, so supervisors see
what the predictor is worth. Desks at work come from the sign-in records of the
day; for history imported without them, from the times each desk called visitors.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from shared.access import Actor
from shared.domain import DomainError, Site, Visit
from shared.planning.replay import (
    DeskRota,
    Estimate,
    Learned,
    accuracy,
    replay_day,
    rota_from_calls,
)
from shared.store import repository as repo
from shared.store.db import Database, Tx
from shared.store.tables import session_t, visit_t

LEARN_WEEKS = 8
BREAK_MINUTES = 30


def measure(
    db: Database, sites: list[str] | None, start: date, end: date, *, by: Actor | None = None
) -> dict[str, Any]:
    """The accuracy of each estimator over `start`..`end`, for the sites (None: all).
    A report: for supervisors (`by`, shared/access.py), recorded in the audit trail."""
    from shared.audit import allow_report

    if end < start:
        raise DomainError("the period ends before it starts")
    allow_report(db, by, sites, "the prediction report", f"prediction report {start} to {end}")
    per_site: dict[str, Any] = {}
    everyone: list[Estimate] = []
    lunch: list[Estimate] = []
    with db.transaction(write=False) as tx:
        codes = sites or repo.site_codes(tx)
        refs = [repo.get_site(tx, code) for code in codes]
        for ref in refs:
            estimates = _site(tx, ref, start, end)
            zone = ZoneInfo(ref.site.timezone)
            everyone += estimates
            lunch += [e for e in estimates if 12 <= e.visit.arrived_at.astimezone(zone).hour < 14]
            per_site[ref.code] = accuracy(estimates).as_json()
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "sites": [ref.code for ref in refs],
        **accuracy(everyone).as_json(),
        "12_14": accuracy(lunch).as_json(),
        "by_site": per_site,
    }


def _site(tx: Tx, ref: repo.SiteRef, start: date, end: date) -> list[Estimate]:
    site = ref.site
    days: dict[date, list[Visit]] = defaultdict(list)
    for row in tx.conn.execute(
        select(visit_t)
        .where(
            visit_t.c.site_id == ref.id,
            visit_t.c.ticket_day >= start - timedelta(weeks=LEARN_WEEKS),
            visit_t.c.ticket_day <= end,
        )
        .order_by(visit_t.c.ticket_day, visit_t.c.arrived_at, visit_t.c.id)
    ):
        days[row.ticket_day].append(repo.visit_from_row(row, ref.code))
    learned = Learned()
    estimates: list[Estimate] = []
    for day in sorted(days):
        visits = days[day]
        if day >= start:  # replayed knowing only the days before it
            estimates += replay_day(site, visits, learned, _rota(tx, ref, day, visits))
        learned.learn(site, visits)
    return estimates


def _rota(tx: Tx, ref: repo.SiteRef, day: date, visits: list[Visit]) -> DeskRota:
    """Who was at work on the day: the desks' sign-ins and breaks when there are any."""
    site = ref.site
    zone = ZoneInfo(site.timezone)
    opens = datetime.combine(day, time(0), zone).astimezone(UTC)
    sessions = tx.conn.execute(
        select(
            session_t.c.desk,
            session_t.c.signed_in_at,
            session_t.c.signed_out_at,
            session_t.c.status,
            session_t.c.status_since,
        ).where(
            session_t.c.site_id == ref.id,
            session_t.c.signed_in_at >= opens,
            session_t.c.signed_in_at < opens + timedelta(days=1),
        )
    ).all()
    if not sessions:
        return rota_from_calls(site, visits)
    return _rota_from_sessions(site, sessions)


def _rota_from_sessions(site: Site, sessions: list[Any]) -> DeskRota:
    """A desk is at work from sign-in to sign-out; on a break (its last status) from the
    break's start, back after a usual break. (Breaks before the last one are not kept
    by the sign-in records: such a desk counts as at work.)"""

    def at(moment: datetime) -> list[tuple[Any, float]]:
        answer = []
        for desk in site.desks:
            for row in sessions:
                if row.desk != desk.name or row.signed_in_at > moment:
                    continue
                if row.signed_out_at is not None and row.signed_out_at <= moment:
                    continue
                if row.status == "closed" and row.status_since <= moment:
                    continue
                back = 0.0
                if row.status == "break" and row.status_since <= moment:
                    away = (moment - row.status_since).total_seconds() / 60
                    back = max(1.0, BREAK_MINUTES - away)
                answer.append((desk, back))
                break
        return answer

    return at
