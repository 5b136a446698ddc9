"""The kiosk's logic: the screens call it, it calls the core, and answers with signals.

Database work is quick and stays on the GUI thread's event loop turn; printing
(which can block for seconds on a dead network printer) runs on a worker thread.

When the database cannot be reached the kiosk works offline: walk-ins get numbers
from the blocks this kiosk reserved (kiosk/outbox.py), each written to disk before
its ticket prints, and the link (kiosk/link.py, a step every second on a worker of
its own) sends them once the database answers again, with their true arrival
times. Offline, nothing on the screen's thread waits for the database: the notices
last read and the site's hours stand. Bookings cannot be looked up and reception
cannot be alerted, so those visitors are sent to the reception desk.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import asdict, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from sqlalchemy.exc import SQLAlchemyError

from kiosk.link import Link, LinkReport, unreachable
from kiosk.outbox import NoNumberLeft, Outbox, OutboxError, outbox_path
from shared.domain import DomainError, NotFound, Site
from shared.domain.tickets import ticket_day
from shared.notices import Notice, Notices
from shared.office import CheckinResult, Office
from shared.printing import print_ticket, ticket_for_checkin
from shared.qt.jobs import tell

LINK_SECONDS = 1.0  # how often the link looks for the database (and sends what waits)


class _PrintJob(QRunnable):
    def __init__(
        self,
        presenter: KioskPresenter,
        site: Site,
        result: CheckinResult,
        notice: Notice,
        labels: dict[str, str],
        language: str,
        offline: bool = False,
    ) -> None:
        super().__init__()
        self.presenter = presenter
        self.args = (site, result, notice, labels, language)
        self.offline = offline

    def run(self) -> None:
        site, result, notice, labels, language = self.args
        ticket = ticket_for_checkin(site, result, notice)
        if self.offline:  # nobody knows the queue just now: no count, no wait
            ticket = replace(ticket, ahead=None, estimated_wait_minutes=None)
        translated = labels.get(f"service:{result.service}")
        if translated:  # the visitor's language on the ticket too
            ticket = replace(ticket, service_name=translated)
        outcome = print_ticket(
            site, ticket, self.presenter.printer, labels=labels, language=language
        )
        tell(self.presenter, "print_finished", result.ticket, asdict(outcome))


class _ProbeJob(QRunnable):
    def __init__(self, presenter: KioskPresenter) -> None:
        super().__init__()
        self.presenter = presenter

    def run(self) -> None:
        from shared.devices.printer import PrinterError, PrinterSpec, TicketPrinter

        site = self.presenter.site
        try:
            spec = PrinterSpec.parse(self.presenter.printer or site.tickets.printer)
            status = TicketPrinter(spec, site.tickets, ask_status=site.tickets.ask_status).probe()
        except PrinterError:
            return
        if not status.known:  # a printer that only takes bytes is back when a ticket prints
            return
        tell(self.presenter, "print_finished", "", {"printed": True, "warning": status.warning})


class _TestPrintJob(QRunnable):
    def __init__(self, presenter: KioskPresenter) -> None:
        super().__init__()
        self.presenter = presenter

    def run(self) -> None:
        from datetime import UTC

        from shared.printing import build_ticket

        site = self.presenter.site
        ticket = build_ticket(
            site,
            ticket="T000",
            service=site.services[0].code,
            issued_at=datetime.now(UTC),
            ahead=0,
            estimated_wait_minutes=0,
        )
        outcome = print_ticket(site, ticket, self.presenter.printer)
        tell(self.presenter, "test_printed", outcome)
        if outcome.printed:
            tell(self.presenter, "print_finished", "", {"printed": True})


class _LinkJob(QRunnable):
    """One step of the link, on the link's own worker."""

    def __init__(self, presenter: KioskPresenter) -> None:
        super().__init__()
        self.presenter = presenter
        self.link = presenter.link

    def run(self) -> None:
        started = time.monotonic()
        try:
            report = self.link.step()
        except Exception as error:  # never a traceback on a worker: try again next second
            report = LinkReport(
                online=None, started=started, error=f"{type(error).__name__}: {error}"
            )
        tell(self.presenter, "link_reported", report)


