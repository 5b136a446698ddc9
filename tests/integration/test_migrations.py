"""The migrations build exactly the schema the table classes describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import shared.store.tables  # noqa: F401  (registers the tables)
from shared.store import Database
from shared.store.migrate import current_revision, head_revision, upgrade


def test_migrated_schema_matches_the_table_classes(db_url: str) -> None:
    db = Database(db_url)
    try:
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, SQLModel.metadata)
            assert current_revision(conn) == head_revision()
        assert differences == []
    finally:
        db.dispose()


def test_upgrade_is_idempotent(db_url: str) -> None:
    db = Database(db_url, migrate=False)
    try:
        assert upgrade(db.engine) is True
        assert upgrade(db.engine) is False
    finally:
        db.dispose()
