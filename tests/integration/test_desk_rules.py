"""A desk's rules, kept by the core for every caller (desk console, command, scripts).

One visitor at a desk at a time; a visitor being served is never ended without an
outcome; a desk on a break calls nobody; a desk is not closed (or put on a break)
with a visitor at it, nor closed while it has visitors parked.
"""

from __future__ import annotations

import pytest

from shared.domain import DomainError, Outcome, State
from shared.office import Office
from shared.staff import Staff
from shared.store import Database
from tests.integration.test_cli import js, run


@pytest.fixture
def office(db_url: str):
    db = Database(db_url)
    office = Office(db)
    office.ensure_default_sites()
    Staff(db).add("bootle", "Jo Bloggs", "1234")
    Staff(db).sign_in("bootle", "Desk 3", "Jo Bloggs", "1234")
    yield office
    db.dispose()


def status(office: Office) -> str:
    return next(d.status for d in Staff(office.db).desks("bootle") if d.desk == "Desk 3")


def test_a_desk_on_a_break_calls_nobody_until_it_is_back(office: Office) -> None:
    first = office.checkin("bootle", "housing-benefit")
    Staff(office.db).set_status("bootle", "Desk 3", "break")
    with pytest.raises(DomainError, match="Desk 3 is on a break: press Back from break"):
        office.call_next("bootle", "Desk 3")
    with pytest.raises(DomainError, match="Desk 3 is on a break"):
        office.call_ticket("bootle", "Desk 3", first.ticket)
    visit = office.visit("bootle", first.ticket)
    assert visit.state is State.CHECKED_IN and visit.desk is None  # nothing changed
    # Other desks are not held up by Desk 3's break.
    assert office.call_next("bootle", "Desk 4").ticket == first.ticket
    office.return_to_queue("bootle", office.park("bootle", desk="Desk 4").ticket)
    Staff(office.db).set_status("bootle", "Desk 3", "open")
    assert office.call_next("bootle", "Desk 3").ticket == first.ticket


def test_call_next_never_ends_a_visit_being_served(office: Office) -> None:
    first = office.checkin("bootle", "housing-benefit")
    second = office.checkin("bootle", "housing-benefit")
    office.call_next("bootle", "Desk 3")
    office.start("bootle", desk="Desk 3")
    for close_previous in (True, False):
        with pytest.raises(DomainError, match=f"still dealing with {first.ticket} \\(serving\\)"):
            office.call_next("bootle", "Desk 3", close_previous=close_previous)
    served = office.visit("bootle", first.ticket)
    assert served.state is State.SERVING and served.outcome is None
    assert office.visit("bootle", second.ticket).state is State.CHECKED_IN
    office.finish("bootle", Outcome.parse("resolved"), desk="Desk 3")
    assert office.call_next("bootle", "Desk 3").ticket == second.ticket


def test_a_called_visitor_is_ended_only_when_the_caller_asks(office: Office) -> None:
    first = office.checkin("bootle", "housing-benefit")
    second = office.checkin("bootle", "housing-benefit")
    office.call_next("bootle", "Desk 3")
    with pytest.raises(DomainError, match=f"still dealing with {first.ticket} \\(called\\)"):
        office.call_next("bootle", "Desk 3", close_previous=False)  # as the desk console asks
    assert office.visit("bootle", first.ticket).state is State.CALLED
    # Scripts may still move on from a visitor who never came forward; the result says so.
    result = office.call_next("bootle", "Desk 3")
    assert (result.ticket, result.closed) == (second.ticket, first.ticket)
    ended = office.visit("bootle", first.ticket)
    assert ended.state is State.FINISHED and ended.outcome.kind.value == "not_recorded"


def test_a_desk_is_not_closed_or_left_for_a_break_with_a_visitor_at_it(office: Office) -> None:
    staff = Staff(office.db)
    first = office.checkin("bootle", "housing-benefit")
    office.call_next("bootle", "Desk 3")
    for wanted, words in (("break", "a break"), ("closed", "closing the desk")):
        with pytest.raises(DomainError, match=f"still dealing with {first.ticket}.*before {words}"):
            staff.set_status("bootle", "Desk 3", wanted)
        assert status(office) == "open"
    office.park("bootle", desk="Desk 3")
    staff.set_status("bootle", "Desk 3", "break")  # a parked visitor can wait out a break
    staff.set_status("bootle", "Desk 3", "open")
    with pytest.raises(DomainError, match=f"parked visitors \\({first.ticket}\\)"):
        staff.set_status("bootle", "Desk 3", "closed")
    assert status(office) == "open"
    office.return_to_queue("bootle", first.ticket)
    staff.set_status("bootle", "Desk 3", "closed")
    assert Staff(office.db).desks("bootle") == []


def test_the_command_refuses_to_end_a_visit_being_served(db_url: str) -> None:
    js(db_url, "checkin", "--site", "bootle", "--service", "housing-benefit")
    js(db_url, "checkin", "--site", "bootle", "--service", "housing-benefit")
    first = js(db_url, "call-next", "--site", "bootle", "--desk", "Desk 3")
    assert first["closed"] is None
    js(db_url, "start", "--site", "bootle", "--desk", "Desk 3")
    refused = run(db_url, "call-next", "--site", "bootle", "--desk", "Desk 3", expect=2)
    assert f"still dealing with {first['ticket']} (serving)" in refused.stderr
    assert js(db_url, "visit", first["ticket"], "--site", "bootle")["state"] == "serving"
    js(db_url, "park", "--site", "bootle", "--desk", "Desk 3")
    second = js(db_url, "call-next", "--site", "bootle", "--desk", "Desk 3")
    assert second["ticket"] != first["ticket"] and second["closed"] is None
    # A visitor called but never started is ended by the next call, and named in `closed`.
    js(db_url, "checkin", "--site", "bootle", "--service", "housing-benefit")
    third = js(db_url, "call-next", "--site", "bootle", "--desk", "Desk 3")
    assert third["closed"] == second["ticket"]
