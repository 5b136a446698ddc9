"""The kiosk's outbox: check-ins made while the database cannot be reached.

A small SQLite file of the kiosk's own (in the data folder, one per kiosk, site and
database) holds:

- the blocks of ticket numbers this kiosk reserved while online (shared/store/blocks.py);
- every offline check-in, written (and synced to disk) before its ticket is printed:
  the ticket, service, flags, the arrival by this PC's clock and by the database's
  (this clock plus the difference last measured), and whether it has been sent;
- the last site configuration and the measured clock difference.

Taking a number and recording the check-in are one local transaction: a number is
never issued twice, and a ticket is shown only once its check-in is on disk. When
the file cannot be written (disk full, a read-only folder) the kiosk is told so
(OutboxError) and shows no number.

No Qt here: the kiosk's presenter and its background sender both use it, each call
under one lock.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.domain.tickets import format_ticket
from shared.store.blocks import Block

KEEP_SENT_DAYS = 7  # sent check-ins stay this long (support can see what went when)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS block (
    site TEXT NOT NULL, day TEXT NOT NULL, letter TEXT NOT NULL,
    first INTEGER NOT NULL, last INTEGER NOT NULL, next INTEGER NOT NULL,
    PRIMARY KEY (site, day, letter, first)
);
CREATE TABLE IF NOT EXISTS checkin (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    site TEXT NOT NULL, day TEXT NOT NULL, ticket TEXT NOT NULL,
    service TEXT NOT NULL, flags TEXT NOT NULL, priority INTEGER NOT NULL,
    arrived_at TEXT NOT NULL, kiosk_clock TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', visit_id INTEGER, error TEXT, sent_at TEXT,
    UNIQUE (site, day, ticket)
);
CREATE TABLE IF NOT EXISTS survey (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site TEXT NOT NULL, answered_at TEXT NOT NULL, ticket TEXT,
    answers TEXT NOT NULL, comment TEXT, language TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', sent_at TEXT
);
"""


class OutboxError(Exception):
    """The check-in could not be recorded: the kiosk must not show a number."""


class NoNumberLeft(OutboxError):
    """No reserved number is left for this letter today."""


@dataclass(frozen=True)
class OfflineCheckin:
    id: int
    key: str  # the idempotency key (uuid); also (site, day, ticket) is unique everywhere
    site: str
    day: date
    ticket: str
    service: str
    arrived_at: datetime  # by the database's clock, as best this kiosk knows it
    kiosk_clock: datetime  # this PC's clock at the touch
    flags: dict[str, str] = field(default_factory=dict)
    priority: bool = False
    status: str = "pending"  # pending | sent | failed
    visit_id: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class OfflineSurvey:
    """Exit-survey answers given while the database was away."""

    id: int
    site: str
    answered_at: datetime
    ticket: str | None
    answers: dict[str, Any]
    comment: str | None
    language: str


def outbox_path(folder: Path, url: str, site: str, kiosk: str) -> Path:
    """One outbox per database, site and kiosk name (a demo and a real office on one PC,
    or two kiosks started on one PC, never share one)."""
    slug = re.sub(r"[^a-z0-9]+", "-", kiosk.lower()).strip("-") or "kiosk"
    database = hashlib.sha256(url.encode()).hexdigest()[:10]
    return folder / "outbox" / f"{site}-{slug}-{database}.sqlite3"


