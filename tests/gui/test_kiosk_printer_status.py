"""The kiosk's printer alert follows what the printer says: raised when a ticket fails,
kept while a probe finds it still down (or cannot tell), cleared only when it is back;
paper near its end prints and warns reception."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kiosk.presenter import KioskPresenter
from shared.notices import Notices
from shared.office import Office
from shared.store import Database
from tests.loopback_printer import PrinterListener

OPEN_TIME = datetime(2026, 11, 24, 10, 30, tzinfo=ZoneInfo("Europe/London"))  # a Tuesday


@pytest.fixture
def office(sqlite_url):
    db = Database(sqlite_url)
    office = Office(db)
    office.ensure_default_sites()
    yield office
    db.dispose()


@pytest.fixture
def printer():
    listener = PrinterListener()
    yield listener
    listener.close()


def kiosk(qtbot, office, spec: str) -> KioskPresenter:
    presenter = KioskPresenter(office, "bootle", printer=spec, clock=lambda: OPEN_TIME)
    states: list[tuple[bool, str]] = []
    presenter.printer_state.connect(lambda working, message: states.append((working, message)))
    presenter.states = states  # type: ignore[attr-defined]
    return presenter


def finish(qtbot, presenter: KioskPresenter, act) -> tuple[bool, str]:
    """Run an action that prints or probes; the printer state it ended in, if any."""
    before = len(presenter.states)
    act()
    assert presenter.wait_for_printing()
    qtbot.wait(50)  # the job's answer crosses to the GUI thread
    return presenter.states[before] if len(presenter.states) > before else (None, "")


def printer_alerts(office) -> list[str]:
    return [a.detail for a in Notices(office.db).alerts("bootle") if a.kind == "printer"]


def test_out_of_paper_is_alerted_kept_while_still_out_and_cleared_when_back(
    qtbot, office, printer
) -> None:
    presenter = kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    printer.state.paper = "out"
    working, message = finish(qtbot, presenter, lambda: presenter.check_in("payments", {}))
    assert working is False and "out of paper" in message
    assert office.visit("bootle", "Y001").waiting  # the check-in is kept
    assert printer_alerts(office) == [f"Ticket printer out of paper (last ticket Y001): {message}"]
    assert finish(qtbot, presenter, presenter.probe_printer) == (None, "")  # still out
    assert len(printer_alerts(office)) == 1
    printer.state.paper = "ok"  # a new roll
    assert finish(qtbot, presenter, presenter.probe_printer) == (True, "")
    assert printer_alerts(office) == []
    assert printer.jobs == []  # nothing printed on the way


def test_paper_near_its_end_prints_and_tells_reception_until_a_new_roll(
    qtbot, office, printer
) -> None:
    presenter = kiosk(qtbot, office, f"tcp://127.0.0.1:{printer.port}")
    printer.state.paper = "near_end"
    assert finish(qtbot, presenter, lambda: presenter.check_in("payments", {})) == (True, "")
    assert printer.received.wait(5) and b"Y001" in printer.jobs[0]
    assert printer_alerts(office) == ["Ticket printer paper running low: change the roll soon"]
    printer.state.paper = "ok"
    assert finish(qtbot, presenter, lambda: presenter.check_in("payments", {})) == (True, "")
    assert printer_alerts(office) == []


def test_a_write_only_printer_stays_alerted_until_a_ticket_really_prints(
    qtbot, office, tmp_path: Path
) -> None:
    folder = tmp_path / "spool"  # not there yet: the first ticket fails
    presenter = kiosk(qtbot, office, f"file://{folder}/lp0")
    working, _ = finish(qtbot, presenter, lambda: presenter.check_in("payments", {}))
    assert working is False and len(printer_alerts(office)) == 1
    folder.mkdir()  # fixed, but a file cannot say so
    assert finish(qtbot, presenter, presenter.probe_printer) == (None, "")
    assert len(printer_alerts(office)) == 1 and not presenter.printer_ok
    assert finish(qtbot, presenter, lambda: presenter.check_in("payments", {})) == (True, "")
    assert printer_alerts(office) == [] and b"Y002" in (folder / "lp0").read_bytes()
