"""How long will this visitor wait? The wait predictor, and the naive estimates it must beat.

Ibrahim and Whitt's queue-length predictor ("Real-time delay estimation based on
delay history", 2009; "Wait-time predictors for customer service systems with
time-varying demand and capacity", 2011) says the n-th visitor in line behind s
busy servers of rate μ waits (n + 1) / (s μ) on average, and that with capacity
changing over the day it must count the servers actually at work. They find it
beats the delay-history predictors (the wait of the last visitor called) whenever
the queue's state is known. A One Stop Shop breaks the textbook queue's
assumptions, so instead of the formula the predictor plays the queue forward:

- each open desk calls, in turn, the best-ranked visitor it deals with (the site's
  queue policy), so visitors ahead for services only other desks deal with do not
  hold this one up, and a desk shared between services is shared in the right order;
- each visitor takes a service time drawn around the mean for their service at
  this hour of the day (learned from recent visits);
- desks dealing with someone free up after the rest of that visit, desks on a break
  come back when the break ends;
- appointments whose time comes, and priority visitors who arrive meanwhile, are
  called first when they arrive.

It plays the queue forward `runs` times with different service times and answers
the median of the waits found: the wait this visitor is as likely to beat as not,
which is also the estimate with the smallest mean absolute error. With one
service, identical desks and exponential times it agrees with the formula above
(tests/unit/test_predict.py). Everything here is arithmetic: the store gathers the
snapshot.
"""

from __future__ import annotations

import bisect
import heapq
import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

HORIZON_MINUTES = 8 * 60.0  # nobody is told they will wait longer than a day
MAX_OVERTAKERS = 60  # later arrivals played per service (hours of a busy priority line)


@dataclass(frozen=True, order=True)
class Waiter:
    """A visitor who will be called before this one. `rank` orders them as the queue
    policy does: (class number, minutes from now of the time they rank by, a tie-break);
    `arrives_in` is 0 for one waiting now, else the minutes until they arrive."""

    rank: tuple[float, float, float]
    service: str = field(compare=False)
    arrives_in: float = field(default=0.0, compare=False)
    desk: str | None = field(default=None, compare=False)  # only this desk may call them


@dataclass(frozen=True)
class DeskNow:
    """An open desk: free now (`free_in` 0), dealing with someone (`busy`: expected
    minutes left), or on a break (minutes until it is back)."""

    name: str
    services: frozenset[str]
    free_in: float = 0.0
    busy: bool = False


@dataclass(frozen=True)
class Snapshot:
    """What the queue looks like at the moment a visitor (of `service`) joins it."""

    service: str
    ahead: tuple[Waiter, ...]  # waiting now and ranked before this visitor
    desks: tuple[DeskNow, ...]
    minutes: Mapping[str, float]  # mean service time per service, now
    later: tuple[Waiter, ...] = ()  # booked appointments that will be called first
    overtaking: Mapping[str, float] = field(default_factory=dict)  # per minute, per service
    overtaking_class: float = 1.0  # the rank class they join (priority, in the default order)
    beyond: int = 0  # more visitors ahead than listed in `ahead` (a very long queue)
    spread: float = 0.8  # coefficient of variation of service times


def predict_wait(snapshot: Snapshot, runs: int = 41, seed: int = 0) -> float:
    """The median wait in minutes, from now until this visitor is called (inf when no
    desk that is open, or coming back from a break, deals with their service)."""
    desks = list(snapshot.desks)
    if not any(snapshot.service in d.services for d in desks):
        return math.inf
    served = set().union(*(d.services for d in desks))
    present = sorted(w for w in snapshot.ahead if w.service in served)
    future = sorted(
        [w for w in snapshot.later if w.service in served] + list(_overtakers(snapshot, served)),
        key=lambda w: w.arrives_in,
    )
    if len(present) > 20:  # a long line: its wait varies less, fewer runs tell it as well
        runs = min(runs, 21 if len(present) <= 60 else 11)
    wait = statistics.median(
        _play(snapshot, desks, present, future, seed * 1_000_003 + run) for run in range(runs)
    )
    if snapshot.beyond:  # the unlisted rest of a very long line, at the pace of the listed
        wait *= (len(present) + 1 + snapshot.beyond) / (len(present) + 1)
    return min(wait, HORIZON_MINUTES)


def _overtakers(snapshot: Snapshot, served: set[str]) -> Iterable[Waiter]:
    """Later arrivals who go first (priority ones, for a walk-in), spread evenly at their
    expected rate; ranked among themselves by arrival, all before this visitor."""
    for service, rate in snapshot.overtaking.items():
        if rate <= 0 or service not in served:
            continue
        step = 1.0 / rate
        moment, index = step / 2, 0
        while moment < HORIZON_MINUTES and index < MAX_OVERTAKERS:
            yield Waiter((snapshot.overtaking_class, moment, 1e9 + index), service, moment)
            moment += step
            index += 1


