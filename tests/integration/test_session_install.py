"""installer/linux/install-session.sh: a kiosk session for each role, installed for one user.

The script runs for real, in a scratch home, with a stand-in `systemctl` on the PATH
that records what it is asked (the suite must not touch this machine's user
manager). The units it writes are checked by `systemd-analyze --user verify` when
the machine has it, and parsed in any case; the autostart entries by
desktop-file-validate when present.
"""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "installer" / "linux" / "install-session.sh"
ROLES = {
    "kiosk": "kiosk",
    "survey": "kiosk --mode survey",
    "reception": "reception",
    "desk": "desk --on-top",
    "display": "display",
}


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / "bin").mkdir(parents=True)
    program = home / "bin" / "onestop"
    # Stands in for the program: `onestop setup --check` answers "set up" (exit 0).
    program.write_text('#!/bin/sh\necho "$@" >> "$HOME/onestop-calls"\nexit 0\n')
    program.chmod(0o755)
    systemctl = home / "bin" / "systemctl"
    systemctl.write_text('#!/bin/sh\necho "$@" >> "$HOME/systemctl-calls"\nexit 0\n')
    systemctl.chmod(0o755)
    return home


def install(home: Path, *args: str, systemd: bool = True) -> subprocess.CompletedProcess[str]:
    path = f"{home / 'bin'}:/usr/bin:/bin" if systemd else "/usr/bin:/bin"
    if not systemd:  # no systemctl at all: move the stand-in away
        (home / "bin" / "systemctl").unlink(missing_ok=True)
    env = {
        "HOME": str(home),
        "PATH": path,
        "ONESTOP_BIN": str(home / "bin" / "onestop"),
        "ONESTOP_ALLOW_ROOT": "1",  # the suite may run as root (CI does)
    }
    return subprocess.run(
        ["bash", str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=60
    )


def unit_file(home: Path, role: str) -> Path:
    return home / ".config" / "systemd" / "user" / f"onestop-{role}.service"


def desktop_file(home: Path, role: str) -> Path:
    return home / ".config" / "autostart" / f"onestop-{role}.desktop"


def parse_unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=True, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text())
    return parser


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_gets_a_full_screen_unit_that_restarts_after_a_crash(home, role):
    done = install(home, role)
    assert done.returncode == 0, done.stderr
    unit = parse_unit(unit_file(home, role))
    program = home / "bin" / "onestop"
    assert unit["Service"]["ExecStart"] == f"{program} {ROLES[role]}"
    assert "--windowed" not in unit["Service"]["ExecStart"]  # full screen
    assert unit["Service"]["Restart"] == "on-failure"
    assert unit["Service"]["RestartPreventExitStatus"] == "2"  # a set-up mistake: no loop
    assert unit["Unit"]["StartLimitIntervalSec"] == "0"
    assert unit["Install"]["WantedBy"] == "graphical-session.target"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read_string(desktop_file(home, role).read_text())
    assert f"systemctl --user start onestop-{role}.service" in entry["Desktop Entry"]["Exec"]
    calls = (home / "systemctl-calls").read_text().splitlines()
    assert "--user daemon-reload" in calls
    assert f"--user enable onestop-{role}.service" in calls


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze here")
def test_systemd_accepts_every_unit(home, tmp_path):
    for role in ROLES:
        assert install(home, role).returncode == 0
    runtime = tmp_path / "runtime"  # --user verify needs a runtime folder, even in a container
    runtime.mkdir(mode=0o700)
    units = [str(unit_file(home, role)) for role in ROLES]
    done = subprocess.run(
        ["systemd-analyze", "--user", "verify", *units],
        capture_output=True,
        text=True,
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == ""


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="no desktop-file-utils")
def test_the_autostart_entries_are_valid_desktop_files(home):
    for role in ROLES:
        assert install(home, role).returncode == 0
        done = subprocess.run(
            ["desktop-file-validate", str(desktop_file(home, role))], capture_output=True, text=True
        )
        assert done.returncode == 0 and done.stdout == "", done.stdout


def test_installing_twice_writes_the_same_files(home):
    assert install(home, "display").returncode == 0
    first = unit_file(home, "display").read_bytes(), desktop_file(home, "display").read_bytes()
    assert install(home, "display").returncode == 0
    second = unit_file(home, "display").read_bytes(), desktop_file(home, "display").read_bytes()
    assert first == second
    assert sorted(p.name for p in unit_file(home, "display").parent.iterdir()) == [
        "onestop-display.service"
    ]


@pytest.mark.parametrize(
    "args", [[], ["bogus"], ["kiosk", "display"], ["--remove"], ["Kiosk"], ["--help"]]
)
def test_a_wrong_role_prints_usage_exits_2_and_writes_nothing(home, args):
    done = install(home, *args)
    assert done.returncode == 2
    assert "usage: bash installer/linux/install-session.sh" in done.stderr
    assert "kiosk survey reception desk display" in done.stderr
    assert not (home / ".config").exists()
    assert not (home / "systemctl-calls").exists()


def test_remove_takes_the_session_away(home):
    assert install(home, "kiosk").returncode == 0
    done = install(home, "--remove", "kiosk")
    assert done.returncode == 0, done.stderr
    assert not unit_file(home, "kiosk").exists()
    assert not desktop_file(home, "kiosk").exists()
    assert "--user disable --now onestop-kiosk.service" in (home / "systemctl-calls").read_text()


def test_without_systemd_the_files_are_written_and_it_says_so(home):
    done = install(home, "reception", systemd=False)
    assert done.returncode == 0, done.stderr
    assert unit_file(home, "reception").exists() and desktop_file(home, "reception").exists()
    assert "systemd is not running here" in done.stdout


def test_a_program_that_is_not_there_is_refused_before_anything_is_written(home):
    (home / "bin" / "onestop").unlink()
    done = install(home, "kiosk")
    assert done.returncode == 1
    assert "is not an executable program" in done.stderr
    assert not (home / ".config").exists()


def test_it_reminds_you_to_run_the_set_up_when_this_pc_has_none(home):
    (home / "bin" / "onestop").write_text("#!/bin/sh\nexit 1\n")
    done = install(home, "kiosk")
    assert done.returncode == 0
    assert "not set up yet" in done.stdout and "setup" in done.stdout
