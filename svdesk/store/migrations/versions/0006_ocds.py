"""What a tender's notices need beyond the evaluation: ``tender_publication``.

One row per tender that has any of it: the published ocid (kept for ever once set), each bid's stable party id,
the CPV codes, lots, the buyer's identifier, address and contact point, the procurement method, the threshold,
the contract's total as published and the council's nation — as one JSON document (``svdesk.domain.publication``).
No freeze trigger: the notices are written after the award (the ocid and party ids are assigned at the first
export of an awarded tender).

Revision ID: 0006
Revises: 0004 (the lead re-chains at merge)
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "tender_publication",
        sa.Column("tender_id", sa.Integer(), sa.ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("data", sa.Text(), nullable=False),
        **({"sqlite_strict": True} if sqlite else {}),
    )


def downgrade() -> None:
    op.drop_table("tender_publication")
