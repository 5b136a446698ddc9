"""Be told when a site's queue changed.

- PostgreSQL: every writing transaction runs `pg_notify('onestop', site)`; a
  subscriber LISTENs on its own connection and wakes as the commit lands.
- SQLite: every writing transaction bumps the site's `version`; a subscriber polls
  `PRAGMA data_version` (cheap: it changes only when another connection commits)
  and reads the versions only then.

`subscribe()` runs a daemon thread that calls `callback(site_code)` for each
change (several quick changes may be folded into one call). A lost connection
is tried again after 0.25 s, 0.5 s, then every second (a restarted server is
usually back within the first), and the callback is called once on reconnecting,
as changes may have been missed. On PostgreSQL the listening connection has the
store's connection options (db.PG_CONNECT_DEFAULTS: a 3 s connect timeout, TCP
keepalives) and the URL's own, TLS included; a restarted server is listened to
again within about a second of accepting connections (tests/integration/
test_reconnect.py measures it). A lost connection is logged once, and its
return with how long it was away, not every retry.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable

from sqlalchemy.engine import make_url

from .db import pg_connect_options, resolve_url
from .repository import CHANNEL

log = logging.getLogger(__name__)

POLL_SECONDS = 0.05
RETRY_SECONDS = 1.0  # between attempts while the database stays away
FIRST_RETRY_SECONDS = 0.25  # the first attempt after a loss; doubled up to RETRY_SECONDS


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

    conninfo = _conninfo(url)

    def run(stop: threading.Event, ready: threading.Event) -> None:
        first = True
        outage = _Outage("change notification")
        while not stop.is_set():
            try:
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    ready.set()
                    outage.ended()
                    if not first:
                        _fire_all(wanted, callback)
                    first = False
                    while not stop.is_set():
                        for note in conn.notifies(timeout=0.25):
                            if wanted is None or note.payload in wanted:
                                _safe(callback, note.payload)
            except psycopg.Error as error:
                ready.clear()
                outage.began(error)
                stop.wait(outage.next_delay())

    return Subscription(run, "onestop-listen")


def _conninfo(url: str) -> str:
    """The URL as libpq keywords, exactly as the store's engine hands it to psycopg: the
    password whatever it holds (spaces, quotes), every option of the query (sslmode,
    sslrootcert...), several hosts (?host=db1:5432&host=db2:5432), and the store's
    connection defaults."""
    from psycopg.conninfo import make_conninfo
    from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

    _args, params = PGDialect_psycopg().create_connect_args(make_url(url))
    for key, value in pg_connect_options(url).items():
        params[key] = "onestop-listen" if key == "application_name" else value
    return make_conninfo("", **params)


def _sqlite(url: str, wanted: set[str] | None, callback: Callable[[str], None]) -> Subscription:
    path = make_url(url).database or ""

    def run(stop: threading.Event, ready: threading.Event) -> None:
        first = True
        outage = _Outage("change notification")
        while not stop.is_set():
            try:
                conn = sqlite3.connect(path, timeout=5, isolation_level=None)
                try:
                    versions = _versions(conn)
                    data_version = conn.execute("PRAGMA data_version").fetchone()[0]
                    ready.set()
                    outage.ended()
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
                ready.clear()
                outage.began(error)
                stop.wait(outage.next_delay())

    return Subscription(run, "onestop-poll")


class _Outage:
    """Logs a lost connection once (not every retry), and its return with its length."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.since: float | None = None
        self.delay = FIRST_RETRY_SECONDS

    def next_delay(self) -> float:
        """How long to wait before the next attempt: short at first, then every second."""
        delay, self.delay = self.delay, min(self.delay * 2, RETRY_SECONDS)
        return delay

    def began(self, error: Exception) -> None:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if self.since is None:
            self.since = time.monotonic()
            log.warning(
                "%s lost the database, trying again every %g s: %s",
                self.what,
                RETRY_SECONDS,
                reason,
            )
        else:
            log.debug("%s still cannot reach the database: %s", self.what, reason)

    def ended(self) -> None:
        if self.since is not None:
            log.info("%s reconnected after %.1f s", self.what, time.monotonic() - self.since)
            self.since = None
        self.delay = FIRST_RETRY_SECONDS


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
