"""ticket blocks for offline kiosks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import shared.store.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("letter", sqlmodel.sql.sqltypes.AutoString(length=1), nullable=False),
        sa.Column("first_number", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("kiosk", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("holder", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("reserved_at", shared.store.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["site.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site_id", "day", "letter", "first_number", name="uq_ticket_block"),
    )


def downgrade() -> None:
    op.drop_table("ticket_block")
