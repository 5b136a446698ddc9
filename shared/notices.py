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

from shared import audit
from shared.access import Actor, verify
from shared.domain import DomainError, NotFound
from shared.domain.tickets import normalise_ticket, ticket_day
from shared.store import repository as repo
from shared.store.db import Database, Tx
from shared.store.tables import alert_t, notice_t, session_t, survey_t

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

    # `by`: the member of staff signed in who did it; `place`: where, when nobody signed in
    # did (a kiosk's staff page). Both for the audit trail: a notice is reception's to set.

    def set_delay(
        self,
        site: str,
        reason: str | None,
        minutes: int | None,
        *,
        by: Actor | None = None,
        place: str | None = None,
    ) -> Notice:
        if reason is not None and not reason.strip():
            reason = None
        if minutes is not None and not 0 <= minutes <= 600:
            raise DomainError("a delay estimate is between 0 and 600 minutes")
        step = (
            ("delay_notice_set", f"about {minutes} min" if minutes else "no estimate", reason)
            if reason or minutes
            else ("delay_notice_cleared", None, None)
        )
        return self._write(site, step, by, place, delay_reason=reason, delay_minutes=minutes)

    def set_closed(
        self,
        site: str,
        closed: bool,
        message: str | None = None,
        *,
        by: Actor | None = None,
        place: str | None = None,
    ) -> Notice:
        step = ("office_closed", None, message) if closed else ("office_opened", None, None)
        return self._write(
            site, step, by, place, closed=closed, closed_message=message if closed else None
        )

    def _write(
        self,
        site: str,
        step: tuple[str, str | None, str | None],
        by: Actor | None,
        place: str | None,
        **values: Any,
    ) -> Notice:
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            action, detail, note = step
            audit.record(
                tx,
                ref.id,
                action,
                checked=verify(tx, by) if by else None,
                place=place,
                detail=detail,
                note=note,
            )
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
        """Raise an alert; while one of the same kind and source is open, it is reused.
        A safety alarm is in the audit trail, with who was signed in at its desk."""
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
            if kind == "safety":
                audit.record(
                    tx,
                    ref.id,
                    "alarm_raised",
                    staff_name=_signed_in_at(tx, ref.id, source),
                    place=source,
                )
            repo.changed(tx, ref)
            return int(alert_id)

    def resolve(
        self,
        site: str,
        *,
        alert_id: int | None = None,
        kind: str | None = None,
        source: str | None = None,
        by: Actor | None = None,
        place: str | None = None,
    ) -> int:
        """Resolve one alert by id, or every open one of a kind (and source). In the audit
        trail: a safety alarm acknowledged, and any alert a member of staff resolved."""
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            checked = verify(tx, by) if by else None
            conditions = [alert_t.c.site_id == ref.id, alert_t.c.resolved_at.is_(None)]
            if alert_id is not None:
                conditions.append(alert_t.c.id == alert_id)
            if kind is not None:
                conditions.append(alert_t.c.kind == kind)
            if source is not None:
                conditions.append(alert_t.c.source == source)
            audited = [
                r
                for r in tx.conn.execute(
                    select(alert_t.c.kind, alert_t.c.source).where(*conditions)
                ).all()
                if r.kind == "safety" or checked is not None
            ]
            count = tx.conn.execute(
                update(alert_t).where(*conditions).values(resolved_at=tx.now)
            ).rowcount
            for alert in audited:
                audit.record(
                    tx,
                    ref.id,
                    "alarm_acknowledged" if alert.kind == "safety" else "alert_resolved",
                    checked=checked,
                    place=place,
                    detail=f"{alert.kind} at {alert.source}"[:500],
                )
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


def _signed_in_at(tx: Tx, site_id: int, desk: str) -> str | None:
    """Who is signed in at a desk (whose alarm it is), if anyone."""
    name = tx.conn.execute(
        select(session_t.c.staff_name)
        .where(
            session_t.c.site_id == site_id,
            session_t.c.desk == desk,
            session_t.c.signed_out_at.is_(None),
        )
        .order_by(session_t.c.id.desc())
        .limit(1)
    ).scalar()
    return None if name is None else str(name)
