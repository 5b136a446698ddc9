"""Site configuration: one TOML file per One Stop Shop, validated with clear errors.

A mistake names the file, the line and the field, and says what was expected:

    resources/sites/bootle.toml, line 42, services[3].letter: expected one capital
    letter, got "cc"

The format is documented in docs/site-config.md; the shipped files for Bootle and
Southport are in resources/sites/.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.domain import Desk, DomainError, OpeningHours, Service, Site, Targets
from shared.domain.model import (
    CODE,
    LETTER,
    WEEKDAYS,
    DataOptions,
    DisplayOptions,
    KioskOptions,
    TicketOptions,
)
from shared.domain.policy import CLASSES

SITES_DIR = Path(__file__).resolve().parent.parent / "resources" / "sites"
QUESTIONS = ("private_room", "interpreter", "hearing_loop", "step_free_access")


class ConfigError(DomainError):
    """A site configuration is wrong; nothing was loaded."""

    def __init__(self, path: str, message: str, line: int | None = None, field: str | None = None):
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        where = ", ".join(
            part for part in (str(path), f"line {line}" if line else "", field or "") if part
        )
        super().__init__(f"{where}: {message}")


def default_site_files() -> list[Path]:
    return sorted(SITES_DIR.glob("*.toml"))


def load_site(path: str | Path) -> Site:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(str(path), f"cannot read the file ({error.strerror})") from None
    return parse_site(text, str(path))


# -- finding the line of a field ------------------------------------------------------

HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(#.*)?$")
KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")


class Locator:
    """Maps a field path such as services[3].letter to its line in the TOML text."""

    def __init__(self, text: str) -> None:
        # (table, occurrence) -> (header line, {key: line})
        self.blocks: dict[tuple[str, int], tuple[int, dict[str, int]]] = {("", 0): (0, {})}
        seen: dict[str, int] = {}
        current = ("", 0)
        for number, raw in enumerate(text.splitlines(), start=1):
            header = HEADER.match(raw)
            if header:
                name = header.group(2)
                index = seen.get(name, -1) + 1 if header.group(1) == "[[" else 0
                seen[name] = index
                current = (name, index)
                self.blocks[current] = (number, {})
                continue
            key = KEY.match(raw)
            if key:
                self.blocks[current][1].setdefault(key.group(1).strip('"'), number)

    def line(self, field: str | None) -> int | None:
        if not field:
            return None
        match = re.match(r"^([A-Za-z_]+)(?:\[(\d+)\])?(?:\.([A-Za-z0-9_\-]+))?", field)
        if not match:
            return None
        table, index, key = match.group(1), int(match.group(2) or 0), match.group(3)
        block = self.blocks.get((table, index))
        if block is None:
            top = self.blocks[("", 0)][1]
            return top.get(table)
        header_line, keys = block
        if key is None:
            return header_line or None
        return keys.get(key, header_line or None)


# -- validation ---------------------------------------------------------------------


@dataclass
class Checker:
    path: str
    locator: Locator

    def fail(self, field: str | None, message: str) -> ConfigError:
        return ConfigError(self.path, message, self.locator.line(field), field)

    def table(self, data: dict[str, Any], name: str, required: bool = True) -> dict[str, Any]:
        value = data.get(name)
        if value is None:
            if required:
                raise self.fail(None, f"missing the [{name}] table")
            return {}
        if not isinstance(value, dict):
            raise self.fail(name, f"expected a [{name}] table")
        return value

    def known(self, table: dict[str, Any], field: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                where = f"{field}.{key}" if field else key
                raise self.fail(
                    where, f'unknown field "{key}"{hint}; expected one of {", ".join(allowed)}'
                )

    def string(
        self, table: dict[str, Any], field: str, key: str, default: str | None = None
    ) -> str:
        value = table.get(key, default)
        if value is None:
            raise self.fail(f"{field}.{key}" if field else key, "is required")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{field}.{key}", f"expected some text, got {_show(value)}")
        return value.strip()

    def integer(self, table: dict[str, Any], field: str, key: str, default: int) -> int:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(
                f"{field}.{key}", f"expected a whole number of minutes, got {_show(value)}"
            )
        return value

    def number(self, table: dict[str, Any], field: str, key: str, default: float) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise self.fail(f"{field}.{key}", f"expected a number above zero, got {_show(value)}")
        return float(value)

    def boolean(self, table: dict[str, Any], field: str, key: str, default: bool) -> bool:
        value = table.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{field}.{key}", f"expected true or false, got {_show(value)}")
        return value

    def strings(self, table: dict[str, Any], field: str, key: str) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"{field}.{key}", f"expected a list of text, got {_show(value)}")
        return value


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


SITE_KEYS = ("code", "name", "council", "timezone", "address")
TARGET_KEYS = (
    "greet_minutes",
    "serve_minutes",
    "appointment_grace_minutes",
    "appointment_window_minutes_before",
)
SERVICE_KEYS = (
    "code",
    "name",
    "letter",
    "prioritised",
    "group",
    "mean_service_minutes",
    "questions",
    "icon",
)
ICONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
DESK_KEYS = ("name", "services")
TOP_KEYS = (
    "site",
    "targets",
    "queue",
    "opening_hours",
    "tickets",
    "kiosk",
    "display",
    "data",
    "services",
    "desks",
)
TICKET_KEYS = ("printer", "profile", "paper_mm", "ask_status", "qr_url", "footer")
KIOSK_KEYS = ("idle_seconds", "languages", "supervisor_pin_sha256")
LANGUAGES = ("en", "pl", "ar")
HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


def parse_site(text: str, path: str = "<string>") -> Site:
    """Read a site configuration; raise ConfigError naming file, line and field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        raise ConfigError(
            path, f"not valid TOML: {message}", int(found.group(1)) if found else None
        ) from None
    check = Checker(path, Locator(text))
    check.known(data, "", TOP_KEYS)

    site = check.table(data, "site")
    check.known(site, "site", SITE_KEYS)
    code = check.string(site, "site", "code")
    if not CODE.match(code):
        raise check.fail(
            "site.code", f"expected lower-case letters, digits and dashes, got {_show(code)}"
        )
    timezone = check.string(site, "site", "timezone", "Europe/London")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise check.fail(
            "site.timezone", f'unknown time zone "{timezone}" (e.g. "Europe/London")'
        ) from None

    targets_table = check.table(data, "targets", required=False)
    check.known(targets_table, "targets", TARGET_KEYS)
    defaults = Targets()
    targets = Targets(
        *(check.integer(targets_table, "targets", k, getattr(defaults, k)) for k in TARGET_KEYS)
    )

    queue = check.table(data, "queue", required=False)
    check.known(queue, "queue", ("order",))
    order = tuple(check.strings(queue, "queue", "order")) if "order" in queue else CLASSES
    if not order or len(set(order)) != len(order) or any(c not in CLASSES for c in order):
        raise check.fail(
            "queue.order", f"expected some of {', '.join(CLASSES)}, once each, got {list(order)}"
        )

    hours_table = check.table(data, "opening_hours", required=False)
    check.known(hours_table, "opening_hours", WEEKDAYS)
    opening: dict[int, tuple[time, time]] = {}
    for index, day in enumerate(WEEKDAYS):
        value = hours_table.get(day, "closed")
        if not isinstance(value, str):
            raise check.fail(
                f"opening_hours.{day}", f'expected "09:00-17:00" or "closed", got {_show(value)}'
            )
        if value.strip().lower() == "closed":
            continue
        span = _hours(value)
        if span is None:
            raise check.fail(
                f"opening_hours.{day}", f'expected "09:00-17:00" or "closed", got {_show(value)}'
            )
        opening[index] = span

    tickets, kiosk = _devices(check, data)

    services_list = data.get("services")
    if not isinstance(services_list, list) or not services_list:
        raise check.fail(
            "services" if services_list is not None else None,
            "expected at least one [[services]] table",
        )
    services: list[Service] = []
    seen_codes: dict[str, int] = {}
    for index, table in enumerate(services_list):
        field = f"services[{index}]"
        check.known(table, field, SERVICE_KEYS)
        service_code = check.string(table, field, "code")
        if not CODE.match(service_code):
            raise check.fail(
                f"{field}.code",
                f"expected lower-case letters, digits and dashes, got {_show(service_code)}",
            )
        if service_code in seen_codes:
            raise check.fail(f"{field}.code", f'service code "{service_code}" is used twice')
        seen_codes[service_code] = index
        letter = check.string(table, field, "letter")
        if not LETTER.match(letter):
            raise check.fail(f"{field}.letter", f"expected one capital letter, got {_show(letter)}")
        questions = check.strings(table, field, "questions")
        for question in questions:
            if question not in QUESTIONS:
                raise check.fail(
                    f"{field}.questions",
                    f'unknown question "{question}"; expected some of {", ".join(QUESTIONS)}',
                )
        icon = check.string(table, field, "icon", "-") if "icon" in table else ""
        if icon and not (ICONS_DIR / f"{icon}.svg").exists():
            known = sorted(p.stem for p in ICONS_DIR.glob("*.svg"))
            raise check.fail(
                f"{field}.icon", f'no icon "{icon}"; expected one of {", ".join(known)}'
            )
        services.append(
            Service(
                icon=icon,
                code=service_code,
                name=check.string(table, field, "name"),
                letter=letter,
                prioritised=check.boolean(table, field, "prioritised", False),
                group=check.string(table, field, "group", "General"),
                mean_service_minutes=check.number(table, field, "mean_service_minutes", 10.0),
                questions=tuple(questions),
            )
        )

    desks_list = data.get("desks")
    if not isinstance(desks_list, list) or not desks_list:
        raise check.fail(
            "desks" if desks_list is not None else None, "expected at least one [[desks]] table"
        )
    desks: list[Desk] = []
    names: set[str] = set()
    for index, table in enumerate(desks_list):
        field = f"desks[{index}]"
        check.known(table, field, DESK_KEYS)
        name = check.string(table, field, "name")
        if name.casefold() in names:
            raise check.fail(f"{field}.name", f'desk "{name}" is named twice')
        names.add(name.casefold())
        served = check.strings(table, field, "services")
        if not served:
            raise check.fail(f"{field}.services", "a desk must serve at least one service")
        for service_code in served:
            if service_code not in seen_codes:
                close = difflib.get_close_matches(service_code, list(seen_codes), n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                raise check.fail(f"{field}.services", f'unknown service "{service_code}"{hint}')
        desks.append(Desk(name=name, services=frozenset(served)))

    served_anywhere = set().union(*(d.services for d in desks))
    for service in services:
        if service.code not in served_anywhere:
            field = f"services[{seen_codes[service.code]}].code"
            raise check.fail(
                field, f'no desk serves "{service.code}", so nobody could ever be called for it'
            )

    try:
        return Site(
            code=code,
            name=check.string(site, "site", "name"),
            council=check.string(site, "site", "council"),
            services=tuple(services),
            desks=tuple(desks),
            targets=targets,
            timezone=timezone,
            opening_hours=OpeningHours(opening),
            queue_order=order,
            tickets=tickets,
            kiosk=kiosk,
            display=_display(check, data),
            data=_data(check, data),
            address=site.get("address", "") if isinstance(site.get("address", ""), str) else "",
        )
    except DomainError as error:
        raise ConfigError(path, str(error)) from None


def _hours(value: str) -> tuple[time, time] | None:
    match = HOURS.match(value.strip())
    if not match:
        return None
    try:
        start = time(int(match.group(1)), int(match.group(2)))
        end = time(int(match.group(3)), int(match.group(4)))
    except ValueError:
        return None
    return (start, end) if start < end else None


def _devices(check: Checker, data: dict[str, Any]) -> tuple[TicketOptions, KioskOptions]:
    from shared.devices.printer import PrinterError, PrinterSpec

    table = check.table(data, "tickets", required=False)
    check.known(table, "tickets", TICKET_KEYS)
    defaults = TicketOptions()
    printer = check.string(table, "tickets", "printer", defaults.printer)
    try:
        PrinterSpec.parse(printer)
    except PrinterError as error:
        raise check.fail("tickets.printer", str(error)) from None
    paper = table.get("paper_mm", defaults.paper_mm)
    if paper not in (58, 80) or isinstance(paper, bool):
        raise check.fail("tickets.paper_mm", f"expected 58 or 80, got {_show(paper)}")
    qr_url = check.string(table, "tickets", "qr_url", defaults.qr_url)
    if "{code}" not in qr_url:
        raise check.fail("tickets.qr_url", "expected a URL containing {code}, the ticket's code")
    profile = table.get("profile", "")
    if not isinstance(profile, str):
        raise check.fail(
            "tickets.profile", f"expected a printer profile name, got {_show(profile)}"
        )
    tickets = TicketOptions(
        printer=printer,
        profile=profile.strip(),
        paper_mm=paper,
        ask_status=check.boolean(table, "tickets", "ask_status", defaults.ask_status),
        qr_url=qr_url,
        footer=check.string(table, "tickets", "footer", defaults.footer),
    )

    table = check.table(data, "kiosk", required=False)
    check.known(table, "kiosk", KIOSK_KEYS)
    idle = check.integer(table, "kiosk", "idle_seconds", KioskOptions().idle_seconds)
    if idle < 15:
        raise check.fail("kiosk.idle_seconds", f"expected at least 15 seconds, got {idle}")
    languages = (
        tuple(check.strings(table, "kiosk", "languages")) if "languages" in table else LANGUAGES
    )
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or "en" not in languages:
        raise check.fail(
            "kiosk.languages",
            f"expected some of {', '.join(LANGUAGES)} including en, got {list(languages)}",
        )
    pin = table.get("supervisor_pin_sha256", "")
    if not isinstance(pin, str) or (pin and not re.fullmatch(r"[0-9a-f]{64}", pin)):
        raise check.fail("kiosk.supervisor_pin_sha256", "expected 64 lower-case hex digits")
    return tickets, KioskOptions(idle_seconds=idle, languages=languages, supervisor_pin_sha256=pin)


def _display(check: Checker, data: dict[str, Any]) -> DisplayOptions:
    table = check.table(data, "display", required=False)
    check.known(table, "display", ("announce", "language"))
    announce = check.string(table, "display", "announce", "voice")
    if announce not in ("voice", "chime", "silent"):
        raise check.fail(
            "display.announce", f'expected "voice", "chime" or "silent", got "{announce}"'
        )
    language = check.string(table, "display", "language", "en")
    if language not in ("en", "pl"):
        raise check.fail("display.language", f'expected "en" or "pl", got "{language}"')
    return DisplayOptions(announce=announce, language=language)


def _data(check: Checker, data: dict[str, Any]) -> DataOptions:
    table = check.table(data, "data", required=False)
    check.known(table, "data", ("retention_days",))
    days = check.integer(table, "data", "retention_days", DataOptions().retention_days)
    if days < 1:
        raise check.fail("data.retention_days", f"expected at least 1 day, got {days}")
    return DataOptions(retention_days=days)
