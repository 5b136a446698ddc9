"""`onestop demo`, the one-command showcase, as someone would run it: as text, and with
its four windows (offscreen), a morning at Bootle running by itself, then exiting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from shared.eventlog import read_events


def demo(*args: str, data: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", "demo", *args],
        capture_output=True,
        text=True,
        timeout=240,
        env={**base, "ONESTOP_DATA_DIR": str(data), **(env or {})},
    )


def test_help_says_what_it_does():
    done = subprocess.run(
        [sys.executable, "-m", "shared.cli", "demo", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0
    for option in ("--text", "--minutes", "--screenshot"):
        assert option in done.stdout


def test_without_a_screen_the_morning_runs_as_text(tmp_path):
    env = {"QT_QPA_PLATFORM": ""}  # no screen and no Qt platform chosen
    done = demo("--fast", "--visitors", "6", data=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("No screen here")
    assert "checked in" in done.stdout and "called" in done.stdout
    figures = json.loads(demo("--json", "--visitors", "6", data=tmp_path).stdout)
    assert figures["visits"] >= 6


def test_offscreen_the_four_windows_run_a_morning_by_themselves_and_exit(tmp_path):
    shots = tmp_path / "shots"
    done = demo("--minutes", "0.3", "--screenshot", str(shots), data=tmp_path,
                env={"QT_QPA_PLATFORM": "offscreen"})  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Desk 1 is yours" in done.stdout
    for name in ("kiosk", "reception", "desk", "display"):
        with Image.open(shots / f"demo-{name}.png") as image:
            assert image.width > 300 and image.height > 200
    calls = [e for e in read_events(tmp_path / "demo-logs" / "display.jsonl")]
    assert any(e["event"] == "displayed" for e in calls)  # the simulated desks called


def test_with_a_qt_platform_chosen_the_windows_run_without_a_screenshot(tmp_path):
    done = demo("--minutes", "0.05", data=tmp_path, env={"QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert "No screen here" not in done.stdout and "OneStop demo: Bootle" in done.stdout