class Outbox:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                self.path, timeout=10, isolation_level=None, check_same_thread=False
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=FULL")  # on disk before the ticket prints
            self._conn.executescript(SCHEMA)
            with self._write() as conn:
                conn.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('holder', ?)",
                    (uuid.uuid4().hex,),
                )
            self.holder = self._meta("holder") or ""
        except (OSError, sqlite3.Error) as error:
            raise OutboxError(f"the kiosk's outbox {self.path} cannot be used: {error}") from None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- plumbing ------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One local write transaction (IMMEDIATE: two kiosk processes on one file take
        turns); any failure to write becomes an OutboxError and nothing is kept."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                    self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
            except (OSError, sqlite3.Error) as error:
                raise OutboxError(f"the kiosk's outbox cannot be written: {error}") from None

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return list(self._conn.execute(sql, tuple(params)))
            except sqlite3.Error as error:
                raise OutboxError(f"the kiosk's outbox cannot be read: {error}") from None

    def _meta(self, key: str) -> str | None:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def _set_meta(self, **values: str) -> None:
        with self._write() as conn:
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    # -- what the kiosk remembers --------------------------------------------------------

    def remember_site(self, code: str, config: str) -> None:
        self._set_meta(**{f"site:{code}": config})

    def site_config(self, code: str) -> str | None:
        return self._meta(f"site:{code}")

    def set_clock_offset(self, seconds: float) -> None:
        """The database's clock minus this PC's, as last measured."""
        self._set_meta(clock_offset=repr(float(seconds)))

    @property
    def clock_offset(self) -> timedelta:
        value = self._meta("clock_offset")
        return timedelta(seconds=float(value)) if value else timedelta(0)

    # -- blocks of numbers ---------------------------------------------------------------

    def add_blocks(self, blocks: Iterable[Block]) -> None:
        with self._write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO block (site, day, letter, first, last, next)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(b.site, b.day.isoformat(), b.letter, b.first, b.last, b.first) for b in blocks],
            )

    def numbers_left(self, site: str, days: Iterable[date]) -> dict[tuple[date, str], int]:
        """Numbers still unissued per (day, letter) of the given days."""
        wanted = [d.isoformat() for d in days]
        rows = self._read(
            "SELECT day, letter, SUM(last - next + 1) AS left FROM block"
            f" WHERE site = ? AND day IN ({', '.join('?' * len(wanted))})"
            " GROUP BY day, letter",
            [site, *wanted],
        )
        return {(date.fromisoformat(r["day"]), r["letter"]): int(r["left"]) for r in rows}

    def forget_before(self, day: date) -> None:
        """Blocks of past days go; sent check-ins a week old go."""
        keep = (day - timedelta(days=KEEP_SENT_DAYS)).isoformat()
        with self._write() as conn:
            conn.execute("DELETE FROM block WHERE day < ?", (day.isoformat(),))
            conn.execute("DELETE FROM checkin WHERE status = 'sent' AND day < ?", (keep,))

    # -- check-ins -----------------------------------------------------------------------

    def issue(
        self,
        *,
        site: str,
        day: date,
        letter: str,
        service: str,
        kiosk_clock: datetime,
        offset: timedelta = timedelta(0),
        flags: dict[str, str] | None = None,
        priority: bool = False,
    ) -> OfflineCheckin:
        """Take the next reserved number and record the check-in, in one transaction.
        `offset` is the database's clock minus this PC's, as last measured: the arrival
        sent is `kiosk_clock + offset`."""
        if kiosk_clock.tzinfo is None:
            raise ValueError("the kiosk's clock must be timezone-aware")
        arrived = (kiosk_clock + offset).astimezone(UTC)
        key = uuid.uuid4().hex
        with self._write() as conn:
            block = conn.execute(
                "SELECT first, next FROM block WHERE site = ? AND day = ? AND letter = ?"
                " AND next <= last ORDER BY first LIMIT 1",
                (site, day.isoformat(), letter),
            ).fetchone()
            if block is None:
                raise NoNumberLeft(f"no reserved {letter} number left for {day}")
            number = int(block["next"])
            conn.execute(
                "UPDATE block SET next = next + 1 WHERE site = ? AND day = ? AND letter = ?"
                " AND first = ?",
                (site, day.isoformat(), letter, block["first"]),
            )
            ticket = format_ticket(letter, number)
            cursor = conn.execute(
                "INSERT INTO checkin (key, site, day, ticket, service, flags, priority,"
                " arrived_at, kiosk_clock) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    site,
                    day.isoformat(),
                    ticket,
                    service,
                    json.dumps(flags or {}, sort_keys=True),
                    int(priority),
                    arrived.isoformat(),
                    kiosk_clock.astimezone(UTC).isoformat(),
                ),
            )
            entry_id = int(cursor.lastrowid or 0)
        return OfflineCheckin(
            entry_id,
            key,
            site,
            day,
            ticket,
            service,
            arrived,
            kiosk_clock.astimezone(UTC),
            dict(flags or {}),
            priority,
        )

    def pending(self) -> list[OfflineCheckin]:
        """Check-ins not yet sent, in the order they were made."""
        return self._checkins("WHERE status = 'pending' ORDER BY id")

    def checkins(self) -> list[OfflineCheckin]:
        return self._checkins("ORDER BY id")

    def _checkins(self, where: str) -> list[OfflineCheckin]:
        return [
            OfflineCheckin(
                id=r["id"],
                key=r["key"],
                site=r["site"],
                day=date.fromisoformat(r["day"]),
                ticket=r["ticket"],
                service=r["service"],
                arrived_at=datetime.fromisoformat(r["arrived_at"]),
                kiosk_clock=datetime.fromisoformat(r["kiosk_clock"]),
                flags=json.loads(r["flags"]),
                priority=bool(r["priority"]),
                status=r["status"],
                visit_id=r["visit_id"],
                error=r["error"],
            )
            for r in self._read(f"SELECT * FROM checkin {where}")
        ]

    def mark_sent(self, entry_id: int, visit_id: int, at: datetime) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE checkin SET status = 'sent', visit_id = ?, sent_at = ?, error = NULL"
                " WHERE id = ?",
                (visit_id, at.isoformat(), entry_id),
            )

    def mark_failed(self, entry_id: int, error: str) -> None:
        """The database refused it (not for want of a connection): staff must add the
        visitor by hand; it is kept, never sent again."""
        with self._write() as conn:
            conn.execute(
                "UPDATE checkin SET status = 'failed', error = ? WHERE id = ?", (error, entry_id)
            )

    # -- exit-survey answers -------------------------------------------------------------

    def add_survey(
        self,
        *,
        site: str,
        answered_at: datetime,
        ticket: str | None,
        answers: dict[str, Any],
        comment: str | None,
        language: str,
    ) -> int:
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO survey (site, answered_at, ticket, answers, comment, language)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    site,
                    answered_at.astimezone(UTC).isoformat(),
                    ticket,
                    json.dumps(answers, sort_keys=True),
                    comment,
                    language,
                ),
            )
            return int(cursor.lastrowid or 0)

    def pending_surveys(self) -> list[OfflineSurvey]:
        return [
            OfflineSurvey(
                r["id"],
                r["site"],
                datetime.fromisoformat(r["answered_at"]),
                r["ticket"],
                json.loads(r["answers"]),
                r["comment"],
                r["language"],
            )
            for r in self._read("SELECT * FROM survey WHERE status = 'pending' ORDER BY id")
        ]

    def mark_survey_sent(self, survey_id: int, at: datetime) -> None:
        with self._write() as conn:
            conn.execute(
                "UPDATE survey SET status = 'sent', sent_at = ? WHERE id = ?",
                (at.isoformat(), survey_id),
            )
