"""Ticket numbers: the service's letter and three digits, from 001 each day.

The counter is per site, per local day and per letter (A001, A002, ... B001); the
store hands out the sequence numbers atomically. Past 999 in a day the number
simply grows a digit (A1000), so it stays unique.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .errors import DomainError, quoted

TICKET = re.compile(r"^([A-Z])(\d{3,})$")


def format_ticket(letter: str, sequence: int) -> str:
    if sequence < 1:
        raise DomainError("ticket sequence numbers start at 1")
    return f"{letter}{sequence:03d}"


def parse_ticket(text: str) -> tuple[str, int]:
    """'a23' or 'A023' -> ('A', 23); raises DomainError for anything else."""
    cleaned = text.strip().upper().replace(" ", "")
    match = re.match(r"^([A-Z])(\d{1,6})$", cleaned)
    if not match:
        raise DomainError(f"{quoted(text)} is not a ticket number (a letter and digits, like A023)")
    return match.group(1), int(match.group(2))


def normalise_ticket(text: str) -> str:
    letter, number = parse_ticket(text)
    return format_ticket(letter, number)


def spoken_ticket(ticket: str) -> str:
    """'A023' -> 'A 0 2 3': read out character by character."""
    return " ".join(ticket)


def ticket_day(moment: datetime, timezone: str) -> date:
    """The site's local calendar day of a moment (numbers restart at local midnight)."""
    if moment.tzinfo is None:
        raise DomainError("times must carry their time zone")
    return moment.astimezone(ZoneInfo(timezone)).date()
