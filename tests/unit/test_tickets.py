"""Ticket numbers: a letter and three digits from 001 each local day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from shared.domain import DomainError
from shared.domain.tickets import (
    format_ticket,
    normalise_ticket,
    parse_ticket,
    spoken_ticket,
    ticket_day,
)

LONDON = "Europe/London"


@pytest.mark.parametrize(
    ("letter", "sequence", "ticket"),
    [
        ("A", 1, "A001"),
        ("A", 23, "A023"),
        ("C", 999, "C999"),
        ("A", 1000, "A1000"),
        ("Z", 123456, "Z123456"),
    ],
)
def test_format(letter: str, sequence: int, ticket: str) -> None:
    assert format_ticket(letter, sequence) == ticket
    assert parse_ticket(ticket) == (letter, sequence)  # the two agree


@pytest.mark.parametrize("sequence", [0, -1])
def test_numbers_start_at_one(sequence: int) -> None:
    with pytest.raises(DomainError, match="start at 1"):
        format_ticket("A", sequence)


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("A023", ("A", 23)),
        ("a23", ("A", 23)),
        (" a23 ", ("A", 23)),
        ("A 023", ("A", 23)),
        ("c7", ("C", 7)),
        ("B000123", ("B", 123)),
        ("A1000", ("A", 1000)),
        ("A023\n", ("A", 23)),
    ],
)
def test_parse_is_forgiving_about_case_spaces_and_zeros(typed: str, parsed: tuple) -> None:
    assert parse_ticket(typed) == parsed


@pytest.mark.parametrize(
    "bad", ["", "   ", "23", "A", "AB12", "A-12", "12A", "A1234567", "A12B", "Ä12", "A1.5"]
)
def test_parse_refuses_anything_else(bad: str) -> None:
    with pytest.raises(DomainError, match="is not a ticket number"):
        parse_ticket(bad)


@pytest.mark.parametrize(
    ("typed", "ticket"), [("c7", "C007"), (" a 23", "A023"), ("A0001", "A001"), ("b1000", "B1000")]
)
def test_normalise(typed: str, ticket: str) -> None:
    assert normalise_ticket(typed) == ticket
    assert normalise_ticket(ticket) == ticket  # idempotent


def test_normalise_refuses_number_zero() -> None:
    with pytest.raises(DomainError):
        normalise_ticket("A000")


@pytest.mark.parametrize(
    ("ticket", "spoken"), [("A023", "A 0 2 3"), ("C100", "C 1 0 0"), ("B1000", "B 1 0 0 0")]
)
def test_spoken_character_by_character(ticket: str, spoken: str) -> None:
    assert spoken_ticket(ticket) == spoken


# -- the local day: numbers restart at local midnight ----------------------------------


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        # Summer (BST, UTC+1): local midnight is 23:00 UTC the day before.
        (datetime(2026, 6, 1, 22, 59, 59, 999999, tzinfo=UTC), date(2026, 6, 1)),
        (datetime(2026, 6, 1, 23, 0, tzinfo=UTC), date(2026, 6, 2)),
        (datetime(2026, 6, 1, 23, 30, tzinfo=UTC), date(2026, 6, 2)),  # 00:30 BST, 2 June
        # Winter (GMT): local midnight is UTC midnight.
        (datetime(2026, 12, 1, 23, 30, tzinfo=UTC), date(2026, 12, 1)),
        (datetime(2026, 12, 1, 23, 59, 59, tzinfo=UTC), date(2026, 12, 1)),
        (datetime(2026, 12, 2, 0, 0, tzinfo=UTC), date(2026, 12, 2)),
        # The clock-change days themselves.
        (datetime(2025, 3, 29, 23, 59, tzinfo=UTC), date(2025, 3, 29)),  # GMT still
        (datetime(2025, 3, 30, 1, 30, tzinfo=UTC), date(2025, 3, 30)),  # 02:30 BST
        (datetime(2025, 3, 30, 23, 0, tzinfo=UTC), date(2025, 3, 31)),  # BST midnight
        (datetime(2025, 10, 25, 23, 0, tzinfo=UTC), date(2025, 10, 26)),  # BST midnight
        (datetime(2025, 10, 26, 1, 30, tzinfo=UTC), date(2025, 10, 26)),  # 01:30 GMT
        (datetime(2025, 10, 26, 23, 59, tzinfo=UTC), date(2025, 10, 26)),  # GMT again
        # Given in another zone: the site's zone decides.
        (datetime(2026, 6, 2, 0, 30, tzinfo=timezone(timedelta(hours=1))), date(2026, 6, 2)),
        (datetime(2026, 6, 1, 19, 30, tzinfo=timezone(timedelta(hours=-4))), date(2026, 6, 2)),
    ],
)
def test_ticket_day_is_the_sites_local_day(moment: datetime, day: date) -> None:
    assert ticket_day(moment, LONDON) == day


def test_ticket_day_follows_the_sites_zone() -> None:
    moment = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    assert ticket_day(moment, "UTC") == date(2026, 6, 1)
    assert ticket_day(moment, "Europe/London") == date(2026, 6, 2)
    assert ticket_day(moment, "America/New_York") == date(2026, 6, 1)
    assert ticket_day(moment.astimezone(ZoneInfo("Asia/Tokyo")), LONDON) == date(2026, 6, 2)


def test_ticket_day_refuses_naive_times() -> None:
    with pytest.raises(DomainError, match="time zone"):
        ticket_day(datetime(2026, 6, 1, 23, 30), LONDON)
