"""Staff security in the core, on SQLite and PostgreSQL: PINs hashed with scrypt, lock-out
after wrong PINs held in the database (two PCs, a restart), roles and sites refused
with clear errors, a site open until its first supervisor, the kiosk's keypad."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from shared.access import Actor
from shared.audit import trail
from shared.domain import (
    DomainError,
    LockedOut,
    NotAllowed,
    NotSignedIn,
    SignInRefused,
)
from shared.office import Office
from shared.planning.accuracy import measure
from shared.reports.kpis import Period, compute
from shared.reports.privacy import purge
from shared.staff import LOCK_AFTER, Staff, hash_pin, pin_matches
from shared.store import Database
from shared.store.tables import audit_t, login_t, staff_t

ROOT = Path(__file__).resolve().parents[2]
BOOTLE = (ROOT / "resources/sites/bootle.toml").read_text()


@pytest.fixture
def db(db_url: str):
    database = Database(db_url)
    Office(database).ensure_default_sites()
    yield database
    database.dispose()


@pytest.fixture
def people(db: Database) -> Staff:
    """Bootle: Jo (CSA), Rita (receptionist), then Sam (supervisor); Southport: Sue
    (supervisor) and Ada (admin), added while the sites were still open."""
    staff = Staff(db)
    staff.add("bootle", "Jo Bloggs", "1234", "csa")
    staff.add("bootle", "Rita Desk", "4321", "receptionist")
    staff.add("bootle", "Sam Super", "2468", "supervisor")
    staff.add("southport", "Sue Port", "1357", "supervisor")
    return staff


def audit_rows(db: Database, action: str | None = None) -> list[Any]:
    with db.transaction(write=False) as tx:
        stmt = select(audit_t).order_by(audit_t.c.id)
        if action:
            stmt = stmt.where(audit_t.c.action == action)
        return list(tx.conn.execute(stmt).all())


def everything(db: Database) -> dict[str, list[str]]:
    """Every row of every table but the append-only audit trail."""
    from sqlmodel import SQLModel

    with db.transaction(write=False) as tx:
        return {
            name: sorted(map(repr, tx.conn.execute(select(table)).all()))
            for name, table in SQLModel.metadata.tables.items()
            if name != "audit_event"
        }


# -- PINs -------------------------------------------------------------------------------


def test_a_pin_is_kept_as_scrypt_with_its_own_salt_and_parameters(db, people) -> None:
    first, second = hash_pin("2468"), hash_pin("2468")
    scheme, n, r, p, salt, digest = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    assert first != second and pin_matches("2468", first) and not pin_matches("2469", first)
    expected = hashlib.scrypt(b"2468", salt=bytes.fromhex(salt), n=16384, r=8, p=1, dklen=32)
    assert digest == expected.hex()
    for bad in ("12", "123456789", "abcd", "١٢٣٤", "12 4", ""):
        with pytest.raises(DomainError, match="4 to 8 digits"):
            hash_pin(bad)
    # A hash written before the parameters were kept ("scrypt$salt$digest") still works.
    legacy_salt = bytes(range(16))
    legacy = hashlib.scrypt(b"1234", salt=legacy_salt, n=2**14, r=8, p=1, dklen=32).hex()
    with db.transaction() as tx:
        tx.conn.execute(
            update(staff_t)
            .where(staff_t.c.name == "Jo Bloggs")
            .values(pin_hash=f"scrypt${legacy_salt.hex()}${legacy}")
        )
    assert people.login("bootle", "Jo Bloggs", "1234", place="Desk 1").role == "csa"
    with pytest.raises(SignInRefused, match="do not match"):
        people.login("bootle", "Jo Bloggs", "1235", place="Desk 1")


def test_five_wrong_pins_on_two_pcs_lock_the_account_until_a_supervisor_unlocks_it(
    db_url, db, people
) -> None:
    other_pc = Database(db_url)
    try:
        reception, desk = Staff(db), Staff(other_pc)
        for attempt in range(LOCK_AFTER - 1):
            with pytest.raises(SignInRefused, match="do not match") as wrong:
                (reception if attempt % 2 else desk).login(
                    "bootle", "Jo Bloggs", f"999{attempt}", place="Desk 1"
                )
            assert not isinstance(wrong.value, LockedOut)
        with pytest.raises(LockedOut, match="locked until") as locked:
            reception.login("bootle", "Jo Bloggs", "0000", place="Reception")
        until = locked.value.until
        assert isinstance(until, datetime)
        assert timedelta(minutes=14) < until - datetime.now(UTC) <= timedelta(minutes=15, seconds=5)
        # The right PIN, anywhere, after a restart: still locked.
        with pytest.raises(LockedOut):
            desk.login("bootle", "Jo Bloggs", "1234", place="Desk 1")
        other_pc.dispose()
        other_pc = Database(db_url)
        desk = Staff(other_pc)
        with pytest.raises(LockedOut):
            desk.check("bootle", "Jo Bloggs", "1234")
        # Others are not locked by it.
        assert reception.check("bootle", "Rita Desk", "4321") == "receptionist"
        # A supervisor unlocks; the right PIN works again and the count starts afresh.
        sam = reception.login("bootle", "Sam Super", "2468", place="Reception")
        assert Staff(other_pc).unlock("bootle", "Jo Bloggs", by=sam) is True
        assert desk.login("bootle", "Jo Bloggs", "1234", place="Desk 1").name == "Jo Bloggs"
        with db.transaction(write=False) as tx:
            jo = tx.conn.execute(
                select(staff_t.c.failed_pins, staff_t.c.locked_until).where(
                    staff_t.c.name == "Jo Bloggs"
                )
            ).one()
        assert tuple(jo) == (0, None)
    finally:
        other_pc.dispose()
    refused = [r for r in audit_rows(db, "sign_in_refused") if r.staff_name == "Jo Bloggs"]
    assert [r.detail for r in refused] == [
        "wrong PIN (1 of 5 in a row)",
        "wrong PIN (2 of 5 in a row)",
        "wrong PIN (3 of 5 in a row)",
        "wrong PIN (4 of 5 in a row)",
        "wrong PIN (5 of 5 in a row)",
        refused[5].detail,
        refused[6].detail,
    ]
    assert all(r.detail.startswith("while locked (until ") for r in refused[5:])
    (locked_out,) = audit_rows(db, "locked_out")
    assert (locked_out.staff_name, locked_out.role) == ("Jo Bloggs", "csa")
    (unlocked,) = audit_rows(db, "unlocked")
    assert (unlocked.staff_name, unlocked.detail) == ("Sam Super", "Jo Bloggs")


def test_a_lock_runs_out_and_a_right_pin_resets_the_count(db, people) -> None:
    for attempt in range(LOCK_AFTER):
        with pytest.raises(SignInRefused):
            people.check("bootle", "Rita Desk", f"000{attempt}")
    with pytest.raises(LockedOut):
        people.check("bootle", "Rita Desk", "4321")
    with db.transaction() as tx:  # fifteen minutes on
        tx.conn.execute(
            update(staff_t)
            .where(staff_t.c.name == "Rita Desk")
            .values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    with pytest.raises(SignInRefused, match="do not match") as after:  # counted from one
        people.check("bootle", "Rita Desk", "0009")
    assert not isinstance(after.value, LockedOut)
    assert people.check("bootle", "Rita Desk", "4321") == "receptionist"
    for attempt in range(LOCK_AFTER - 1):  # four wrong, a right one, four wrong: not locked
        with pytest.raises(SignInRefused):
            people.check("bootle", "Rita Desk", f"111{attempt}")
    assert people.check("bootle", "Rita Desk", "4321") == "receptionist"
    for attempt in range(LOCK_AFTER - 1):
        with pytest.raises(SignInRefused):
            people.check("bootle", "Rita Desk", f"222{attempt}")
    assert people.check("bootle", "Rita Desk", "4321") == "receptionist"


def test_a_name_with_no_account_is_refused_like_a_wrong_pin_and_the_name_noted(db, people) -> None:
    with pytest.raises(SignInRefused) as unknown:
        people.login("bootle", "Mallory", "1234", place="Reception")
    with pytest.raises(SignInRefused) as wrong:
        people.login("bootle", "Jo Bloggs", "9999", place="Reception")
    assert str(unknown.value) == str(wrong.value)
    assert "do not match" in str(unknown.value)
    row = next(r for r in audit_rows(db, "sign_in_refused") if r.staff_name is None)
    assert (row.note, row.detail, row.place) == (
        "Mallory",
        "no account by the name typed",
        "Reception",
    )
    with pytest.raises(SignInRefused, match="type your name"):
        people.login("bootle", "  ", "1234", place="Reception")


def test_a_sign_in_is_proved_by_its_token_and_ends(db, people) -> None:
    sam = people.login("bootle", "Sam Super", "2468", place="Reception")
    assert sam.role == "supervisor" and len(sam.token) >= 40 and sam.token not in repr(sam)
    with db.transaction(write=False) as tx:
        stored = tx.conn.execute(select(login_t.c.token_hash, login_t.c.place)).all()
    assert (hashlib.sha256(sam.token.encode()).hexdigest(), "Reception") in [
        tuple(r) for r in stored
    ]
    assert sam.token not in repr(everything(db))  # only its hash is kept
    assert people.members("bootle", by=sam)
    forged = Actor("bootle", "Sam Super", "supervisor", "Reception", "a-guessed-token")
    with pytest.raises(NotSignedIn):
        people.members("bootle", by=forged)
    people.logout(sam)
    with pytest.raises(NotSignedIn, match="signed out"):
        people.members("bootle", by=sam)
    soon = people.login("bootle", "Sam Super", "2468", place="Reception")
    with db.transaction() as tx:  # its twelve hours are up
        tx.conn.execute(
            update(login_t)
            .where(login_t.c.signed_out_at.is_(None))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    with pytest.raises(NotSignedIn, match="run out"):
        trail(db, "bootle", by=soon)
    assert [r.action for r in audit_rows(db) if r.action.startswith("signed")] == [
        "signed_in",
        "signed_out",
        "signed_in",
    ]


# -- roles, refused in the core ------------------------------------------------------------


def test_supervisor_only_functions_refuse_anyone_else_and_change_nothing(db, people) -> None:
    office = Office(db)
    jo = people.login("bootle", "Jo Bloggs", "1234", place="Desk 1")
    rita = people.login("bootle", "Rita Desk", "4321", place="Reception")
    sue = people.login("southport", "Sue Port", "1357", place="Reception")
    quarter = Period.quarter("2025-Q3")
    functions = {
        "the audit trail": lambda by: trail(db, "bootle", by=by),
        "the charter report": lambda by: compute(db, ["bootle"], quarter, by=by),
        "the prediction report": lambda by: measure(
            db, ["bootle"], quarter.start, quarter.end, by=by
        ),
        "a site's settings": lambda by: office.load_site(BOOTLE, "bootle.toml", by=by),
        "staff accounts": lambda by: people.add("bootle", "New", "1111", by=by),
        "a role": lambda by: people.set_role("bootle", "Jo Bloggs", "supervisor", by=by),
        "a PIN": lambda by: people.reset_pin("bootle", "Jo Bloggs", "9999", by=by),
        "unlocking": lambda by: people.unlock("bootle", "Jo Bloggs", by=by),
        "a leaver": lambda by: people.remove("bootle", "Jo Bloggs", by=by),
        "the staff list": lambda by: people.members("bootle", by=by),
        "a purge": lambda by: purge(db, ["bootle"], by=by),
    }
    before = everything(db)
    for name, function in functions.items():
        with pytest.raises(NotAllowed, match="is for supervisors: sign in as one"):
            function(None)
        for actor, role in ((jo, "csa"), (rita, "receptionist")):
            with pytest.raises(NotAllowed, match=f"is for supervisors: .* is a {role}"):
                function(actor)
        if "report" not in name:  # figures of any site are any supervisor's
            with pytest.raises(NotAllowed, match="supervises at southport"):
                function(sue)
    assert everything(db) == before
    # The same functions for Bootle's supervisor.
    sam = people.login("bootle", "Sam Super", "2468", place="Reception")
    assert compute(db, ["bootle"], quarter, by=sue)["visits"] == 0
    for name in ("the audit trail", "the charter report", "a site's settings", "a purge"):
        functions[name](sam)
    people.add("bootle", "New", "1111", "receptionist", by=sam)
    assert people.check("bootle", "New", "1111") == "receptionist"
    # The council's first admin may be made by a supervisor; after that only an admin
    # makes or changes one (a supervisor cannot raise anyone, themselves included).
    people.add("southport", "Ada Admin", "8642", "admin", by=sue)
    with pytest.raises(NotAllowed, match="admin accounts are for admins"):
        people.set_role("bootle", "Sam Super", "admin", by=sam)
    with pytest.raises(NotAllowed, match="admin accounts are for admins"):
        people.reset_pin("southport", "Ada Admin", "0000", by=sue)
    ada = people.login("southport", "Ada Admin", "8642", place="onestop command")
    people.set_role("bootle", "Sam Super", "admin", by=ada)
    trail(db, "bootle", by=ada)  # every site's
    # A demotion counts at once, for a sign-in made before it.
    people.set_role("bootle", "Sam Super", "csa", by=ada)
    with pytest.raises(NotAllowed, match="is a csa"):
        trail(db, "bootle", by=sam)


def test_a_site_is_open_until_its_first_supervisor_or_an_admin(db) -> None:
    staff = Staff(db)
    quarter = Period.quarter("2025-Q3")
    staff.add("bootle", "Jo Bloggs", "1234")  # a new installation: nobody to ask yet
    compute(db, ["bootle"], quarter)
    trail(db, "bootle")
    staff.add("bootle", "Sam Super", "2468", "supervisor")
    with pytest.raises(NotAllowed):
        staff.add("bootle", "Another", "1111")
    with pytest.raises(NotAllowed):
        compute(db, ["bootle"], quarter)
    compute(db, ["southport"], quarter)  # Southport has none yet
    with db.transaction() as tx:
        tx.conn.execute(update(staff_t).where(staff_t.c.name == "Sam Super").values(role="admin"))
    with pytest.raises(NotAllowed):  # an admin is the whole council's
        compute(db, ["southport"], quarter)


def test_a_leaver_never_signs_in_again(db, people) -> None:
    sam = people.login("bootle", "Sam Super", "2468", place="Reception")
    jo = people.login("bootle", "Jo Bloggs", "1234", place="Desk 1")
    people.remove("bootle", "Jo Bloggs", by=sam)
    with pytest.raises(SignInRefused, match="do not match"):
        people.login("bootle", "Jo Bloggs", "1234", place="Desk 1")
    with pytest.raises(NotSignedIn):
        Office(db).greet("bootle", Office(db).checkin("bootle", "council-tax").ticket, by=jo)
    assert [m.left_at is not None for m in people.members("bootle", by=sam)] == [
        True,
        False,
        False,
    ]
    people.add("bootle", "Jo Bloggs", "5555", "csa", by=sam)  # back from a career break
    assert people.check("bootle", "Jo Bloggs", "5555") == "csa"


# -- the kiosk's keypad ---------------------------------------------------------------------

SITE_PIN = hashlib.sha256(b"2468").hexdigest()


def earlier(db: Database, place: str, by: timedelta) -> None:
    """Move a place's rows of the audit trail back in time (time passing, as far as the
    kiosk's keypad can tell)."""
    with db.transaction() as tx:
        for row in tx.conn.execute(
            select(audit_t.c.id, audit_t.c.at).where(audit_t.c.place == place)
        ).all():
            tx.conn.execute(update(audit_t).where(audit_t.c.id == row.id).values(at=row.at - by))


