"""A Customer Service Advisor's desk console: `onestop desk --site S --desk D`.

Small enough to sit beside the CSA's main system (and optionally always on top):
sign in with name and PIN; Call next; Recall; Start; Finish with an outcome;
No-show; Transfer; Park; Break; Close desk; and a safety alarm that reaches
reception and supervisors at once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shared.domain import DomainError, Outcome, State, Visit
from shared.eventlog import EventLog
from shared.notices import Notices
from shared.office import Office
from shared.qt.actions import GuardedActions
from shared.qt.housekeeping import DailyPurge
from shared.staff import Staff

DETAIL_HINTS = {  # what the box beside the outcome asks for (short: it must fit)
    "referred": "Which back office?",
    "avoidable": "Why avoidable?",
}
OUTCOMES = [
    ("resolved", "Resolved at first point of contact"),
    ("referred", "Referred to a back office"),
    ("avoidable", "Avoidable contact"),
    ("digital_assistance", "Digital assistance given"),
]
ACKNOWLEDGED_SHOWN = timedelta(minutes=2)  # how long "help is on the way" stays up
STYLE = """
QWidget#desk { background: #f3f2f1; }
QLabel { color: #0b0c0c; font-size: 16px; }
QLabel#current { font-size: 40px; font-weight: bold; }
QLabel#sign_in_title { font-size: 32px; font-weight: bold; }
QLabel#waiting { font-weight: bold; }
QLabel#error { color: #0b0c0c; background: #ffdd00; padding: 4px; font-weight: bold; }
QPushButton { background: #005a87; color: white; font-size: 16px; font-weight: bold;
    min-height: 36px; border: 2px solid #0b0c0c; border-radius: 6px; padding: 2px 10px; }
QPushButton:disabled { background: #b1b4b6; color: #0b0c0c; }
QPushButton#call_next { font-size: 22px; min-height: 50px; }
QPushButton#alarm { background: #0b0c0c; color: #ffdd00; border: 4px solid #ffdd00; }
QLabel#alarm_status { background: #0b0c0c; color: #ffdd00; font-size: 18px; font-weight: bold;
    padding: 6px; }
QLineEdit, QComboBox { font-size: 16px; min-height: 32px; }
QListWidget { font-size: 16px; }
"""


OFFLINE = "OFFLINE: the database cannot be reached. Retrying."


class DeskWindow(GuardedActions, QWidget):
    def __init__(
        self, office: Office, site: str, desk: str, *, log: EventLog, on_top: bool = False
    ) -> None:
        super().__init__()
        self.offline = False  # the database could not be reached at the last refresh
        self.setObjectName("desk")
        self.setStyleSheet(STYLE)
        self.office = office
        self.notices = Notices(office.db)
        self.staff = Staff(office.db)
        self.site = office.site(site)
        self.desk = self.site.desk(desk)
        self.log = log
        self.staff_name = ""
        self.actor: Any = None  # the CSA's sign-in (the desk's steps name them)
        self._current: Visit | None = None  # the visitor called to or served at this desk
        self._alarm_id: int | None = None  # the safety alarm this desk raised, until seen to
        self.on_break = False
        self.setWindowTitle(f"OneStop — {self.desk.name}")
        if on_top:
            self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        root = QVBoxLayout(self)
        root.setContentsMargins(8, 8, 8, 8)
        root.setSpacing(6)
        self.stack = QStackedWidget()
        root.addWidget(self.stack)
        self.alarm_status = QLabel("")
        self.alarm_status.setObjectName("alarm_status")
        self.alarm_status.setWordWrap(True)
        self.alarm_status.setVisible(False)
        root.addWidget(self.alarm_status)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        root.addWidget(self.error)
        self.stack.addWidget(self._sign_in_page())
        self.stack.addWidget(self._work_page())
        self.tick = QTimer(self, interval=5000)
        self.tick.timeout.connect(self.refresh)
        # The daily data-protection purge runs from every staff app (shared/qt/housekeeping.py).
        self.housekeeping = DailyPurge(office.db, self.site.code, self.desk.name, self)

    # -- pages -----------------------------------------------------------------------------

    def _sign_in_page(self) -> QWidget:
        """A small form in the middle of the window, its heading on top of it."""
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.addStretch(1)
        form = QWidget()
        form.setMaximumWidth(460)
        layout = QVBoxLayout(form)
        title = QLabel(self.desk.name)
        title.setObjectName("sign_in_title")
        layout.addWidget(title)
        layout.addWidget(QLabel(f"{self.site.name} — sign in to start calling"))
        self.name = QLineEdit(placeholderText="Your name")
        self.name.setObjectName("name")
        self.pin = QLineEdit(placeholderText="PIN", echoMode=QLineEdit.EchoMode.Password)
        self.pin.setObjectName("pin")
        self.pin.returnPressed.connect(lambda: self._guard(self.sign_in))
        layout.addWidget(self.name)
        layout.addWidget(self.pin)
        layout.addWidget(self._button("Sign in", self.sign_in, "sign_in"))
        outer.addWidget(form, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        return page

    def _work_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        top = QHBoxLayout()
        self.heading = QLabel("")
        top.addWidget(self.heading, 1)
        self.waiting = QLabel("")
        self.waiting.setObjectName("waiting")
        top.addWidget(self.waiting)
        layout.addLayout(top)
        visitor = QHBoxLayout()
        self.current = QLabel("—")
        self.current.setObjectName("current")
        self.current.setMinimumWidth(150)
        visitor.addWidget(self.current)
        self.details = QLabel("")
        self.details.setWordWrap(True)
        visitor.addWidget(self.details, 1)
        layout.addLayout(visitor)
        self.call_next_button = self._button("Call next", self.call_next, "call_next")
        layout.addWidget(self.call_next_button)
        grid = QGridLayout()
        self.recall_button = self._button("Recall", self.recall, "recall")
        self.start_button = self._button("Start", self.start, "start")
        self.no_show_button = self._button("No-show", self.no_show, "no_show")
        self.park_button = self._button("Park", self.park, "park")
        for index, widget in enumerate(
            (self.recall_button, self.start_button, self.no_show_button, self.park_button)
        ):
            grid.addWidget(widget, 0, index)
        layout.addLayout(grid)
        finish_row = QGridLayout()
        self.outcome = QComboBox()
        self.outcome.setObjectName("outcome")
        for code, text in OUTCOMES:
            self.outcome.addItem(text, code)
        self.outcome_detail = QLineEdit()
        self.outcome_detail.setObjectName("outcome_detail")
        self.outcome.currentIndexChanged.connect(self._outcome_chosen)
        self._outcome_chosen()
        self.finish_button = self._button("Finish", self.finish, "finish")
        finish_row.addWidget(self.outcome, 0, 0)
        finish_row.addWidget(self.outcome_detail, 0, 1)
        finish_row.addWidget(self.finish_button, 0, 2)
        finish_row.setColumnStretch(0, 3)
        finish_row.setColumnStretch(1, 3)
        finish_row.setColumnStretch(2, 1)
        layout.addLayout(finish_row)
        transfer_row = QHBoxLayout()
        self.transfer_to = QComboBox()
        self.transfer_to.setObjectName("transfer_to")
        for service in self.site.services:
            self.transfer_to.addItem(service.name, ("service", service.code))
        for desk in self.site.desks:
            if desk.name != self.desk.name:
                self.transfer_to.addItem(desk.name, ("desk", desk.name))
        self.transfer_button = self._button("Transfer", self.transfer, "transfer")
        transfer_row.addWidget(self.transfer_to, 4)
        transfer_row.addWidget(self.transfer_button, 1)
        layout.addLayout(transfer_row)
        layout.addWidget(QLabel("<b>Parked here</b> (Resume calls them back to this desk)"))
        parked_row = QHBoxLayout()
        self.parked = QListWidget()
        self.parked.setObjectName("parked")
        self.parked.itemSelectionChanged.connect(self._enable_buttons)
        self.parked.setMinimumHeight(76)  # two or three visitors; more space when there is
        parked_row.addWidget(self.parked, 3)
        parked_buttons = QVBoxLayout()
        self.resume_button = self._button("Resume", self.resume, "resume")
        self.return_button = self._button("Return to queue", self.return_parked, "return_to_queue")
        parked_buttons.addWidget(self.resume_button)
        parked_buttons.addWidget(self.return_button)
        parked_buttons.addStretch(1)
        parked_row.addLayout(parked_buttons, 2)
        layout.addLayout(parked_row, 1)
        bottom = QHBoxLayout()
        self.break_button = self._button("Break", self.toggle_break, "break")
        bottom.addWidget(self.break_button)
        bottom.addWidget(self._button("Close desk", self.close_desk, "close_desk"))
        bottom.addWidget(self._button("SAFETY ALARM", self.alarm, "alarm"))
        layout.addLayout(bottom)
        return page

    # -- actions -----------------------------------------------------------------------------

    def sign_in(self) -> None:
        state = self.staff.sign_in(
            self.site.code, self.desk.name, self.name.text(), self.pin.text()
        )
        self.staff_name = state.staff_name
        self.actor = state.actor
        self.pin.clear()
        self.log.write("signed_in", site=self.site.code, desk=self.desk.name, staff=self.staff_name)
        self.stack.setCurrentIndex(1)
        self.tick.start()

    def call_next(self) -> None:
        """The next visitor by the queue policy; refused (by the core) while one is
        still at the desk or the desk is on a break."""
        result = self.office.call_next(self.site.code, self.desk.name, close_previous=False)
        if result.ticket is None:
            raise DomainError("nobody is waiting for this desk just now")
        self.log.write(
            "called",
            site=self.site.code,
            ticket=result.ticket,
            desk=self.desk.name,
            called_at=result.called_at,
        )

    def recall(self) -> None:
        visit = self.office.recall(self.site.code, desk=self.desk.name)
        self.log.write("recalled", site=self.site.code, ticket=visit.ticket, desk=self.desk.name)

    def start(self) -> None:
        visit = self.office.start(self.site.code, desk=self.desk.name)
        self.log.write("started", site=self.site.code, ticket=visit.ticket, desk=self.desk.name)

    def finish(self) -> None:
        outcome = Outcome.parse(self.outcome.currentData(), self.outcome_detail.text())
        visit = self.office.finish(self.site.code, outcome, desk=self.desk.name)
        self.outcome_detail.clear()
        self.log.write(
            "finished",
            site=self.site.code,
            ticket=visit.ticket,
            desk=self.desk.name,
            outcome=outcome.kind.value,
        )

    def no_show(self) -> None:
        visit = self.office.no_show(self.site.code, desk=self.desk.name)
        self.log.write("no_show", site=self.site.code, ticket=visit.ticket, desk=self.desk.name)

    def park(self) -> None:
        visit = self.office.park(self.site.code, desk=self.desk.name)
        self.log.write("parked", site=self.site.code, ticket=visit.ticket, desk=self.desk.name)

    def _outcome_chosen(self) -> None:
        code = self.outcome.currentData()
        self.outcome_detail.setPlaceholderText(DETAIL_HINTS.get(code, "Note (optional)"))

    def _selected_parked(self) -> str:
        items = self.parked.selectedItems()
        if not items:
            raise DomainError("choose a parked visitor in the list first")
        return str(items[0].data(Qt.ItemDataRole.UserRole))

    def resume(self) -> None:
        """Call a parked visitor back to this desk (the display announces it again)."""
        visit = self.office.call_ticket(self.site.code, self.desk.name, self._selected_parked())
        self.log.write(
            "called",
            site=self.site.code,
            ticket=visit.ticket,
            desk=self.desk.name,
            called_at=visit.called_at.isoformat() if visit.called_at else None,
            resumed=True,
        )

    def return_parked(self) -> None:
        visit = self.office.return_to_queue(self.site.code, self._selected_parked(), by=self.actor)
        self.log.write("returned", site=self.site.code, ticket=visit.ticket, desk=self.desk.name)

    def transfer(self) -> None:
        """The visitor at the desk, or (when nobody is) the parked visitor chosen."""
        kind, target = self.transfer_to.currentData()
        where = {"to_service": target} if kind == "service" else {"to_desk": target}
        if self._current is not None:
            visit = self.office.transfer(self.site.code, desk=self.desk.name, **where)
        else:
            visit = self.office.transfer(self.site.code, self._selected_parked(), **where)
        self.log.write(
            "transferred", site=self.site.code, ticket=visit.ticket, desk=self.desk.name, to=target
        )

    def toggle_break(self) -> None:
        status = "open" if self.on_break else "break"
        self.staff.set_status(self.site.code, self.desk.name, status)
        self.on_break = status == "break"
        self.log.write(
            "break" if self.on_break else "back_from_break",
            site=self.site.code,
            desk=self.desk.name,
            staff=self.staff_name,
        )

    def close_desk(self) -> None:
        self.staff.set_status(self.site.code, self.desk.name, "closed")
        self.log.write(
            "signed_out", site=self.site.code, desk=self.desk.name, staff=self.staff_name
        )
        self.tick.stop()
        self.stack.setCurrentIndex(0)

    def alarm(self) -> None:
        self._alarm_id = self.notices.raise_alert(
            self.site.code,
            "safety",
            self.desk.name,
            f"SAFETY ALARM at {self.desk.name}"
            + (f" ({self.staff_name})" if self.staff_name else ""),
        )
        self.log.write(
            "safety_alarm", site=self.site.code, desk=self.desk.name, alert_id=self._alarm_id
        )

    def _show_alarm(self) -> None:
        """Tell the CSA the alarm went, then that reception has acknowledged it."""
        if self._alarm_id is None:
            self.alarm_status.setVisible(False)
            return
        try:
            alarm = self.notices.alert(self.site.code, self._alarm_id)
        except DomainError:
            self._alarm_id = None
            self.alarm_status.setVisible(False)
            return
        zone = ZoneInfo(self.site.timezone)
        if alarm.resolved_at is None:
            self.alarm_status.setText(
                f"⚠ ALARM SENT at {alarm.raised_at.astimezone(zone):%H:%M}: reception and "
                "supervisors are alerted. Waiting for reception to acknowledge."
            )
        elif datetime.now(UTC) - alarm.resolved_at > ACKNOWLEDGED_SHOWN:
            self._alarm_id = None
            self.alarm_status.setVisible(False)
            return
        else:
            self.alarm_status.setText(
                f"✔ Reception acknowledged your alarm at "
                f"{alarm.resolved_at.astimezone(zone):%H:%M}: help is on the way."
            )
        self.alarm_status.setVisible(True)

    # -- showing -------------------------------------------------------------------------------

    def closeEvent(self, event: Any) -> None:
        self.tick.stop()
        self.housekeeping.stop()
        super().closeEvent(event)

    def refresh(self) -> None:
        from sqlalchemy.exc import OperationalError

        try:
            self._refresh()
        except OperationalError:
            self.error.setText(OFFLINE)
            self.error.setVisible(True)
            self.offline = True
            return
        if self.offline:  # back: the notice goes by itself (a refusal's message stays)
            self.offline = False
            if self.error.text() == OFFLINE:
                self.error.setVisible(False)

    def _refresh(self) -> None:
        self._show_alarm()
        if self.stack.currentIndex() == 0:
            return
        self.heading.setText(f"<b>{self.desk.name}</b> — {self.staff_name}")
        mine = [v for v in self.office.with_desks(self.site.code) if v.desk == self.desk.name]
        at_desk = [v for v in mine if v.state in (State.CALLED, State.SERVING)]
        visit = at_desk[0] if at_desk else None
        self._current = visit
        self._show_parked([v for v in mine if v.state is State.PARKED])
        if visit is None:
            self.current.setText("—")
            self.details.setText("Nobody at the desk.")
        else:
            service = self.site.service(visit.service).name
            minutes = (datetime.now(UTC) - visit.arrived_at).total_seconds() / 60
            flags = ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in visit.flags.items())
            self.current.setText(visit.ticket)
            self.details.setText(
                f"{service} — {visit.state.value}, arrived {minutes:.0f} min ago"
                + (" — PRIORITY" if visit.priority else "")
                + (f" — {flags}" if flags else "")
            )
        waiting = [w for w in self.office.waiting(self.site.code) if self.desk.serves(w.service)]
        session = next(
            (d for d in self.staff.desks(self.site.code) if d.desk == self.desk.name), None
        )
        self.on_break = session is not None and session.status == "break"
        self.break_button.setText("Back from break" if self.on_break else "Break")
        self.waiting.setText(
            f"ON A BREAK — {len(waiting)} waiting for this desk"
            if self.on_break
            else f"{len(waiting)} waiting for this desk"
        )
        self._enable_buttons()

    def _show_parked(self, parked: list[Visit]) -> None:
        chosen = {i.data(Qt.ItemDataRole.UserRole) for i in self.parked.selectedItems()}
        now = datetime.now(UTC)
        self.parked.clear()
        for visit in sorted(parked, key=lambda v: v.parked_at or v.arrived_at):
            since = visit.parked_at or now
            item = QListWidgetItem(
                f"{visit.ticket}  {self.site.service(visit.service).name} — parked "
                f"{(now - since).total_seconds() / 60:.0f} min"
            )
            item.setData(Qt.ItemDataRole.UserRole, visit.ticket)
            self.parked.addItem(item)
            item.setSelected(visit.ticket in chosen)

    def _enable_buttons(self) -> None:
        visit = self._current
        called = visit is not None and visit.state is State.CALLED
        serving = visit is not None and visit.state is State.SERVING
        parked_chosen = bool(self.parked.selectedItems())
        self.recall_button.setEnabled(called)
        self.start_button.setEnabled(called)
        self.no_show_button.setEnabled(called)
        self.finish_button.setEnabled(serving)
        self.park_button.setEnabled(called or serving)
        self.transfer_button.setEnabled(called or serving or parked_chosen)
        self.call_next_button.setEnabled(visit is None and not self.on_break)
        self.resume_button.setEnabled(parked_chosen and visit is None and not self.on_break)
        self.return_button.setEnabled(parked_chosen)
