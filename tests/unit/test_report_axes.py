"""Chart axes count in whole numbers, a few ticks whatever the peak."""

import pytest

from shared.reports.render import tick_step


@pytest.mark.parametrize(
    ("peak", "step"),
    [(0, 1), (3, 1), (6, 1), (7, 2), (12, 2), (13, 5), (30, 5), (31, 10), (600, 100)],
)
def test_count_ticks_are_whole_numbers(peak: int, step: int) -> None:
    assert tick_step(peak) == step
