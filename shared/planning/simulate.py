"""A day at a One Stop Shop, simulated (SimPy): arrivals, desks, service, the charter figures.

The plain M/M/c case (Poisson arrivals at a fixed rate, exponential service,
identical desks, first come first served) is what `onestop simulate` runs with
--arrivals-per-hour/--mean-service-minutes/--desks, and what the tests check
against the Erlang C formula.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field

import simpy


@dataclass
class DayResult:
    visitors: int
    waits: list[float] = field(default_factory=list)  # minutes, of those served
    queue: list[tuple[float, int]] = field(default_factory=list)  # (minute, waiting)

    def average_wait_minutes(self) -> float:
        return statistics.fmean(self.waits) if self.waits else 0.0

    def share_within(self, minutes: float) -> float:
        if not self.waits:
            return 100.0
        return 100.0 * sum(1 for w in self.waits if w <= minutes) / len(self.waits)


def simulate_mmc(
    arrivals_per_hour: float,
    mean_service_minutes: float,
    desks: int,
    hours: float,
    seed: int,
    *,
    warm_up_hours: float = 0.0,
) -> DayResult:
    """Poisson arrivals for `hours`; waits of visitors arriving after the warm-up are kept."""
    if arrivals_per_hour <= 0 or mean_service_minutes <= 0 or desks < 1 or hours <= 0:
        raise ValueError("arrivals, service time, desks and hours must be positive")
    rng = random.Random(seed)
    env = simpy.Environment()
    counter = simpy.Resource(env, capacity=desks)
    result = DayResult(visitors=0)
    end = (warm_up_hours + hours) * 60.0
    warm_up = warm_up_hours * 60.0

    def visitor(arrived: float) -> simpy.events.ProcessGenerator:
        with counter.request() as called:
            yield called
            if arrived >= warm_up:
                result.waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(1.0 / mean_service_minutes))

    def arrivals() -> simpy.events.ProcessGenerator:
        while True:
            yield env.timeout(rng.expovariate(arrivals_per_hour / 60.0))
            if env.now >= end:
                return
            if env.now >= warm_up:
                result.visitors += 1
            env.process(visitor(env.now))

    def watch() -> simpy.events.ProcessGenerator:
        while env.now < end:
            result.queue.append((env.now, len(counter.queue)))
            yield env.timeout(5.0)

    env.process(arrivals())
    env.process(watch())
    env.run()  # until everyone who arrived has been served
    return result
