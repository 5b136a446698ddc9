"""The simple waiting-time estimate: the work ahead shared between the desks."""

from __future__ import annotations

from shared.domain.estimate import estimate_wait_minutes


def test_nobody_ahead_is_no_wait() -> None:
    assert estimate_wait_minutes(0, 3, 10) == 0


def test_the_work_ahead_is_shared_between_the_desks_and_rounded_up() -> None:
    assert estimate_wait_minutes(3, 3, 10) == 10
    assert estimate_wait_minutes(4, 3, 10) == 14


def test_no_desk_open_counts_as_one() -> None:
    assert estimate_wait_minutes(2, 0, 10) == 20
