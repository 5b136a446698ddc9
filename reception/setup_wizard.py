"""`onestop setup`: the first-run wizard that says what this PC is and where it connects.

Pages: what this PC is; which database (this PC's SQLite file, or a PostgreSQL URL
with a connection test); which site (and the desk, or the kiosk's name); which
ticket printer (the USB ESC/POS printers it can see, a network address, or the
preview, with a test ticket); how calls are announced (with a test announcement);
then a summary, and Finish writes the settings file (shared/settings.py). Only the
pages the role needs are shown. Everything slow (the database, the USB scan, the
printer, rendering speech) runs on the wizard's own worker pool, never on the GUI
thread; each page shows what it found in plain words.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from shared.qt.jobs import tell
from shared.settings import ROLE_NAMES, ROLES, Settings, SettingsError, describe, save_settings

ROLE_HELP = {
    "kiosk": "The touch screen where visitors check in and get a ticket.",
    "survey": "The touch screen by the exit with the four-question survey.",
    "reception": "The receptionist's console: who is waiting, greeting, alerts, reports.",
    "desk": "A Customer Service Advisor's console: call the next visitor, record the outcome.",
    "display": "The screen in the waiting area that shows and speaks each call.",
    "all": "One PC runs every app (a small office, a trial, a demonstration).",
}
PRINTS = ("kiosk", "reception", "all")  # roles that print tickets
SPEAKS = ("display", "all")  # roles that announce calls
NAMES_KIOSK = ("kiosk", "survey", "all")
NAMES_DESK = ("desk", "all")
PG_EXAMPLE = "postgresql+psycopg://onestop_staff@dbserver.council.local/onestop"


class _Job(QRunnable):
    """Runs `work()` on the pool; the page hears the result (or the exception) by its
    `answered(token, result)` signal, unless the page has gone."""

    def __init__(self, page: QObject, token: str, work: Callable[[], Any]) -> None:
        super().__init__()
        self.page, self.token, self.work = page, token, work

    def run(self) -> None:
        try:
            result: Any = self.work()
        except Exception as error:  # every check answers in words; this is the last net
            result = error
        tell(self.page, "answered", self.token, result)


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("role", "note")
    return label


class Page(QWizardPage):
    answered = Signal(str, object)  # token, result (from a worker)

    def __init__(self, wizard: SetupWizard, title: str, subtitle: str) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.busy: set[str] = set()
        self.answered.connect(self._answered)

    def run(self, token: str, work: Callable[[], Any]) -> None:
        self.busy.add(token)
        self.owner.pool.start(_Job(self, token, work))

    def _answered(self, token: str, result: Any) -> None:
        self.busy.discard(token)
        self.on_answer(token, result)

    def on_answer(self, token: str, result: Any) -> None:  # pragma: no cover - overridden
        pass


class RolePage(Page):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "What is this PC?", "Choose what this PC does in the office.")
        layout = QVBoxLayout(self)
        self.choices = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for role in ROLES:
            button = QRadioButton(ROLE_NAMES[role])
            button.setObjectName(f"role-{role}")
            self.choices.addButton(button)
            self.buttons[role] = button
            layout.addWidget(button)
            hint = _note(ROLE_HELP[role])
            hint.setContentsMargins(26, 0, 0, 6)
            layout.addWidget(hint)
        self.choices.buttonToggled.connect(lambda *_: self.completeChanged.emit())
        if wizard.previous.role:
            self.buttons[wizard.previous.role].setChecked(True)
        self.warning = _note(wizard.problem)
        layout.addStretch()
        layout.addWidget(self.warning)

    @property
    def role(self) -> str:
        return next((role for role, b in self.buttons.items() if b.isChecked()), "")

    def isComplete(self) -> bool:
        return bool(self.role)


class DatabasePage(Page):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(
            wizard,
            "Which database?",
            "Every app of an office uses the same database. One PC on its own keeps it in a "
            "file; an office or a council has a PostgreSQL server (docs/deploy.md).",
        )
        from shared.store.db import default_url

        self.local_url = default_url()
        layout = QVBoxLayout(self)
        self.local = QRadioButton(f"This PC only: a SQLite file ({self.local_url[10:]})")
        self.server = QRadioButton("A PostgreSQL server:")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.server)
        self.url = QLineEdit(placeholderText=PG_EXAMPLE)
        self.url.setObjectName("database-url")
        self.test = QPushButton("Test the connection")
        self.result = _note()
        self.result.setObjectName("database-result")
        layout.addWidget(self.local)
        layout.addWidget(self.server)
        row = QHBoxLayout()
        row.setContentsMargins(26, 0, 0, 0)
        row.addWidget(self.url, 1)
        row.addWidget(self.test)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addStretch()
        self.passed: str | None = None  # the URL the last successful test was of
        previous = wizard.previous.database
        if previous and not previous.startswith("sqlite"):
            self.server.setChecked(True)
            self.url.setText(previous)
        else:
            self.local.setChecked(True)
        self.test.clicked.connect(self.run_test)
        self.url.returnPressed.connect(self.run_test)
        for signal in (self.url.textChanged, self.server.toggled):
            signal.connect(self._changed)
        self._changed()

    @property
    def database(self) -> str:
        return self.url.text().strip() if self.server.isChecked() else self.local_url

    def _changed(self) -> None:
        self.url.setEnabled(self.server.isChecked())
        self.test.setEnabled(self.server.isChecked() and bool(self.url.text().strip()))
        if self.server.isChecked() and self.passed != self.database:
            self.result.setText(
                "Give the server's URL and press Test the connection: Next is ready once "
                f"it connects. For example {PG_EXAMPLE}"
            )
        elif self.local.isChecked():
            self.result.setText("Nothing to test: the file is made when the first app starts.")
        self.completeChanged.emit()

    def run_test(self) -> None:
        if not self.test.isEnabled():
            return
        from shared.setup_checks import check_database

        url = self.database
        self.result.setText(f"Connecting to {_without_password(url)} ...")
        self.test.setEnabled(False)
        self.run(url, lambda: check_database(url))

    def on_answer(self, token: str, result: Any) -> None:
        self.test.setEnabled(self.server.isChecked())
        if token != self.database:
            return  # the URL changed meanwhile
        if isinstance(result, Exception):
            self.result.setText(f"Could not test it: {result}")
            return
        self.passed = token if result.ok else None
        self.result.setText(("✓ " if result.ok else "✗ ") + result.message)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.local.isChecked() or (bool(self.database) and self.passed == self.database)


class SitePage(Page):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "Which site?", "The One Stop Shop this PC is in.")
        form = QFormLayout(self)
        self.site = QComboBox()
        self.site.setObjectName("site")
        self.desk = QComboBox(editable=True)
        self.desk.setObjectName("desk")
        self.kiosk_name = QLineEdit(placeholderText="Kiosk 1")
        self.kiosk_name.setObjectName("kiosk-name")
        self.result = _note()
        form.addRow("Site", self.site)
        form.addRow("This desk", self.desk)
        form.addRow("This kiosk's name", self.kiosk_name)
        form.addRow(self.result)
        self.form = form
        self.sites: dict[str, Any] = {}
        self.site.currentIndexChanged.connect(self._site_chosen)
        self.desk.currentTextChanged.connect(lambda *_: self.completeChanged.emit())
        self.kiosk_name.setText(wizard.previous.kiosk_name)

    def initializePage(self) -> None:
        role = self.owner.role
        self.form.setRowVisible(self.desk, role in NAMES_DESK)
        self.form.setRowVisible(self.kiosk_name, role in NAMES_KIOSK)
        url = self.owner.database
        self.site.clear()
        self.result.setText("Reading the sites ...")
        self.run(url, lambda: site_choices(url))

    def on_answer(self, token: str, result: Any) -> None:
        if token != self.owner.database:
            return
        if isinstance(result, Exception):
            self.result.setText(f"Could not read the sites: {result}")
            return
        self.sites, note = result
        self.result.setText(note)
        wanted = self.owner.previous.site
        for code, site in self.sites.items():
            self.site.addItem(f"{site.name} ({code})", code)
        if wanted in self.sites:
            self.site.setCurrentIndex(list(self.sites).index(wanted))
        self._site_chosen()

    def _site_chosen(self) -> None:
        site = self.sites.get(self.site.currentData())
        self.desk.clear()
        if site is not None:
            self.desk.addItems([desk.name for desk in site.desks])
            previous = self.owner.previous.desk
            if previous:
                self.desk.setCurrentText(previous)
        self.completeChanged.emit()

    @property
    def chosen(self) -> Any:
        return self.sites.get(self.site.currentData())

    def isComplete(self) -> bool:
        if self.chosen is None:
            return False
        return self.owner.role not in ("desk",) or bool(self.desk.currentText().strip())


def site_choices(url: str) -> tuple[dict[str, Any], str]:
    """The sites in the database (code -> Site), or the shipped ones for a new database."""
    from shared.config import default_site_files, load_site
    from shared.setup_checks import check_database

    found = check_database(url)
    if not found.ok:
        raise RuntimeError(found.message)
    if found.sites:
        from shared.office import Office
        from shared.store import Database

        db = Database(url, migrate=False)
        try:
            office = Office(db)
            return {code: office.site(code) for code in found.sites}, ""
        finally:
            db.dispose()
    sites = {site.code: site for site in map(load_site, default_site_files())}
    return sites, (
        "The database has no sites yet: these are the shipped configurations, loaded when "
        "the first app starts (onestop site load FILE adds your own; docs/site-config.md)."
    )


class PrinterPage(Page):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(
            wizard,
            "Which ticket printer?",
            "Tickets print on an ESC/POS thermal printer: on this PC's USB, or on the network.",
        )
        layout = QVBoxLayout(self)
        group = QButtonGroup(self)
        self.site_printer = QRadioButton("The site's printer")
        self.usb = QRadioButton("A USB printer:")
        self.network = QRadioButton("A network printer (its address):")
        self.preview = QRadioButton("No printer: show each ticket on screen (preview)")
        for button in (self.site_printer, self.usb, self.network, self.preview):
            group.addButton(button)
        self.usb_list = QComboBox()
        self.usb_list.setObjectName("usb-printers")
        self.look = QPushButton("Look again")
        self.usb_note = _note()
        self.address = QLineEdit(placeholderText="192.168.10.50 or printer-3.council.local:9100")
        self.address.setObjectName("printer-address")
        self.test = QPushButton("Print a test ticket")
        self.result = _note()
        self.result.setObjectName("printer-result")
        layout.addWidget(self.site_printer)
        layout.addWidget(self.usb)
        usb_row = QHBoxLayout()
        usb_row.setContentsMargins(26, 0, 0, 0)
        usb_row.addWidget(self.usb_list, 1)
        usb_row.addWidget(self.look)
        layout.addLayout(usb_row)
        self.usb_note.setContentsMargins(26, 0, 0, 0)
        layout.addWidget(self.usb_note)
        layout.addWidget(self.network)
        self.address.setContentsMargins(26, 0, 0, 0)
        layout.addWidget(self.address)
        layout.addWidget(self.preview)
        layout.addSpacing(12)
        row = QHBoxLayout()
        row.addWidget(self.test)
        row.addStretch()
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addStretch()
        self.look.clicked.connect(self.scan)
        self.test.clicked.connect(self.print_test)
        self.address.textEdited.connect(lambda *_: self.network.setChecked(True))
        self.usb_list.activated.connect(lambda *_: self.usb.setChecked(True))
        previous = wizard.previous.printer
        self.site_printer.setChecked(True)
        if previous == "preview":
            self.preview.setChecked(True)
        elif previous.startswith("tcp://"):
            self.network.setChecked(True)
            self.address.setText(previous[6:])
        self.remembered_usb = previous if previous.startswith("usb://") else ""

    def initializePage(self) -> None:
        site = self.owner.site
        said = site.tickets.printer if site is not None else "?"
        self.site_printer.setText(f"The site's printer, as its configuration says: {said}")
        self.scan()

    def scan(self) -> None:
        from shared.setup_checks import scan_usb_printers

        self.usb_note.setText("Looking for USB printers ...")
        self.look.setEnabled(False)
        self.run("usb", scan_usb_printers)

    def print_test(self) -> None:
        from shared.setup_checks import print_test_ticket
        from shared.store.db import data_dir

        try:
            spec = self.printer
        except ValueError as error:
            self.result.setText(f"✗ {error}")
            return
        site = self.owner.site
        self.test.setEnabled(False)
        self.result.setText("Printing a test ticket (T001) ...")
        folder = data_dir() / "tickets"
        self.run("print", lambda: print_test_ticket(site, spec, folder))

    def on_answer(self, token: str, result: Any) -> None:
        if token == "usb":
            self.look.setEnabled(True)
            if isinstance(result, Exception):
                self.usb_note.setText(f"Could not look: {result}")
                return
            self.usb_list.clear()
            for printer in result.printers:
                self.usb_list.addItem(printer.label, printer.spec)
            self.usb.setEnabled(bool(result.printers))
            self.usb_list.setEnabled(bool(result.printers))
            self.usb_note.setText(result.message)
            known = self.usb_list.findData(self.remembered_usb)
            if known >= 0:
                self.usb_list.setCurrentIndex(known)
                self.usb.setChecked(True)
            elif self.remembered_usb:
                self.usb_note.setText(
                    f"{result.message} The printer chosen before ({self.remembered_usb}) "
                    "is not plugged in."
                )
            return
        self.test.setEnabled(True)
        if isinstance(result, Exception):
            self.result.setText(f"✗ Could not print: {result}")
        elif not result.printed:
            self.result.setText(f"✗ Not printed: {result.error}")
        elif result.preview:
            self.result.setText(f"✓ The test ticket is a picture on screen: {result.preview}")
        else:
            self.result.setText(
                f"✓ Printed the test ticket on {result.printer} ({result.bytes_sent} bytes). "
                "Check it came out: the number T001, the site, a QR code, cut."
            )

    @property
    def printer(self) -> str:
        """The setting: "" for the site's own printer. ValueError says what is wrong."""
        from shared.devices.printer import PrinterError, PrinterSpec

        if self.preview.isChecked():
            return "preview"
        if self.usb.isChecked():
            if self.usb_list.currentData() is None:
                raise ValueError("choose a USB printer, or another kind")
            return str(self.usb_list.currentData())
        if self.network.isChecked():
            address = self.address.text().strip()
            if not address:
                raise ValueError("give the network printer's address, e.g. 192.168.10.50")
            spec = address if "://" in address else f"tcp://{address}"
            try:
                PrinterSpec.parse(spec)
            except PrinterError as error:
                raise ValueError(str(error)) from None
            return spec
        return ""

    def validatePage(self) -> bool:
        try:
            _ = self.printer
        except ValueError as error:
            self.result.setText(f"✗ {error}")
            return False
        return True


