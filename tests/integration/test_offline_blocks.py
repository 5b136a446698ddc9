"""Blocks of numbers for kiosks working offline, and their check-ins sent afterwards,
on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from shared.domain import DomainError
from shared.domain.tickets import ticket_day
from shared.office import Office
from shared.store import Database
from shared.store.blocks import OFFLINE_FIRST
from shared.store.tables import counter_t, event_t, visit_t


@pytest.fixture
def office(db_url: str):  # type: ignore[no-untyped-def]
    db = Database(db_url)
    office = Office(db)
    office.ensure_default_sites()
    yield office
    db.dispose()


def today(office: Office) -> object:
    with office.db.transaction(write=False) as tx:
        return ticket_day(tx.now, "Europe/London")


def test_kiosks_reserving_at_once_never_share_a_number(db_url: str, office: Office) -> None:
    day = today(office)
    reserved: dict[str, list] = {}
    go = threading.Barrier(4)

    def kiosk(name: str) -> None:
        mine = Office(Database(db_url))  # its own PC: its own connections
        go.wait()
        reserved[name] = []
        for _ in range(3):
            reserved[name] += mine.reserve_ticket_blocks(
                "bootle", name, f"holder-{name}", [(day, "C"), (day, "H")]
            )
        mine.db.dispose()

    threads = [threading.Thread(target=kiosk, args=(f"Kiosk {n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for letter in "CH":
        numbers = [
            n
            for blocks in reserved.values()
            for b in blocks
            if b.letter == letter
            for n in range(b.first, b.last + 1)
        ]
        assert len(numbers) == len(set(numbers)) == 12 * 50  # 4 kiosks, 3 blocks each
        assert min(numbers) == OFFLINE_FIRST and max(numbers) == OFFLINE_FIRST + 600 - 1
    # The day's own sequence is untouched by all that.
    assert office.checkin("bootle", "council-tax").ticket == "C001"


def test_the_days_sequence_steps_over_a_block_and_a_block_over_the_sequence(
    office: Office,
) -> None:
    day = today(office)
    site_id = _site_id(office)
    [block] = office.reserve_ticket_blocks("bootle", "Kiosk 1", "k1", [(day, "C")])
    assert (block.first, block.last) == (901, 950)
    with office.db.transaction() as tx:  # a very long day: the sequence is at 900
        tx.conn.execute(
            update(counter_t)
            .where(counter_t.c.site_id == site_id, counter_t.c.letter == "C")
            .values(last=900)
        )
    assert office.checkin("bootle", "council-tax").ticket == "C951"  # never a kiosk's C901
    assert office.checkin("bootle", "council-tax").ticket == "C952"
    [after] = office.reserve_ticket_blocks("bootle", "Kiosk 2", "k2", [(day, "C")])
    assert after.first == 953  # after what the day already issued


def test_blocks_are_kept_for_today_and_tomorrow_only_and_for_known_letters(
    office: Office,
) -> None:
    day = today(office)
    tomorrow = day + timedelta(days=1)
    assert office.reserve_ticket_blocks("bootle", "Kiosk 1", "k1", [(tomorrow, "C")])[0].day == (
        tomorrow
    )
    for wanted, message in (
        ([(day + timedelta(days=2), "C")], "today and tomorrow"),
        ([(day - timedelta(days=1), "C")], "today and tomorrow"),
        ([(day, "Q")], "letter 'Q'"),
    ):
        with pytest.raises(DomainError, match=message):
            office.reserve_ticket_blocks("bootle", "Kiosk 1", "k1", wanted)
    with pytest.raises(DomainError, match="holder"):
        office.reserve_ticket_blocks("bootle", "Kiosk 1", "", [(day, "C")])


def test_an_offline_check_in_joins_the_queue_by_its_arrival_once(office: Office) -> None:
    day = today(office)
    office.reserve_ticket_blocks("bootle", "Kiosk 1", "k1", [(day, "C")])
    later = office.checkin("bootle", "council-tax")  # came after, reached it first
    arrived = datetime.fromisoformat(later.arrived_at) - timedelta(minutes=5)
    visit, added = office.checkin_offline(
        "bootle",
        "council-tax",
        ticket="C901",
        day=day,
        arrived_at=arrived,
        kiosk="Kiosk 1",
        holder="k1",
        flags={"hearing_loop": "yes"},
    )
    assert added and visit.ticket == "C901" and visit.arrived_at == arrived
    again, added_again = office.checkin_offline(
        "bootle",
        "council-tax",
        ticket="C901",
        day=day,
        arrived_at=arrived,
        kiosk="Kiosk 1",
        holder="k1",
    )
    assert not added_again and again.id == visit.id  # sent twice, there once
    waiting = [w.ticket for w in office.waiting("bootle")]
    assert waiting.count("C901") == 1
    assert waiting.index("C901") < waiting.index(later.ticket)  # ranked by its arrival
    assert office.visit("bootle", "C901").flags == {"hearing_loop": "yes"}
    with office.db.transaction(write=False) as tx:
        event = tx.conn.execute(select(event_t).where(event_t.c.visit_id == visit.id)).one()
    assert event.action == "checked_in" and event.at == arrived
    assert "offline at Kiosk 1" in event.detail


def test_an_offline_arrival_is_never_later_than_the_database_receives_it(
    office: Office,
) -> None:
    day = today(office)
    office.reserve_ticket_blocks("bootle", "Kiosk 1", "k1", [(day, "C")])
    ahead = datetime.now(UTC) + timedelta(hours=1)  # a kiosk whose clock runs fast
    visit, _ = office.checkin_offline(
        "bootle",
        "council-tax",
        ticket="C901",
        day=day,
        arrived_at=ahead,
        kiosk="Kiosk 1",
        holder="k1",
    )
    assert visit.arrived_at <= datetime.now(UTC)


def test_a_number_not_kept_for_this_kiosk_is_refused_and_changes_nothing(
    office: Office,
) -> None:
    day = today(office)
    office.reserve_ticket_blocks("bootle", "Kiosk 1", "k1", [(day, "C")])
    before = _visits(office)
    cases = [
        ({"ticket": "C901", "holder": "k2"}, "not kept for"),  # another kiosk's block
        ({"ticket": "C960", "holder": "k1"}, "not kept for"),  # past the block
        ({"ticket": "C005", "holder": "k1"}, "not kept for"),  # the day's own sequence
        ({"ticket": "H901", "holder": "k1"}, "not a Council Tax ticket"),
        ({"ticket": "C9x1", "holder": "k1"}, "not a ticket number"),
    ]
    for given, message in cases:
        with pytest.raises(DomainError, match=message):
            office.checkin_offline(
                "bootle",
                "council-tax",
                day=day,
                arrived_at=datetime.now(UTC),
                kiosk="Kiosk 1",
                **given,
            )
    with pytest.raises(DomainError, match="time zone"):
        office.checkin_offline(
            "bootle",
            "council-tax",
            ticket="C901",
            day=day,
            arrived_at=datetime.now(),
            kiosk="Kiosk 1",
            holder="k1",
        )
    assert _visits(office) == before


def _site_id(office: Office) -> int:
    from shared.store import repository as repo

    with office.db.transaction(write=False) as tx:
        return repo.get_site(tx, "bootle").id


def _visits(office: Office) -> int:
    with office.db.transaction(write=False) as tx:
        return int(tx.conn.execute(select(func.count()).select_from(visit_t)).scalar_one())
