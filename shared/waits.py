"""Live wait predictions: the queue as the store holds it now, handed to the predictor.

What the predictor needs (shared/domain/predict.py), read from the database:

- the visitors waiting who will be called first (by the policy's kept rank columns,
  for the services that share desks with this one; past `AHEAD_LIMIT` of them the
  rest are only counted, and the predictor extends the wait in proportion);
  appointments not yet callable join when their window opens;
- the desks at work: signed in and open (free, or dealing with someone for the rest
  of that visit), or on a break (back when a break usually ends); a site whose desks
  are not signed in at all (a demo, the command line) counts the desks that called
  someone in the last hour, and failing those every desk of the site;
- from the last weeks (before today): the mean service time by service and hour of
  day, and how often priority visitors arrive at that hour (they go before a walk-in);
- the appointments booked for later today, not yet arrived.

The learned figures are kept per site for `LEARN_SECONDS` so a check-in costs a few
small queries and the predictor's own millisecond or two.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, literal, or_, select

from shared.domain import policy_for
from shared.domain.predict import DeskNow, Snapshot, Waiter, predict_wait
from shared.reports.kpis import elapsed_ms, millis
from shared.store import repository as repo
from shared.store.db import Database, Tx
from shared.store.tables import appointment_t, session_t, visit_t

AHEAD_LIMIT = 80
LEARN_SECONDS = 600
LEARN_WEEKS = 8
BREAK_MINUTES = 30  # how long a desk on a break is expected to stay away in all
ACTIVE_MINUTES = 60


@dataclass(frozen=True)
class Learned:
    minutes: dict[tuple[str, int], float]  # (service, local hour) -> mean service minutes
    by_service: dict[str, float]
    priority_per_minute: dict[tuple[str, int], float]


class WaitPredictor:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._learned: dict[str, tuple[float, Learned]] = {}
        self._lock = threading.Lock()

    # -- answers ---------------------------------------------------------------------------

    def for_visit(self, site: str, visit_id: int) -> float | None:
        """The wait predicted for a visitor waiting now (None when it cannot be told)."""
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            row = tx.conn.execute(select(visit_t).where(visit_t.c.id == visit_id)).first()
            if row is None or row.state not in ("checked_in", "greeted"):
                return None
            snapshot = self._snapshot(
                tx, ref, row.service, (row.rank_class, row.rank_at, row.id), row.priority
            )
        return _finite(predict_wait(snapshot))

    def for_new_walk_in(
        self, site: str, services: Iterable[str] | None = None
    ) -> dict[str, float | None]:
        """For each service (or those named), the wait a walk-in arriving now would be
        told; None where no desk at work deals with it."""
        answers: dict[str, float | None] = {}
        wanted = None if services is None else set(services)
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            walk_in = policy_for(ref.site).class_number("walk_in")
            for service in ref.site.services:
                if wanted is not None and service.code not in wanted:
                    continue
                klass = (
                    policy_for(ref.site).class_number("priority")
                    if service.prioritised
                    else walk_in
                )
                snapshot = self._snapshot(tx, ref, service.code, (klass, tx.now, 0), False)
                answers[service.code] = _finite(predict_wait(snapshot, runs=21))
        return answers

    # -- the snapshot ----------------------------------------------------------------------

    def _snapshot(
        self,
        tx: Tx,
        ref: repo.SiteRef,
        service: str,
        mine: tuple[int, datetime, int],
        priority: bool,
    ) -> Snapshot:
        site = ref.site
        now = tx.now
        hour = now.astimezone(ZoneInfo(site.timezone)).hour
        learned = self.learned(tx, ref)
        minutes = {
            s.code: learned.minutes.get((s.code, hour))
            or learned.by_service.get(s.code)
            or s.mean_service_minutes
            for s in site.services
        }
        klass, at, ident = mine
        v = visit_t.c

        # Times as milliseconds from now, worked out in SQL (numbers: no time parsing).
        now_ms = millis(tx, literal(now, type_=v.rank_at.type))

        def position(row: Any) -> tuple[float, float, float]:
            return (float(row.rank_class), row.rank_ms / 60_000, float(row.id))

        # Only services the desks that deal with this one also deal with can hold it up;
        # each is read along its own index, at most AHEAD_LIMIT visitors in all.
        pool = [d for d in site.desks if d.serves(service)] or list(site.desks)
        related = sorted(set().union(*(d.services for d in pool)))
        ahead_of_me = or_(v.rank_class < klass, and_(v.rank_class == klass, v.rank_at < at))
        rows = []
        for code in related:
            rows += tx.conn.execute(
                select(
                    v.id,
                    v.service,
                    v.rank_class,
                    (millis(tx, v.rank_at) - now_ms).label("rank_ms"),
                    (millis(tx, v.callable_at) - now_ms).label("callable_ms"),
                    v.assigned_desk,
                )
                .where(
                    v.site_id == ref.id,
                    v.service == code,
                    repo.is_waiting(),
                    ahead_of_me,
                    v.id != ident,  # 0 for a visitor not checked in yet
                )
                .order_by(v.rank_class, v.rank_at, v.arrived_at, v.id)
                .limit(AHEAD_LIMIT + 1)
            ).all()
        rows.sort(key=lambda r: (r.rank_class, r.rank_ms, r.id))
        beyond = 0
        if len(rows) > AHEAD_LIMIT:  # a very long queue: the rest is counted, not listed
            counts = repo.waiting_counts(tx, ref.id)
            total = sum(n for (s, k), n in counts.items() if s in related and k <= klass)
            beyond = max(0, total - AHEAD_LIMIT)
            rows = rows[:AHEAD_LIMIT]
        ahead, later = [], []
        for row in rows:
            opens = max(0.0, row.callable_ms / 60_000)
            waiter = Waiter(position(row), row.service, opens, row.assigned_desk)
            (later if opens > 0 else ahead).append(waiter)
        appointment_class = policy_for(site).class_number("appointment")
        if appointment_class < klass:
            window = timedelta(minutes=site.targets.appointment_window_minutes_before)
            for booked in tx.conn.execute(
                select(appointment_t.c.id, appointment_t.c.service, appointment_t.c.at).where(
                    appointment_t.c.site_id == ref.id,
                    appointment_t.c.status == "booked",
                    appointment_t.c.at > now,
                    appointment_t.c.at < now + timedelta(hours=8),
                )
            ).all():
                due = (booked.at - window - now).total_seconds() / 60
                rank = (
                    float(appointment_class),
                    (booked.at - now).total_seconds() / 60,
                    1e8 + booked.id,
                )
                later.append(Waiter(rank, booked.service, max(0.0, due)))
        walk_in = klass == policy_for(site).class_number("walk_in") and not priority
        overtaking = (
            {s.code: learned.priority_per_minute.get((s.code, hour), 0.0) for s in site.services}
            if walk_in
            else {}
        )
        return Snapshot(
            service=service,
            ahead=tuple(ahead),
            desks=self._desks(tx, ref, minutes),
            minutes=minutes,
            later=tuple(later),
            overtaking=overtaking,
            overtaking_class=float(policy_for(site).class_number("priority")),
            beyond=beyond,
        )

    def _desks(self, tx: Tx, ref: repo.SiteRef, minutes: dict[str, float]) -> tuple[DeskNow, ...]:
        site, now = ref.site, tx.now
        v = visit_t.c
        busy: dict[str, float] = {}
        for row in tx.conn.execute(
            select(v.desk, v.service, v.state, v.called_at, v.serving_at).where(
                v.site_id == ref.id, v.state.in_(("called", "serving")), v.desk.is_not(None)
            )
        ).all():
            started = row.serving_at or row.called_at or now
            mean = minutes.get(row.service, 10.0)
            elapsed = (now - started).total_seconds() / 60
            busy[row.desk] = max(busy.get(row.desk, 0.0), mean - elapsed, mean / 3)
        sessions = tx.conn.execute(
            select(session_t.c.desk, session_t.c.status, session_t.c.status_since).where(
                session_t.c.site_id == ref.id,
                session_t.c.signed_out_at.is_(None),
                session_t.c.signed_in_at >= now - timedelta(hours=14),
            )
        ).all()
        states = {row.desk: row for row in sessions}
        if states:
            desks = []
            for desk in site.desks:
                session = states.get(desk.name)
                if session is None or session.status == "closed":
                    continue
                if session.status == "break":
                    away = (now - session.status_since).total_seconds() / 60
                    desks.append(DeskNow(desk.name, desk.services, max(1.0, BREAK_MINUTES - away)))
                elif desk.name in busy:
                    desks.append(DeskNow(desk.name, desk.services, busy[desk.name], busy=True))
                else:
                    desks.append(DeskNow(desk.name, desk.services))
            return tuple(desks)
        recent = set(
            tx.conn.execute(
                select(v.desk)
                .where(
                    v.site_id == ref.id,
                    v.called_at >= now - timedelta(minutes=ACTIVE_MINUTES),
                    v.desk.is_not(None),
                )
                .distinct()
            ).scalars()
        ) | set(busy)
        chosen = [d for d in site.desks if d.name in recent] or list(site.desks)
        return tuple(
            DeskNow(d.name, d.services, busy[d.name], busy=True)
            if d.name in busy
            else DeskNow(d.name, d.services)
            for d in chosen
        )

    # -- what the last weeks teach -------------------------------------------------------

    def learned(self, tx: Tx, ref: repo.SiteRef) -> Learned:
        with self._lock:
            kept = self._learned.get(ref.code)
            if kept is not None and time.monotonic() - kept[0] < LEARN_SECONDS:
                return kept[1]
        fresh = _learn(tx, ref)
        with self._lock:
            self._learned[ref.code] = (time.monotonic(), fresh)
        return fresh

    def forget(self) -> None:
        with self._lock:
            self._learned.clear()


def _learn(tx: Tx, ref: repo.SiteRef) -> Learned:
    v = visit_t.c
    today = tx.now.astimezone(ZoneInfo(ref.site.timezone)).date()
    since = today - timedelta(weeks=LEARN_WEEKS)
    finished = and_(
        v.site_id == ref.id,
        v.ticket_day >= since,
        v.ticket_day < today,
        v.serving_at.is_not(None),
        v.ended_at.is_not(None),
        v.state == "finished",
    )
    duration = elapsed_ms(tx, v.ended_at, v.serving_at) / 60_000.0
    minutes: dict[tuple[str, int], float] = {}
    for service, hour, mean, count in tx.conn.execute(
        select(v.service, v.arrived_hour, func.avg(duration), func.count())
        .where(finished)
        .group_by(v.service, v.arrived_hour)
    ).all():
        if count >= 8 and mean and hour is not None:
            minutes[(service, int(hour))] = float(mean)
    by_service = {
        service: float(mean)
        for service, mean, count in tx.conn.execute(
            select(v.service, func.avg(duration), func.count()).where(finished).group_by(v.service)
        ).all()
        if count >= 5 and mean
    }
    days = tx.conn.execute(
        select(func.count(func.distinct(v.ticket_day))).where(
            v.site_id == ref.id, v.ticket_day >= since, v.ticket_day < today
        )
    ).scalar_one()
    priority: dict[tuple[str, int], float] = {}
    prioritised = sorted(ref.site.prioritised_services)
    if days:
        for service, hour, count in tx.conn.execute(
            select(v.service, v.arrived_hour, func.count())
            .where(
                v.site_id == ref.id,
                v.ticket_day >= since,
                v.ticket_day < today,
                v.appointment_at.is_(None),
                or_(v.priority.is_(True), v.service.in_(prioritised)),
            )
            .group_by(v.service, v.arrived_hour)
        ).all():
            if hour is not None:
                priority[(service, int(hour))] = count / (60.0 * days)
    return Learned(minutes, by_service, priority)


def _finite(minutes: float) -> float | None:
    return None if math.isinf(minutes) else minutes


def told_minutes(predicted: float) -> int:
    """The whole minutes a visitor is told ("about 4 min"): the nearest, halves up."""
    return max(0, int(predicted + 0.5))
