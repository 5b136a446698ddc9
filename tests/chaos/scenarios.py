"""The chaos, scenario by scenario, for the suite's short tests and the soak alike.

A crew of real processes (tests/chaos/actors.py: two kiosks, two desks, reception)
works a busy morning on one database while something breaks:

- `kill_round`: one of them, chosen at random, is killed with SIGKILL and started
  again, many times;
- `restart_round`: the PostgreSQL server is stopped (fast: an admin's restart;
  immediate: a crash) in the middle of the calls and started again; every actor
  must be working again within RECOVER_SECONDS of the server accepting connections,
  and the kiosks must have kept issuing tickets from their outboxes meanwhile.

Then the crew is killed, whatever the kiosks' outboxes still hold is sent (as a
kiosk started again sends it), and tests/chaos/audit.py checks every visit.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.chaos.audit import Promise, Totals, audit
from tests.pg import PostgresServer

ROOT = Path(__file__).resolve().parents[2]
SITE = "bootle"
RECOVER_SECONDS = 5.0  # issue 6: every app reconnects by itself within 5 s
READY_SECONDS = 90.0  # a crew starting on a loaded two-core PC
SUCCESS = {"ticket", "called", "finished", "greeted"}


@dataclass
class Actor:
    role: str
    name: str
    args: list[str]
    folder: Path
    process: subprocess.Popen[bytes] | None = None
    logs: list[Path] = field(default_factory=list)
    started_at: list[float] = field(default_factory=list)  # time.time() of each start
    killed: int = 0
    crashed: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-")

    def start(self) -> None:
        log = self.folder / f"{self.slug}-{len(self.logs)}.jsonl"
        self.logs.append(log)
        self.started_at.append(time.time())
        with open(log, "wb") as out, open(log.with_suffix(".err"), "wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.chaos.actors", self.role, *self.args],
                stdout=out,
                stderr=err,
                cwd=ROOT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )

    def kill(self) -> None:
        """SIGKILL, as a power cut or the task manager would; says if it had died already."""
        process = self.process
        if process is None:
            return
        if process.poll() is not None:
            self._died(process)
        else:
            process.send_signal(signal.SIGKILL)
            process.wait(30)
            self.killed += 1
        self.process = None

    def _died(self, process: subprocess.Popen[bytes]) -> None:
        tail = self.logs[-1].with_suffix(".err").read_text(errors="replace")[-1500:]
        self.crashed.append(f"{self.name} exited by itself ({process.returncode}): {tail}")

    def lines(self, since: int = 0) -> list[dict[str, Any]]:
        """Every line it printed, from start `since` on (a half-written last line, cut
        by a kill, is left out)."""
        found = []
        for log in self.logs[since:]:
            for raw in log.read_bytes().splitlines():
                try:
                    found.append(json.loads(raw))
                except ValueError:
                    continue
        return found

    def ready(self) -> bool:
        return any(line["event"] == "ready" for line in self.lines(len(self.logs) - 1))


@dataclass
class Report:
    """What a round did and found."""

    scenario: str
    kills: int = 0
    restarts: int = 0
    checkins: int = 0
    offline_checkins: int = 0
    calls: int = 0
    recoveries: list[float] = field(default_factory=list)  # seconds, one per recovery
    problems: list[str] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    notes: list[str] = field(default_factory=list)

    def add(self, other: Report) -> None:
        self.kills += other.kills
        self.restarts += other.restarts
        self.checkins += other.checkins
        self.offline_checkins += other.offline_checkins
        self.calls += other.calls
        self.recoveries += other.recoveries
        self.problems += other.problems
        self.notes += other.notes


class Crew:
    def __init__(self, url: str, folder: Path, seed: int, kiosks: int = 2) -> None:
        self.url = url
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.actors: list[Actor] = []
        for index in range(1, kiosks + 1):
            name = f"Kiosk {index}"
            outbox = folder / f"kiosk-{index}.outbox.sqlite3"
            self.actors.append(
                Actor("kiosk", name, [url, SITE, name, str(outbox), str(seed + index)], folder)
            )
        for index, desk in enumerate(["Desk 1", "Desk 3"]):
            self.actors.append(
                Actor("desk", desk, [url, SITE, desk, str(seed + 10 + index)], folder)
            )
        self.actors.append(
            Actor("reception", "Reception", [url, SITE, "Reception", str(seed)], folder)
        )

    @property
    def kiosks(self) -> list[Actor]:
        return [a for a in self.actors if a.role == "kiosk"]

    def outboxes(self) -> list[Path]:
        return [Path(a.args[3]) for a in self.kiosks]

    def start(self) -> None:
        for actor in self.actors:
            actor.start()
        self.wait_ready(self.actors)

    def wait_ready(self, actors: list[Actor]) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while not all(a.ready() for a in actors):
            for actor in actors:
                if actor.process is not None and actor.process.poll() is not None:
                    actor.kill()
                    raise RuntimeError("; ".join(actor.crashed))
            if time.monotonic() > deadline:
                raise RuntimeError(f"the crew was not ready in {READY_SECONDS:g} s")
            time.sleep(0.05)

    def stop(self) -> None:
        for actor in self.actors:
            actor.kill()

    def finish(self, report: Report) -> Report:
        """Kill the crew, send what the outboxes hold, audit, and count."""
        self.stop()
        report.problems += [c for a in self.actors for c in a.crashed]
        report.problems += drain(self.url, self.kiosks)
        promised = []
        for actor in self.actors:
            for line in actor.lines():
                if line["event"] == "ticket":
                    promised.append(Promise.from_line(SITE, line, actor.name))
                    report.checkins += 1
                    report.offline_checkins += bool(line.get("offline"))
                elif line["event"] == "called":
                    report.calls += 1
        problems, report.totals = audit(self.url, promised, self.outboxes())
        report.problems += problems
        return report


def drain(url: str, kiosks: list[Actor]) -> list[str]:
    """A kiosk started again sends what its outbox holds: the same, for the last time."""
    from kiosk.link import Link
    from kiosk.outbox import Outbox
    from shared.office import Office
    from shared.store import Database

    problems = []
    office = Office(Database(url))
    try:
        for actor in kiosks:
            outbox = Outbox(actor.args[3])
            try:
                link = Link(office, outbox, SITE, actor.name, lambda: datetime.now(UTC))
                for _ in range(10):
                    report = link.step()
                    if report.online and not outbox.pending():
                        break
                    time.sleep(0.5)
                else:
                    problems.append(f"{actor.name}'s outbox could not be sent: {report.error}")
            finally:
                outbox.close()
    finally:
        office.db.dispose()
    return problems


def kill_round(
    url: str, folder: Path, rng: random.Random, kills: int, gap: tuple[float, float] = (0.25, 0.8)
) -> Report:
    """`kills` times: a random actor killed with SIGKILL mid-work and started again."""
    report = Report("kill -9")
    crew = Crew(url, folder, rng.randrange(1 << 20))
    try:
        crew.start()
        restarted: list[tuple[Actor, float]] = []
        for _ in range(kills):
            time.sleep(rng.uniform(*gap))
            victim = rng.choice(crew.actors)
            victim.kill()
            killed_at = time.time()
            victim.start()
            restarted.append((victim, killed_at))
            report.kills += 1
        time.sleep(1.0)  # the last one started again does some work
        crew.wait_ready(crew.actors)
        for victim, killed_at in restarted:
            back = _first_success(victim, killed_at)
            if back is not None:
                report.recoveries.append(back - killed_at)
    finally:
        crew.stop()
    return crew.finish(report)


def _first_success(actor: Actor, moment: float) -> float | None:
    """When it next did something after `moment` (a killed one: once it was started again)."""
    for line in actor.lines():
        if line["event"] in SUCCESS and line["wall"] > moment:
            return float(line["wall"])
    return None


def restart_round(
    server: Any, url: str, folder: Path, rng: random.Random, modes: list[str]
) -> Report:
    """For each mode, the server stopped mid-call, down a second or two, started again:
    every actor works again within RECOVER_SECONDS, the kiosks issued tickets offline
    meanwhile and sent them all."""
    report = Report("PostgreSQL restarted")
    crew = Crew(url, folder, rng.randrange(1 << 20))
    try:
        crew.start()
        for mode in modes:
            time.sleep(rng.uniform(1.2, 2.0))  # the kiosks have their blocks
            down_at = time.time()
            server.halt(mode)
            time.sleep(rng.uniform(1.0, 2.0))
            server.resume()
            up_at = time.time()
            report.restarts += 1
            deadline = up_at + RECOVER_SECONDS * 3
            waiting = list(crew.actors)
            while waiting and time.time() < deadline:
                for actor in list(waiting):
                    back = _first_success(actor, up_at)
                    if back is not None:
                        report.recoveries.append(back - up_at)
                        waiting.remove(actor)
                        if back - up_at > RECOVER_SECONDS:
                            report.problems.append(
                                f"{actor.name} worked again {back - up_at:.1f} s after the "
                                f"{mode} restart (more than {RECOVER_SECONDS:g} s)"
                            )
                time.sleep(0.05)
            report.problems += [
                f"{a.name} did not work again after the {mode} restart" for a in waiting
            ]
            for kiosk in crew.kiosks:
                offline = [
                    line
                    for line in kiosk.lines()
                    if line["event"] == "ticket"
                    and line.get("offline")
                    and down_at <= line["wall"] <= up_at + RECOVER_SECONDS
                ]
                if not offline:
                    report.problems.append(
                        f"{kiosk.name} issued no ticket while the server was {mode}-stopped"
                    )
            sent_in = _outboxes_sent(crew, up_at)
            if sent_in is None:
                report.problems.append(
                    f"the outboxes were not sent within {RECOVER_SECONDS:g} s of the {mode} restart"
                )
            else:
                report.notes.append(
                    f"{mode}: outboxes sent {sent_in:.2f} s after the server was back"
                )
    finally:
        crew.stop()
    return crew.finish(report)


def _outboxes_sent(crew: Crew, up_at: float) -> float | None:
    from kiosk.outbox import Outbox

    deadline = up_at + RECOVER_SECONDS
    while time.time() < deadline + 0.5:
        pending = 0
        for path in crew.outboxes():
            outbox = Outbox(path)
            try:
                pending += sum(1 for e in outbox.pending() if e.kiosk_clock.timestamp() < up_at)
            finally:
                outbox.close()
        if not pending:
            return time.time() - up_at
        time.sleep(0.1)
    return None


class DurableServer(PostgresServer):
    """The suite's throwaway server, but keeping what it acknowledged: the suite's
    runs with synchronous_commit=off, so a crash (`immediate`) loses the last commits
    a client was told had been made, which no real server does (found as a kiosk's
    ticket missing after the crash: the server's setting, not the product)."""

    # fsync off: the machine itself does not crash here, only the server.
    DURABILITY = ("-c fsync=off", "-c synchronous_commit=on")


@contextmanager
def durable_server() -> Iterator[DurableServer]:
    """A server of the caller's own (restarting the suite's would break other tests)."""
    server = DurableServer.start()
    try:
        yield server
    finally:
        server.stop()
