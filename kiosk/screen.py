"""What every public touch screen does, check-in and exit survey alike.

- Along the bottom: the site's languages, High contrast, Larger text, Read aloud.
  Read aloud is on request only, and then reads every screen until the next visitor.
- Untouched for `[kiosk] idle_seconds`, a screen asks "Do you need more time?" with a
  countdown and an "I need more time" button before going back to the start.
- Kiosk mode: full screen, frameless, on top; Escape, F4, Tab and the window's close
  are swallowed. Staff tap the site's name five times within four seconds and type
  a supervisor's PIN on the screen's keypad: checked against the site's supervisor
  (and the council's admin) accounts in the database (Staff.kiosk_exit), or, while
  the site has none, against the site file's `supervisor_pin_sha256`. Five wrong
  PINs lock the keypad for fifteen minutes, counted in the database's audit trail
  (a restart does not clear them). With the database away, only the site file's PIN
  is checked, and only if this kiosk has not seen supervisor accounts for the site.

A subclass gives its pages (`pages_to_build`), its first screen (`home`), what the
supervisor's PIN opens (`staff_page`), and the pages that wait without a timeout.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import LANGUAGE_NAMES, install_language
from kiosk.theme import stylesheet
from kiosk.widgets import Page, button, key_panel, label, tr
from shared.domain import LockedOut, SignInRefused, Site

MORE_TIME_SECONDS = 20  # the "Do you need more time?" countdown
PIN_TRIES = 5  # wrong supervisor PINs in a row, then the keypad waits
PIN_LOCK_SECONDS = 900  # as the database's lock (shared/staff.py LOCKED_FOR)
TOUCHES = (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin)


class CheckedHere(SignInRefused):
    """A PIN refused by the kiosk itself, without the database (none, or away):
    `cannot_check` when only a supervisor's PIN would do and it cannot be asked."""

    def __init__(self, *, cannot_check: bool) -> None:
        super().__init__("that PIN is not right")
        self.cannot_check = cannot_check