def test_the_kiosk_takes_the_site_files_pin_only_while_the_site_has_no_supervisors(
    db, db_url
) -> None:
    staff = Staff(db)
    assert staff.kiosk_exit("bootle", "Kiosk 1", "2468", SITE_PIN) == ""
    with pytest.raises(SignInRefused):
        staff.kiosk_exit("bootle", "Kiosk 1", "1357", SITE_PIN)
    staff.add("bootle", "Sam Super", "1357", "supervisor")
    with pytest.raises(SignInRefused, match="not right"):
        staff.kiosk_exit("bootle", "Kiosk 1", "2468", SITE_PIN)
    assert staff.kiosk_exit("bootle", "Kiosk 1", "1357", SITE_PIN) == "Sam Super"
    staff.add("southport", "Ada Admin", "8642", "admin")  # before Southport's supervisor
    assert staff.kiosk_exit("bootle", "Kiosk 1", "8642", SITE_PIN) == "Ada Admin"
    staff.add(
        "southport",
        "Sue Port",
        "1111",
        "supervisor",
        by=Staff(db).login("southport", "Ada Admin", "8642", place="onestop command"),
    )
    with pytest.raises(SignInRefused):  # another site's supervisor
        staff.kiosk_exit("bootle", "Kiosk 1", "1111", SITE_PIN)
    unlocked = [(r.staff_name, r.place, r.detail) for r in audit_rows(db, "kiosk_unlocked")]
    assert unlocked == [
        (None, "Kiosk 1", "the site file's PIN"),
        ("Sam Super", "Kiosk 1", None),
        ("Ada Admin", "Kiosk 1", None),
    ]


