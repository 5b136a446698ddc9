"""What happens at a One Stop Shop, one transaction per action.

The use cases every app and the `onestop` command call: check a visitor in,
greet, call the next, recall, start, finish, transfer, park, book appointments.
Each method opens one transaction, loads what it needs, applies the domain rule,
writes, and commits; a DomainError leaves the database untouched.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, text, update

from shared.access import Actor, authorise, verify
from shared.domain import (
    WITH_DESK,
    DomainError,
    NotFound,
    Outcome,
    Site,
    State,
    Visit,
    quoted,
)
from shared.domain.estimate import estimate_wait_minutes
from shared.domain.policy import policy_for, rank
from shared.domain.tickets import format_ticket, normalise_ticket, ticket_day
from shared.store import blocks
from shared.store import repository as repo
from shared.store.db import Database, Tx
from shared.store.tables import (
    appointment_t,
    counter_t,
    event_t,
    session_t,
    site_t,
    visit_t,
)
from shared.waits import WaitPredictor, told_minutes

SITE_LOCK = 0x0E5710  # PostgreSQL advisory lock id for loading site configurations
REF_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed


@dataclass(frozen=True)
class CheckinResult:
    visit_id: int
    ticket: str
    service: str
    ahead: int
    estimated_wait_minutes: int
    site: str = ""
    arrived_at: str = ""
    appointment_at: str | None = None

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CallResult:
    visit_id: int | None
    ticket: str | None
    desk: str
    service: str | None = None
    site: str = ""
    called_at: str | None = None
    closed: str | None = None  # the ticket this call ended at the same desk, if any

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class WaitingVisit:
    visit_id: int
    ticket: str
    service: str
    state: str
    arrived_at: str
    waiting_minutes: float
    priority: bool
    appointment_at: str | None
    callable: bool
    flags: dict[str, str] = field(default_factory=dict)
    desk: str | None = None


def visit_json(visit: Visit) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "visit_id": visit.id,
        "site": visit.site,
        "ticket": visit.ticket,
        "service": visit.service,
        "state": visit.state.value,
        "desk": visit.desk,
        "priority": visit.priority,
        "flags": visit.flags,
        "arrived_at": iso(visit.arrived_at),
        "appointment_at": iso(visit.appointment_at),
        "greeted_at": iso(visit.greeted_at),
        "first_called_at": iso(visit.first_called_at),
        "called_at": iso(visit.called_at),
        "call_count": visit.call_count,
        "serving_at": iso(visit.serving_at),
        "ended_at": iso(visit.ended_at),
        "transfers": visit.transfers,
        "outcome": visit.outcome.kind.value if visit.outcome else None,
        "outcome_detail": visit.outcome.detail if visit.outcome else None,
    }


class Office:
    """The One Stop Shop's actions over the shared database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.waits = WaitPredictor(db)

    # -- sites ---------------------------------------------------------------------

    def load_site(
        self,
        config_text: str,
        source: str = "<string>",
        *,
        only_if_missing: bool = False,
        by: Actor | None = None,
    ) -> Site:
        """Add or replace a site's configuration (validated first). Site settings are
        for its supervisors (`by`, shared/access.py); a new site is an admin's."""
        from shared import audit
        from shared.config import parse_site

        site = parse_site(config_text, source)
        with self.db.transaction() as tx:
            if tx.postgres:  # one loader at a time (apps starting together on a new database)
                tx.conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SITE_LOCK})
            existing = tx.conn.execute(
                select(site_t.c.id).where(site_t.c.code == site.code)
            ).first()
            if existing is not None and only_if_missing:
                return repo.get_site(tx, site.code).site
            checked = authorise(
                tx,
                by,
                repo.SiteRef(existing.id if existing else -1, site),
                f"loading {source} (a site's settings)",
            )
            values = {"name": site.name, "config": config_text, "loaded_at": tx.now}
            if existing is None:
                site_id = tx.conn.execute(
                    insert(site_t)
                    .values(code=site.code, version=0, **values)
                    .returning(site_t.c.id)
                ).scalar_one()
            else:
                site_id = existing.id
                tx.conn.execute(update(site_t).where(site_t.c.id == site_id).values(**values))
            ref = repo.SiteRef(site_id, site)
            repo.rerank_waiting(tx, ref)
            repo.changed(tx, ref)
            audit.record(
                tx,
                site_id,
                "settings_loaded",
                checked=checked,
                detail=f"{'new site, ' if existing is None else ''}{len(site.services)} "
                f"services, {len(site.desks)} desks, from {source[-200:]}",
            )
        return site

    def load_site_file(
        self, path: str | Path, *, only_if_missing: bool = False, by: Actor | None = None
    ) -> Site:
        from shared.config import read_site_file

        config = read_site_file(path)  # UTF-8 (a byte-order mark is fine), else ConfigError
        return self.load_site(config, str(path), only_if_missing=only_if_missing, by=by)

    def ensure_default_sites(self) -> None:
        """A new database gets the shipped Bootle and Southport configurations."""
        from shared.config import default_site_files

        with self.db.transaction(write=False) as tx:
            if repo.site_codes(tx):
                return
        for path in default_site_files():
            self.load_site_file(path, only_if_missing=True)

    def site(self, code: str) -> Site:
        with self.db.transaction(write=False) as tx:
            return repo.get_site(tx, code).site

    def sites(self) -> list[str]:
        with self.db.transaction(write=False) as tx:
            return repo.site_codes(tx)

    # -- check-in ------------------------------------------------------------------

    def checkin(
        self,
        site: str,
        service: str | None = None,
        *,
        appointment: str | None = None,
        priority: bool = False,
        flags: dict[str, str] | None = None,
        by: Actor | None = None,
    ) -> CheckinResult:
        """`by`: the member of staff who added the visitor (reception), None at a kiosk."""
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            staff = verify(tx, by).name if by else None
            day = ticket_day(tx.now, ref.site.timezone)
            appointment_id = None
            appointment_at = None
            if appointment is not None:
                row = self._appointment_for_checkin(tx, ref, appointment, day)
                if service is not None and service.strip().lower() != row.service:
                    raise DomainError(
                        f"appointment {row.ref} is for {ref.site.service(row.service).name}, "
                        f"not {service}"
                    )
                service, appointment_id, appointment_at = row.service, row.id, row.at
            if service is None:
                raise DomainError("say which service the visitor came about (--service)")
            chosen = ref.site.service(service.strip().lower())
            ticket = format_ticket(
                chosen.letter, self._next_sequence(tx, ref.id, day, chosen.letter)
            )
            # Arrived once the number is taken: check-ins for a service take turns at its
            # counter, so numbers, arrival times and the queue's order agree (one that
            # began first but waited for the counter was otherwise ranked before the
            # visitor who took the number ahead of it, and could be called after them).
            _time_after_lock(tx)
            visit = Visit(
                site=ref.code,
                service=chosen.code,
                ticket=ticket,
                arrived_at=tx.now,
                priority=priority,
                appointment_at=appointment_at,
                flags=dict(flags or {}),
            )
            ahead = self._ahead(tx, ref, visit)
            repo.insert_visit(tx, ref, visit, day, appointment_id, staff=staff)
            if appointment_id is not None:
                tx.conn.execute(
                    update(appointment_t)
                    .where(appointment_t.c.id == appointment_id)
                    .values(status="arrived", visit_id=visit.id)
                )
            desks = sum(1 for d in ref.site.desks if d.serves(chosen.code))
            result = CheckinResult(
                visit_id=visit.id or 0,
                ticket=ticket,
                service=chosen.code,
                ahead=ahead,
                estimated_wait_minutes=estimate_wait_minutes(
                    ahead, desks, chosen.mean_service_minutes
                ),
                site=ref.code,
                arrived_at=visit.arrived_at.isoformat(),
                appointment_at=appointment_at.isoformat() if appointment_at else None,
            )
        # The wait the visitor is told: predicted from the queue just committed (a read,
        # outside the check-in's write transaction); the simple estimate if it cannot be.
        predicted = self.waits.for_visit(result.site, result.visit_id)
        if predicted is not None:
            result = replace(result, estimated_wait_minutes=told_minutes(predicted))
        return result

    def _next_sequence(self, tx: Tx, site_id: int, day: date, letter: str) -> int:
        """Atomically take the next number for a letter today (row-locked upsert)."""
        from sqlalchemy.dialects import postgresql, sqlite

        upsert = (postgresql.insert if tx.postgres else sqlite.insert)(counter_t).values(
            site_id=site_id, day=day, letter=letter, last=1
        )
        stmt = upsert.on_conflict_do_update(
            index_elements=["site_id", "day", "letter"], set_={"last": counter_t.c.last + 1}
        ).returning(counter_t.c.last)
        number = int(tx.conn.execute(stmt).scalar_one())
        if number >= blocks.OFFLINE_FIRST:  # a day that long never breaks a kiosk's block
            number = blocks.step_over(tx, site_id, day, letter, number)
        return number

    def _ahead(self, tx: Tx, ref: repo.SiteRef, visit: Visit) -> int:
        """How many waiting visitors the desks that serve this visit will call first."""
        site = ref.site
        desks = [d for d in site.desks if d.serves(visit.service)]
        related = set().union(*(d.services for d in desks)) if desks else {visit.service}
        key = rank(visit, site.prioritised_services, policy_for(site))
        counts = repo.waiting_counts(tx, ref.id)
        ahead = sum(n for (s, k), n in counts.items() if s in related and k < key.klass)
        if visit.appointment_at is None:
            # A new arrival is the last of its class.
            return ahead + sum(n for (s, k), n in counts.items() if s in related and k == key.klass)
        same_class_before = tx.conn.execute(
            select(func.count()).where(
                visit_t.c.site_id == ref.id,
                repo.is_waiting(),
                visit_t.c.service.in_(sorted(related)),
                visit_t.c.rank_class == key.klass,
                visit_t.c.rank_at <= key.at,
            )
        ).scalar_one()
        return ahead + int(same_class_before)

    # -- reception -----------------------------------------------------------------

    # `by` (here and below): the member of staff signed in who did it, for the audit
    # trail; at a desk, whoever is signed in at the desk when `by` is not given.

    def greet(self, site: str, ticket: str, *, by: Actor | None = None) -> Visit:
        return self._act(site, ticket, None, "greeted", lambda v, tx: v.greet(tx.now), by=by)

    def leave(self, site: str, ticket: str, *, by: Actor | None = None) -> Visit:
        return self._act(site, ticket, None, "left", lambda v, tx: v.leave(tx.now), by=by)

    def change(
        self,
        site: str,
        ticket: str,
        *,
        service: str | None = None,
        priority: bool | None = None,
        by: Actor | None = None,
    ) -> Visit:
        def apply(visit: Visit, tx: Tx, site_obj: Site) -> None:
            code = site_obj.service(service.strip().lower()).code if service else None
            visit.change(service=code, priority=priority)

        return self._act(site, ticket, None, "changed", apply, needs_site=True, by=by)

    # -- desks ---------------------------------------------------------------------

    def call_next(
        self, site: str, desk: str, *, close_previous: bool = True, by: Actor | None = None
    ) -> CallResult:
        """Call the visitor the queue policy gives this desk (None when nobody waits).

        One visitor at a desk at a time. A desk still holding a visitor it called but
        never started ends that visit first ("not recorded" outcome, reported in
        `closed`), unless `close_previous` is False, when that is an error, as the
        desk console asks. A visitor being served is never ended this way: they need
        an outcome (Finish), or a transfer or park. A desk on a break calls nobody.
        """
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            chosen_desk = ref.site.desk(desk)
            _refuse_on_break(tx, ref, chosen_desk.name)
            staff = verify(tx, by).name if by else desk_staff(tx, ref, chosen_desk.name)
            closed = None
            busy = repo.desk_visit(tx, ref, chosen_desk.name, [State.CALLED, State.SERVING])
            if busy is not None:
                _time_after_lock(tx)
                if busy.state is State.SERVING:
                    raise DomainError(
                        f"{chosen_desk.name} is still dealing with {busy.ticket} (serving): "
                        "finish it with an outcome, or transfer or park it, first"
                    )
                if not close_previous:
                    raise DomainError(
                        f"{chosen_desk.name} is still dealing with {busy.ticket} "
                        f"({busy.state.value}): finish, transfer, park or mark it a no-show first"
                    )
                before = _copy(busy)
                busy.close_unrecorded(tx.now)
                repo.save_visit(tx, ref, busy, before, "closed", "by call next", staff)
                closed = busy.ticket
            visit = repo.next_for_desk(tx, ref, chosen_desk.name, sorted(chosen_desk.services))
            if visit is None:
                return CallResult(None, None, chosen_desk.name, site=ref.code, closed=closed)
            _time_after_lock(tx)
            before = _copy(visit)
            visit.call(chosen_desk.name, tx.now)
            repo.save_visit(tx, ref, visit, before, "called", staff=staff)
            return CallResult(
                visit.id,
                visit.ticket,
                chosen_desk.name,
                visit.service,
                ref.code,
                tx.now.isoformat(),
                closed,
            )

    def call_ticket(self, site: str, desk: str, ticket: str, *, by: Actor | None = None) -> Visit:
        """Call a particular visitor (a parked one coming back, or reception's choice)."""

        def apply(visit: Visit, tx: Tx, site_obj: Site) -> None:
            chosen = site_obj.desk(desk)
            if not chosen.serves(visit.service):
                raise DomainError(f"{chosen.name} does not deal with {visit.service}")
            ref = repo.get_site(tx, site)
            _refuse_on_break(tx, ref, chosen.name)
            busy = repo.desk_visit(tx, ref, chosen.name, [State.CALLED, State.SERVING])
            if busy is not None and busy.id != visit.id:
                # One visitor at a desk at a time (as call_next with close_previous=False).
                raise DomainError(
                    f"{chosen.name} is still dealing with {busy.ticket} "
                    f"({busy.state.value}): finish, transfer, park or mark it a no-show first"
                )
            visit.call(chosen.name, tx.now)

        return self._act(site, ticket, None, "called", apply, needs_site=True, by=by, at_desk=True)

    def recall(
        self,
        site: str,
        ticket: str | None = None,
        desk: str | None = None,
        *,
        by: Actor | None = None,
    ) -> Visit:
        return self._act(
            site, ticket, desk, "recalled", lambda v, tx: v.recall(tx.now), by=by, at_desk=True
        )

    def start(
        self,
        site: str,
        ticket: str | None = None,
        desk: str | None = None,
        *,
        by: Actor | None = None,
    ) -> Visit:
        return self._act(
            site, ticket, desk, "started", lambda v, tx: v.start(tx.now), by=by, at_desk=True
        )

    def finish(
        self,
        site: str,
        outcome: Outcome,
        ticket: str | None = None,
        desk: str | None = None,
        *,
        by: Actor | None = None,
    ) -> Visit:
        return self._act(
            site,
            ticket,
            desk,
            "finished",
            lambda v, tx: v.finish(outcome, tx.now),
            outcome.detail,
            by=by,
            at_desk=True,
        )

    def no_show(
        self,
        site: str,
        ticket: str | None = None,
        desk: str | None = None,
        *,
        by: Actor | None = None,
    ) -> Visit:
        return self._act(
            site, ticket, desk, "no_show", lambda v, tx: v.no_show(tx.now), by=by, at_desk=True
        )

    def park(
        self,
        site: str,
        ticket: str | None = None,
        desk: str | None = None,
        *,
        by: Actor | None = None,
    ) -> Visit:
        return self._act(
            site, ticket, desk, "parked", lambda v, tx: v.park(tx.now), by=by, at_desk=True
        )

    def return_to_queue(self, site: str, ticket: str, *, by: Actor | None = None) -> Visit:
        return self._act(
            site, ticket, None, "returned", lambda v, tx: v.return_to_queue(tx.now), by=by
        )

    def transfer(
        self,
        site: str,
        ticket: str | None = None,
        desk: str | None = None,
        *,
        to_service: str | None = None,
        to_desk: str | None = None,
        by: Actor | None = None,
    ) -> Visit:
        def apply(visit: Visit, tx: Tx, site_obj: Site) -> None:
            service = site_obj.service(to_service.strip().lower()).code if to_service else None
            target = site_obj.desk(to_desk).name if to_desk else None
            if target is not None and not site_obj.desk(target).serves(service or visit.service):
                raise DomainError(f"{target} does not deal with {service or visit.service}")
            visit.transfer(tx.now, service=service, desk=target)

        detail = " ".join(p for p in (to_service or "", to_desk or "") if p)
        return self._act(
            site, ticket, desk, "transferred", apply, detail, needs_site=True, by=by, at_desk=True
        )

    # -- shared plumbing -------------------------------------------------------------

    def _act(
        self,
        site: str,
        ticket: str | None,
        desk: str | None,
        action: str,
        apply: Any,
        detail: str = "",
        *,
        needs_site: bool = False,
        by: Actor | None = None,
        at_desk: bool = False,
    ) -> Visit:
        """One step of a visit. Who did it: `by`, else (`at_desk`) whoever is signed in at
        the desk the visit is at (a CSA's own actions, and the command's desk verbs)."""
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            staff = verify(tx, by).name if by else None
            visit = self._target(tx, ref, ticket, desk)
            _time_after_lock(tx)
            before = _copy(visit)
            if needs_site:
                apply(visit, tx, ref.site)
            else:
                apply(visit, tx)
            acting = visit.desk if action == "called" else (before.desk or visit.desk)
            if staff is None and at_desk and acting:
                staff = desk_staff(tx, ref, acting)
            repo.save_visit(tx, ref, visit, before, action, detail, staff)
            return visit

    def _target(self, tx: Tx, ref: repo.SiteRef, ticket: str | None, desk: str | None) -> Visit:
        if ticket:
            return repo.find_ticket(
                tx, ref, normalise_ticket(ticket), ticket_day(tx.now, ref.site.timezone)
            )
        if desk:
            name = ref.site.desk(desk).name
            visit = repo.desk_visit(tx, ref, name, WITH_DESK)
            if visit is None:
                raise NotFound(f"{name} is not dealing with anyone")
            return visit
        raise DomainError("say which visitor: a ticket number or --desk")

    # -- reading the queue -------------------------------------------------------------

    def visit(self, site: str, ticket: str) -> Visit:
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            return repo.find_ticket(
                tx, ref, normalise_ticket(ticket), ticket_day(tx.now, ref.site.timezone), lock=False
            )

    def waiting(self, site: str, limit: int | None = None) -> list[WaitingVisit]:
        """Who is waiting, in the order the policy would call them (ignoring desks)."""
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            stmt = (
                select(visit_t)
                .where(visit_t.c.site_id == ref.id, repo.is_waiting())
                .order_by(
                    visit_t.c.rank_class, visit_t.c.rank_at, visit_t.c.arrived_at, visit_t.c.id
                )
            )
            if limit is not None:
                stmt = stmt.limit(limit)
            result = []
            for row in tx.conn.execute(stmt):
                result.append(
                    WaitingVisit(
                        visit_id=row.id,
                        ticket=row.ticket,
                        service=row.service,
                        state=row.state,
                        arrived_at=row.arrived_at.isoformat(),
                        waiting_minutes=round((tx.now - row.arrived_at).total_seconds() / 60, 1),
                        priority=row.priority,
                        appointment_at=row.appointment_at.isoformat()
                        if row.appointment_at
                        else None,
                        callable=row.callable_at <= tx.now,
                        flags=repo.json.loads(row.flags),
                        desk=row.assigned_desk,
                    )
                )
            return result

    def with_desks(self, site: str) -> list[Visit]:
        """Visits being called, served or parked, by desk."""
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            rows = tx.conn.execute(
                select(visit_t)
                .where(
                    visit_t.c.site_id == ref.id,
                    visit_t.c.state.in_([s.value for s in WITH_DESK]),
                )
                .order_by(visit_t.c.desk, visit_t.c.called_at)
            ).all()
            return [repo.visit_from_row(r, ref.code) for r in rows]

    def visits(self, site: str, day: date | None = None) -> list[Visit]:
        """Every visit of a day (today by default), in check-in order."""
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            day = day or ticket_day(tx.now, ref.site.timezone)
            rows = tx.conn.execute(
                select(visit_t)
                .where(visit_t.c.site_id == ref.id, visit_t.c.ticket_day == day)
                .order_by(visit_t.c.id)
            ).all()
            return [repo.visit_from_row(r, ref.code) for r in rows]

    def calls_since(
        self, site: str, after_id: int = 0, limit: int = 50, *, late_seconds: float = 0
    ) -> list[dict[str, Any]]:
        """Today's calls and recalls after an audit-trail id, oldest first (the display's feed).

        Today is the site's local day: a display opened in the morning shows no call
        from yesterday. With `late_seconds`, calls made in the last that many seconds
        come too, whatever their id: on PostgreSQL a call takes its id when it is made
        but is seen only when its transaction commits, so of two desks calling at once
        the one with the lower id can be seen second. The caller skips those it has."""
        from sqlalchemy import or_

        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            day = ticket_day(tx.now, ref.site.timezone)
            midnight = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(ref.site.timezone))
            newer = event_t.c.id > after_id
            if late_seconds:
                newer = or_(newer, event_t.c.at >= tx.now - timedelta(seconds=late_seconds))
            rows = tx.conn.execute(
                select(
                    event_t.c.id, event_t.c.at, event_t.c.action, event_t.c.desk, visit_t.c.ticket
                )
                .join(visit_t, visit_t.c.id == event_t.c.visit_id)
                .where(
                    visit_t.c.site_id == ref.id,
                    visit_t.c.ticket_day == day,  # today's visits: found by their index
                    event_t.c.site_id == ref.id,
                    event_t.c.action.in_(("called", "recalled")),
                    event_t.c.at >= midnight,
                    newer,
                )
                .order_by(event_t.c.id.desc())
                .limit(limit)
            ).all()
        return [
            {
                "event_id": r.id,
                "at": r.at.isoformat(),
                "ticket": r.ticket,
                "desk": r.desk,
                "recall": r.action == "recalled",
            }
            for r in reversed(rows)
        ]

    def last_event_id(self, site: str) -> int:
        with self.db.transaction(write=False) as tx:
            ref = repo.get_site(tx, site)
            return int(
                tx.conn.execute(
                    select(func.max(event_t.c.id)).where(event_t.c.site_id == ref.id)
                ).scalar()
                or 0
            )

    # -- appointments ------------------------------------------------------------------

    def add_appointment(
        self,
        site: str,
        service: str,
        at: datetime,
        ref: str | None = None,
        *,
        by: Actor | None = None,
    ) -> dict[str, Any]:
        if at.tzinfo is None:
            raise DomainError(
                "an appointment time needs its offset, like 2026-11-24T10:30:00+00:00"
            )
        with self.db.transaction() as tx:
            site_ref = repo.get_site(tx, site)
            booked = self._insert_appointment(tx, site_ref, service, at, ref)
            _booking_step(tx, site_ref, by, "appointment_booked", booked)
            repo.changed(tx, site_ref)  # other consoles list it now, not at their next poll
            return booked

    def _insert_appointment(
        self, tx: Tx, site_ref: repo.SiteRef, service: str, at: datetime, ref: str | None
    ) -> dict[str, Any]:
        chosen = site_ref.site.service(service.strip().lower())
        if ref is not None:
            ref = ref.strip().upper()
            if not _looks_like_ref(ref):
                raise DomainError(
                    f"booking reference {quoted(ref)}: up to 40 letters, digits, - and / only"
                )
            clash = tx.conn.execute(
                select(appointment_t.c.id).where(
                    appointment_t.c.site_id == site_ref.id, appointment_t.c.ref == ref
                )
            ).first()
            if clash is not None:
                raise DomainError(f"booking reference {ref} is already used at {site_ref.code}")
        else:
            ref = self._new_ref(tx, site_ref)
        tx.conn.execute(
            insert(appointment_t).values(
                site_id=site_ref.id,
                ref=ref,
                service=chosen.code,
                at=at,
                status="booked",
                created_at=tx.now,
            )
        )
        return _appointment_json(site_ref, ref, chosen.code, at, "booked")

    def _new_ref(self, tx: Tx, site_ref: repo.SiteRef) -> str:
        prefix = site_ref.code[:3].upper()
        while True:
            ref = prefix + "-" + "".join(secrets.choice(REF_ALPHABET) for _ in range(6))
            taken = tx.conn.execute(
                select(appointment_t.c.id).where(
                    appointment_t.c.site_id == site_ref.id, appointment_t.c.ref == ref
                )
            ).first()
            if taken is None:
                return ref

    def _appointment_for_checkin(self, tx: Tx, ref: repo.SiteRef, booking: str, day: date) -> Any:
        wanted = booking.strip().upper()
        if not _looks_like_ref(wanted):  # a scanner's garbage never reaches the database
            raise NotFound(
                f"no appointment {quoted(wanted)} at {ref.site.name}: please ask at reception"
            )
        stmt = select(appointment_t).where(
            appointment_t.c.site_id == ref.id, appointment_t.c.ref == wanted
        )
        if tx.postgres:
            stmt = stmt.with_for_update()
        row = tx.conn.execute(stmt).first()
        if row is None:
            raise NotFound(f"no appointment {wanted} at {ref.site.name}: please ask at reception")
        if row.status == "cancelled":
            raise DomainError(f"appointment {wanted} was cancelled: please ask at reception")
        if row.status == "arrived":
            raise DomainError(f"appointment {wanted} has already checked in")
        booked_day = ticket_day(row.at, ref.site.timezone)
        if booked_day != day:
            raise DomainError(
                f"appointment {wanted} is on {booked_day:%A %d %B %Y}: please ask at reception"
            )
        return row

    def change_appointment(
        self,
        site: str,
        booking: str,
        *,
        service: str | None = None,
        at: datetime | None = None,
        by: Actor | None = None,
    ) -> dict[str, Any]:
        """Move a booking to another time and/or service (only while it is booked)."""
        if at is not None and at.tzinfo is None:
            raise DomainError("an appointment time needs its offset")
        with self.db.transaction() as tx:
            site_ref = repo.get_site(tx, site)
            row = self._booked(tx, site_ref, booking, "changed")
            code = site_ref.site.service(service.strip().lower()).code if service else row.service
            moment = at or row.at
            tx.conn.execute(
                update(appointment_t)
                .where(appointment_t.c.id == row.id)
                .values(service=code, at=moment)
            )
            changed = _appointment_json(site_ref, row.ref, code, moment, "booked")
            _booking_step(tx, site_ref, by, "appointment_changed", changed)
            repo.changed(tx, site_ref)
            return changed

    def _booked(self, tx: Tx, site_ref: repo.SiteRef, booking: str, action: str) -> Any:
        """The booking's row, when it is still booked (else a clear refusal)."""
        wanted = booking.strip().upper()
        if not _looks_like_ref(wanted):
            raise NotFound(f"no appointment {quoted(wanted)} at {site_ref.code}")
        row = tx.conn.execute(
            select(appointment_t).where(
                appointment_t.c.site_id == site_ref.id, appointment_t.c.ref == wanted
            )
        ).first()
        if row is None:
            raise NotFound(f"no appointment {wanted} at {site_ref.code}")
        if row.status != "booked":
            raise DomainError(f"appointment {wanted} is {row.status}: it cannot be {action}")
        return row

    def cancel_appointment(
        self, site: str, booking: str, *, by: Actor | None = None
    ) -> dict[str, Any]:
        with self.db.transaction() as tx:
            site_ref = repo.get_site(tx, site)
            row = self._booked(tx, site_ref, booking, "cancelled")
            tx.conn.execute(
                update(appointment_t).where(appointment_t.c.id == row.id).values(status="cancelled")
            )
            cancelled = _appointment_json(site_ref, row.ref, row.service, row.at, "cancelled")
            _booking_step(tx, site_ref, by, "appointment_cancelled", cancelled)
            repo.changed(tx, site_ref)
            return cancelled

    def reprinted(
        self, site: str, ticket: str, *, by: Actor | None = None, place: str | None = None
    ) -> None:
        """Record that a ticket was printed again (the audit trail: who, and when)."""
        from shared import audit

        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            visit = repo.find_ticket(
                tx,
                ref,
                normalise_ticket(ticket),
                ticket_day(tx.now, ref.site.timezone),
                lock=False,
            )
            audit.record(
                tx,
                ref.id,
                "ticket_reprinted",
                checked=verify(tx, by) if by else None,
                place=place,
                ticket=visit.ticket,
            )

    def appointments(
        self, site: str, start: date | None = None, end: date | None = None
    ) -> list[dict[str, Any]]:
        """Appointments from `start` to `end` inclusive (local days).

        With neither, today's and every later one; with `start` alone, that day.
        """
        with self.db.transaction(write=False) as tx:
            site_ref = repo.get_site(tx, site)
            zone = ZoneInfo(site_ref.site.timezone)
            first = start or ticket_day(tx.now, site_ref.site.timezone)
            last = end or (start if start else None)
            conditions = [
                appointment_t.c.site_id == site_ref.id,
                appointment_t.c.at >= datetime.combine(first, datetime.min.time(), zone),
            ]
            if last is not None:
                high = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
                conditions.append(appointment_t.c.at < high)
            rows = tx.conn.execute(
                select(appointment_t, visit_t.c.ticket)
                .outerjoin(visit_t, visit_t.c.id == appointment_t.c.visit_id)
                .where(*conditions)
                .order_by(appointment_t.c.at, appointment_t.c.ref)
            ).all()
            return [
                _appointment_json(site_ref, r.ref, r.service, r.at, r.status, r.ticket)
                for r in rows
            ]

    def import_appointments(self, path: str | Path, default_site: str | None = None) -> int:
        """All or nothing: a bad row names its line, and nothing is imported."""
        rows = _read_csv(Path(path))
        with self.db.transaction() as tx:
            count = 0
            for line, record in rows:
                try:
                    if record.get(""):
                        raise DomainError(record[""])
                    code = (record.get("site") or default_site or "").strip()
                    if not code:
                        raise DomainError("no site (add a site column or pass --site)")
                    site_ref = repo.get_site(tx, code)
                    at = _parse_time(record.get("at") or record.get("appointment_at") or "")
                    self._insert_appointment(
                        tx, site_ref, record.get("service") or "", at, record.get("ref") or None
                    )
                except DomainError as error:
                    raise DomainError(
                        f"{path}, line {line}: {error}; nothing was imported"
                    ) from None
                count += 1
            for code in {(r.get("site") or default_site or "").strip() for _, r in rows}:
                repo.changed(tx, repo.get_site(tx, code))
            return count

    # -- kiosks working offline ----------------------------------------------------------

    def reserve_ticket_blocks(
        self, site: str, kiosk: str, holder: str, wanted: Iterable[tuple[date, str]]
    ) -> list[blocks.Block]:
        """Numbers a kiosk keeps to issue while the database is away: a block for each
        (local day, letter) asked for, today or tomorrow, in one transaction (see
        shared/store/blocks.py). `holder` names the kiosk's outbox."""
        if not holder.strip() or len(holder) > 40:
            raise DomainError("a block's holder is the kiosk outbox's id (1 to 40 characters)")
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            today = ticket_day(tx.now, ref.site.timezone)
            letters = {s.letter for s in ref.site.services}
            reserved = []
            for day, letter in sorted(set(wanted)):  # one order everywhere: no deadlocks
                if letter not in letters:
                    raise DomainError(f"no service at {ref.site.name} has the letter {letter!r}")
                if not today <= day <= today + timedelta(days=1):
                    raise DomainError(f"blocks are kept for today and tomorrow, not {day}")
                reserved.append(
                    blocks.reserve(tx, ref.id, ref.code, day, letter, kiosk=kiosk, holder=holder)
                )
            return reserved

    def checkin_offline(
        self,
        site: str,
        service: str,
        *,
        ticket: str,
        day: date,
        arrived_at: datetime,
        kiosk: str,
        holder: str,
        priority: bool = False,
        flags: dict[str, str] | None = None,
    ) -> tuple[Visit, bool]:
        """A check-in a kiosk made while the database was away, sent now. The visit joins
        the queue by its true arrival (the kiosk's clock, which it corrects by the
        difference from the database's it last measured), never later than now; its
        check-in event carries that time too. The number must be from a block kept for
        this kiosk. Idempotent: a ticket already here is returned as it is, with False."""
        from shared.domain.tickets import parse_ticket

        if arrived_at.tzinfo is None:
            raise DomainError("an offline check-in's arrival needs its time zone")
        with self.db.transaction() as tx:
            ref = repo.get_site(tx, site)
            chosen = ref.site.service(service.strip().lower())
            letter, number = parse_ticket(ticket)
            if letter != chosen.letter:
                raise DomainError(f"ticket {ticket} is not a {chosen.name} ticket")
            owner = blocks.block_of(tx, ref.id, day, letter, number)
            if owner is None or owner[1] != holder:
                raise DomainError(f"ticket {ticket} of {day} was not kept for {kiosk}")
            number_text = format_ticket(letter, number)
            existing = tx.conn.execute(
                select(visit_t.c.id).where(
                    visit_t.c.site_id == ref.id,
                    visit_t.c.ticket_day == day,
                    visit_t.c.ticket == number_text,
                )
            ).scalar()
            if existing is not None:
                return repo.load_visit(tx, ref, visit_id=existing, lock=False), False
            arrived = min(arrived_at.astimezone(tx.now.tzinfo), tx.now)
            visit = Visit(
                site=ref.code,
                service=chosen.code,
                ticket=number_text,
                arrived_at=arrived,
                priority=priority,
                flags=dict(flags or {}),
            )
            sent = f"offline at {kiosk[:60]}, reached the database {tx.now.isoformat()}"
            repo.insert_visit(tx, ref, visit, day, None, at=arrived, detail=sent)
            return visit, True


