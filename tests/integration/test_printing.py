"""Tickets as bytes: the layout, every transport's address, and real TCP printing."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shared.devices.printer import PrinterError, PrinterSpec, ticket_bytes
from shared.devices.ticket import Ticket
from shared.domain.model import TicketOptions
from tests.loopback_printer import PrinterListener

ONESTOP = str(Path(sys.executable).with_name("onestop"))


def sample(**kw) -> Ticket:
    values = dict(
        council="Sefton Council",
        site_name="Bootle One Stop Shop",
        site_code="bootle",
        ticket="C023",
        service_name="Council Tax",
        issued_at=datetime(2026, 7, 1, 9, 5, tzinfo=UTC),
        timezone="Europe/London",
        ahead=3,
        estimated_wait_minutes=12,
    )
    values.update(kw)
    return Ticket(**values)


def test_the_ticket_carries_what_the_charter_promises_and_nothing_personal() -> None:
    data = ticket_bytes(sample(), TicketOptions())
    for words in (
        b"Sefton Council",
        b"Bootle One Stop Shop",
        b"C023",
        b"Council Tax",
        b"01/07/2026 10:05",
        b"People ahead of you: 3",
        b"about 12 min",
    ):
        assert words in data, words
    assert b"busier than usual" not in data
    assert b"\x1d(k" in data and b"bootle-20260701-C023" in data  # QR with the ticket's code
    assert data.endswith(b"\x1dV\x00")  # then the cut


def test_delays_and_appointments_are_explained() -> None:
    late = ticket_bytes(sample(estimated_wait_minutes=40), TicketOptions())
    assert b"busier than usual" in late and b"about 40 min" in late
    notice = ticket_bytes(sample(delay_reason="Staff training", delay_minutes=30), TicketOptions())
    assert b"Staff training" in notice and b"about 30 min" in notice
    booked = ticket_bytes(
        sample(appointment_at=datetime(2026, 7, 1, 9, 30, tzinfo=UTC)), TicketOptions()
    )
    assert b"Your appointment: 10:30" in booked


def test_narrow_paper_wraps_shorter_lines() -> None:
    footer = "word " * 30
    wide = ticket_bytes(sample(), TicketOptions(paper_mm=80, footer=footer))
    narrow = ticket_bytes(sample(), TicketOptions(paper_mm=58, footer=footer))
    assert narrow.count(b"\n") > wide.count(b"\n")


@pytest.mark.parametrize(
    ("text", "transport", "target"),
    [
        ("tcp://192.0.2.10", "tcp", "192.0.2.10"),
        ("tcp://printer.local:9101", "tcp", "printer.local"),
        ("usb://04b8:0202", "usb", "04b8:0202"),
        ("serial:///dev/ttyUSB0?baudrate=19200", "serial", "/dev/ttyUSB0"),
        ("serial://COM3", "serial", "COM3"),
        ("file:///dev/usb/lp0", "file", "/dev/usb/lp0"),
        ("cups://Kiosk_Printer", "cups", "Kiosk_Printer"),
        ("win32raw://EPSON TM-T88V", "win32raw", "EPSON TM-T88V"),
        ("preview", "preview", ""),
    ],
)
def test_every_transport_is_understood(text, transport, target) -> None:
    spec = PrinterSpec.parse(text)
    assert (spec.transport, spec.target) == (transport, target)


@pytest.mark.parametrize("text", ["lpt1", "http://printer", "usb://zz:01", "tcp://", "file://"])
def test_bad_printer_addresses_are_explained(text) -> None:
    with pytest.raises(PrinterError):
        PrinterSpec.parse(text)


def test_the_command_prints_over_tcp_and_reprints(sqlite_url: str) -> None:
    listener = PrinterListener()
    try:
        printer = f"tcp://127.0.0.1:{listener.port}"
        result = subprocess.run(
            [
                ONESTOP,
                "checkin",
                "--site",
                "bootle",
                "--service",
                "council-tax",
                "--print",
                "--printer",
                printer,
                "--db",
                sqlite_url,
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["print"]["printed"] and data["print"]["bytes_sent"] > 100
        assert listener.received.wait(5)
        assert b"C001" in listener.jobs[0] and len(listener.jobs[0]) == data["print"]["bytes_sent"]
        listener.received.clear()
        again = subprocess.run(
            [
                ONESTOP,
                "reprint",
                "C001",
                "--site",
                "bootle",
                "--printer",
                printer,
                "--db",
                sqlite_url,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert again.returncode == 0, again.stderr
        assert listener.received.wait(5) and b"C001" in listener.jobs[1]
    finally:
        listener.close()


def test_a_dead_printer_keeps_the_check_in_and_raises_an_alert(sqlite_url: str) -> None:
    result = subprocess.run(
        [
            ONESTOP,
            "checkin",
            "--site",
            "bootle",
            "--service",
            "parking",
            "--print",
            "--printer",
            "tcp://127.0.0.1:1",
            "--db",
            sqlite_url,
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0  # the check-in stands
    data = json.loads(result.stdout)
    assert data["ticket"] == "P001" and data["print"]["printed"] is False
    alerts = subprocess.run(
        [ONESTOP, "alerts", "--site", "bootle", "--db", sqlite_url, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert [a["kind"] for a in json.loads(alerts.stdout)["alerts"]] == ["printer"]


def test_preview_renders_a_png(sqlite_url: str) -> None:
    result = subprocess.run(
        [
            ONESTOP,
            "checkin",
            "--site",
            "bootle",
            "--service",
            "housing",
            "--print",
            "--printer",
            "preview",
            "--db",
            sqlite_url,
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    preview = Path(json.loads(result.stdout)["print"]["preview"])
    assert preview.read_bytes().startswith(b"\x89PNG")
