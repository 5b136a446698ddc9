"""Erlang C: the M/M/c queue worked out exactly, to check the simulation against.

Arrivals at rate λ (Poisson), service times exponential with mean 1/μ, c desks,
first come first served. With offered load a = λ/μ and utilisation ρ = a/c < 1:

    P(wait > 0) = C(c, a) = (a^c / c!) / (1 - ρ) / (Σ_{k<c} a^k / k! + (a^c / c!) / (1 - ρ))
    mean wait   = C(c, a) / (c μ - λ)
    P(wait ≤ t) = 1 - C(c, a) · exp(-(c μ - λ) t)
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ErlangC:
    arrivals_per_hour: float
    mean_service_minutes: float
    desks: int

    def __post_init__(self) -> None:
        if self.arrivals_per_hour <= 0 or self.mean_service_minutes <= 0 or self.desks < 1:
            raise ValueError("arrivals, service time and desks must be positive")
        if self.utilisation >= 1:
            raise ValueError(
                f"the desks cannot keep up (utilisation {self.utilisation:.2f}): "
                "the queue grows forever"
            )

    @property
    def arrival_rate(self) -> float:  # per minute
        return self.arrivals_per_hour / 60.0

    @property
    def service_rate(self) -> float:  # per minute, per desk
        return 1.0 / self.mean_service_minutes

    @property
    def load(self) -> float:
        return self.arrival_rate / self.service_rate

    @property
    def utilisation(self) -> float:
        return self.load / self.desks

    def probability_of_waiting(self) -> float:
        a, c = self.load, self.desks
        top = a**c / math.factorial(c) / (1 - self.utilisation)
        bottom = sum(a**k / math.factorial(k) for k in range(c)) + top
        return top / bottom

    def mean_wait_minutes(self) -> float:
        return self.probability_of_waiting() / (self.desks * self.service_rate - self.arrival_rate)

    def share_within(self, minutes: float) -> float:
        """Share of visitors who wait no longer than `minutes`."""
        decay = self.desks * self.service_rate - self.arrival_rate
        return 1 - self.probability_of_waiting() * math.exp(-decay * minutes)
