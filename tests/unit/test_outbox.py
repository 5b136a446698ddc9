"""The kiosk's outbox on its own: numbers from reserved blocks, each check-in on disk
before it is shown, and a full disk that issues no number at all."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
import textwrap
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.outbox import NoNumberLeft, Outbox, OutboxError, outbox_path
from shared.store.blocks import Block

DAY = date(2026, 11, 24)
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def issue(outbox: Outbox, letter: str = "C", **extra):  # type: ignore[no-untyped-def]
    values = {
        "site": "bootle",
        "day": DAY,
        "letter": letter,
        "service": "council-tax",
        "kiosk_clock": NOON,
    }
    return outbox.issue(**(values | extra))


def test_numbers_come_from_the_blocks_in_order_and_run_out(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    outbox.add_blocks([Block("bootle", DAY, "C", 901, 903), Block("bootle", DAY, "C", 951, 952)])
    tickets = [issue(outbox).ticket for _ in range(5)]
    assert tickets == ["C901", "C902", "C903", "C951", "C952"]
    with pytest.raises(NoNumberLeft):
        issue(outbox)
    with pytest.raises(NoNumberLeft):  # another letter, another day: their own blocks
        issue(outbox, letter="H")
    assert outbox.numbers_left("bootle", [DAY]) == {(DAY, "C"): 0}
    assert [e.ticket for e in outbox.pending()] == tickets


def test_a_check_in_keeps_its_arrival_by_both_clocks_and_survives_a_restart(
    tmp_path: Path,
) -> None:
    path = tmp_path / "outbox.sqlite3"
    outbox = Outbox(path)
    holder = outbox.holder
    outbox.add_blocks([Block("bootle", DAY, "C", 901, 950)])
    entry = issue(outbox, offset=timedelta(seconds=-42), flags={"interpreter": "Polish"})
    outbox.close()  # the kiosk PC restarts

    again = Outbox(path)
    assert again.holder == holder  # the same kiosk: its blocks stay its own
    [kept] = again.pending()
    assert kept.ticket == "C901" and kept.key == entry.key
    assert kept.kiosk_clock == NOON
    assert kept.arrived_at == NOON - timedelta(seconds=42)  # the database's clock
    assert kept.flags == {"interpreter": "Polish"}
    assert issue(again).ticket == "C902"  # never C901 twice
    again.mark_sent(kept.id, 17, NOON)
    assert [e.ticket for e in again.pending()] == ["C902"]
    again.mark_failed(again.pending()[0].id, "service withdrawn")
    assert again.pending() == []
    assert [(e.status, e.visit_id, e.error) for e in again.checkins()] == [
        ("sent", 17, None),
        ("failed", None, "service withdrawn"),
    ]


def test_two_threads_never_take_the_same_number(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    outbox.add_blocks([Block("bootle", DAY, "C", 901, 1100)])
    taken: list[str] = []

    def take() -> None:
        for _ in range(50):
            taken.append(issue(outbox).ticket)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == len(set(taken)) == 200


def test_a_full_disk_records_nothing_and_says_so(tmp_path: Path, monkeypatch) -> None:
    """The write that would record the check-in fails (ENOSPC): no number is issued, and
    the number is not used up either (the transaction rolled back)."""
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    outbox.add_blocks([Block("bootle", DAY, "C", 901, 950)])
    real = outbox._conn

    class FullDisk:
        """The connection, with the disk full at the check-in's insert."""

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(real, name)

        def execute(self, sql: str, *args):  # type: ignore[no-untyped-def]
            if sql.startswith("INSERT INTO checkin"):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real.execute(sql, *args)

    monkeypatch.setattr(outbox, "_conn", FullDisk())
    with pytest.raises(OutboxError, match="No space left"):
        issue(outbox)
    monkeypatch.setattr(outbox, "_conn", real)
    assert outbox.pending() == []
    assert issue(outbox).ticket == "C901"


def test_a_disk_that_really_fills_up_issues_no_number(tmp_path: Path) -> None:
    """A real write failure from the kernel: a process whose files may not grow past a
    limit (RLIMIT_FSIZE, the way a full disk refuses a write) issues until SQLite
    cannot write, then raises OutboxError for each later check-in, and every number it
    did show is in the file."""
    path = tmp_path / "outbox.sqlite3"
    seed = Outbox(path)
    seed.add_blocks([Block("bootle", DAY, "C", 901, 5900)])
    seed.close()
    script = textwrap.dedent(
        f"""
        import resource, signal, sys
        from datetime import UTC, date, datetime
        from kiosk.outbox import Outbox, OutboxError
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails instead
        outbox = Outbox({str(path)!r})
        resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024, 512 * 1024))
        shown, refused = [], 0
        for _ in range(5000):
            try:
                entry = outbox.issue(site="bootle", day=date(2026, 11, 24), letter="C",
                                     service="council-tax", kiosk_clock=datetime.now(UTC),
                                     flags={{"note": "x" * 200}})
            except OutboxError as error:
                refused += 1
                last_error = str(error)
                continue
            shown.append(entry.ticket)
        print(len(shown), refused, shown[-1], last_error)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr
    shown, refused, last, error = done.stdout.split(" ", 3)
    assert int(shown) > 10 and int(refused) > 0, done.stdout
    assert "cannot be written" in error
    with sqlite3.connect(path) as conn:
        recorded = [r[0] for r in conn.execute("SELECT ticket FROM checkin ORDER BY id")]
    assert len(recorded) == int(shown) and recorded[-1] == last  # shown means on disk


def test_an_outbox_in_a_folder_that_cannot_be_made_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OutboxError, match="cannot be used"):
        Outbox(blocker / "outbox" / "kiosk.sqlite3")


def test_each_database_site_and_kiosk_has_its_own_outbox(tmp_path: Path) -> None:
    one = outbox_path(tmp_path, "sqlite:///a.db", "bootle", "Kiosk 1")
    assert one.parent == tmp_path / "outbox" and one.name.startswith("bootle-kiosk-1-")
    assert one != outbox_path(tmp_path, "sqlite:///b.db", "bootle", "Kiosk 1")
    assert one != outbox_path(tmp_path, "sqlite:///a.db", "bootle", "Kiosk 2")
    assert one != outbox_path(tmp_path, "sqlite:///a.db", "southport", "Kiosk 1")


def test_old_blocks_go_and_sent_check_ins_stay_a_week(tmp_path: Path) -> None:
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    old = DAY - timedelta(days=8)
    outbox.add_blocks([Block("bootle", old, "C", 901, 950), Block("bootle", DAY, "C", 901, 950)])
    sent = issue(outbox, day=old)
    outbox.mark_sent(sent.id, 1, NOON)
    waiting = issue(outbox, day=old)  # never sent: kept whatever its age
    outbox.forget_before(DAY)
    assert outbox.numbers_left("bootle", [old, DAY]) == {(DAY, "C"): 50}
    assert [e.id for e in outbox.checkins()] == [waiting.id]