def desk_status(tx: Tx, ref: repo.SiteRef, desk: str) -> str | None:
    """The desk's signed-in status (open or break), None when nobody is signed in."""
    status = tx.conn.execute(
        select(session_t.c.status)
        .where(
            session_t.c.site_id == ref.id,
            session_t.c.desk == desk,
            session_t.c.signed_out_at.is_(None),
        )
        .order_by(session_t.c.id.desc())
        .limit(1)
    ).scalar()
    return None if status is None else str(status)


def desk_staff(tx: Tx, ref: repo.SiteRef, desk: str) -> str | None:
    """Who is signed in at the desk now (its CSA), None when nobody is."""
    name = tx.conn.execute(
        select(session_t.c.staff_name)
        .where(
            session_t.c.site_id == ref.id,
            session_t.c.desk == desk,
            session_t.c.signed_out_at.is_(None),
        )
        .order_by(session_t.c.id.desc())
        .limit(1)
    ).scalar()
    return None if name is None else str(name)


def _time_after_lock(tx: Tx) -> None:
    """A step's time, once the transaction holds the visit's lock. On PostgreSQL the
    transaction's time is read as it begins, and another may commit a step on the same
    visit before this one has the lock (reception greets a visitor while a desk's call
    is on its way to them): the step takes the server's clock again, so a visit's steps
    never go back in time (found by tests/chaos). SQLite's writing transactions hold
    the lock from BEGIN IMMEDIATE on."""
    if tx.postgres:
        moment = tx.conn.execute(text("SELECT clock_timestamp()")).scalar_one()
        tx.now = moment.astimezone(tx.now.tzinfo)


