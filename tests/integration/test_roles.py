"""installer/postgres/setup.sh on the suite's real PostgreSQL server: each app's login
does what that app does, through the same Office, Notices and Staff code the apps
run, and is refused what it must not do (the kiosk's login above all: it sits on a
public PC).

The deployment is made once for the module, as docs/deploy.md says: setup.sh, then
`onestop db upgrade` as the admin, then setup.sh again; the sites are loaded and
the staff added by a supervisor.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from alembic.script import ScriptDirectory
from psycopg import errors
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from shared.domain import LockedOut, NotAllowed, Outcome, OutcomeKind, SignInRefused
from shared.notices import Notices
from shared.office import Office
from shared.reports.privacy import purge
from shared.staff import Staff
from shared.store import Database
from shared.store.migrate import alembic_config
from tests.integration.pg_deploy import ROOT, Deployment, new_deployment
from tests.pg import PostgresServer, find_bindir

pytestmark = pytest.mark.postgres

GRANTS = ROOT / "installer" / "postgres" / "grants.sql"


def onestop(*args: str, pin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The command; `pin`: for --as NAME, as a script gives it (ONESTOP_PIN)."""
    env = {k: v for k, v in os.environ.items() if k not in ("ONESTOP_PIN", "ONESTOP_NEW_PIN")}
    if pin is not None:
        env["ONESTOP_PIN"] = pin
    return subprocess.run(
        [sys.executable, "-m", "shared.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def deployment(postgres_server: PostgresServer) -> Iterator[Deployment]:
    deployment = new_deployment(postgres_server)
    try:
        first = deployment.run_setup()
        assert "not yet created" in first.stdout  # no tables before the migrations
        upgraded = onestop("db", "upgrade", "--db", deployment.url("admin"))
        assert upgraded.returncode == 0, upgraded.stderr
        second = deployment.run_setup()
        assert f"{deployment.role('kiosk')}: SELECT on site" in second.stdout
        assert "not yet created" not in second.stdout
        supervisor = Database(deployment.url("supervisor"))
        Office(supervisor).ensure_default_sites()  # site settings are the supervisor's
        Staff(supervisor).add("bootle", "Jo Bloggs", "1234", role="csa")
        Staff(supervisor).add("bootle", "Rita Desk", "4321", role="receptionist")
        Staff(supervisor).add("bootle", "Sam Super", "5678", role="supervisor")
        supervisor.dispose()
        yield deployment
    finally:
        deployment.drop()


class As:
    """One app's login: its Office, Notices and Staff, and raw SQL for what it must not do."""

    def __init__(self, deployment: Deployment, app: str) -> None:
        self.db = Database(deployment.url(app))
        self.office = Office(self.db)
        self.notices = Notices(self.db)
        self.staff = Staff(self.db)

    def sql(self, statement: str, **params: Any) -> Any:
        with self.db.transaction() as tx:
            result = tx.conn.execute(text(statement), params)
            return result.all() if result.returns_rows else result.rowcount

    def close(self) -> None:
        self.db.dispose()


@pytest.fixture
def login(deployment: Deployment) -> Iterator[Any]:
    opened: list[As] = []

    def open_as(app: str) -> As:
        opened.append(As(deployment, app))
        return opened[-1]

    yield open_as
    for one in opened:
        one.close()


def refused(action: Any) -> str:
    """The action fails for want of a privilege (and only for that); its message."""
    with pytest.raises(ProgrammingError) as caught:
        action()
    assert isinstance(caught.value.orig, errors.InsufficientPrivilege), caught.value
    return str(caught.value.orig)


def admin_sql(deployment: Deployment, statement: str) -> list[Any]:
    engine = create_engine(deployment.url("admin"))
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement))
            return list(result.all()) if result.returns_rows else []
    finally:
        engine.dispose()


