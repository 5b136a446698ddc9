"""Asking the printer before each ticket and while it is down (DLE EOT), over a real TCP
socket and a real serial line, against the emulated printer in tests/loopback_printer."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from shared.config import load_site
from shared.devices.printer import PrinterError, PrinterSpec, TicketPrinter
from shared.domain.model import TicketOptions
from shared.printing import print_ticket
from tests.integration.test_printing import sample
from tests.loopback_printer import PrinterListener, PrinterState, PtyPrinter

SITES = Path(__file__).resolve().parents[2] / "resources" / "sites"


@pytest.fixture
def printer():
    listener = PrinterListener()
    yield listener
    listener.close()


def tcp(listener: PrinterListener, **kw) -> TicketPrinter:
    return TicketPrinter(f"tcp://127.0.0.1:{listener.port}", **kw)


def test_a_ready_printer_is_asked_online_and_paper_then_prints(printer) -> None:
    done = tcp(printer).print_ticket(sample())
    assert printer.received.wait(5)
    assert printer.status_requests == [1, 4, 1]  # and online after it: all of it arrived
    assert printer.jobs == [done.sent]  # the status requests are not part of the ticket
    assert done.status.known and done.status.warning is None


def test_out_of_paper_prints_nothing_and_says_so(printer) -> None:
    printer.state.paper = "out"
    with pytest.raises(PrinterError, match="out of paper") as raised:
        tcp(printer).print_ticket(sample())
    assert raised.value.out_of_paper
    assert printer.jobs == []


def test_a_printer_that_does_not_answer_in_time_is_offline(printer) -> None:
    printer.state.answers = False  # switched on, network up, printer hung
    started = time.perf_counter()
    with pytest.raises(PrinterError, match=r"offline: no answer .* within 0.3 s") as raised:
        tcp(printer, status_timeout=0.3).print_ticket(sample())
    assert time.perf_counter() - started < 2
    assert not raised.value.out_of_paper
    assert printer.jobs == []


@pytest.mark.parametrize(
    ("state", "says"),
    [
        (PrinterState(cover_open=True), "has its cover open"),
        (PrinterState(online=False), "is offline"),
    ],
)
def test_an_offline_printer_says_why(state, says) -> None:
    listener = PrinterListener(state=state)
    try:
        with pytest.raises(PrinterError, match=says):
            tcp(listener).print_ticket(sample())
        assert listener.status_requests == [1, 4, 2]  # offline: asked the cause
        assert listener.jobs == []
    finally:
        listener.close()


def test_paper_near_its_end_still_prints_with_a_warning(printer) -> None:
    printer.state.paper = "near_end"
    site = load_site(SITES / "bootle.toml")
    outcome = print_ticket(site, sample(), f"tcp://127.0.0.1:{printer.port}")
    assert outcome.printed and printer.received.wait(5)
    assert b"C023" in printer.jobs[0]
    assert outcome.warning == "Ticket printer paper running low: change the roll soon"


def test_the_probe_follows_the_printer_down_and_back(printer) -> None:
    probe = tcp(printer, status_timeout=0.3).probe
    assert probe().known
    printer.state.paper = "out"
    with pytest.raises(PrinterError, match="out of paper"):
        probe()
    printer.state.paper = "ok"
    printer.state.answers = False
    with pytest.raises(PrinterError, match="offline"):
        probe()
    printer.state.answers = True  # paper in, switched back on
    status = probe()
    assert status.known and not status.paper_low
    assert printer.jobs == []  # a probe prints nothing


def test_a_printer_that_answers_nonsense_is_not_taken_for_ready() -> None:
    class Chatty(PrinterState):
        def status(self, n: int) -> bytes:
            return b"A"  # 0x41: bit 4 clear, so not a status byte

    listener = PrinterListener(state=Chatty())
    try:
        with pytest.raises(PrinterError, match=r"answered .* 0x41, which is not an ESC/POS"):
            tcp(listener).probe()
    finally:
        listener.close()


def test_without_ask_status_a_network_printer_is_only_reached(printer) -> None:
    printer.state.paper = "out"  # it cannot know this
    status = tcp(printer, ask_status=False).probe()
    assert status.known and printer.status_requests == []


def test_the_shipped_sites_and_the_default_ask_for_status() -> None:
    assert TicketOptions().ask_status
    for name in ("bootle", "southport"):
        assert load_site(SITES / f"{name}.toml").tickets.ask_status


def test_a_serial_printer_is_asked_too_and_out_of_paper_is_seen() -> None:
    line = PtyPrinter(PrinterState(paper="out"))
    try:
        printer = TicketPrinter(f"serial://{line.path}", status_timeout=0.5)
        with pytest.raises(PrinterError, match="out of paper"):
            printer.print_ticket(sample())
        line.state.paper = "near_end"
        done = printer.print_ticket(sample())
        assert done.status.paper_low
        assert line.received.wait(5) and line.jobs == [done.sent]
        assert line.status_requests == [1, 4, 1, 4]
    finally:
        line.close()


def test_a_serial_line_with_nothing_on_it_is_offline() -> None:
    line = PtyPrinter(PrinterState(answers=False))  # the port is there, the printer is not
    try:
        with pytest.raises(PrinterError, match="offline: no answer"):
            TicketPrinter(f"serial://{line.path}", status_timeout=0.3).probe()
        status = TicketPrinter(f"serial://{line.path}", ask_status=False).probe()
        assert not status.known  # an open port says nothing about a printer
    finally:
        line.close()


def test_write_only_printers_never_claim_to_be_back(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    status = TicketPrinter(f"file://{target}").probe()  # asking never fails them...
    assert not status.known  # ...but they cannot say they are ready
    assert not target.exists()  # and a probe writes nothing
    assert not TicketPrinter("win32raw://EPSON").probe().known
    with pytest.raises(PrinterError, match="is gone"):
        TicketPrinter("file:///dev/usb/onestop-lp9").probe()  # the device node went with it
    with pytest.raises(PrinterError, match="no folder"):
        TicketPrinter(f"file://{tmp_path}/gone/lp0").probe()


def fake_lpstat(folder: Path, says: str, exit_status: int = 0) -> str:
    folder.mkdir(exist_ok=True)
    script = folder / "lpstat"
    script.write_text(f'#!/bin/sh\necho "{says}"\nexit {exit_status}\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


@pytest.mark.parametrize(
    ("says", "exit_status", "outcome"),
    [
        ("printer Kiosk is idle.  enabled since Tue 24 Nov 2026", 0, "unknown"),
        ("printer Kiosk disabled since Tue 24 Nov 2026 -\n\tPaused", 0, "is stopped"),
        ('lpstat: Invalid destination name in list "Kiosk".', 1, "is not there"),
    ],
)
def test_a_cups_queue_is_asked_through_lpstat(tmp_path, monkeypatch, says, exit_status, outcome):
    monkeypatch.setenv("PATH", fake_lpstat(tmp_path / "bin", says, exit_status))
    printer = TicketPrinter("cups://Kiosk")
    if outcome == "unknown":
        assert not printer.probe().known  # accepting jobs says nothing about the paper
    else:
        with pytest.raises(PrinterError, match=f"CUPS queue Kiosk {outcome}"):
            printer.probe()


def test_preview_is_always_ready() -> None:
    assert TicketPrinter(PrinterSpec.parse("preview")).probe().known
