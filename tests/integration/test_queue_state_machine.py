"""The real queue (Office over a real database) against a model built on the domain.

A hypothesis state machine checks visitors in, greets, calls, serves, parks,
transfers and lets them leave, in any order, and after every step checks that
the store agrees with the model: the same visitor called by `call_next` as the
pure policy function picks, nobody called twice, nobody lost, no duplicate ticket,
no desk calling a service it does not serve, no appointment called before its
window, and the kept waiting counts equal to a recount.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import func, select, text

from shared.domain import Outcome, OutcomeKind, State, Visit, choose_next, policy_for
from shared.office import Office
from shared.store import Database
from shared.store.repository import WAITING_STATES
from shared.store.tables import count_t, visit_t

SITE = """
[site]
code = "testshop"
name = "Test One Stop Shop"
council = "Test Council"

[targets]
appointment_window_minutes_before = 5

[[services]]
code = "council-tax"
name = "Council Tax"
letter = "C"

[[services]]
code = "housing-benefit"
name = "Housing Benefit"
letter = "H"

[[services]]
code = "parking"
name = "Parking"
letter = "P"

[[services]]
code = "elas"
name = "ELAS"
letter = "E"
prioritised = true

[[services]]
code = "social-care"
name = "Social Care"
letter = "S"
prioritised = true

[[desks]]
name = "Desk 1"
services = ["council-tax", "parking"]

[[desks]]
name = "Desk 2"
services = ["council-tax", "housing-benefit", "elas"]

