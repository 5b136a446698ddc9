"""Site configuration: one TOML file per One Stop Shop, validated with clear errors.

A mistake names the file, the line and the field, and says what was expected:

    resources/sites/bootle.toml, line 42, services[3].letter: expected one capital
    letter, got "cc"

`parse_site` reads the text, `load_site` a file, `dump_site` writes a Site back as
TOML that `parse_site` reads to an equal Site. The format is documented in
docs/site-config.md; the shipped files for Bootle and Southport are in
resources/sites/.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
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
from shared.resources import resources_root

RESOURCES = resources_root()
SITES_DIR = RESOURCES / "sites"
ICONS_DIR = RESOURCES / "icons"
QUESTIONS = ("private_room", "interpreter", "hearing_loop", "step_free_access")
LANGUAGES = ("en", "pl", "ar")
ANNOUNCE_MODES = ("voice", "chime", "silent")
ANNOUNCE_LANGUAGES = ("en", "pl")


class ConfigError(DomainError):
    """A site configuration is wrong; nothing was loaded.

    A DomainError too, so that everything which reports a broken rule to staff
    (the command line, the consoles) reports this the same way.
    """

    def __init__(
        self, path: str, message: str, line: int | None = None, field: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.message = message
        shown = _printable(field, limit=120) if field else ""
        where = ", ".join(
            part for part in (str(path), f"line {line}" if line else "", shown) if part
        )
        super().__init__(f"{where}: {message}")


def default_site_files() -> list[Path]:
    """The shipped site files (Bootle and Southport), in name order."""
    return sorted(SITES_DIR.glob("*.toml"))


def load_site(path: str | Path) -> Site:
    return parse_site(read_site_file(path), str(path))


def read_site_file(path: str | Path) -> str:
    """A site file's text: UTF-8, with or without the byte-order mark Windows Notepad
    writes; anything else is a ConfigError naming the line of the first bad byte."""
    path = Path(path)
    if not str(path).isprintable():  # it would be repeated in every message
        raise ConfigError(repr(str(path))[:200], "a file name with control characters")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(str(path), f"cannot read the file ({error.strerror})") from None
    except ValueError:  # a NUL in the name
        raise ConfigError(repr(str(path)), "not a file name") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
        raise ConfigError(
            str(path),
            f"not UTF-8 text (byte 0x{data[error.start]:02X}"
            + (", the file is UTF-16" if utf16 else "")
            + '): save it as UTF-8 (in Notepad: Save As, Encoding "UTF-8")',
            line,
        ) from None


# -- finding the line of a field ------------------------------------------------------

HEADER = re.compile(
    r"^\s*(\[\[?)\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*\]\]?\s*(#.*)?$"
)
KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*[.=]")
FIELD = re.compile(r"^([A-Za-z0-9_\-]+)(?:\[(\d+)\])?(?:\.([A-Za-z0-9_\-]+))?")


class Locator:
    """Maps a field path such as services[3].letter to its line in the TOML text.

    It reads the text line by line, as a person would: a `[table]` or `[[array]]`
    header starts a block (the third `[[services]]` is block ("services", 2)), and a
    `key =` line inside a block is that key's line. Lines inside a multi-line string
    are skipped. A field that cannot be found falls back to its block's header.
    """

    def __init__(self, text: str) -> None:
        # Lines as TOML counts them: split at "\n" only. str.splitlines() also splits at
        # U+2028, NEL and form feeds, which TOML allows in comments and strings, and so
        # numbered every later line wrongly.
        self.lines = [line.removesuffix("\r") for line in text.split("\n")]
        if self.lines and not self.lines[-1]:
            self.lines.pop()  # the text's final line break starts no line
        # (table, occurrence) -> (header line, {key: line}); ("", 0) is the top level
        self.blocks: dict[tuple[str, int], tuple[int, dict[str, int]]] = {("", 0): (0, {})}
        self.unclosed_string: int | None = None  # where a multi-line string never ends
        seen: dict[str, int] = {}
        current = ("", 0)
        for number, raw in enumerate(self.lines, start=1):
            if self.unclosed_string is not None:
                if _toggles_multiline_string(raw):
                    self.unclosed_string = None
                continue
            header = HEADER.match(raw)
            if header:
                name = re.sub(r"\s+", "", header.group(2))
                index = seen.get(name, -1) + 1 if header.group(1) == "[[" else 0
                seen[name] = index
                current = (name, index)
                self.blocks[current] = (number, {})
                continue
            key = KEY.match(raw)
            if key:
                self.blocks[current][1].setdefault(key.group(1).strip("\"'"), number)
            if _toggles_multiline_string(raw):
                self.unclosed_string = number

    def line(self, field: str | None, item: str | None = None) -> int | None:
        """The line of `field`; with `item`, the line of that text in a list's value."""
        if not field:
            return None
        if (field, 0) in self.blocks:  # a whole table, e.g. "site.extra" from [site.extra]
            return self.blocks[(field, 0)][0] or None
        match = FIELD.match(field)
        if not match:
            return None
        table, index, key = match.group(1), int(match.group(2) or 0), match.group(3)
        block = self.blocks.get((table, index))
        if block is None:  # a top-level key, or an inline table such as site = {...}
            return self.blocks[("", 0)][1].get(table)
        header_line, keys = block
        if key is None or key not in keys:
            return header_line or None
        found = keys[key]
        return self._item_line(found, item) if item is not None else found

    def _item_line(self, start: int, item: str) -> int:
        """The first line from `start` to the next key or header that quotes `item`."""
        quoted = (f'"{item}"', f"'{item}'")
        for number in range(start, len(self.lines) + 1):
            raw = self.lines[number - 1]
            if number > start and (HEADER.match(raw) or KEY.match(raw)):
                break
            if any(q in raw for q in quoted):
                return number
        return start

    def end_of_document(self) -> int | None:
        """Where tomllib's "at end of document" most likely went wrong."""
        if self.unclosed_string is not None:
            return self.unclosed_string
        return len(self.lines) or None


