"""Exit survey mode (`onestop kiosk --mode survey`): the council's four questions.

One question per screen, big answers, every question skippable, done in under a
minute. Linked to the visit when the visitor scans their ticket's QR code or types
its number, anonymous otherwise. Satisfaction uses the council's five-point scale,
stored as 5 (very satisfied) down to 1 (very dissatisfied).

A visitor who walks away halfway is asked whether they need more time; when the
countdown ends, the answers they gave are kept (each question is optional anyway)
and the next visitor starts afresh, never adding to someone else's answers.
The public screen's common parts (languages, themes, read aloud, kiosk mode, the
supervisor's PIN) come from kiosk/screen.py.

While the database cannot be reached the answers wait in the kiosk's outbox (with
the time they were given, by this PC's clock) and a worker sends them once it is
back; a banner says so meanwhile. A ticket typed offline is checked when they are
sent (one that is not found leaves the answers anonymous).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout
from sqlalchemy.exc import SQLAlchemyError

from kiosk.link import unreachable
from kiosk.outbox import Outbox, OutboxError
from kiosk.screen import TouchScreen
from kiosk.widgets import Page, add_keyboard, button, label, tr
from shared.domain import DomainError, NotFound, Site
from shared.domain.tickets import normalise_ticket, ticket_day
from shared.notices import Notices

SCALE = [
    (5, "Very satisfied"),
    (4, "Fairly satisfied"),
    (3, "Neither satisfied nor dissatisfied"),
    (2, "Fairly dissatisfied"),
    (1, "Very dissatisfied"),
]
QUESTIONS = [
    ("resolved", "Was your query fully resolved during your visit today?", "yes_no"),
    ("csa", "How satisfied were you with the Customer Service Advisor who helped you?", "scale"),
    ("overall", "How satisfied were you with your whole experience today?", "scale"),
    ("fair", "Did you feel you were treated fairly?", "yes_no"),
]
THANKS_SECONDS = 6
# What a ticket's QR code carries: site, local day and number (bootle-20261124-C023),
# inside whatever address the site prints (the exit survey's or My Account's).
TICKET_CODE = re.compile(r"([a-z0-9-]+)-(\d{8})-([A-Za-z]\d+)\b")


class NotToday(DomainError):
    """A ticket from another day or another office."""


def ticket_from_scan(scanned: str, site: str, today: str) -> str:
    """The ticket number in what the visitor scanned or typed: a QR code's address with
    the ticket's code, or the number itself ("c 23" and "C023" alike)."""
    found = TICKET_CODE.search(scanned.strip())
    if found is not None:
        code_site, day, number = found.groups()
        if code_site != site or day != today:
            raise NotToday("that ticket is from another day or another office")
        return normalise_ticket(number)
    return normalise_ticket("".join(scanned.split()))


SEND_SECONDS = 2  # how often answers kept offline are sent (and the database looked for)


class _SendAnswers(QRunnable):
    """Answers kept while the database was away, sent oldest first; then whether the
    database answered."""

    def __init__(self, window: SurveyWindow) -> None:
        super().__init__()
        self.window = window
        self.notices = window.notices
        self.outbox = window.outbox

    def run(self) -> None:
        from shared.qt.jobs import tell

        try:
            for kept in self.outbox.pending_surveys() if self.outbox is not None else []:
                values = dict(kept.answers, comment=kept.comment, language=kept.language)
                try:
                    self.notices.record_survey(
                        kept.site, ticket=kept.ticket, answered_at=kept.answered_at, **values
                    )
                except NotFound:  # a ticket typed offline that was never issued
                    self.notices.record_survey(
                        kept.site, ticket=None, answered_at=kept.answered_at, **values
                    )
                self.outbox.mark_survey_sent(kept.id, datetime.now(UTC))  # type: ignore[union-attr]
            with self.notices.db.transaction(write=False):
                pass  # nothing (more) to send: is the database there?
            online = True
        except SQLAlchemyError as error:
            online = not unreachable(error)
        except (DomainError, OutboxError):
            online = True  # the database answered; what is kept waits for the next round
        except Exception:  # never a traceback on a worker
            online = False
        tell(self.window, "answers_sent", online)