class VoicePage(Page):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(
            wizard,
            "How are calls announced?",
            "The display chimes, then says the ticket and the desk.",
        )
        layout = QVBoxLayout(self)
        group = QButtonGroup(self)
        self.modes = {
            "voice": QRadioButton("A chime, then the call spoken"),
            "chime": QRadioButton("A chime only"),
            "silent": QRadioButton("Silent (the screen only)"),
        }
        for button in self.modes.values():
            group.addButton(button)
            layout.addWidget(button)
        row = QHBoxLayout()
        row.addWidget(QLabel("Language of the spoken calls:"))
        self.language = QComboBox()
        self.language.addItem("English", "en")
        self.language.addItem("Polski (Polish)", "pl")
        self.language.setObjectName("voice-language")
        row.addWidget(self.language)
        row.addStretch()
        layout.addLayout(row)
        layout.addSpacing(12)
        self.play = QPushButton("Play a test announcement")
        row = QHBoxLayout()
        row.addWidget(self.play)
        row.addStretch()
        layout.addLayout(row)
        self.result = _note()
        self.result.setObjectName("voice-result")
        layout.addWidget(self.result)
        layout.addStretch()
        self.queue: Any = None
        self.play.clicked.connect(self.play_test)
        previous = wizard.previous
        self.modes[previous.announce or "voice"].setChecked(True)
        self.language.setCurrentIndex(max(0, self.language.findData(previous.voice_language)))
        self.modes["silent"].toggled.connect(lambda off: self.play.setEnabled(not off))

    def initializePage(self) -> None:
        site = self.owner.site
        if site is not None and not self.owner.previous.announce:
            self.modes[site.display.announce].setChecked(True)
            self.language.setCurrentIndex(max(0, self.language.findData(site.display.language)))

    @property
    def mode(self) -> str:
        return next(mode for mode, button in self.modes.items() if button.isChecked())

    def play_test(self) -> None:
        from reception.announcements import AnnouncementQueue, Call
        from shared.devices.announcer import phrase
        from shared.eventlog import EventLog
        from shared.store.db import data_dir

        if self.queue is None:  # the page's own: its worker pool goes with the window
            self.queue = AnnouncementQueue(
                data_dir() / "announcements",
                EventLog("setup"),
                self.owner.site.code if self.owner.site else "",
                parent=self,
            )
            self.queue.rendered.connect(self._rendered)
            self.queue.finished.connect(lambda _call: self.play.setEnabled(True))
        self.queue.mode = self.mode
        self.queue.language = self.language.currentData()
        desk = self.owner.site.desks[0].name if self.owner.site else "Desk 1"
        self.said = phrase("A001", desk, self.queue.language)
        self.play.setEnabled(False)
        self.result.setText("Making the announcement ...")
        self.queue.announce(Call("A001", desk))

    def _rendered(self, _call: Any, wav: str, failure: str) -> None:
        if not wav:
            self.result.setText(f"✗ No sound could be made: {failure}")
            self.play.setEnabled(True)
            return
        from shared.devices.announcer import wav_seconds

        seconds = wav_seconds(Path(wav))
        what = "the chime" if self.mode == "chime" else f"the chime, then “{self.said}”"
        text = f"✓ Playing {what} ({seconds:.1f} s)."
        if failure:
            text = f"✗ The voice could not be made ({failure}): only the chime plays."
        if not self.queue._output_available:
            text += " This PC has no sound output, so nothing can be heard here."
        self.result.setText(text)


