"""Languages: Qt Linguist translations (resources/translations/*.ts, compiled to .qm).

The build (installer/bootstrap.sh) compiles the .ts sources with lrelease; a
missing or stale .qm is compiled again on first use into the data folder.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator

from shared.resources import is_frozen, resource_path

TRANSLATIONS = resource_path("translations")
LANGUAGE_NAMES = {"en": "English", "pl": "Polski", "ar": "العربية"}
_installed: list[QTranslator] = []


def compiled(code: str) -> Path | None:
    """The .qm file for a language, compiling it from the .ts source when needed."""
    source = TRANSLATIONS / f"onestop_{code}.ts"
    if not source.exists():
        return None
    shipped = TRANSLATIONS / f"onestop_{code}.qm"
    if shipped.exists() and (is_frozen() or shipped.stat().st_mtime >= source.stat().st_mtime):
        return shipped
    from shared.store.db import data_dir

    target = data_dir() / "translations" / f"onestop_{code}.qm"
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    lrelease = shutil.which("pyside6-lrelease") or str(
        Path(sys.executable).with_name("pyside6-lrelease")
    )
    subprocess.run(
        [lrelease, "-silent", str(source), "-qm", str(target)], check=True, capture_output=True
    )
    return target


def install_language(code: str) -> None:
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if code == "en":
        return
    path = compiled(code)
    translator = QTranslator()
    if path is None or not translator.load(str(path)):
        raise RuntimeError(f"no translation for {code!r}")
    app.installTranslator(translator)
    _installed.append(translator)


def ticket_labels(services: dict[str, str] | None = None) -> dict[str, str]:
    """The ticket's words in the installed language (see shared.devices.ticket);
    `services` maps service codes to English names, translated under `service:CODE`."""

    def t(text: str) -> str:
        return QCoreApplication.translate("Kiosk", text)

    names = {f"service:{code}": t(name) for code, name in (services or {}).items()}
    return names | {
        "ahead": t("People ahead of you: {n}"),
        "wait": t("Estimated wait: about {n} min"),
        "appointment": t("Your appointment: {time}"),
        "delay": t("We are busier than usual: {reason}"),
        "delay_default": t("We are busier than usual. Sorry for the wait."),
        "your_number": t("Your number"),
        "scan": t("Scan to tell us how we did"),
    }
