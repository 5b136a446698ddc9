"""Schema migrations (Alembic), applied at start-up and by `onestop db upgrade`.

Many apps may start at once against a new database: the upgrade runs inside one
writing transaction (BEGIN IMMEDIATE on SQLite, an advisory lock on PostgreSQL),
so exactly one of them migrates and the others find the schema current.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK_KEY = 0x0E570F  # PostgreSQL advisory lock id for migrations


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _refuse_what_cannot_be_applied(conn: Connection, current: str | None) -> None:
    """A PC whose OneStop is older than the database, or whose login may not change the
    schema (docs/deploy.md: only the admin's may), says so instead of failing midway."""
    from shared.domain import DomainError

    known = {
        script.revision for script in ScriptDirectory.from_config(alembic_config()).walk_revisions()
    }
    if current is not None and current not in known:
        raise DomainError(
            f"the database's schema ({current}) is newer than this OneStop ({head_revision()}):"
            " install on this PC the version of OneStop the database was upgraded to"
        )
    if conn.dialect.name == "postgresql":
        may = conn.execute(text("SELECT has_schema_privilege(current_schema(), 'CREATE')"))
        if not may.scalar():
            raise DomainError(
                f"the database's schema ({current or 'none yet'}) is older than this OneStop"
                f" ({head_revision()}) and this login may not upgrade it: the admin runs"
                " `onestop db upgrade` (docs/deploy.md)"
            )


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine) -> bool:
    """Bring the schema to the newest revision; True when something was applied."""
    with engine.connect() as conn:
        current = current_revision(conn)
        if current == head_revision():
            conn.rollback()
            return False
        _refuse_what_cannot_be_applied(conn, current)
        conn.rollback()
    with engine.connect() as conn:
        conn = conn.execution_options(onestop_write=True)
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
            if current_revision(conn) == head_revision():
                return False
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
    return True
