"""The check-in kiosk's screens.

Every screen keeps its words in the upper half and every control in the lower
half (reachable from a wheelchair), with touch targets of at least 15 mm. A walk-in
gets a ticket in at most three touches: group, service, and "Get my ticket" only
when the service asks its optional questions (a group of one service skips a step).
What every public screen shares (languages, themes, read aloud, more time, the
supervisor's PIN, kiosk mode) is in kiosk/screen.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
)

from kiosk.i18n import ticket_labels
from kiosk.presenter import KioskPresenter
from kiosk.screen import TouchScreen
from kiosk.widgets import FitButton, Page, add_keyboard, button, label, tr, with_icon
from shared.domain import Service
from shared.domain.model import WEEKDAYS

# Re-exported for the apps and tests that build screens from these pieces.
__all__ = ["FitButton", "KioskWindow", "Page", "button", "label", "tr"]

TICKET_SECONDS = 20  # the ticket screen, then the next visitor
FAILED_TICKET_SECONDS = 60  # no paper ticket: time to note the number
WATCH_SECONDS = 10  # how often a waiting kiosk looks at the hours and notices again

# Languages an interpreter is most often asked for in Sefton, by their own names (the
# English name is what staff see). For another language the visitor tells reception.
INTERPRETER_LANGUAGES = [
    ("Polish", "Polski"),
    ("Arabic", "العربية"),
    ("Romanian", "Română"),
    ("Portuguese", "Português"),
    ("Kurdish", "Kurdî"),
    ("Farsi", "فارسی"),
    ("Chinese", "中文"),
    ("Lithuanian", "Lietuvių"),
    ("Latvian", "Latviešu"),
    ("Tigrinya", "ትግርኛ"),
    ("British Sign Language", "BSL"),
    ("Another language", "Another language"),
]

QUESTION_TEXT = {
    "private_room": "I would like to talk in a private room",
    "interpreter": "I need an interpreter",
    "hearing_loop": "I use a hearing loop",
    "step_free_access": "I need step-free access",
}


class KioskWindow(TouchScreen):
    WAITING_PAGES = ("welcome", "closed", "staff")

    def __init__(
        self,
        presenter: KioskPresenter,
        *,
        kiosk_mode: bool = True,
        speak: Callable[[str, str], None] | None = None,
        screen_scale: float = 1.0,
    ) -> None:
        super().__init__(
            presenter.site, kiosk_mode=kiosk_mode, speak=speak, screen_scale=screen_scale
        )
        # The window owns its presenter (and the printing pool): both go with the window,
        # on the GUI thread, never when a print job's thread drops the last reference.
        presenter.setParent(self)
        self.presenter = presenter
        self.staff_db, self.place = presenter.office.db, presenter.name  # the keypad's PINs
        self.flags: dict[str, str] = {}
        self.chosen: Service | None = None
        self.current_ticket: dict[str, Any] | None = None
        # Opening hours, reception closing the office and the delay notice change while
        # the kiosk waits: look again now and then (and whenever the queue is notified).
        self.watch = QTimer(self, interval=WATCH_SECONDS * 1000)
        self.watch.timeout.connect(self.refresh_state)
        self.watch.start()
        self.printer_check = QTimer(self, interval=15_000)  # while the printer is down
        self.printer_check.timeout.connect(presenter.probe_printer)
        # The ticket screen counts down to the next visitor (longer when the number must
        # be remembered because the printer failed); a touch starts the count again.
        self.done_timer = QTimer(self, interval=1000)
        self.done_timer.timeout.connect(self._done_tick)
        self.done_left = 0
        self.done_seconds = TICKET_SECONDS
        presenter.issued.connect(self.show_ticket)
        presenter.refused.connect(self.show_refusal)
        presenter.help_raised.connect(lambda: self.show_reception("help"))
        presenter.sent_to_reception.connect(self.show_reception)
        presenter.online_changed.connect(self._online_changed)
        presenter.print_finished.connect(self.show_print_result)
        presenter.printer_state.connect(self._printer_banner)
        presenter.test_printed.connect(self._test_printed)
        self.setWindowTitle(f"OneStop check-in — {self.site.name}")
        self.build()
        self.start_watching_touches()

    # -- building ----------------------------------------------------------------------

    def pages_to_build(self) -> list[tuple[str, Callable[[Page], None]]]:
        return [
            ("welcome", self._welcome),
            ("appointment", self._appointment),
            ("help", self._help),
            ("closed", self._closed),
            ("ticket", self._ticket),
            ("questions", self._questions),
            ("services", self._services),
            ("not_found", self._not_found),
            ("staff", self._staff),
            ("interpreter", self._interpreter),
        ]

    def after_build(self) -> None:
        self._printer_banner(self.presenter.printer_ok, "")

    def _welcome(self, page: Page) -> None:
        page.words.addWidget(self.site_title("site_name"))
        page.words.addWidget(label(tr("Welcome. Touch what you have come about."), "big"))
        self.welcome_notice = label("", "warning")
        page.words.addWidget(self.welcome_notice)
        grid = QGridLayout()
        grid.setSpacing(16)
        groups = self._groups()
        icons = {}
        for service in self.site.services:
            icons.setdefault(service.group, service.icon)
        entries = [
            (
                tr(group),
                lambda g=group: self.choose_group(g),
                f"group_{index}",
                icons.get(group, ""),
            )
            for index, group in enumerate(groups)
        ]
        entries.append(
            (
                tr("I have an appointment"),
                lambda: self.go("appointment"),
                "appointment",
                "appointment",
            )
        )
        entries.append((tr("I need help"), self.presenter.request_help, "need_help", "help"))
        self.welcome_grid = grid
        self.welcome_buttons = [
            with_icon(button(text, action, name=name), icon) for text, action, name, icon in entries
        ]
        self._arrange_welcome()
        page.controls.addLayout(grid)

    def _arrange_welcome(self) -> None:
        """The welcome buttons in a grid: larger text gets one column fewer (wider buttons)."""
        count = len(self.welcome_buttons)
        columns = 4 if count > 9 else 3 if count > 4 else 2
        if self.large_text:
            columns = max(2, columns - 1)
        for widget in self.welcome_buttons:
            self.welcome_grid.removeWidget(widget)
        for index, widget in enumerate(self.welcome_buttons):
            self.welcome_grid.addWidget(widget, index // columns, index % columns)

    def _services(self, page: Page) -> None:
        self.services_heading = label("", "heading")
        page.words.addWidget(self.services_heading)
        page.words.addWidget(label(tr("Touch the one that fits best."), "big"))
        self.services_box = QGridLayout()
        self.services_box.setSpacing(16)
        page.controls.addLayout(self.services_box, 4)
        page.controls.addWidget(button(tr("Back"), self.home, "secondary", "back"), 1)

    def _questions(self, page: Page) -> None:
        self.questions_heading = label("", "heading")
        page.words.addWidget(self.questions_heading)
        page.words.addWidget(label(tr("Do you need any of these? Touch all that apply."), "big"))
        self.questions_box = QGridLayout()
        page.controls.addLayout(self.questions_box, 4)
        row = QHBoxLayout()
        row.addWidget(button(tr("Back"), self.back_from_questions, "secondary", "back"), 1)
        row.addWidget(button(tr("Get my ticket"), self.take_ticket, name="get_ticket"), 2)
        page.controls.addLayout(row, 1)

    def _interpreter(self, page: Page) -> None:
        """Which language the interpreter should speak, asked once the visitor wants one.
        Each language by its own name; staff see the English name with the visitor."""
        page.words.addWidget(label(tr("I need an interpreter"), "heading"))
        page.words.addWidget(label(tr("Which language?"), "big"))
        grid = QGridLayout()
        grid.setSpacing(12)
        self.interpreter_group = QButtonGroup(page)
        for index, (english, own) in enumerate(INTERPRETER_LANGUAGES):
            shown = tr(own) if english == own else own
            choice = button(shown, lambda e=english: self._interpreter_language(e), "secondary")
            choice.setObjectName(f"interpreter_{english.split()[0].lower()}")
            choice.setCheckable(True)
            self.interpreter_group.addButton(choice)
            grid.addWidget(choice, index // 4, index % 4)
        page.controls.addLayout(grid, 3)
        page.controls.addWidget(
            button(tr("Back"), self._no_interpreter_language, "secondary", "back"), 1
        )

    def _interpreter_language(self, english: str) -> None:
        """The visitor chose a language: back to the questions, the choice on its button."""
        self.flags["interpreter"] = english
        own = dict(INTERPRETER_LANGUAGES)[english]
        shown = tr(own) if english == own else own
        toggle = self.findChild(FitButton, "q_interpreter")
        if toggle is not None:
            toggle.blockSignals(True)
            toggle.setChecked(True)
            toggle.blockSignals(False)
            toggle.setFullText(f"{tr(QUESTION_TEXT['interpreter'])}: {shown}")
        self.go("questions")

    def _no_interpreter_language(self) -> None:
        """Back without choosing: no interpreter asked for after all."""
        self.flags.pop("interpreter", None)
        toggle = self.findChild(FitButton, "q_interpreter")
        if toggle is not None:
            toggle.blockSignals(True)
            toggle.setChecked(False)
            toggle.blockSignals(False)
            toggle.setFullText(tr(QUESTION_TEXT["interpreter"]))
        self.go("questions")

    def _appointment(self, page: Page) -> None:
        page.words.addWidget(label(tr("I have an appointment"), "heading"))
        page.words.addWidget(
            label(
                tr("Type the booking reference from your letter or text, or scan its code below."),
                "big",
            )
        )
        self.reference = QLineEdit()
        self.reference.setObjectName("reference")
        self.reference.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reference.returnPressed.connect(self.submit_reference)  # a USB scanner ends with Enter
        page.words.addWidget(self.reference)
        add_keyboard(page.controls, self.reference, space=False)
        row = QHBoxLayout()
        row.addWidget(button(tr("Back"), self.home, "secondary", "back"), 1)
        row.addWidget(
            button(tr("I don't have it"), self.presenter.request_help, "secondary", "no_reference"),
            1,
        )
        row.addWidget(button(tr("Check in"), self.submit_reference, name="check_in"), 2)
        page.controls.addLayout(row, 1)

    def _not_found(self, page: Page) -> None:
        page.words.addWidget(label(tr("We could not find that booking."), "heading"))
        self.refusal = label("", "big")
        page.words.addWidget(self.refusal)
        page.words.addWidget(
            label(tr("Please check the reference, or ask reception: they will help you."), "big")
        )
        row = QHBoxLayout()
        row.addWidget(button(tr("Try again"), lambda: self.go("appointment"), name="try_again"))
        row.addWidget(
            button(tr("Ask reception for help"), self.presenter.request_help, name="ask_reception")
        )
        page.controls.addLayout(row)
        page.controls.addWidget(button(tr("Start again"), self.home, "secondary", "back"))

    def _ticket(self, page: Page) -> None:
        # Words (number, service, waits, notices) above; below, only what to touch. A
        # preview printer's ticket shows beside the words, where a paper one would come out.
        row = QHBoxLayout()
        column = QVBoxLayout()
        column.addWidget(label(tr("Your number is"), "heading"))
        self.ticket_number = label("", "number")
        self.ticket_number.setObjectName("ticket_number")
        column.addWidget(self.ticket_number)
        self.ticket_service = label("", "heading")
        column.addWidget(self.ticket_service)
        self.ticket_details = label("")
        column.addWidget(self.ticket_details)
        self.ticket_delay = label("", "warning")
        column.addWidget(self.ticket_delay)
        self.print_status = label(tr("Printing your ticket…"))
        self.print_status.setObjectName("print_status")
        column.addWidget(self.print_status)
        row.addLayout(column, 3)
        self.ticket_preview = QLabel()
        self.ticket_preview.setObjectName("ticket_preview")
        self.ticket_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_preview.setVisible(False)
        row.addWidget(self.ticket_preview, 1)
        page.words.addLayout(row)
        page.controls.addStretch(1)
        bottom = QHBoxLayout()
        self.done_note = label("", "note")
        self.done_note.setObjectName("done_note")
        bottom.addWidget(self.done_note, 2)
        done = button(tr("Done"), self.next_visitor, name="done")
        done.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        bottom.addWidget(done, 1)
        page.controls.addLayout(bottom)

    def _help(self, page: Page) -> None:
        self.help_heading = label("", "heading")
        page.words.addWidget(self.help_heading)
        self.help_text = label("", "big")
        page.words.addWidget(self.help_text)
        page.controls.addWidget(button(tr("Done"), self.next_visitor, name="done"))

    def show_reception(self, why: str) -> None:
        """Help is coming, or (offline, when the kiosk cannot serve the visitor) the
        visitor is asked to go to the reception desk, and why."""
        heading, words = {
            "help": (
                tr("Help is on its way"),
                tr("Someone from reception will come to help you. Please take a seat nearby."),
            ),
            "help_offline": (
                tr("Please go to the reception desk"),
                tr("The kiosk cannot call reception just now. Staff at the desk will help you."),
            ),
            "appointment_offline": (
                tr("Please go to the reception desk"),
                tr("We cannot look up bookings just now. Reception will check you in."),
            ),
            "unavailable": (
                tr("Check-in is not available just now"),
                tr("Please go to the reception desk: staff there will check you in."),
            ),
        }[why]
        self.help_heading.setText(heading)
        self.help_text.setText(words)
        self.go("help")

    def _closed(self, page: Page) -> None:
        page.words.addWidget(self.site_title("closed_site_name"))  # staff can reopen from here
        page.words.addWidget(label(tr("Sorry, this office is closed"), "big"))
        self.closed_message = label("", "")
        page.words.addWidget(self.closed_message)
        page.controls.addWidget(label(tr("Opening hours"), "heading"))
        hours = QGridLayout()
        hours.setHorizontalSpacing(32)
        hours.setVerticalSpacing(4)
        for index, day in enumerate(WEEKDAYS):
            span = self.site.opening_hours.days.get(index)
            when = f"{span[0]:%H:%M}–{span[1]:%H:%M}" if span else tr("closed")
            name = label(tr(day.capitalize()), "", wrap=False)
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value = label(when, "", wrap=False)
            value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            hours.addWidget(name, index, 0)
            hours.addWidget(value, index, 1)
        page.controls.addLayout(hours)
        page.controls.addStretch(1)

    # -- navigation ------------------------------------------------------------------------

    def _groups(self) -> list[str]:
        groups: list[str] = []
        for service in self.site.services:
            if service.group not in groups:
                groups.append(service.group)
        return groups

    def home(self) -> None:
        self.done_timer.stop()
        self.flags = {}
        self.chosen = None
        self.reference.clear()
        notice = self.presenter.notice()
        if not self.presenter.is_open():
            self.closed_message.setText(notice.closed_message or "")
            self.go("closed")
            return
        if notice.delay_reason:
            minutes = f" ({tr('about')} {notice.delay_minutes} min)" if notice.delay_minutes else ""
            self.welcome_notice.setText(
                tr("We are busier than usual:") + f" {notice.delay_reason}{minutes}"
            )
        self.welcome_notice.setVisible(bool(notice.delay_reason))
        self.go("welcome")

    def refresh_state(self, *_args: Any) -> None:
        """While nobody is using it, the kiosk follows the hours and reception's notices:
        it closes, opens, and shows or clears the delay notice without waiting for a touch."""
        if self.current_page in ("welcome", "closed"):
            self.home()

    def choose_group(self, group: str) -> None:
        services = [s for s in self.site.services if s.group == group]
        if len(services) == 1:
            self.choose_service(services[0])
            return
        while self.services_box.count():
            item = self.services_box.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        self.services_heading.setText(tr(group))
        for index, service in enumerate(services):
            choice = with_icon(
                button(
                    tr(service.name),
                    lambda s=service: self.choose_service(s),
                    name=f"service_{index}",
                ),
                service.icon,
            )
            self.services_box.addWidget(choice, index // 2, index % 2)
        self.go("services")

    def choose_service(self, service: Service) -> None:
        self.chosen = service
        if not service.questions:
            self.take_ticket()
            return
        while self.questions_box.count():
            item = self.questions_box.takeAt(0)
            if item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        self.questions_heading.setText(tr(service.name))
        for index, question in enumerate(service.questions):
            toggle = button(tr(QUESTION_TEXT[question]), lambda: None, name=f"q_{question}")
            toggle.setCheckable(True)
            toggle.toggled.connect(lambda on, q=question: self._flag(q, on))
            self.questions_box.addWidget(toggle, index // 2, index % 2)
        self.go("questions")

    def back_from_questions(self) -> None:
        """Back one step: to the group's services, or home when the group has one service."""
        group = self.chosen.group if self.chosen is not None else None
        if group is not None and sum(1 for s in self.site.services if s.group == group) > 1:
            self.flags = {}
            self.choose_group(group)
        else:
            self.home()

    def _flag(self, question: str, on: bool) -> None:
        if question == "interpreter":
            if on:
                self._ask_interpreter_language()
            else:
                self._no_interpreter_language()
            return
        if on:
            self.flags[question] = "yes"
        else:
            self.flags.pop(question, None)

    def _ask_interpreter_language(self) -> None:
        # The visitor's screen language is the likely answer: shown chosen, changeable.
        spoken = {"pl": "Polish", "ar": "Arabic"}.get(self.language, "")
        self.interpreter_group.setExclusive(False)
        for choice in self.interpreter_group.buttons():
            choice.setChecked(choice.objectName() == f"interpreter_{spoken.lower()}")
        self.interpreter_group.setExclusive(True)
        self.go("interpreter")

    def take_ticket(self) -> None:
        if self.chosen is not None:
            self.presenter.check_in(self.chosen.code, dict(self.flags))

    def submit_reference(self) -> None:
        self.presenter.check_in_appointment(self.reference.text())

    # -- results ---------------------------------------------------------------------------

    def show_ticket(self, result: dict[str, Any]) -> None:
        self.current_ticket = result
        self.ticket_number.setText(result["ticket"])
        self.ticket_number.setProperty("spoken", " ".join(result["ticket"]))
        self.ticket_service.setText(tr(self.site.service(result["service"]).name))
        offline = result.get("offline", False)  # nobody knows the queue just now
        details = (
            tr("Please take a seat: we will call your number.")
            if offline
            else tr("People ahead of you: {n}").format(n=result["ahead"])
            + "\n"
            + tr("Estimated wait: about {n} min").format(n=result["estimated_wait_minutes"])
        )
        self.ticket_details.setText(details)
        notice = self.presenter.notice()
        delayed = bool(notice.delay_reason) or (
            not offline and result["estimated_wait_minutes"] > self.site.targets.serve_minutes
        )
        self.ticket_delay.setText(
            tr("We are busier than usual:")
            + " "
            + (notice.delay_reason or tr("sorry for the wait."))
        )
        self.ticket_delay.setVisible(delayed)
        self.print_status.setProperty("role", "")
        self.print_status.style().unpolish(self.print_status)
        self.print_status.style().polish(self.print_status)
        self.print_status.setText(tr("Printing your ticket…"))
        self.ticket_preview.clear()
        self.ticket_preview.setVisible(False)
        self.go("ticket")
        self._start_done_countdown(TICKET_SECONDS)
        if self.reading_aloud:
            self.speak(tr("Your number is") + " " + " ".join(result["ticket"]), self.language)

    def show_print_result(self, ticket: str, outcome: dict[str, Any]) -> None:
        if self.current_ticket is None or self.current_ticket["ticket"] != ticket:
            return
        if outcome["printed"]:
            self.print_status.setProperty("role", "")
            self.print_status.setText(tr("Please take your ticket."))
            self._show_preview(outcome.get("preview"))
        else:
            self._start_done_countdown(FAILED_TICKET_SECONDS)
            self.print_status.setProperty("role", "warning")
            self.print_status.style().unpolish(self.print_status)
            self.print_status.style().polish(self.print_status)
            self.print_status.setText(
                tr(
                    "The printer is not working. Please remember your number: {ticket}. "
                    "Reception knows, and you are in the queue."
                ).format(ticket=ticket)
            )

    def _show_preview(self, path: str | None) -> None:
        pixmap = QPixmap(path) if path else QPixmap()
        if pixmap.isNull():
            return
        room = max(240, min(520, self.pages["ticket"].height() // 2))
        self.ticket_preview.setPixmap(
            pixmap.scaledToHeight(room, Qt.TransformationMode.SmoothTransformation)
        )
        self.ticket_preview.setVisible(True)

    def _start_done_countdown(self, seconds: int) -> None:
        self.done_left = seconds
        self.done_seconds = seconds
        self._show_done_left()
        self.done_timer.start()

    def _done_tick(self) -> None:
        self.done_left -= 1
        if self.done_left <= 0:
            self.done_timer.stop()
            self.next_visitor()
            return
        self._show_done_left()

    def _show_done_left(self) -> None:
        self.done_note.setText(
            tr("This screen goes back to the start in {n} seconds.").format(n=self.done_left)
        )

    def _show_banner(self) -> None:
        """What is not working, at the top of every screen: the database, the printer."""
        offline, printer_down = not self.presenter.online, not self.presenter.printer_ok
        if offline and not self.presenter.offline_ok:  # it cannot record a check-in
            words = tr("Working offline: please check in at the reception desk.")
        elif offline and printer_down:  # one line, as each alone: the page keeps its room
            words = tr("Working offline and the printer is not working: your number is on screen.")
        elif offline:
            words = tr("Working offline: your ticket is valid and you will be called.")
        else:
            words = tr("The ticket printer is not working: your number is shown on screen.")
        self.set_banner(words if offline or printer_down else "")

    def _online_changed(self, online: bool) -> None:
        self._show_banner()
        if online:
            self.refresh_state()  # reception's notices as they are now

    def _printer_banner(self, working: bool, _message: str) -> None:
        self._show_banner()
        if working:
            self.printer_check.stop()
        elif not self.printer_check.isActive():
            self.printer_check.start()

    def show_refusal(self, kind: str, message: str) -> None:
        if kind == "closed":  # the office closed while this visitor was choosing
            self.home()
            return
        self.refusal.setText(message if kind != "not_found" else "")
        self.go("not_found")

    # -- accessibility -----------------------------------------------------------------------

    def set_language(self, code: str) -> None:
        self.presenter.language = code
        super().set_language(code)  # installs the translation, then rebuilds
        self.presenter.labels = ticket_labels({s.code: s.name for s in self.site.services})

    def toggle_text(self) -> None:
        super().toggle_text()
        self._arrange_welcome()

    def read_on_arrival(self, name: str) -> bool:
        return name != "ticket"  # the ticket screen says its number itself

    def on_touch(self) -> None:
        if self.done_timer.isActive():
            self.done_left = self.done_seconds
            self._show_done_left()

    # -- staff ---------------------------------------------------------------------------------

    def staff_page(self) -> None:
        self.staff_status.setText("")
        self._refresh_staff()
        self.go("staff")

    def _staff(self, page: Page) -> None:
        page.words.addWidget(label(tr("Staff settings"), "heading"))
        page.words.addWidget(label(f"{self.presenter.name} · {self.site.name}"))
        self.staff_status = label("", "big")
        page.words.addWidget(self.staff_status)
        grid = QGridLayout()
        grid.setSpacing(16)
        grid.addWidget(button(tr("Print a test ticket"), self.test_print, name="test_print"), 0, 0)
        self.open_close = button("", self.toggle_closed, name="open_close")
        grid.addWidget(self.open_close, 0, 1)
        grid.addWidget(button(tr("Exit the kiosk"), self.exit_kiosk, "secondary", "exit"), 1, 0)
        grid.addWidget(
            button(tr("Back to visitors"), self.next_visitor, name="back_to_visitors"), 1, 1
        )
        page.controls.addLayout(grid)

    def _refresh_staff(self) -> None:
        closed = self.presenter.notice().closed
        self.open_close.setText(tr("Open the office") if closed else tr("Close the office"))

    def test_print(self) -> None:
        self.staff_status.setText(tr("Printing a test ticket…"))
        self.presenter.print_test()

    def _test_printed(self, outcome: Any) -> None:
        self.staff_status.setText(
            tr("Test ticket printed.")
            if outcome.printed
            else tr("Not printed:") + f" {outcome.error}"
        )

    def toggle_closed(self) -> None:
        closed = not self.presenter.notice().closed
        self.presenter.notices.set_closed(
            self.site.code, closed, tr("Closed by staff") if closed else None, place=self.place
        )
        self._refresh_staff()