class SummaryPage(Page):
    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(wizard, "Ready to save", "")
        layout = QVBoxLayout(self)
        self.table = QLabel()
        self.table.setWordWrap(True)
        self.next_steps = _note()
        self.error = _note()
        self.error.setObjectName("save-error")
        layout.addWidget(self.table)
        layout.addSpacing(12)
        layout.addWidget(self.next_steps)
        layout.addStretch()
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        settings = self.owner.settings()
        self.setSubTitle(f"Finish saves this PC's settings in {self.owner.path}.")
        rows = "".join(
            f"<tr><td style='padding-right:18px'><b>{what}</b></td><td>{_html(value)}</td></tr>"
            for what, value in describe(settings)
        )
        self.table.setText(f"<table cellpadding='3'>{rows}</table>")
        command = {
            "kiosk": "onestop kiosk",
            "survey": "onestop kiosk --mode survey",
            "reception": "onestop reception",
            "desk": "onestop desk",
            "display": "onestop display",
            "all": "onestop kiosk, onestop reception, onestop desk, onestop display",
        }[settings.role]
        session = "" if settings.role == "all" else (
            f" To start it at every sign-in, full screen, and again after a crash: "
            f"installer/linux/install-session.sh {settings.role} (Linux), or the installer's "
            "start-at-sign-in option (Windows)."
        )  # fmt: skip
        self.next_steps.setText(f"Then start it from the menu, or with: {command}.{session}")

    def validatePage(self) -> bool:
        try:
            self.owner.saved = save_settings(self.owner.settings(), self.owner.path)
        except SettingsError as error:
            self.error.setText(f"✗ Not saved: {error}")
            return False
        return True


