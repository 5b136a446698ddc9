"""The reception console: `onestop reception --site S`.

The live waiting list (walk-ins, and appointments in their own list by appointed
time), one-touch Greet, visitors added by hand, appointments booked and
cancelled, service and priority changed, left, reprint; the delay notice; alerts
that cannot be missed; desks at a glance; today's figures. Refreshed when the
queue changes (the store's notification) and every few seconds, as waits grow.

Reception signs in with name and PIN (the bar along the top), so that what it does
is recorded with who did it. Once the site has an account for reception (a
receptionist, supervisor or admin), nothing that changes a visit, a booking or the
notices is done until someone signs in; a safety alarm can always be acknowledged.
A supervisor signs in on the Supervisor tab (or at the top): the day's alarms and
alerts, the audit trail, Reports; their sign-in there lasts half an hour.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDateTime, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from reception.audit_view import AuditView
from reception.figures import today_figures
from reception.safety import SafetyBanner, bring_forward, when
from shared.access import SUPERVISORS, Actor
from shared.devices.ticket import Ticket
from shared.domain import DomainError, NotAllowed, NotSignedIn, Site, State
from shared.eventlog import EventLog
from shared.notices import Notices
from shared.office import Office
from shared.qt.actions import GuardedActions
from shared.qt.housekeeping import DailyPurge
from shared.qt.jobs import tell
from shared.staff import Staff

STYLE = """
QWidget#reception {{ background: #ffffff; }}
QLabel {{ color: #0b0c0c; font-size: {base}px; }}
QLabel#alerts {{ background: #0b0c0c; color: #ffdd00; font-size: {alerts}px; font-weight: bold;
    padding: {pad}px 8px; }}
QLabel#figures {{ font-size: {figures}px; font-weight: bold; }}
QLabel#error {{ background: #ffdd00; color: #0b0c0c; font-weight: bold; padding: 4px; }}
QLabel#status {{ background: #e8f1f8; color: #0b0c0c; font-size: {figures}px; font-weight: bold;
    padding: 3px 6px; border-left: 6px solid #005a87; }}
