"""The kiosk's staff keypad asks the database for a supervisor's PIN; the site file's PIN
counts only while the site has no supervisor accounts (or the database is away and
this kiosk never saw any). Real windows, offscreen, a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.presenter import KioskPresenter
from kiosk.window import KioskWindow
from shared.notices import Notices
from shared.office import Office
from shared.staff import Staff
from shared.store import Database
from shared.store.tables import audit_t

SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "kiosk"
SITE_FILE_PIN = "2468"  # the demo PIN in the shipped configuration


@pytest.fixture
def office(sqlite_url):
    db = Database(sqlite_url)
    office = Office(db)
    office.ensure_default_sites()
    yield office
    db.dispose()


def kiosk(qtbot, office) -> KioskWindow:
    presenter = KioskPresenter(office, "bootle", printer="preview", name="Kiosk 2")
    presenter.always_open = True
    window = KioskWindow(presenter, kiosk_mode=False)
    window.resize(1920, 1080)
    qtbot.addWidget(window)
    window.show()
    window.open_pin()
    return window


def trail(office) -> list[tuple[str, str | None, str | None]]:
    with office.db.transaction(write=False) as tx:
        rows = tx.conn.execute(
            select(audit_t.c.action, audit_t.c.staff_name, audit_t.c.place).order_by(audit_t.c.id)
        ).all()
    return [tuple(r) for r in rows if r.place == "Kiosk 2"]


def test_a_supervisors_pin_opens_the_staff_page_and_the_site_files_no_longer(qtbot, office) -> None:
    Staff(office.db).add("bootle", "Jo Bloggs", "9753", "csa")
    Staff(office.db).add("bootle", "Sam Super", "1357", "supervisor")
    window = kiosk(qtbot, office)
    assert not window.ask_pin(SITE_FILE_PIN)
    assert window.pin_status.text() == "That PIN is not right."
    assert not window.ask_pin("9753")  # a CSA's
    assert window.ask_pin("1357") and window.current_page == "staff"
    assert window.unlocked_by == "Sam Super" and window.supervisors_known
    window.toggle_closed()
    assert Notices(office.db).notice("bootle").closed
    assert trail(office) == [
        ("kiosk_pin_refused", None, "Kiosk 2"),
        ("kiosk_pin_refused", None, "Kiosk 2"),
        ("kiosk_unlocked", "Sam Super", "Kiosk 2"),
        ("office_closed", None, "Kiosk 2"),
    ]


def test_with_the_database_away_only_a_kiosk_that_never_saw_supervisors_takes_the_file_pin(
    qtbot, office, tmp_path
) -> None:
    Staff(office.db).add("bootle", "Sam Super", "1357", "supervisor")
    away = Database(f"sqlite:///{tmp_path}/no/such/folder/onestop.db", migrate=False)
    try:
        seen = kiosk(qtbot, office)
        assert seen.ask_pin("1357")  # online: it learns the site has supervisors
        seen.next_visitor()
        seen.open_pin()
        seen.staff_db = away  # then the network goes
        assert not seen.ask_pin("1357") and not seen.ask_pin(SITE_FILE_PIN)
        assert seen.pin_status.text() == "The PIN cannot be checked while the database is away."
        SHOTS.mkdir(parents=True, exist_ok=True)
        seen.grab().save(str(SHOTS / "pin-offline.png"))
        for attempt in range(3):  # counted here while the database cannot count them
            seen.ask_pin(f"000{attempt}")
        assert "Too many wrong PINs" in seen.pin_status.text()

        fresh = kiosk(qtbot, office)  # started with the database already away
        fresh.staff_db = away
        assert not fresh.ask_pin("1111")
        assert fresh.pin_status.text() == "That PIN is not right."
        assert fresh.ask_pin(SITE_FILE_PIN) and fresh.unlocked_by == ""
    finally:
        away.dispose()
