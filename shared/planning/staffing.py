"""How many CSAs each hour of a day needs, from the last weeks' history (Erlang C).

For the chosen day's weekday, arrivals per local hour are averaged over the same
weekday in the last `weeks` weeks (those that had visitors), and the service time
is the mean time at the desk (start to finish) of the visits finished in those
weeks. For each hour the advice is the
smallest number of CSAs for which the M/M/c queue calls at least `share` of
visitors within the serve target.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, func, select

from shared.domain import DomainError
from shared.reports.kpis import elapsed_ms
from shared.store import repository as repo
from shared.store.db import Database
from shared.store.tables import visit_t

from .erlang import ErlangC


@dataclass(frozen=True)
class HourAdvice:
    hour: int
    arrivals_per_hour: float
    csas: int
    called_in_time_pct: float
    average_wait_minutes: float

    def as_json(self) -> dict[str, Any]:
        return {
            "hour": f"{self.hour:02d}:00",
            "arrivals_per_hour": round(self.arrivals_per_hour, 1),
            "csas": self.csas,
            "called_in_time_pct": round(self.called_in_time_pct, 1),
            "average_wait_minutes": round(self.average_wait_minutes, 1),
        }


def csas_needed(arrivals: float, service_minutes: float, serve_minutes: float, share: float) -> int:
    if arrivals <= 0:
        return 0
    desks = max(1, int(arrivals * service_minutes / 60) + 1)
    while True:
        try:
            if ErlangC(arrivals, service_minutes, desks).share_within(serve_minutes) >= share:
                return desks
        except ValueError:
            pass  # not enough desks to keep up at all
        desks += 1


def advise(
    db: Database, site: str, day: date, *, weeks: int = 6, share: float = 0.9
) -> dict[str, Any]:
    if weeks < 1:
        raise DomainError("look back at least one week")
    with db.transaction(write=False) as tx:
        ref = repo.get_site(tx, site)
        same_days = [day - timedelta(weeks=k) for k in range(1, weeks + 1)]
        v = visit_t.c
        rows = tx.conn.execute(
            select(v.arrived_hour, func.count())
            .where(v.site_id == ref.id, v.ticket_day.in_(same_days))
            .group_by(v.arrived_hour)
        ).all()
        # Averaged over the weekdays that had visitors (a bank holiday or a site that is
        # new has fewer than `weeks` of them).
        open_days = tx.conn.execute(
            select(func.count(func.distinct(v.ticket_day))).where(
                v.site_id == ref.id, v.ticket_day.in_(same_days)
            )
        ).scalar_one()
        start, end = day - timedelta(weeks=weeks), day - timedelta(days=1)
        service = tx.conn.execute(
            select(func.avg(elapsed_ms(tx, v.ended_at, v.serving_at) / 60_000.0)).where(
                and_(
                    v.site_id == ref.id,
                    v.ticket_day >= start,
                    v.ticket_day <= end,
                    v.state == "finished",
                    v.serving_at.is_not(None),
                )
            )
        ).scalar()
    site_obj = ref.site
    mean_service = (
        float(service)
        if service
        else (sum(s.mean_service_minutes for s in site_obj.services) / len(site_obj.services))
    )
    serve = site_obj.targets.serve_minutes
    advice = []
    for hour, count in sorted((h, n) for h, n in rows if h is not None):
        arrivals = count / max(1, open_days)
        csas = csas_needed(arrivals, mean_service, serve, share)
        queue = ErlangC(arrivals, mean_service, csas) if csas else None
        advice.append(
            HourAdvice(
                hour,
                arrivals,
                csas,
                100 * queue.share_within(serve) if queue else 100.0,
                queue.mean_wait_minutes() if queue else 0.0,
            )
        )
    return {
        "site": site_obj.code,
        "day": day.isoformat(),
        "weekday": f"{day:%A}",
        "weeks": weeks,
        "mean_service_minutes": round(mean_service, 1),
        "serve_target_minutes": serve,
        "share_in_time_pct": round(100 * share, 1),
        "hours": [a.as_json() for a in advice],
    }
