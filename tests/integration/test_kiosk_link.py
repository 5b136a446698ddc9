"""The kiosk's link on its own (no Qt), against a real database: blocks kept topped up,
a kiosk clock that is wrong corrected by the database's, a check-in the database
refuses kept and told to reception, and nothing sent twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from kiosk.link import LOW_WATER, Link, unreachable
from kiosk.outbox import Outbox
from shared.domain.tickets import ticket_day
from shared.notices import Notices
from shared.office import Office
from shared.store import Database
from shared.store.blocks import Block
from shared.store.tables import block_t


@pytest.fixture
def office(db_url: str):  # type: ignore[no-untyped-def]
    db = Database(db_url)
    office = Office(db)
    office.ensure_default_sites()
    yield office
    db.dispose()


def link_for(office: Office, folder: Path, clock=lambda: datetime.now(UTC)) -> Link:  # type: ignore[no-untyped-def]
    link = Link(office, Outbox(folder / "outbox.sqlite3"), "bootle", "Kiosk 1", clock)
    link.load_site()
    return link


def test_a_step_keeps_every_letter_stocked_today_and_tomorrow(
    office: Office, tmp_path: Path
) -> None:
    link = link_for(office, tmp_path)
    report = link.step()
    assert report.online and report.error is None
    today = ticket_day(datetime.now(UTC), "Europe/London")
    days = [today, ticket_day(datetime.now(UTC) + timedelta(days=1), "Europe/London")]
    left = link.outbox.numbers_left("bootle", days)
    letters = {s.letter for s in office.site("bootle").services}
    assert set(left) == {(d, x) for d in days for x in letters}
    assert all(n >= LOW_WATER for n in left.values())
    reserved = _blocks(office)
    link.step()  # nothing is low: nothing more is reserved
    assert _blocks(office) == reserved
    assert link.outbox.site_config("bootle") is not None  # for a start while it is away


def test_a_kiosk_clock_ten_minutes_slow_is_corrected_by_the_databases(
    office: Office, tmp_path: Path
) -> None:
    slow = timedelta(minutes=10)
    link = link_for(office, tmp_path, clock=lambda: datetime.now(UTC) - slow)
    link.step()
    assert abs(link.offset - slow) < timedelta(seconds=2)
    touched = datetime.now(UTC)
    entry = link.outbox.issue(
        site="bootle",
        day=ticket_day(link.clock() + link.offset, "Europe/London"),
        letter="C",
        service="council-tax",
        kiosk_clock=link.clock(),
        offset=link.offset,
    )
    report = link.step()
    assert [e.ticket for e in report.sent] == [entry.ticket]
    visit = office.visit("bootle", entry.ticket)
    assert abs(visit.arrived_at - touched) < timedelta(seconds=2)  # not 10 minutes early
    assert link.step().sent == []  # sent once


def test_a_check_in_the_database_refuses_is_kept_and_reception_is_told(
    office: Office, tmp_path: Path
) -> None:
    """A number the database never kept for this kiosk (its database was restored from
    a backup taken before the block was reserved, say)."""
    link = link_for(office, tmp_path)
    day = ticket_day(datetime.now(UTC), "Europe/London")
    link.outbox.add_blocks([Block("bootle", day, "C", 5001, 5001)])  # no step yet: the only C
    entry = link.outbox.issue(
        site="bootle",
        day=day,
        letter="C",
        service="council-tax",
        kiosk_clock=datetime.now(UTC),
    )
    report = link.step()
    assert report.online and [e.ticket for e, _ in report.failed] == ["C5001"]
    [kept] = [e for e in link.outbox.checkins() if e.key == entry.key]
    assert kept.status == "failed" and "not kept for Kiosk 1" in (kept.error or "")
    [alert] = Notices(office.db).alerts("bootle")
    assert alert.kind == "kiosk" and "C5001" in (alert.detail or "")
    assert "add the visitor at reception" in (alert.detail or "")
    assert link.step().failed == []  # told once, not sent again


def test_what_counts_as_the_database_being_away() -> None:
    assert unreachable(OperationalError("SELECT 1", {}, OSError("connection refused")))
    assert not unreachable(ProgrammingError("SELECT 1", {}, Exception("permission denied")))
    assert not unreachable(IntegrityError("INSERT", {}, Exception("duplicate key")))


def _blocks(office: Office) -> int:
    with office.db.transaction(write=False) as tx:
        return int(tx.conn.execute(select(func.count()).select_from(block_t)).scalar_one())


@pytest.mark.postgres
def test_a_login_refused_the_blocks_stays_online_and_tells_reception(
    pg_url: str, tmp_path: Path
) -> None:
    """After an upgrade whose grants were not run again (installer/postgres/grants.sql),
    the kiosk's login may not touch ticket_block: it must not take that for the
    database being away (and send every visitor to reception); it stays online, its
    check-ins work, and reception is told it cannot keep numbers for an outage."""
    import uuid

    from sqlalchemy import text

    owner = Database(pg_url)
    Office(owner).ensure_default_sites()
    role = f"kiosk_{uuid.uuid4().hex[:8]}"
    with owner.transaction() as tx:
        for statement in (
            f"CREATE ROLE {role} LOGIN",
            f"GRANT USAGE ON SCHEMA public TO {role}",
            f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}",
            f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}",
            f"REVOKE ALL ON ticket_block FROM {role}",
        ):
            tx.conn.execute(text(statement))
    kiosk_db = Database(pg_url.replace("://postgres@", f"://{role}@"), migrate=False)
    try:
        link = link_for(Office(kiosk_db), tmp_path)
        report = link.step()
        assert report.online is True
        assert any("refused its numbers" in p for p in report.problems), report.problems
        [alert] = Notices(owner).alerts("bootle")
        assert alert.kind == "kiosk" and "cannot keep tickets" in (alert.detail or "")
        assert Office(kiosk_db).checkin("bootle", "council-tax").ticket == "C001"
    finally:
        kiosk_db.dispose()
        with owner.transaction() as tx:
            tx.conn.execute(text(f"DROP OWNED BY {role}"))
        owner.dispose()
        import psycopg

        conninfo = pg_url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0]
        with psycopg.connect(conninfo + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP ROLE IF EXISTS {role}")