[[desks]]
name = "Room 1"
services = ["elas", "social-care", "housing-benefit"]
"""

SERVICES = ["council-tax", "housing-benefit", "parking", "elas", "social-care"]
DESKS = ["Desk 1", "Desk 2", "Room 1"]


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def parse(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment) if moment else None


class QueueMachine(RuleBasedStateMachine):
    url_factory: object = None  # set by each test: () -> (url, cleanup)
    movable_clock = True

    def __init__(self) -> None:
        super().__init__()
        self.url, self.cleanup = self.url_factory()  # type: ignore[operator]
        if self.movable_clock:
            self.clock: FakeClock | None = FakeClock(datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
            self.db = Database(self.url, clock=self.clock)
        else:
            self.clock = None
            self.db = Database(self.url)
        self.office = Office(self.db)
        self.site = self.office.load_site(SITE)
        self.policy = policy_for(self.site)
        self.model: dict[int, Visit] = {}
        self.called_services: list[tuple[str, str]] = []

    def teardown(self) -> None:
        self.db.dispose()
        self.cleanup()

    # -- helpers ----------------------------------------------------------------

    def now(self) -> datetime:
        return self.clock.now if self.clock else datetime.now(UTC)

    def holding(self, desk: str, states: set[State]) -> Visit | None:
        held = [v for v in self.model.values() if v.desk == desk and v.state in states]
        assert len(held) <= 1 or states == {State.PARKED}
        return held[0] if held else None

    def in_state(self, *states: State) -> list[Visit]:
        return sorted(
            (v for v in self.model.values() if v.state in states), key=lambda v: v.id or 0
        )

    def mirror(self, result_visit: Visit) -> None:
        """The store's answer after an action is the model's new truth, once checked."""
        model = self.model[result_visit.id or 0]
        assert model.state == result_visit.state
        assert model.service == result_visit.service
        assert model.desk == result_visit.desk
        self.model[result_visit.id or 0] = result_visit

    # -- rules --------------------------------------------------------------------

    @rule(service=st.sampled_from(SERVICES), priority=st.booleans())
    def check_in(self, service: str, priority: bool) -> None:
        result = self.office.checkin("testshop", service, priority=priority)
        visit = Visit(
            id=result.visit_id,
            site="testshop",
            service=service,
            ticket=result.ticket,
            arrived_at=parse(result.arrived_at),  # type: ignore[arg-type]
            priority=priority,
        )
        assert result.visit_id not in self.model
        self.model[result.visit_id] = visit

    @rule(service=st.sampled_from(SERVICES), offset=st.sampled_from([-30, -10, -2, 12, 25, 60]))
    def check_in_appointment(self, service: str, offset: int) -> None:
        booked = self.office.add_appointment(
            "testshop", service, self.now() + timedelta(minutes=offset)
        )
        result = self.office.checkin("testshop", appointment=booked["ref"])
        self.model[result.visit_id] = Visit(
            id=result.visit_id,
            site="testshop",
            service=service,
            ticket=result.ticket,
            arrived_at=parse(result.arrived_at),  # type: ignore[arg-type]
            appointment_at=parse(booked["at"]),
        )

    @precondition(lambda self: self.clock is not None)
    @rule(minutes=st.integers(0, 20))
    def advance(self, minutes: int) -> None:
        assert self.clock is not None
        if self.clock.now < datetime(2026, 3, 10, 20, 0, tzinfo=UTC):
            self.clock.now += timedelta(minutes=minutes)

    @rule(data=st.data())
    def greet(self, data: st.DataObject) -> None:
        waiting = self.in_state(State.CHECKED_IN)
        if not waiting:
            return
        visit = data.draw(st.sampled_from(waiting))
        self.mirror_expected(
            visit, lambda v, at: v.greet(at), lambda: self.office.greet("testshop", visit.ticket)
        )

    @rule(desk=st.sampled_from(DESKS))
    def call_next(self, desk: str) -> None:
        before_call = self.now()
        result = self.office.call_next("testshop", desk)
        after_call = self.now()
        current = self.holding(desk, {State.CALLED, State.SERVING})
        if current is not None:
            assert result.closed == current.ticket
            current.close_unrecorded(parse(result.called_at) or after_call)
        else:
            assert result.closed is None
        desk_obj = self.site.desk(desk)
        waiting = self.in_state(State.CHECKED_IN, State.GREETED)
        expected = choose_next(
            waiting, desk_obj, before_call, self.site.prioritised_services, self.policy
        )
        if self.clock is None and expected is None:
            # The server's clock moved on between our reading and the call: an
            # appointment window may have opened in between.
            expected = choose_next(
                waiting, desk_obj, after_call, self.site.prioritised_services, self.policy
            )
        if expected is None:
            assert result.ticket is None, f"{desk} called {result.ticket}, expected nobody"
            return
        assert result.ticket == expected.ticket, (
            f"{desk} called {result.ticket}, the policy says {expected.ticket}"
        )
        called_at = parse(result.called_at)
        assert called_at is not None
        if expected.appointment_at is not None:
            assert expected.appointment_at - self.policy.window <= called_at
        expected.call(desk, called_at)
        self.called_services.append((desk, expected.service))

    def mirror_expected(self, visit: Visit, model_step, store_step) -> None:  # type: ignore[no-untyped-def]
        expected = deepcopy(visit)
        result = store_step()
        model_step(expected, self.now())
        assert result.state == expected.state
        self.model[visit.id or 0] = result

    def desk_action(self, desk: str, states: set[State], step, store) -> None:  # type: ignore[no-untyped-def]
        visit = self.holding(desk, states)
        if visit is None:
            return
        result = store(desk)
        expected = deepcopy(visit)
        step(expected)
        assert (result.ticket, result.state, result.service) == (
            expected.ticket,
            expected.state,
            expected.service,
        )
        self.model[visit.id or 0] = result

    @rule(desk=st.sampled_from(DESKS))
    def start(self, desk: str) -> None:
        self.desk_action(
            desk,
            {State.CALLED},
            lambda v: v.start(self.now()),
            lambda d: self.office.start("testshop", desk=d),
        )

    @rule(desk=st.sampled_from(DESKS))
    def recall(self, desk: str) -> None:
        self.desk_action(
            desk,
            {State.CALLED},
            lambda v: v.recall(self.now()),
            lambda d: self.office.recall("testshop", desk=d),
        )

    @rule(desk=st.sampled_from(DESKS), kind=st.sampled_from(list(OutcomeKind)))
    def finish(self, desk: str, kind: OutcomeKind) -> None:
        outcome = Outcome(
            kind, "Revenues" if kind in (OutcomeKind.REFERRED, OutcomeKind.AVOIDABLE) else ""
        )
        self.desk_action(
            desk,
            {State.SERVING},
            lambda v: v.finish(outcome, self.now()),
            lambda d: self.office.finish("testshop", outcome, desk=d),
        )

    @rule(desk=st.sampled_from(DESKS))
    def no_show(self, desk: str) -> None:
        self.desk_action(
            desk,
            {State.CALLED},
            lambda v: v.no_show(self.now()),
            lambda d: self.office.no_show("testshop", desk=d),
        )

    @rule(desk=st.sampled_from(DESKS))
    def park(self, desk: str) -> None:
        self.desk_action(
            desk,
            {State.CALLED, State.SERVING},
            lambda v: v.park(self.now()),
            lambda d: self.office.park("testshop", desk=d),
        )

    @rule(desk=st.sampled_from(DESKS), to=st.sampled_from(SERVICES))
    def transfer(self, desk: str, to: str) -> None:
        self.desk_action(
            desk,
            {State.CALLED, State.SERVING},
            lambda v: v.transfer(self.now(), service=to),
            lambda d: self.office.transfer("testshop", desk=d, to_service=to),
        )

    @rule(data=st.data())
    def unpark(self, data: st.DataObject) -> None:
        parked = self.in_state(State.PARKED)
        if not parked:
            return
        visit = data.draw(st.sampled_from(parked))
        result = self.office.return_to_queue("testshop", visit.ticket)
        assert result.state == State.GREETED and result.arrived_at == visit.arrived_at
        self.model[visit.id or 0] = result

    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        waiting = self.in_state(State.CHECKED_IN, State.GREETED)
        if not waiting:
            return
        visit = data.draw(st.sampled_from(waiting))
        result = self.office.leave("testshop", visit.ticket)
        assert result.state == State.LEFT
        self.model[visit.id or 0] = result

    # -- invariants ------------------------------------------------------------------

    @invariant()
    def store_matches_model(self) -> None:
        with self.db.transaction(write=False) as tx:
            rows = tx.conn.execute(
                select(
                    visit_t.c.id,
                    visit_t.c.ticket,
                    visit_t.c.ticket_day,
                    visit_t.c.state,
                    visit_t.c.service,
                    visit_t.c.desk,
                )
            ).all()
            assert {r.id for r in rows} == set(self.model), "a visit was lost or invented"
            for row in rows:
                model = self.model[row.id]
                assert (row.ticket, row.state, row.service) == (
                    model.ticket,
                    model.state.value,
                    model.service,
                )
            tickets = Counter((r.ticket_day, r.ticket) for r in rows)
            assert max(tickets.values(), default=1) == 1, "duplicate ticket number"
            active = Counter(r.desk for r in rows if r.state in ("called", "serving"))
            assert max(active.values(), default=1) == 1, "a desk holds two visitors"

            kept = {
                (s, k): n
                for s, k, n in tx.conn.execute(
                    select(count_t.c.service, count_t.c.rank_class, count_t.c.waiting)
                ).all()
                if n
            }
            recount = {
                (s, k): n
                for s, k, n in tx.conn.execute(
                    select(visit_t.c.service, visit_t.c.rank_class, func.count())
                    .where(visit_t.c.state.in_(WAITING_STATES))
                    .group_by(visit_t.c.service, visit_t.c.rank_class)
                ).all()
            }
            assert kept == recount, "waiting counts drifted from the visits"

        for desk, service in self.called_services:
            assert self.site.desk(desk).serves(service)


def _sqlite_factory(tmp_root: Path):  # type: ignore[no-untyped-def]
    def make() -> tuple[str, object]:
        folder = Path(tempfile.mkdtemp(dir=tmp_root))
        return f"sqlite:///{folder}/queue.db", lambda: None

    return make


def test_queue_state_machine_on_sqlite(tmp_path: Path) -> None:
    QueueMachine.url_factory = staticmethod(_sqlite_factory(tmp_path))  # type: ignore[assignment]
    QueueMachine.movable_clock = True
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        QueueMachine,
        settings=settings(
            max_examples=100,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


@pytest.mark.postgres
def test_queue_state_machine_on_postgres(postgres_server) -> None:  # type: ignore[no-untyped-def]
    def make() -> tuple[str, object]:
        name = postgres_server.create_database("sm")
        return postgres_server.url(name), lambda: postgres_server.drop_database(name)

    QueueMachine.url_factory = staticmethod(make)  # type: ignore[assignment]
    QueueMachine.movable_clock = False
    from hypothesis.stateful import run_state_machine_as_test

    run_state_machine_as_test(
        QueueMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_server_clock_helper_reads_aware_time(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    try:
        with db.transaction(write=False) as tx:
            assert tx.now.tzinfo is not None
            assert tx.conn.execute(text("SELECT 1")).scalar() == 1
    finally:
        db.dispose()
