"""On PostgreSQL every statement of the store is planned with its own values.

psycopg prepares a statement on the server once it has run it five times, and
PostgreSQL then plans it once for any values (a generic plan). The load test's
history check found the display's read of today's calls (Office.calls_since) so
planned with a year of history (400,000 visits, 787,000 steps): a backwards scan of
every step ever recorded, 100-146 ms at each change at the site instead of 2 ms,
and worse every year. So the store's connections prepare nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from shared.office import Office
from shared.store import Database

pytestmark = pytest.mark.postgres


def test_the_displays_read_run_many_times_is_never_prepared_on_the_server(pg_url: str) -> None:
    office = Office(Database(pg_url))
    try:
        office.ensure_default_sites()
        for _ in range(3):
            office.checkin("bootle", "council-tax")
        office.call_next("bootle", "Desk 1")
        with office.db.engine.connect() as conn:  # the pool's one connection, lent again
            backend = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        for _ in range(12):  # beyond psycopg's threshold of five
            assert [c["ticket"] for c in office.calls_since("bootle", 0, late_seconds=60)] == [
                "C001"
            ]
        with office.db.engine.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == backend
            prepared = conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar()
        assert prepared == 0
    finally:
        office.db.dispose()


def test_a_generic_plan_cannot_be_chosen_even_when_the_server_prefers_one(pg_url: str) -> None:
    """With plan_cache_mode = force_generic_plan a prepared statement is never planned
    with its values; unprepared, every run still is, and still finds today's calls."""
    office = Office(Database(pg_url))
    try:
        office.ensure_default_sites()
        name = office.db.engine.url.database
        with office.db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(
                text(f'ALTER DATABASE "{name}" SET plan_cache_mode = force_generic_plan')
            )
        office.db.dispose()  # new sessions take the setting
        office.checkin("bootle", "payments")
        office.call_next("bootle", "Desk 1")
        for _ in range(12):
            assert [c["desk"] for c in office.calls_since("bootle", 0)] == ["Desk 1"]
        with office.db.engine.connect() as conn:
            assert conn.execute(text("SHOW plan_cache_mode")).scalar() == "force_generic_plan"
            assert conn.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar() == 0
    finally:
        office.db.dispose()
