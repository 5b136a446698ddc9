"""Change notification: a commit elsewhere reaches the subscriber, for its site only."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import psycopg
import pytest
from sqlalchemy import text

from shared.office import Office
from shared.qt.notifier import QueueNotifier
from shared.store import Database, subscribe


def collector() -> tuple[list[str], threading.Event, object]:
    seen: list[str] = []
    event = threading.Event()

    def on_change(site: str) -> None:
        seen.append(site)
        event.set()

    return seen, event, on_change


def test_a_commit_in_another_process_reaches_the_subscriber(db_url: str) -> None:
    db = Database(db_url)
    Office(db).ensure_default_sites()
    seen, event, on_change = collector()
    with subscribe(db_url, ["bootle"], on_change) as subscription:
        assert subscription.ready.wait(10)
        time.sleep(0.1)
        event.clear()
        seen.clear()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "shared.cli",
                "checkin",
                "--site",
                "southport",
                "--service",
                "council-tax",
                "--db",
                db_url,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        assert not event.wait(0.5), "a change at another site woke the Bootle subscriber"
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "shared.cli",
                "checkin",
                "--site",
                "bootle",
                "--service",
                "council-tax",
                "--db",
                db_url,
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        assert event.wait(2), "the Bootle change was not notified"
        assert time.monotonic() - started < 5
        assert set(seen) == {"bootle"}
    db.dispose()


def test_close_stops_the_subscription(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    office = Office(db)
    office.ensure_default_sites()
    _seen, event, on_change = collector()
    subscription = subscribe(sqlite_url, None, on_change)
    assert subscription.ready.wait(10)
    subscription.close()
    office.checkin("bootle", "council-tax")
    assert not event.wait(0.3)
    assert not subscription._thread.is_alive()
    db.dispose()


def test_the_qt_bridge_signals_in_the_gui_thread(qtbot, db_url: str) -> None:
    from PySide6.QtCore import QThread

    db = Database(db_url)
    office = Office(db)
    office.ensure_default_sites()
    notifier = QueueNotifier(db_url, ["bootle"])
    threads = []
    notifier.changed.connect(lambda _site: threads.append(QThread.currentThread()))
    try:
        qtbot.waitUntil(lambda: notifier.ready, timeout=10_000)
        with qtbot.waitSignal(notifier.changed, timeout=3000) as blocker:
            office.greet("bootle", office.checkin("bootle", "council-tax").ticket)
        assert blocker.args == ["bootle"]
        assert threads and threads[0] is notifier.thread()
    finally:
        notifier.close()
        db.dispose()


@pytest.mark.postgres
def test_listener_reconnects_after_losing_its_connection(postgres_server, pg_url: str) -> None:
    db = Database(pg_url)
    office = Office(db)
    office.ensure_default_sites()
    seen, event, on_change = collector()
    with subscribe(pg_url, ["bootle"], on_change) as subscription:
        assert subscription.ready.wait(10)
        dbname = pg_url.rsplit("/", 1)[1]
        with psycopg.connect(postgres_server.conninfo(), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND query ILIKE 'LISTEN%%'",
                (dbname,),
            )
        deadline = time.monotonic() + 5
        # The subscriber says it lost the connection, then listens again.
        while time.monotonic() < deadline and subscription.ready.is_set():
            time.sleep(0.05)
        assert subscription.ready.wait(5), "the listener did not reconnect within 5 s"
        time.sleep(0.3)  # let the "you may have missed something" call pass
        event.clear()
        seen.clear()
        office.checkin("bootle", "council-tax")
        assert event.wait(2)
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar() == 1
    db.dispose()
