"""Kiosk, reception, desk and display: the real commands as separate processes, one database.

`onestop reception`, `onestop display`, `onestop kiosk` and `onestop desk` run as
staff would start them (with --windowed, --db and --log-dir, offscreen). A visitor
taps Payments at the kiosk and a CSA signs in and presses Call next at the desk
(tests/e2e/drivers.py runs those two commands with a hand on their buttons). The
test waits on the apps' own log lines: reception lists the visitor, the display
shows the call and announces it, and the announcement's WAV holds speech.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

from shared.eventlog import read_events
from shared.office import Office
from shared.staff import Staff
from shared.store import Database

TIMEOUT = 120.0  # seconds: four Qt apps starting at once on a loaded two-core PC


class App:
    """One app's process; its output read as it comes, so it can never block on it."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.args = args
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.strip())

    def _read_errors(self) -> None:
        assert self.process.stderr is not None
        self.errors.extend(self.process.stderr)

    def expect(self, start: str, timeout: float = TIMEOUT) -> str:
        """The next line of its output that starts with `start`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith(start):
                return line
        raise AssertionError(
            f"{self.args[3:5]} never said {start!r}; exit {self.process.poll()}; "
            f"stderr: {''.join(self.errors)[-2000:]}"
        )

    def tell(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def wait_for(path: Path, event: str, ticket: str, timeout: float = TIMEOUT) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            for record in read_events(path):
                if record["event"] == event and record.get("ticket") == ticket:
                    return record
        time.sleep(0.1)
    raise AssertionError(f"no {event} for {ticket} in {path}")


def test_a_visit_across_all_four_apps(db_url: str, tmp_path: Path) -> None:
    db = Database(db_url)
    Office(db).ensure_default_sites()
    Staff(db).add("bootle", "E2E CSA", "4321")
    db.dispose()
    logs = tmp_path / "logs"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ONESTOP_DATA_DIR": str(tmp_path),
        "ONESTOP_SPEECH": "on",
    }
    common = ["--site", "bootle", "--windowed", "--db", db_url, "--log-dir", str(logs)]
    onestop = [sys.executable, "-m", "shared.cli"]
    hand = [sys.executable, "-m", "tests.e2e.drivers"]
    apps: dict[str, App] = {}
    try:
        kiosk = [*common, "--printer", "preview", "--always-open"]
        apps["reception"] = App([*onestop, "reception", *common], env)
        apps["display"] = App([*onestop, "display", *common, "--mode", "voice"], env)
        apps["desk"] = App([*hand, "desk", "E2E CSA", "4321", "--", *common, "--desk", "5"], env)
        apps["kiosk"] = App([*hand, "kiosk", "Payments", "--", *kiosk], env)  # all at once
        for name in ("reception", "display", "desk", "kiosk"):
            apps[name].expect(f"{name} ready")
        ticket = apps["kiosk"].expect("ticket ").split()[1]
        assert ticket == "Y001"
        wait_for(logs / "kiosk.jsonl", "checked_in", ticket)
        wait_for(logs / "kiosk.jsonl", "ticket_printed", ticket)
        wait_for(logs / "reception.jsonl", "listed", ticket)

        apps["desk"].expect("signed in")
        apps["desk"].tell("call")
        assert apps["desk"].expect("called ").split()[1] == ticket
        called = wait_for(logs / "desk.jsonl", "called", ticket)
        assert called["desk"] == "Desk 5"
        shown = wait_for(logs / "display.jsonl", "displayed", ticket)
        assert shown["desk"] == "Desk 5"
        announced = wait_for(logs / "display.jsonl", "announced", ticket)
        assert announced["speech"] is True
        with wave.open(announced["wav"]) as audio:
            seconds = audio.getnframes() / audio.getframerate()
            samples = memoryview(audio.readframes(audio.getnframes())).cast("h")
        assert seconds > 2.0  # chime and words
        assert max(abs(s) for s in samples[int(len(samples) * 0.4) :]) > 3000  # speech after it
        failures = [
            e for e in read_events(logs / "display.jsonl") if e["event"] == "announce_failed"
        ]
        assert failures == []
    finally:
        for app in apps.values():
            app.stop()
