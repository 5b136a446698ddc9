"""Data protection: purge personal data after each site's retention period.

Personal data here: survey comments (free text a visitor may sign), the needs a
visitor told the kiosk (interpreter and language, private room, hearing loop,
step-free access), which can reveal health or ethnicity, and the free text staff
typed that the audit trail keeps (a delay notice's reason, a name typed at a refused
sign-in: its `note`). After the site's `[data] retention_days` they are removed; the
visit, survey and audit rows stay, so the published figures do not change and the
audit trail still says who did what and when. Tickets and displays never held names.

A purge on demand (`onestop purge`) is a supervisor's; the daily purge runs by itself
in every staff app (`daily_purge`, from shared/qt/housekeeping.py: a minute after the
app opens and every hour), once a day per site whichever app gets there first, told
by a row in the `daily_purge` table. Both are recorded in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, select, update

from shared import audit as trail
from shared.access import Actor, Checked, authorise
from shared.domain.tickets import ticket_day
from shared.store import repository as repo
from shared.store.db import Database, Tx
from shared.store.tables import audit_t, purge_t, survey_t, visit_t


@dataclass(frozen=True)
class Purged:
    site: str
    before: str
    comments: int
    needs: int
    notes: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "before": self.before,
            "comments": self.comments,
            "needs": self.needs,
            "notes": self.notes,
        }


def purge(
    db: Database,
    sites: list[str] | None = None,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
    by: Actor | None = None,
) -> list[Purged]:
    """Remove what is older than each site's retention. `now` (default: the database's
    clock) fixes the moment the retention counts back from, for tests and re-runs.
    Supervisors only (`by`, shared/access.py), each at their own site."""
    if now is not None and now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    results = []
    with db.transaction() as tx:
        for code in sites or repo.site_codes(tx):
            ref = repo.get_site(tx, code)
            checked = authorise(tx, by, ref, "purging personal data")
            results.append(_purge_site(tx, ref, now or tx.now, dry_run, checked, None))
        if dry_run:
            tx.conn.rollback()
    return results


def _purge_site(
    tx: Tx,
    ref: repo.SiteRef,
    now: datetime,
    dry_run: bool,
    checked: Checked | None,
    place: str | None,
) -> Purged:
    cutoff = now - timedelta(days=ref.site.data.retention_days)
    old_comments = and_(
        survey_t.c.site_id == ref.id,
        survey_t.c.answered_at < cutoff,
        survey_t.c.comment.is_not(None),
    )
    old_needs = and_(
        visit_t.c.site_id == ref.id, visit_t.c.arrived_at < cutoff, visit_t.c.flags != "{}"
    )
    old_notes = and_(
        audit_t.c.site_id == ref.id, audit_t.c.at < cutoff, audit_t.c.note.is_not(None)
    )
    if dry_run:
        comments = len(tx.conn.execute(select(survey_t.c.id).where(old_comments)).all())
        needs = len(tx.conn.execute(select(visit_t.c.id).where(old_needs)).all())
        notes = len(tx.conn.execute(select(audit_t.c.id).where(old_notes)).all())
    else:
        comments = tx.conn.execute(
            update(survey_t).where(old_comments).values(comment=None)
        ).rowcount
        needs = tx.conn.execute(update(visit_t).where(old_needs).values(flags="{}")).rowcount
        notes = tx.conn.execute(update(audit_t).where(old_notes).values(note=None)).rowcount
    result = Purged(ref.code, cutoff.date().isoformat(), int(comments), int(needs), int(notes))
    if not dry_run:
        trail.record(
            tx,
            ref.id,
            "purged",
            checked=checked,
            place=place,
            detail=f"before {result.before}: {result.comments} survey comments, "
            f"{result.needs} visitors' needs, {result.notes} notes in the audit trail",
        )
    return result


def daily_purge(db: Database, site: str, *, place: str = "a staff app") -> Purged | None:
    """The day's automatic purge of a site, if it has not run today (the site's local
    day); None when it has. Two apps at once: one purges, the other finds it done."""
    with db.transaction() as tx:
        ref = repo.get_site(tx, site)
        today = ticket_day(tx.now, ref.site.timezone)
        if not _claim_day(tx, ref, today):
            return None
        return _purge_site(tx, ref, tx.now, False, None, f"daily purge ({place})"[:60])


def _claim_day(tx: Tx, ref: repo.SiteRef, today: date) -> bool:
    """Whether this transaction is the one to purge today (its row, locked till commit)."""
    upsert = repo._upsert(tx)(purge_t).values(site_id=ref.id, day=date(1970, 1, 1), at=tx.now)
    tx.conn.execute(upsert.on_conflict_do_nothing(index_elements=["site_id"]))
    stmt = select(purge_t.c.day).where(purge_t.c.site_id == ref.id)
    if tx.postgres:
        stmt = stmt.with_for_update()
    last = tx.conn.execute(stmt).scalar_one()
    if last >= today:
        return False
    tx.conn.execute(update(purge_t).where(purge_t.c.site_id == ref.id).values(day=today, at=tx.now))
    return True


def audit(db: Database, site: str, day: Any, *, by: Actor | None = None) -> list[dict[str, Any]]:
    """Every step of a local day at the site (shared/audit.py's trail, as JSON)."""
    return [step.as_json() for step in trail.trail(db, site, day, day, by=by)]
