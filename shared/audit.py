"""The audit trail: who did what and when, in the database.

Two tables hold it. `visit_event` has every step of every visit (checked in,
greeted, called, finished...), with the member of staff signed in where it was done
(`staff_name`). `audit_event` has everything else staff do: signing in and out, wrong
PINs and lock-outs, staff accounts, notices, alarms, purges, reports run, settings
loaded, the audit trail read, the kiosk's keypad. `trail()` reads both, in time
order, for supervisors only (it is itself recorded).

A row's `detail` is what the system knows; its `note` is free text a person typed
(a delay notice's reason, the name typed at a refused sign-in). The data-protection
purge clears notes older than the site's retention; who, what and when stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from shared.access import Actor, Checked, authorise
from shared.store import repository as repo
from shared.store.db import Database, Tx
from shared.store.tables import audit_t, event_t, visit_t

NOTE_LIMIT = 300  # characters of typed text kept in a note
SHOWN_LIMIT = 20_000  # steps trail() returns at most, the newest (two weeks of a busy site)


def record(
    tx: Tx,
    site_id: int,
    action: str,
    *,
    checked: Checked | None = None,
    staff_name: str | None = None,
    role: str | None = None,
    place: str | None = None,
    ticket: str | None = None,
    detail: str | None = None,
    note: str | None = None,
    at: datetime | None = None,
) -> None:
    """Add one row to the trail, in the transaction of what it records."""
    if checked is not None:
        staff_name, role = checked.name, checked.role
        place = place or checked.place
    values = {
        "staff_name": staff_name,
        "role": role,
        "place": (place or "")[:60] or None,
        "ticket": ticket,
        "detail": (detail or "")[:500] or None,
        "note": _note(note),
    }
    # Only the columns it fills: the kiosk's login may write no one's name.
    filled = {k: v for k, v in values.items() if v is not None}
    tx.conn.execute(
        insert(audit_t).values(site_id=site_id, at=at or tx.now, action=action, **filled)
    )


def _note(text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    clean = "".join(c if c.isprintable() else " " for c in text.strip())
    return clean[:NOTE_LIMIT]


@dataclass(frozen=True)
class Step:
    at: datetime
    action: str
    staff: str | None
    role: str | None
    place: str | None
    ticket: str | None
    detail: str | None
    note: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "action": self.action,
            "staff": self.staff,
            "role": self.role,
            "place": self.place,
            "ticket": self.ticket,
            "detail": self.detail,
            "note": self.note,
        }


def trail(
    db: Database,
    site: str,
    start: date | None = None,
    end: date | None = None,
    *,
    staff: str | None = None,
    by: Actor | None = None,
    limit: int = SHOWN_LIMIT,
) -> list[Step]:
    """Everything done at a site from `start` to `end` (local days, inclusive; today by
    default), oldest first; `staff`: only what that member of staff did. Supervisors
    only (shared/access.py); reading it is recorded."""
    with db.transaction() as tx:
        ref = repo.get_site(tx, site)
        checked = authorise(tx, by, ref, "the audit trail")
        zone = ZoneInfo(ref.site.timezone)
        today = tx.now.astimezone(zone).date()
        first, last = start or end or today, end or start or today
        if last < first:
            from shared.domain import DomainError

            raise DomainError(f"the audit trail from {first} to {last}: it ends before it starts")
        low = datetime.combine(first, time.min, zone)
        high = datetime.combine(last + timedelta(days=1), time.min, zone)
        wanted = staff.strip().lower() if staff and staff.strip() else None
        visits = (
            select(
                event_t.c.at,
                event_t.c.action,
                event_t.c.staff_name,
                event_t.c.desk,
                event_t.c.detail,
                visit_t.c.ticket,
                event_t.c.id,
            )
            .join(visit_t, visit_t.c.id == event_t.c.visit_id)
            .where(
                visit_t.c.site_id == ref.id,
                visit_t.c.ticket_day >= first - timedelta(days=1),  # open across midnight
                visit_t.c.ticket_day <= last,
                event_t.c.at >= low,
                event_t.c.at < high,
            )
        )
        others = select(audit_t).where(
            audit_t.c.site_id == ref.id, audit_t.c.at >= low, audit_t.c.at < high
        )
        if wanted is not None:
            visits = visits.where(func.lower(event_t.c.staff_name) == wanted)
            others = others.where(func.lower(audit_t.c.staff_name) == wanted)
        steps = [
            Step(r.at, r.action, r.staff_name, None, r.desk, r.ticket, r.detail, None)
            for r in tx.conn.execute(
                visits.order_by(event_t.c.at.desc(), event_t.c.id.desc()).limit(limit)
            )
        ]
        steps += [
            Step(r.at, r.action, r.staff_name, r.role, r.place, r.ticket, r.detail, r.note)
            for r in tx.conn.execute(
                others.order_by(audit_t.c.at.desc(), audit_t.c.id.desc()).limit(limit)
            )
        ]
        record(
            tx,
            ref.id,
            "audit_viewed",
            checked=checked,
            detail=f"{first} to {last}" + (f", {(staff or '').strip()[:100]}" if wanted else ""),
        )
    steps.sort(key=lambda s: s.at)
    return steps[-limit:]


def allow_report(
    db: Database, by: Actor | None, sites: list[str] | None, what: str, detail: str
) -> None:
    """Reports are for supervisors (of any site: figures, no personal data); a named
    supervisor's report is recorded at each site it covers."""
    with db.transaction(write=by is not None) as tx:
        for code in sites or repo.site_codes(tx):
            ref = repo.get_site(tx, code)
            checked = authorise(tx, by, ref, what, any_site=True)
            if checked is not None:
                record(tx, ref.id, "report_run", checked=checked, detail=detail)
