"""The kiosk's logic: the screens call it, it calls the core, and answers with signals.

Database work is quick and stays on the GUI thread's event loop turn; printing
(which can block for seconds on a dead network printer) runs on a worker thread.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from shared.domain import DomainError, NotFound, Site
from shared.notices import Notice, Notices
from shared.office import CheckinResult, Office
from shared.printing import print_ticket, ticket_for_checkin
from shared.qt.jobs import tell


class _PrintJob(QRunnable):
    def __init__(
        self,
        presenter: KioskPresenter,
        site: Site,
        result: CheckinResult,
        notice: Notice,
        labels: dict[str, str],
        language: str,
    ) -> None:
        super().__init__()
        self.presenter = presenter
        self.args = (site, result, notice, labels, language)

    def run(self) -> None:
        site, result, notice, labels, language = self.args
        ticket = ticket_for_checkin(site, result, notice)
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


class KioskPresenter(QObject):
    # Payloads travel as Python objects (no conversion to Qt types on the way).
    issued = Signal(object)  # dict: the check-in: ticket, service, ahead, estimated wait...
    print_finished = Signal(str, object)  # ticket, PrintOutcome as a dict
    refused = Signal(str, str)  # kind (not_found | error | closed), message
    help_raised = Signal()
    test_printed = Signal(object)  # PrintOutcome
    printer_state = Signal(object, str)  # working (bool), message

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
    ) -> None:
        super().__init__()
        self.log = log  # an EventLog, or None
        self.always_open = always_open  # ignore the opening hours (reception can still close)
        self.clock = clock  # returns an aware datetime; None: this PC's clock
        self.office = office
        self.notices = Notices(office.db)
        self.site: Site = office.site(site)
        self.printer = printer
        self.name = name
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # one printer, one ticket at a time, in order
        self.printer_ok = True
        self.paper_low = False
        self.labels: dict[str, str] = {}
        self.language = "en"
        self.print_finished.connect(self._after_print)

    # -- questions the screens ask -------------------------------------------------------

    def notice(self) -> Notice:
        return self.notices.notice(self.site.code)

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
        self._issue(lambda: self.office.checkin(self.site.code, service, flags=flags))

    @Slot(str)
    def check_in_appointment(self, reference: str) -> None:
        cleaned = "".join(reference.split()).upper()
        if not cleaned:
            self.refused.emit("not_found", "")
            return
        self._issue(lambda: self.office.checkin(self.site.code, appointment=cleaned))

    @Slot()
    def request_help(self) -> None:
        self.notices.raise_alert(
            self.site.code, "help", self.name, "A visitor asked for help at the kiosk"
        )
        self.help_raised.emit()

    def _issue(self, action: Any) -> None:
        if not self.is_open():  # closed by the hours or by reception: no tickets
            self.refused.emit("closed", self.notice().closed_message or "")
            return
        try:
            result = action()
        except NotFound as error:
            self.refused.emit("not_found", str(error))
            return
        except DomainError as error:
            self.refused.emit("error", str(error))
            return
        if self.log is not None:
            self.log.write(
                "checked_in",
                site=self.site.code,
                ticket=result.ticket,
                service=result.service,
                ahead=result.ahead,
                estimated_wait_minutes=result.estimated_wait_minutes,
            )
        self.issued.emit(result.as_json())
        self.pool.start(
            _PrintJob(self, self.site, result, self.notice(), dict(self.labels), self.language)
        )

    def _after_print(self, ticket: str, outcome: dict[str, Any]) -> None:
        if ticket and self.log is not None:
            self.log.write(
                "ticket_printed" if outcome["printed"] else "ticket_not_printed",
                site=self.site.code,
                ticket=ticket,
                printer=outcome.get("printer"),
                preview=outcome.get("preview"),
                error=outcome.get("error"),
            )
        if outcome["printed"]:
            if outcome.get("warning"):  # it still prints: reception changes the roll soon
                self.notices.raise_alert(self.site.code, "printer", self.name, outcome["warning"])
            elif not self.printer_ok or self.paper_low:
                self.notices.resolve(self.site.code, kind="printer", source=self.name)
            self.paper_low = bool(outcome.get("warning"))
            self.printer_ok = True
            self.printer_state.emit(True, "")
            return
        self.printer_ok = False
        reason = "out of paper" if outcome["out_of_paper"] else "not working"
        self.notices.raise_alert(
            self.site.code,
            "printer",
            self.name,
            f"Ticket printer {reason} (last ticket {ticket}): {outcome['error']}",
        )
        self.printer_state.emit(False, outcome["error"] or "")

    def print_test(self) -> None:
        """Print a sample ticket (staff, from the settings screen); answers `test_printed`."""
        self.pool.start(_TestPrintJob(self))

    def probe_printer(self) -> None:
        """While the printer is down, ask it now and then whether it is back."""
        if not self.printer_ok:
            self.pool.start(_ProbeJob(self))

    def wait_for_printing(self, milliseconds: int = 10_000) -> bool:
        return self.pool.waitForDone(milliseconds)
