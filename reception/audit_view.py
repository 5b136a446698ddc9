"""The audit trail on the reception console's Supervisor tab: who did what and when.

The same trail as `onestop audit` (shared/audit.py): local days from and to, one
member of staff or everyone. It is read when the supervisor asks (Show), never on
the console's timer: each reading is itself recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shared.audit import Step, trail
from shared.domain import DomainError

EVERYONE = "Everyone"
WORDS = {  # what each step is called on screen (the rest: its code with spaces)
    "checked_in": "checked in",
    "no_show": "no-show",
    "sign_in_refused": "sign-in refused",
    "locked_out": "LOCKED OUT",
    "kiosk_pin_refused": "kiosk PIN refused",
    "kiosk_pin_locked": "kiosk keypad LOCKED",
    "kiosk_unlocked": "kiosk staff page opened",
    "delay_notice_set": "delay notice set",
    "delay_notice_cleared": "delay notice cleared",
    "alarm_raised": "SAFETY ALARM",
    "audit_viewed": "audit trail read",
    "desk_break": "break",
    "desk_open": "back from break",
}
WARNING = {"sign_in_refused", "locked_out", "kiosk_pin_refused", "kiosk_pin_locked", "alarm_raised"}
COLUMNS = ["Time", "Who", "Where", "What", "Ticket", "Detail"]


def words(action: str) -> str:
    return WORDS.get(action, action.replace("_", " "))


class AuditView(QWidget):
    def __init__(
        self,
        db: Any,
        site: str,
        timezone: str,
        actor: Callable[[], Any],
        names: Callable[[], list[str]],
    ) -> None:
        """`actor`: the supervisor signed in (asked at each Show); `names`: staff to choose."""
        super().__init__()
        self.setObjectName("audit_view")
        self.db, self.site, self.zone = db, site, ZoneInfo(timezone)
        self.actor, self.names = actor, names
        self.steps: list[Step] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        days, who = QHBoxLayout(), QHBoxLayout()  # two rows: it fits a quarter screen
        today = QDate.currentDate()
        self.start = self._date("audit_from", today)
        self.end = self._date("audit_to", today)
        self.staff = QComboBox()
        self.staff.setObjectName("audit_staff")
        self.staff.setEditable(True)
        self.staff.setMinimumContentsLength(8)
        self.show_button = QPushButton("Show")
        self.show_button.setObjectName("audit_show")
        self.show_button.clicked.connect(self.show_trail)
        for row, text, widget in (
            (days, "From", self.start),
            (days, "to", self.end),
            (who, "Who", self.staff),
        ):
            row.addWidget(QLabel(text))
            row.addWidget(widget, 1 if widget is self.staff else 0)
        days.addStretch(1)
        who.addWidget(self.show_button)
        layout.addLayout(days)
        layout.addLayout(who)
        self.summary = QLabel("Choose the days (and who), then Show.")
        self.summary.setObjectName("audit_summary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("audit_table")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)

    @staticmethod
    def _date(name: str, day: QDate) -> QDateEdit:
        edit = QDateEdit(day)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        return edit

    def fill_names(self) -> None:
        chosen = self.staff.currentText()
        self.staff.clear()
        self.staff.addItem(EVERYONE)
        for name in self.names():
            self.staff.addItem(name)
        self.staff.setCurrentText(chosen or EVERYONE)

    def period(self) -> tuple[date, date]:
        first, last = self.start.date().toPython(), self.end.date().toPython()
        assert isinstance(first, date) and isinstance(last, date)
        return first, last

    def show_trail(self) -> None:
        """Read the trail for the days and the member chosen (DomainError says why not)."""
        first, last = self.period()
        who = self.staff.currentText().strip()
        staff = None if who in ("", EVERYONE) else who
        try:
            self.steps = trail(self.db, self.site, first, last, staff=staff, by=self.actor())
        except DomainError as error:
            self.summary.setText(str(error))
            return
        self._fill()
        span = f"{first:%d/%m/%Y}" + (f" to {last:%d/%m/%Y}" if last != first else "")
        refused = sum(s.action in WARNING for s in self.steps)
        self.summary.setText(
            f"<b>{len(self.steps)}</b> entries, {span}"
            + (f", {staff}" if staff else ", everyone")
            + (f" — <b>{refused}</b> refused sign-ins, lock-outs or alarms" if refused else "")
        )

    def _fill(self) -> None:
        multi_day = len({s.at.astimezone(self.zone).date() for s in self.steps}) > 1
        self.table.setRowCount(len(self.steps))
        for row, step in enumerate(reversed(self.steps)):  # the newest first
            local = step.at.astimezone(self.zone)
            detail = " ".join(
                p for p in (step.detail or "", f'"{step.note}"' if step.note else "") if p
            )
            values = [
                local.strftime("%d/%m %H:%M:%S" if multi_day else "%H:%M:%S"),
                step.staff or "",
                step.place or "",
                words(step.action),
                step.ticket or "",
                detail,
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # a long detail, cut short in its column
                if step.action in WARNING:
                    item.setBackground(QColor("#ffdd00"))
                    item.setForeground(QColor("#0b0c0c"))
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, step.at.isoformat())
                self.table.setItem(row, column, item)
