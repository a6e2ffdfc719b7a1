"""The evaluation panel: members (with their declarations of interest and packs), the proceed reason, and the
bidders' answers to the quality and social-value questions (what evaluators read in their packs).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

STRICT = {"sqlite_strict": True}


def upgrade() -> None:
    op.create_table(
        "panel_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("initials", sa.Text(), nullable=False),
        sa.Column("initials_key", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("declared_on", sa.Text(), nullable=True),
        sa.Column("conflict", sa.Integer(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("bidders", sa.Text(), nullable=False),
        sa.Column("mitigation", sa.Text(), nullable=False),
        sa.Column("mitigation_text", sa.Text(), nullable=False),
        sa.Column("pack_sent", sa.Text(), nullable=True),
        sa.Column("pack_sha256", sa.Text(), nullable=False),
        sa.Column("returned", sa.Text(), nullable=True),
        sa.Column("return_sha256", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_panel_member"),
        sa.ForeignKeyConstraint(["tender_id"], ["tender.id"], name="fk_panel_member_tender_id_tender",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("tender_id", "initials_key", name="uq_panel_member_tender_id_initials_key"),
        sa.CheckConstraint("role IN ('evaluator', 'officer')", name="ck_panel_member_role"),
        sa.CheckConstraint("mitigation IN ('none', 'does_not_mark', 'other')", name="ck_panel_member_mitigation"),
        **STRICT,
    )
    op.create_index("ix_panel_member_tender_id", "panel_member", ["tender_id"])
    op.create_table(
        "panel_proceed",
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tender_id", name="pk_panel_proceed"),
        sa.ForeignKeyConstraint(["tender_id"], ["tender.id"], name="fk_panel_proceed_tender_id_tender",
                                ondelete="CASCADE"),
        **STRICT,
    )


    op.create_table(
        "bid_response",
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("bid_id", "criterion_id", name="pk_bid_response"),
        sa.ForeignKeyConstraint(["bid_id"], ["bid.id"], name="fk_bid_response_bid_id_bid", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["criterion_id"], ["criterion.id"], name="fk_bid_response_criterion_id_criterion",
                                ondelete="CASCADE"),
        **STRICT,
    )
    op.create_index("ix_bid_response_criterion_id", "bid_response", ["criterion_id"])


def downgrade() -> None:
    op.drop_index("ix_bid_response_criterion_id", table_name="bid_response")
    op.drop_table("bid_response")
    op.drop_table("panel_proceed")
    op.drop_index("ix_panel_member_tender_id", table_name="panel_member")
    op.drop_table("panel_member")
