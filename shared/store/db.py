"""Connections: which database, how transactions begin, and what time it is.

- SQLite (the default, one PC): a file in the platformdirs data folder, WAL mode,
  and every writing transaction starts with BEGIN IMMEDIATE so two writers never
  interleave a read-then-write.
- PostgreSQL (an office or a council): `postgresql+psycopg://...`. Lifecycle times
  come from the server's clock (`clock_timestamp()`), so PCs whose clocks drift
  cannot corrupt a wait. Every libpq option in the URL's query reaches psycopg as
  it is: `?sslmode=verify-full&sslrootcert=/path/ca.pem` for TLS (the PGSSLMODE,
  PGSSLROOTCERT... environment variables work too). Unless the URL says otherwise,
  a connection gives up after 3 s and notices a dead server or network within
  seconds (TCP keepalives, tcp_user_timeout), and the pool tests each connection
  before lending it (pre-ping), so a restarted server is reconnected to at the
  next transaction. No statement is prepared on the server (each is planned with
  its values: a generic plan read a year of history to find today's calls).
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, DateTime, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.types import TypeDecorator

from shared.domain import DomainError

APP = "onestop"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store: times must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def data_dir() -> Path:
    path = Path(os.environ.get("ONESTOP_DATA_DIR") or platformdirs.user_data_dir(APP, False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_url() -> str:
    return f"sqlite:///{data_dir() / 'onestop.db'}"


def resolve_url(url: str | None = None) -> str:
    """--db, else ONESTOP_DB, else this PC's settings (`onestop setup`), else the SQLite
    file in the data folder."""
    chosen = url or os.environ.get("ONESTOP_DB") or _settings_database() or default_url()
    try:
        parsed = make_url(chosen)
    except ArgumentError:
        raise DomainError(
            f"{chosen!r} is not a database URL "
            "(expected sqlite:///PATH or postgresql+psycopg://USER@HOST/DB)"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DomainError(
            f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
        )
    if parsed.get_backend_name() == "postgresql" and parsed.drivername != "postgresql+psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _settings_database() -> str:
    from shared.settings import load_settings  # a broken file: SettingsError, a DomainError

    return load_settings().database


# Without these a PC waits for the operating system's TCP timeouts (minutes) when the
# server or the network goes away, and the screen with it.
PG_CONNECT_DEFAULTS = {
    "connect_timeout": "3",
    "keepalives": "1",
    "keepalives_idle": "5",
    "keepalives_interval": "2",
    "keepalives_count": "2",
    "tcp_user_timeout": "5000",
    "application_name": "onestop",
}


def pg_connect_options(url: str) -> dict[str, str]:
    """The connection defaults the URL does not set itself."""
    given = make_url(url).query
    return {key: value for key, value in PG_CONNECT_DEFAULTS.items() if key not in given}


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's own handling defers it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("onestop_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def make_engine(url: str | None = None) -> Engine:
    url = resolve_url(url)
    if url.startswith("sqlite"):
        db_path = make_url(url).database
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        return _sqlite_engine(url)
    return create_engine(
        url,
        # Every statement planned with its own values: psycopg's default prepares a
        # statement on the server after 5 runs, and PostgreSQL then switches to a generic
        # plan, which with a year of history scanned the whole visit_event table for the
        # display's read of today's calls (2 ms became 100 ms; docs/load.md).
        connect_args={**pg_connect_options(url), "prepare_threshold": None},
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=5,
    )


@dataclass
class Tx:
    """One transaction: the connection, the moment it happens, and the dialect."""

    conn: Connection
    now: datetime
    dialect: str

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgresql"


class Database:
    """The shared database every app reads and writes."""

    def __init__(
        self,
        url: str | None = None,
        *,
        migrate: bool = True,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """`clock` replaces this PC's clock on SQLite (the demo's accelerated morning,
        tests); PostgreSQL always uses the server's clock."""
        self.url = resolve_url(url)
        self.clock = clock
        self.engine = make_engine(self.url)
        # Let go of without dispose() (a window's, a test's): its pooled connections are
        # closed, not left for the garbage collector to find open.
        weakref.finalize(self, self.engine.dispose)
        self.dialect = self.engine.dialect.name
        if migrate:
            from .migrate import upgrade

            upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.dispose()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Tx]:
        """Commit if the block succeeds, roll back if it raises."""
        with self.engine.connect() as conn:
            if write:
                conn = conn.execution_options(onestop_write=True)
            with conn.begin():
                yield Tx(conn, self._now(conn), self.dialect)

    def _now(self, conn: Connection) -> datetime:
        if self.dialect == "postgresql":
            moment = conn.execute(text("SELECT clock_timestamp()")).scalar_one()
            return moment.astimezone(UTC)
        return self.clock() if self.clock else datetime.now(UTC)

    @property
    def description(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)
