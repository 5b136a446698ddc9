"""Where the shipped files are: site configurations, icons, translations.

They live in `resources/` beside the packages: in a clone of the repository, in an
installed wheel (which carries `resources/` next to `shared/`), and in the
PyInstaller build, which unpacks them under `sys._MEIPASS` (the folder of the
executable's `_internal/`). Sounds are not files: the chime and the alarm are drawn
in code (shared/devices/announcer.py, reception/safety.py).
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The `resources/` folder of this installation."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A path inside `resources/`, e.g. resource_path("icons", "help.svg")."""
    return resources_root().joinpath(*parts)


def is_frozen() -> bool:
    """True in the PyInstaller build."""
    return bool(getattr(sys, "frozen", False))
