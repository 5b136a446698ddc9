"""Ticket printing with python-escpos, on whatever transport the site has.

    tcp://HOST[:PORT]        raw network printing (port 9100 by default)
    usb://VID:PID            USB (hexadecimal ids, e.g. usb://04b8:0202)
    serial://DEVICE[?baudrate=N]   serial port, e.g. serial:///dev/ttyUSB0?baudrate=19200
    file://PATH              write the bytes to a file or device node
    cups://QUEUE             a CUPS queue
    win32raw://PRINTER       a Windows printer, raw
    preview                  render the ticket to a PNG instead (the demo)

`TicketPrinter` wraps one escpos printer (composition, not inheritance): every
command goes through python-escpos, and a failure of the device becomes a
`PrinterError` the kiosk can show, never a lost check-in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

from shared.domain.model import TicketOptions

from .ticket import Ticket, ticket_lines

DEFAULT_OPTIONS = TicketOptions()
TRANSPORTS = ("tcp", "usb", "serial", "file", "cups", "win32raw", "preview")


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
    """The python-escpos printer for a spec (connected lazily by escpos)."""
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
        vendor, product = (int(part, 16) for part in spec.target.split(":"))
        return printer.Usb(vendor, product, **kwargs)
    if spec.transport == "serial":
        return printer.Serial(spec.target, baudrate=int(options.get("baudrate", 9600)), **kwargs)
    if spec.transport == "file":
        return printer.File(spec.target, **kwargs)
    if spec.transport == "cups":
        return printer.CupsPrinter(spec.target, **kwargs)
    if spec.transport == "win32raw":
        return printer.Win32Raw(spec.target, **kwargs)
    raise PrinterError(f"no ESC/POS transport for {spec.transport}")


def write_ticket(
    device: Any, ticket: Ticket, settings: TicketOptions, labels: dict[str, str] | None = None
) -> None:
    """Lay the ticket out with escpos commands on any escpos printer (or Dummy)."""
    columns = 32 if settings.paper_mm <= 58 else 42
    for style, line in ticket_lines(ticket, labels):
        if style == "council":
            device.set(align="center", bold=True, normal_textsize=True)
            device.text(line + "\n")
        elif style == "site":
            device.set(align="center", bold=False, normal_textsize=True)
            device.text(line + "\n\n")
        elif style == "label":
            device.set(align="center", normal_textsize=True)
            device.text(line + "\n")
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
    device.text("\n")
    device.qr(
        ticket.qr_content(settings),
        size=6 if settings.paper_mm > 58 else 4,
        native=True,
        center=False,
    )
    device.set(align="center", normal_textsize=True)
    device.text(_wrap(settings.footer, columns) + "\n")
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
) -> bytes:
    """The exact bytes a printer is sent for this ticket."""
    from escpos.printer import Dummy

    dummy = Dummy(profile=profile) if profile else Dummy()
    write_ticket(dummy, ticket, settings, labels)
    return bytes(dummy.output)


def image_ticket_bytes(image: Any, profile: str | None = None) -> bytes:
    """A ticket drawn as one image (raster bit image), then a cut."""
    from escpos.printer import Dummy

    dummy = Dummy(profile=profile) if profile else Dummy()
    dummy.image(image, center=False)
    dummy.cut()
    return bytes(dummy.output)


class TicketPrinter:
    """Prints tickets on one configured printer. Blocking: call it off the GUI thread."""

    def __init__(
        self,
        spec: str | PrinterSpec,
        settings: TicketOptions = DEFAULT_OPTIONS,
        *,
        profile: str | None = None,
        ask_status: bool = False,
        timeout: float = 5.0,
        opener: Callable[[PrinterSpec], Any] | None = None,
    ) -> None:
        self.spec = spec if isinstance(spec, PrinterSpec) else PrinterSpec.parse(spec)
        self.settings = settings
        self.profile = profile
        self.ask_status = ask_status
        self.timeout = timeout
        self._opener = opener

    @property
    def is_preview(self) -> bool:
        return self.spec.transport == "preview"

    def print_ticket(
        self, ticket: Ticket, labels: dict[str, str] | None = None, image: Any = None
    ) -> bytes:
        """Send the ticket; returns the bytes sent. Raises PrinterError on any failure.

        `image` (a PIL image of the whole ticket) is printed instead of text, for
        scripts the printer's code pages cannot print.
        """
        if self.is_preview:
            raise PrinterError("the preview printer renders images: use shared.qt.ticket_image")
        payload = (
            image_ticket_bytes(image, self.profile)
            if image is not None
            else ticket_bytes(ticket, self.settings, self.profile, labels)
        )
        with self._connected() as device:
            device._raw(payload)
        return payload

    def probe(self) -> None:
        """Is the printer reachable (and has it paper, where it can say)? Prints nothing.

        Only network printers can be reached without printing; other transports
        are assumed well until a ticket fails.
        """
        if self.spec.transport == "tcp":
            with self._connected():
                pass

    @contextlib.contextmanager
    def _connected(self) -> Iterator[Any]:
        """The open device (its paper checked when asked); any failure is a PrinterError."""
        device = None
        try:
            device = (self._opener or (lambda s: open_escpos(s, self.profile, self.timeout)))(
                self.spec
            )
            if self.ask_status:
                self._check_status(device)
            yield device
        except PrinterError:
            raise
        except Exception as error:  # every transport raises its own kinds
            stale = getattr(device, "device", None)
            if stale is not None and hasattr(stale, "close"):
                with contextlib.suppress(Exception):  # escpos leaves a failed socket open
                    stale.close()
            where = f" at {self.spec.target}" + (
                f":{self.spec.port}" if self.spec.transport == "tcp" else ""
            )
            raise PrinterError(
                f"the ticket printer{where} is not answering ({_reason(error)})"
            ) from error
        finally:
            if device is not None:
                with contextlib.suppress(Exception):  # closing a dead device may fail too
                    device.close()

    def _check_status(self, device: Any) -> None:
        try:
            paper = device.paper_status()
        except Exception as error:
            raise PrinterError(f"the ticket printer does not answer ({_reason(error)})") from error
        if paper == 0:
            raise PrinterError("the ticket printer is out of paper", out_of_paper=True)


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]
