"""The reception console, driven as a receptionist drives it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from reception.console import ReceptionWindow
from shared.eventlog import EventLog
from shared.notices import Notices
from shared.office import Office
from shared.staff import Staff
from shared.store import Database

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


def row_of(table, ticket: str) -> int:
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == ticket or table.item(row, 1).text() == ticket:
            return row
    raise AssertionError(f"{ticket} not in the list")


def test_reception_sees_greets_adds_and_is_alerted(qtbot, office, tmp_path) -> None:
    first = office.checkin("bootle", "council-tax", flags={"interpreter": "Polski"})
    second = office.checkin("bootle", "parking")
    later = datetime.now(UTC) + timedelta(minutes=20)  # 20 min on: past both targets
    window = ReceptionWindow(
        office,
        "bootle",
        log=EventLog("reception", tmp_path),
        printer="preview",
        clock=lambda: later,
    )
    window.resize(1600, 900)
    qtbot.addWidget(window)
    window.show()
    assert window.waiting.rowCount() == 2
    assert (
        "interpreter (Polski)"
        in window.waiting.item(row_of(window.waiting, first.ticket), 3).text()
    )

    Staff(office.db).add("bootle", "Jo Bloggs", "1234")
    Staff(office.db).sign_in("bootle", "Desk 1", "Jo Bloggs", "1234")
    Notices(office.db).raise_alert("bootle", "help", "Kiosk 1", "A visitor asked for help")
    window.refresh()
    assert "HELP" in window.alerts.text()
    assert f"Not greeted after 2 min: {first.ticket}, {second.ticket}" in window.alerts.text()
    assert window.waiting.item(0, 2).text() == "20 min"
    assert (
        window.desks.item(0, 0).text() == "Desk 1" and window.desks.item(0, 1).text() == "Jo Bloggs"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "reception.png"))

    window.service_filter.setCurrentIndex(window.service_filter.findData("parking"))
    assert [window.waiting.item(r, 0).text() for r in range(window.waiting.rowCount())] == [
        second.ticket
    ]
    window.service_filter.setCurrentIndex(0)
    window.waiting.selectRow(row_of(window.waiting, first.ticket))
    press(qtbot, window, "greet")
    assert office.visit("bootle", first.ticket).greeted_at is not None

    window.add_service.setCurrentIndex(window.add_service.findData("housing"))
    window.add_priority.setChecked(True)
    press(qtbot, window, "add_visitor")
    assert not window.error.isVisible(), window.error.text()
    added = [w for w in office.waiting("bootle") if w.service == "housing"]
    assert added and added[0].priority

    window.delay_reason.setText("Two advisers are on training")
    window.delay_minutes.setValue(35)
    press(qtbot, window, "set_delay")
    assert Notices(office.db).notice("bootle").delay_minutes == 35

    window.waiting.selectRow(row_of(window.waiting, second.ticket))
    press(qtbot, window, "left")
    assert office.visit("bootle", second.ticket).state.value == "left"

    window.alert_table.selectRow(0)
    press(qtbot, window, "resolve")
    assert Notices(office.db).alerts("bootle") == []


def test_appointments_booked_listed_arrived_and_cancelled(qtbot, office, tmp_path) -> None:
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview"
    )
    qtbot.addWidget(window)
    window.show()
    from PySide6.QtCore import QDateTime

    window.book_at.setDateTime(QDateTime.currentDateTime().addSecs(1800))
    window.book_ref.setText("BK-100")
    press(qtbot, window, "book")
    window.book_at.setDateTime(QDateTime.currentDateTime().addSecs(3600))
    window.book_ref.setText("BK-200")
    press(qtbot, window, "book")
    refs = [window.appointments.item(r, 1).text() for r in range(window.appointments.rowCount())]
    assert refs == ["BK-100", "BK-200"]
    # Choosing a booking fills in what it is now, ready to change.
    window.appointments.selectRow(row_of(window.appointments, "BK-200"))
    assert window.book_service.currentData() == "council-tax"
    booked_at = datetime.fromisoformat(office.appointments("bootle")[1]["at"])
    shown = window.book_at.dateTime().toPython().replace(tzinfo=window.zone)
    assert abs((shown - booked_at).total_seconds()) < 60
    window.appointments.selectRow(row_of(window.appointments, "BK-100"))
    window.book_service.setCurrentIndex(window.book_service.findData("housing-benefit"))
    window.book_at.setDateTime(QDateTime.currentDateTime().addSecs(600))
    window.refresh()  # a redraw meanwhile keeps what the receptionist typed
    assert window.book_service.currentData() == "housing-benefit"
    press(qtbot, window, "change_booking")
    moved = office.appointments("bootle")[0]
    assert (moved["ref"], moved["service"]) == ("BK-100", "housing-benefit")
    window.book_at.setDateTime(QDateTime.currentDateTime().addDays(2))
    window.book_ref.setText("BK-300")
    press(qtbot, window, "book")
    assert window.appointments.rowCount() == 3 and "/" in window.appointments.item(2, 0).text()
    window.appointments.selectRow(0)
    press(qtbot, window, "arrived")
    window.appointments.selectRow(1)
    press(qtbot, window, "cancel_booking")
    statuses = [
        window.appointments.item(r, 3).text() for r in range(window.appointments.rowCount())
    ]
    assert statuses == ["arrived", "cancelled", "booked"]


def test_supervisors_see_reports_with_charts(qtbot, office, tmp_path) -> None:
    from shared.domain import DomainError
    from shared.reports.history import import_visits
    from tests.integration.test_reports import HEADER, ROWS

    path = tmp_path / "history.csv"
    path.write_text(HEADER + "\n".join(ROWS) + "\n")
    import_visits(office.db, path)
    Staff(office.db).add("bootle", "Jo Bloggs", "1234", "csa")
    Staff(office.db).add("bootle", "Sam Super", "2468", "supervisor")  # the site's first
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview"
    )
    qtbot.addWidget(window)
    with pytest.raises(DomainError, match="supervisors"):
        window.open_reports("Jo Bloggs", "1234")
    with pytest.raises(DomainError, match="do not match"):
        window.open_reports("Sam Super", "0000")
    reports = window.open_reports("Sam Super", "2468")
    qtbot.addWidget(reports)
    reports.quarter.setCurrentIndex(reports.quarter.findData("2025-Q3"))
    reports.site.setCurrentIndex(reports.site.findData("bootle"))
    with qtbot.waitSignal(reports.computed, timeout=30_000):  # counted on a worker
        press(qtbot, reports, "show")
    values = {
        reports.figures_text(r): reports.table.item(r, 1).text()
        for r in range(reports.table.rowCount())
    }
    assert values["Visits"] == "6" and values["90th percentile wait"] == "16.0 min"
    assert len(reports.views) == 6
    SHOTS.mkdir(parents=True, exist_ok=True)
    reports.grab().save(str(SHOTS / "reports.png"))


def test_reception_sees_parked_visitors_and_returns_them_to_the_queue(
    qtbot, office, tmp_path
) -> None:
    first = office.checkin("bootle", "council-tax")
    second = office.checkin("bootle", "council-tax")
    office.call_next("bootle", "Desk 1")
    office.park("bootle", desk="Desk 1")
    office.call_next("bootle", "Desk 1")
    office.park("bootle", desk="Desk 1")
    Staff(office.db).add("bootle", "Jo Bloggs", "1234")
    Staff(office.db).sign_in("bootle", "Desk 1", "Jo Bloggs", "1234")
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview"
    )
    qtbot.addWidget(window)
    window.show()
    assert window.waiting.rowCount() == 0  # parked visitors are not in the queue...
    listed = [window.parked.item(r, 0).text() for r in range(window.parked.rowCount())]
    assert listed == [first.ticket, second.ticket]  # ...but reception sees them
    assert window.parked.item(0, 2).text() == "Desk 1"
    assert "Parked at desks</b>: 2" in window.parked_heading.text()

    press(qtbot, window, "return_to_queue")
    assert "choose a parked visitor" in window.error.text()
    window.parked.selectRow(row_of(window.parked, second.ticket))
    press(qtbot, window, "return_to_queue")
    assert office.visit("bootle", second.ticket).state.value == "greeted"
    assert [window.waiting.item(r, 0).text() for r in range(window.waiting.rowCount())] == [
        second.ticket
    ]
    window.parked.selectRow(row_of(window.parked, first.ticket))
    press(qtbot, window, "parked_left")
    assert office.visit("bootle", first.ticket).state.value == "left"
    assert window.parked.rowCount() == 0


def test_the_chosen_visitor_stays_chosen_when_the_queue_reorders(qtbot, office, tmp_path) -> None:
    office.checkin("bootle", "council-tax")
    chosen = office.checkin("bootle", "council-tax")
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview"
    )
    qtbot.addWidget(window)
    window.show()
    window.waiting.selectRow(row_of(window.waiting, chosen.ticket))
    urgent = office.checkin("bootle", "council-tax", priority=True)  # goes to the top
    window.refresh()
    assert window.waiting.item(0, 0).text() == urgent.ticket
    press(qtbot, window, "greet")
    assert office.visit("bootle", chosen.ticket).greeted_at is not None
    assert office.visit("bootle", urgent.ticket).greeted_at is None


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def test_arrived_appointments_have_their_own_list_with_the_same_actions(
    qtbot, office, tmp_path
) -> None:
    from shared.eventlog import read_events

    now = datetime.now(UTC)
    late = office.add_appointment("bootle", "council-tax", now + timedelta(minutes=1), "BK-LATE")
    early = office.add_appointment("bootle", "housing-benefit", now - timedelta(minutes=3), "BK-1")
    walk_in = office.checkin("bootle", "council-tax")
    clock = Clock()
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview", clock=clock
    )
    window.resize(1600, 900)
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(1)
    for ref in (late["ref"], early["ref"]):
        window.appointments.selectRow(row_of(window.appointments, ref))
        press(qtbot, window, "arrived")
        assert not window.error.isVisible(), window.error.text()
    number = window.appointments.item(row_of(window.appointments, "BK-1"), 4).text()
    assert number.startswith("H") and f"ticket {number}" in window.status.text()
    assert window.wait_for_printing()
    qtbot.waitUntil(lambda: window.status.text() == f"Ticket {number} printed")
    printed = [
        e for e in read_events(tmp_path / "reception.jsonl") if e["event"] == "ticket_printed"
    ]
    assert len(printed) == 2 and all(e["preview"].endswith(".png") for e in printed)

    # The walk-ins list keeps walk-ins; appointments are listed by appointed time.
    assert [window.waiting.item(r, 0).text() for r in range(window.waiting.rowCount())] == [
        walk_in.ticket
    ]
    listed = [window.arrived_list.item(r, 0).text() for r in range(window.arrived_list.rowCount())]
    assert listed[0] == number and len(listed) == 2
    late_ticket = listed[1]

    # Past the greet target: coloured and alerted like walk-ins.
    clock.now = now + timedelta(minutes=4)
    window.refresh()
    assert window.arrived_list.item(0, 0).background().color().name() == "#ffdd00"
    assert late_ticket in window.alerts.text() and number in window.alerts.text()
    window.arrived_list.selectRow(row_of(window.arrived_list, number))
    press(qtbot, window, "greet")
    assert office.visit("bootle", number).greeted_at is not None
    assert number not in window.alerts.text() and late_ticket in window.alerts.text()

    # Choosing in one list clears the other: the actions act on one visitor.
    window.waiting.selectRow(0)
    assert window.arrived_list.selectionModel().selectedRows() == []
    window.arrived_list.selectRow(row_of(window.arrived_list, late_ticket))
    assert window.waiting.selectionModel().selectedRows() == []
    press(qtbot, window, "priority")
    assert office.visit("bootle", late_ticket).priority
    press(qtbot, window, "left")
    assert office.visit("bootle", late_ticket).state.value == "left"
    assert office.visit("bootle", walk_in.ticket).state.value == "checked_in"
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "reception-appointments.png"))


def test_a_safety_alarm_cannot_be_missed_is_acknowledged_and_reaches_supervisors(
    qtbot, office, tmp_path
) -> None:
    from reception.desk import DeskWindow
    from shared.eventlog import read_events

    staff = Staff(office.db)
    staff.add("bootle", "Jo Bloggs", "1234")
    staff.add("bootle", "Sam Super", "2468", "supervisor")
    desk = DeskWindow(office, "bootle", "3", log=EventLog("desk", tmp_path))
    qtbot.addWidget(desk)
    desk.show()
    desk.name.setText("Jo Bloggs")
    desk.pin.setText("1234")
    press(qtbot, desk, "sign_in")
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview"
    )
    window.resize(1600, 900)
    qtbot.addWidget(window)
    window.show()
    Notices(office.db).raise_alert("bootle", "help", "Kiosk 1", "A visitor asked for help")
    window.refresh()
    assert not window.safety.isVisible() and window.safety.sounded == 0
    window.setWindowState(Qt.WindowState.WindowMinimized)

    press(qtbot, desk, "alarm")
    assert desk.alarm_status.isVisible() and "ALARM SENT" in desk.alarm_status.text()
    assert "Waiting for reception" in desk.alarm_status.text()
    window.refresh()  # as the change notification does
    assert window.safety.isVisible()
    assert "SAFETY ALARM at Desk 3 (Jo Bloggs) since" in window.safety.text.text()
    assert "SAFETY" not in window.alerts.text() and "HELP" in window.alerts.text()
    assert not window.windowState() & Qt.WindowState.WindowMinimized  # brought forward
    assert window.safety.sounded == 1 and window.safety.flash.isActive()
    phase = window.safety.phase
    qtbot.waitUntil(lambda: window.safety.phase != phase, timeout=2000)  # it flashes
    window.refresh()
    assert window.safety.sounded == 1  # the same alarm does not start over on each redraw
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "reception-safety-alarm.png"))

    # A supervisor signs in: the site's alarms and alerts of the day, open ones first.
    window.tabs.setCurrentIndex(window.tabs.count() - 1)
    window.supervisor_name.setText("Jo Bloggs")
    window.supervisor_pin.setText("1234")
    press(qtbot, window, "supervisor_sign_in")
    assert "for supervisors" in window.error.text() and not window.supervisor
    window.supervisor_name.setText("Sam Super")
    window.supervisor_pin.setText("2468")
    press(qtbot, window, "supervisor_sign_in")
    assert window.supervisor == "Sam Super" and "supervisor Sam Super" in window.windowTitle()
    log = window.supervisor_log
    assert [log.item(r, 1).text() for r in range(log.rowCount())] == ["SAFETY ALARM", "HELP"]
    assert log.item(0, 4).text() == "OPEN" and "1 safety alarm" in window.supervisor_heading.text()
    window.grab().save(str(SHOTS / "reception-supervisor.png"))

    press(qtbot, window, "acknowledge")
    assert [a.kind for a in Notices(office.db).alerts("bootle")] == ["help"]
    assert not window.safety.isVisible() and not window.safety.flash.isActive()
    assert log.item(1, 1).text() == "SAFETY ALARM" and log.item(1, 4).text() != "OPEN"
    desk.refresh()
    assert "Reception acknowledged your alarm" in desk.alarm_status.text()
    desk.grab().save(str(SHOTS.parent / "desk" / "desk-alarm-acknowledged.png"))
    events = [e for e in read_events(tmp_path / "reception.jsonl")]
    acknowledged = [e for e in events if e["event"] == "alarm_acknowledged"]
    assert acknowledged and acknowledged[0]["desk"] == "Desk 3"
    assert acknowledged[0]["by"] == "Sam Super"
    press(qtbot, window, "supervisor_sign_out")
    assert not window.supervisor and window.supervisor_pages.currentIndex() == 0


def test_the_service_filter_never_hides_a_late_visitor_and_shares_count_decided_ones(
    qtbot, office, tmp_path
) -> None:
    parking = office.checkin("bootle", "parking")
    tax = office.checkin("bootle", "council-tax")
    clock = Clock()
    clock.now = datetime.now(UTC) + timedelta(minutes=1)  # both inside the greet target
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview", clock=clock
    )
    qtbot.addWidget(window)
    window.show()
    office.greet("bootle", tax.ticket)
    window.refresh()
    assert "greeted within 2 min 100% of 1" in window.figures.text()  # not 50% of 2
    assert "called within 15 min —" in window.figures.text()

    clock.now += timedelta(minutes=3)  # the parking visitor is now past the target
    window.service_filter.setCurrentIndex(window.service_filter.findData("council-tax"))
    assert [window.waiting.item(r, 0).text() for r in range(window.waiting.rowCount())] == [
        tax.ticket
    ]
    assert f"Not greeted after 2 min: {parking.ticket}" in window.alerts.text()
    assert "greeted within 2 min 50% of 2" in window.figures.text()


def test_printing_never_holds_up_the_console_and_a_failing_printer_raises_an_alert(
    qtbot, office, tmp_path
) -> None:
    import time

    from tests.loopback_printer import PrinterListener, PrinterState

    state = PrinterState(answers=False)  # powered but hung: never answers its status
    printer = PrinterListener(state=state)
    try:
        visitor = office.checkin("bootle", "council-tax")
        window = ReceptionWindow(
            office,
            "bootle",
            log=EventLog("reception", tmp_path),
            printer=f"tcp://127.0.0.1:{printer.port}",
        )
        window.resize(1600, 900)
        qtbot.addWidget(window)
        window.show()
        window.waiting.selectRow(row_of(window.waiting, visitor.ticket))
        started = time.perf_counter()
        press(qtbot, window, "reprint")
        assert time.perf_counter() - started < 1.0  # the printer's 2 s wait is not ours
        assert f"Reprinting ticket {visitor.ticket}" in window.status.text()
        qtbot.waitUntil(lambda: window.error.isVisible(), timeout=10_000)
        assert f"{visitor.ticket} is in the queue but its ticket was not printed" in (
            window.error.text()
        )
        alerts = Notices(office.db).alerts("bootle")
        assert [(a.kind, a.source) for a in alerts] == [("printer", "Reception")]
        assert "not working" in alerts[0].detail and visitor.ticket in alerts[0].detail
        assert "PRINTER" in window.alerts.text()
        window.grab().save(str(SHOTS / "reception-printer-down.png"))

        state.answers = True  # fixed: the next ticket prints and the alert goes
        window.tabs.setCurrentIndex(2)
        press(qtbot, window, "add_visitor")
        qtbot.waitUntil(lambda: "printed" in window.status.text(), timeout=10_000)
        added = window.status.text().split()[1]
        assert Notices(office.db).alerts("bootle") == []
        assert printer.received.wait(5) and added.encode() in printer.jobs[-1]

        state.paper = "near_end"  # prints, but reception should change the roll soon
        window.waiting.selectRow(row_of(window.waiting, visitor.ticket))
        press(qtbot, window, "reprint")
        qtbot.waitUntil(lambda: bool(Notices(office.db).alerts("bootle")), timeout=10_000)
        assert "Reception's ticket printer" in Notices(office.db).alerts("bootle")[0].detail
        assert len(printer.jobs) == 2 and visitor.ticket.encode() in printer.jobs[-1]
    finally:
        window.wait_for_printing()
        printer.close()


def test_reception_changes_a_visitors_service_and_priority(qtbot, office, tmp_path) -> None:
    first = office.checkin("bootle", "council-tax")
    second = office.checkin("bootle", "council-tax")
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview"
    )
    qtbot.addWidget(window)
    window.show()
    window.waiting.selectRow(row_of(window.waiting, second.ticket))
    press(qtbot, window, "priority")
    assert office.visit("bootle", second.ticket).priority
    assert window.waiting.item(0, 0).text() == second.ticket  # priority first now
    assert "PRIORITY" in window.waiting.item(0, 3).text()
    press(qtbot, window, "priority")
    assert not office.visit("bootle", second.ticket).priority

    window.waiting.selectRow(row_of(window.waiting, first.ticket))
    action = next(a for a in window.change_menu.actions() if a.data() == "parking")
    action.trigger()
    moved = office.visit("bootle", first.ticket)
    assert moved.service == "parking" and moved.arrived_at.isoformat() == first.arrived_at
    assert window.waiting.item(row_of(window.waiting, first.ticket), 1).text() == (
        "Parking permits and fines"
    )
    # Nobody chosen: the console says so and changes nobody.
    window.waiting.clearSelection()
    next(a for a in window.change_menu.actions() if a.data() == "housing").trigger()
    assert "choose a visitor" in window.error.text()
    assert {w.service for w in office.waiting("bootle")} == {"parking", "council-tax"}


def test_a_visitor_added_by_hand_has_the_kiosks_needs(qtbot, office, tmp_path) -> None:
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview"
    )
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.delay_page))
    window.add_service.setCurrentIndex(window.add_service.findData("housing"))
    assert not window.add_language.isEnabled()
    window.add_interpreter.setChecked(True)
    window.add_language.setText("Polish")
    window.add_needs["private_room"].setChecked(True)
    window.add_help.setChecked(True)
    press(qtbot, window, "add_visitor")
    assert window.wait_for_printing()
    added = office.waiting("bootle")[0]
    assert added.service == "housing"
    assert added.flags == {"private_room": "yes", "interpreter": "Polish", "help": "yes"}
    needs = window.waiting.item(row_of(window.waiting, added.ticket), 3).text()
    assert needs == "NEEDS HELP, interpreter (Polish), private room"
    assert not window.add_interpreter.isChecked() and window.add_language.text() == ""
    assert not any(box.isChecked() for box in window.add_needs.values())


def test_the_delay_notice_showing_is_on_the_console_after_a_restart(
    qtbot, office, tmp_path
) -> None:
    Notices(office.db).set_delay("bootle", "Two advisers are on training", 25)
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview"
    )
    qtbot.addWidget(window)
    window.show()
    assert window.delay_reason.text() == "Two advisers are on training"
    assert window.delay_minutes.value() == 25
    assert "Showing now" in window.delay_now.text() and "25 min" in window.delay_now.text()
    assert "delay notice on (+25 min)" in window.figures.text()
    assert window.tabs.tabText(window.tabs.indexOf(window.delay_page)).endswith("ON")
    press(qtbot, window, "clear_delay")
    assert Notices(office.db).notice("bootle").delay_reason is None
    assert "No delay notice" in window.delay_now.text() and "delay" not in window.figures.text()


def visible_rows(table) -> float:
    return table.viewport().height() / table.verticalHeader().defaultSectionSize()


@pytest.mark.parametrize("size", [(1600, 900), (960, 510)])
def test_the_lists_fill_their_width_and_show_enough_rows(qtbot, office, tmp_path, size) -> None:
    for index in range(12):
        office.checkin("bootle", ["council-tax", "housing-benefit", "parking"][index % 3])
    staff = Staff(office.db)
    for number, desk in enumerate(["Desk 1", "Desk 2", "Desk 3", "Desk 5", "Interview Room 1"]):
        staff.add("bootle", f"CSA {number}", "1234")
        staff.sign_in("bootle", desk, f"CSA {number}", "1234")
    window = ReceptionWindow(
        office, "bootle", log=EventLog("reception", tmp_path), printer="preview"
    )
    window.resize(*size)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.refresh()
    for table in (window.waiting, window.arrived_list, window.desks, window.parked):
        header = table.horizontalHeader()
        used = sum(header.sectionSize(c) for c in range(header.count()))
        assert abs(used - table.viewport().width()) <= 2, table.objectName()
    # A quarter of a 1080p screen (the demo) still lists 8 walk-ins and 5 desks.
    assert visible_rows(window.waiting) >= 8
    assert visible_rows(window.desks) >= 5
    assert window.tabs.tabBar().width() <= window.tabs.width()  # every tab in sight
    window.grab().save(str(SHOTS / f"reception-{size[0]}x{size[1]}.png"))
