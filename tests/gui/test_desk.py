"""The CSA desk console, driven as a CSA drives it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from reception.desk import DeskWindow
from shared.eventlog import EventLog, read_events
from shared.notices import Notices
from shared.office import Office
from shared.staff import Staff
from shared.store import Database

SHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "desk"


@pytest.fixture
def office(db_url):
    db = Database(db_url)
    office = Office(db)
    office.ensure_default_sites()
    Staff(db).add("bootle", "Jo Bloggs", "1234")
    yield office
    db.dispose()


def press(qtbot, window, name: str) -> None:
    button = window.findChild(QPushButton, name)
    assert button is not None and button.isVisible(), name
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_csa_serves_visitors_from_the_desk(qtbot, office, tmp_path) -> None:
    log = EventLog("desk", tmp_path)
    window = DeskWindow(office, "bootle", "3", log=log)
    qtbot.addWidget(window)
    window.show()
    qtbot.keyClicks(window.name, "Jo Bloggs")
    qtbot.keyClicks(window.pin, "9999")
    press(qtbot, window, "sign_in")
    assert window.error.isVisible() and "do not match" in window.error.text()
    window.pin.clear()
    qtbot.keyClicks(window.pin, "1234")
    qtbot.keyClick(window.pin, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == 1 and not window.error.isVisible()
    assert [d.staff_name for d in Staff(office.db).desks("bootle")] == ["Jo Bloggs"]

    first = office.checkin("bootle", "housing-benefit", flags={"interpreter": "Polski"})
    office.checkin("bootle", "housing-benefit")
    window.refresh()
    assert window.waiting.text().startswith("2 waiting")
    press(qtbot, window, "call_next")
    assert window.current.text() == first.ticket
    assert "interpreter: Polski" in window.details.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "desk-called.png"))
    press(qtbot, window, "recall")
    assert office.visit("bootle", first.ticket).call_count == 2
    press(qtbot, window, "start")
    window.outcome.setCurrentIndex(1)  # referred: needs the back office
    press(qtbot, window, "finish")
    assert "needs the back office" in window.error.text()
    qtbot.keyClicks(window.outcome_detail, "Benefits assessment")
    press(qtbot, window, "finish")
    done = office.visit("bootle", first.ticket)
    assert (done.outcome.kind.value, done.outcome.detail) == ("referred", "Benefits assessment")

    press(qtbot, window, "call_next")
    second = window.current.text()
    window.transfer_to.setCurrentIndex(window.transfer_to.findText("Council Tax"))
    press(qtbot, window, "transfer")
    moved = office.visit("bootle", second)
    assert moved.service == "council-tax" and moved.waiting

    press(qtbot, window, "alarm")
    assert [a.kind for a in Notices(office.db).alerts("bootle")] == ["safety"]
    press(qtbot, window, "break")
    assert Staff(office.db).desks("bootle")[0].status == "break"
    press(qtbot, window, "close_desk")
    assert Staff(office.db).desks("bootle") == []
    events = [e["event"] for e in read_events(tmp_path / "desk.jsonl")]
    assert events[:3] == ["signed_in", "called", "recalled"] and "safety_alarm" in events


def signed_in(qtbot, office, tmp_path, desk: str = "3") -> DeskWindow:
    window = DeskWindow(office, "bootle", desk, log=EventLog("desk", tmp_path))
    qtbot.addWidget(window)
    window.show()
    window.name.setText("Jo Bloggs")
    window.pin.setText("1234")
    press(qtbot, window, "sign_in")
    assert window.stack.currentIndex() == 1, window.error.text()
    return window


def parked_tickets(window: DeskWindow) -> list[str]:
    return [window.parked.item(r).text().split()[0] for r in range(window.parked.count())]


def choose_parked(window: DeskWindow, ticket: str) -> None:
    window.parked.clearSelection()
    for row in range(window.parked.count()):
        if window.parked.item(row).text().startswith(ticket):
            window.parked.item(row).setSelected(True)
            return
    raise AssertionError(f"{ticket} is not parked here")


def test_parked_visitors_are_listed_resumed_returned_and_transferred(
    qtbot, office, tmp_path
) -> None:
    first, second, third = (office.checkin("bootle", "housing-benefit") for _ in range(3))
    window = signed_in(qtbot, office, tmp_path)
    press(qtbot, window, "call_next")
    press(qtbot, window, "park")
    assert window.current.text() == "—" and parked_tickets(window) == [first.ticket]
    assert not window.resume_button.isEnabled()  # nobody chosen yet
    press(qtbot, window, "call_next")
    press(qtbot, window, "start")
    press(qtbot, window, "park")
    assert parked_tickets(window) == [first.ticket, second.ticket]
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "desk-parked.png"))

    # Resume calls the chosen one back to this desk; the list keeps the other.
    choose_parked(window, second.ticket)
    press(qtbot, window, "resume")
    back = office.visit("bootle", second.ticket)
    assert (back.state.value, back.desk, back.call_count) == ("called", "Desk 3", 2)
    assert window.current.text() == second.ticket and parked_tickets(window) == [first.ticket]
    # While a visitor is at the desk, another parked one cannot be resumed over them.
    choose_parked(window, first.ticket)
    assert not window.resume_button.isEnabled()
    press(qtbot, window, "return_to_queue")
    assert office.visit("bootle", first.ticket).waiting and parked_tickets(window) == []
    assert office.waiting("bootle")[0].ticket == first.ticket  # kept their place

    # A parked visitor can be transferred when nobody is at the desk.
    press(qtbot, window, "start")
    press(qtbot, window, "park")
    choose_parked(window, second.ticket)
    window.transfer_to.setCurrentIndex(window.transfer_to.findText("Council Tax"))
    press(qtbot, window, "transfer")
    moved = office.visit("bootle", second.ticket)
    assert moved.service == "council-tax" and moved.waiting and parked_tickets(window) == []
    events = [(e["event"], e.get("ticket")) for e in read_events(tmp_path / "desk.jsonl")]
    assert events.count(("called", second.ticket)) == 2 and ("returned", first.ticket) in events
    assert office.visit("bootle", third.ticket).waiting  # never touched


def test_a_break_stops_calls_until_back_and_a_desk_with_a_visitor_stays_open(
    qtbot, office, tmp_path
) -> None:
    first = office.checkin("bootle", "housing-benefit")
    window = signed_in(qtbot, office, tmp_path)
    press(qtbot, window, "break")
    assert Staff(office.db).desks("bootle")[0].status == "break"
    assert window.break_button.text() == "Back from break"
    assert (
        window.waiting.text().startswith("ON A BREAK") and not window.call_next_button.isEnabled()
    )
    window._guard(window.call_next)  # as a keyboard shortcut or a stale click would
    assert "on a break" in window.error.text()
    assert office.visit("bootle", first.ticket).waiting
    window.grab().save(str(SHOTS / "desk-break.png"))

    press(qtbot, window, "break")  # back from break
    assert Staff(office.db).desks("bootle")[0].status == "open"
    assert window.break_button.text() == "Break" and not window.waiting.text().startswith("ON")
    press(qtbot, window, "call_next")
    assert window.current.text() == first.ticket
    assert not window.call_next_button.isEnabled()  # one visitor at a time
    window._guard(window.call_next)
    assert f"still dealing with {first.ticket}" in window.error.text()

    press(qtbot, window, "close_desk")
    assert "before closing the desk" in window.error.text() and window.stack.currentIndex() == 1
    press(qtbot, window, "break")
    assert "before a break" in window.error.text()
    assert Staff(office.db).desks("bootle")[0].status == "open"

    press(qtbot, window, "no_show")
    assert office.visit("bootle", first.ticket).state.value == "no_show"
    assert window.current.text() == "—" and window.call_next_button.isEnabled()
    press(qtbot, window, "close_desk")
    assert window.stack.currentIndex() == 0 and Staff(office.db).desks("bootle") == []
    events = [e["event"] for e in read_events(tmp_path / "desk.jsonl")]
    assert events == ["signed_in", "break", "back_from_break", "called", "no_show", "signed_out"]


def test_the_desk_fits_a_quarter_screen_and_its_hints_fit_their_box(qtbot, office) -> None:
    from PySide6.QtGui import QFontMetrics

    window = DeskWindow(office, "bootle", "3", log=EventLog("desk", SHOTS))
    qtbot.addWidget(window)
    window.resize(560, 520)
    window.show()
    qtbot.waitExposed(window)
    # The sign-in heading sits on its form, not floating half a window above it.
    title = window.findChild(QLabel, "sign_in_title")
    assert title is not None
    gap = (
        window.name.mapTo(window, window.name.rect().topLeft()).y()
        - title.mapTo(window, title.rect().bottomLeft()).y()
    )
    assert 0 <= gap <= 60, gap
    window.grab().save(str(SHOTS / "desk-sign-in.png"))
    window.name.setText("Jo Bloggs")
    window.pin.setText("1234")
    press(qtbot, window, "sign_in")
    assert window.minimumSizeHint().height() <= 510  # a quarter of 1080p, less a title bar
    box = window.outcome_detail
    for index in range(window.outcome.count()):
        window.outcome.setCurrentIndex(index)
        hint = box.placeholderText()
        assert hint, window.outcome.currentText()
        assert QFontMetrics(box.font()).horizontalAdvance(hint) < box.width() - 12, hint
    window.outcome.setCurrentIndex(window.outcome.findData("referred"))
    assert box.placeholderText() == "Which back office?"
