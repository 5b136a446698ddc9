"""Kiosk, reception, desk and display as separate processes on one database.

A visitor checks in at the kiosk; reception lists them; a CSA calls them; the
display shows the call and announces it; the announcement's WAV holds speech.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import wave
from pathlib import Path

from shared.eventlog import read_events
from shared.office import Office
from shared.store import Database


def wait_for(path: Path, event: str, ticket: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            for record in read_events(path):
                if record["event"] == event and record.get("ticket") == ticket:
                    return record
        time.sleep(0.2)
    raise AssertionError(f"no {event} for {ticket} in {path}")


def app(url: str, logs: Path, data: Path, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "ONESTOP_DATA_DIR": str(data),
        "ONESTOP_SPEECH": "on",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared.cli",
            *args,
            "--site",
            "bootle",
            "--windowed",
            "--db",
            url,
            "--log-dir",
            str(logs),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


def driver(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tests.e2e.drivers", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_a_visit_across_all_four_apps(db_url: str, tmp_path: Path) -> None:
    db = Database(db_url)
    Office(db).ensure_default_sites()
    db.dispose()
    logs = tmp_path / "logs"
    running = [
        app(db_url, logs, tmp_path, "reception"),
        app(db_url, logs, tmp_path, "display", "--mode", "voice"),
    ]
    try:
        for process in running:
            assert process.stdout is not None
            assert "ready" in process.stdout.readline()
        time.sleep(1)
        ticket = driver("kiosk", db_url, str(logs))
        assert ticket == "Y001"
        wait_for(logs / "kiosk.jsonl", "checked_in", ticket)
        wait_for(logs / "kiosk.jsonl", "ticket_printed", ticket)
        wait_for(logs / "reception.jsonl", "listed", ticket)
        called = driver("desk", db_url, str(logs), "Desk 5")
        assert called == ticket
        wait_for(logs / "display.jsonl", "displayed", ticket)
        announced = wait_for(logs / "display.jsonl", "announced", ticket)
        wav = Path(announced["wav"])
        with wave.open(str(wav)) as audio:
            seconds = audio.getnframes() / audio.getframerate()
            samples = memoryview(audio.readframes(audio.getnframes())).cast("h")
        assert seconds > 2.0  # chime and words
        assert max(abs(s) for s in samples[int(len(samples) * 0.4) :]) > 3000  # speech after it
    finally:
        for process in running:
            process.terminate()
            process.wait(10)
            if process.stdout is not None:
                process.stdout.close()
