"""Sites, services, desks, targets and appointments: the council's nouns.

Standard library only. These are plain values; the store persists them and the
site configuration builds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time

from .errors import DomainError, quoted

LETTER = re.compile(r"^[A-Z]$")
CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Targets:
    """The charter's promises, per site (minutes)."""

    greet_minutes: int = 2
    serve_minutes: int = 15
    appointment_grace_minutes: int = 5
    # An appointment becomes callable this many minutes before its appointed time.
    appointment_window_minutes_before: int = 0

    def __post_init__(self) -> None:
        for name in (
            "greet_minutes",
            "serve_minutes",
            "appointment_grace_minutes",
            "appointment_window_minutes_before",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise DomainError(f"target {name} must be a whole number of minutes, not {value!r}")


@dataclass(frozen=True)
class Service:
    """A reason for a visit, as the kiosk offers it."""

    code: str
    name: str
    letter: str
    prioritised: bool = False
    group: str = "General"
    mean_service_minutes: float = 10.0
    questions: tuple[str, ...] = ()
    icon: str = ""  # a picture from resources/icons (without .svg); the kiosk shows it

    def __post_init__(self) -> None:
        if not CODE.match(self.code):
            raise DomainError(
                f"service code {self.code!r} must be lower-case letters, digits and dashes"
            )
        if not LETTER.match(self.letter):
            raise DomainError(f"service {self.code}: ticket letter must be one capital letter")
        if not self.name.strip():
            raise DomainError(f"service {self.code}: name must not be empty")
        if self.mean_service_minutes <= 0:
            raise DomainError(f"service {self.code}: mean service minutes must be above zero")


@dataclass(frozen=True)
class Desk:
    """A CSA's desk or interview room and the services it deals with."""

    name: str
    services: frozenset[str]

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise DomainError("desk name must not be empty")
        if not self.services:
            raise DomainError(f"{self.name}: a desk must serve at least one service")

    def serves(self, service_code: str) -> bool:
        return service_code in self.services


@dataclass(frozen=True)
class OpeningHours:
    """Opening times per weekday (0 = Monday); a day missing is closed."""

    days: dict[int, tuple[time, time]] = field(default_factory=dict)

    def is_open(self, local: datetime) -> bool:
        span = self.days.get(local.weekday())
        return span is not None and span[0] <= local.time() < span[1]


@dataclass(frozen=True)
class TicketOptions:
    """How a site's tickets are printed and what they carry besides the queue facts."""

    printer: str = "preview"  # tcp://HOST:9100, usb://VID:PID, serial://..., file://..., preview
    profile: str = ""  # python-escpos printer profile, e.g. "TM-T88V"; empty: generic
    paper_mm: int = 80  # 58 or 80
    # Before each ticket, ask printers that can answer (network, USB, serial) whether
    # they are online and have paper; false for a model or print server that cannot.
    ask_status: bool = True
    qr_url: str = "https://www.sefton.gov.uk/feedback?ticket={code}"
    footer: str = "Thank you for visiting. Please keep this ticket until you are called."


@dataclass(frozen=True)
class KioskOptions:
    idle_seconds: int = 60  # back to the welcome screen after this long untouched
    languages: tuple[str, ...] = ("en", "pl", "ar")
    supervisor_pin_sha256: str = ""  # the staff gesture's PIN (empty: exit disabled)


@dataclass(frozen=True)
class DataOptions:
    # Personal data (survey comments, the needs visitors told the kiosk) is purged
    # after this many days; the counts and times that make the figures are kept.
    retention_days: int = 365


@dataclass(frozen=True)
class DisplayOptions:
    announce: str = "voice"  # voice | chime | silent
    language: str = "en"  # the announcements' language: en | pl


@dataclass(frozen=True)
class Site:
    """One One Stop Shop."""

    code: str
    name: str
    council: str
    services: tuple[Service, ...]
    desks: tuple[Desk, ...]
    targets: Targets = Targets()
    timezone: str = "Europe/London"
    opening_hours: OpeningHours = OpeningHours()
    # Queue classes in calling order (see policy.py); a site may reorder or drop them.
    queue_order: tuple[str, ...] = ("appointment", "priority", "walk_in")
    address: str = ""
    tickets: TicketOptions = TicketOptions()
    kiosk: KioskOptions = KioskOptions()
    display: DisplayOptions = DisplayOptions()
    data: DataOptions = DataOptions()

    def __post_init__(self) -> None:
        if not CODE.match(self.code):
            raise DomainError(f"site code {self.code!r} must be lower-case letters, digits, dashes")
        codes = [s.code for s in self.services]
        duplicates = {c for c in codes if codes.count(c) > 1}
        if duplicates:
            raise DomainError(f"site {self.code}: service codes repeated: {sorted(duplicates)}")
        names = [d.name.casefold() for d in self.desks]
        if len(set(names)) != len(names):
            raise DomainError(f"site {self.code}: desk names must be different")
        for desk in self.desks:
            unknown = desk.services - set(codes)
            if unknown:
                raise DomainError(f"{desk.name}: unknown services {sorted(unknown)}")

    def service(self, code: str) -> Service:
        for service in self.services:
            if service.code == code:
                return service
        raise DomainError(f"site {self.code} has no service {quoted(code)}")

    def desk(self, name: str) -> Desk:
        """Find a desk by its name ("Desk 4"), case-insensitively, or by its number ("4")."""
        wanted = name.strip().casefold()
        for desk in self.desks:
            if desk.name.casefold() == wanted:
                return desk
        numbered = [d for d in self.desks if d.name.casefold().split()[-1] == wanted]
        if len(numbered) > 1:  # "4" is Desk 4 rather than Interview Room 4
            numbered = [d for d in numbered if d.name.casefold().startswith("desk")]
        if len(numbered) == 1:
            return numbered[0]
        names = ", ".join(d.name for d in self.desks)
        raise DomainError(f"site {self.code} has no desk {quoted(name)} (desks: {names})")

    @property
    def prioritised_services(self) -> frozenset[str]:
        return frozenset(s.code for s in self.services if s.prioritised)


@dataclass(frozen=True)
class Appointment:
    """A booked slot. The visit it becomes is created when the visitor checks in."""

    ref: str
    site: str
    service: str
    at: datetime  # timezone-aware
    status: str = "booked"  # booked | arrived | cancelled

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise DomainError("an appointment time must carry its time zone")