def _toggles_multiline_string(raw: str) -> bool:
    """Whether a line opens (or closes) a multi-line string: an odd number of triple quotes."""
    return (raw.count('"""') + raw.count("'''")) % 2 == 1


# -- validation ---------------------------------------------------------------------


@dataclass
class Checker:
    """Reads typed values out of parsed TOML tables, failing with file, line and field."""

    path: str
    locator: Locator

    def fail(self, field: str | None, message: str, item: str | None = None) -> ConfigError:
        return ConfigError(self.path, message, self.locator.line(field, item), field)

    @contextmanager
    def building(self, field: str) -> Iterator[None]:
        """Report a rule the domain enforces as a mistake at `field`."""
        try:
            yield
        except ConfigError:
            raise
        except DomainError as error:
            raise self.fail(field, str(error)) from None

    def table(self, data: dict[str, Any], name: str, required: bool = True) -> dict[str, Any]:
        value = data.get(name)
        if value is None:
            if required:
                raise self.fail(None, f"missing the [{name}] table")
            return {}
        if not isinstance(value, dict):
            raise self.fail(name, f"expected a [{name}] table, got {_show(value)}")
        return value

    def tables(self, data: dict[str, Any], name: str) -> list[dict[str, Any]]:
        """An array of tables ([[services]]), at least one."""
        value = data.get(name)
        if value is None:
            raise self.fail(None, f"expected at least one [[{name}]] table")
        if isinstance(value, dict):
            raise self.fail(
                name, f"write [[{name}]] with double square brackets, once for each one"
            )
        if not isinstance(value, list) or not value:
            raise self.fail(name, f"expected at least one [[{name}]] table")
        for index, table in enumerate(value):
            if not isinstance(table, dict):
                raise self.fail(f"{name}[{index}]", f"expected a [[{name}]] table")
        return value

    def known(self, table: dict[str, Any], field: str, allowed: tuple[str, ...]) -> None:
        for key in table:
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                where = f"{field}.{key}" if field else key
                raise self.fail(
                    where, f"unknown field {_show(key)}{hint}; expected one of {', '.join(allowed)}"
                )

    def string(
        self, table: dict[str, Any], field: str, key: str, default: str | None = None
    ) -> str:
        value = table.get(key, default)
        where = f"{field}.{key}" if field else key
        if value is None:
            raise self.fail(where, "is required")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"expected some text, got {_show(value)}")
        return value.strip()

    def optional_string(self, table: dict[str, Any], field: str, key: str) -> str:
        """Text that may be left out or empty."""
        value = table.get(key, "")
        if not isinstance(value, str):
            raise self.fail(f"{field}.{key}", f"expected some text, got {_show(value)}")
        return value.strip()

    def integer(
        self,
        table: dict[str, Any],
        field: str,
        key: str,
        default: int,
        unit: str = "minutes",
        least: int = 0,
    ) -> int:
        value = table.get(key, default)
        # TOML's true is a Python bool, which is an int: refuse it explicitly.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(
                f"{field}.{key}", f"expected a whole number of {unit}, got {_show(value)}"
            )
        if value < least:
            raise self.fail(f"{field}.{key}", f"expected at least {least} {unit}, got {value}")
        return value

    def number(self, table: dict[str, Any], field: str, key: str, default: float) -> float:
        value = table.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value <= 0
        ):
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
        return [v.strip() for v in value]

    def choices(
        self, table: dict[str, Any], field: str, key: str, allowed: tuple[str, ...], noun: str
    ) -> list[str]:
        """A list of text, each one of `allowed`, none twice."""
        values = self.strings(table, field, key)
        for position, value in enumerate(values):
            if value not in allowed:
                close = difflib.get_close_matches(value, allowed, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                raise self.fail(
                    f"{field}.{key}",
                    f"unknown {noun} {_show(value)}{hint}; expected some of {', '.join(allowed)}",
                    item=value,
                )
            if value in values[:position]:
                raise self.fail(f"{field}.{key}", f"{_show(value)} is listed twice", item=value)
        return values

    def code(self, table: dict[str, Any], field: str, key: str = "code") -> str:
        value = self.string(table, field, key)
        if not CODE.fullmatch(value):
            raise self.fail(
                f"{field}.{key}",
                f"expected lower-case letters, digits and dashes, got {_show(value)}",
            )
        return value


def _show(value: Any) -> str:
    """A value as a message quotes it (see _printable)."""
    if isinstance(value, str):
        return f'"{_printable(value)}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    return _printable(repr(value))


SHOWN = 60  # characters of a bad value that a message quotes
# Bidirectional embeddings, overrides and isolates: in a message they make text read backwards.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _printable(text: str, limit: int = SHOWN) -> str:
    """Text from the file as a message may show it: control characters and text-reversing
    marks written as TOML escapes them (\\u001B), and cut short after `limit` characters,
    so that a stray escape sequence cannot garble the terminal and a pasted novel
    does not bury the message."""
    short = text if len(text) <= limit else text[:limit] + "…"
    return "".join(
        f"\\u{ord(c):04X}" if unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS else c
        for c in short
    )


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
DESK_KEYS = ("name", "services")
TICKET_KEYS = ("printer", "profile", "paper_mm", "ask_status", "qr_url", "footer")
KIOSK_KEYS = ("idle_seconds", "languages", "supervisor_pin_sha256")
DISPLAY_KEYS = ("announce", "language")
DATA_KEYS = ("retention_days",)
HOURS = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
HOURS_EXPECTED = 'expected "09:00-17:00" or "closed" (opening-closing, 24-hour clock)'


def parse_site(text: str, path: str = "<string>") -> Site:
    """Read a site configuration; raise ConfigError naming file, line and field."""
    locator = Locator(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column \d+\)", str(error))
        line = int(found.group(1)) if found else locator.end_of_document()
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        raise ConfigError(path, f"not valid TOML: {message}", line) from None
    check = Checker(path, locator)
    check.known(data, "", TOP_KEYS)

    site = check.table(data, "site")
    check.known(site, "site", SITE_KEYS)
    code = check.code(site, "site")
    name = check.string(site, "site", "name")
    council = check.string(site, "site", "council")
    timezone = _timezone(check, site)
    address = check.optional_string(site, "site", "address")

    # In the order the shipped files are written, so the first mistake is reported.
    targets = _targets(check, data)
    queue_order = _queue_order(check, data)
    opening_hours = _opening_hours(check, data)
    tickets, kiosk = _devices(check, data)
    display = _display(check, data)
    data_options = _data(check, data)
    services = _services(check, data)
    desks = _desks(check, data, services)
    with check.building("site"):
        return Site(
            code=code,
            name=name,
            council=council,
            services=tuple(services),
            desks=tuple(desks),
            targets=targets,
            timezone=timezone,
            opening_hours=opening_hours,
            queue_order=queue_order,
            address=address,
            tickets=tickets,
            kiosk=kiosk,
            display=display,
            data=data_options,
        )


def _timezone(check: Checker, site: dict[str, Any]) -> str:
    timezone = check.string(site, "site", "timezone", "Europe/London")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise check.fail(
            "site.timezone", f'unknown time zone {_show(timezone)} (e.g. "Europe/London")'
        ) from None
    return timezone


def _targets(check: Checker, data: dict[str, Any]) -> Targets:
    table = check.table(data, "targets", required=False)
    check.known(table, "targets", TARGET_KEYS)
    defaults = Targets()
    values = {
        key: check.integer(table, "targets", key, getattr(defaults, key)) for key in TARGET_KEYS
    }
    with check.building("targets"):
        return Targets(**values)


def _queue_order(check: Checker, data: dict[str, Any]) -> tuple[str, ...]:
    table = check.table(data, "queue", required=False)
    check.known(table, "queue", ("order",))
    if "order" not in table:
        return CLASSES
    order = tuple(check.choices(table, "queue", "order", CLASSES, "queue class"))
    if not order:
        raise check.fail("queue.order", f"expected some of {', '.join(CLASSES)}, got []")
    return order


def _opening_hours(check: Checker, data: dict[str, Any]) -> OpeningHours:
    table = check.table(data, "opening_hours", required=False)
    check.known(table, "opening_hours", WEEKDAYS)
    days: dict[int, tuple[time, time]] = {}
    for number, day in enumerate(WEEKDAYS):
        value = table.get(day, "closed")
        if not isinstance(value, str):
            raise check.fail(f"opening_hours.{day}", f"{HOURS_EXPECTED}, got {_show(value)}")
        if value.strip().lower() == "closed":
            continue
        span = _hours(value)
        if span is None:
            raise check.fail(f"opening_hours.{day}", f"{HOURS_EXPECTED}, got {_show(value)}")
        days[number] = span
    return OpeningHours(days)


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


def _services(check: Checker, data: dict[str, Any]) -> list[Service]:
    services: list[Service] = []
    for index, table in enumerate(check.tables(data, "services")):
        field = f"services[{index}]"
        check.known(table, field, SERVICE_KEYS)
        code = check.code(table, field)
        if any(s.code == code for s in services):
            raise check.fail(f"{field}.code", f'service code "{code}" is used twice')
        letter = check.string(table, field, "letter")
        if not LETTER.fullmatch(letter):
            raise check.fail(f"{field}.letter", f"expected one capital letter, got {_show(letter)}")
        with check.building(field):
            services.append(
                Service(
                    code=code,
                    name=check.string(table, field, "name"),
                    letter=letter,
                    prioritised=check.boolean(table, field, "prioritised", False),
                    group=check.string(table, field, "group", "General"),
                    mean_service_minutes=check.number(table, field, "mean_service_minutes", 10.0),
                    questions=tuple(
                        check.choices(table, field, "questions", QUESTIONS, "question")
                    ),
                    icon=_icon(check, table, field),
                )
            )
    return services


def _icon(check: Checker, table: dict[str, Any], field: str) -> str:
    if "icon" not in table:
        return ""
    icon = check.string(table, field, "icon")
    if not (ICONS_DIR / f"{icon}.svg").is_file():
        known = sorted(p.stem for p in ICONS_DIR.glob("*.svg"))
        raise check.fail(
            f"{field}.icon", f"no icon {_show(icon)}; expected one of {', '.join(known)}"
        )
    return icon


def _desks(check: Checker, data: dict[str, Any], services: list[Service]) -> list[Desk]:
    codes = [s.code for s in services]
    desks: list[Desk] = []
    for index, table in enumerate(check.tables(data, "desks")):
        field = f"desks[{index}]"
        check.known(table, field, DESK_KEYS)
        name = check.string(table, field, "name")
        if any(d.name.casefold() == name.casefold() for d in desks):
            raise check.fail(f"{field}.name", f"desk {_show(name)} is named twice")
        if "services" not in table:
            raise check.fail(f"{field}.services", "is required")
        served = check.strings(table, field, "services")
        if not served:
            raise check.fail(f"{field}.services", "a desk must serve at least one service")
        for code in served:
            if code not in codes:
                close = difflib.get_close_matches(code, codes, n=1)
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                raise check.fail(
                    f"{field}.services", f"unknown service {_show(code)}{hint}", item=code
                )
        with check.building(field):
            desks.append(Desk(name=name, services=frozenset(served)))

    served_anywhere = frozenset().union(*(d.services for d in desks))
    for index, service in enumerate(services):
        if service.code not in served_anywhere:
            raise check.fail(
                f"services[{index}].code",
                f'no desk serves "{service.code}", so nobody could ever be called for it; '
                "add it to a desk's services",
            )
    return desks


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
    paper = check.integer(table, "tickets", "paper_mm", defaults.paper_mm, unit="mm")
    if paper not in (58, 80):
        raise check.fail("tickets.paper_mm", f"expected 58 or 80, got {paper}")
    qr_url = check.string(table, "tickets", "qr_url", defaults.qr_url)
    if "{code}" not in qr_url:
        raise check.fail("tickets.qr_url", "expected a URL containing {code}, the ticket's code")
    tickets = TicketOptions(
        printer=printer,
        profile=check.optional_string(table, "tickets", "profile"),
        paper_mm=paper,
        ask_status=check.boolean(table, "tickets", "ask_status", defaults.ask_status),
        qr_url=qr_url,
        footer=check.string(table, "tickets", "footer", defaults.footer),
    )

    table = check.table(data, "kiosk", required=False)
    check.known(table, "kiosk", KIOSK_KEYS)
    idle = check.integer(
        table, "kiosk", "idle_seconds", KioskOptions().idle_seconds, unit="seconds", least=15
    )
    languages = (
        tuple(check.choices(table, "kiosk", "languages", LANGUAGES, "language"))
        if "languages" in table
        else LANGUAGES
    )
    if "en" not in languages:
        raise check.fail("kiosk.languages", f"expected en and some of {', '.join(LANGUAGES[1:])}")
    pin = check.optional_string(table, "kiosk", "supervisor_pin_sha256")
    if pin and not re.fullmatch(r"[0-9a-f]{64}", pin):
        raise check.fail(
            "kiosk.supervisor_pin_sha256",
            "expected 64 lower-case hex digits (printf %s PIN | sha256sum), or nothing",
        )
    return tickets, KioskOptions(idle_seconds=idle, languages=languages, supervisor_pin_sha256=pin)


def _display(check: Checker, data: dict[str, Any]) -> DisplayOptions:
    table = check.table(data, "display", required=False)
    check.known(table, "display", DISPLAY_KEYS)
    announce = check.string(table, "display", "announce", "voice")
    if announce not in ANNOUNCE_MODES:
        raise check.fail(
            "display.announce", f'expected "voice", "chime" or "silent", got {_show(announce)}'
        )
    language = check.string(table, "display", "language", "en")
    if language not in ANNOUNCE_LANGUAGES:
        raise check.fail("display.language", f'expected "en" or "pl", got {_show(language)}')
    return DisplayOptions(announce=announce, language=language)


def _data(check: Checker, data: dict[str, Any]) -> DataOptions:
    table = check.table(data, "data", required=False)
    check.known(table, "data", DATA_KEYS)
    days = check.integer(
        table, "data", "retention_days", DataOptions().retention_days, unit="days", least=1
    )
    return DataOptions(retention_days=days)


# -- writing a site back as TOML ---------------------------------------------------


def dump_site(site: Site) -> str:
    """The site as TOML that parse_site reads back to an equal Site.

    Every setting is written out, defaults included, so the file says everything
    the site does. Comments are not kept: the shipped files are the commented ones.
    """
    out: list[str] = [
        f"# Site {site.code}: written by OneStop; every field is in docs/site-config.md",
        "",
        "[site]",
        f"code = {_toml(site.code)}",
        f"name = {_toml(site.name)}",
        f"council = {_toml(site.council)}",
        f"timezone = {_toml(site.timezone)}",
    ]
    if site.address:
        out.append(f"address = {_toml(site.address)}")
    out += ["", "[targets]"]
    out += [f"{key} = {getattr(site.targets, key)}" for key in TARGET_KEYS]
    out += ["", "[queue]", f"order = {_toml(list(site.queue_order))}", "", "[opening_hours]"]
    for number, day in enumerate(WEEKDAYS):
        span = site.opening_hours.days.get(number)
        hours = f"{span[0]:%H:%M}-{span[1]:%H:%M}" if span else "closed"
        out.append(f"{day} = {_toml(hours)}")
    tickets, kiosk = site.tickets, site.kiosk
    out += [
        "",
        "[tickets]",
        f"printer = {_toml(tickets.printer)}",
        f"profile = {_toml(tickets.profile)}",
        f"paper_mm = {tickets.paper_mm}",
        f"ask_status = {_toml(tickets.ask_status)}",
        f"qr_url = {_toml(tickets.qr_url)}",
        f"footer = {_toml(tickets.footer)}",
        "",
        "[kiosk]",
        f"idle_seconds = {kiosk.idle_seconds}",
        f"languages = {_toml(list(kiosk.languages))}",
        f"supervisor_pin_sha256 = {_toml(kiosk.supervisor_pin_sha256)}",
        "",
        "[display]",
        f"announce = {_toml(site.display.announce)}",
        f"language = {_toml(site.display.language)}",
        "",
        "[data]",
        f"retention_days = {site.data.retention_days}",
    ]
    for service in site.services:
        out += [
            "",
            "[[services]]",
            f"code = {_toml(service.code)}",
            f"name = {_toml(service.name)}",
            f"letter = {_toml(service.letter)}",
            f"prioritised = {_toml(service.prioritised)}",
            f"group = {_toml(service.group)}",
            f"mean_service_minutes = {_toml(service.mean_service_minutes)}",
            f"questions = {_toml(list(service.questions))}",
        ]
        if service.icon:
            out.append(f"icon = {_toml(service.icon)}")
    order = [s.code for s in site.services]  # desks list services in the file's order
    for desk in site.desks:
        served = sorted(
            desk.services, key=lambda c: (order.index(c) if c in order else len(order), c)
        )
        out += ["", "[[desks]]", f"name = {_toml(desk.name)}", f"services = {_toml(served)}"]
    return "\n".join(out) + "\n"


TOML_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _toml(value: str | bool | float | list[str]) -> str:
    """One TOML value: a basic string, a boolean, a number or a list of strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # 10.0 reads better as 10, and parses back to the same float.
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    escaped = "".join(
        TOML_ESCAPES.get(char)
        or (f"\\u{ord(char):04X}" if ord(char) < 0x20 or ord(char) == 0x7F else char)
        for char in value
    )
    return f'"{escaped}"'
