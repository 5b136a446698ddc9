"""The real queue (Office over a real database) against a model built on the domain.

A hypothesis state machine checks visitors in (walk-ins, priority, appointments
booked around now), greets, calls, recalls, serves, parks, returns, transfers,
changes and lets them leave, from any desk and in any order, legal or not. The
model is a dict of domain `Visit`s moved by the domain's own transitions and the
pure `choose_next`; after every step the store must agree with it:

- `call_next` calls exactly the visitor `choose_next` picks at the call's moment;
- an action the domain refuses is refused by the Office with the same message,
  and changes nothing;
- every visit checked in is in `office.visits()`, field for field (times too,
  on SQLite, where the test owns the clock);
- no ticket number twice in a day; no desk with two visitors called or being
  served; no visit called again while called (the audit trail);
- a desk only ever holds services it deals with; no appointment called before
  its window opened;
- the kept waiting counts (`queue_count`) equal the model's waiting visitors per
  service and queue class, and `office.waiting()` lists them in policy order.

SQLite runs with a fake clock the machine moves on; PostgreSQL always takes its
own server clock, so there the clock rule is off and appointments are booked
around the server's time.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from copy import deepcopy
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select, text

from shared.domain import (
    WAITING,
    WITH_DESK,
    DomainError,
    NotFound,
    Outcome,
    OutcomeKind,
    State,
    Visit,
    choose_next,
    policy_for,
    rank,
)
from shared.domain.tickets import ticket_day
from shared.office import Office
from shared.store import Database
from shared.store.tables import count_t, event_t, visit_t

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

SHOP = "testshop"
SERVICES = ["council-tax", "housing-benefit", "parking", "elas", "social-care"]
DESKS = ["Desk 1", "Desk 2", "Room 1"]
START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # a Tuesday, 09:00 GMT
LAST_MOVE = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)  # the fake clock stops here: same day
TIME_FIELDS = (
    "arrived_at",
    "appointment_at",
    "greeted_at",
    "first_called_at",
    "called_at",
    "serving_at",
    "parked_at",
    "ended_at",
)


class FakeClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def parse(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment) if moment else None


def outcomes() -> st.SearchStrategy[Outcome]:
    return st.sampled_from(list(OutcomeKind)).map(
        lambda kind: Outcome(
            kind, "Revenues" if kind in (OutcomeKind.REFERRED, OutcomeKind.AVOIDABLE) else ""
        )
    )


class QueueMachine(RuleBasedStateMachine):
    """Subclasses say where the database is (`fresh_database`) and whose clock runs."""

    fake_clock = True
    site_loaded = False  # the fresh database already holds SITE

    def fresh_database(self) -> str:
        raise NotImplementedError

    def release_database(self) -> None:
        pass

    def __init__(self) -> None:
        super().__init__()
        url = self.fresh_database()
        self.clock = FakeClock(START) if self.fake_clock else None
        self.db = Database(url, clock=self.clock, migrate=not self.site_loaded)
        self.office = Office(self.db)
        self.site = self.office.site(SHOP) if self.site_loaded else self.office.load_site(SITE)
        self.policy = policy_for(self.site)
        self.model: dict[int, Visit] = {}
        # Visits a desk called by ticket: reception's choice may ignore an appointment's
        # window (the policy's rule is for call_next).
        self.called_by_hand: set[int] = set()

    def teardown(self) -> None:
        self.db.dispose()
        self.release_database()

    # -- helpers ----------------------------------------------------------------------

    def now(self) -> datetime:
        """The store's clock: the fake one on SQLite, the server's on PostgreSQL."""
        if self.clock is not None:
            return self.clock.now
        with self.db.engine.connect() as conn:
            return conn.execute(text("SELECT clock_timestamp()")).scalar_one().astimezone(UTC)

    def visits_in(self, *states: State) -> list[Visit]:
        wanted = set(states) or set(State)
        return sorted(
            (v for v in self.model.values() if v.state in wanted), key=lambda v: v.id or 0
        )

    def desk_target(self, desk: str) -> Visit | None:
        """The visit a desk's buttons act on: the one it has called or is serving; else
        its most recently called parked visitor."""
        active = [v for v in self.model.values() if v.desk == desk and v.state in WITH_DESK]
        current = [v for v in active if v.state is not State.PARKED]
        assert len(current) <= 1, f"{desk} holds {[v.ticket for v in current]}"
        if current:
            return current[0]
        parked = sorted(active, key=lambda v: (v.called_at, v.id or 0))
        return parked[-1] if parked else None

    def assert_same(self, store: Visit, model: Visit) -> None:
        """The store's visit equals the model's: exactly on SQLite; on PostgreSQL the
        times come from the server, so there only which times are set is compared."""
        if self.clock is not None:
            assert store == model, f"store {store}\nmodel {model}"
            return
        for name, value in vars(model).items():
            theirs = getattr(store, name)
            if name in TIME_FIELDS and name not in ("arrived_at", "appointment_at"):
                assert (theirs is None) == (value is None), (name, store, model)
            else:
                assert theirs == value, (name, store, model)

    def act(self, visit: Visit, step: Callable[[Visit, datetime], None], store: Callable) -> None:
        """Apply `step` to a copy of the model's visit and the same action to the store:
        both do it alike, or both refuse it with the same message."""
        at = self.now()
        expected = deepcopy(visit)
        try:
            step(expected, at)
        except DomainError as refused:
            with pytest.raises(DomainError) as caught:
                store()
            assert type(caught.value) is type(refused)
            assert str(caught.value) == str(refused)
            return
        result = store()
        self.assert_same(result, expected)
        self.model[visit.id or 0] = result

    def act_at_desk(self, desk: str, step: Callable[[Visit, datetime], None], store) -> None:  # type: ignore[no-untyped-def]
        target = self.desk_target(desk)
        if target is None:
            with pytest.raises(NotFound, match=f"{desk} is not dealing with anyone"):
                store()
            return
        self.act(target, step, store)

    def add(self, result, service: str, priority: bool, appointment_at: datetime | None) -> None:  # type: ignore[no-untyped-def]
        assert result.visit_id not in self.model
        assert result.service == service
        visit = Visit(
            id=result.visit_id,
            site=SHOP,
            service=service,
            ticket=result.ticket,
            arrived_at=parse(result.arrived_at),  # type: ignore[arg-type]
            priority=priority,
            appointment_at=appointment_at,
        )
        if self.clock is not None:
            assert visit.arrived_at == self.clock.now
        letter = self.site.service(service).letter
        assert result.ticket[0] == letter
        self.model[result.visit_id] = visit

    # -- reception ----------------------------------------------------------------------

    @initialize(
        visitors=st.lists(
            st.tuples(st.sampled_from(SERVICES), st.sampled_from([False, False, True])),
            max_size=6,
        )
    )
    def a_queue_at_opening(self, visitors: list[tuple[str, bool]]) -> None:
        for service, priority in visitors:
            self.check_in(service, priority)

    @rule(service=st.sampled_from(SERVICES), priority=st.sampled_from([False, False, True]))
    def check_in(self, service: str, priority: bool) -> None:
        result = self.office.checkin(SHOP, service, priority=priority)
        self.add(result, service, priority, None)

    @rule(
        service=st.sampled_from(SERVICES),
        offset=st.sampled_from([-30, -10, -5, -2, 0, 3, 5, 6, 12, 25, 60]),
    )
    def check_in_appointment(self, service: str, offset: int) -> None:
        now = self.now()
        booked_for = now + timedelta(minutes=offset)
        if ticket_day(booked_for, self.site.timezone) != ticket_day(now, self.site.timezone):
            return  # the kiosk rightly refuses a booking for another day
        booked = self.office.add_appointment(SHOP, service, booked_for)
        assert booked["status"] == "booked"
        result = self.office.checkin(SHOP, appointment=booked["ref"])
        assert parse(result.appointment_at) == booked_for
        self.add(result, service, False, booked_for)
        with pytest.raises(DomainError, match="already checked in"):
            self.office.checkin(SHOP, appointment=booked["ref"])

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def greet(self, data: st.DataObject) -> None:
        visit = data.draw(st.sampled_from(self.visits_in()))
        self.act(visit, lambda v, at: v.greet(at), lambda: self.office.greet(SHOP, visit.ticket))

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def leave(self, data: st.DataObject) -> None:
        visit = data.draw(st.sampled_from(self.visits_in()))
        self.act(visit, lambda v, at: v.leave(at), lambda: self.office.leave(SHOP, visit.ticket))

    @precondition(lambda self: bool(self.model))
    @rule(
        data=st.data(),
        service=st.none() | st.sampled_from(SERVICES),
        priority=st.none() | st.booleans(),
    )
    def change(self, data: st.DataObject, service: str | None, priority: bool | None) -> None:
        visit = data.draw(st.sampled_from(self.visits_in()))
        self.act(
            visit,
            lambda v, at: v.change(service=service, priority=priority),
            lambda: self.office.change(SHOP, visit.ticket, service=service, priority=priority),
        )

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data())
    def return_to_queue(self, data: st.DataObject) -> None:
        visit = data.draw(st.sampled_from(self.visits_in()))
        self.act(
            visit,
            lambda v, at: v.return_to_queue(at),
            lambda: self.office.return_to_queue(SHOP, visit.ticket),
        )

    @precondition(lambda self: self.clock is not None)
    @rule(minutes=st.sampled_from([0, 1, 2, 3, 5, 7, 15]))
    def advance_the_clock(self, minutes: int) -> None:
        assert self.clock is not None
        if self.clock.now + timedelta(minutes=minutes) < LAST_MOVE:
            self.clock.now += timedelta(minutes=minutes)

    # -- desks --------------------------------------------------------------------------

    @rule(desk=st.sampled_from(DESKS), close_previous=st.sampled_from([True, True, True, False]))
    def call_next(self, desk: str, close_previous: bool) -> None:
        before = self.now()
        current = next(
            (
                v
                for v in self.model.values()
                if v.desk == desk and v.state in (State.CALLED, State.SERVING)
            ),
            None,
        )
        if current is not None and (not close_previous or current.state is State.SERVING):
            # A visitor being served is never ended by Call next: they need an outcome.
            with pytest.raises(DomainError, match=f"{desk} is still dealing with {current.ticket}"):
                self.office.call_next(SHOP, desk, close_previous=close_previous)
            return
        result = self.office.call_next(SHOP, desk, close_previous=close_previous)
        assert result.desk == desk
        called_at = parse(result.called_at)
        if current is not None:
            assert result.closed == current.ticket
            closed = deepcopy(current)
            closed.close_unrecorded(called_at or before)
            self.model[current.id or 0] = closed
        else:
            assert result.closed is None
        waiting = self.visits_in(*WAITING)
        desk_obj = self.site.desk(desk)
        prioritised = self.site.prioritised_services
        if called_at is None:
            # Nobody called at the call's moment (at or after `before`): as visits only
            # become callable as time passes, nobody was callable at `before` either.
            expected = choose_next(waiting, desk_obj, before, prioritised, self.policy)
            assert expected is None, f"{desk} called nobody, the policy says {expected.ticket}"
            return
        if self.clock is not None:
            assert called_at == self.clock.now
        expected = choose_next(waiting, desk_obj, called_at, prioritised, self.policy)
        assert expected is not None, f"{desk} called {result.ticket}, the policy says nobody"
        assert (result.ticket, result.visit_id, result.service) == (
            expected.ticket,
            expected.id,
            expected.service,
        ), f"{desk} called {result.ticket}, the policy says {expected.ticket}"
        called = deepcopy(expected)
        called.call(desk, called_at)
        self.model[expected.id or 0] = called

    @rule(data=st.data(), desk=st.sampled_from(DESKS))
    def call_ticket(self, data: st.DataObject, desk: str) -> None:
        """A desk calls a particular visitor: a parked one back, or reception's choice."""
        parked = self.visits_in(State.PARKED)
        candidates = parked if parked and data.draw(st.booleans()) else self.visits_in(*WAITING)
        if not candidates:
            return
        visit = data.draw(st.sampled_from(candidates))
        desk_obj = self.site.desk(desk)
        busy = next(
            (
                v
                for v in self.model.values()
                if v.desk == desk and v.state in (State.CALLED, State.SERVING)
            ),
            None,
        )

        def step(v: Visit, at: datetime) -> None:
            if not desk_obj.serves(v.service):
                raise DomainError(f"{desk} does not deal with {v.service}")
            if busy is not None and busy.id != v.id:
                raise DomainError(
                    f"{desk} is still dealing with {busy.ticket} ({busy.state.value}): "
                    "finish, transfer, park or mark it a no-show first"
                )
            v.call(desk, at)

        self.act(visit, step, lambda: self.office.call_ticket(SHOP, desk, visit.ticket))
        if self.model[visit.id or 0].state is State.CALLED:
            self.called_by_hand.add(visit.id or 0)

    @rule(desk=st.sampled_from(DESKS))
    def recall(self, desk: str) -> None:
        self.act_at_desk(
            desk, lambda v, at: v.recall(at), lambda: self.office.recall(SHOP, desk=desk)
        )

    @rule(desk=st.sampled_from(DESKS))
    def start(self, desk: str) -> None:
        self.act_at_desk(
            desk, lambda v, at: v.start(at), lambda: self.office.start(SHOP, desk=desk)
        )

    @rule(desk=st.sampled_from(DESKS), outcome=outcomes())
    def finish(self, desk: str, outcome: Outcome) -> None:
        self.act_at_desk(
            desk,
            lambda v, at: v.finish(outcome, at),
            lambda: self.office.finish(SHOP, outcome, desk=desk),
        )

    @rule(desk=st.sampled_from(DESKS))
    def no_show(self, desk: str) -> None:
        self.act_at_desk(
            desk, lambda v, at: v.no_show(at), lambda: self.office.no_show(SHOP, desk=desk)
        )

    @rule(desk=st.sampled_from(DESKS))
    def park(self, desk: str) -> None:
        self.act_at_desk(desk, lambda v, at: v.park(at), lambda: self.office.park(SHOP, desk=desk))

    @rule(desk=st.sampled_from(DESKS), to=st.sampled_from(SERVICES))
    def transfer_to_service(self, desk: str, to: str) -> None:
        self.act_at_desk(
            desk,
            lambda v, at: v.transfer(at, service=to),
            lambda: self.office.transfer(SHOP, desk=desk, to_service=to),
        )

    @precondition(lambda self: bool(self.model))
    @rule(
        data=st.data(),
        to_desk=st.sampled_from(DESKS),
        to_service=st.none() | st.sampled_from(SERVICES),
    )
    def transfer_ticket_to_desk(
        self, data: st.DataObject, to_desk: str, to_service: str | None
    ) -> None:
        visit = data.draw(st.sampled_from(self.visits_in()))

        def step(v: Visit, at: datetime) -> None:
            service = to_service or v.service
            if not self.site.desk(to_desk).serves(service):
                raise DomainError(f"{to_desk} does not deal with {service}")
            v.transfer(at, service=to_service, desk=to_desk)

        self.act(
            visit,
            step,
            lambda: self.office.transfer(
                SHOP, visit.ticket, to_service=to_service, to_desk=to_desk
            ),
        )

    # -- invariants ---------------------------------------------------------------------

    @invariant()
    def every_visit_is_accounted_for_field_by_field(self) -> None:
        by_day: dict[object, list[Visit]] = defaultdict(list)
        for visit in self.visits_in():
            by_day[ticket_day(visit.arrived_at, self.site.timezone)].append(visit)
        stored: list[Visit] = []
        for day, visits in by_day.items():
            found = self.office.visits(SHOP, day)  # type: ignore[arg-type]
            assert [v.ticket for v in found] == [v.ticket for v in visits], "lost or invented"
            stored += found
            tickets = Counter(v.ticket for v in found)
            assert max(tickets.values(), default=1) == 1, "a ticket number handed out twice"
        assert len(stored) == len(self.model)
        for visit in stored:
            self.assert_same(visit, self.model[visit.id or 0])

    @invariant()
    def desks_hold_one_visitor_and_only_services_they_deal_with(self) -> None:
        holding = self.office.with_desks(SHOP)
        active = Counter(v.desk for v in holding if v.state is not State.PARKED)
        assert max(active.values(), default=1) == 1, f"a desk holds two visitors: {active}"
        for visit in holding:
            assert visit.desk is not None
            assert self.site.desk(visit.desk).serves(visit.service), (
                f"{visit.desk} holds {visit.ticket} for {visit.service}"
            )

    @invariant()
    def the_audit_trail_never_calls_a_visitor_already_called(self) -> None:
        with self.db.transaction(write=False) as tx:
            rows = tx.conn.execute(
                select(
                    event_t.c.visit_id, event_t.c.action, event_t.c.state, event_t.c.at
                ).order_by(event_t.c.id)
            ).all()
            appointments = {
                r.id: (r.appointment_at, r.first_called_at)
                for r in tx.conn.execute(
                    select(visit_t.c.id, visit_t.c.appointment_at, visit_t.c.first_called_at)
                ).all()
            }
        last_state: dict[int, str] = {}
        calls: Counter[int] = Counter()
        for visit_id, action, state, at in rows:
            if action == "called":
                assert last_state.get(visit_id) in ("checked_in", "greeted", "parked"), (
                    f"visit {visit_id} called while {last_state.get(visit_id)}"
                )
                booked, _first = appointments[visit_id]
                by_hand = visit_id in self.called_by_hand
                if booked is not None and last_state[visit_id] != "parked" and not by_hand:
                    assert at >= booked - self.policy.window, "appointment called before window"
            if action in ("called", "recalled"):
                calls[visit_id] += 1
            last_state[visit_id] = state
        for visit_id, visit in self.model.items():
            assert visit.state.value == last_state[visit_id]
            assert visit.call_count == calls[visit_id]
            booked, first_called = appointments[visit_id]
            if (
                booked is not None
                and first_called is not None
                and visit_id not in (self.called_by_hand)
            ):
                assert first_called >= booked - self.policy.window

    @invariant()
    def waiting_counts_and_list_match_the_model(self) -> None:
        prioritised = self.site.prioritised_services
        waiting = self.visits_in(*WAITING)
        expected = Counter((v.service, rank(v, prioritised, self.policy).klass) for v in waiting)
        with self.db.transaction(write=False) as tx:
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
                    .where(visit_t.c.state.in_([s.value for s in WAITING]))
                    .group_by(visit_t.c.service, visit_t.c.rank_class)
                ).all()
            }
        assert kept == dict(expected), "queue_count drifted from the waiting visitors"
        assert recount == dict(expected)
        listed = [w.ticket for w in self.office.waiting(SHOP)]
        in_order = sorted(waiting, key=lambda v: rank(v, prioritised, self.policy))
        assert listed == [v.ticket for v in in_order]