def everything(deployment: Deployment) -> dict[str, list[Any]]:
    """Every row of every table, to show a refusal changed nothing."""
    tables = [
        r[0]
        for r in admin_sql(
            deployment, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
    ]
    return {t: sorted(map(repr, admin_sql(deployment, f'SELECT * FROM "{t}"'))) for t in tables}


def today_local() -> date:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/London")).date()


# -- the shape ---------------------------------------------------------------------------


def test_every_table_is_granted_by_the_script_and_belongs_to_the_owner(deployment) -> None:
    """A table a migration adds without a line in grants.sql is a decision nobody made."""
    tables = {
        row[0]: row[1]
        for row in admin_sql(
            deployment, "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'"
        )
    }
    granted = set(re.findall(r"\(:'\w+', '(\w+)',", GRANTS.read_text()))
    assert set(tables) - granted == set(), "tables with no grants in installer/postgres/grants.sql"
    assert granted - set(tables) == set(), "grants.sql names tables the schema does not have"
    assert set(tables.values()) == {deployment.role("owner")}
    who = admin_sql(deployment, "SELECT current_user, session_user")[0]
    assert tuple(who) == (deployment.role("owner"), deployment.role("admin"))


def test_only_onestops_roles_may_connect_and_none_may_create(deployment) -> None:
    with deployment.superuser() as conn:
        conn.execute("DROP ROLE IF EXISTS onestop_test_outsider")
        conn.execute("CREATE ROLE onestop_test_outsider LOGIN")
    try:
        outsider = deployment.server.url(deployment.database).replace(
            f"{deployment.server.superuser}@", "onestop_test_outsider@"
        )
        db = Database(outsider, migrate=False)
        with pytest.raises(Exception, match="permission denied for database"), db.transaction():
            pass
        db.dispose()
    finally:
        with deployment.superuser("postgres") as conn:
            conn.execute("DROP ROLE onestop_test_outsider")
    for app in ("kiosk", "display", "staff", "supervisor"):
        user = As(deployment, app)
        try:
            refused(lambda user=user: user.sql("CREATE TABLE mine (x int)"))
            refused(lambda user=user: user.sql("CREATE TEMPORARY TABLE mine (x int)"))
        finally:
            user.close()


# -- the kiosk ---------------------------------------------------------------------------


def test_the_kiosk_checks_visitors_in_raises_its_alerts_and_records_the_survey(
    deployment, login
) -> None:
    kiosk, staff = login("kiosk"), login("staff")
    booking = staff.office.add_appointment(
        "bootle", "housing-benefit", datetime.now(UTC) + timedelta(minutes=1)
    )

    walk_in = kiosk.office.checkin("bootle", "council-tax", flags={"interpreter": "Polski"})
    booked = kiosk.office.checkin("bootle", appointment=booking["ref"])
    assert walk_in.ticket.startswith("C") and booked.appointment_at is not None
    assert kiosk.office.visit("bootle", walk_in.ticket).state.value == "checked_in"
    assert kiosk.office.site("bootle").code == "bootle"
    help_id = kiosk.notices.raise_alert("bootle", "help", "kiosk-1", "A visitor asked for help")
    kiosk.notices.raise_alert("bootle", "printer", "kiosk-1", "Ticket printer out of paper")
    assert kiosk.notices.resolve("bootle", kind="printer", source="kiosk-1") == 1
    kiosk.notices.set_closed("bootle", True, "Closed by staff")  # its staff page
    assert kiosk.notices.notice("bootle").closed
    kiosk.notices.set_closed("bootle", False)
    answer = kiosk.notices.record_survey(
        "bootle", ticket=walk_in.ticket, resolved=True, csa=5, overall=4, comment="Helpful"
    )

    assert [a.id for a in staff.notices.alerts("bootle")] == [help_id]
    arrived = [a for a in staff.office.appointments("bootle") if a["ref"] == booking["ref"]]
    assert arrived[0]["status"] == "arrived" and arrived[0]["ticket"] == booked.ticket
    rows = staff.sql("SELECT visit_id, comment FROM survey_response WHERE id = :id", id=answer)
    assert rows[0].comment == "Helpful" and rows[0].visit_id == walk_in.visit_id


def test_the_kiosk_is_refused_staff_pins_the_audit_trail_changes_and_deletes(
    deployment, login
) -> None:
    kiosk, staff = login("kiosk"), login("staff")
    ticket = kiosk.office.checkin("bootle", "council-tax")
    appointment = staff.office.add_appointment("bootle", "council-tax", datetime.now(UTC))
    staff.office.cancel_appointment("bootle", appointment["ref"])
    safety = staff.notices.raise_alert("bootle", "safety", "Desk 2", "Safety alarm at Desk 2")
    before = everything(deployment)

    messages = [
        refused(lambda: kiosk.sql("SELECT pin_hash FROM staff")),
        refused(lambda: kiosk.sql("SELECT name FROM staff")),
        refused(lambda: kiosk.sql("SELECT * FROM visit_event")),
        refused(lambda: kiosk.sql("SELECT staff_name FROM desk_session")),
        refused(lambda: kiosk.sql("SELECT comment FROM survey_response")),
        refused(
            lambda: kiosk.sql(
                "UPDATE visit SET state = 'called' WHERE id = :id", id=ticket.visit_id
            )
        ),
        refused(lambda: kiosk.sql("UPDATE visit SET priority = true")),
        refused(lambda: kiosk.sql("UPDATE visit_event SET action = 'called'")),
        refused(lambda: kiosk.sql("UPDATE site SET config = ''")),
        refused(lambda: kiosk.sql("UPDATE appointment SET at = now()")),
        refused(
            lambda: kiosk.sql(
                "INSERT INTO staff (site_id, name, role, pin_hash, created_at)"
                " VALUES (1, 'x', 'admin', 'x', now())"
            )
        ),
        refused(
            lambda: kiosk.sql(
                "INSERT INTO visit_event (visit_id, site_id, at, action, state)"
                " VALUES (1, 1, now(), 'finished', 'finished') RETURNING *"
            )
        ),
        refused(lambda: kiosk.sql("TRUNCATE visit CASCADE")),
    ]
    for table in (
        "visit",
        "visit_event",
        "alert",
        "survey_response",
        "appointment",
        "ticket_counter",
        "queue_count",
        "site_notice",
        "site",
        "staff",
    ):
        messages.append(refused(lambda table=table: kiosk.sql(f"DELETE FROM {table}")))
    assert all("permission denied" in m for m in messages), messages
    # What the column grants allow, the row rules refuse: cancelling a booking, raising
    # or silencing a safety alarm.
    row_rules = [
        refused(
            lambda: kiosk.sql(
                "UPDATE appointment SET status = 'booked' WHERE ref = :ref", ref=appointment["ref"]
            )
        ),
        refused(
            lambda: kiosk.sql("UPDATE alert SET resolved_at = now() WHERE id = :id", id=safety)
        ),
        refused(lambda: kiosk.notices.raise_alert("bootle", "safety", "kiosk-1", "pretend")),
        refused(lambda: kiosk.notices.resolve("bootle", kind="safety")),
    ]
    assert all("the kiosk may" in m for m in row_rules), row_rules
    # Staff actions, through the same code the apps run.
    refused(lambda: kiosk.office.greet("bootle", ticket.ticket))
    refused(lambda: kiosk.office.call_next("bootle", "Desk 1"))
    refused(lambda: kiosk.office.leave("bootle", ticket.ticket))
    refused(lambda: kiosk.staff.check("bootle", "Jo Bloggs", "1234"))
    refused(lambda: kiosk.sql("SELECT public.onestop_pin_setting('bootle', 'Jo Bloggs')"))
    refused(
        lambda: kiosk.sql(
            "SELECT * FROM public.onestop_sign_in('bootle', 'Jo Bloggs', 'x', 'x', 'x',"
            " now(), 5, '1 minute')"
        )
    )
    refused(lambda: kiosk.sql("SELECT * FROM audit_event"))
    refused(
        lambda: kiosk.sql(
            "INSERT INTO audit_event (site_id, at, action, staff_name)"
            " VALUES (1, now(), 'signed_in', 'Sam Super')"
        )
    )
    refused(lambda: kiosk.staff.add("bootle", "Mallory", "0000", role="admin"))
    refused(lambda: kiosk.office.load_site((ROOT / "resources/sites/bootle.toml").read_text()))
    refused(lambda: kiosk.notices.set_delay("bootle", "pretend", 90))
    assert everything(deployment) == before


def test_the_kiosks_refusal_reaches_the_command_line_as_a_message(deployment, login) -> None:
    ticket = login("kiosk").office.checkin("bootle", "council-tax").ticket
    result = onestop("greet", ticket, "--site", "bootle", "--db", deployment.url("kiosk"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.strip() == (
        "onestop: error: this database login may not do that (permission denied for table"
        " visit): docs/deploy.md says which login each PC uses"
    )
    as_json = onestop(
        "staff",
        "add",
        "--site",
        "bootle",
        "--name",
        "M",
        "--pin",
        "1234",
        "--json",
        "--db",
        deployment.url("kiosk"),
    )
    assert as_json.returncode == 2
    assert "permission denied for table staff" in json.loads(as_json.stdout)["error"]


# -- the display ---------------------------------------------------------------------------


def test_the_display_reads_the_calls_and_writes_nothing(deployment, login, qapp, tmp_path) -> None:
    from reception.display import DisplayPresenter
    from shared.eventlog import EventLog

    display, staff = login("display"), login("staff")
    presenter = DisplayPresenter(display.office, "bootle", EventLog("display", tmp_path))
    presenter.poll.stop()
    calls: list[str] = []
    presenter.called.connect(lambda call: calls.append(f"{call.ticket} {call.desk}"))
    ticket = staff.office.checkin("bootle", "council-tax").ticket
    staff.office.call_ticket("bootle", "Desk 2", ticket)
    presenter.refresh()
    assert calls == [f"{ticket} Desk 2"]
    staff.office.checkin("bootle", "council-tax")  # one waiting: the ticker gives the wait
    assert "Council Tax: about" in presenter.ticker_text()
    assert display.notices.notice("bootle").closed is False
    before = everything(deployment)

    tables = [
        r[0]
        for r in admin_sql(
            deployment, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        )
    ]
    for table in tables:
        column = admin_sql(
            deployment,
            "SELECT column_name FROM information_schema.columns"
            f" WHERE table_name = '{table}' ORDER BY ordinal_position LIMIT 1",
        )[0][0]
        refused(lambda table=table: display.sql(f"INSERT INTO {table} DEFAULT VALUES"))
        refused(
            lambda table=table, column=column: display.sql(
                f"UPDATE {table} SET {column} = {column}"
            )
        )
        refused(lambda table=table: display.sql(f"DELETE FROM {table}"))
    for secret in (
        "SELECT pin_hash FROM staff",
        "SELECT detail FROM visit_event",
        "SELECT comment FROM survey_response",
        "SELECT staff_name FROM desk_session",
        "SELECT * FROM alert",
        "SELECT ref FROM appointment",
    ):
        refused(lambda secret=secret: display.sql(secret))
    refused(lambda: display.office.checkin("bootle", "council-tax"))
    refused(lambda: display.notices.raise_alert("bootle", "help", "display"))
    assert everything(deployment) == before
    presenter.deleteLater()


# -- staff -----------------------------------------------------------------------------


def test_staff_greet_call_serve_and_finish_at_reception_and_the_desks(deployment, login) -> None:
    staff = login("staff")
    desk = staff.staff.sign_in("bootle", "Desk 1", "Jo Bloggs", "1234")
    assert desk.staff_name == "Jo Bloggs"
    assert staff.staff.check("bootle", "Sam Super", "5678") == "supervisor"
    first = staff.office.checkin("bootle", "council-tax")  # reception adds a visitor by hand
    staff.office.greet("bootle", first.ticket)
    called = staff.office.call_next("bootle", "Desk 1")
    assert called.ticket is not None
    staff.office.recall("bootle", desk="Desk 1")
    staff.office.start("bootle", desk="Desk 1")
    staff.office.transfer("bootle", desk="Desk 1", to_service="payments")
    again = staff.office.call_next("bootle", "Desk 1")
    staff.office.start("bootle", desk="Desk 1")
    done = staff.office.finish("bootle", Outcome(OutcomeKind.RESOLVED), desk="Desk 1")
    assert done.state.value == "finished" and again.ticket == done.ticket
    staff.office.checkin("bootle", "council-tax")
    staff.office.call_next("bootle", "Desk 1")
    staff.office.park("bootle", desk="Desk 1")
    parked = staff.office.with_desks("bootle")[0].ticket
    staff.office.return_to_queue("bootle", parked)
    staff.staff.set_status("bootle", "Desk 1", "break")
    staff.staff.set_status("bootle", "Desk 1", "open")
    staff.staff.set_status("bootle", "Desk 1", "closed")
    staff.notices.set_delay("bootle", "Two advisers off sick", 25)
    alarm = staff.notices.raise_alert("bootle", "safety", "Desk 1", "Safety alarm at Desk 1")
    assert staff.notices.resolve("bootle", alert_id=alarm) == 1
    booking = staff.office.add_appointment(
        "bootle", "council-tax", datetime.now(UTC) + timedelta(days=1)
    )
    staff.office.change_appointment(
        "bootle", booking["ref"], at=datetime.now(UTC) + timedelta(days=2)
    )
    staff.office.cancel_appointment("bootle", booking["ref"])
    assert staff.office.visits("bootle")
    from shared.audit import trail

    sam = staff.staff.login("bootle", "Sam Super", "5678", place="Reception")
    steps = trail(staff.db, "bootle", by=sam)  # the audit trail, at the reception console
    done = [(s.action, s.staff) for s in steps if s.ticket == again.ticket]
    assert ("finished", "Jo Bloggs") in done and ("called", "Jo Bloggs") in done
    assert ("signed_in", "Jo Bloggs", "Desk 1") in [(s.action, s.staff, s.place) for s in steps]
    staff.notices.set_delay("bootle", None, None)


def test_the_staff_apps_daily_purge_clears_old_comments_once_a_day(deployment, login) -> None:
    """The reception console and the desks (staff login) run the daily purge; a
    supervisor (signed in at the console) may purge on demand."""
    from shared.reports.privacy import daily_purge

    kiosk, staff = login("kiosk"), login("staff")
    long_ago = datetime.now(UTC) - timedelta(days=3000)
    kiosk.notices.record_survey(
        "bootle", csa=4, comment="Signed: A. Resident", answered_at=long_ago
    )
    staff.sql("UPDATE daily_purge SET day = '2000-01-01'")  # not yet today, if ever
    first = daily_purge(staff.db, "bootle", place="Reception")
    assert first is not None and first.comments >= 1
    assert daily_purge(staff.db, "bootle", place="Desk 1") is None  # once a day
    kiosk.notices.record_survey("bootle", csa=4, comment="Call me on 0151", answered_at=long_ago)
    with pytest.raises(NotAllowed):
        purge(staff.db, ["bootle"])
    sam = staff.staff.login("bootle", "Sam Super", "5678", place="Reception")
    assert purge(staff.db, ["bootle"], by=sam)[0].comments == 1
    assert not staff.sql(
        "SELECT id FROM survey_response WHERE comment IN ('Signed: A. Resident', 'Call me on 0151')"
    )
    rows = staff.sql("SELECT staff_name, place FROM audit_event WHERE action = 'purged'")
    assert (None, "daily purge (Reception)") in rows and ("Sam Super", "Reception") in rows


def test_staff_may_not_manage_accounts_settings_or_rewrite_history(deployment, login) -> None:
    staff = login("staff")
    ticket = staff.office.checkin("bootle", "council-tax")
    kiosk = login("kiosk")
    kiosk.notices.record_survey("bootle", csa=2, comment="Slow")
    sam = staff.staff.login("bootle", "Sam Super", "5678", place="Reception")
    before = everything(deployment)
    with pytest.raises(NotAllowed):  # the core asks for a supervisor first
        staff.staff.add("bootle", "Mallory", "0000", role="csa")
    # A supervisor signed in at the console, on the staff login: the database refuses.
    refused(lambda: staff.staff.add("bootle", "Mallory", "0000", role="csa", by=sam))
    refused(lambda: staff.staff.unlock("bootle", "Jo Bloggs", by=sam))
    refused(lambda: staff.sql("UPDATE staff SET role = 'admin' WHERE name = 'Jo Bloggs'"))
    refused(
        lambda: staff.office.load_site(
            (ROOT / "resources/sites/bootle.toml").read_text(), "bootle.toml", by=sam
        )
    )
    refused(
        lambda: staff.sql("UPDATE visit SET ticket = 'C999' WHERE id = :id", id=ticket.visit_id)
    )
    refused(lambda: staff.sql("UPDATE visit SET site_id = 2 WHERE id = :id", id=ticket.visit_id))
    refused(lambda: staff.sql("UPDATE visit_event SET at = now()"))
    refused(lambda: staff.sql("UPDATE survey_response SET csa = 5"))
    message = refused(lambda: staff.sql("UPDATE survey_response SET comment = 'Excellent'"))
    assert "cleared, never written" in message
    # The audit trail and the sign-ins: added to by the apps, never rewritten.
    refused(lambda: staff.sql("UPDATE audit_event SET staff_name = 'Someone else'"))
    refused(lambda: staff.sql("UPDATE audit_event SET at = now() - interval '1 day'"))
    message = refused(lambda: staff.sql("UPDATE audit_event SET note = 'rewritten'"))
    assert "cleared, never written" in message
    refused(lambda: staff.sql("UPDATE visit_event SET staff_name = 'Someone else'"))
    refused(lambda: staff.sql("UPDATE staff_login SET expires_at = now() + interval '9 years'"))
    refused(
        lambda: staff.sql(
            "INSERT INTO staff_login (site_id, staff_id, token_hash, place, signed_in_at,"
            " expires_at) SELECT site_id, id, 'forged', 'x', now(), now() + interval '1 day'"
            " FROM staff WHERE name = 'Sam Super'"
        )
    )
    for table in (
        "visit",
        "visit_event",
        "survey_response",
        "alert",
        "appointment",
        "staff",
        "desk_session",
        "audit_event",
        "staff_login",
        "daily_purge",
    ):
        refused(lambda table=table: staff.sql(f"DELETE FROM {table}"))
    assert everything(deployment) == before


def test_no_apps_login_reads_a_pin_hash_yet_staff_sign_in_and_are_locked_out(
    deployment, login
) -> None:
    """PINs are checked by the server (onestop_sign_in): no login but the admin's can read
    a hash, and the count of wrong PINs and the lock are beyond the staff logins too."""
    staff, supervisor, kiosk, display = (
        login(a) for a in ("staff", "supervisor", "kiosk", "display")
    )
    for user in (staff, supervisor, kiosk, display):
        refused(lambda user=user: user.sql("SELECT pin_hash FROM staff"))
        refused(lambda user=user: user.sql("SELECT * FROM staff"))
        refused(lambda user=user: user.sql("SELECT count(*) FROM staff WHERE pin_hash LIKE 's%'"))
    stored = admin_sql(deployment, "SELECT pin_hash FROM staff WHERE name = 'Jo Bloggs'")[0][0]
    setting = staff.sql("SELECT public.onestop_pin_setting('bootle', 'Jo Bloggs')")[0][0]
    assert stored.startswith(setting + "$") and stored != setting  # the salt, not the digest
    assert stored.rsplit("$", 1)[1] not in setting
    # Signing in works on the staff login, and wrong PINs lock the account.
    assert staff.staff.login("bootle", "Rita Desk", "4321", place="Reception").role == (
        "receptionist"
    )
    for attempt in range(5):
        with pytest.raises(SignInRefused):
            staff.staff.login("bootle", "Rita Desk", f"000{attempt}", place="Reception")
    with pytest.raises(LockedOut):
        staff.staff.login("bootle", "Rita Desk", "4321", place="Reception")
    refused(lambda: staff.sql("UPDATE staff SET failed_pins = 0, locked_until = NULL"))
    refused(lambda: staff.sql("UPDATE staff SET pin_hash = 'scrypt$00$00'"))
    with pytest.raises(LockedOut):
        staff.staff.login("bootle", "Rita Desk", "4321", place="Reception")
    # A supervisor's PC unlocks it.
    sam = supervisor.staff.login("bootle", "Sam Super", "5678", place="onestop command")
    assert supervisor.staff.unlock("bootle", "Rita Desk", by=sam) is True
    assert staff.staff.login("bootle", "Rita Desk", "4321", place="Reception").name == "Rita Desk"
    rows = admin_sql(
        deployment,
        "SELECT action, staff_name FROM audit_event WHERE staff_name = 'Rita Desk'"
        " AND action IN ('locked_out', 'signed_in') ORDER BY id",
    )
    assert [tuple(r) for r in rows][-3:] == [
        ("signed_in", "Rita Desk"),
        ("locked_out", "Rita Desk"),
        ("signed_in", "Rita Desk"),
    ]


def test_the_kiosks_keypad_asks_the_server_for_a_supervisors_pin(deployment, login) -> None:
    kiosk = login("kiosk")
    assert kiosk.staff.kiosk_exit("bootle", "Kiosk 9", "5678", "") == "Sam Super"
    with pytest.raises(SignInRefused):
        kiosk.staff.kiosk_exit("bootle", "Kiosk 9", "1234", "")  # a CSA's PIN
    with pytest.raises(SignInRefused):  # the site file's PIN: Bootle has a supervisor now
        kiosk.staff.kiosk_exit("bootle", "Kiosk 9", "2468", hashlib.sha256(b"2468").hexdigest())
    settings = kiosk.sql("SELECT setting FROM public.onestop_kiosk_settings('bootle')")
    assert settings and all(setting.count("$") == 4 for (setting,) in settings)  # no digest
    rows = admin_sql(
        deployment,
        "SELECT action, staff_name FROM audit_event WHERE place = 'Kiosk 9' ORDER BY id",
    )
    assert [tuple(r) for r in rows] == [
        ("kiosk_unlocked", "Sam Super"),
        ("kiosk_pin_refused", None),
        ("kiosk_pin_refused", None),
    ]


def test_the_audit_trail_takes_the_servers_time(deployment, login) -> None:
    staff = login("staff")
    at = staff.sql(
        "INSERT INTO audit_event (site_id, at, action) SELECT id, '2001-01-01', 'backdated'"
        " FROM site WHERE code = 'bootle' RETURNING at"
    )[0][0]
    assert abs((at - datetime.now(UTC)).total_seconds()) < 60


# -- supervisor ------------------------------------------------------------------------------


def test_a_supervisor_runs_the_report_changes_settings_and_adds_staff(deployment, login) -> None:
    supervisor = login("supervisor")
    day = today_local().isoformat()
    report = onestop(
        "report",
        "--site",
        "bootle",
        "--from",
        day,
        "--to",
        day,
        "--format",
        "json",
        "--db",
        deployment.url("supervisor"),
        "--as",
        "Sam Super",
        pin="5678",
    )
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)
    at_reception = onestop(
        "report",
        "--all-sites",
        "--from",
        day,
        "--to",
        day,
        "--format",
        "json",
        "--db",
        deployment.url("staff"),
        "--as",
        "Sam Super",
        pin="5678",
    )
    assert at_reception.returncode == 0, at_reception.stderr  # Reports from the console
    sam = supervisor.staff.login("bootle", "Sam Super", "5678", place="onestop command")
    supervisor.staff.add("bootle", "New Starter", "2468", role="receptionist", by=sam)
    assert supervisor.staff.check("bootle", "New Starter", "2468") == "receptionist"
    supervisor.office.load_site(
        (ROOT / "resources/sites/bootle.toml").read_text(), "bootle.toml", by=sam
    )
    # And everything staff may (a supervisor is a member of the staff role).
    supervisor.office.greet("bootle", supervisor.office.checkin("bootle", "payments").ticket)
    refused(lambda: supervisor.sql("DELETE FROM visit"))
    refused(lambda: supervisor.sql("UPDATE visit_event SET action = 'finished'"))
    refused(lambda: supervisor.sql("DROP TABLE visit"))
    refused(lambda: supervisor.sql("ALTER TABLE visit ADD COLUMN x int"))


# -- the script itself ------------------------------------------------------------------------


def privileges(deployment: Deployment) -> dict[str, Any]:
    """Everything setup.sh decides, as the server records it."""
    prefix = deployment.prefix
    queries = {
        "tables": "SELECT grantee, table_name, privilege_type"
        f" FROM information_schema.role_table_grants WHERE grantee LIKE '{prefix}%'",
        "columns": "SELECT grantee, table_name, column_name, privilege_type"
        f" FROM information_schema.column_privileges WHERE grantee LIKE '{prefix}%'",
        "sequences": "SELECT relname, relacl::text FROM pg_class WHERE relkind = 'S'",
        "defaults": "SELECT defaclobjtype, defaclacl::text FROM pg_default_acl",
        "triggers": "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal",
        "functions": "SELECT proname, proowner::regrole::text, coalesce(proacl::text, '')"
        " FROM pg_proc WHERE proname LIKE 'onestop%'",
    }
    with deployment.superuser() as conn:
        found: dict[str, Any] = {k: sorted(conn.execute(q).fetchall()) for k, q in queries.items()}
        found["roles"] = sorted(
            conn.execute(
                "SELECT rolname, rolpassword, rolcanlogin, rolsuper FROM pg_authid"
                f" WHERE rolname LIKE '{prefix}%'"
            ).fetchall()
        )
        found["settings"] = sorted(
            conn.execute(
                "SELECT setrole::regrole::text, setconfig FROM pg_db_role_setting"
            ).fetchall()
        )
    return found


def test_setup_run_again_changes_nothing_keeps_passwords_and_undoes_hand_grants(deployment) -> None:
    before = privileges(deployment)
    assert all(row[1].startswith("SCRAM-SHA-256$") for row in before["roles"] if row[2])
    functions = {row[0]: row[1:] for row in before["functions"]}
    owner, staff, kiosk = (deployment.role(app) for app in ("owner", "staff", "kiosk"))
    assert {name: who for name, (who, _acl) in functions.items()} == {
        name: owner
        for name in (
            "onestop_guard",
            "onestop_kiosk_pin",
            "onestop_kiosk_settings",
            "onestop_pin_setting",
            "onestop_sign_in",
        )
    }

    def callers(name: str) -> set[str]:  # who may EXECUTE it, the owner aside
        acl = functions[name][1].strip("{}")
        return {e.split("=")[0] for e in acl.split(",") if "X" in e.split("=")[1]} - {owner}

    assert callers("onestop_sign_in") == callers("onestop_pin_setting") == {staff}
    assert callers("onestop_kiosk_pin") == callers("onestop_kiosk_settings") == {kiosk}
    with deployment.superuser() as conn:
        conn.execute(f'GRANT DELETE ON visit TO "{deployment.role("kiosk")}"')
        conn.execute(f'GRANT SELECT ON staff TO "{deployment.role("display")}"')
        conn.execute(
            "GRANT EXECUTE ON FUNCTION onestop_sign_in(text, text, text, text, text,"
            f' timestamptz, integer, interval) TO "{deployment.role("kiosk")}"'
        )
        conn.execute("GRANT SELECT (pin_hash) ON staff TO " + f'"{deployment.role("staff")}"')
    assert privileges(deployment) != before
    deployment.run_setup(passwords={})  # no password given: every role keeps its own
    assert privileges(deployment) == before
    deployment.run_setup(passwords={"kiosk": "a-new-kiosk-password"})
    after = privileges(deployment)
    changed = {row[0] for row in set(after["roles"]) ^ set(before["roles"])}
    assert changed == {deployment.role("kiosk")}
    deployment.passwords["kiosk"] = "a-new-kiosk-password"


def test_a_table_a_later_migration_adds_is_open_to_staff_and_closed_to_public_screens(
    deployment, login
) -> None:
    admin_sql(deployment, "CREATE TABLE later_feature (id serial PRIMARY KEY, note text)")
    try:
        staff, kiosk, display = login("staff"), login("kiosk"), login("display")
        staff.sql("INSERT INTO later_feature (note) VALUES ('written by a desk')")
        assert staff.sql("SELECT note FROM later_feature")[0].note == "written by a desk"
        refused(lambda: staff.sql("DELETE FROM later_feature"))
        refused(lambda: kiosk.sql("SELECT * FROM later_feature"))
        refused(lambda: display.sql("SELECT * FROM later_feature"))
    finally:
        admin_sql(deployment, "DROP TABLE later_feature")


def test_setup_refuses_a_missing_or_short_password_or_a_bad_name_and_changes_nothing(
    postgres_server: PostgresServer,
) -> None:
    fresh = new_deployment(postgres_server)
    try:
        missing = fresh.run_setup(passwords={"admin": "long-enough-password"}, check=False)
        assert missing.returncode == 2
        assert (
            f"{fresh.prefix}supervisor is new and ONESTOP_SUPERVISOR_PASSWORD is not set"
            in missing.stderr
        )
        short = dict(fresh.passwords, staff="short")
        too_short = fresh.run_setup(passwords=short, check=False)
        assert too_short.returncode == 2 and "shorter than 12" in too_short.stderr
        bad = Deployment(
            postgres_server, 'x"; DROP DATABASE postgres; --', fresh.prefix, fresh.passwords
        )
        named = bad.run_setup(check=False)
        assert named.returncode == 2 and "lower-case letters" in named.stderr
        with psycopg.connect(postgres_server.conninfo()) as conn:
            roles = conn.execute(
                "SELECT count(*) FROM pg_roles WHERE rolname LIKE %s", (fresh.prefix + "%",)
            ).fetchone()
            databases = conn.execute(
                "SELECT count(*) FROM pg_database WHERE datname = %s", (fresh.database,)
            ).fetchone()
        assert roles == (0,) and databases == (0,)
    finally:
        fresh.drop()


def test_a_database_first_migrated_as_the_superuser_is_taken_over(
    postgres_server: PostgresServer,
) -> None:
    """The pilot ran on the postgres login: setup.sh gives its tables to the owner."""
    pilot = new_deployment(postgres_server)
    with psycopg.connect(postgres_server.conninfo(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{pilot.database}"')
    try:
        old = Database(postgres_server.url(pilot.database))
        office = Office(old)
        office.ensure_default_sites()
        ticket = office.checkin("bootle", "council-tax").ticket
        old.dispose()
        pilot.run_setup()
        owners = admin_sql(
            pilot, "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
        )
        assert [r[0] for r in owners] == [pilot.role("owner")]
        definers = admin_sql(  # SECURITY DEFINER: never left running as the superuser
            pilot,
            "SELECT DISTINCT proowner::regrole::text FROM pg_proc WHERE proname LIKE 'onestop%'",
        )
        assert [r[0] for r in definers] == [pilot.role("owner")]
        staff = As(pilot, "staff")
        try:
            assert staff.office.greet("bootle", ticket).greeted_at is not None
        finally:
            staff.close()
    finally:
        pilot.drop()


def test_a_nightly_backup_restores_onto_a_new_database_with_the_same_roles(
    deployment, login, tmp_path
) -> None:
    """backup.sh, then the restore docs/deploy.md gives: setup.sh makes the empty
    database, pg_restore fills it as the owner, setup.sh again grants."""
    staff = login("staff")
    ticket = staff.office.checkin("bootle", "housing-benefit").ticket
    server = deployment.server
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ONESTOP_", "PG"))},
        "PGHOST": server.host,
        "PGPORT": str(server.port),
        "PGUSER": server.superuser,
        "PG_DUMP": str(find_bindir() / "pg_dump"),
        "ONESTOP_DB_NAME": deployment.database,
    }
    made = subprocess.run(
        ["bash", str(ROOT / "installer/postgres/backup.sh"), str(tmp_path / "backups")],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    dump = Path(made.stdout.strip())
    assert dump.is_file() and oct(dump.stat().st_mode & 0o777) == "0o600"
    assert not list(dump.parent.glob("*.partial"))

    restored = Deployment(
        server, f"{deployment.database}_restored", deployment.prefix, dict(deployment.passwords)
    )
    try:
        restored.run_setup(passwords={})  # the roles exist: they keep their passwords
        loaded = subprocess.run(
            [str(find_bindir() / "pg_restore"), "--no-owner", "--no-privileges", "--clean",
             "--if-exists", f"--role={restored.role('owner')}", "--exit-on-error",
             "-d", server.conninfo(restored.database), str(dump)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert loaded.returncode == 0, loaded.stderr
        restored.run_setup(passwords={})
        again = As(restored, "staff")
        try:
            assert again.office.greet("bootle", ticket).greeted_at is not None
        finally:
            again.close()
        kiosk = As(restored, "kiosk")
        try:
            refused(lambda: kiosk.sql("SELECT pin_hash FROM staff"))
            refused(lambda: kiosk.notices.raise_alert("bootle", "safety", "kiosk", "x"))
        finally:
            kiosk.close()
    finally:
        server.drop_database(restored.database)


def test_a_pc_out_of_step_with_the_schema_says_what_to_do(deployment) -> None:
    """Upgrading means the database and every PC at once (docs/deploy.md): a PC with an
    older OneStop than the database, or a newer one with a login that may not upgrade
    it, says so and exits 2 instead of a traceback."""
    real = admin_sql(deployment, "SELECT version_num FROM alembic_version")[0][0]
    try:
        admin_sql(deployment, "UPDATE alembic_version SET version_num = '9999_future'")
        newer = onestop("queue", "--site", "bootle", "--db", deployment.url("staff"))
        assert newer.returncode == 2 and "Traceback" not in newer.stderr
        assert "the database's schema (9999_future) is newer than this OneStop" in newer.stderr
        previous = ScriptDirectory.from_config(alembic_config()).get_revision(real).down_revision
        admin_sql(deployment, f"UPDATE alembic_version SET version_num = '{previous}'")
        older = onestop("queue", "--site", "bootle", "--db", deployment.url("kiosk"))
        assert older.returncode == 2 and "Traceback" not in older.stderr
        assert "this login may not upgrade it: the admin runs `onestop db upgrade`" in older.stderr
    finally:
        admin_sql(deployment, f"UPDATE alembic_version SET version_num = '{real}'")
