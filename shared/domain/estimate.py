"""A first, simple waiting-time estimate: the work ahead shared between the desks.

(The wait predictor of a later release replaces this with one measured on history.)
"""

from __future__ import annotations

import math


def estimate_wait_minutes(ahead: int, desks: int, mean_service_minutes: float) -> int:
    """Visitors ahead times the mean service time, divided between the desks serving them."""
    if ahead <= 0:
        return 0
    if desks <= 0:
        desks = 1
    return math.ceil(ahead * mean_service_minutes / desks)