def test_wrong_pins_at_a_kiosk_lock_its_keypad_through_a_restart(db, db_url) -> None:
    staff = Staff(db)
    staff.add("bootle", "Sam Super", "1357", "supervisor")
    for attempt in range(LOCK_AFTER):
        with pytest.raises(SignInRefused) as wrong:
            staff.kiosk_exit("bootle", "Kiosk 1", f"000{attempt}", SITE_PIN)
    assert isinstance(wrong.value, LockedOut)
    restarted = Database(db_url)
    try:
        with pytest.raises(LockedOut, match="too many wrong PINs at Kiosk 1"):
            Staff(restarted).kiosk_exit("bootle", "Kiosk 1", "1357", SITE_PIN)
        # Another kiosk, and the supervisor's own sign-in, are not locked by it.
        assert Staff(restarted).kiosk_exit("bootle", "Kiosk 2", "1357") == "Sam Super"
        assert Staff(restarted).check("bootle", "Sam Super", "1357") == "supervisor"
        earlier(restarted, "Kiosk 1", timedelta(minutes=16))  # fifteen minutes on
        assert Staff(restarted).kiosk_exit("bootle", "Kiosk 1", "1357") == "Sam Super"
    finally:
        restarted.dispose()
    actions = [r.action for r in audit_rows(db) if r.place == "Kiosk 1"]
    assert actions == ["kiosk_pin_refused"] * 5 + ["kiosk_pin_locked", "kiosk_unlocked"]