HEALTH = [HealthCheck.too_slow, HealthCheck.filter_too_much]


def test_queue_state_machine_on_sqlite(tmp_path: Path) -> None:
    # Each example gets its own copy of a database migrated and loaded with SITE once.
    template = tmp_path / "template.db"
    with Database(f"sqlite:///{template}") as db:
        Office(db).load_site(SITE)

    class OnSQLite(QueueMachine):
        fake_clock = True
        site_loaded = True

        def fresh_database(self) -> str:
            copy = Path(tempfile.mkdtemp(dir=tmp_path)) / "queue.db"
            shutil.copyfile(template, copy)
            return f"sqlite:///{copy}"

    run_state_machine_as_test(
        OnSQLite,
        settings=settings(
            max_examples=40, stateful_step_count=30, deadline=None, suppress_health_check=HEALTH
        ),
    )


def _empty(url: str) -> None:
    """Every table of the test database emptied (each example starts afresh)."""
    db = Database(url)
    try:
        with db.engine.begin() as conn:
            tables = conn.execute(
                text(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                    "AND tablename <> 'alembic_version'"
                )
            ).scalars()
            names = ", ".join(f'"{t}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        db.dispose()


@pytest.mark.postgres
def test_queue_state_machine_on_postgres(pg_url: str) -> None:
    class OnPostgres(QueueMachine):
        fake_clock = False

        def fresh_database(self) -> str:
            _empty(pg_url)
            return pg_url

    run_state_machine_as_test(
        OnPostgres,
        settings=settings(
            max_examples=15, stateful_step_count=30, deadline=None, suppress_health_check=HEALTH
        ),
    )


# -- what the machine found, kept as plain examples -------------------------------------------


@pytest.fixture
def shop(tmp_path: Path):  # type: ignore[no-untyped-def]
    clock = FakeClock(START)
    db = Database(f"sqlite:///{tmp_path}/shop.db", clock=clock)
    office = Office(db)
    office.load_site(SITE)
    yield office, clock
    db.dispose()


def test_a_desk_cannot_call_a_second_visitor_by_ticket_while_it_holds_one(shop) -> None:  # type: ignore[no-untyped-def]
    office, _clock = shop
    first = office.checkin(SHOP, "council-tax")
    parked = office.checkin(SHOP, "parking")
    assert office.call_next(SHOP, "Desk 1").ticket == first.ticket
    office.park(SHOP, desk="Desk 1")
    assert office.call_next(SHOP, "Desk 1").ticket == parked.ticket
    with pytest.raises(DomainError, match=f"Desk 1 is still dealing with {parked.ticket}"):
        office.call_ticket(SHOP, "Desk 1", first.ticket)
    office.start(SHOP, desk="Desk 1")
    office.finish(SHOP, Outcome(OutcomeKind.RESOLVED), desk="Desk 1")
    back = office.call_ticket(SHOP, "Desk 1", first.ticket)
    assert (back.state, back.desk, back.call_count) == (State.CALLED, "Desk 1", 2)
    assert [v.ticket for v in office.with_desks(SHOP)] == [first.ticket]


def test_the_desks_buttons_act_on_its_called_visitor_not_one_parked_in_the_same_tick(shop) -> None:  # type: ignore[no-untyped-def]
    office, _clock = shop  # the clock does not move: every step happens at the same instant
    walk_in = office.checkin(SHOP, "council-tax")
    urgent = office.checkin(SHOP, "council-tax", priority=True)  # checked in later, called first
    assert office.call_next(SHOP, "Desk 1").ticket == urgent.ticket
    office.park(SHOP, desk="Desk 1")
    assert office.call_next(SHOP, "Desk 1").ticket == walk_in.ticket
    started = office.start(SHOP, desk="Desk 1")
    assert (started.ticket, started.state) == (walk_in.ticket, State.SERVING)
    assert office.visit(SHOP, urgent.ticket).state is State.PARKED
