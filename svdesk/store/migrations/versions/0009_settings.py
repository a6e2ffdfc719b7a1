"""The council's settings: its name, address, logo, default weights and panel, report template, ocid prefix.

One row per key in ``council_setting`` (the keys and their checks are :mod:`svdesk.domain.council`), so the
CLI, the papers and every officer on a shared server see the same settings; every change is audited.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "council_setting",
        sa.Column("key", sa.Text(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        **({"sqlite_strict": True} if sqlite else {}),
    )


def downgrade() -> None:
    op.drop_table("council_setting")