def _play(
    snapshot: Snapshot,
    desks: list[DeskNow],
    present: list[Waiter],
    future: list[Waiter],
    run: int,
) -> float:
    """One run of the queue played forward: the moment this visitor is called.

    Each desk draws its service times from a stream of its own, so that in a run a
    desk's k-th visitor always takes the same share of their mean whatever the other
    desks do: one more visitor ahead can only make the wait longer (common random
    numbers)."""
    sigma = math.sqrt(math.log(1 + snapshot.spread**2))
    own = snapshot.minutes.get(snapshot.service, 10.0)
    drawn = [0] * len(desks)

    def draw(index: int) -> float:
        drawn[index] += 1
        return _uniform(run, index, drawn[index])

    def service_time(index: int, service: str) -> float:
        mean = snapshot.minutes.get(service, own)
        if snapshot.spread >= 0.999:  # as spread as exponential times: take exponential ones
            return -mean * math.log(1 - draw(index))
        return math.exp(math.log(mean) - sigma**2 / 2 + sigma * _NORMAL.inv_cdf(draw(index)))

    # Waiting now, per service, in calling order, as (rank, desk kept for) tuples that
    # compare fast; the future joins them as it arrives.
    queues: dict[str, list[tuple[tuple[float, float, float], str | None]]] = {}
    for waiter in present:
        queues.setdefault(waiter.service, []).append((waiter.rank, waiter.desk))
    arrivals = [(w.arrives_in, w.service, w.rank, w.desk) for w in future]
    arrived = 0
    free: list[tuple[float, int]] = []
    for index, desk in enumerate(desks):
        start = desk.free_in
        if desk.busy and start > 0:  # the rest of the visit in hand: it may end any moment
            start = -start * math.log(1 - draw(index))
        free.append((start, index))
    heapq.heapify(free)
    while free:
        moment, index = heapq.heappop(free)
        if moment >= HORIZON_MINUTES:
            return HORIZON_MINUTES
        while arrived < len(arrivals) and arrivals[arrived][0] <= moment:
            _at, service, rank, kept = arrivals[arrived]
            bisect.insort(queues.setdefault(service, []), (rank, kept))
            arrived += 1
        desk = desks[index]
        chosen: tuple[tuple[float, float, float], str | None] | None = None
        chosen_service = ""
        for service in desk.services:
            for item in queues.get(service, ()):
                if item[1] is None or item[1] == desk.name:
                    if chosen is None or item[0] < chosen[0]:
                        chosen, chosen_service = item, service
                    break
        if chosen is None:
            if snapshot.service in desk.services:
                return moment  # nobody is ahead for this desk: it calls this visitor
            later = [a[0] for a in arrivals[arrived:] if a[1] in desk.services]
            if later:  # a desk for other services waits for its next visitor
                heapq.heappush(free, (max(later[0], moment), index))
            continue
        queues[chosen_service].remove(chosen)
        heapq.heappush(free, (moment + service_time(index, chosen_service), index))
    return HORIZON_MINUTES


_NORMAL = statistics.NormalDist()
_MASK = (1 << 64) - 1


def _uniform(run: int, desk: int, k: int) -> float:
    """A uniform number in (0, 1), the same for the same run, desk and draw (splitmix64)."""
    z = (((run << 40) ^ (desk << 24) ^ k) * 0x9E3779B97F4A7C15 + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return (z + 0.5) / 2.0**64


def queue_length_estimate(ahead: int, desks_open: int, mean_minutes: float) -> float:
    """Naive: the visitors ahead times the mean service time, shared by the desks open."""
    return ahead * mean_minutes / max(1, desks_open)


def last_called_estimate(last_wait: float | None) -> float:
    """Naive (delay history): the wait of the last visitor to be called."""
    return last_wait or 0.0


def mean_absolute_error(pairs: Iterable[tuple[float, float]]) -> float:
    errors = [abs(predicted - actual) for predicted, actual in pairs]
    return sum(errors) / len(errors) if errors else 0.0


def share_within(pairs: Iterable[tuple[float, float]], minutes: float = 5.0) -> float:
    """Percentage of visitors whose real wait was within `minutes` of the prediction."""
    hits = [abs(predicted - actual) <= minutes for predicted, actual in pairs]
    return 100.0 * sum(hits) / len(hits) if hits else 0.0
