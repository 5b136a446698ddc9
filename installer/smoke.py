"""Smoke test of a built (or installed) `onestop`: does it start, and does every app open?

    python -m installer.smoke dist/onestop/onestop      the PyInstaller build
    python -m installer.smoke .venv/bin/onestop         the installed command

Each check runs the program as a user would, in a scratch data folder with a
scratch SQLite database, offscreen and silent: its version (the package's, from
pyproject.toml), a verb without a screen (`site list`), a ticket printed to a
file (python-escpos and its printer profiles are inside), a Polish reprint (the
translations are inside), a misused command (exit 2), the settings imported and
checked and a kiosk started from them, then each app's window
(kiosk, exit survey, reception, desk, display) saved as a PNG and looked at:
the right size, and more than a blank screen. Exits 1 at the first failure.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120.0  # one app's start on a loaded two-core PC, with a cold disk cache

WINDOWS = {  # the app, its arguments, and the size its screenshot must have
    "kiosk": (["kiosk", "--site", "bootle", "--windowed", "--always-open"], (1920, 1080)),
    "survey": (["kiosk", "--site", "bootle", "--mode", "survey", "--windowed"], (1920, 1080)),
    "reception": (["reception", "--site", "bootle", "--windowed"], None),
    "desk": (["desk", "--site", "bootle", "--desk", "1", "--windowed"], None),
    "display": (["display", "--site", "bootle", "--windowed", "--mode", "silent"], (1920, 1080)),
}


class SmokeFailure(Exception):
    pass


def package_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as source:
        return str(tomllib.load(source)["project"]["version"])


class Smoke:
    def __init__(self, program: Path, scratch: Path, say: bool = True) -> None:
        self.program = program
        self.scratch = scratch
        self.db = f"sqlite:///{scratch / 'smoke.db'}"
        self.say = say
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DISPLAY", "WAYLAND_DISPLAY", "ONESTOP_DB")
        }
        self.env |= {
            "QT_QPA_PLATFORM": "offscreen",
            "ONESTOP_SPEECH": "off",
            "ONESTOP_DATA_DIR": str(scratch / "data"),
            "ONESTOP_LOG_DIR": str(scratch / "log"),
            "ONESTOP_CONFIG_DIR": str(scratch / "config"),
        }

    def run(self, *args: str, expect: int = 0) -> subprocess.CompletedProcess[str]:
        try:
            done = subprocess.run(
                [str(self.program), *args],
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                env=self.env,
                cwd=self.scratch,  # not the repository: the build must not lean on it
            )
        except subprocess.TimeoutExpired:
            raise SmokeFailure(
                f"`onestop {' '.join(args)}` did not finish in {TIMEOUT:g} s"
            ) from None
        if done.returncode != expect:
            raise SmokeFailure(
                f"`onestop {' '.join(args)}` exited {done.returncode}, expected {expect}:\n"
                f"{done.stdout}{done.stderr}"
            )
        return done

    def ok(self, what: str, started: float) -> None:
        if self.say:
            print(f"ok  {time.perf_counter() - started:5.2f} s  {what}", flush=True)

    def check_all(self) -> list[Path]:
        started = time.perf_counter()
        said = self.run("--version").stdout.strip()
        wanted = f"onestop {package_version()}"
        if said != wanted:
            raise SmokeFailure(f"--version said {said!r}, expected {wanted!r} (pyproject.toml)")
        self.ok(f"--version: {said}", started)

        started = time.perf_counter()
        sites = self.run("site", "list", "--db", self.db).stdout.split()
        if sites != ["bootle", "southport"]:
            raise SmokeFailure(f"site list gave {sites}: the shipped site files are missing")
        self.ok("site list: bootle, southport (resources/sites inside)", started)

        started = time.perf_counter()
        ticket = self.scratch / "ticket.bin"
        self.run(
            "checkin", "--site", "bootle", "--service", "council-tax", "--print",
            "--printer", f"file://{ticket}", "--db", self.db,
        )  # fmt: skip
        sent = ticket.read_bytes() if ticket.exists() else b""
        if b"C001" not in sent:
            raise SmokeFailure(f"the printed ticket has no C001 ({len(sent)} bytes)")
        self.ok(f"checkin --print: {len(sent)} bytes of ESC/POS", started)

        started = time.perf_counter()
        polish = self.scratch / "ticket-pl.bin"
        self.run(
            "reprint", "C001", "--site", "bootle", "--language", "pl",
            "--printer", f"file://{polish}", "--db", self.db,
        )  # fmt: skip
        words = polish.read_bytes() if polish.exists() else b""
        if b"Podatek lokalny" not in words:  # "Council Tax" in onestop_pl.qm
            raise SmokeFailure("the Polish reprint is missing or in English: translations?")
        self.ok("reprint --language pl (translations inside)", started)

        started = time.perf_counter()
        self.run("no-such-verb", expect=2)
        self.ok("a misused command exits 2", started)

        started = time.perf_counter()
        self.run("setup", "--check", expect=1)  # a new PC: not set up
        exported = self.scratch / "settings-to-import.toml"
        exported.write_text(f'role = "kiosk"\nsite = "southport"\ndatabase = "{self.db}"\n')
        self.run("setup", "--import", str(exported))
        said = self.run("setup", "--check").stdout
        if "southport" not in said:
            raise SmokeFailure(f"setup --check after an import said {said!r}")
        settings_shot = self.scratch / "kiosk-from-settings.png"
        self.run("kiosk", "--windowed", "--always-open", "--screenshot", str(settings_shot))
        self.check_png(settings_shot, (1920, 1080))
        (self.scratch / "config" / "settings.toml").unlink()
        self.ok("setup --import, --check, and a kiosk started from the settings", started)

        shots = []
        for name, (args, size) in WINDOWS.items():
            started = time.perf_counter()
            png = self.scratch / f"{name}.png"
            self.run(*args, "--db", self.db, "--screenshot", str(png))
            self.check_png(png, size)
            shots.append(png)
            self.ok(f"{name} window opens offscreen ({png.name})", started)
        return shots

    @staticmethod
    def check_png(path: Path, size: tuple[int, int] | None) -> None:
        from PIL import Image

        if not path.exists():
            raise SmokeFailure(f"no screenshot {path.name}: the window did not open")
        with Image.open(path) as image:
            if image.format != "PNG":
                raise SmokeFailure(f"{path.name} is {image.format}, not a PNG")
            if size and image.size != size:
                raise SmokeFailure(f"{path.name} is {image.size}, expected {size}")
            if image.width < 300 or image.height < 200:
                raise SmokeFailure(f"{path.name} is only {image.size}")
            colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
            if colours is not None and len(colours) < 8:
                raise SmokeFailure(f"{path.name} is nearly blank ({len(colours)} colours)")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m installer.smoke", description=__doc__)
    parser.add_argument("program", help="the onestop executable to try")
    parser.add_argument("--keep", metavar="DIR", help="keep the screenshots in DIR")
    args = parser.parse_args(argv)
    program = Path(args.program).resolve()
    if not program.is_file():
        print(f"smoke: no program at {program}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="onestop-smoke-") as scratch:
        try:
            shots = Smoke(program, Path(scratch)).check_all()
        except SmokeFailure as failure:
            print(f"smoke: FAILED: {failure}", file=sys.stderr)
            return 1
        if args.keep:
            keep = Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for shot in shots:
                (keep / shot.name).write_bytes(shot.read_bytes())
    print(f"smoke: all checks passed in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