# -- the audit trail -----------------------------------------------------------------------


def test_the_audit_trail_of_a_morning_says_who_did_what_and_when(db, people) -> None:
    from shared.domain import Outcome
    from shared.notices import Notices
    from shared.reports.privacy import daily_purge

    office, notices = Office(db), Notices(db)
    rita = people.login("bootle", "Rita Desk", "4321", place="Reception")
    first = office.checkin("bootle", "council-tax").ticket  # at the kiosk
    office.greet("bootle", first, by=rita)
    second = office.checkin("bootle", "parking", by=rita).ticket  # added by hand
    notices.set_delay("bootle", "Two advisers on training", 20, by=rita, place="Reception")
    with pytest.raises(SignInRefused):
        people.sign_in("bootle", "Desk 1", "Jo Bloggs", "0000")
    people.sign_in("bootle", "Desk 1", "Jo Bloggs", "1234")
    office.call_next("bootle", "Desk 1")
    office.start("bootle", desk="Desk 1")
    office.finish("bootle", Outcome.parse("resolved", ""), desk="Desk 1")
    alarm = notices.raise_alert("bootle", "safety", "Desk 1", "Safety alarm at Desk 1")
    notices.resolve("bootle", alert_id=alarm, by=rita, place="Reception")
    booking = office.add_appointment(
        "bootle", "housing", datetime.now(UTC) + timedelta(days=1), "BOO-TEST1", by=rita
    )
    office.cancel_appointment("bootle", booking["ref"], by=rita)
    office.leave("bootle", second, by=rita)
    people.set_status("bootle", "Desk 1", "closed")
    people.logout(rita)
    sam = people.login("bootle", "Sam Super", "2468", place="Reception (Supervisor tab)")
    compute(db, ["bootle"], Period.quarter("2025-Q3"), by=sam)
    daily_purge(db, "bootle", place="Reception")
    steps = trail(db, "bootle", by=sam)
    morning = [(s.action, s.staff, s.place, s.ticket) for s in steps]
    assert morning[-20:] == [
        ("signed_in", "Rita Desk", "Reception", None),
        ("checked_in", None, None, first),
        ("greeted", "Rita Desk", None, first),
        ("checked_in", "Rita Desk", None, second),
        ("delay_notice_set", "Rita Desk", "Reception", None),
        ("sign_in_refused", "Jo Bloggs", "Desk 1", None),
        ("signed_in", "Jo Bloggs", "Desk 1", None),
        ("called", "Jo Bloggs", "Desk 1", first),
        ("started", "Jo Bloggs", "Desk 1", first),
        ("finished", "Jo Bloggs", "Desk 1", first),
        ("alarm_raised", "Jo Bloggs", "Desk 1", None),
        ("alarm_acknowledged", "Rita Desk", "Reception", None),
        ("appointment_booked", "Rita Desk", "Reception", None),
        ("appointment_cancelled", "Rita Desk", "Reception", None),
        ("left", "Rita Desk", None, second),
        ("signed_out", "Jo Bloggs", "Desk 1", None),
        ("signed_out", "Rita Desk", "Reception", None),
        ("signed_in", "Sam Super", "Reception (Supervisor tab)", None),
        ("report_run", "Sam Super", "Reception (Supervisor tab)", None),
        ("purged", None, "daily purge (Reception)", None),
    ]  # every step, in the order done
    assert all(a.at <= b.at for a, b in itertools.pairwise(steps))
    delay = next(s for s in steps if s.action == "delay_notice_set")
    assert (delay.detail, delay.note) == ("about 20 min", "Two advisers on training")
    report = next(s for s in steps if s.action == "report_run")
    assert report.detail == "charter report 2025-07-01 to 2025-09-30"
    # Only what one member did; and reading the trail is itself recorded.
    jo = [s.action for s in trail(db, "bootle", staff="jo bloggs", by=sam)]
    assert jo == [
        "sign_in_refused", "signed_in", "called", "started", "finished", "alarm_raised",
        "signed_out",
    ]  # fmt: skip
    viewed = audit_rows(db, "audit_viewed")
    assert [(r.staff_name, r.detail) for r in viewed][-1][0] == "Sam Super"
    assert viewed[-1].detail.endswith(", jo bloggs")


