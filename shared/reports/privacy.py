"""Data protection: purge personal data after each site's retention period; the audit trail.

Personal data here: survey comments (free text a visitor may sign), and the needs
a visitor told the kiosk (interpreter and language, private room, hearing loop,
step-free access), which can reveal health or ethnicity. After the site's
`[data] retention_days` they are removed; the visit and survey rows stay, so the
published figures do not change. Tickets and displays never held names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, select, update

from shared.store import repository as repo
from shared.store.db import Database
from shared.store.tables import event_t, session_t, survey_t, visit_t


@dataclass(frozen=True)
class Purged:
    site: str
    before: str
    comments: int
    needs: int

    def as_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "before": self.before,
            "comments": self.comments,
            "needs": self.needs,
        }


def purge(
    db: Database,
    sites: list[str] | None = None,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
) -> list[Purged]:
    """Remove what is older than each site's retention. `now` (default: the database's
    clock) fixes the moment the retention counts back from, for tests and re-runs."""
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    results = []
    with db.transaction() as tx:
        for code in sites or repo.site_codes(tx):
            ref = repo.get_site(tx, code)
            cutoff = (now or tx.now) - timedelta(days=ref.site.data.retention_days)
            old_comments = and_(
                survey_t.c.site_id == ref.id,
                survey_t.c.answered_at < cutoff,
                survey_t.c.comment.is_not(None),
            )
            old_needs = and_(
                visit_t.c.site_id == ref.id, visit_t.c.arrived_at < cutoff, visit_t.c.flags != "{}"
            )
            if dry_run:
                comments = len(tx.conn.execute(select(survey_t.c.id).where(old_comments)).all())
                needs = len(tx.conn.execute(select(visit_t.c.id).where(old_needs)).all())
            else:
                comments = tx.conn.execute(
                    update(survey_t).where(old_comments).values(comment=None)
                ).rowcount
                needs = tx.conn.execute(
                    update(visit_t).where(old_needs).values(flags="{}")
                ).rowcount
            results.append(Purged(ref.code, cutoff.date().isoformat(), int(comments), int(needs)))
        if dry_run:
            tx.conn.rollback()
    return results


def audit(db: Database, site: str, day: Any) -> list[dict[str, Any]]:
    """Every step of every visit on a local day, with the member of staff at that desk."""
    with db.transaction(write=False) as tx:
        ref = repo.get_site(tx, site)
        rows = tx.conn.execute(
            select(
                event_t.c.at, event_t.c.action, event_t.c.desk, event_t.c.detail, visit_t.c.ticket
            )
            .join(visit_t, visit_t.c.id == event_t.c.visit_id)
            .where(event_t.c.site_id == ref.id, visit_t.c.ticket_day == day)
            .order_by(event_t.c.id)
        ).all()
        sessions = tx.conn.execute(
            select(
                session_t.c.desk,
                session_t.c.staff_name,
                session_t.c.signed_in_at,
                session_t.c.signed_out_at,
            ).where(session_t.c.site_id == ref.id)
        ).all()

    def who(desk: str | None, moment: Any) -> str | None:
        for s in sessions:
            if (
                s.desk == desk
                and s.signed_in_at <= moment
                and (s.signed_out_at is None or moment <= s.signed_out_at)
            ):
                return str(s.staff_name)
        return None

    return [
        {
            "at": r.at.isoformat(),
            "ticket": r.ticket,
            "action": r.action,
            "desk": r.desk,
            "staff": who(r.desk, r.at),
            "detail": r.detail,
        }
        for r in rows
    ]
