"""This PC's settings: what it is, which site, database, printer, desk and voice.

Written by the set-up wizard (`onestop setup`) to `settings.toml` in the platformdirs
config folder (`~/.config/onestop` on Linux, `%LOCALAPPDATA%\\onestop` on Windows;
ONESTOP_CONFIG_DIR chooses another). Every field may be left out:

    role = "kiosk"        # kiosk | survey | reception | desk | display | all
    site = "bootle"       # the site code (`onestop site list`)
    database = "postgresql+psycopg://onestop_kiosk@db.example/onestop"   # or sqlite:///PATH
    printer = "usb://04b8:0202"   # tcp://HOST:9100, usb://VID:PID, preview, ... (tickets)
    desk = "Desk 4"       # the desk console's desk
    kiosk_name = "Kiosk 1"        # the kiosk's name on staff screens
    voice_language = "en" # the display's announcements: en | pl
    announce = "voice"    # voice | chime | silent

The apps take these as defaults under what is said explicitly: an argument (--site,
--db, --printer, --desk, --name, --mode, --language) wins, then an environment
variable (ONESTOP_DB for the database), then this file, then the built-in default
(the site configuration's printer and [display] settings, the local SQLite file,
"Kiosk 1"). A file with a mistake is an error naming the file and the field, never
half-read.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import platformdirs

from shared.domain import DomainError

ROLES = ("kiosk", "survey", "reception", "desk", "display", "all")
ROLE_NAMES = {
    "kiosk": "Check-in kiosk",
    "survey": "Exit survey",
    "reception": "Reception console",
    "desk": "CSA desk console",
    "display": "Call-forward display",
    "all": "All in one (every app on this PC)",
}
VOICE_LANGUAGES = ("en", "pl")
LANGUAGE_NAMES = {"en": "in English", "pl": "in Polish"}
ANNOUNCE_MODES = ("voice", "chime", "silent")
FILE_NAME = "settings.toml"


class SettingsError(DomainError):
    """The settings file (or one to import) is wrong; nothing was read or changed."""


@dataclass(frozen=True)
class Settings:
    role: str = ""
    site: str = ""
    database: str = ""
    printer: str = ""
    desk: str = ""
    kiosk_name: str = ""
    voice_language: str = ""
    announce: str = ""

    def as_dict(self) -> dict[str, str]:
        return {key: value for key, value in asdict(self).items() if value}

    def to_toml(self) -> str:
        lines = [
            "# OneStop settings for this PC, written by `onestop setup` (docs/guides/it-admin.md)"
        ]
        for key, value in self.as_dict().items():
            # A TOML basic string: JSON's escapes are TOML's (\", \\, \n, \uXXXX).
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        return "\n".join(lines) + "\n"

    def merged(self, **changes: str) -> Settings:
        return replace(self, **changes)


FIELDS = tuple(f.name for f in fields(Settings))


def config_dir() -> Path:
    return Path(
        os.environ.get("ONESTOP_CONFIG_DIR") or platformdirs.user_config_dir("onestop", False)
    )


def settings_path() -> Path:
    return config_dir() / FILE_NAME


def parse_settings(text: str, source: str) -> Settings:
    """The settings in `text` (TOML), every field checked; SettingsError names the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{source}: not a settings file ({error})") from None
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise SettingsError(
            f"{source}: unknown setting {unknown[0]!r}; the settings are {', '.join(FIELDS)}"
        )
    for key, value in data.items():
        if not isinstance(value, str):
            raise SettingsError(f'{source}: {key} must be text in quotes, like {key} = "..."')
    settings = Settings(**{key: value.strip() for key, value in data.items()})
    check(settings, source)
    return settings


def check(settings: Settings, source: str) -> None:
    def choice(key: str, allowed: tuple[str, ...]) -> None:
        value = getattr(settings, key)
        if value and value not in allowed:
            raise SettingsError(
                f"{source}: {key} is {value!r}; expected one of {', '.join(allowed)}"
            )

    choice("role", ROLES)
    choice("voice_language", VOICE_LANGUAGES)
    choice("announce", ANNOUNCE_MODES)
    if settings.database:
        from shared.store.db import resolve_url

        try:
            resolve_url(settings.database)
        except DomainError as error:
            raise SettingsError(f"{source}: database: {error}") from None
    if settings.printer:
        from shared.devices.printer import PrinterError, PrinterSpec

        try:
            PrinterSpec.parse(settings.printer)
        except PrinterError as error:
            raise SettingsError(f"{source}: printer: {error}") from None


def read_settings_file(path: Path) -> Settings:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SettingsError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: not a settings file (not UTF-8 text)") from None
    except OSError as error:
        raise SettingsError(f"{path}: cannot read it ({error.strerror})") from None
    return parse_settings(text, str(path))