class SetupWizard(QWizard):
    ROLE, DATABASE, SITE, PRINTER, VOICE, SUMMARY = range(6)

    def __init__(
        self,
        previous: Settings | None = None,
        *,
        path: Path | None = None,
        problem: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        from shared.settings import settings_path

        self.previous = previous or Settings()
        self.path = path or settings_path()
        self.problem = problem
        self.saved: Path | None = None
        self.pool = QThreadPool(self)  # the window's own: it waits for a running check
        self.setWindowTitle("OneStop set-up")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setMinimumSize(820, 600)
        self.pages = {
            self.ROLE: RolePage(self),
            self.DATABASE: DatabasePage(self),
            self.SITE: SitePage(self),
            self.PRINTER: PrinterPage(self),
            self.VOICE: VoicePage(self),
            self.SUMMARY: SummaryPage(self),
        }
        for number, page in self.pages.items():
            self.setPage(number, page)
        self.setStartId(self.ROLE)
        self.setStyleSheet(
            "QWizard, QWizard QWidget { font-size: 11pt; } QLabel[role='note'] { color: #333; }"
        )

    @property
    def role(self) -> str:
        return self.pages[self.ROLE].role

    @property
    def database(self) -> str:
        return self.pages[self.DATABASE].database

    @property
    def site(self) -> Any:
        return self.pages[self.SITE].chosen

    def nextId(self) -> int:
        current = self.currentId()
        role = self.role
        order = [self.ROLE, self.DATABASE, self.SITE]
        order += [self.PRINTER] if role in PRINTS else []
        order += [self.VOICE] if role in SPEAKS else []
        order += [self.SUMMARY]
        if current not in order or current == self.SUMMARY:
            return -1
        return order[order.index(current) + 1]

    def settings(self) -> Settings:
        """What the pages say, over the previous settings (a field no page asked stays)."""
        role = self.role
        site_page = self.pages[self.SITE]
        local = self.pages[self.DATABASE].local.isChecked()
        changes: dict[str, str] = {
            "role": role,
            "site": site_page.site.currentData() or "",
            "database": "" if local else self.database,  # "": this PC's own file
        }
        if role in NAMES_DESK:
            changes["desk"] = site_page.desk.currentText().strip()
        if role in NAMES_KIOSK:
            changes["kiosk_name"] = site_page.kiosk_name.text().strip()
        if role in PRINTS:
            with contextlib.suppress(ValueError):  # its page refuses Next until it is right
                changes["printer"] = self.pages[self.PRINTER].printer
        if role in SPEAKS:
            voice = self.pages[self.VOICE]
            changes["announce"] = voice.mode
            changes["voice_language"] = voice.language.currentData()
        return self.previous.merged(**changes)


def _without_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url


def _html(text: str) -> str:
    import html

    return html.escape(text)


def run_wizard() -> int:
    """The wizard in a window; 0 once the settings are saved, 1 if cancelled."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        print(
            "onestop setup: error: the set-up wizard needs a screen; on a PC without one, "
            "copy the settings from another: onestop setup --import FILE",
            file=sys.stderr,
        )
        return 2
    from shared.qt.collector import collect_on_gui_thread
    from shared.settings import load_settings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    collect_on_gui_thread(app)
    problem = ""
    try:
        previous = load_settings()
    except SettingsError as error:
        previous = Settings()
        problem = f"The settings file could not be read, so nothing is filled in: {error}"
    wizard = SetupWizard(previous, problem=problem)
    wizard.show()
    wizard.exec()
    if wizard.saved is None:
        print("onestop setup: nothing saved")
        return 1
    print(f"onestop setup: saved {wizard.saved}")
    return 0
