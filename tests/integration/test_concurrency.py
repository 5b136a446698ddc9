"""Eight desks call and four kiosks check in at the same moment, as separate processes.

After the rush: nobody was called twice, nobody was lost, no ticket number was
issued twice, every desk called only services it deals with, and within each
service visitors were first called in arrival order.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
from collections import Counter, defaultdict

import pytest
from sqlalchemy import func, select

from shared.office import Office
from shared.store import Database
from shared.store.tables import event_t, visit_t
from tests.integration import workers

KIOSKS = 4
PER_KIOSK = 60
DESKS = ["Desk 1", "Desk 2", "Desk 3", "Desk 4", "Desk 5", "Desk 6", "Desk 7", "Interview Room 1"]


def run_rush(url: str) -> tuple[list, dict[str, list]]:
    db = Database(url)
    Office(db).ensure_default_sites()
    db.dispose()

    context = multiprocessing.get_context("spawn")
    start = context.Event()
    kiosks_done = context.Event()
    results = context.Queue()
    kiosk_procs = [
        context.Process(target=workers.kiosk, args=(url, "bootle", PER_KIOSK, seed, start, results))
        for seed in range(KIOSKS)
    ]
    desk_procs = [
        context.Process(
            target=workers.desk, args=(url, "bootle", name, start, kiosks_done, results)
        )
        for name in DESKS
    ]
    for process in kiosk_procs + desk_procs:
        process.start()
    start.set()
    issued: list = []
    calls: dict[str, list] = {}
    try:
        for _ in kiosk_procs:
            kind, _seed, rows = results.get(timeout=300)
            assert kind == "kiosk"
            issued += rows
        kiosks_done.set()
        for _ in desk_procs:
            kind, name, rows = results.get(timeout=300)
            assert kind == "desk"
            calls[name] = rows
    except queue_module.Empty:
        pytest.fail("a worker process did not report back in time")
    finally:
        for process in kiosk_procs + desk_procs:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    assert all(p.exitcode == 0 for p in kiosk_procs + desk_procs)
    return issued, calls


def test_many_desks_and_kiosks_at_once(db_url: str) -> None:
    issued, calls = run_rush(db_url)

    # Every check-in the kiosks were told about is there, once.
    assert len(issued) == KIOSKS * PER_KIOSK
    issued_ids = {visit_id for visit_id, _, _ in issued}
    assert len(issued_ids) == len(issued)

    db = Database(db_url)
    office = Office(db)
    site = office.site("bootle")
    try:
        with db.transaction(write=False) as tx:
            rows = tx.conn.execute(select(visit_t)).all()
            called_events = dict(
                tx.conn.execute(
                    select(event_t.c.visit_id, func.count())
                    .where(event_t.c.action == "called")
                    .group_by(event_t.c.visit_id)
                ).all()
            )
    finally:
        db.dispose()

    assert {r.id for r in rows} == issued_ids, "visits lost or invented"
    tickets = Counter((r.ticket_day, r.ticket) for r in rows)
    assert max(tickets.values()) == 1, "a ticket number was issued twice"
    assert {r.ticket for r in rows} == {ticket for _, ticket, _ in issued}

    # Nobody called twice: each visit's single call event, one desk's result only.
    all_calls = [(visit_id, name) for name, rows_ in calls.items() for visit_id, *_ in rows_]
    assert len(all_calls) == len({visit_id for visit_id, _ in all_calls}), (
        "a visit was called twice"
    )
    assert set(called_events.values()) == {1}
    # Everyone was called (the desks ran until the queue was empty).
    assert {visit_id for visit_id, _ in all_calls} == issued_ids
    by_id = {r.id: r for r in rows}
    for name, rows_ in calls.items():
        desk = site.desk(name)
        for visit_id, _ticket, service, _at, _span in rows_:
            assert desk.serves(service), f"{name} called {service}"
            assert by_id[visit_id].first_called_at is not None

    # Within a service and class, first calls follow arrival order. On SQLite the
    # writers are serialised (BEGIN IMMEDIATE), so the order is exact. On
    # PostgreSQL desks call in parallel (SKIP LOCKED): a visitor being called by one
    # desk is skipped by another, so an earlier arrival may be called after a later
    # one only when the two calls were under way at the same time.
    span = {visit_id: s for rows_ in calls.values() for visit_id, *_, s in rows_}
    at_once = not db_url.startswith("sqlite")
    groups: dict[tuple[str, int], list] = defaultdict(list)
    for row in rows:
        groups[(row.service, row.rank_class)].append(row)
    inversions = []
    for members in groups.values():
        members.sort(key=lambda r: (r.rank_at, r.arrived_at, r.id))
        for index, earlier in enumerate(members):
            for later in members[index + 1 :]:
                if later.first_called_at >= earlier.first_called_at:
                    continue
                one, other = span[earlier.id], span[later.id]
                if not (at_once and one[0] < other[1] and other[0] < one[1]):
                    inversions.append((earlier.ticket, later.ticket))
    assert not inversions, f"called before someone who arrived earlier: {inversions}"


def test_two_processes_migrate_a_new_database_at_once(db_url: str) -> None:
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_open_database, args=(db_url,)) for _ in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0, 0, 0]


def _open_database(url: str) -> None:
    db = Database(url)
    Office(db).ensure_default_sites()
    db.dispose()