def test_a_purge_keeps_who_did_what_and_when_but_clears_what_they_typed(db, people) -> None:
    from shared.notices import Notices

    sam = people.login("bootle", "Sam Super", "2468", place="Reception")
    Notices(db).set_delay("bootle", "Jo is off sick today", 30, by=sam, place="Reception")
    with pytest.raises(SignInRefused):
        people.login("bootle", "Mrs A. Resident", "1234", place="Reception")
    before = [(r.at, r.action, r.staff_name, r.role, r.place, r.detail) for r in audit_rows(db)]
    kept = purge(db, ["bootle"], now=datetime.now(UTC) + timedelta(days=3650), by=sam)
    assert kept[0].notes == 2
    after = audit_rows(db)
    assert [(r.at, r.action, r.staff_name, r.role, r.place, r.detail) for r in after][
        : len(before)
    ] == before  # who, what, where and when: all there
    assert all(r.note is None for r in after)
    assert after[-1].action == "purged" and after[-1].staff_name == "Sam Super"
    assert "2 notes in the audit trail" in after[-1].detail
    # The visits' own steps are kept whole too.
    assert purge(db, ["bootle"], by=sam)[0].notes == 0  # nothing older than a year yet


def test_the_daily_purge_runs_once_a_day_per_site_whichever_app_asks(db_url, db) -> None:
    import threading

    from shared.reports.privacy import daily_purge
    from shared.store.tables import purge_t

    pcs = [Database(db_url) for _ in range(4)]
    try:
        results: list[Any] = []
        start = threading.Barrier(len(pcs))

        def app(pc: Database) -> None:
            start.wait()
            results.append(daily_purge(pc, "bootle", place="Desk"))

        threads = [threading.Thread(target=app, args=(pc,)) for pc in pcs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(results) == 4 and sum(r is not None for r in results) == 1
        assert daily_purge(pcs[0], "bootle") is None  # again today: nothing
        assert daily_purge(pcs[0], "southport") is not None  # each site its own day
        with db.transaction() as tx:  # the next day
            tx.conn.execute(update(purge_t).values(day=datetime(2020, 1, 1).date()))
        assert daily_purge(pcs[1], "bootle") is not None
    finally:
        for pc in pcs:
            pc.dispose()
    assert [r.place for r in audit_rows(db, "purged")] == [
        "daily purge (Desk)",
        "daily purge (a staff app)",
        "daily purge (a staff app)",
    ]


def test_onestop_db_upgrade_brings_an_existing_database_with_staff_to_0006(db_url, capsys) -> None:
    """A database of the last release (0005), its staff with PINs hashed the old way and
    a day's visits, upgraded by the command: everyone signs in as before."""
    from alembic import command
    from sqlalchemy import create_engine, insert

    from shared.cli import main
    from shared.store.migrate import alembic_config, current_revision
    from shared.store.tables import event_t, site_t

    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "0005")
        old = Database(db_url, migrate=False)
        with old.engine.begin() as conn:
            conn.execute(
                insert(site_t).values(
                    code="bootle", name="Bootle One Stop Shop", config=BOOTLE, version=0
                )
            )
            salt = bytes(range(16))
            legacy = hashlib.scrypt(b"2468", salt=salt, n=2**14, r=8, p=1, dklen=32).hex()
            conn.exec_driver_sql(
                "INSERT INTO staff (site_id, name, role, pin_hash, created_at) VALUES"
                f" (1, 'Sam Super', 'supervisor', 'scrypt${salt.hex()}${legacy}', "
                "'2026-11-30 09:00:00+00:00')"
            )
        old.dispose()
        assert main(["db", "upgrade", "--db", db_url]) == 0
        assert "upgraded to 0006" in capsys.readouterr().out
        with engine.connect() as conn:
            assert current_revision(conn) == "0006"
    finally:
        engine.dispose()
    db = Database(db_url)
    try:
        office = Office(db)
        ticket = office.checkin("bootle", "council-tax").ticket
        sam = Staff(db).login("bootle", "Sam Super", "2468", place="Reception")
        office.greet("bootle", ticket, by=sam)
        with db.transaction(write=False) as tx:
            named = tx.conn.execute(select(event_t.c.action, event_t.c.staff_name)).all()
        assert [tuple(r) for r in named] == [("checked_in", None), ("greeted", "Sam Super")]
        assert [m.failed_pins for m in Staff(db).members("bootle", by=sam)] == [0]
    finally:
        db.dispose()