def load_settings(path: Path | None = None) -> Settings:
    """This PC's settings; empty ones when it has never been set up."""
    path = path or settings_path()
    if not path.exists():
        return Settings()
    return read_settings_file(path)


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings whole (a new file, then renamed over the old one)."""
    check(settings, "the settings")
    path = path or settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.part")
        partial.write_text(settings.to_toml(), encoding="utf-8")
        partial.replace(path)
    except OSError as error:
        raise SettingsError(f"{path}: cannot write it ({error.strerror})") from None
    return path


def describe(settings: Settings) -> list[tuple[str, str]]:
    """(what, value) lines for people: the summary page and `onestop setup --show`."""
    from shared.store.db import default_url

    def hide_password(url: str) -> str:
        from sqlalchemy.engine import make_url

        try:
            return make_url(url).render_as_string(hide_password=True)
        except Exception:
            return url

    role = settings.role
    rows = [
        ("This PC", ROLE_NAMES.get(role, "not chosen")),
        ("Site", settings.site or "not chosen"),
        (
            "Database",
            hide_password(settings.database)
            if settings.database
            else f"this PC's own file, {default_url()[10:]}",
        ),
        ("Ticket printer", settings.printer or "the site's (its configuration)"),
        ("Desk", settings.desk or "-"),
        ("Kiosk name", settings.kiosk_name or "Kiosk 1"),
        (
            "Announcements",
            f"{settings.announce or 'as the site says'}, "
            + LANGUAGE_NAMES.get(settings.voice_language, "in the site's language"),
        ),
    ]
    asked = {  # the rows that matter to this PC's role (every row when none is chosen)
        "Ticket printer": ("kiosk", "reception", "all"),
        "Desk": ("desk", "all"),
        "Kiosk name": ("kiosk", "survey", "all"),
        "Announcements": ("display", "all"),
    }
    return [(what, value) for what, value in rows if not role or role in asked.get(what, ROLES)]


def apply_defaults(args: Any, **mapping: str) -> Settings:
    """Fill each unset argument (None) from the settings: mapping is argument -> field.

    Exits 2 with the settings file's problem when it has one (the apps' composition
    roots call this right after parsing their arguments)."""
    import sys

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"onestop: error: {error} (fix it, or run onestop setup)", file=sys.stderr)
        raise SystemExit(2) from None
    for argument, field in mapping.items():
        if getattr(args, argument, None) in (None, "") and getattr(settings, field):
            setattr(args, argument, getattr(settings, field))
    return settings


def as_json(settings: Settings) -> str:
    return json.dumps(settings.as_dict(), indent=2, ensure_ascii=False)


# -- `onestop setup` ------------------------------------------------------------------


def setup_main(argv: list[str] | None = None) -> int:
    """`onestop setup`: the wizard, or export, import, show or check the settings."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(
        prog="onestop setup",
        description="Set this PC up: what it is, which site, database, printer, desk and "
        f"voice. The settings go to {settings_path()}.",
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--export", metavar="FILE", help="save this PC's settings to FILE")
    action.add_argument(
        "--import", dest="import_file", metavar="FILE", help="take this PC's settings from FILE"
    )
    action.add_argument("--show", action="store_true", help="print this PC's settings")
    action.add_argument(
        "--check", action="store_true", help="exit 0 if this PC is set up (a role and a site)"
    )
    parser.add_argument("--json", action="store_true", help="with --show: JSON")
    args = parser.parse_args(argv)

    def fail(message: str) -> int:
        print(f"onestop setup: error: {message}", file=sys.stderr)
        return 2

    try:
        if args.export:
            if not settings_path().exists():
                return fail(f"nothing to export: this PC has no settings yet ({settings_path()})")
            target = Path(args.export)
            if target.is_dir():
                return fail(f"{target} is a folder: give a file name, e.g. {target / FILE_NAME}")
            save_settings(load_settings(), target)
            print(f"saved this PC's settings to {target}")
            return 0
        if args.import_file:
            imported = read_settings_file(Path(args.import_file))
            path = save_settings(imported)
            print(f"this PC's settings are now those of {args.import_file} ({path})")
            for what, value in describe(imported):
                print(f"  {what + ':':<16}{value}")
            return 0
        settings = load_settings()
        if args.show:
            if args.json:
                print(json.dumps({"file": str(settings_path()), **settings.as_dict()}))
            else:
                print(
                    f"{settings_path()}{'' if settings_path().exists() else ' (not written yet)'}"
                )
                for what, value in describe(settings):
                    print(f"  {what + ':':<16}{value}")
            return 0
        if args.check:
            missing = [name for name in ("role", "site") if not getattr(settings, name)]
            if missing:
                print(f"not set up: no {' or '.join(missing)} in {settings_path()}")
                return 1
            print(f"set up: {ROLE_NAMES[settings.role]} at {settings.site}")
            return 0
    except SettingsError as error:
        return fail(str(error))
    from reception.setup_wizard import run_wizard

    return run_wizard()
