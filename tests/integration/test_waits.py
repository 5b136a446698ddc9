"""Live wait predictions from the store: the desks at work, who is ahead, what comes next."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.office import Office
from shared.staff import Staff
from shared.store import Database


@pytest.fixture
def office(db_url: str):
    db = Database(db_url)
    office = Office(db)
    office.ensure_default_sites()
    yield office
    db.dispose()


def sign_in(office: Office, *desks: str) -> Staff:
    staff = Staff(office.db)
    for index, desk in enumerate(desks):
        staff.add("bootle", f"CSA {index}", "1234")
        staff.sign_in("bootle", desk, f"CSA {index}", "1234")
    return staff


def test_only_the_desks_signed_in_and_open_are_counted(office: Office) -> None:
    sign_in(office, "Desk 1")  # one of the four Council Tax desks
    told = [office.checkin("bootle", "council-tax").estimated_wait_minutes for _ in range(4)]
    assert told[0] == 0  # the open desk is free
    assert 0 < told[1] < told[2] < told[3]  # then one desk's pace: about 10 minutes each
    assert told[3] >= 20


def test_a_desk_busy_with_a_visitor_frees_up_after_the_rest_of_that_visit(office: Office) -> None:
    sign_in(office, "Desk 1")
    office.checkin("bootle", "council-tax")
    office.call_next("bootle", "Desk 1")
    office.start("bootle", desk="Desk 1")
    later = office.checkin("bootle", "council-tax")
    assert later.ahead == 0 and later.estimated_wait_minutes > 0


def test_a_desk_on_a_break_is_counted_from_its_return(office: Office) -> None:
    staff = sign_in(office, "Desk 1")
    staff.set_status("bootle", "Desk 1", "break")
    told = office.checkin("bootle", "council-tax").estimated_wait_minutes
    assert 20 <= told <= 31  # back when a break usually ends


def test_priority_visitors_are_not_held_up_by_walk_ins(office: Office) -> None:
    sign_in(office, "Interview Room 2")  # deals with ELAS and Housing Benefit
    for _ in range(6):
        office.checkin("bootle", "housing-benefit")
    urgent = office.checkin("bootle", "elas")
    walk_in = office.checkin("bootle", "housing-benefit")
    assert urgent.estimated_wait_minutes < walk_in.estimated_wait_minutes


def test_with_nobody_signed_in_the_desks_that_called_lately_are_counted(office: Office) -> None:
    office.checkin("bootle", "council-tax")
    office.call_next("bootle", "Desk 1")  # only Desk 1 has been at work
    told = [office.checkin("bootle", "council-tax").estimated_wait_minutes for _ in range(3)]
    assert told[0] > 0 and told == sorted(told)


def test_what_a_walk_in_would_be_told_for_each_service(office: Office) -> None:
    sign_in(office, "Desk 1", "Desk 5")
    for _ in range(5):
        office.checkin("bootle", "council-tax")
    waits = office.waits.for_new_walk_in("bootle")
    assert waits["council-tax"] is not None and waits["council-tax"] > 0
    assert waits["parking"] == 0  # Desk 5 is free and nobody waits for parking
    assert waits["housing"] is None  # no open desk deals with housing: no estimate


def test_an_appointment_due_soon_goes_first(office: Office) -> None:
    sign_in(office, "Desk 3")
    office.checkin("bootle", "housing-benefit")
    office.call_next("bootle", "Desk 3")
    office.start("bootle", desk="Desk 3")
    plain = office.waits.for_new_walk_in("bootle")["housing-benefit"]
    with office.db.transaction(write=False) as tx:
        now = tx.now
    office.add_appointment("bootle", "housing-benefit", now + timedelta(minutes=5))
    office.waits.forget()
    booked = office.waits.for_new_walk_in("bootle")["housing-benefit"]
    assert booked > plain


def test_the_display_ticker_tells_the_predicted_waits(office: Office, qapp, tmp_path) -> None:
    from reception.display import DisplayPresenter
    from shared.eventlog import EventLog
    from shared.waits import told_minutes

    sign_in(office, "Desk 1")
    for _ in range(4):
        office.checkin("bootle", "council-tax")
    presenter = DisplayPresenter(office, "bootle", EventLog("display", tmp_path))
    try:
        expected = told_minutes(office.waits.for_new_walk_in("bootle")["council-tax"])
        assert expected > 0
        assert f"Council Tax: about {expected} min" in presenter.ticker_text()
        assert "Parking" not in presenter.ticker_text()  # nobody waits for it
    finally:
        presenter.poll.stop()
