"""Ticket printing with python-escpos, on whatever transport the site has.

    tcp://HOST[:PORT]        raw network printing (port 9100 by default)
    usb://VID:PID            USB (hexadecimal ids, e.g. usb://04b8:0202)
    serial://DEVICE[?baudrate=N]   serial port, e.g. serial:///dev/ttyUSB0?baudrate=19200
    file://PATH              write the bytes to a file or device node
    cups://QUEUE             a CUPS queue, printed raw with `lp -d QUEUE -o raw`
    win32raw://PRINTER       a Windows printer, raw (Windows only)
    preview                  render the ticket to a PNG instead (the demo)

`TicketPrinter` wraps one escpos printer (composition, not inheritance): every
command goes through python-escpos, and a failure of the device becomes a
`PrinterError` the kiosk can show, never a lost check-in.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from shared.domain.model import TicketOptions

from .ticket import Ticket, has_right_to_left, ticket_lines

DEFAULT_OPTIONS = TicketOptions()
TRANSPORTS = ("tcp", "usb", "serial", "file", "cups", "win32raw", "preview")
OPTIONS = {"serial": ("baudrate",)}  # the ?NAME=VALUE options each transport takes


class PrinterError(Exception):
    """The printer could not print the ticket (offline, out of paper, misconfigured)."""

    def __init__(self, message: str, *, out_of_paper: bool = False) -> None:
        super().__init__(message)
        self.out_of_paper = out_of_paper


@dataclass(frozen=True)
class PrinterSpec:
    transport: str
    target: str = ""
    port: int = 9100
    options: tuple[tuple[str, str], ...] = ()

    @classmethod
    def parse(cls, text: str) -> PrinterSpec:
        text = text.strip()
        if text == "preview":
            return cls("preview")
        parsed = urlparse(text)
        scheme = parsed.scheme.lower()
        if scheme not in TRANSPORTS:
            raise PrinterError(
                f"printer {text!r}: expected one of tcp://HOST:9100, usb://VID:PID, "
                "serial://DEVICE, file://PATH, cups://QUEUE, win32raw://PRINTER or preview"
            )
        options = tuple((k, v[-1]) for k, v in parse_qs(parsed.query).items())
        allowed = OPTIONS.get(scheme, ())
        for name, value in options:
            if name not in allowed:
                takes = f"takes only ?{'&'.join(allowed)}=..." if allowed else "takes no options"
                raise PrinterError(f"printer {text!r}: unknown option {name!r} ({scheme} {takes})")
            if name == "baudrate" and not (value.isdigit() and int(value) > 0):
                raise PrinterError(f"printer {text!r}: baudrate must be a number, e.g. 19200")
        if scheme == "tcp":
            if not parsed.hostname:
                raise PrinterError(f"printer {text!r}: a network printer needs a host")
            return cls("tcp", parsed.hostname, parsed.port or 9100, options)
        if scheme == "usb":
            ids = (parsed.netloc or parsed.path).split(":")
            try:
                if len(ids) != 2:
                    raise ValueError
                int(ids[0], 16), int(ids[1], 16)
            except ValueError:
                raise PrinterError(f"printer {text!r}: write USB ids as usb://04b8:0202") from None
            return cls("usb", ":".join(ids), options=options)
        target = parsed.netloc + parsed.path if scheme in ("cups", "win32raw") else parsed.path
        if scheme == "serial" and parsed.netloc:
            target = parsed.netloc + parsed.path  # serial://COM3
        if not target:
            raise PrinterError(f"printer {text!r}: say which {scheme} device or queue")
        return cls(scheme, target, options=options)


def open_escpos(spec: PrinterSpec, profile: str | None = None, timeout: float = 5.0) -> Any:
    """The device for a spec: a python-escpos printer, or our `lp` queue for CUPS.

    Raises PrinterError, saying what is missing, when this machine cannot drive the
    transport at all (no libusb, not Windows, no `lp`).
    """
    from escpos import printer

    kwargs: dict[str, Any] = {"profile": profile} if profile else {}
    options = dict(spec.options)
    if spec.transport == "tcp":
        # Connect ourselves: python-escpos drops (without closing) a socket that fails.
        import socket

        connection = socket.create_connection((spec.target, spec.port), timeout=timeout)
        network = printer.Network(spec.target, port=spec.port, timeout=timeout, **kwargs)
        network.device = connection
        return network
    if spec.transport == "usb":
        return _open_usb(spec, kwargs, timeout)
    if spec.transport == "serial":
        serial = printer.Serial(
            spec.target, baudrate=int(options.get("baudrate", 9600)), timeout=timeout, **kwargs
        )
        serial.open()  # now, so that a missing port fails here, not half-way through
        return serial
    if spec.transport == "file":
        return printer.File(spec.target, **kwargs)
    if spec.transport == "cups":
        return LpQueue(spec.target, timeout)
    if spec.transport == "win32raw":
        if not sys.platform.startswith("win"):
            raise PrinterError(
                f"win32raw://{spec.target} works only on Windows; on this machine use "
                "cups://QUEUE, usb://VID:PID, serial://DEVICE or tcp://HOST"
            )
        if not printer.Win32Raw.is_usable():
            raise PrinterError("Windows printing needs pywin32: reinstall OneStop (pip install .)")
        return printer.Win32Raw(spec.target, **kwargs)
    raise PrinterError(f"no ESC/POS transport for {spec.transport}")


def _open_usb(spec: PrinterSpec, kwargs: dict[str, Any], timeout: float) -> Any:
    from escpos import printer

    if not printer.Usb.is_usable():
        raise PrinterError("USB printing needs pyusb: reinstall OneStop (pip install .)")
    import usb.core

    vendor, product = (int(part, 16) for part in spec.target.split(":"))
    try:
        found = usb.core.find(idVendor=vendor, idProduct=product)
    except usb.core.NoBackendError:
        raise PrinterError(
            "USB printing needs libusb-1.0 (on Debian: apt-get install libusb-1.0-0)"
        ) from None
    if found is None:
        raise PrinterError(
            f"no USB printer {spec.target} is plugged in (check its cable and power; "
            "`lsusb` lists the ids of what is connected)"
        )
    device = printer.Usb(vendor, product, timeout=int(timeout * 1000), **kwargs)
    try:
        device.open()
    except Exception as error:
        raise PrinterError(
            f"the USB printer {spec.target} is connected but cannot be opened ({_reason(error)});"
            " on Linux the kiosk's user needs access to it: see docs/kiosk.md"
        ) from error
    return device


class LpQueue:
    """A CUPS queue, printed with `lp -d QUEUE -o raw`: the bytes reach the printer as sent.

    (python-escpos's CupsPrinter needs pycups, which only builds from source; its LP
    printer ignores lp's exit status. This one reports what lp says.)
    """

    def __init__(self, queue: str, timeout: float = 5.0, command: str = "lp") -> None:
        self.queue = queue
        self.timeout = timeout
        self.command = command

    def _raw(self, data: bytes) -> None:
        lp = shutil.which(self.command)
        if lp is None:
            raise PrinterError(
                "printing to a CUPS queue needs the lp command (on Debian: "
                "apt-get install cups-client)"
            )
        try:
            done = subprocess.run(
                [lp, "-d", self.queue, "-o", "raw", "-t", "OneStop ticket"],
                input=data,
                capture_output=True,
                timeout=self.timeout,
            )
        except subprocess.TimeoutExpired:
            raise PrinterError(
                f"the CUPS queue {self.queue} did not take the ticket within {self.timeout:g} s"
            ) from None
        if done.returncode != 0:
            said = done.stderr.decode(errors="replace").strip() or f"exit status {done.returncode}"
            raise PrinterError(f"the CUPS queue {self.queue} refused the ticket ({_reason(said)})")

    def close(self) -> None:
        pass


Line = tuple[str, str]  # (style, text), as shared.devices.ticket lays a ticket out
Pictures = dict[Line, Any]  # lines drawn as 1-bit PIL images, printed instead of text


def printer_profile(name: str | None, settings: TicketOptions = DEFAULT_OPTIONS) -> Any:
    """The python-escpos profile, its media width set from the paper when it has none.

    (A profile without a width makes python-escpos print a warning for every image.)
    """
    import copy

    from escpos.capabilities import CAPABILITIES, get_profile

    if name and name not in CAPABILITIES["profiles"]:
        known = ", ".join(sorted(CAPABILITIES["profiles"], key=str.lower))
        raise PrinterError(f"unknown printer profile {name!r} (python-escpos knows: {known})")
    profile = get_profile(name or None)
    profile.profile_data = copy.deepcopy(profile.profile_data)  # not the shared table
    media = profile.profile_data.setdefault("media", {})
    media.setdefault("width", {})["pixels"] = paper_dots(profile, settings)[0]
    return profile


def paper_dots(profile: Any, settings: TicketOptions) -> tuple[int, float]:
    """Dots across the printable width (72 mm of 80 mm paper, 48 mm of 58 mm) and dots
    per millimetre, at the profile's resolution (203 dpi when it does not say)."""
    media = profile.profile_data.get("media", {})
    dpi = media.get("dpi")
    per_mm = (dpi if isinstance(dpi, int | float) else 203) / 25.4
    dots = round((72 if settings.paper_mm > 58 else 48) * per_mm / 8) * 8
    known = media.get("width", {}).get("pixels")
    if isinstance(known, int) and known > 0:
        dots = min(dots, known // 8 * 8)
    return dots, per_mm


def encodable(text: str, profile: Any) -> bool:
    """Can the printer's code pages print every character (as python-escpos would pick
    them)? Right-to-left scripts never can: a code page has no shaping or ordering."""
    from escpos.magicencode import Encoder

    encoder = Encoder(profile.get_code_pages())
    return not has_right_to_left(text) and all(
        ord(char) < 128 or any(encoder.can_encode(page, char) for page in encoder.codepages)
        for char in text
    )


def ticket_layout(
    ticket: Ticket, settings: TicketOptions, labels: dict[str, str] | None = None
) -> list[Line]:
    """Every line printed, the footer (after the QR code) last."""
    return [*ticket_lines(ticket, labels), ("small", settings.footer)]


def picture_command(profile: Any) -> str | None:
    """How this printer takes a picture (python-escpos's `impl`), or None: it cannot."""
    if profile.supports("bitImageRaster"):
        return "bitImageRaster"  # GS v 0: thermal printers
    if profile.supports("bitImageColumn"):
        return "bitImageColumn"  # ESC *: impact printers such as the TM-U220
    return None


def lines_to_draw(
    ticket: Ticket,
    settings: TicketOptions,
    labels: dict[str, str] | None = None,
    profile: str | None = None,
) -> list[Line]:
    """The lines this printer's code pages cannot print: they go as pictures (none
    for a printer that cannot print pictures either: there they print as best they can)."""
    chosen = printer_profile(profile, settings)
    if picture_command(chosen) is None:
        return []
    return [
        line for line in ticket_layout(ticket, settings, labels) if not encodable(line[1], chosen)
    ]


def write_ticket(
    device: Any,
    ticket: Ticket,
    settings: TicketOptions,
    labels: dict[str, str] | None = None,
    pictures: Pictures | None = None,
) -> None:
    """Lay the ticket out with escpos commands on any escpos printer (or Dummy): text in
    the printer's own font, a picture for each line in `pictures`, the QR code as the
    printer's own QR command (a reader can scan it; a few bytes, not a bitmap), the cut."""
    columns = 32 if settings.paper_mm <= 58 else 42
    font_a = device.profile.profile_data.get("fonts", {}).get("0", {}).get("columns")
    if isinstance(font_a, int) and font_a > 0:
        columns = min(columns, font_a)  # a 58 mm printer's profile on "80 mm" paper
    draw = picture_command(device.profile)
    pictures = (pictures or {}) if draw else {}
    *lines, footer = ticket_layout(ticket, settings, labels)
    for style, line in lines:
        if (style, line) in pictures:
            device.set(align="center", bold=False, normal_textsize=True)
            device.image(pictures[style, line], impl=draw, center=False)
            continue
        if style == "council":
            device.set(align="center", bold=True, normal_textsize=True)
            device.text(line + "\n")
        elif style == "site":
            device.set(align="center", bold=False, normal_textsize=True)
            device.text(line + "\n\n")
        elif style in ("label", "scan"):
            device.set(align="center", bold=False, normal_textsize=True)
            device.text(("\n" if style == "scan" else "") + _wrap(line, columns) + "\n")
        elif style == "number":
            device.set(align="center", bold=True, custom_size=True, width=4, height=4)
            device.text(line + "\n")
            device.set(align="center", bold=False, normal_textsize=True)
        elif style == "service":
            device.set(align="center", bold=True, double_height=True, double_width=False)
            device.text(_wrap(line, columns) + "\n")
            device.set(align="center", bold=False, normal_textsize=True)
        elif style == "notice":
            device.set(align="center", bold=True, normal_textsize=True)
            device.text(_wrap(line, columns) + "\n")
            device.set(bold=False)
        else:
            device.set(align="center", normal_textsize=True)
            device.text(_wrap(line, columns) + "\n")
    device.set(align="center", bold=False, normal_textsize=True)
    if device.profile.supports("qrCode"):  # the printer's own QR command: a few bytes
        device.qr(
            ticket.qr_content(settings),
            size=6 if settings.paper_mm > 58 else 4,
            native=True,
            center=False,  # centred by the alignment set above, as printers do for codes
        )
    elif draw:  # an older printer: the QR code drawn
        device.qr(
            ticket.qr_content(settings),
            size=6 if settings.paper_mm > 58 else 4,
            image_arguments={"impl": draw, "center": True},
        )
    if footer in pictures:
        device.image(pictures[footer], impl=draw, center=False)
    else:
        device.text(_wrap(footer[1], columns) + "\n")
    device.cut()


def _wrap(text: str, width: int) -> str:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return "\n".join(lines)


def ticket_bytes(
    ticket: Ticket,
    settings: TicketOptions,
    profile: str | None = None,
    labels: dict[str, str] | None = None,
    pictures: Pictures | None = None,
) -> bytes:
    """The exact bytes a printer is sent for this ticket."""
    from escpos.printer import Dummy

    dummy = Dummy()
    dummy.profile = printer_profile(profile, settings)
    write_ticket(dummy, ticket, settings, labels, pictures)
    return bytes(dummy.output)


@dataclass(frozen=True)
class PrinterStatus:
    """What asking the printer (a probe, or the check before a ticket) found out.

    `known` is True when the printer itself answered: its ESC/POS status, or, with
    status not asked, a network or USB printer that could be reached. It is False
    for transports that only write (file, CUPS, Windows, a serial line not asked):
    they cannot tell whether paper is in without printing, so nobody may say the
    printer is back until a ticket has printed.
    """

    known: bool
    paper_low: bool = False
    note: str = ""

    @property
    def warning(self) -> str | None:
        if self.paper_low:
            return "Ticket printer paper running low: change the roll soon"
        return None


@dataclass(frozen=True)
class Printed:
    sent: bytes  # exactly what the printer was sent
    status: PrinterStatus  # what it said before (paper low still prints)


READS_BACK = ("tcp", "usb", "serial")  # transports a printer can answer on
DLE_EOT = b"\x10\x04"  # real-time status: n=1 printer, 2 offline cause, 4 paper sensor


class TicketPrinter:
    """Prints tickets on one configured printer. Blocking: call it off the GUI thread.

    With `ask_status` (the default), printers on transports that read back (network,
    USB, serial) are asked DLE EOT 1, 4 (and 2 when offline) before each ticket and
    on each probe; an answer missing within `status_timeout` seconds means offline.
    """

    def __init__(
        self,
        spec: str | PrinterSpec,
        settings: TicketOptions = DEFAULT_OPTIONS,
        *,
        profile: str | None = None,
        ask_status: bool = True,
        timeout: float = 5.0,
        status_timeout: float = 2.0,
        opener: Callable[[PrinterSpec], Any] | None = None,
    ) -> None:
        self.spec = spec if isinstance(spec, PrinterSpec) else PrinterSpec.parse(spec)
        self.settings = settings
        self.profile = profile
        self.ask_status = ask_status
        self.timeout = timeout
        self.status_timeout = min(status_timeout, timeout)
        self._opener = opener

    @property
    def is_preview(self) -> bool:
        return self.spec.transport == "preview"

    @property
    def asks_status(self) -> bool:
        return self.ask_status and self.spec.transport in READS_BACK

    def print_ticket(
        self,
        ticket: Ticket,
        labels: dict[str, str] | None = None,
        pictures: Pictures | None = None,
    ) -> Printed:
        """Send the ticket; returns what was sent. Raises PrinterError on any failure,
        including a printer that says it is offline or out of paper (nothing is sent).

        `pictures` holds the lines the printer's code pages cannot print (see
        `lines_to_draw`), drawn; without them such a line would print as "?".
        """
        if self.is_preview:
            raise PrinterError("the preview printer renders images: use shared.qt.ticket_image")
        payload = ticket_bytes(ticket, self.settings, self.profile, labels, pictures)
        with self._connected() as (device, status):
            if self.spec.transport == "serial":  # a long image takes a while at 9600 baud
                baud = int(dict(self.spec.options).get("baudrate", 9600))
                device.device.write_timeout = self.timeout + len(payload) * 10 / baud * 1.5
            device._raw(payload)
            if self.asks_status and self.spec.transport == "tcp":
                self._took_it_all(device)
        return Printed(payload, status)

    def _took_it_all(self, device: Any) -> None:
        """A network printer switched off or unplugged mid-ticket: the ticket's bytes sat
        in this PC's socket buffer and were "sent" all the same, so the kiosk took half a
        ticket for a printed one (found by tests/chaos). Asked for its status after the
        job, a printer answers once it has read the whole job; a dropped connection
        cannot answer."""
        try:
            self._ask(device, 1)
        except (OSError, PrinterError) as error:
            raise PrinterError(
                f"{self._name()} dropped the connection before the whole ticket was printed "
                f"({error}): reprint it"
            ) from None

    def probe(self) -> PrinterStatus:
        """Is the printer ready, as far as this transport can tell? Prints nothing.

        Raises PrinterError when it is known not to be (unreachable, offline, out of
        paper, no such queue or device); returns `known=False` when it cannot tell.
        """
        transport = self.spec.transport
        if transport == "preview":
            return PrinterStatus(True, note="the preview always works")
        if transport in READS_BACK:
            with self._connected() as (_device, status):
                return status
        if transport == "file":
            return self._probe_file()
        if transport == "cups":
            return self._probe_cups()
        return PrinterStatus(False, note=f"{self._name()} cannot say without printing")

    def _probe_file(self) -> PrinterStatus:
        path = Path(self.spec.target)
        if path.exists():
            if not os.access(path, os.W_OK):
                raise PrinterError(f"{self._name()} cannot be written to (permission denied)")
        elif path.parent.as_posix().startswith("/dev"):  # a device node goes with its printer
            raise PrinterError(f"{self._name()} is gone (is the printer plugged in?)")
        elif not path.parent.is_dir():
            raise PrinterError(f"{self._name()} cannot be opened (no folder {path.parent})")
        return PrinterStatus(False, note=f"{self._name()} takes bytes but cannot say more")

    def _probe_cups(self) -> PrinterStatus:
        lpstat = shutil.which("lpstat")
        if lpstat is None:
            return PrinterStatus(False, note="no lpstat here to ask CUPS")
        try:
            done = subprocess.run(
                [lpstat, "-p", self.spec.target],
                capture_output=True,
                timeout=self.timeout,
                env={**os.environ, "LC_ALL": "C"},  # lpstat's words, to read "disabled"
            )
        except subprocess.TimeoutExpired:
            raise PrinterError(f"CUPS did not answer within {self.timeout:g} s") from None
        said = (done.stdout or done.stderr).decode(errors="replace").strip()
        if done.returncode != 0:
            raise PrinterError(f"{self._name()} is not there ({_reason(said)})")
        if "disabled" in said.split("\n")[0]:
            raise PrinterError(f"{self._name()} is stopped ({_reason(said)})")
        return PrinterStatus(False, note=f"{self._name()} accepts jobs; CUPS cannot say more")

    @contextlib.contextmanager
    def _connected(self) -> Iterator[tuple[Any, PrinterStatus]]:
        """The open device and what it said; any failure is a PrinterError."""
        device = None
        try:
            device = (self._opener or (lambda s: open_escpos(s, self.profile, self.timeout)))(
                self.spec
            )
            if self.asks_status:
                status = self._status(device)
            else:
                status = PrinterStatus(
                    self.spec.transport in ("tcp", "usb"),
                    note="reached; status not asked" if self.spec.transport in READS_BACK else "",
                )
            yield device, status
        except PrinterError:
            raise
        except Exception as error:  # every transport raises its own kinds
            # `_device`, not `device`: python-escpos reopens a closed device on access.
            stale = getattr(device, "_device", None)
            if stale is not None and hasattr(stale, "close"):
                with contextlib.suppress(Exception):  # escpos leaves a failed socket open
                    stale.close()
            raise PrinterError(f"{self._name()} {_failure(self.spec, error)}") from error
        finally:
            if device is not None:
                with contextlib.suppress(Exception):  # closing a dead device may fail too
                    device.close()

    def _status(self, device: Any) -> PrinterStatus:
        """DLE EOT: online? paper? and, when offline, why."""
        name = self._name()
        printer = self._ask(device, 1)
        paper = self._ask(device, 4)
        if paper & 0x60:
            raise PrinterError(f"{name} is out of paper", out_of_paper=True)
        if printer & 0x08:
            cause = self._ask(device, 2)
            if cause & 0x20:
                raise PrinterError(f"{name} is out of paper", out_of_paper=True)
            if cause & 0x04:
                raise PrinterError(f"{name} has its cover open")
            if cause & 0x40:
                raise PrinterError(f"{name} reports an error (a paper jam, the cutter, or heat)")
            raise PrinterError(f"{name} is offline")
        return PrinterStatus(True, paper_low=bool(paper & 0x0C), note="online, paper in")

    def _ask(self, device: Any, n: int) -> int:
        device._raw(DLE_EOT + bytes([n]))
        answer = self._read_byte(device)
        if answer is None:
            raise PrinterError(
                f"{self._name()} is offline: no answer to a status request within "
                f"{self.status_timeout:g} s (if this model cannot answer, set "
                "ask_status = false)"
            )
        if answer & 0x93 != 0x12:  # bits 1 and 4 set, 0 and 7 clear in every status byte
            raise PrinterError(
                f"{self._name()} answered a status request with {answer:#04x}, which is not "
                "an ESC/POS status (if this model cannot answer, set ask_status = false)"
            )
        return answer

    def _read_byte(self, device: Any) -> int | None:
        """One byte from the printer, or None when none came within the status timeout."""
        wait = self.status_timeout
        link = device.device
        if self.spec.transport == "tcp":
            link.settimeout(wait)
            try:
                data = link.recv(1)
            except TimeoutError:
                return None
            finally:
                link.settimeout(self.timeout)
            if not data:
                raise PrinterError(f"{self._name()} hung up when asked for its status")
            return data[0]
        if self.spec.transport == "serial":
            link.timeout = wait
            try:
                data = link.read(1)
            finally:
                link.timeout = self.timeout
            return data[0] if data else None
        import usb.core

        try:
            data = link.read(device.in_ep, 16, int(wait * 1000))
        except usb.core.USBTimeoutError:
            return None
        return data[0] if len(data) else None

    def _name(self) -> str:
        """The printer as staff know it from the site configuration."""
        spec = self.spec
        return {
            "tcp": f"the ticket printer at {spec.target}:{spec.port}",
            "usb": f"the USB printer {spec.target}",
            "serial": f"the serial port {spec.target}",
            "file": f"the printer file {spec.target}",
            "cups": f"the CUPS queue {spec.target}",
            "win32raw": f"the Windows printer {spec.target}",
        }.get(spec.transport, "the ticket printer")


def _failure(spec: PrinterSpec, error: BaseException) -> str:
    """What went wrong, in the transport's words (python-escpos wraps the cause twice)."""
    from escpos.exceptions import DeviceNotFoundError

    if isinstance(error, DeviceNotFoundError):
        cause = [line for line in error.msg.splitlines() if line.strip()][-1:] or [error.msg]
        return f"cannot be opened ({_reason(cause[0])})"
    if spec.transport in ("tcp", "usb"):
        return f"is not answering ({_reason(error)})"
    return f"failed ({_reason(error)})"


def _reason(error: BaseException | str) -> str:
    """One line from an exception or a tool's message (python-escpos splits them in two)."""
    text = str(error).strip() or type(error).__name__
    lines = [line.strip().rstrip(":") for line in text.splitlines() if line.strip()]
    return ": ".join(lines)[:300]
