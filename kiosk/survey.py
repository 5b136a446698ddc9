"""Exit survey mode (`onestop kiosk --mode survey`): the council's four questions.

One question per screen, big answers, every question skippable, done in under a
minute. Linked to the visit when the visitor scans or types their ticket number,
anonymous otherwise. Satisfaction uses the council's five-point scale, stored as
5 (very satisfied) down to 1 (very dissatisfied).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.theme import stylesheet
from kiosk.window import Page, button, label, tr
from shared.domain import DomainError
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


def add_keyboard(layout: QVBoxLayout, target: QLineEdit, *, space: bool) -> None:
    keys = QGridLayout()
    keys.setSpacing(6)
    characters = "1234567890QWERTYUIOPASDFGHJKL-ZXCVBNM"
    for index, char in enumerate(characters):
        keys.addWidget(
            button(char, lambda c=char: target.insert(c.lower() if space else c), "key"),
            index // 10,
            index % 10,
        )
    row = len(characters) // 10
    column = len(characters) % 10
    if space:
        keys.addWidget(
            button(tr("Space"), lambda: target.insert(" "), "key", "space"), row, column, 1, 2
        )
        column += 2
    keys.addWidget(button("⌫", target.backspace, "key", "backspace"), row, column, 1, 10 - column)
    layout.addLayout(keys, 4)


class SurveyWindow(QWidget):
    page_changed = Signal(str)

    def __init__(self, notices: Notices, site: str, *, kiosk_mode: bool = True) -> None:
        super().__init__()
        self.setObjectName("kiosk")
        self.notices = notices
        self.site = site
        self.kiosk_mode = kiosk_mode
        self.answers: dict[str, Any] = {}
        self.ticket: str | None = None
        self.step = 0
        self.restart_timer = QTimer(self, singleShot=True, interval=6000)
        self.restart_timer.timeout.connect(self.start)
        self.setStyleSheet(stylesheet(False, False))
        if kiosk_mode:
            self.setWindowFlags(
                Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
            )
        root = QVBoxLayout(self)
        self.stack = QStackedWidget()
        root.addWidget(self.stack, 1)
        self.high_contrast = self.large_text = False
        bar = QHBoxLayout()
        for text, name, flip in (
            (tr("High contrast"), "contrast", self.toggle_contrast),
            (tr("Larger text"), "larger_text", self.toggle_text),
        ):
            toggle = button(text, flip, "secondary", name)
            toggle.setCheckable(True)
            bar.addWidget(toggle)
        root.addLayout(bar)
        self.pages: dict[str, Page] = {}
        for name, make in (
            ("start", self._start),
            ("question", self._question),
            ("comment", self._comment),
            ("thanks", self._thanks),
        ):
            page = Page(name)
            make(page)
            self.pages[name] = page
            self.stack.addWidget(page)
        self.start()

    def toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self.setStyleSheet(stylesheet(self.high_contrast, self.large_text))

    def toggle_text(self) -> None:
        self.large_text = not self.large_text
        self.setStyleSheet(stylesheet(self.high_contrast, self.large_text))

    @property
    def current_page(self) -> str:
        return self.stack.currentWidget().objectName()

    def go(self, name: str) -> None:
        self.stack.setCurrentWidget(self.pages[name])
        self.page_changed.emit(name)

    # -- pages ---------------------------------------------------------------------------

    def _start(self, page: Page) -> None:
        page.words.addWidget(label(tr("How did we do today?"), "heading"))
        page.words.addWidget(
            label(tr("Four quick questions. Your answers help us improve."), "big")
        )
        page.words.addWidget(
            label(tr("Scan or type your ticket number if you have it (optional)."))
        )
        self.ticket_entry = QLineEdit()
        self.ticket_entry.setObjectName("ticket_entry")
        self.ticket_entry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.ticket_entry.returnPressed.connect(self.begin)
        page.words.addWidget(self.ticket_entry)
        self.start_error = label("", "warning")
        page.words.addWidget(self.start_error)
        add_keyboard(page.controls, self.ticket_entry, space=False)
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
        add_keyboard(page.controls, self.comment, space=True)
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
        page.words.addWidget(label(tr("Your answers have been recorded."), "big"))
        page.controls.addWidget(button(tr("Done"), self.start, name="done"))

    # -- flow ----------------------------------------------------------------------------

    def start(self) -> None:
        self.restart_timer.stop()
        self.answers = {}
        self.ticket = None
        self.step = 0
        self.ticket_entry.clear()
        self.comment.clear()
        self.start_error.setVisible(False)
        self.go("start")

    def begin(self) -> None:
        typed = "".join(self.ticket_entry.text().split()).upper()
        if typed:
            try:
                from shared.office import Office

                Office(self.notices.db).visit(self.site, typed)
            except DomainError:
                self.start_error.setText(
                    tr("We could not find that ticket. Check it, or leave it blank.")
                )
                self.start_error.setVisible(True)
                return
        self.ticket = typed or None
        self.step = 0
        self.show_question()

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
        else:
            choices = [
                button(tr(words), lambda v=value: self.answer(key, v), name=f"scale_{value}")
                for value, words in SCALE
            ]
            for choice in choices:
                self.answer_box.addWidget(choice)
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
        comment = self.comment.text().strip() if with_comment else ""
        self.notices.record_survey(
            self.site,
            ticket=self.ticket,
            comment=comment or None,
            **self.answers,
        )
        self.go("thanks")
        self.restart_timer.start()