def _refuse_on_break(tx: Tx, ref: repo.SiteRef, desk: str) -> None:
    if desk_status(tx, ref, desk) == "break":
        raise DomainError(f"{desk} is on a break: press Back from break before calling anyone")


def _copy(visit: Visit) -> Visit:
    from copy import deepcopy

    return deepcopy(visit)


def _booking_step(
    tx: Tx, site_ref: repo.SiteRef, by: Actor | None, action: str, booking: dict[str, Any]
) -> None:
    """A booking made, moved or cancelled, in the audit trail when someone signed in did it."""
    if by is None:
        return
    from shared import audit

    audit.record(
        tx,
        site_ref.id,
        action,
        checked=verify(tx, by),
        detail=f"{booking['ref']}: {booking['service']} at {booking['local_time']}",
    )


def _appointment_json(
    site_ref: repo.SiteRef,
    ref: str,
    service: str,
    at: datetime,
    status: str,
    ticket: str | None = None,
) -> dict[str, Any]:
    local = at.astimezone(ZoneInfo(site_ref.site.timezone))
    return {
        "ref": ref,
        "site": site_ref.code,
        "service": service,
        "at": at.isoformat(),
        "local_time": local.strftime("%Y-%m-%d %H:%M"),
        "status": status,
        "ticket": ticket,  # the ticket issued when the visitor arrived
    }