class KioskPresenter(QObject):
    # Payloads travel as Python objects (no conversion to Qt types on the way).
    issued = Signal(object)  # dict: the check-in: ticket, service, ahead, estimated wait...
    print_finished = Signal(str, object)  # ticket, PrintOutcome as a dict
    refused = Signal(str, str)  # kind (not_found | error | closed), message
    help_raised = Signal()
    test_printed = Signal(object)  # PrintOutcome
    printer_state = Signal(object, str)  # working (bool), message
    online_changed = Signal(bool)  # the database answers again (True) or not (False)
    # Offline, a visitor the kiosk cannot serve is sent to the reception desk: why
    # (help_offline | appointment_offline | unavailable).
    sent_to_reception = Signal(str)
    link_reported = Signal(object)  # LinkReport, from the link's worker

    def __init__(
        self,
        office: Office,
        site: str,
        *,
        printer: str | None = None,
        name: str = "Kiosk 1",
        clock: Any = None,
        always_open: bool = False,
        log: Any = None,
        outbox: Outbox | None = None,
    ) -> None:
        """`outbox`: where offline check-ins go (by default a file in the data folder for
        this database, site and kiosk name). Raises NotFound for an unknown site, and the
        database's error when it cannot be reached and no copy of the site is kept."""
        super().__init__()
        self.log = log  # an EventLog, or None
        self.always_open = always_open  # ignore the opening hours (reception can still close)
        self.clock = clock  # returns an aware datetime; None: this PC's clock
        self.office = office
        self.notices = Notices(office.db)
        self.printer = printer
        self.name = name
        self.outbox_problem = ""
        if outbox is None:
            from shared.store.db import data_dir

            try:
                outbox = Outbox(outbox_path(data_dir(), office.db.url, site, name))
            except (OSError, OutboxError) as error:  # it works, but cannot work offline
                self.outbox_problem = str(error)
        self.outbox = outbox
        self.offline_ok = outbox is not None  # offline check-ins can be recorded
        self.link = Link(office, outbox, site, name, self.kiosk_now)
        if outbox is None:
            self.link.tell_reception("raise", "kiosk", self.link.cannot_keep(self.outbox_problem))
        self.site: Site
        self.site, self.online = self.link.load_site()
        self._notice = Notice()
        self._offline_at = 0.0 if self.online else time.monotonic()
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one printer, one ticket at a time, in order
        self.printer_ok = True
        self.paper_low = False
        self.labels: dict[str, str] = {}
        self.language = "en"
        self.print_finished.connect(self._after_print)
        # The link: its own worker (a dead network must not hold up a ticket), one step
        # at a time, every second; the first now (the day's blocks of numbers).
        self.link_pool = QThreadPool(self)
        self.link_pool.setMaxThreadCount(1)
        self._link_running = False
        self.link_reported.connect(self._after_link)
        self.link_timer = QTimer(self, interval=int(LINK_SECONDS * 1000))
        self.link_timer.timeout.connect(self.step_link)
        self.link_timer.start()
        self.step_link()

    # -- questions the screens ask -------------------------------------------------------

    def kiosk_now(self) -> datetime:
        """This kiosk's clock (aware)."""
        return self.clock() if self.clock else datetime.now(UTC)

    def notice(self) -> Notice:
        """Reception's notices; offline, the last ones read."""
        if self.online:
            try:
                self._notice = self.notices.notice(self.site.code)
            except SQLAlchemyError as error:
                self._offline(error)
        return self._notice

    def is_open(self, now: datetime | None = None) -> bool:
        if self.notice().closed:
            return False
        if self.always_open:
            return True
        zone = ZoneInfo(self.site.timezone)
        moment = now or (self.clock() if self.clock else datetime.now(zone))
        local = moment.astimezone(zone)
        return not self.site.opening_hours.days or self.site.opening_hours.is_open(local)

    # -- actions -------------------------------------------------------------------------

    def check_in(self, service: str, flags: dict[str, str]) -> None:
        self._issue(
            lambda: self.office.checkin(self.site.code, service, flags=flags),
            offline=(service, flags),
        )

    @Slot(str)
    def check_in_appointment(self, reference: str) -> None:
        cleaned = "".join(reference.split()).upper()
        if not cleaned:
            self.refused.emit("not_found", "")
            return
        self._issue(lambda: self.office.checkin(self.site.code, appointment=cleaned))

    @Slot()
    def request_help(self) -> None:
        if self._alert("help", "A visitor asked for help at the kiosk"):
            self.help_raised.emit()
            return
        local = self.kiosk_now().astimezone(ZoneInfo(self.site.timezone))
        self.link.tell_reception(
            "raise",
            "help",
            f"A visitor asked for help at the kiosk at {local:%H:%M}, while it was offline: "
            "it sent them to the reception desk",
        )
        self.sent_to_reception.emit("help_offline")

    def _issue(self, action: Any, offline: tuple[str, dict[str, str]] | None = None) -> None:
        """Check in online; when the database cannot be reached, a walk-in (`offline`:
        service and flags) is checked in from the outbox, and a booking is sent to
        reception."""
        if not self.is_open():  # closed by the hours or by reception: no tickets
            self.refused.emit("closed", self.notice().closed_message or "")
            return
        if self.online:
            try:
                result = action()
            except NotFound as error:
                self.refused.emit("not_found", str(error))
                return
            except DomainError as error:
                self.refused.emit("error", str(error))
                return
            except SQLAlchemyError as error:
                self._offline(error)
            else:
                self._issued(result)
                return
        if offline is None:
            self.sent_to_reception.emit("appointment_offline")
        else:
            self._issue_offline(*offline)

    def _issue_offline(self, service: str, flags: dict[str, str]) -> None:
        """A number from this kiosk's block, on disk before anything is shown or printed;
        when it cannot be recorded, no number at all."""
        chosen = self.site.service(service)
        now = self.kiosk_now()
        try:
            if self.outbox is None:
                raise OutboxError(self.outbox_problem or "no outbox")
            entry = self.outbox.issue(
                site=self.site.code,
                day=ticket_day(now + self.link.offset, self.site.timezone),
                letter=chosen.letter,
                service=chosen.code,
                kiosk_clock=now,
                offset=self.link.offset,
                flags=flags,
            )
        except OutboxError as error:
            self._log("checkin_unavailable", service=chosen.code, error=str(error))
            if not isinstance(error, NoNumberLeft) and self.offline_ok:
                self.offline_ok = False  # the banner says so until a check-in is recorded
                self.online_changed.emit(False)
            local = now.astimezone(ZoneInfo(self.site.timezone))
            self.link.tell_reception(
                "raise",
                "kiosk",
                f"{self.name} could not check a visitor in at {local:%H:%M} while the "
                f"database was unreachable ({error}): it sent them to the reception desk",
            )
            self.sent_to_reception.emit("unavailable")
            return
        if not self.offline_ok:
            self.offline_ok = True
            self.online_changed.emit(False)
        result = CheckinResult(
            visit_id=0,
            ticket=entry.ticket,
            service=chosen.code,
            ahead=0,
            estimated_wait_minutes=0,
            site=self.site.code,
            arrived_at=entry.arrived_at.isoformat(),
        )
        self._log("checked_in_offline", ticket=entry.ticket, service=chosen.code, key=entry.key)
        self.issued.emit(result.as_json() | {"offline": True})
        self.pool.start(
            _PrintJob(
                self,
                self.site,
                result,
                self._notice,
                dict(self.labels),
                self.language,
                offline=True,
            )
        )

    def _issued(self, result: CheckinResult) -> None:
        self._log(
            "checked_in",
            ticket=result.ticket,
            service=result.service,
            ahead=result.ahead,
            estimated_wait_minutes=result.estimated_wait_minutes,
        )
        self.issued.emit(result.as_json() | {"offline": False})
        self.pool.start(
            _PrintJob(self, self.site, result, self.notice(), dict(self.labels), self.language)
        )

    def _after_print(self, ticket: str, outcome: dict[str, Any]) -> None:
        if ticket:
            self._log(
                "ticket_printed" if outcome["printed"] else "ticket_not_printed",
                ticket=ticket,
                printer=outcome.get("printer"),
                preview=outcome.get("preview"),
                error=outcome.get("error"),
            )
        if outcome["printed"]:
            if outcome.get("warning"):  # it still prints: reception changes the roll soon
                self._alert("printer", outcome["warning"])
            elif not self.printer_ok or self.paper_low:
                self._alert("printer", None, resolve=True)
            self.paper_low = bool(outcome.get("warning"))
            self.printer_ok = True
            self.printer_state.emit(True, "")
            return
        self.printer_ok = False
        reason = "out of paper" if outcome["out_of_paper"] else "not working"
        self._alert(
            "printer", f"Ticket printer {reason} (last ticket {ticket}): {outcome['error']}"
        )
        self.printer_state.emit(False, outcome["error"] or "")

    # -- the database away and back -----------------------------------------------------------

    def _alert(self, kind: str, detail: str | None, *, resolve: bool = False) -> bool:
        """Raise (or resolve) this kiosk's alert now; offline, once the database is back.
        True when reception has it now."""
        if self.online:
            try:
                if resolve:
                    self.notices.resolve(self.site.code, kind=kind, source=self.name)
                else:
                    self.notices.raise_alert(self.site.code, kind, self.name, detail)
                return True
            except SQLAlchemyError as error:
                self._offline(error)
        self.link.tell_reception("resolve" if resolve else "raise", kind, detail or "")
        return False

    def _offline(self, error: SQLAlchemyError) -> None:
        """The database did not answer (anything else is not ours to handle)."""
        if not unreachable(error):
            raise error
        self._offline_at = time.monotonic()
        if self.online:
            self.online = False
            self._log("offline", error=str(getattr(error, "orig", None) or error))
            self.online_changed.emit(False)

    def step_link(self) -> None:
        """One step of the link on its worker, unless one is still running."""
        if self._link_running:
            return
        self._link_running = True
        self.link_pool.start(_LinkJob(self))

    def _after_link(self, report: LinkReport) -> None:
        self._link_running = False
        for entry in report.sent:
            self._log("offline_ticket_sent", ticket=entry.ticket, key=entry.key)
        for entry, error in report.failed:
            self._log("offline_ticket_refused", ticket=entry.ticket, key=entry.key, error=error)
        for problem in report.problems:
            self._log("outbox_problem", error=problem)
        if report.online is None:  # the step failed for want of something else: as it was
            self._log("link_failed", error=report.error)
        elif report.online and not self.online and report.started > self._offline_at:
            self.online = True  # (a step begun before the last failure proves nothing)
            self._log("online")
            self.online_changed.emit(True)
        elif report.online is False and self.online:
            self._offline_at = time.monotonic()
            self.online = False
            self._log("offline", error=report.error)
            self.online_changed.emit(False)

    def _log(self, event: str, **details: Any) -> None:
        """The event log; a full disk must not stop a check-in."""
        if self.log is None:
            return
        with contextlib.suppress(OSError):
            self.log.write(event, site=self.site.code, **details)

    def print_test(self) -> None:
        """Print a sample ticket (staff, from the settings screen); answers `test_printed`."""
        self.pool.start(_TestPrintJob(self))

    def probe_printer(self) -> None:
        """While the printer is down, ask it now and then whether it is back."""
        if not self.printer_ok:
            self.pool.start(_ProbeJob(self))

    def wait_for_printing(self, milliseconds: int = 10_000) -> bool:
        return self.pool.waitForDone(milliseconds)
