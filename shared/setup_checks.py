"""What the set-up wizard tries before it saves anything: the database, the printers, a ticket.

Each check blocks (a network round trip, a USB bus scan, a printer): the wizard runs
them on a worker thread. Each answers in plain words; none raises for a failure.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shared.domain import DomainError

# Vendors whose USB receipt printers speak ESC/POS (besides any device of the USB
# printer class): Epson, Star, Citizen, Bixolon, Sewoo, and the common Chinese makers.
ESCPOS_VENDORS = {
    0x04B8: "Epson",
    0x0519: "Star",
    0x1D90: "Citizen",
    0x2730: "Citizen",
    0x1504: "Bixolon",
    0x0DD4: "Custom",
    0x0416: "Winbond (generic)",
    0x0483: "STMicro (generic)",
    0x0FE6: "ICS (generic)",
    0x28E9: "GD32 (generic)",
    0x1FC9: "NXP (generic)",
    0x154F: "SNBC",
}
USB_PRINTER_CLASS = 7


@dataclass(frozen=True)
class UsbPrinter:
    vendor: int
    product: int
    name: str

    @property
    def spec(self) -> str:
        return f"usb://{self.vendor:04x}:{self.product:04x}"

    @property
    def label(self) -> str:
        return f"{self.name} ({self.spec})"


@dataclass(frozen=True)
class UsbScan:
    printers: list[UsbPrinter]
    problem: str = ""  # why the bus could not be looked at (no libusb)

    @property
    def message(self) -> str:
        if self.problem:
            return self.problem
        if not self.printers:
            return (
                "No USB ticket printer is plugged in (or it is switched off). Plug it in "
                "and press Look again, or give a network printer's address."
            )
        count = len(self.printers)
        return f"Found {count} USB printer{'s' if count != 1 else ''}."


def scan_usb_printers(find: Callable[..., Iterable[Any]] | None = None) -> UsbScan:
    """The USB devices that look like ESC/POS printers: of the printer class, or by a
    receipt-printer maker. `find` stands in for pyusb's usb.core.find in tests."""
    if find is None:
        try:
            import usb.core
        except ImportError:
            return UsbScan([], "USB printing needs pyusb: reinstall OneStop")
        find = usb.core.find
        no_backend: type[Exception] = usb.core.NoBackendError
    else:
        no_backend = LookupError
    try:
        devices = list(find(find_all=True))
    except no_backend:
        return UsbScan([], "USB needs libusb-1.0 (on Debian: apt-get install libusb-1.0-0)")
    except Exception as error:
        return UsbScan([], f"could not look at the USB devices ({error})")
    found = []
    for device in devices:
        vendor, product = int(device.idVendor), int(device.idProduct)
        if not (_is_printer_class(device) or vendor in ESCPOS_VENDORS):
            continue
        found.append(UsbPrinter(vendor, product, _name(device, vendor)))
    return UsbScan(sorted(found, key=lambda p: p.spec))


def _is_printer_class(device: Any) -> bool:
    if getattr(device, "bDeviceClass", 0) == USB_PRINTER_CLASS:
        return True
    try:
        return any(
            interface.bInterfaceClass == USB_PRINTER_CLASS
            for configuration in device
            for interface in configuration
        )
    except Exception:  # descriptors we may not read: judge by the maker alone
        return False


def _name(device: Any, vendor: int) -> str:
    try:  # reading the strings opens the device: the user may not be allowed to
        words = " ".join(w for w in (device.manufacturer, device.product) if w)
    except Exception:
        words = ""
    return words.strip() or f"{ESCPOS_VENDORS.get(vendor, 'USB')} printer"


@dataclass(frozen=True)
class DatabaseCheck:
    ok: bool
    message: str
    sites: list[str] = field(default_factory=list)


HINTS = (  # what libpq says -> what to do about it
    ("connection refused", "nothing answers there: is the server running, on that port, "
     "and does its firewall let this PC in?"),
    ("password authentication failed", "the server refused that login: check the user "
     "name and password (docs/deploy.md)"),
    ("no password supplied", "the server wants a password: put it in the URL or a pgpass file"),
    ("could not translate host name", "no computer has that name: check the address"),
    ("name or service not known", "no computer has that name: check the address"),
    ("timeout expired", "no answer within 3 seconds: check the address and the network"),
    ("does not exist", "the server has no such database or login: docs/deploy.md makes them"),
    ("no pg_hba.conf entry", "the server does not accept this PC: its pg_hba.conf must "
     "list it (docs/deploy.md)"),
    ("unable to open database file", "the file cannot be made there: check the folder "
     "exists and this user may write to it"),
    ("ssl", "a TLS problem: check sslmode and the certificate paths in the URL"),
)  # fmt: skip


def check_database(url: str) -> DatabaseCheck:
    """Connect to `url`, say what is there (server, schema, sites), change nothing."""
    from sqlalchemy import inspect, text
    from sqlalchemy.exc import SQLAlchemyError

    from shared.store.db import make_engine, resolve_url
    from shared.store.migrate import current_revision, head_revision

    try:
        resolved = resolve_url(url.strip()) if url.strip() else resolve_url(None)
    except DomainError as error:
        return DatabaseCheck(False, str(error))
    try:
        engine = make_engine(resolved)  # SQLite: makes the file's folder
    except OSError as error:
        where = error.filename or resolved
        return DatabaseCheck(False, f"Could not use {where}: {error.strerror}")
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                version = conn.execute(text("SHOW server_version")).scalar_one()
                server = f"PostgreSQL {str(version).split()[0]}"
            else:
                server = "SQLite"
            revision = current_revision(conn)
            sites = []
            if inspect(conn).has_table("site"):
                sites = list(conn.execute(text("SELECT code FROM site ORDER BY code")).scalars())
            conn.rollback()
    except SQLAlchemyError as error:
        return DatabaseCheck(False, "Could not connect: " + _reason(error))
    finally:
        engine.dispose()
    if revision is None:
        schema = "a new database: the first app to start creates its tables"
    elif revision == head_revision():
        schema = "its tables are up to date"
    else:
        schema = f"its tables are at {revision}: the apps upgrade them to {head_revision()}"
    listed = (
        f"sites: {', '.join(sites)}" if sites else "no sites yet (Bootle and Southport are added)"
    )
    return DatabaseCheck(True, f"Connected to {server}; {schema}; {listed}.", sites)


def _reason(error: Exception) -> str:
    orig = getattr(error, "orig", None)
    said = " ".join(str(orig if orig is not None else error).split())
    said = re.sub(r"\(Background on this error at: [^)]*\)", "", said).strip()
    lowered = said.lower()
    hint = next((advice for key, advice in HINTS if key in lowered), "")
    said = said[:300]
    return f"{said} — {hint}" if hint else said


def print_test_ticket(site: Any, printer: str, preview_dir: Any = None) -> Any:
    """A test ticket (number T001, the site's first service) on `printer`: a PrintOutcome."""
    from shared.printing import build_ticket, print_ticket

    ticket = build_ticket(
        site,
        ticket="T001",
        service=site.services[0].code,
        issued_at=datetime.now(UTC),
        ahead=0,
        estimated_wait_minutes=0,
    )
    return print_ticket(site, ticket, printer or None, preview_dir=preview_dir)
