"""What staff tell visitors and what visitors and devices tell staff.

- Notices: reception's delay notice (reason and estimate, shown by the kiosk, the
  display and new tickets) and "office closed".
- Alerts: "I need help" from the kiosk, a printer offline or out of paper, a desk's
  safety alarm. Raised once per source and kind until resolved (for a safety
  alarm, resolving is reception's acknowledgement: the desk is told help is coming).
- The exit survey's answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from shared.domain import DomainError, NotFound
from shared.domain.tickets import normalise_ticket, ticket_day
from shared.store import repository as repo
from shared.store.db import Database
from shared.store.tables import alert_t, notice_t, survey_t

ALERT_KINDS = ("help", "printer", "safety", "greet", "kiosk")  # kiosk: its outbox, offline tickets


@dataclass(frozen=True)
class Notice:
    delay_reason: str | None = None
    delay_minutes: int | None = None
    closed: bool = False
    closed_message: str | None = None


@dataclass(frozen=True)
class AlertView:
    id: int
    kind: str
    source: str
    detail: str | None
    raised_at: datetime
    resolved_at: datetime | None


def _view(row: Any) -> AlertView:
    return AlertView(row.id, row.kind, row.source, row.detail, row.raised_at, row.resolved_at)


class Notices:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- notices -----------------------------------------------------------------------

    def notice(self, site: str) -> Notice:
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            row = tx.conn.execute(select(notice_t).where(notice_t.c.site_id == ref.id)).first()
        if row is None:
            return Notice()
        return Notice(row.delay_reason, row.delay_minutes, row.closed, row.closed_message)

    def set_delay(self, site: str, reason: str | None, minutes: int | None) -> Notice:
        if reason is not None and not reason.strip():
            reason = None
        if minutes is not None and not 0 <= minutes <= 600:
            raise DomainError("a delay estimate is between 0 and 600 minutes")
        return self._write(site, delay_reason=reason, delay_minutes=minutes)

    def set_closed(self, site: str, closed: bool, message: str | None = None) -> Notice:
        return self._write(site, closed=closed, closed_message=message if closed else None)

    def _write(self, site: str, **values: Any) -> Notice:
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            exists = tx.conn.execute(
                select(notice_t.c.site_id).where(notice_t.c.site_id == ref.id)
            ).first()
            values["updated_at"] = tx.now
            if exists is None:
                tx.conn.execute(insert(notice_t).values(site_id=ref.id, **values))
            else:
                tx.conn.execute(
                    update(notice_t).where(notice_t.c.site_id == ref.id).values(**values)
                )
            repo.changed(tx, ref)
        return self.notice(site)

    # -- alerts ------------------------------------------------------------------------

    def raise_alert(self, site: str, kind: str, source: str, detail: str | None = None) -> int:
        """Raise an alert; while one of the same kind and source is open, it is reused."""
        if kind not in ALERT_KINDS:
            raise DomainError(f"unknown alert {kind!r} (one of {', '.join(ALERT_KINDS)})")
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            open_one = tx.conn.execute(
                select(alert_t.c.id).where(
                    alert_t.c.site_id == ref.id,
                    alert_t.c.kind == kind,
                    alert_t.c.source == source,
                    alert_t.c.resolved_at.is_(None),
                )
            ).first()
            if open_one is not None:
                if detail:
                    tx.conn.execute(
                        update(alert_t).where(alert_t.c.id == open_one.id).values(detail=detail)
                    )
                return int(open_one.id)
            alert_id = tx.conn.execute(
                insert(alert_t)
                .values(site_id=ref.id, kind=kind, source=source, detail=detail, raised_at=tx.now)
                .returning(alert_t.c.id)
            ).scalar_one()
            repo.changed(tx, ref)
            return int(alert_id)

    def resolve(
        self,
        site: str,
        *,
        alert_id: int | None = None,
        kind: str | None = None,
        source: str | None = None,
    ) -> int:
        """Resolve one alert by id, or every open one of a kind (and source)."""
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            conditions = [alert_t.c.site_id == ref.id, alert_t.c.resolved_at.is_(None)]
            if alert_id is not None:
                conditions.append(alert_t.c.id == alert_id)
            if kind is not None:
                conditions.append(alert_t.c.kind == kind)
            if source is not None:
                conditions.append(alert_t.c.source == source)
            count = tx.conn.execute(
                update(alert_t).where(*conditions).values(resolved_at=tx.now)
            ).rowcount
            if count:
                repo.changed(tx, ref)
            return int(count)

    def alerts(
        self, site: str, *, open_only: bool = True, since: datetime | None = None
    ) -> list[AlertView]:
        """Open alerts, oldest first; with `open_only=False`, resolved ones too, and
        `since` keeps those open at that moment or raised after it (a day's log)."""
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            stmt = select(alert_t).where(alert_t.c.site_id == ref.id).order_by(alert_t.c.raised_at)
            if open_only:
                stmt = stmt.where(alert_t.c.resolved_at.is_(None))
            if since is not None:
                stmt = stmt.where(
                    (alert_t.c.raised_at >= since)
                    | alert_t.c.resolved_at.is_(None)
                    | (alert_t.c.resolved_at >= since)
                )
            return [_view(r) for r in tx.conn.execute(stmt)]

    def alert(self, site: str, alert_id: int) -> AlertView:
        """One alert, open or resolved (a desk asking whether its alarm was acknowledged)."""
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            row = tx.conn.execute(
                select(alert_t).where(alert_t.c.site_id == ref.id, alert_t.c.id == alert_id)
            ).first()
        if row is None:
            raise NotFound(f"no alert {alert_id} at {site}")
        return _view(row)

    # -- the exit survey -----------------------------------------------------------------

    def record_survey(
        self,
        site: str,
        *,
        ticket: str | None = None,
        resolved: bool | None = None,
        csa: int | None = None,
        overall: int | None = None,
        fair: bool | None = None,
        comment: str | None = None,
        language: str = "en",
        answered_at: datetime | None = None,
    ) -> int:
        """`answered_at`: when answers given while the database was away were given (never
        later than now); the ticket is looked for on that day."""
        for name, value in (("csa", csa), ("overall", overall)):
            if value is not None and value not in (1, 2, 3, 4, 5):
                raise DomainError(
                    f"{name}: answers are 1 (very dissatisfied) to 5 (very satisfied)"
                )
        if answered_at is not None and answered_at.tzinfo is None:
            raise DomainError("a survey's time needs its time zone")
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            when = min(answered_at, tx.now) if answered_at else tx.now
            visit_id = None
            if ticket:
                visit = repo.find_ticket(
                    tx,
                    ref,
                    normalise_ticket(ticket),
                    ticket_day(when, ref.site.timezone),
                    lock=False,
                )
                visit_id = visit.id
            return int(
                tx.conn.execute(
                    insert(survey_t)
                    .values(
                        site_id=ref.id,
                        visit_id=visit_id,
                        answered_at=when,
                        resolved=resolved,
                        csa=csa,
                        overall=overall,
                        fair=fair,
                        comment=(comment or "").strip()[:2000] or None,
                        language=language,
                    )
                    .returning(survey_t.c.id)
                ).scalar_one()
            )
