"""Be told when a site's queue changed.

- PostgreSQL: every writing transaction runs `pg_notify('onestop', site)`; a
  subscriber LISTENs on its own connection and wakes as the commit lands.
- SQLite: every writing transaction bumps the site's `version`; a subscriber polls
  `PRAGMA data_version` (cheap: it changes only when another connection commits)
  and reads the versions only then.

`subscribe()` runs a daemon thread that calls `callback(site_code)` for each
change (several quick changes may be folded into one call). Connection losses
are retried every second, and the callback is called once on reconnecting, as
changes may have been missed.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable

from sqlalchemy.engine import make_url

from .db import resolve_url
from .repository import CHANNEL

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
RETRY_SECONDS = 1.0


class Subscription:
    """A running subscription; `close()` stops it and waits for its thread."""

    def __init__(
        self, target: Callable[[threading.Event, threading.Event], None], name: str
    ) -> None:
        self._stop = threading.Event()
        self.ready = threading.Event()  # set while connected and listening
        self._thread = threading.Thread(
            target=target, args=(self._stop, self.ready), name=name, daemon=True
        )
        self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def subscribe(
    url: str | None, sites: Iterable[str] | None, callback: Callable[[str], None]
) -> Subscription:
    """Call `callback(site)` whenever one of `sites` (None: every site) changes."""
    url = resolve_url(url)
    wanted = None if sites is None else {s.lower() for s in sites}
    if url.startswith("postgresql"):
        return _postgres(url, wanted, callback)
    return _sqlite(url, wanted, callback)


def _postgres(url: str, wanted: set[str] | None, callback: Callable[[str], None]) -> Subscription:
    import psycopg

    parsed = make_url(url)
    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)

    def run(stop: threading.Event, ready: threading.Event) -> None:
        first = True
        while not stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    ready.set()
                    if not first:
                        _fire_all(wanted, callback)
                    first = False
                    while not stop.is_set():
                        for note in conn.notifies(timeout=0.25):
                            if wanted is None or note.payload in wanted:
                                _safe(callback, note.payload)
            except psycopg.Error as error:
                log.warning("change notification lost its connection: %s", error)
                ready.clear()
                stop.wait(RETRY_SECONDS)

    return Subscription(run, "onestop-listen")


def _sqlite(url: str, wanted: set[str] | None, callback: Callable[[str], None]) -> Subscription:
    path = make_url(url).database or ""

    def run(stop: threading.Event, ready: threading.Event) -> None:
        first = True
        while not stop.is_set():
            try:
                conn = sqlite3.connect(path, timeout=5, isolation_level=None)
                try:
                    versions = _versions(conn)
                    data_version = conn.execute("PRAGMA data_version").fetchone()[0]
                    ready.set()
                    if not first:
                        _fire_all(wanted, callback)
                    first = False
                    while not stop.wait(POLL_SECONDS):
                        now = conn.execute("PRAGMA data_version").fetchone()[0]
                        if now == data_version:
                            continue
                        data_version = now
                        latest = _versions(conn)
                        for code, version in latest.items():
                            if versions.get(code) != version and (wanted is None or code in wanted):
                                _safe(callback, code)
                        versions = latest
                finally:
                    conn.close()
            except sqlite3.Error as error:
                log.warning("change notification cannot read the database: %s", error)
                ready.clear()
                stop.wait(RETRY_SECONDS)

    return Subscription(run, "onestop-poll")


def _versions(conn: sqlite3.Connection) -> dict[str, int]:
    try:
        return dict(conn.execute("SELECT code, version FROM site").fetchall())
    except sqlite3.OperationalError:
        return {}  # not migrated yet


def _fire_all(wanted: set[str] | None, callback: Callable[[str], None]) -> None:
    for code in sorted(wanted or {"*"}):
        _safe(callback, code)


def _safe(callback: Callable[[str], None], code: str) -> None:
    try:
        callback(code)
    except Exception:  # a subscriber's bug must not stop the notifications
        log.exception("change callback failed for %s", code)
