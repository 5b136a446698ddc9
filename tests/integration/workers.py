"""Process entry points for the concurrency tests: kiosks checking in, desks calling.

Each runs in its own process (multiprocessing, spawn) with its own connections,
as the apps do in an office.
"""

from __future__ import annotations

import time
from typing import Any

SERVICES = ["council-tax", "payments", "general-enquiries", "housing-benefit", "elas", "housing"]


def kiosk(url: str, site: str, count: int, seed: int, start: Any, results: Any) -> None:
    from shared.office import Office
    from shared.store import Database

    db = Database(url)
    office = Office(db)
    start.wait()
    issued = []
    for index in range(count):
        service = SERVICES[(seed + index) % len(SERVICES)]
        result = office.checkin(site, service, priority=(index % 17 == 0))
        issued.append((result.visit_id, result.ticket, service))
    db.dispose()
    results.put(("kiosk", seed, issued))


def desk(url: str, site: str, name: str, start: Any, kiosks_done: Any, results: Any) -> None:
    from shared.office import Office
    from shared.store import Database

    db = Database(url)
    office = Office(db)
    start.wait()
    calls = []
    idle_after_done = 0
    while True:
        began = time.monotonic()  # the machine's clock, the same in every process
        result = office.call_next(site, name)
        if result.ticket is not None:
            span = (began, time.monotonic())
            calls.append((result.visit_id, result.ticket, result.service, result.called_at, span))
            idle_after_done = 0
            continue
        if kiosks_done.is_set():
            idle_after_done += 1
            if idle_after_done >= 3:
                break
        time.sleep(0.005)
    db.dispose()
    results.put(("desk", name, calls))