QWidget#who {{ background: #e8f1f8; }}
QWidget#who[needed="true"] {{ background: #ffdd00; }}
QLabel#who_text {{ font-weight: bold; }}
QWidget#who QPushButton {{ min-height: {field}px; padding: 0px 8px; }}
QWidget#who QLineEdit {{ min-height: {field}px; }}
QPushButton {{ background: #005a87; color: white; font-size: {base}px; font-weight: bold;
    min-height: {button}px; border: 2px solid #0b0c0c; border-radius: 5px; padding: 2px 10px; }}
QPushButton#greet {{ font-size: {greet}px; min-height: {button}px; }}
QTableWidget {{ font-size: {base}px; }}
QHeaderView::section {{ font-size: {small}px; padding: 2px 4px; }}
QTabBar::tab {{ font-size: {small}px; padding: {pad}px 6px; }}
QTabBar::tab:selected {{ font-weight: bold; }}
QCheckBox, QLineEdit, QComboBox, QSpinBox, QDateTimeEdit {{ font-size: {base}px; }}
"""
SIZES = {  # a reception PC's screen, and a quarter of one (the demo, a small monitor)
    False: {
        "base": 15,
        "small": 14,
        "alerts": 20,
        "pad": 6,
        "figures": 17,
        "greet": 20,
        "button": 36,
        "field": 26,
    },
    True: {
        "base": 14,
        "small": 13,
        "alerts": 16,
        "pad": 3,
        "figures": 14,
        "greet": 17,
        "button": 28,
        "field": 22,
    },
}
COMPACT_BELOW = (1200, 700)  # width, height: smaller type and rows below either
ROW_HEIGHTS = {False: 28, True: 23}
KEY = Qt.ItemDataRole.UserRole  # each row's ticket, booking reference or alert id
NEEDS = [  # the kiosk's questions (shared/config.py QUESTIONS), as reception asks them
    ("private_room", "Private room"),
    ("hearing_loop", "Hearing loop"),
    ("step_free_access", "Step-free access"),
]
LATE_SHOWN = (6, 4)  # tickets named in the alerts bar, then compact (the Alerts tab: all)
PRINTER_SOURCE = "Reception"  # the printer alert's source: reception's own printer
PLACE = "Reception"  # where reception's sign-ins are (the audit trail's "where")
SUPERVISOR_FOR = timedelta(minutes=30)  # a supervisor's sign-in on the Supervisor tab
RECEPTION_ROLES = ("receptionist", *SUPERVISORS)  # a site with one of these signs in
LATE_GREET = QColor("#ffdd00")  # yellow: past the greet target, not yet greeted
LATE_SERVE = QColor("#0b0c0c")  # black with yellow text: past the serve target


class _PrintJob(QRunnable):
    """One ticket to the printer, off the GUI thread (a dead network printer blocks for
    seconds); answers through the window's `printed` signal."""

    def __init__(self, window: ReceptionWindow, site: Site, ticket: Ticket) -> None:
        super().__init__()
        self.window = window
        self.site = site
        self.ticket = ticket
        self.printer = window.printer

    def run(self) -> None:
        from shared.printing import print_ticket

        outcome = print_ticket(self.site, self.ticket, self.printer)
        tell(self.window, "printed", self.ticket.ticket, outcome)


class ReceptionWindow(GuardedActions, QWidget):
    printed = Signal(str, object)  # ticket number, PrintOutcome (from a print job)

    def __init__(
        self,
        office: Office,
        site: str,
        *,
        log: EventLog,
        printer: str | None = None,
        clock: Any = None,
    ) -> None:
        super().__init__()
        self.setObjectName("reception")
        self._tables: list[QTableWidget] = []
        self.compact: bool | None = None
        self.office = office
        self.notices = Notices(office.db)
        self.staff = Staff(office.db)
        self.site = office.site(site)
        self.zone = ZoneInfo(self.site.timezone)
        self.log = log
        self.printer = printer
        self.clock = clock or (lambda: datetime.now(UTC))
        self.setWindowTitle(f"OneStop reception — {self.site.name}")
        root = QVBoxLayout(self)
        root.setContentsMargins(6, 6, 6, 6)
        root.setSpacing(4)
        self.safety = SafetyBanner(self.site.timezone, self._sound_dir(), self)
        self.safety.acknowledge.connect(lambda: self._guard(self.acknowledge_alarms))
        root.addWidget(self.safety)
        self.alerts = QLabel("")
        self.alerts.setObjectName("alerts")
        self.alerts.setWordWrap(True)
        root.addWidget(self.alerts)
        self.actor: Actor | None = None  # who is signed in at reception
        self.supervisor_actor: Actor | None = None  # the supervisor of the Supervisor tab
        self.sign_in_needed = False  # the site has accounts for reception
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        root.addWidget(self.error)
        self.status = QLabel("")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setVisible(False)
        root.addWidget(self.status)
        self.figures = QLabel("")
        self.figures.setObjectName("figures")
        self.figures.setWordWrap(True)
        figures_row = QHBoxLayout()  # today's figures, and who is signed in at reception
        figures_row.setSpacing(8)
        figures_row.addWidget(self.figures, 1)
        figures_row.addWidget(self._who_bar(), 0, Qt.AlignmentFlag.AlignTop)
        root.addLayout(figures_row)
        self.pool = QThreadPool(self)  # the window's: it waits for a job in flight
        self.pool.setMaxThreadCount(1)  # one printer, one ticket at a time, in order
        self._printer_trouble = False  # this console raised a printer alert still open
        self.printed.connect(self._after_print)
        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.setChildrenCollapsible(False)
        root.addWidget(columns, 1)
        columns.addWidget(self._visitors_panel())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("tabs")
        self.tabs.setUsesScrollButtons(False)  # every tab in sight, their words cut if need be
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        self.tabs.addTab(self._desks_tab(), "Desks")
        self.tabs.addTab(self._bookings_tab(), "Bookings")
        self.delay_page = QWidget()  # adding a visitor, and the delay notice
        forms = QVBoxLayout(self.delay_page)
        forms.addWidget(self._add_tab())
        forms.addWidget(self._delay_tab())
        forms.addStretch(1)
        self.tabs.addTab(self.delay_page, "Add / Delay")
        self.alerts_page = self._alerts_tab()
        self.tabs.addTab(self.alerts_page, "Alerts")
        self.tabs.addTab(self._supervisor_tab(), "Supervisor")
        columns.addWidget(self.tabs)
        columns.setStretchFactor(0, 11)
        columns.setStretchFactor(1, 9)
        columns.setSizes([1100, 900])  # the visitors a little wider than the tabs
        self.reports_window: Any = None
        self.supervisor = ""  # the supervisor signed in here, if any

        self._listed: set[str] = set()
        # The daily data-protection purge (shared/qt/housekeeping.py), on its own worker.
        self.housekeeping = DailyPurge(office.db, self.site.code, PLACE, self)
        self.housekeeping.purged.connect(self._purged)
        self.timer = QTimer(self, interval=5000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self._fit(self.width(), self.height())
        self.refresh()

    # -- panels ----------------------------------------------------------------------------

    def _visitors_panel(self) -> QWidget:
        """The visitors reception deals with, and what can be done for the one chosen."""
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(QLabel("<b>Waiting</b> — walk-ins, in calling order"), 1)
        self.service_filter = QComboBox()
        self.service_filter.setObjectName("service_filter")
        self.service_filter.addItem("All services", "")
        for service in self.site.services:
            self.service_filter.addItem(service.name, service.code)
        self.service_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        heading.addWidget(self.service_filter)
        layout.addLayout(heading)
        lists = QSplitter(Qt.Orientation.Vertical)
        lists.setChildrenCollapsible(False)
        self.waiting = self._table(["Ticket", "Service", "Waiting", "Needs", "State"], stretch=1)
        self.waiting.setObjectName("waiting")
        lists.addWidget(self.waiting)
        arrived = QWidget()
        arrived_layout = QVBoxLayout(arrived)
        arrived_layout.setContentsMargins(0, 4, 0, 0)
        arrived_layout.addWidget(QLabel("<b>Appointments here</b> — arrived, by appointed time"))
        self.arrived_list = self._table(
            ["Ticket", "Due", "Service", "Waiting", "Needs", "State"], stretch=2
        )
        self.arrived_list.setObjectName("arrived_list")
        arrived_layout.addWidget(self.arrived_list, 1)
        lists.addWidget(arrived)
        lists.setStretchFactor(0, 2)
        lists.setStretchFactor(1, 1)
        layout.addWidget(lists, 1)
        actions = QHBoxLayout()
        actions.addWidget(self._button("Greet", self.greet, "greet"), 2)
        actions.addWidget(self._button("Left", self.mark_left, "left"), 1)
        actions.addWidget(self._button("Reprint", self.reprint, "reprint"), 1)
        actions.addWidget(self._button("Priority on/off", self.toggle_priority, "priority"), 1)
        self.change_button = QPushButton("Change service ▾")
        self.change_button.setObjectName("change")
        self.change_menu = QMenu(self.change_button)
        self.change_menu.setObjectName("change_menu")
        for service in self.site.services:
            action = self.change_menu.addAction(service.name)
            action.setData(service.code)
            action.triggered.connect(
                lambda _on=False, c=service.code: self._guard(lambda: self.change(c))
            )
        self.change_button.setMenu(self.change_menu)
        actions.addWidget(self.change_button, 1)
        layout.addLayout(actions)
        self._lists = [self.waiting, self.arrived_list]
        for table in self._lists:  # one visitor chosen at a time, in either list
            table.itemSelectionChanged.connect(lambda t=table: self._only_chosen_in(t))
        return panel

    def _only_chosen_in(self, table: QTableWidget) -> None:
        if self._key(table) is None:
            return
        for other in self._lists:
            if other is not table:
                other.clearSelection()

    def _desks_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.desks = self._table(["Desk", "Staff", "Status", "Serving", "For"], stretch=1)
        self.desks.setObjectName("desks")
        layout.addWidget(self.desks, 2)
        self.parked_heading = QLabel("<b>Parked at desks</b>")
        layout.addWidget(self.parked_heading)
        self.parked = self._table(["Ticket", "Service", "Desk", "Parked for"], stretch=1)
        self.parked.setObjectName("parked")
        layout.addWidget(self.parked, 1)
        row = QHBoxLayout()
        row.addWidget(self._button("Return to queue", self.return_to_queue, "return_to_queue"))
        row.addWidget(self._button("Left", self.parked_left, "parked_left"))
        layout.addLayout(row)
        return page

    def _bookings_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<b>Bookings</b>, today and later, by time"))
        self.appointments = self._table(
            ["Time", "Reference", "Service", "Status", "Ticket"], stretch=2
        )
        self.appointments.setObjectName("appointments")
        self.appointments.itemSelectionChanged.connect(self._booking_chosen)
        self._bookings: dict[str, dict[str, Any]] = {}
        self._booking_shown: str | None = None
        layout.addWidget(self.appointments, 1)
        form = QGridLayout()
        self.book_service = self._services_combo("book_service")
        self.book_at = QDateTimeEdit(QDateTime.currentDateTime().addSecs(3600))
        self.book_at.setObjectName("book_at")
        self.book_at.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.book_ref = QLineEdit(placeholderText="Reference (optional)")
        self.book_ref.setObjectName("book_ref")
        form.addWidget(self.book_service, 0, 0, 1, 2)
        form.addWidget(self.book_at, 1, 0)
        form.addWidget(self.book_ref, 1, 1)
        form.addWidget(self._button("Book", self.book, "book"), 2, 0)
        form.addWidget(self._button("Change booking", self.change_booking, "change_booking"), 2, 1)
        form.addWidget(self._button("Cancel booking", self.cancel_booking, "cancel_booking"), 3, 0)
        form.addWidget(self._button("Arrived", self.arrived, "arrived"), 3, 1)
        layout.addLayout(form)
        return page

    def _add_tab(self) -> QWidget:
        page = QWidget()
        layout = QGridLayout(page)
        layout.addWidget(QLabel("<b>Add a visitor</b> who did not use the kiosk"), 0, 0, 1, 2)
        self.add_service = self._services_combo("add_service")
        layout.addWidget(self.add_service, 1, 0, 1, 2)
        self.add_priority = QCheckBox("Priority")
        self.add_priority.setObjectName("add_priority")
        self.add_help = QCheckBox("Needs help")
        self.add_help.setObjectName("add_help")
        self.add_interpreter = QCheckBox("Interpreter")
        self.add_interpreter.setObjectName("add_interpreter")
        self.add_language = QLineEdit(placeholderText="Language, e.g. Polish")
        self.add_language.setObjectName("add_language")
        self.add_interpreter.toggled.connect(self.add_language.setEnabled)
        self.add_language.setEnabled(False)
        self.add_needs = {}
        for name, text in NEEDS:
            box = QCheckBox(text)
            box.setObjectName(f"add_{name}")
            self.add_needs[name] = box
        layout.addWidget(self.add_priority, 2, 0)
        layout.addWidget(self.add_help, 2, 1)
        layout.addWidget(self.add_interpreter, 3, 0)
        layout.addWidget(self.add_language, 3, 1)
        for index, box in enumerate(self.add_needs.values()):
            layout.addWidget(box, 4 + index // 2, index % 2)
        row = 5 + (len(self.add_needs) - 1) // 2
        layout.addWidget(
            self._button("Add and print", self.add_visitor, "add_visitor"), row, 0, 1, 2
        )
        layout.setRowStretch(row + 1, 1)
        return page

    def _delay_tab(self) -> QWidget:
        page = QWidget()
        layout = QGridLayout(page)
        layout.addWidget(
            QLabel("<b>Delay notice</b>: the kiosk, the display and new tickets"), 0, 0, 1, 2
        )
        self.delay_now = QLabel("")
        self.delay_now.setObjectName("delay_now")
        self.delay_now.setWordWrap(True)
        layout.addWidget(self.delay_now, 1, 0, 1, 2)
        self.delay_reason = QLineEdit(placeholderText="Reason, e.g. two advisers are on training")
        self.delay_reason.setObjectName("delay_reason")
        self.delay_minutes = QSpinBox(minimum=0, maximum=600, suffix=" min")
        self.delay_minutes.setObjectName("delay_minutes")
        layout.addWidget(self.delay_reason, 2, 0, 1, 2)
        layout.addWidget(QLabel("Estimated extra wait"), 3, 0)
        layout.addWidget(self.delay_minutes, 3, 1)
        layout.addWidget(self._button("Set", self.set_delay, "set_delay"), 4, 0)
        layout.addWidget(self._button("Clear", self.clear_delay, "clear_delay"), 4, 1)
        layout.setContentsMargins(0, 6, 0, 0)
        notice = self.notices.notice(self.site.code)  # what visitors are being told now
        self.delay_reason.setText(notice.delay_reason or "")
        self.delay_minutes.setValue(notice.delay_minutes or 0)
        return page

    def _alerts_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.alert_table = self._table(["Raised", "What", "Where", "Detail"], stretch=3)
        self.alert_table.setObjectName("alert_table")
        layout.addWidget(self.alert_table, 1)
        layout.addWidget(self._button("Resolve selected alert", self.resolve_alert, "resolve"))
        return page

    def _supervisor_tab(self) -> QWidget:
        """Supervisor mode: the site's alarms and alerts of the day, and Reports."""
        self.supervisor_pages = QStackedWidget()
        sign_in = QWidget()
        form = QGridLayout(sign_in)
        intro = QLabel(
            "Supervisors: sign in to see today's alarms and alerts at this site, and Reports."
        )
        intro.setWordWrap(True)
        form.addWidget(intro, 0, 0, 1, 2)
        self.supervisor_name = QLineEdit(placeholderText="Supervisor's name")
        self.supervisor_name.setObjectName("supervisor_name")
        self.supervisor_pin = QLineEdit(placeholderText="PIN", echoMode=QLineEdit.EchoMode.Password)
        self.supervisor_pin.setObjectName("supervisor_pin")
        self.supervisor_pin.returnPressed.connect(lambda: self._guard(self.supervisor_sign_in))
        form.addWidget(self.supervisor_name, 1, 0, 1, 2)
        form.addWidget(self.supervisor_pin, 2, 0, 1, 2)
        form.addWidget(
            self._button("Sign in", self.supervisor_sign_in, "supervisor_sign_in"), 3, 0, 1, 2
        )
        form.setRowStretch(4, 1)
        self.supervisor_pages.addWidget(sign_in)
        view = QWidget()
        layout = QVBoxLayout(view)
        self.supervisor_heading = QLabel("")
        self.supervisor_heading.setObjectName("supervisor_heading")
        self.supervisor_heading.setWordWrap(True)
        layout.addWidget(self.supervisor_heading)
        self.supervisor_log = self._table(
            ["Raised", "What", "Where", "Detail", "Acknowledged", "Open for"], stretch=3
        )
        self.supervisor_log.setObjectName("supervisor_log")
        self.audit_view = AuditView(
            self.office.db,
            self.site.code,
            self.site.timezone,
            lambda: self.supervisor_actor,
            self._staff_names,
        )
        self._tables.append(self.audit_view.table)
        self.supervisor_views = QTabWidget()
        self.supervisor_views.setObjectName("supervisor_views")
        self.supervisor_views.addTab(self.supervisor_log, "Alarms and alerts today")
        self.supervisor_views.addTab(self.audit_view, "Audit trail")
        layout.addWidget(self.supervisor_views, 1)
        row = QHBoxLayout()
        row.addWidget(self._button("Reports", self.show_reports, "reports"))
        row.addWidget(
            self._button("Sign out (supervisor)", self.supervisor_sign_out, "supervisor_sign_out")
        )
        layout.addLayout(row)
        self.supervisor_pages.addWidget(view)
        return self.supervisor_pages

    # -- building blocks -------------------------------------------------------------------

    def _table(self, headings: list[str], *, stretch: int) -> QTableWidget:
        """A read-only list; column `stretch` takes the width the others leave."""
        table = QTableWidget(0, len(headings))
        table.setHorizontalHeaderLabels(headings)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHTS[False])
        self._tables.append(table)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return table

    def _services_combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for service in self.site.services:
            combo.addItem(service.name, service.code)
        return combo

    @staticmethod
    def _key(table: QTableWidget) -> str | None:
        """The ticket (or booking, or alert id) of the row chosen in a list, if any."""
        rows = {index.row() for index in table.selectionModel().selectedRows()}
        if not rows:
            return None
        item = table.item(min(rows), 0)
        return None if item is None else item.data(KEY)

    def _selected(self, table: QTableWidget, what: str = "a visitor") -> str:
        key = self._key(table)
        if key is None:
            raise DomainError(f"choose {what} in the list first")
        return str(key)

    def _chosen_visitor(self) -> str:
        """The visitor chosen in whichever of reception's visitor lists was touched last."""
        for table in self._lists:
            key = self._key(table)
            if key is not None:
                return str(key)
        raise DomainError("choose a visitor in the list first")

    # -- actions ----------------------------------------------------------------------------

    def greet(self) -> None:
        ticket = self._chosen_visitor()
        self.office.greet(self.site.code, ticket, by=self._by())
        self.log.write("greeted", site=self.site.code, ticket=ticket)

    def mark_left(self) -> None:
        visit = self.office.leave(self.site.code, self._chosen_visitor(), by=self._by())
        self.log.write("left", site=self.site.code, ticket=visit.ticket)

    def change(self, service: str) -> None:
        visit = self.office.change(
            self.site.code, self._chosen_visitor(), service=service, by=self._by()
        )
        self.log.write("changed", site=self.site.code, ticket=visit.ticket, service=service)

    def return_to_queue(self) -> None:
        """A parked visitor goes back to the queue, keeping their arrival time."""
        visit = self.office.return_to_queue(
            self.site.code, self._selected(self.parked, "a parked visitor"), by=self._by()
        )
        self.log.write("returned", site=self.site.code, ticket=visit.ticket)

    def parked_left(self) -> None:
        visit = self.office.leave(
            self.site.code, self._selected(self.parked, "a parked visitor"), by=self._by()
        )
        self.log.write("left", site=self.site.code, ticket=visit.ticket)

    def toggle_priority(self) -> None:
        ticket = self._chosen_visitor()
        visit = self.office.visit(self.site.code, ticket)
        self.office.change(self.site.code, ticket, priority=not visit.priority, by=self._by())

    def reprint(self) -> None:
        from shared.printing import ticket_for_reprint

        ticket = self._chosen_visitor()
        self.office.reprinted(self.site.code, ticket, by=self._by(), place=PLACE)
        notice = self.notices.notice(self.site.code)
        self.say(f"Reprinting ticket {ticket}…")
        self._print(ticket_for_reprint(self.office, self.site.code, ticket, notice))

    def add_visitor(self) -> None:
        """A visitor who did not use the kiosk: into the queue now, the ticket after."""
        from shared.printing import ticket_for_checkin

        result = self.office.checkin(
            self.site.code,
            self.add_service.currentData(),
            priority=self.add_priority.isChecked(),
            flags=self._add_flags(),
            by=self._by(),
        )
        self.log.write(
            "checked_in",
            site=self.site.code,
            ticket=result.ticket,
            service=result.service,
            by="reception",
        )
        self._clear_add_form()
        self.say(f"Added: ticket {result.ticket} (printing…)")
        self._print(ticket_for_checkin(self.site, result, self.notices.notice(self.site.code)))

    def _add_flags(self) -> dict[str, str]:
        """The visitor's needs, as the kiosk records them."""
        flags = {name: "yes" for name, box in self.add_needs.items() if box.isChecked()}
        if self.add_interpreter.isChecked():
            flags["interpreter"] = self.add_language.text().strip() or "yes"
        if self.add_help.isChecked():
            flags["help"] = "yes"
        return flags

    def _clear_add_form(self) -> None:
        for box in (
            self.add_priority,
            self.add_help,
            self.add_interpreter,
            *self.add_needs.values(),
        ):
            box.setChecked(False)
        self.add_language.clear()

    def book(self) -> None:
        local = self.book_at.dateTime().toPython().replace(tzinfo=self.zone)
        self.office.add_appointment(
            self.site.code,
            self.book_service.currentData(),
            local,
            self.book_ref.text().strip() or None,
            by=self._by(),
        )
        self.book_ref.clear()

    def _booking_chosen(self) -> None:
        """Choosing a booking shows its service and time, ready to change."""
        ref = self._key(self.appointments)
        if ref is None or ref == self._booking_shown or ref not in self._bookings:
            self._booking_shown = ref
            return
        self._booking_shown = ref
        booking = self._bookings[ref]
        self.book_service.setCurrentIndex(self.book_service.findData(booking["service"]))
        local = datetime.fromisoformat(booking["at"]).astimezone(self.zone)
        self.book_at.setDateTime(QDateTime(local.date(), local.time().replace(microsecond=0)))

    def change_booking(self) -> None:
        """The selected booking takes the service and time set above."""
        local = self.book_at.dateTime().toPython().replace(tzinfo=self.zone)
        self.office.change_appointment(
            self.site.code,
            self._selected(self.appointments, "a booking"),
            service=self.book_service.currentData(),
            at=local,
            by=self._by(),
        )

    def cancel_booking(self) -> None:
        self.office.cancel_appointment(
            self.site.code, self._selected(self.appointments, "a booking"), by=self._by()
        )

    def arrived(self) -> None:
        """The booked visitor is here: check them in and print their ticket."""
        from shared.printing import ticket_for_checkin

        booking = self._selected(self.appointments, "a booking")
        result = self.office.checkin(self.site.code, appointment=booking, by=self._by())
        self.log.write("checked_in", site=self.site.code, ticket=result.ticket, by="reception")
        self.say(f"Booking {booking} has arrived: ticket {result.ticket} (printing…)")
        self._print(ticket_for_checkin(self.site, result, self.notices.notice(self.site.code)))

    def set_delay(self) -> None:
        notice = self.notices.set_delay(
            self.site.code,
            self.delay_reason.text().strip() or None,
            self.delay_minutes.value() or None,
            by=self._by(),
            place=PLACE,
        )
        self.log.write(
            "delay_notice",
            site=self.site.code,
            reason=notice.delay_reason,
            minutes=notice.delay_minutes,
        )

    def clear_delay(self) -> None:
        self.notices.set_delay(self.site.code, None, None, by=self._by(), place=PLACE)
        self.delay_reason.clear()
        self.delay_minutes.setValue(0)
        self.log.write("delay_notice", site=self.site.code, reason=None, minutes=None)

    def resolve_alert(self) -> None:
        key = self._selected(self.alert_table, "an alert")
        if not key.isdigit():
            raise DomainError("that one clears itself when the visitor is greeted")
        self.notices.resolve(self.site.code, alert_id=int(key), by=self._by(), place=PLACE)

    # -- printing ---------------------------------------------------------------------------

    def _print(self, ticket: Ticket) -> None:
        self.pool.start(_PrintJob(self, self.site, ticket))

    def _after_print(self, number: str, outcome: Any) -> None:
        """A print job's answer: say so, and keep reception's printer alert true."""
        self.log.write(
            "ticket_printed" if outcome.printed else "ticket_not_printed",
            site=self.site.code,
            ticket=number,
            printer=outcome.printer,
            preview=outcome.preview,
            error=outcome.error,
        )
        # With the database away the console says OFFLINE; the next print tells.
        with contextlib.suppress(SQLAlchemyError):
            self._printer_alert(number, outcome)
        if outcome.printed:
            self.say(f"Ticket {number} printed")
            return
        self.status.setVisible(False)
        self.error.setText(
            f"{number} is in the queue but its ticket was not printed: {outcome.error}"
        )
        self.error.setVisible(True)
        self.refresh()

    def _printer_alert(self, number: str, outcome: Any) -> None:
        if outcome.printed and not outcome.warning:
            if self._printer_trouble:
                self.notices.resolve(self.site.code, kind="printer", source=PRINTER_SOURCE)
            self._printer_trouble = False
            return
        if outcome.printed:  # it still prints: someone should change the roll soon
            detail = f"Reception's ticket printer: {outcome.warning}"
        else:
            reason = "out of paper" if outcome.out_of_paper else "not working"
            detail = f"Reception's ticket printer {reason} (last ticket {number}): {outcome.error}"
        self.notices.raise_alert(self.site.code, "printer", PRINTER_SOURCE, detail)
        self._printer_trouble = True

    def wait_for_printing(self, milliseconds: int = 10_000) -> bool:
        return self.pool.waitForDone(milliseconds)

    def say(self, text: str) -> None:
        """A message for the receptionist that is not an error (a ticket number)."""
        self.status.setText(text)
        self.status.setVisible(True)

    def acknowledge_alarms(self) -> None:
        """Someone is going to the desk: the alarm stops here and the desk is told."""
        by = self._signed_in(self.supervisor_actor) or self._signed_in(self.actor)
        for alarm in self.notices.alerts(self.site.code):
            if alarm.kind == "safety":
                self.notices.resolve(self.site.code, alert_id=alarm.id, by=by, place=PLACE)
                self.log.write(
                    "alarm_acknowledged",
                    site=self.site.code,
                    desk=alarm.source,
                    raised_at=alarm.raised_at.isoformat(),
                    by=self.supervisor or "reception",
                )

    # -- who is signed in ---------------------------------------------------------------

    def _who_bar(self) -> QWidget:
        """Along the top: who is signed in at reception, or the form to sign in."""
        bar = QWidget()
        bar.setObjectName("who")
        bar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        row = QHBoxLayout(bar)
        row.setContentsMargins(6, 1, 2, 1)
        row.setSpacing(4)
        self.who_text = QLabel("")
        self.who_text.setObjectName("who_text")
        row.addWidget(self.who_text)
        self.who_name = QLineEdit(placeholderText="Your name")
        self.who_name.setObjectName("who_name")
        self.who_name.setFixedWidth(140)
        self.who_pin = QLineEdit(placeholderText="PIN", echoMode=QLineEdit.EchoMode.Password)
        self.who_pin.setObjectName("who_pin")
        self.who_pin.setFixedWidth(64)
        self.who_pin.returnPressed.connect(lambda: self._guard(self.sign_in))
        self.who_sign_in = self._button("Sign in", self.sign_in, "sign_in")
        self.who_sign_out = self._button("Sign out", self.sign_out, "sign_out")
        for widget in (self.who_name, self.who_pin, self.who_sign_in, self.who_sign_out):
            row.addWidget(widget)
        self.who_bar = bar
        self._show_who()
        return bar

    def _show_who(self) -> None:
        signed_in = self.actor is not None
        for widget in (self.who_name, self.who_pin, self.who_sign_in):
            widget.setVisible(not signed_in)
        self.who_sign_out.setVisible(signed_in)
        if self.actor is not None:
            self.who_text.setText(f"Signed in: {self.actor.name} ({self.actor.role})")
            self.who_bar.setToolTip("What reception does is recorded with this name.")
        elif self.sign_in_needed:
            self.who_text.setText("Sign in to greet and add visitors:")
            self.who_bar.setToolTip(
                "Reception's actions are recorded with who did them: sign in with your name "
                "and PIN. A safety alarm can be acknowledged without."
            )
        else:
            self.who_text.setText("Nobody signed in:")
            self.who_bar.setToolTip(
                "This site has no account for reception yet: what is done here is recorded "
                "without a name. Anyone with an account may sign in all the same."
            )
        needed = self.sign_in_needed and not signed_in
        if self.who_bar.property("needed") != needed:
            self.who_bar.setProperty("needed", needed)
            self.who_bar.style().unpolish(self.who_bar)
            self.who_bar.style().polish(self.who_bar)

    def sign_in(self) -> None:
        """Reception's sign-in (a supervisor's opens the Supervisor tab too)."""
        actor = self.staff.login(
            self.site.code, self.who_name.text(), self.who_pin.text(), place=PLACE
        )
        self.who_pin.clear()
        if self.actor is not None:  # the one before, at the same console
            self.staff.logout(self.actor)
        self.actor = actor
        self.log.write("signed_in", site=self.site.code, staff=actor.name, role=actor.role)
        if actor.supervises and self.supervisor_actor is None:
            self._open_supervisor(actor)
        self._show_who()

    def sign_out(self) -> None:
        if self.actor is None:
            return
        if self.supervisor_actor is self.actor:
            self.supervisor_sign_out()
        self.staff.logout(self.actor)
        self.log.write("signed_out", site=self.site.code, staff=self.actor.name)
        self.actor = None
        self.who_name.clear()
        self._show_who()

    def _by(self) -> Actor | None:
        """Who is doing what reception does now; refused while nobody is signed in at a
        site that has accounts for reception."""
        if self.actor is not None:
            return self.actor
        if self.sign_in_needed:
            raise NotSignedIn(
                "Sign in first (your name and PIN, at the top): what reception does is "
                "recorded with who did it"
            )
        return None

    def _signed_in(self, actor: Actor | None) -> Actor | None:
        if actor is None:
            return None
        try:
            self.staff.verify(actor)
        except NotSignedIn:
            return None
        return actor

    def _check_sign_ins(self) -> None:
        """Sign-ins that ended elsewhere (run out, an account closed) end here too; and
        whether this site signs in at reception at all."""
        from sqlalchemy import select

        from shared.store.tables import site_t, staff_t

        with self.office.db.transaction(write=False) as tx:
            self.sign_in_needed = (
                tx.conn.execute(
                    select(staff_t.c.id)
                    .join(site_t, site_t.c.id == staff_t.c.site_id)
                    .where(
                        site_t.c.code == self.site.code,
                        staff_t.c.role.in_(RECEPTION_ROLES),
                        staff_t.c.left_at.is_(None),
                    )
                    .limit(1)
                ).first()
                is not None
            )
        if self.actor is not None and self._signed_in(self.actor) is None:
            self.actor = None
        if self.supervisor_actor is not None and self._signed_in(self.supervisor_actor) is None:
            self.supervisor_sign_out()
        self._show_who()

    def _staff_names(self) -> list[str]:
        if self.supervisor_actor is None:
            return []
        return [m.name for m in self.staff.members(self.site.code, by=self.supervisor_actor)]

    # -- supervisor mode ---------------------------------------------------------------------

    def _check_supervisor(self, name: str, pin: str, place: str) -> Actor:
        """A supervisor's (or an admin's) sign-in, for half an hour; anyone else is
        refused (their PIN checked, and a wrong one counted, but nobody signed in)."""
        role = self.staff.check(self.site.code, name, pin)
        if role not in SUPERVISORS:
            raise NotAllowed(f"this is for supervisors: {name.strip()} is a {role}")
        return self.staff.login(self.site.code, name, pin, place=place, lasts=SUPERVISOR_FOR)

    def supervisor_sign_in(self) -> None:
        actor = self._check_supervisor(
            self.supervisor_name.text(), self.supervisor_pin.text(), f"{PLACE} (Supervisor tab)"
        )
        self.supervisor_pin.clear()
        self._open_supervisor(actor)

    def _open_supervisor(self, actor: Actor) -> None:
        self.supervisor_actor = actor
        self.supervisor = actor.name
        self.supervisor_pages.setCurrentIndex(1)
        self.setWindowTitle(f"OneStop reception — {self.site.name} — supervisor {self.supervisor}")
        self.log.write("supervisor_signed_in", site=self.site.code, staff=self.supervisor)
        self.audit_view.fill_names()
        self.audit_view.show_trail()
        self.refresh()  # the day's alarms and the heading, now

    def supervisor_sign_out(self) -> None:
        if self.supervisor_actor is not None:
            self.log.write("supervisor_signed_out", site=self.site.code, staff=self.supervisor)
            if self.supervisor_actor is not self.actor:  # reception's own stays signed in
                self.staff.logout(self.supervisor_actor)
        self.supervisor_actor = None
        self.supervisor = ""
        self.supervisor_pages.setCurrentIndex(0)
        self.setWindowTitle(f"OneStop reception — {self.site.name}")

    def show_reports(self) -> Any:
        if self.supervisor_actor is None:
            raise DomainError("reports are for supervisors: sign in first")
        return self._reports(self.supervisor_actor)

    def open_reports(self, name: str, pin: str) -> Any:
        """Supervisors only: the figures and charts of `onestop report`."""
        try:
            actor = self._check_supervisor(name, pin, f"{PLACE} (Reports)")
        except NotAllowed:
            raise NotAllowed("reports are for supervisors") from None
        return self._reports(actor)

    def _reports(self, actor: Actor) -> Any:
        from reception.reports_view import ReportsWindow

        self.reports_window = ReportsWindow(self.office.db, self.office.sites(), by=actor)
        self.reports_window.resize(1400, 850)
        self.reports_window.show()
        return self.reports_window

    def _purged(self, result: Any) -> None:
        """The day's purge ran here (another app may have run it first: then None)."""
        if result is not None:
            self.log.write(
                "purged",
                site=self.site.code,
                comments=result.comments,
                needs=result.needs,
                notes=result.notes,
                before=result.before,
            )

    def resizeEvent(self, event: Any) -> None:
        self._fit(event.size().width(), event.size().height())
        super().resizeEvent(event)

    def _fit(self, width: int, height: int) -> None:
        """Smaller type and rows on a small screen (or a quarter of one), so the lists
        still show a useful number of visitors."""
        compact = width < COMPACT_BELOW[0] or height < COMPACT_BELOW[1]
        if compact == self.compact:
            return
        self.compact = compact
        self.setStyleSheet(STYLE.format(**SIZES[compact]))
        for table in self._tables:
            table.verticalHeader().setDefaultSectionSize(ROW_HEIGHTS[compact])

    @staticmethod
    def _sound_dir() -> Any:
        from shared.store.db import data_dir

        return data_dir() / "sounds"

    def closeEvent(self, event: Any) -> None:
        self.pool.waitForDone(10_000)
        self.safety.stop()
        self.housekeeping.stop()
        self.timer.stop()
        super().closeEvent(event)

    def refresh(self, _site: str = "") -> None:
        """Redraw from the database; when it cannot be reached, say so and keep trying."""
        from sqlalchemy.exc import OperationalError

        try:
            self._refresh()
        except OperationalError:
            self.alerts.setText(
                "OFFLINE: the database cannot be reached. Retrying every 5 seconds."
            )
            self.alerts.setStyleSheet("")

    def _refresh(self) -> None:
        self._check_sign_ins()
        now = self.clock()
        targets = self.site.targets
        waiting = self.office.waiting(self.site.code)
        chosen = self.service_filter.currentData()
        walk_ins = [
            w for w in waiting if not w.appointment_at and (not chosen or w.service == chosen)
        ]
        waited = [
            (now - datetime.fromisoformat(w.arrived_at)).total_seconds() / 60 for w in walk_ins
        ]
        self._fill(
            self.waiting,
            [
                [
                    w.ticket,
                    self.site.service(w.service).name,
                    f"{minutes:.0f} min",
                    self._needs(w),
                    "greeted" if w.state == "greeted" else "not greeted",
                ]
                for w, minutes in zip(walk_ins, waited, strict=True)
            ],
            [w.ticket for w in walk_ins],
        )
        for w in walk_ins:  # the log says when reception first saw each visitor
            if w.ticket not in self._listed:
                self._listed.add(w.ticket)
                self.log.write("listed", site=self.site.code, ticket=w.ticket, service=w.service)
        for row, (w, minutes) in enumerate(zip(walk_ins, waited, strict=True)):
            if minutes > targets.serve_minutes:
                self._paint(self.waiting, row, LATE_SERVE, QColor("#ffdd00"))
            elif minutes > targets.greet_minutes and w.state == "checked_in":
                self._paint(self.waiting, row, LATE_GREET, QColor("#0b0c0c"))
        booked = sorted(
            (w for w in waiting if w.appointment_at), key=lambda w: (w.appointment_at, w.ticket)
        )
        self._show_arrived(booked, now)
        # Everyone past the greet target, whatever the list shows (the service filter
        # narrows the list, never the alert), longest waiting first.
        late_greet = [
            w.ticket
            for w in sorted(waiting, key=lambda w: w.arrived_at)
            if w.state == "checked_in"
            and (now - datetime.fromisoformat(w.arrived_at)).total_seconds() / 60
            > targets.greet_minutes
        ]

        today = now.astimezone(self.zone).date()
        appointments = self.office.appointments(self.site.code)  # today and later

        def when(local: str) -> str:
            day, clock = local.split()
            return clock if day == today.isoformat() else f"{day[8:10]}/{day[5:7]} {clock}"

        self._fill(
            self.appointments,
            [
                [
                    when(a["local_time"]),
                    a["ref"],
                    self.site.service(a["service"]).name,
                    a["status"],
                    a["ticket"] or "",
                ]
                for a in appointments
            ],
            [a["ref"] for a in appointments],
        )
        self._bookings = {a["ref"]: a for a in appointments}

        with_desks = self.office.with_desks(self.site.code)
        at_desks = {v.desk: v for v in with_desks if v.state in (State.CALLED, State.SERVING)}
        parked = sorted(
            (v for v in with_desks if v.state is State.PARKED),
            key=lambda v: v.parked_at or v.arrived_at,
        )
        sessions = self.staff.desks(self.site.code)
        self._fill(
            self.desks,
            [
                [
                    s.desk,
                    s.staff_name,
                    "on a break" if s.status == "break" else s.status,
                    at_desks[s.desk].ticket if s.desk in at_desks else "",
                    self._since(at_desks[s.desk].called_at, now)
                    if s.desk in at_desks
                    else self._since(s.status_since, now),
                ]
                for s in sessions
            ],
            [s.desk for s in sessions],
        )
        self._fill(
            self.parked,
            [
                [
                    v.ticket,
                    self.site.service(v.service).name,
                    v.desk or "",
                    self._since(v.parked_at, now),
                ]
                for v in parked
            ],
            [v.ticket for v in parked],
        )
        self.parked_heading.setText(
            f"<b>Parked at desks</b>: {len(parked)} (put aside by a CSA)"
            if parked
            else "<b>Parked at desks</b>: nobody"
        )

        alerts = self.notices.alerts(self.site.code)
        if self.safety.show_alarms([a for a in alerts if a.kind == "safety"]):
            bring_forward(self)
        rows = [
            [
                a.raised_at.astimezone(self.zone).strftime("%H:%M"),
                a.kind.upper(),
                a.source,
                a.detail or "",
            ]
            for a in alerts
        ]
        arrived = {w.ticket: datetime.fromisoformat(w.arrived_at) for w in waiting}
        rows += [
            [
                arrived[t].astimezone(self.zone).strftime("%H:%M"),
                "NOT GREETED",
                t,
                f"waiting {self._since(arrived[t], now)} (target {targets.greet_minutes} min)",
            ]
            for t in late_greet
        ]
        self._fill(
            self.alert_table, rows, [str(a.id) for a in alerts] + [f"greet:{t}" for t in late_greet]
        )
        self.tabs.setTabText(
            self.tabs.indexOf(self.alerts_page), f"Alerts {len(rows)}" if rows else "Alerts"
        )
        urgent = [f"{a.kind.upper()}: {a.detail or a.source}" for a in alerts if a.kind != "safety"]
        if late_greet:
            named = LATE_SHOWN[bool(self.compact)]
            shown = ", ".join(late_greet[:named])
            more = len(late_greet) - named
            urgent.append(
                f"Not greeted after {targets.greet_minutes} min: {shown}"
                + (f" and {more} more" if more > 0 else "")
            )
        self.alerts.setText("   ■   ".join(urgent) if urgent else "No alerts")
        self.alerts.setStyleSheet("" if urgent else "background: #e8f1f8; color: #0b0c0c;")
        self._figures(now, len(waiting))
        if self.supervisor:
            self._show_supervisor(now, len(late_greet))

    def _show_arrived(self, booked: list[Any], now: datetime) -> None:
        """Appointment visitors who are here, by appointed time."""
        targets = self.site.targets
        waited = [(now - datetime.fromisoformat(w.arrived_at)).total_seconds() / 60 for w in booked]
        self._fill(
            self.arrived_list,
            [
                [
                    w.ticket,
                    datetime.fromisoformat(w.appointment_at)
                    .astimezone(self.zone)
                    .strftime("%H:%M"),
                    self.site.service(w.service).name,
                    f"{minutes:.0f} min",
                    self._needs(w),
                    "greeted" if w.state == "greeted" else "not greeted",
                ]
                for w, minutes in zip(booked, waited, strict=True)
            ],
            [w.ticket for w in booked],
        )
        grace = targets.appointment_grace_minutes
        for row, (w, minutes) in enumerate(zip(booked, waited, strict=True)):
            due = max(
                datetime.fromisoformat(w.appointment_at), datetime.fromisoformat(w.arrived_at)
            )
            overdue = (now - due).total_seconds() / 60 > grace
            if minutes > targets.serve_minutes or overdue:
                self._paint(self.arrived_list, row, LATE_SERVE, QColor("#ffdd00"))
            elif minutes > targets.greet_minutes and w.state == "checked_in":
                self._paint(self.arrived_list, row, LATE_GREET, QColor("#0b0c0c"))
            if w.ticket not in self._listed:
                self._listed.add(w.ticket)
                self.log.write(
                    "listed",
                    site=self.site.code,
                    ticket=w.ticket,
                    service=w.service,
                    appointment=True,
                )

    def _show_supervisor(self, now: datetime, late_greet: int) -> None:
        """Today's alarms and alerts at this site, open ones and those dealt with."""
        midnight = now.astimezone(self.zone).replace(hour=0, minute=0, second=0, microsecond=0)
        log = self.notices.alerts(self.site.code, open_only=False, since=midnight)
        log.sort(key=lambda a: (a.resolved_at is not None, a.kind != "safety", a.raised_at))
        self._fill(
            self.supervisor_log,
            [
                [
                    when(a.raised_at, self.zone),
                    "SAFETY ALARM" if a.kind == "safety" else a.kind.upper(),
                    a.source,
                    a.detail or "",
                    when(a.resolved_at, self.zone) or "OPEN",
                    self._since(a.raised_at, a.resolved_at or now),
                ]
                for a in log
            ],
            [str(a.id) for a in log],
        )
        for row, a in enumerate(log):
            if a.kind == "safety" and a.resolved_at is None:
                self._paint(self.supervisor_log, row, QColor("#d4351c"), QColor("#ffffff"))
        open_now = [a for a in log if a.resolved_at is None]
        alarms = sum(a.kind == "safety" for a in open_now)
        self.supervisor_heading.setText(
            f"<b>Supervisor: {self.supervisor}</b> — open now: {alarms} safety alarm(s), "
            f"{len(open_now) - alarms} other alert(s), {late_greet} past the greet target. "
            f"Today: {len(log)} alarm(s) and alert(s)."
        )

    def _needs(self, w: Any) -> str:
        needs = [
            f"{k.replace('_', ' ')}" + (f" ({v})" if v not in ("", "yes") else "")
            for k, v in w.flags.items()
            if k != "help"
        ]
        if "help" in w.flags:
            needs.insert(0, "NEEDS HELP")
        if w.priority:
            needs.insert(0, "PRIORITY")
        return ", ".join(needs)

    def _since(self, moment: datetime | None, now: datetime) -> str:
        return "" if moment is None else f"{(now - moment).total_seconds() / 60:.0f} min"

    def _show_delay(self) -> str:
        """What visitors are being told about delays now; a few words for the figures."""
        notice = self.notices.notice(self.site.code)
        if not notice.delay_reason and not notice.delay_minutes:
            self.delay_now.setText("No delay notice is showing.")
            self.tabs.setTabText(self.tabs.indexOf(self.delay_page), "Add / Delay")
            return ""
        estimate = f" — about {notice.delay_minutes} min more" if notice.delay_minutes else ""
        self.delay_now.setText(
            f"<b>Showing now</b> on the kiosk, the display and new tickets: "
            f"{notice.delay_reason or 'Delays'}{estimate}"
        )
        self.tabs.setTabText(self.tabs.indexOf(self.delay_page), "Add / Delay ON")
        return (
            f" · delay notice on{f' (+{notice.delay_minutes} min)' if notice.delay_minutes else ''}"
        )

    def _figures(self, now: datetime, waiting_now: int) -> None:
        targets = self.site.targets
        today = today_figures(self.office.visits(self.site.code), now, targets)
        average = "—" if today.average_wait is None else f"{today.average_wait:.0f} min"
        self.figures.setText(
            f"Today: {today.visitors} visitors · waiting now {waiting_now} · average wait "
            f"{average} · greeted within {targets.greet_minutes} min {today.greeted} · "
            f"called within {targets.serve_minutes} min {today.called}" + self._show_delay()
        )
        self.figures.setToolTip(
            "Shares count the visitors whose target is decided: greeted (or called) by now, "
            "or past the target without it. Those still inside it are not counted yet."
        )

    @staticmethod
    def _fill(table: QTableWidget, rows: list[list[str]], keys: list[str]) -> None:
        """Redraw a list; the row chosen stays chosen by its key (never by its position,
        which changes as the queue moves: Greet must greet the visitor the receptionist
        chose)."""
        chosen = ReceptionWindow._key(table)
        table.setRowCount(len(rows))
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if c == 0:
                    item.setData(KEY, keys[r])
                table.setItem(r, c, item)
        if chosen in keys:
            table.selectRow(keys.index(chosen))
        else:
            table.clearSelection()

    @staticmethod
    def _paint(table: QTableWidget, row: int, background: QColor, foreground: QColor) -> None:
        for column in range(table.columnCount()):
            item = table.item(row, column)
            item.setBackground(background)
            item.setForeground(foreground)
