"""Every transport as far as this machine can take it without a printer attached: a real
serial line (a pseudo-terminal), a real file, CUPS through the lp command, and clear
errors for USB and Windows printers that are not there."""

from __future__ import annotations

import gc
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from shared.devices.printer import PrinterError, TicketPrinter
from tests.integration.test_printing import sample
from tests.loopback_printer import PtyPrinter


@pytest.fixture
def unraisable(monkeypatch):
    """Exceptions Python could only print and ignore (e.g. raised in __del__)."""
    seen: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda info: seen.append(info.exc_value))
    yield seen
    gc.collect()
    assert seen == []


def test_the_transports_python_escpos_needs_are_installed() -> None:
    from escpos import printer

    assert printer.Usb.is_usable()  # pyusb
    assert printer.Serial.is_usable()  # pyserial
    assert printer.Win32Raw.is_usable() == sys.platform.startswith("win")  # pywin32


def test_a_ticket_reaches_a_serial_line_byte_for_byte(unraisable) -> None:
    line = PtyPrinter()
    try:
        sent = TicketPrinter(f"serial://{line.path}?baudrate=19200").print_ticket(sample()).sent
        assert line.received.wait(5)
        assert line.jobs == [sent]
        assert b"C023" in sent
    finally:
        line.close()


def test_a_missing_serial_port_is_named(unraisable) -> None:
    with pytest.raises(PrinterError, match=r"serial port /dev/ttyOneStop9 cannot be opened"):
        TicketPrinter("serial:///dev/ttyOneStop9").print_ticket(sample())


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("serial:///dev/ttyS0?baud=19200", "unknown option 'baud'"),
        ("serial:///dev/ttyS0?baudrate=fast", "baudrate must be a number"),
        ("tcp://printer?timeout=3", "tcp takes no options"),
    ],
)
def test_mistyped_options_are_refused(text, says) -> None:
    with pytest.raises(PrinterError, match=says):
        TicketPrinter(text)


def test_a_file_printer_gets_the_ticket_and_a_missing_folder_is_named(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    sent = TicketPrinter(f"file://{target}").print_ticket(sample()).sent
    assert target.read_bytes() == sent
    with pytest.raises(PrinterError, match=r"printer file .*/gone/lp0 cannot be opened"):
        TicketPrinter(f"file://{tmp_path}/gone/lp0").print_ticket(sample())


def test_an_absent_usb_printer_is_named_and_nothing_is_left_behind(unraisable) -> None:
    printer = TicketPrinter("usb://04b8:0e15", timeout=1)
    with pytest.raises(PrinterError, match=r"no USB printer 04b8:0e15 is plugged in"):
        printer.print_ticket(sample())
    del printer


@pytest.mark.skipif(sys.platform.startswith("win"), reason="Windows prints win32raw")
def test_a_windows_printer_elsewhere_says_it_needs_windows(unraisable) -> None:
    with pytest.raises(PrinterError, match=r"works only on Windows"):
        TicketPrinter("win32raw://EPSON TM-T88V").print_ticket(sample())


def fake_lp(folder: Path, exit_status: int = 0, says: str = "") -> Path:
    """An `lp` that keeps its arguments and the job, as CUPS would take them."""
    folder.mkdir(exist_ok=True)
    script = folder / "lp"
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{folder}/args"\n'
        f'cat > "{folder}/job"\n'
        f'[ -n "{says}" ] && echo "lp: {says}" >&2\n'
        f"exit {exit_status}\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return folder


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a POSIX shell script stands for lp")
def test_a_cups_queue_gets_the_raw_bytes_through_lp(tmp_path, monkeypatch) -> None:
    bin_dir = fake_lp(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    sent = TicketPrinter("cups://Kiosk_Printer").print_ticket(sample()).sent
    assert (bin_dir / "job").read_bytes() == sent
    args = (bin_dir / "args").read_text().split("\n")
    assert args[:4] == ["-d", "Kiosk_Printer", "-o", "raw"]  # untouched by CUPS filters


@pytest.mark.skipif(sys.platform.startswith("win"), reason="a POSIX shell script stands for lp")
def test_what_lp_says_when_it_refuses_reaches_staff(tmp_path, monkeypatch) -> None:
    bin_dir = fake_lp(tmp_path / "bin", exit_status=1, says="Error - queue Kiosk is stopped")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(PrinterError, match=r"CUPS queue Kiosk refused .*queue Kiosk is stopped"):
        TicketPrinter("cups://Kiosk").print_ticket(sample())


def test_without_lp_cups_printing_says_what_to_install(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing here
    with pytest.raises(PrinterError, match=r"needs the lp command .*cups-client"):
        TicketPrinter("cups://Kiosk").print_ticket(sample())


@pytest.mark.skipif(shutil.which("lp") is None, reason="the real lp (cups-client) is not here")
def test_the_real_lp_refuses_a_queue_that_does_not_exist() -> None:
    with pytest.raises(PrinterError, match=r"CUPS queue No_Such_Queue refused the ticket \(.+\)"):
        TicketPrinter("cups://No_Such_Queue", timeout=10).print_ticket(sample())