class SurveyWindow(TouchScreen):
    WAITING_PAGES = ("start", "staff")
    answers_sent = Signal(bool)  # from the sending worker: whether the database answered

    def __init__(
        self,
        notices: Notices,
        site: Site,
        *,
        kiosk_mode: bool = True,
        speak: Callable[[str, str], None] | None = None,
        clock: Callable[[], datetime] | None = None,
        outbox: Outbox | None = None,
    ) -> None:
        """`outbox`: where answers wait while the database is away (none: they are lost,
        and the visitor is told so)."""
        super().__init__(site, kiosk_mode=kiosk_mode, speak=speak)
        self.notices = notices
        self.staff_db, self.place = notices.db, "Exit survey"  # the keypad's PINs
        self.clock = clock or (lambda: datetime.now(UTC))
        self.outbox = outbox
        self.online = True
        self.send_pool = QThreadPool(self)
        self.send_pool.setMaxThreadCount(1)
        self._sending = False
        self.answers_sent.connect(self._after_sending)
        self.send_timer = QTimer(self, interval=SEND_SECONDS * 1000)
        self.send_timer.timeout.connect(self.send_kept_answers)
        self.send_timer.start()
        self.answers: dict[str, Any] = {}
        self.ticket: str | None = None
        self.step = 0
        self.restart_timer = QTimer(self, singleShot=True, interval=THANKS_SECONDS * 1000)
        self.restart_timer.timeout.connect(self.next_visitor)
        self.setWindowTitle(f"OneStop survey — {site.name}")
        self.build()
        self.start_watching_touches()

    def pages_to_build(self) -> list[tuple[str, Callable[[Page], None]]]:
        return [
            ("start", self._start),
            ("question", self._question),
            ("comment", self._comment),
            ("thanks", self._thanks),
            ("staff", self._staff),
        ]

    # -- pages ---------------------------------------------------------------------------

    def _start(self, page: Page) -> None:
        page.words.addWidget(self.site_title("site_name"))
        page.words.addWidget(label(tr("How did we do today?"), "big"))
        page.words.addWidget(label(tr("Four quick questions. Your answers help us improve."), ""))
        page.words.addWidget(
            label(tr("Scan or type your ticket number if you have it (optional)."))
        )
        self.ticket_entry = QLineEdit()
        self.ticket_entry.setObjectName("ticket_entry")
        self.ticket_entry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_entry.returnPressed.connect(self.begin)  # a scanner ends with Enter
        page.words.addWidget(self.ticket_entry)
        self.start_error = label("", "warning")
        self.start_error.setVisible(False)
        page.words.addWidget(self.start_error)
        # A ticket is one of the site's letters and digits: only those keys.
        letters = "".join(sorted({s.letter for s in self.site.services}))
        add_keyboard(
            page.controls,
            self.ticket_entry,
            space=False,
            characters=letters + "1234567890",
            columns=max(11, (len(letters) + 11) // 2),
        )
        page.controls.addWidget(button(tr("Start"), self.begin, name="begin"), 1)

    def _question(self, page: Page) -> None:
        self.progress = label("")
        page.words.addWidget(self.progress)
        self.question_text = label("", "big")
        page.words.addWidget(self.question_text)
        self.answer_box = QVBoxLayout()
        page.controls.addLayout(self.answer_box, 5)
        page.controls.addWidget(button(tr("Skip this question"), self.skip, "secondary", "skip"), 1)

    def _comment(self, page: Page) -> None:
        page.words.addWidget(label(tr("Is there anything else you would like to tell us?"), "big"))
        page.words.addWidget(label(tr("Optional. Please do not include your name or address.")))
        self.comment = QLineEdit()
        self.comment.setObjectName("comment")
        self.comment.setMaxLength(500)
        page.words.addWidget(self.comment)
        add_keyboard(
            page.controls,
            self.comment,
            space=True,
            characters="1234567890QWERTYUIOPASDFGHJKLZXCVBNM",
        )
        row = QHBoxLayout()
        row.addWidget(
            button(
                tr("Skip"), lambda: self.finish(with_comment=False), "secondary", "skip_comment"
            ),
            1,
        )
        row.addWidget(button(tr("Send my answers"), self.finish, name="send"), 2)
        page.controls.addLayout(row, 1)

    def _thanks(self, page: Page) -> None:
        page.words.addWidget(label(tr("Thank you"), "heading"))
        self.thanks_text = label(tr("Your answers have been recorded."), "big")
        page.words.addWidget(self.thanks_text)
        page.controls.addWidget(button(tr("Done"), self.next_visitor, name="done"))

    def _staff(self, page: Page) -> None:
        page.words.addWidget(label(tr("Staff settings"), "heading"))
        page.words.addWidget(label(f"{tr('Exit survey')} · {self.site.name}"))
        grid = QGridLayout()
        grid.setSpacing(16)
        grid.addWidget(button(tr("Exit the kiosk"), self.exit_kiosk, "secondary", "exit"), 0, 0)
        grid.addWidget(
            button(tr("Back to visitors"), self.next_visitor, name="back_to_visitors"), 0, 1
        )
        page.controls.addLayout(grid)

    # -- flow ----------------------------------------------------------------------------

    def home(self) -> None:
        """The first screen, for a new visitor: nothing of the last one's is kept."""
        self.restart_timer.stop()
        self.answers = {}
        self.ticket = None
        self.step = 0
        self.ticket_entry.clear()
        self.comment.clear()
        self.start_error.setVisible(False)
        self.go("start")

    def start(self) -> None:
        self.home()

    def next_visitor(self) -> None:
        self.home()  # this visitor's answers go, before the screen returns to English
        super().next_visitor()

    def staff_page(self) -> None:
        self.go("staff")

    def set_language(self, code: str) -> None:
        """A new language redraws every page; this visitor's place and answers stay."""
        kept = (dict(self.answers), self.ticket, self.step, self.current_page)
        typed = (self.ticket_entry.text(), self.comment.text())
        super().set_language(code)
        self.answers, self.ticket, self.step, page = kept
        self.ticket_entry.setText(typed[0])
        self.comment.setText(typed[1])
        if page == "question":
            self.show_question()
        elif page in ("comment", "thanks"):
            self.go(page)

    def begin(self) -> None:
        typed = self.ticket_entry.text()
        ticket = None
        if typed.strip():
            today = ticket_day(self.clock(), self.site.timezone).strftime("%Y%m%d")
            try:
                ticket = ticket_from_scan(typed, self.site.code, today)
                from shared.office import Office

                Office(self.notices.db).visit(self.site.code, ticket)
            except SQLAlchemyError as error:  # offline: checked when the answers are sent
                self._went_offline(error)
            except NotToday:
                self._refuse(tr("That ticket is not from today: leave it blank to answer."))
                return
            except DomainError:
                self._refuse(tr("We could not find that ticket. Check it, or leave it blank."))
                return
        self.ticket = ticket
        self.step = 0
        self.show_question()

    def _refuse(self, message: str) -> None:
        self.start_error.setText(message)
        self.start_error.setVisible(True)
        self.ticket_entry.clear()

    def show_question(self) -> None:
        if self.step >= len(QUESTIONS):
            self.go("comment")
            return
        key, text, kind = QUESTIONS[self.step]
        self.progress.setText(
            tr("Question {n} of {total}").format(n=self.step + 1, total=len(QUESTIONS))
        )
        self.question_text.setText(tr(text))
        while self.answer_box.count():
            item = self.answer_box.takeAt(0)
            if item.layout():
                while item.layout().count():
                    child = item.layout().takeAt(0)
                    if child.widget():
                        child.widget().hide()
                        child.widget().deleteLater()
            elif item.widget():
                item.widget().hide()
                item.widget().deleteLater()
        if kind == "yes_no":
            row = QHBoxLayout()
            choices = [
                button(tr("Yes"), lambda: self.answer(key, True), name="yes"),
                button(tr("No"), lambda: self.answer(key, False), name="no"),
            ]
            for choice in choices:
                row.addWidget(choice)
            self.answer_box.addLayout(row)
        else:  # the five-point scale side by side, very satisfied first (mirrored in Arabic)
            row = QHBoxLayout()
            choices = [
                button(tr(words), lambda v=value: self.answer(key, v), name=f"scale_{value}")
                for value, words in SCALE
            ]
            for choice in choices:
                row.addWidget(choice)
            self.answer_box.addLayout(row)
        for choice in choices:
            choice.show()  # the page may already be on screen
        self.go("question")

    def answer(self, key: str, value: Any) -> None:
        self.answers[key] = value
        self.step += 1
        self.show_question()

    def skip(self) -> None:
        self.step += 1
        self.show_question()

    def finish(self, with_comment: bool = True) -> None:
        recorded = self._record(self.comment.text().strip() if with_comment else "")
        self.thanks_text.setText(
            tr("Your answers have been recorded.")
            if recorded
            else tr("Sorry, your answers could not be recorded just now.")
        )
        self.go("thanks")
        self.restart_timer.start()

    def give_up(self) -> None:
        """The visitor walked away: keep what they answered, then start afresh."""
        if self.current_page != "thanks" and (self.answers or self.comment.text().strip()):
            self._record(self.comment.text().strip())
        super().give_up()

    def _record(self, comment: str) -> bool:
        """Record this visitor's answers (offline: in the outbox); whether they were kept."""
        answers, self.answers = self.answers, {}
        values = dict(answers, comment=comment or None, language=self.language)
        if self.online:
            try:
                self.notices.record_survey(self.site.code, ticket=self.ticket, **values)
                return True
            except SQLAlchemyError as error:
                self._went_offline(error)
        if self.outbox is None:
            return False
        try:
            self.outbox.add_survey(
                site=self.site.code,
                answered_at=self.clock(),
                ticket=self.ticket,
                answers=answers,
                comment=comment or None,
                language=self.language,
            )
        except OutboxError:
            return False
        return True

    # -- the database away and back -------------------------------------------------------

    def after_build(self) -> None:
        self._show_banner()

    def _show_banner(self) -> None:
        self.set_banner(
            "" if self.online else tr("Working offline: your answers are kept and sent later.")
        )

    def _went_offline(self, error: SQLAlchemyError) -> None:
        if not unreachable(error):
            raise error
        self.online = False
        self._show_banner()

    def send_kept_answers(self) -> None:
        """Send what the outbox keeps and look for the database, on a worker."""
        if self._sending:
            return
        self._sending = True
        self.send_pool.start(_SendAnswers(self))

    def _after_sending(self, online: bool) -> None:
        self._sending = False
        if online != self.online:
            self.online = online
            self._show_banner()
