"""Who each bidder is: email address and identifiers, and the tender notice's reference.

The assessment summaries (Procurement Regulations 2024 reg. 31(2)(b)–(c)) name each supplier's email address
and its unique identifier on the central digital platform; OCDS notices carry Companies House and charity
numbers. They live in their own table, ``bid_contact``, with no freeze trigger: they are not part of the
evaluation, and a mistyped address must stay correctable after the award. ``tender.notice_id`` is the
reference of the tender notice or documents the papers name.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "bid_contact",
        sa.Column("bid_id", sa.Integer(), sa.ForeignKey("bid.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("cdp_id", sa.Text(), nullable=False),
        sa.Column("companies_house", sa.Text(), nullable=False),
        sa.Column("charity_number", sa.Text(), nullable=False),
        **({"sqlite_strict": True} if sqlite else {}),
    )
    # A plain ADD COLUMN (no table rebuild): the tender table's triggers stay as they are.
    op.add_column("tender", sa.Column("notice_id", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): a batch rebuild of ``tender`` would break the triggers that name it.
    op.drop_column("tender", "notice_id")
    op.drop_table("bid_contact")
