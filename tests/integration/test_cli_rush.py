"""A rush through the command line, as support staff's scripts would make it: kiosks and
desks as separate `onestop ... --json` processes at once, then every visit audited
against the queue policy. On SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from shared.office import Office
from shared.store import Database
from shared.store.tables import visit_t

ONESTOP = str(Path(sys.executable).with_name("onestop"))
KIOSKS = {  # each kiosk's visitors: (service, priority)
    "Kiosk 1": [("council-tax", False), ("housing-benefit", False), ("elas", False)],
    "Kiosk 2": [("council-tax", True), ("payments", False), ("council-tax", False)],
    "Kiosk 3": [("housing-benefit", False), ("social-care", False), ("payments", False)],
    "Kiosk 4": [("council-tax", False), ("housing-benefit", True), ("payments", False)],
}
DESKS = ["Desk 1", "Desk 3", "Interview Room 1", "Interview Room 2"]
IDLE_SECONDS = 0.5  # a desk with nobody to call asks again after this


def onestop(url: str, *args: str) -> dict:
    done = subprocess.run(
        [ONESTOP, "--db", url, "--json", *args], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_kiosks_and_desks_as_processes_then_every_call_audited(db_url: str) -> None:
    office = Office(Database(db_url))
    office.ensure_default_sites()
    site = office.site("bootle")
    office.db.dispose()
    issued: list[dict] = []
    called: list[dict] = []
    kiosks_done = threading.Event()
    errors: list[BaseException] = []

    def kiosk(visitors: list[tuple[str, bool]]) -> None:
        for service, priority in visitors:
            extra = ["--priority"] if priority else []
            began = time.monotonic()
            result = onestop(db_url, "checkin", "--site", "bootle", "--service", service, *extra)
            issued.append({**result, "span": (began, time.monotonic())})

    def desk(name: str) -> None:
        idle = 0
        while idle < 2:  # after the kiosks stop: until two calls in a row find nobody
            began = time.monotonic()
            result = onestop(db_url, "call-next", "--site", "bootle", "--desk", name)
            if result["ticket"] is None:
                idle += kiosks_done.is_set()
                kiosks_done.wait(IDLE_SECONDS)
            else:
                idle = 0
                called.append({**result, "span": (began, time.monotonic())})

    def guarded(target, *args) -> None:  # type: ignore[no-untyped-def]
        try:
            target(*args)
        except BaseException as error:  # reported below, with the thread's failure
            errors.append(error)

    kiosk_threads = [
        threading.Thread(target=guarded, args=(kiosk, visitors)) for visitors in KIOSKS.values()
    ]
    desk_threads = [threading.Thread(target=guarded, args=(desk, name)) for name in DESKS]
    for thread in kiosk_threads + desk_threads:
        thread.start()
    for thread in kiosk_threads:
        thread.join(timeout=600)
    kiosks_done.set()
    for thread in desk_threads:
        thread.join(timeout=600)
    assert not errors, errors

    db = Database(db_url)
    try:
        with db.transaction(write=False) as tx:
            rows = {r.id: r for r in tx.conn.execute(select(visit_t)).all()}
    finally:
        db.dispose()
    # Every check-in is there once, with the ticket it was given; no number twice.
    assert len(issued) == sum(len(v) for v in KIOSKS.values())
    assert {i["visit_id"] for i in issued} == set(rows)
    assert max(Counter(r.ticket for r in rows.values()).values()) == 1
    assert all(rows[i["visit_id"]].ticket == i["ticket"] for i in issued)
    # Everyone was called, once, by a desk that deals with their service.
    assert sorted(c["visit_id"] for c in called) == sorted(rows)
    for call in called:
        assert site.desk(call["desk"]).serves(rows[call["visit_id"]].service)
    # The policy, visit by visit: when a desk called someone, nobody it could have
    # called ranked better and had been waiting, unless another desk's call of them was
    # under way at the same time (on PostgreSQL desks call in parallel, and a row being
    # called by one desk is skipped by the others; on SQLite calls take turns). Waiting:
    # on SQLite arrived before the call (the writers take turns); on PostgreSQL a
    # check-in is seen once it commits, which is surely so once its command has ended
    # before the call's began.
    span = {c["visit_id"]: c["span"] for c in called}
    checked_in = {i["visit_id"]: i["span"] for i in issued}
    at_once = not db_url.startswith("sqlite")

    def together(one: int, other: int) -> bool:
        return at_once and span[one][0] < span[other][1] and span[other][0] < span[one][1]

    for call in called:
        chosen = rows[call["visit_id"]]
        desk = site.desk(call["desk"])
        for other in rows.values():
            if other.id == chosen.id or not desk.serves(other.service):
                continue
            better = (other.rank_class, other.rank_at, other.id) < (
                chosen.rank_class,
                chosen.rank_at,
                chosen.id,
            )
            waiting = other.arrived_at < chosen.first_called_at and (
                not at_once or checked_in[other.id][1] < span[chosen.id][0]
            )
            if better and waiting:
                passed = other.first_called_at > chosen.first_called_at
                assert not passed or together(chosen.id, other.id), (
                    f"{call['desk']} called {chosen.ticket} while {other.ticket} waited"
                )
