"""The kiosk's own database login (installer/postgres/setup.sh) may do what working
offline needs, and no more: keep blocks of numbers, send the check-ins it made
offline, raise its kiosk alerts; the staff login's check-ins step over the blocks."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from psycopg import errors
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from kiosk.link import Link
from kiosk.outbox import Outbox
from shared.domain.tickets import ticket_day
from shared.notices import Notices
from shared.office import Office
from shared.store import Database
from tests.integration.pg_deploy import ROOT, Deployment, new_deployment
from tests.pg import PostgresServer

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def deployment(postgres_server: PostgresServer) -> Iterator[Deployment]:
    deployment = new_deployment(postgres_server)
    try:
        deployment.run_setup()
        upgraded = subprocess.run(
            [sys.executable, "-m", "shared.cli", "db", "upgrade", "--db", deployment.url("admin")],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        assert upgraded.returncode == 0, upgraded.stderr
        deployment.run_setup()
        supervisor = Database(deployment.url("supervisor"))
        Office(supervisor).ensure_default_sites()
        supervisor.dispose()
        yield deployment
    finally:
        deployment.drop()


def test_the_kiosk_login_keeps_numbers_and_sends_what_it_issued_offline(
    deployment: Deployment, tmp_path: Path
) -> None:
    kiosk = Database(deployment.url("kiosk"))
    staff = Database(deployment.url("staff"))
    try:
        link = Link(
            Office(kiosk),
            Outbox(tmp_path / "outbox.sqlite3"),
            "bootle",
            "Kiosk 1",
            lambda: datetime.now(UTC),
        )
        link.load_site()
        first = link.step()
        assert first.online and first.problems == []
        day = ticket_day(datetime.now(UTC), "Europe/London")
        entry = link.outbox.issue(
            site="bootle",
            day=day,
            letter="C",
            service="council-tax",
            kiosk_clock=datetime.now(UTC),
            offset=link.offset,
        )
        sent = link.step()
        assert [e.ticket for e in sent.sent] == [entry.ticket] and sent.problems == []
        Notices(kiosk).raise_alert("bootle", "kiosk", "Kiosk 1", "Kiosk 1 cannot keep tickets")
        assert Office(staff).visit("bootle", entry.ticket).arrived_at == entry.arrived_at
        # The kiosk may add blocks, never change or remove one (another kiosk's above all).
        for statement in (
            "UPDATE ticket_block SET holder = 'mine'",
            "DELETE FROM ticket_block",
        ):
            with pytest.raises(ProgrammingError) as refused, kiosk.transaction() as tx:
                tx.conn.execute(text(statement))
            assert isinstance(refused.value.orig, errors.InsufficientPrivilege)
        # A day so long at the counter that its sequence reaches the blocks: staff's
        # check-ins step over the kiosk's numbers.
        with staff.transaction() as tx:
            tx.conn.execute(text("UPDATE ticket_counter SET last = 900 WHERE letter = 'C'"))
        ticket = Office(staff).checkin("bootle", "council-tax").ticket
        assert int(ticket[1:]) > 950 and ticket != entry.ticket
    finally:
        kiosk.dispose()
        staff.dispose()
