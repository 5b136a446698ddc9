"""The set-up wizard, driven as an IT officer would: each role through to Finish.

Real windows offscreen, a real SQLite file and a real PostgreSQL server for the
database page, a real TCP printer (tests/loopback_printer.py) for the test ticket,
real speech rendering for the test announcement. Each page is saved as a PNG in
tests/screenshots/setup/.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from reception.setup_wizard import SetupWizard
from shared.settings import Settings, load_settings
from shared.setup_checks import UsbScan
from tests.loopback_printer import PrinterListener

SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "setup"
TIMEOUT = 30_000  # ms: a check on a loaded two-core PC


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    return tmp_path / "config" / "settings.toml"


@pytest.fixture
def no_usb(monkeypatch):
    """This machine has no USB printer; the scan says so (tested for real below)."""
    monkeypatch.setattr("shared.setup_checks.scan_usb_printers", lambda: UsbScan([]))


def make(qtbot, settings_file: Path, previous: Settings | None = None) -> SetupWizard:
    wizard = SetupWizard(previous, path=settings_file)
    qtbot.addWidget(wizard)
    wizard.resize(900, 660)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def shoot(wizard: SetupWizard, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SHOTS / f"{name}.png"))


def next_page(qtbot, wizard: SetupWizard) -> None:
    before = wizard.currentId()
    qtbot.waitUntil(
        lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=TIMEOUT
    )
    wizard.next()
    assert wizard.currentId() != before, "Next did not move on"


def choose_role(qtbot, wizard: SetupWizard, role: str) -> None:
    wizard.pages[wizard.ROLE].buttons[role].setChecked(True)
    next_page(qtbot, wizard)


def wait_for_sites(qtbot, wizard: SetupWizard) -> None:
    page = wizard.pages[wizard.SITE]
    qtbot.waitUntil(lambda: page.site.count() > 0, timeout=TIMEOUT)


def finish(qtbot, wizard: SetupWizard) -> dict[str, str]:
    assert wizard.currentId() == wizard.SUMMARY
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.saved == wizard.path
    with wizard.path.open("rb") as source:
        return tomllib.load(source)


def test_a_kiosk_with_a_network_printer_prints_a_test_ticket_and_saves(
    qtbot, settings_file, sqlite_url, no_usb, monkeypatch
):
    monkeypatch.setattr("shared.store.db.default_url", lambda: sqlite_url)
    printer = PrinterListener()
    try:
        wizard = make(qtbot, settings_file)
        shoot(wizard, "1-role")
        choose_role(qtbot, wizard, "kiosk")
        shoot(wizard, "2-database")
        next_page(qtbot, wizard)
        wait_for_sites(qtbot, wizard)
        site_page = wizard.pages[wizard.SITE]
        assert not site_page.desk.isVisible() and site_page.kiosk_name.isVisible()
        site_page.kiosk_name.setText("Kiosk 2 (entrance)")
        shoot(wizard, "3-site-kiosk")
        next_page(qtbot, wizard)
        page = wizard.pages[wizard.PRINTER]
        assert wizard.currentId() == wizard.PRINTER
        qtbot.waitUntil(lambda: "No USB ticket printer" in page.usb_note.text(), timeout=TIMEOUT)
        assert not page.usb.isEnabled()
        qtbot.keyClicks(page.address, f"127.0.0.1:{printer.port}")
        assert page.network.isChecked()
        page.test.click()
        qtbot.waitUntil(lambda: page.result.text().startswith("✓"), timeout=TIMEOUT)
        assert printer.received.wait(10)
        assert b"T001" in printer.jobs[-1]
        assert f"tcp://127.0.0.1:{printer.port}" in page.result.text()
        shoot(wizard, "4-printer")
        next_page(qtbot, wizard)  # a kiosk does not announce: straight to the summary
        shoot(wizard, "6-summary")
        saved = finish(qtbot, wizard)
    finally:
        printer.close()
    assert saved == {
        "role": "kiosk",
        "site": "bootle",
        "printer": f"tcp://127.0.0.1:{printer.port}",
        "kiosk_name": "Kiosk 2 (entrance)",
    }
    assert load_settings(settings_file).kiosk_name == "Kiosk 2 (entrance)"


def test_a_printer_that_does_not_answer_is_reported_plainly(qtbot, settings_file, no_usb):
    wizard = make(qtbot, settings_file)
    choose_role(qtbot, wizard, "reception")
    next_page(qtbot, wizard)
    wait_for_sites(qtbot, wizard)
    next_page(qtbot, wizard)
    page = wizard.pages[wizard.PRINTER]
    listener = PrinterListener()
    port = listener.port
    listener.close()  # nothing listens there now
    page.address.setText(f"127.0.0.1:{port}")
    page.network.setChecked(True)
    page.test.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("✗"), timeout=TIMEOUT)
    assert f"127.0.0.1:{port}" in page.result.text()
    assert "Traceback" not in page.result.text()
    shoot(wizard, "4-printer-failed")
    page.address.setText("tcp://")
    assert not page.validatePage()  # Next refuses a printer address that is not one
    assert "needs a host" in page.result.text()


def test_a_desk_chooses_its_desk_from_the_site(qtbot, settings_file, sqlite_url, monkeypatch):
    monkeypatch.setattr("shared.store.db.default_url", lambda: sqlite_url)
    wizard = make(qtbot, settings_file)
    choose_role(qtbot, wizard, "desk")
    next_page(qtbot, wizard)
    wait_for_sites(qtbot, wizard)
    page = wizard.pages[wizard.SITE]
    page.site.setCurrentIndex(page.site.findData("southport"))
    assert page.desk.isVisible() and not page.kiosk_name.isVisible()
    assert "Desk 1" in [page.desk.itemText(i) for i in range(page.desk.count())]
    page.desk.setCurrentText("Desk 3")
    shoot(wizard, "3-site-desk")
    next_page(qtbot, wizard)
    assert wizard.currentId() == wizard.SUMMARY  # no printer, no voice for a desk
    assert finish(qtbot, wizard) == {"role": "desk", "site": "southport", "desk": "Desk 3"}


def test_the_display_plays_a_test_announcement_through_the_speech_code(
    qtbot, settings_file, monkeypatch
):
    monkeypatch.setenv("ONESTOP_SPEECH", "on")
    wizard = make(qtbot, settings_file)
    choose_role(qtbot, wizard, "display")
    next_page(qtbot, wizard)
    wait_for_sites(qtbot, wizard)
    next_page(qtbot, wizard)
    assert wizard.currentId() == wizard.VOICE
    page = wizard.pages[wizard.VOICE]
    page.language.setCurrentIndex(page.language.findData("pl"))
    rendered = []
    page.play.click()
    page.queue.rendered.connect(lambda *args: rendered.append(args))
    qtbot.waitUntil(lambda: page.result.text().startswith(("✓", "✗")), timeout=60_000)
    assert page.result.text().startswith("✓"), page.result.text()
    assert "Numer A 0 0 1" in page.result.text()  # Polish, from the announcer's phrases
    shoot(wizard, "5-voice")
    qtbot.waitUntil(lambda: page.play.isEnabled(), timeout=60_000)  # played, or its length
    next_page(qtbot, wizard)
    saved = finish(qtbot, wizard)
    assert saved == {
        "role": "display",
        "site": "bootle",
        "announce": "voice",
        "voice_language": "pl",
    }


def test_all_in_one_asks_every_page_and_keeps_a_postgres_url_once_it_connects(
    qtbot, settings_file, pg_url, no_usb
):
    wizard = make(qtbot, settings_file)
    choose_role(qtbot, wizard, "all")
    page = wizard.pages[wizard.DATABASE]
    page.server.setChecked(True)
    wrong = pg_url.rsplit("/", 1)[0] + "/no_such_database"
    page.url.setText(wrong)
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.test.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("✗"), timeout=TIMEOUT)
    assert "does not exist" in page.result.text()
    assert "docs/deploy.md" in page.result.text()  # what to do about it
    assert not page.isComplete()
    shoot(wizard, "2-database-failed")
    page.url.setText(pg_url)
    page.test.click()
    qtbot.waitUntil(lambda: page.result.text().startswith("✓"), timeout=TIMEOUT)
    assert "Connected to PostgreSQL" in page.result.text()
    shoot(wizard, "2-database-postgres")
    next_page(qtbot, wizard)
    wait_for_sites(qtbot, wizard)
    site_page = wizard.pages[wizard.SITE]
    assert site_page.desk.isVisible() and site_page.kiosk_name.isVisible()
    next_page(qtbot, wizard)
    assert wizard.currentId() == wizard.PRINTER
    wizard.pages[wizard.PRINTER].preview.setChecked(True)
    next_page(qtbot, wizard)
    assert wizard.currentId() == wizard.VOICE
    wizard.pages[wizard.VOICE].modes["chime"].setChecked(True)
    next_page(qtbot, wizard)
    summary = wizard.pages[wizard.SUMMARY].table.text()
    assert "All in one" in summary and "PostgreSQL" not in summary
    password = pg_url.split("//", 1)[1].split("@", 1)[0].partition(":")[2]
    if password:
        assert password not in summary  # the summary hides the password
    saved = finish(qtbot, wizard)
    assert saved["database"] == pg_url
    assert saved["role"] == "all" and saved["printer"] == "preview" and saved["announce"] == "chime"
    assert saved["desk"] == "Desk 1"


def test_it_starts_from_the_previous_settings(qtbot, settings_file, no_usb):
    previous = Settings(role="survey", site="southport", kiosk_name="Exit screen")
    wizard = make(qtbot, settings_file, previous)
    assert wizard.pages[wizard.ROLE].role == "survey"
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    wait_for_sites(qtbot, wizard)
    page = wizard.pages[wizard.SITE]
    assert page.site.currentData() == "southport"
    assert page.kiosk_name.text() == "Exit screen"
    next_page(qtbot, wizard)
    assert finish(qtbot, wizard) == {
        "role": "survey",
        "site": "southport",
        "kiosk_name": "Exit screen",
    }


def test_nothing_is_saved_when_cancelled(qtbot, settings_file):
    wizard = make(qtbot, settings_file)
    choose_role(qtbot, wizard, "kiosk")
    wizard.reject()
    assert wizard.saved is None and not settings_file.exists()
