"""Blocks of ticket numbers kiosks keep for when the database cannot be reached.

While it is online, each kiosk reserves for every ticket letter, today and the next
day, a block of numbers far above the day's normal sequence (C901-C950, then
C951-C1000 for the next kiosk, ...). Offline, it issues numbers from its own
blocks, so no two kiosks, and no ticket issued online, can get the same number.

A block is carved out while the day's counter row for that letter is locked (the
same row the normal sequence takes its numbers from), so two kiosks reserving at
once get different blocks, and a normal sequence that ever reached the blocks
steps over them (`step_over`): the sequence C001, C002... itself is never broken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from .db import Tx
from .tables import block_t, counter_t

OFFLINE_FIRST = 901  # the first number a kiosk may issue offline, each day and letter
BLOCK_SIZE = 50


@dataclass(frozen=True)
class Block:
    site: str
    day: date
    letter: str
    first: int
    last: int

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and self.first <= number <= self.last


def _lock_counter(tx: Tx, site_id: int, day: date, letter: str) -> int:
    """Lock the day's counter row for a letter (creating it at 0); its last number."""
    upsert = (postgresql.insert if tx.postgres else sqlite.insert)(counter_t).values(
        site_id=site_id, day=day, letter=letter, last=0
    )
    stmt = upsert.on_conflict_do_update(
        index_elements=["site_id", "day", "letter"], set_={"last": counter_t.c.last}
    ).returning(counter_t.c.last)
    return int(tx.conn.execute(stmt).scalar_one())


def reserve(
    tx: Tx,
    site_id: int,
    site_code: str,
    day: date,
    letter: str,
    *,
    kiosk: str,
    holder: str,
    size: int = BLOCK_SIZE,
) -> Block:
    """Carve out the next free block of a day and letter for a kiosk."""
    issued = _lock_counter(tx, site_id, day, letter)
    top = tx.conn.execute(
        select(block_t.c.last_number)
        .where(block_t.c.site_id == site_id, block_t.c.day == day, block_t.c.letter == letter)
        .order_by(block_t.c.last_number.desc())
        .limit(1)
    ).scalar()
    first = max(OFFLINE_FIRST, (top or 0) + 1, issued + 1)
    last = first + size - 1
    tx.conn.execute(
        insert(block_t).values(
            site_id=site_id,
            day=day,
            letter=letter,
            first_number=first,
            last_number=last,
            kiosk=kiosk[:60],
            holder=holder,
            reserved_at=tx.now,
        )
    )
    return Block(site_code, day, letter, first, last)


def block_of(tx: Tx, site_id: int, day: date, letter: str, number: int) -> tuple[str, str] | None:
    """Which kiosk (name, holder) a number of a day and letter was reserved for."""
    row = tx.conn.execute(
        select(block_t.c.kiosk, block_t.c.holder).where(
            block_t.c.site_id == site_id,
            block_t.c.day == day,
            block_t.c.letter == letter,
            block_t.c.first_number <= number,
            block_t.c.last_number >= number,
        )
    ).first()
    return None if row is None else (row.kiosk, row.holder)


def step_over(tx: Tx, site_id: int, day: date, letter: str, number: int) -> int:
    """The normal sequence's next number, past any block kiosks hold (the counter row is
    locked by the caller's upsert); the counter is moved on to it."""
    start = number
    while True:
        top = tx.conn.execute(
            select(block_t.c.last_number).where(
                block_t.c.site_id == site_id,
                block_t.c.day == day,
                block_t.c.letter == letter,
                block_t.c.first_number <= number,
                block_t.c.last_number >= number,
            )
        ).scalar()
        if top is None:
            break
        number = int(top) + 1
    if number != start:
        tx.conn.execute(
            update(counter_t)
            .where(
                counter_t.c.site_id == site_id,
                counter_t.c.day == day,
                counter_t.c.letter == letter,
            )
            .values(last=number)
        )
    return number
