"""Chaos, short: the kiosk's disk fills up in the middle of the morning.

Real parts: a real, tiny filesystem (a tmpfs mounted for the test: the suite runs
as root) holding the kiosk's SQLite database (WAL) and its outbox, filled to the
last byte by a file; the kiosk's presenter in its real window.

The kiosk must keep the visitor informed (a number it recorded, or "check in at the
reception desk"), never a traceback, and lose nothing it already took: when the space
comes back, everything is there once and the kiosk checks visitors in again.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.outbox import Outbox
from kiosk.presenter import KioskPresenter
from kiosk.window import KioskWindow
from shared.domain.tickets import ticket_day
from shared.office import Office
from shared.store import Database
from tests.chaos.audit import Promise, audit

pytestmark = pytest.mark.slow
SIZE = "6m"  # the database (~1 MB with its migrations and sites), the outbox, the WAL


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of its own, unmounted afterwards; skipped (with why) where mount is not
    allowed (not root, or a container without CAP_SYS_ADMIN)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE},mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"a small filesystem cannot be mounted here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Fills the filesystem to the last byte; returns the file to delete to free it."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        for size in (65536, 4096, 1):  # the last few bytes too
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    assert os.statvfs(folder).f_bavail == 0
    return filler


def test_a_full_disk_sends_visitors_to_reception_and_loses_nothing(qtbot, small_disk: Path) -> None:
    url = f"sqlite:///{small_disk}/onestop.db"
    staff = Office(Database(url))
    staff.ensure_default_sites()
    presenter = KioskPresenter(
        Office(Database(url)),
        "bootle",
        printer="preview",
        name="Kiosk 1",
        always_open=True,
        outbox=Outbox(small_disk / "kiosk.outbox"),
    )
    window = KioskWindow(presenter, kiosk_mode=False)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    issued: list[dict] = []
    sent_away: list[str] = []
    presenter.issued.connect(issued.append)
    presenter.sent_to_reception.connect(sent_away.append)
    day = ticket_day(datetime_now(), "Europe/London")
    qtbot.waitUntil(  # its blocks for today, before the disk fills
        lambda: presenter.outbox.numbers_left("bootle", [day]).get((day, "C"), 0) > 0,
        timeout=10_000,
    )
    for _ in range(3):
        presenter.check_in("council-tax", {})
    assert [t["offline"] for t in issued] == [False] * 3

    filler = fill(small_disk)
    for _ in range(60):  # until the disk refuses (SQLite reuses its WAL's space first)
        presenter.check_in("council-tax", {})
        qtbot.wait(20)
        if sent_away:
            break
    assert sent_away and sent_away[0] == "unavailable", sent_away
    assert window.current_page == "help"
    assert window.help_heading.text() == "Check-in is not available just now"
    assert "reception desk" in window.banner.text() and window.banner.isVisible()
    window.grab().save(str(small_disk.parent / "disk-full.png"))

    filler.unlink()  # the space comes back: online again by itself, and it checks in
    qtbot.waitUntil(lambda: presenter.online, timeout=10_000)
    qtbot.waitUntil(lambda: not presenter.outbox.pending(), timeout=10_000)
    before = len(issued)
    presenter.check_in("council-tax", {})
    assert len(issued) == before + 1 and not issued[-1]["offline"]
    presenter.link_timer.stop()
    presenter.link_pool.waitForDone(10_000)
    presenter.wait_for_printing()
    window.close()
    presenter.office.db.dispose()
    promised = [
        Promise.from_line("bootle", t | {"day": day.isoformat()}, "Kiosk 1") for t in issued
    ]
    problems, totals = audit(url, promised, [small_disk / "kiosk.outbox"])
    assert problems == [] and totals.visits == len(issued)
    staff.db.dispose()


def datetime_now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)