class TouchScreen(QWidget):
    page_changed = Signal(str)

    # Pages that wait for a visitor as long as it takes (no idle countdown).
    WAITING_PAGES: ClassVar[tuple[str, ...]] = ("staff",)

    def __init__(
        self,
        site: Site,
        *,
        kiosk_mode: bool = True,
        speak: Callable[[str, str], None] | None = None,
        screen_scale: float = 1.0,
    ) -> None:
        super().__init__()
        self.setObjectName("kiosk")
        self.site = site
        self.kiosk_mode = kiosk_mode
        self.may_close = not kiosk_mode
        self.speak = speak or (lambda _text, _language: None)  # (text, language code)
        self.screen_scale = screen_scale
        self.language = "en"
        self.high_contrast = False
        self.large_text = False
        self.reading_aloud = False  # asked for by this visitor: every screen is read
        self.corner_taps: list[float] = []
        self._page_tops: dict[str, int] = {}  # each page's top margin, when no banner shows
        self.pin_failures = 0
        self.pin_locked_until = 0.0
        # Where a supervisor's PIN is checked (the subclass gives its database and this
        # screen's name for the audit trail); None: the site file's PIN only.
        self.staff_db: Any = None
        self.place = "Kiosk"
        self.supervisors_known: bool | None = None  # seen online: the site has accounts
        self.unlocked_by = ""  # whose PIN opened the staff page ("" the site file's)
        self.idle = QTimer(self, singleShot=True, interval=site.kiosk.idle_seconds * 1000)
        self.idle.timeout.connect(self.ask_more_time)
        self.countdown = QTimer(self, interval=1000)
        self.countdown.timeout.connect(self._tick)
        self.countdown_left = 0
        self._resume_index = 0
        if kiosk_mode:
            self.setWindowFlags(
                Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
            )

    def start_watching_touches(self) -> None:
        """Every touch anywhere restarts the idle countdown (call once, after building)."""
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]

    # -- what a screen provides ------------------------------------------------------------

    def pages_to_build(self) -> list[tuple[str, Callable[[Page], None]]]:
        raise NotImplementedError

    def home(self) -> None:
        raise NotImplementedError

    def staff_page(self) -> None:
        """Open what the supervisor's PIN unlocks."""
        raise NotImplementedError

    def after_build(self) -> None:
        """Called once the pages are (re)built, before going home."""

    def set_banner(self, text: str) -> None:
        """What is not working, in a line along the top of every screen ('' for none).
        The pages give it their top margin (first, so that the window never grows past
        the screen meanwhile), so that every screen still fits."""
        if not text:
            self.banner.setVisible(False)
        for name, page in self.pages.items():
            layout = page.layout()
            margins = layout.contentsMargins()
            top = self._page_tops.setdefault(name, margins.top())
            margins.setTop(0 if text else top)
            layout.setContentsMargins(margins)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def on_touch(self) -> None:
        """Called on every touch anywhere (restart a screen's own countdown)."""

    # -- building --------------------------------------------------------------------------

    def build(self) -> None:
        """(Re)build every page in the current language, theme and text size."""
        if self.layout() is not None:
            QWidget().setLayout(self.layout())  # discard the old layout and its pages
        self.setStyleSheet(stylesheet(self.high_contrast, self.large_text, self.screen_scale))
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft
            if self.language == "ar"
            else Qt.LayoutDirection.LeftToRight
        )
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        self.banner = label("", "banner")  # what is not working (offline, the printer)
        self.banner.setVisible(False)
        root.addWidget(self.banner)
        self.stack = QStackedWidget()
        root.addWidget(self.stack, 1)
        bar = self._bottom_bar()
        root.addWidget(bar)
        self.pages: dict[str, Page] = {}
        common = [("more_time", self._more_time), ("pin", self._pin)]
        for name, make in self.pages_to_build() + common:
            page = Page(name)
            make(page)
            self.pages[name] = page
            self.stack.addWidget(page)
        self.after_build()
        if self.isVisible():  # rebuilt while on screen (a language change): show it now
            self.stack.show()
            bar.show()
        self.home()

    def _bottom_bar(self) -> QWidget:
        bar = QWidget()
        row = QHBoxLayout(bar)
        row.setContentsMargins(24, 8, 24, 16)
        for code in self.site.kiosk.languages:
            choice = button(
                LANGUAGE_NAMES[code],
                lambda c=code: self.set_language(c),
                "secondary",
                f"lang_{code}",
            )
            choice.setCheckable(True)
            choice.setChecked(code == self.language)
            row.addWidget(choice)
        contrast = button(tr("High contrast"), self.toggle_contrast, "secondary", "contrast")
        contrast.setCheckable(True)
        contrast.setChecked(self.high_contrast)
        bigger = button(tr("Larger text"), self.toggle_text, "secondary", "larger_text")
        bigger.setCheckable(True)
        bigger.setChecked(self.large_text)
        aloud = button(tr("Read aloud"), self.toggle_read_aloud, "secondary", "read_aloud")
        aloud.setCheckable(True)
        aloud.setChecked(self.reading_aloud)
        self.read_aloud_button = aloud
        for widget in (contrast, bigger, aloud):
            row.addWidget(widget)
        return bar

    # -- moving between pages -------------------------------------------------------------

    @property
    def current_page(self) -> str:
        return self.stack.currentWidget().objectName()

    def go(self, name: str) -> None:
        moved = name != self.current_page
        self.stack.setCurrentWidget(self.pages[name])
        self.countdown.stop()
        if name in self.WAITING_PAGES:
            self.idle.stop()
        else:
            self.idle.start()
        self.page_changed.emit(name)
        if moved and self.reading_aloud and self.read_on_arrival(name):
            self.read_aloud()

    def read_on_arrival(self, name: str) -> bool:
        """Whether reading aloud reads a page as it appears (a page may speak for itself)."""
        return True

    def next_visitor(self) -> None:
        """Back to the start for the next visitor: in English, standard look, silent."""
        changed = self.high_contrast or self.large_text
        self.high_contrast = self.large_text = False
        self.reading_aloud = False
        self.read_aloud_button.setChecked(False)
        if self.language != "en":
            self.set_language("en")  # rebuilds, then goes home
        elif changed:
            self.build()
        else:
            self.home()

    # -- accessibility ----------------------------------------------------------------------

    def set_language(self, code: str) -> None:
        self.language = code
        install_language(code)
        self.build()

    def toggle_contrast(self) -> None:
        self.high_contrast = not self.high_contrast
        self.setStyleSheet(stylesheet(self.high_contrast, self.large_text, self.screen_scale))

    def toggle_text(self) -> None:
        self.large_text = not self.large_text
        self.setStyleSheet(stylesheet(self.high_contrast, self.large_text, self.screen_scale))

    def toggle_read_aloud(self) -> None:
        """On request only: from now until the next visitor every screen is read aloud."""
        self.reading_aloud = not self.reading_aloud
        self.read_aloud_button.setChecked(self.reading_aloud)
        if self.reading_aloud:
            self.read_aloud()

    def read_aloud(self) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, Page):
            self.speak(page.speech(), self.language)

    # -- more time ---------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in TOUCHES:
            if self.idle.isActive():
                self.idle.start()
            self.on_touch()
        return False

    def _more_time(self, page: Page) -> None:
        page.words.addWidget(label(tr("Do you need more time?"), "heading"))
        self.countdown_label = label("", "big")
        page.words.addWidget(self.countdown_label)
        page.controls.addWidget(button(tr("I need more time"), self.more_time, name="more_time"))
        page.controls.addWidget(button(tr("Start again"), self.home, "secondary", "back"))

    def ask_more_time(self) -> None:
        self._resume_index = self.stack.currentIndex()
        self.countdown_left = MORE_TIME_SECONDS
        self._tick()
        self.stack.setCurrentWidget(self.pages["more_time"])
        self.countdown.start()
        self.page_changed.emit("more_time")

    def _tick(self) -> None:
        if self.countdown_left <= 0:
            self.give_up()
            return
        self.countdown_label.setText(
            tr("Going back to the start in {n} seconds.").format(n=self.countdown_left)
        )
        self.countdown_left -= 1

    def give_up(self) -> None:
        """The visitor has gone (or asked to start again): ready for the next one."""
        self.countdown.stop()
        self.next_visitor()

    def more_time(self) -> None:
        self.countdown.stop()
        self.stack.setCurrentIndex(self._resume_index)
        self.idle.start()
        self.page_changed.emit(self.current_page)

    # -- staff -------------------------------------------------------------------------------

    def staff_gesture(self, *_args: Any) -> None:
        """Five taps on the site's name within four seconds, then the supervisor PIN."""
        now = time.monotonic()
        self.corner_taps = [t for t in self.corner_taps if now - t < 4] + [now]
        if len(self.corner_taps) >= 5:
            self.corner_taps = []
            self.open_pin()

    def site_title(self, name: str) -> Any:
        """The site's name as a page heading that answers the staff gesture."""
        title = label(self.site.name, "heading")
        title.setObjectName(name)
        title.mousePressEvent = self.staff_gesture  # type: ignore[method-assign]
        return title

    def open_pin(self) -> None:
        """The supervisor PIN on the screen's own keypad (a kiosk has no keyboard)."""
        self.pin_field.clear()
        self._show_pin_status()
        self.go("pin")

    def ask_pin(self, pin: str) -> bool:
        """Open the staff page if `pin` is a supervisor's; too many wrong tries in a row
        lock the keypad for a while (a public screen: PINs must not be guessable)."""
        now = time.monotonic()
        if now < self.pin_locked_until:
            self._show_pin_status()
            return False
        self.pin_field.clear()
        try:
            self.unlocked_by = self._whose_pin(pin)
        except LockedOut:
            self.pin_failures = 0
            self.pin_locked_until = now + PIN_LOCK_SECONDS
            self._show_pin_status()
            return False
        except SignInRefused as refused:
            if isinstance(refused, CheckedHere):  # the database did not count it: here
                self.pin_failures += 1
                if self.pin_failures >= PIN_TRIES:
                    self.pin_failures = 0
                    self.pin_locked_until = now + PIN_LOCK_SECONDS
            cannot = isinstance(refused, CheckedHere) and refused.cannot_check
            self._show_pin_status(wrong=True, offline=cannot)
            return False
        self.pin_failures = 0
        self.staff_page()
        return True

    def _whose_pin(self, pin: str) -> str:
        """The name of the supervisor whose PIN it is ("" the site file's PIN); refused
        otherwise. The database counts the wrong ones (shared/staff.py kiosk_exit)."""
        from sqlalchemy.exc import SQLAlchemyError

        from shared.staff import Staff

        in_file = self.site.kiosk.supervisor_pin_sha256
        if self.staff_db is not None:
            try:
                who = Staff(self.staff_db).kiosk_exit(self.site.code, self.place, pin, in_file)
            except SQLAlchemyError:  # the database is away (or refuses): the site file's
                pass
            else:
                self.supervisors_known = bool(who)
                return who
        if self.supervisors_known:
            raise CheckedHere(cannot_check=True)
        if in_file and hashlib.sha256(pin.encode()).hexdigest() == in_file:
            return ""
        raise CheckedHere(cannot_check=False)

    def _show_pin_status(self, wrong: bool = False, offline: bool = False) -> None:
        left = self.pin_locked_until - time.monotonic()
        if left > 0:
            text = tr("Too many wrong PINs. Try again in {n} minutes.").format(
                n=max(1, round(left / 60))
            )
        elif offline:
            text = tr("The PIN cannot be checked while the database is away.")
        elif wrong:
            text = tr("That PIN is not right.")
        else:
            text = ""
        self.pin_status.setText(text)
        self.pin_status.setVisible(bool(text))

    def _pin(self, page: Page) -> None:
        page.words.addWidget(label(tr("Staff"), "heading"))
        page.words.addWidget(label(tr("Supervisor PIN"), "big"))
        self.pin_field = QLineEdit()
        self.pin_field.setObjectName("pin")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_field.returnPressed.connect(lambda: self.ask_pin(self.pin_field.text()))
        page.words.addWidget(self.pin_field)
        self.pin_status = label("", "warning")
        self.pin_status.setVisible(False)
        page.words.addWidget(self.pin_status)
        keys = QGridLayout()
        keys.setSpacing(8)
        for index, digit in enumerate("1234567890"):  # two rows of five, then the actions
            keys.addWidget(
                button(digit, lambda d=digit: self.pin_field.insert(d), "key", f"pin_{digit}"),
                index // 5,
                index % 5,
            )
        keys.addWidget(button("⌫", self.pin_field.backspace, "key", "pin_backspace"), 2, 0)
        keys.addWidget(button(tr("Cancel"), self.home, "secondary", "back"), 2, 1, 1, 2)
        keys.addWidget(
            button(tr("OK"), lambda: self.ask_pin(self.pin_field.text()), name="pin_ok"), 2, 3, 1, 2
        )
        page.controls.addWidget(key_panel(keys))

    def exit_kiosk(self) -> None:
        self.may_close = True
        self.close()

    # -- kiosk mode -------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.kiosk_mode and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F4, Qt.Key.Key_Tab):
            event.accept()  # swallowed: a visitor cannot leave the kiosk
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.may_close:
            event.ignore()
            return
        QApplication.instance().removeEventFilter(self)  # type: ignore[union-attr]
        for timer in self.findChildren(QTimer):
            timer.stop()
        event.accept()
