"""Wait predictor benchmark: its accuracy against the naive estimates, on days it never saw.

    .venv/bin/python -m tests.benchmarks.predict_bench [--site bootle,southport]
        [--per-desk 25,32] [--train-days 10] [--test-days 10] [--json]

For each site and load (walk-ins a day per desk: 25 is a normal day at Bootle's ten
desks, 32 a busy one): `--train-days` simulated days (SimPy, the site's own
services, desks and queue policy, a lunchtime peak, staggered lunch breaks,
appointments) teach service times and priority arrivals; then `--test-days` days
simulated with other seeds are replayed, and every visitor's real wait (arrival to
first call) is set against what they would have been told by

- the predictor (shared/domain/predict.py),
- queue length: the visitors ahead times the service's mean time over the desks open,
- last called: the wait of the visitor called last.

Printed: mean absolute error (minutes), the share within ±5 minutes, by estimator,
also for 12:00-14:00, and the time a prediction takes (median, p95). The issue's
target: the predictor's error below both naive estimates'.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.demo import MIX
from shared.domain.predict import predict_wait
from shared.office import Office
from shared.planning.daysim import plan_from_rates, simulate_day
from shared.planning.replay import (
    ESTIMATORS,
    Learned,
    accuracy,
    replay_day,
    rota_from_breaks,
    snapshot_at,
)
from shared.store import Database

FIRST_DAY = date(2026, 3, 2)  # a Monday; weekends are skipped


def weekdays(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def simulated(site, day: date, visitors: float, seed: int):  # type: ignore[no-untyped-def]
    zone = ZoneInfo(site.timezone)
    mix = {s: n for s, n in MIX.items() if any(x.code == s for x in site.services)}
    plan = plan_from_rates(site, visitors, mix, appointments_per_hour=2, seed=seed)
    sim = simulate_day(site, day, plan, seed=seed)
    breaks = [
        (
            b.desk,
            datetime.combine(day, b.start, zone).astimezone(UTC),
            datetime.combine(day, b.start, zone).astimezone(UTC) + timedelta(minutes=b.minutes),
        )
        for b in plan.breaks
    ]
    return sim, rota_from_breaks(site, breaks)


def measure(site, visitors: float, train: int, test: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    learned = Learned()
    for index, day in enumerate(weekdays(FIRST_DAY, train)):
        sim, _rota = simulated(site, day, visitors, seed=1000 + index)
        learned.learn(site, sim.visits)
    zone = ZoneInfo(site.timezone)
    estimates, timings = [], []
    for index, day in enumerate(weekdays(FIRST_DAY + timedelta(days=60), test)):
        sim, rota = simulated(site, day, visitors, seed=5000 + index)  # unseen days
        estimates += replay_day(site, sim.visits, learned, rota)
        ordered = sorted(sim.visits, key=lambda v: v.arrived_at)
        for visit in ordered[::10]:
            snapshot = snapshot_at(site, visit, ordered, learned, rota)
            started = time.perf_counter()
            predict_wait(snapshot)
            timings.append((time.perf_counter() - started) * 1000)
    lunch = [e for e in estimates if 12 <= e.visit.arrived_at.astimezone(zone).hour < 14]
    timings.sort()
    return {
        "site": site.code,
        "visitors_per_day": visitors,
        "test_days": test,
        "all_day": accuracy(estimates).as_json(),
        "12_14": accuracy(lunch).as_json(),
        "average_wait_minutes": round(statistics.fmean(e.actual for e in estimates), 1),
        "prediction_ms": {
            "median": round(statistics.median(timings), 2),
            "p95": round(timings[int(0.95 * (len(timings) - 1))], 2),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", default="bootle,southport")
    parser.add_argument(
        "--per-desk", default="25,32", help="walk-ins a day per desk, comma-separated"
    )
    parser.add_argument("--train-days", type=int, default=10)
    parser.add_argument("--test-days", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="onestop-predict-"))
    db = Database(f"sqlite:///{folder}/sites.db")
    office = Office(db)
    office.ensure_default_sites()
    results = []
    for code in args.site.split(","):
        site = office.site(code.strip())
        for per_desk in (float(v) for v in args.per_desk.split(",")):
            visitors = per_desk * len(site.desks)
            results.append(measure(site, visitors, args.train_days, args.test_days))
    db.dispose()
    beaten = all(
        r[part]["mean_absolute_error_minutes"]["predictor"]  # type: ignore[index]
        < min(r[part]["mean_absolute_error_minutes"][n] for n in ESTIMATORS[1:])  # type: ignore[index]
        for r in results
        for part in ("all_day", "12_14")
    )
    if args.json:
        print(json.dumps({"results": results, "predictor_beats_both": beaten}))
        return 0
    for r in results:
        print(
            f"{r['site']:10} {r['visitors_per_day']:5.0f} a day, {r['test_days']} unseen days, "
            f"average wait {r['average_wait_minutes']} min; a prediction takes "
            f"{r['prediction_ms']['median']} ms (p95 {r['prediction_ms']['p95']} ms)"  # type: ignore[index]
        )
        for part, title in (("all_day", "all day"), ("12_14", "12:00-14:00")):
            figures = r[part]
            errors = figures["mean_absolute_error_minutes"]  # type: ignore[index]
            within = figures["within_5_minutes_pct"]  # type: ignore[index]
            line = "  ".join(
                f"{name} {errors[name]:5.2f} min ({within[name]:4.1f}% within 5)"
                for name in ESTIMATORS
            )
            print(f"   {title:12} MAE  {line}   ({figures['visitors']} visitors)")  # type: ignore[index]
    print(("PASS" if beaten else "FAIL") + "  the predictor's error is below both naive estimates'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
