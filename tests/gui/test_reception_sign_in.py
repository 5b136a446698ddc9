"""Reception signs in at the console so that what it does is recorded with who did it; a
supervisor's Supervisor tab shows the audit trail. Real windows, offscreen, both
databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy import update

from reception.console import ReceptionWindow
from shared.audit import trail
from shared.eventlog import EventLog
from shared.office import Office
from shared.staff import Staff
from shared.store import Database
from shared.store.tables import login_t

SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "reception"


@pytest.fixture
def office(db_url):
    db = Database(db_url)
    office = Office(db)
    office.ensure_default_sites()
    yield office
    db.dispose()


def press(qtbot, window, name: str) -> None:
    button = window.findChild(QPushButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def console(qtbot, office, tmp_path, size=(1600, 900)) -> ReceptionWindow:
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview"
    )
    window.resize(*size)
    qtbot.addWidget(window)
    window.show()
    return window


def choose(window: ReceptionWindow, ticket: str) -> None:
    for row in range(window.waiting.rowCount()):
        if window.waiting.item(row, 0).text() == ticket:
            window.waiting.selectRow(row)
            return
    raise AssertionError(f"{ticket} not listed")


def sign_in(qtbot, window, name: str, pin: str) -> None:
    window.who_name.setText(name)
    window.who_pin.setText(pin)
    press(qtbot, window, "sign_in")


def test_reception_signs_in_and_what_it_does_is_recorded_with_its_name(
    qtbot, office, tmp_path
) -> None:
    staff = Staff(office.db)
    staff.add("bootle", "Jo Bloggs", "1234", "csa")
    staff.add("bootle", "Rita Desk", "4321", "receptionist")
    staff.add("bootle", "Sam Super", "2468", "supervisor")
    first = office.checkin("bootle", "council-tax").ticket
    window = console(qtbot, office, tmp_path)
    assert window.sign_in_needed and window.who_name.isVisible()
    assert "Sign in to greet" in window.who_text.text()
    qtbot.wait(20)
    window.grab().save(str(SHOTS / "reception-sign-in.png"))
    choose(window, first)
    press(qtbot, window, "greet")  # nobody signed in: refused, and nothing changed
    assert "Sign in first" in window.error.text()
    assert office.visit("bootle", first).greeted_at is None
    sign_in(qtbot, window, "Rita Desk", "0000")
    assert "do not match" in window.error.text() and window.actor is None
    sign_in(qtbot, window, "Rita Desk", "4321")
    assert window.actor is not None and window.actor.name == "Rita Desk"
    assert window.who_text.text() == "Signed in: Rita Desk (receptionist)"
    assert not window.who_name.isVisible() and window.who_pin.text() == ""
    qtbot.wait(20)
    window.grab().save(str(SHOTS / "reception-signed-in.png"))
    choose(window, first)
    press(qtbot, window, "greet")
    assert office.visit("bootle", first).greeted_at is not None
    window.delay_reason.setText("Two advisers on training")
    window.delay_minutes.setValue(20)
    press(qtbot, window, "set_delay")
    window.add_service.setCurrentIndex(window.add_service.findData("parking"))
    press(qtbot, window, "add_visitor")
    assert window.wait_for_printing()
    press(qtbot, window, "sign_out")
    assert window.actor is None and "Sign in to greet" in window.who_text.text()
    choose(window, first)
    press(qtbot, window, "left")
    assert "Sign in first" in window.error.text()

    sam = staff.login("bootle", "Sam Super", "2468", place="test")
    steps = [(s.action, s.staff, s.place) for s in trail(office.db, "bootle", by=sam)]
    assert ("greeted", "Rita Desk", None) in steps
    assert ("checked_in", "Rita Desk", None) in steps  # the visitor added by hand
    assert ("delay_notice_set", "Rita Desk", "Reception") in steps
    assert ("sign_in_refused", "Rita Desk", "Reception") in steps
    assert [s for s in steps if s[0] in ("signed_in", "signed_out") and s[1] == "Rita Desk"] == [
        ("signed_in", "Rita Desk", "Reception"),
        ("signed_out", "Rita Desk", "Reception"),
    ]
    notes = [s.note for s in trail(office.db, "bootle", by=sam) if s.action == "delay_notice_set"]
    assert notes == ["Two advisers on training"]


def test_a_site_without_reception_accounts_works_unsigned_and_records_no_name(
    qtbot, office, tmp_path
) -> None:
    Staff(office.db).add("bootle", "Jo Bloggs", "1234", "csa")  # desks only
    ticket = office.checkin("bootle", "council-tax").ticket
    window = console(qtbot, office, tmp_path)
    assert not window.sign_in_needed and "Nobody signed in" in window.who_text.text()
    choose(window, ticket)
    press(qtbot, window, "greet")
    assert office.visit("bootle", ticket).greeted_at is not None
    assert not window.error.isVisible()
    # A CSA covering reception may sign in there all the same.
    sign_in(qtbot, window, "Jo Bloggs", "1234")
    assert window.actor is not None and window.actor.role == "csa"


def test_a_supervisor_reads_the_audit_trail_on_the_supervisor_tab(qtbot, office, tmp_path) -> None:
    staff = Staff(office.db)
    staff.add("bootle", "Jo Bloggs", "1234", "csa")
    staff.add("bootle", "Rita Desk", "4321", "receptionist")
    staff.add("bootle", "Sam Super", "2468", "supervisor")
    staff.sign_in("bootle", "Desk 1", "Jo Bloggs", "1234")
    for service in ("council-tax", "parking", "housing-benefit"):
        office.checkin("bootle", service)
    office.call_next("bootle", "Desk 1")
    office.start("bootle", desk="Desk 1")
    for wrong in ("0000", "0001"):
        with pytest.raises(Exception, match="do not match"):
            staff.login("bootle", "Rita Desk", wrong, place="Reception")
    window = console(qtbot, office, tmp_path)
    sign_in(qtbot, window, "Rita Desk", "4321")
    window.tabs.setCurrentIndex(window.tabs.count() - 1)
    window.supervisor_name.setText("Rita Desk")
    window.supervisor_pin.setText("4321")
    press(qtbot, window, "supervisor_sign_in")
    assert "this is for supervisors: Rita Desk is a receptionist" in window.error.text()
    window.supervisor_name.setText("Sam Super")
    window.supervisor_pin.setText("2468")
    press(qtbot, window, "supervisor_sign_in")
    assert window.supervisor == "Sam Super" and window.actor.name == "Rita Desk"
    window.supervisor_views.setCurrentWidget(window.audit_view)
    view = window.audit_view
    table = view.table
    shown = [
        (table.item(r, 1).text(), table.item(r, 2).text(), table.item(r, 3).text())
        for r in range(table.rowCount())
    ]
    assert ("Jo Bloggs", "Desk 1", "called") in shown and (
        "Jo Bloggs",
        "Desk 1",
        "started",
    ) in shown
    assert ("Rita Desk", "Reception", "sign-in refused") in shown
    assert ("Sam Super", "Reception (Supervisor tab)", "signed in") in shown
    assert shown.index(("Jo Bloggs", "Desk 1", "started")) < shown.index(
        ("Jo Bloggs", "Desk 1", "called")
    )  # the newest first
    assert "2</b> refused sign-ins" in view.summary.text() or "3</b> refused" in view.summary.text()
    assert view.staff.findText("Jo Bloggs") >= 0
    window.refresh()
    qtbot.wait(20)
    window.grab().save(str(SHOTS / "reception-audit-trail.png"))
    view.staff.setCurrentText("Jo Bloggs")
    press(qtbot, window, "audit_show")
    whose = {table.item(r, 1).text() for r in range(table.rowCount())}
    assert whose == {"Jo Bloggs"} and "Jo Bloggs" in view.summary.text()
    # The tab's sign-in lasts half an hour: once it has run out the tab closes.
    with office.db.transaction() as tx:
        tx.conn.execute(
            update(login_t)
            .where(login_t.c.place == "Reception (Supervisor tab)")
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    window.refresh()
    assert window.supervisor == "" and window.supervisor_pages.currentIndex() == 0
    assert window.actor is not None  # reception's own sign-in is still open
    view.show_trail()
    assert "is for supervisors" in view.summary.text() or "sign in" in view.summary.text()


def test_a_supervisor_signed_in_at_the_top_opens_the_supervisor_tab_and_reports(
    qtbot, office, tmp_path
) -> None:
    staff = Staff(office.db)
    staff.add("bootle", "Sam Super", "2468", "supervisor")
    window = console(qtbot, office, tmp_path, size=(960, 510))
    sign_in(qtbot, window, "Sam Super", "2468")
    assert window.supervisor == "Sam Super" and window.supervisor_pages.currentIndex() == 1
    window.tabs.setCurrentIndex(window.tabs.count() - 1)
    window.supervisor_views.setCurrentWidget(window.audit_view)
    window.refresh()
    qtbot.wait(20)
    assert window.width() <= 960 and window.height() <= 530  # a quarter of a 1080p screen
    window.grab().save(str(SHOTS / "reception-audit-trail-960x510.png"))
    reports = window.show_reports()
    qtbot.addWidget(reports)
    assert reports.by is window.supervisor_actor
    press(qtbot, window, "sign_out")  # signs out of both
    assert window.supervisor == "" and window.actor is None
    with pytest.raises(Exception, match="signed out"):
        from shared.reports.kpis import Period, compute

        compute(office.db, ["bootle"], Period.quarter("2025-Q3"), by=reports.by)