def _looks_like_ref(ref: str) -> bool:
    """A booking reference: 1 to 40 letters, digits, - and /."""
    return 0 < len(ref) <= 40 and all(c.isalnum() or c in "-/" for c in ref)


def _parse_time(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(
            f"{quoted(value)} is not an ISO 8601 time like 2026-11-24T10:30:00+00:00"
        ) from None
    if moment.tzinfo is None:
        raise DomainError(
            f"{quoted(value)} has no UTC offset (write it like 2026-11-24T10:30:00+00:00)"
        )
    if not 1970 <= moment.year <= 2999:
        raise DomainError(f"{quoted(value)} is not between 1970 and 2999")
    return moment


APPOINTMENT_COLUMNS = ("site", "service", "at", "appointment_at", "ref")


def _read_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line where the row starts, its cells by column) for every row that is not blank;
    a file that is not UTF-8 CSV with known columns is refused, naming the line."""
    if not str(path).isprintable():  # it would be repeated in every message
        raise DomainError(f"{quoted(str(path))}: a file name with control characters")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise DomainError(f"cannot read {path}: {error.strerror}") from None
    except ValueError:  # a NUL in the name
        raise DomainError(f"{quoted(str(path))} is not a file name") from None
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Excel's "CSV UTF-8") is fine
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise DomainError(
            f"{path}, line {line}: not UTF-8 text "
            f'(byte 0x{data[error.start]:02X}): save it as "CSV UTF-8"; nothing was imported'
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        names = [n.strip().lower() for n in next(reader, [])]
        if not any(names):
            raise DomainError(f"{path} is empty: expected a header line")
        missing = {"service"} - set(names) | (
            {"at"} - set(names) if "appointment_at" not in names else set()
        )
        unknown = [quoted(n) for n in names if n not in APPOINTMENT_COLUMNS]
        twice = sorted({n for n in names if names.count(n) > 1})
        if missing or unknown or twice:
            problem = (
                f"missing column(s) {', '.join(sorted(missing))}"
                if missing
                else f"unknown column(s) {', '.join(unknown[:5])}"
                if unknown
                else f"column(s) {', '.join(twice)} given twice"
            )
            raise DomainError(
                f"{path}, line 1: {problem} (expected site, service, at and ref; the time "
                "column may be called appointment_at)"
            )
        rows = []
        line = reader.line_num
        for values in reader:
            first, line = line + 1, reader.line_num  # a quoted cell may span lines
            if not any(v.strip() for v in values):
                continue
            cells = {n: v.strip() for n, v in zip(names, values, strict=False)}
            # A row the file itself spoils, reported in its turn (the "" key: no column).
            if len(values) > len(names):
                cells[""] = f"{len(values)} cells, but the header has {len(names)} columns"
            elif any("\x00" in v for v in values):  # PostgreSQL cannot store it
                cells[""] = "a cell holds a NUL character: is this a text file?"
            rows.append((first, cells))
        return rows
    except csv.Error as error:  # a quote left open swallows the rest of the file
        raise DomainError(
            f"{path}, line {reader.line_num}: {error} (a double quote never closed?)"
        ) from None
