"""What the officer writes for a tender's committee report: one row per written section.

``report_text`` holds the committee report's purpose, background, options, implications, wards, key decision,
contact officer, background papers … (``svdesk.domain.report_texts``), and the officer's explicit choice to
publish the unsuccessful bidders' details (``publish_bidder_details``, text ``"true"``). Keyed by tender and
section name, with no freeze trigger: a committee report is redrafted after the evaluation is final.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "report_text",
        sa.Column("tender_id", sa.Integer(), sa.ForeignKey("tender.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("name", sa.Text(), primary_key=True),
        sa.Column("text", sa.Text(), nullable=False),
        **({"sqlite_strict": True} if sqlite else {}),
    )


def downgrade() -> None:
    op.drop_table("report_text")
