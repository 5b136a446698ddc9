"""The kiosk's link to the database, run step by step on a worker thread (never the
screen's): is the database there, what is its clock, send what the outbox holds,
keep enough reserved numbers, and tell reception what happened meanwhile.

`step()` does one round and says whether the database answered. The presenter runs
a step every second, so a kiosk whose database comes back is online again within
about a second of it accepting connections (plus the 3 s connection timeout when
the server is unreachable rather than refusing).

No Qt here (the unit tests run it as it is).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from kiosk.outbox import OfflineCheckin, Outbox, OutboxError
from shared.domain import DomainError, Site
from shared.domain.tickets import ticket_day
from shared.notices import Notices
from shared.office import Office
from shared.store.tables import site_t

LOW_WATER = 20  # reserve another block when fewer numbers than this are left
CLOCK_WRITE_SECONDS = 0.5  # write a new clock difference to disk only when it moved this much
RETRY_BLOCKS_SECONDS = 60  # after the outbox could not keep a block, wait before asking again


def short(error: BaseException) -> str:
    """The database's own words, first line only (no SQL, no parameters)."""
    text = str(error.orig if isinstance(error, DBAPIError) else error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__


def unreachable(error: BaseException) -> bool:
    """The database cannot be reached (down, the network gone, the file unavailable),
    as opposed to a refusal or a bug."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


@dataclass
class LinkReport:
    online: bool | None  # None: the step failed otherwise, so nobody knows
    started: float = 0.0  # time.monotonic() when the step began
    sent: list[OfflineCheckin] = field(default_factory=list)
    failed: list[tuple[OfflineCheckin, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    error: str | None = None  # why the database was not reached


class Link:
    def __init__(
        self,
        office: Office,
        outbox: Outbox | None,
        site: str,
        kiosk: str,
        clock: Callable[[], datetime],
    ) -> None:
        self.office = office
        self.notices = Notices(office.db)
        self.outbox = outbox
        self.site_code = site
        self.site: Site | None = None
        self.kiosk = kiosk
        self.clock = clock  # this PC's clock (aware)
        self.offset = outbox.clock_offset if outbox is not None else timedelta(0)
        self._messages: list[tuple[str, str, str]] = []  # (raise | resolve, kind, detail)
        self._lock = threading.Lock()
        self._blocks_retry_at = 0.0
        self._forgot_before: Any = None

    # -- the site ------------------------------------------------------------------------

    def load_site(self) -> tuple[Site, bool]:
        """The site's configuration from the database (kept in the outbox for a start
        while it is away), else the kept one; and whether the database answered."""
        from shared.config import parse_site

        try:
            site = self.office.site(self.site_code)  # a clear NotFound for an unknown site
            with self.office.db.transaction(write=False) as tx:
                config = tx.conn.execute(
                    select(site_t.c.config).where(site_t.c.code == site.code)
                ).scalar_one()
        except SQLAlchemyError as error:
            kept = self.outbox.site_config(self.site_code) if self.outbox is not None else None
            if not unreachable(error) or kept is None:
                raise
            self.site = parse_site(kept, f"the kiosk's copy of {self.site_code}")
            return self.site, False
        if self.outbox is not None:
            try:
                self.outbox.remember_site(site.code, config)
            except OutboxError as error:
                self.tell_reception("raise", "kiosk", self.cannot_keep(error))
        self.site = site
        return site, True

    # -- what reception should hear once the database is back ----------------------------

    def tell_reception(self, action: str, kind: str, detail: str = "") -> None:
        """Raise (or resolve) an alert at the next step that reaches the database."""
        with self._lock:
            self._messages.append((action, kind, detail))

    # -- one round -------------------------------------------------------------------------

    def step(self) -> LinkReport:
        """One round. A refusal that is not the database being away (a permission the
        kiosk's login lacks, after an upgrade whose grants were not run again) is told
        to reception and leaves the kiosk online: its normal check-ins still work."""
        report = LinkReport(online=False, started=time.monotonic())
        try:
            db_now = self._measure_clock()
            self._send(report)
            try:
                self._top_up(db_now, report)
            except SQLAlchemyError as error:
                if unreachable(error):
                    raise
                self._outbox_broken(f"the database refused its numbers: {short(error)}", report)
            self._deliver_messages(report)
        except SQLAlchemyError as error:
            if not unreachable(error):
                raise
            report.error = short(error)
            report.online = False
            return report
        report.online = True
        return report

    def _measure_clock(self) -> datetime:
        before = self.clock()
        with self.office.db.transaction(write=False) as tx:
            db_now = tx.now
        after = self.clock()
        offset = db_now - (before + (after - before) / 2)
        if self.outbox is not None and abs(offset - self.offset).total_seconds() > (
            CLOCK_WRITE_SECONDS
        ):
            with contextlib.suppress(OutboxError):  # kept in memory; _top_up tells reception
                self.outbox.set_clock_offset(offset.total_seconds())
        self.offset = offset
        return db_now

    def _send(self, report: LinkReport) -> None:
        if self.outbox is None:
            return
        for entry in self.outbox.pending():
            try:
                visit, _added = self.office.checkin_offline(
                    entry.site,
                    entry.service,
                    ticket=entry.ticket,
                    day=entry.day,
                    arrived_at=entry.arrived_at,
                    kiosk=self.kiosk,
                    holder=self.outbox.holder,
                    priority=entry.priority,
                    flags=entry.flags,
                )
            except DomainError as error:
                self.outbox.mark_failed(entry.id, str(error))
                report.failed.append((entry, str(error)))
                self.tell_reception("raise", "kiosk", self._rejected(entry, str(error)))
                continue
            except SQLAlchemyError as error:
                if unreachable(error):
                    raise
                # Refused for another reason (a missing grant...): kept, tried again.
                report.problems.append(f"{entry.ticket} not sent: {short(error)}")
                self.tell_reception(
                    "raise", "kiosk", f"{self.kiosk} cannot send offline ticket {entry.ticket}"
                )
                return
            try:
                self.outbox.mark_sent(entry.id, visit.id or 0, datetime.now(UTC))
            except OutboxError as error:  # sent; sending it again later adds nothing
                report.problems.append(str(error))
                return
            report.sent.append(entry)

    def _top_up(self, db_now: datetime, report: LinkReport) -> None:
        """Enough numbers for every letter, today and tomorrow (a morning that starts
        with the network down still has its numbers)."""
        site = self.site
        if site is None or self.outbox is None or time.monotonic() < self._blocks_retry_at:
            return
        today = ticket_day(db_now, site.timezone)
        days = [today, ticket_day(db_now + timedelta(days=1), site.timezone)]
        try:
            if self._forgot_before != today:
                self.outbox.forget_before(today)
                self._forgot_before = today
            left = self.outbox.numbers_left(site.code, days)
        except OutboxError as error:
            self._outbox_broken(error, report)
            return
        letters = sorted({s.letter for s in site.services})
        wanted = [(d, x) for d in days for x in letters if left.get((d, x), 0) < LOW_WATER]
        if not wanted:
            return
        blocks = self.office.reserve_ticket_blocks(
            site.code, self.kiosk, self.outbox.holder, wanted
        )
        try:
            self.outbox.add_blocks(blocks)
        except OutboxError as error:  # those numbers are lost, never issued twice
            self._outbox_broken(error, report)

    def _outbox_broken(self, error: object, report: LinkReport) -> None:
        self._blocks_retry_at = time.monotonic() + RETRY_BLOCKS_SECONDS
        report.problems.append(str(error))
        self.tell_reception("raise", "kiosk", self.cannot_keep(error))

    def _deliver_messages(self, report: LinkReport) -> None:
        with self._lock:
            messages, self._messages = self._messages, []
        try:
            while messages:
                action, kind, detail = messages[0]
                try:
                    if action == "raise":  # (an alert's detail holds 300 characters)
                        self.notices.raise_alert(self.site_code, kind, self.kiosk, detail[:300])
                    else:
                        self.notices.resolve(self.site_code, kind=kind, source=self.kiosk)
                except DomainError:
                    pass  # a site or kind the database does not know: nobody to tell
                except SQLAlchemyError as error:
                    if unreachable(error):
                        raise
                    report.problems.append(f"reception not told ({short(error)}): {detail}")
                messages.pop(0)
        finally:
            if messages:  # the database went away meanwhile: the rest next time
                with self._lock:
                    self._messages = messages + self._messages

    # -- words for reception ---------------------------------------------------------------

    def cannot_keep(self, error: object) -> str:
        return (
            f"{self.kiosk} cannot keep tickets for when the network fails ({error}): "
            "if the database is unreachable it will send visitors to reception"
        )

    def _rejected(self, entry: OfflineCheckin, error: str) -> str:
        zone = ZoneInfo(self.site.timezone if self.site else "Europe/London")
        return (
            f"Offline ticket {entry.ticket} ({entry.service}, arrived "
            f"{entry.arrived_at.astimezone(zone):%H:%M}) could not join the queue: {error}. "
            "Please add the visitor at reception"
        )
