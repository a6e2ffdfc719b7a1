"""Negotiation checklist: each tender's asks, and what every supplier offered and agreed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STRICT = {"sqlite_strict": True}


def _pence() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _fk(column: str, table: str, name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], name=name, ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "negotiation_ask",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("custom", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("theme", sa.Text(), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=False),
        sa.Column("formula", sa.Text(), nullable=False),
        sa.Column("how_to_value", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("clause", sa.Text(), nullable=False),
        sa.Column("kpi", sa.Text(), nullable=False),
        sa.Column("reporting", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_negotiation_ask"),
        _fk("tender_id", "tender", "fk_negotiation_ask_tender_id_tender"),
        sa.UniqueConstraint("tender_id", "code", name="uq_negotiation_ask_tender_id_code"),
        **STRICT,
    )
    op.create_index("ix_negotiation_ask_tender_id", "negotiation_ask", ["tender_id"])
    op.create_table(
        "negotiation_input",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ask_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("default_value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_negotiation_input"),
        _fk("ask_id", "negotiation_ask", "fk_negotiation_input_ask_id_negotiation_ask"),
        **STRICT,
    )
    op.create_index("ix_negotiation_input_ask_id", "negotiation_input", ["ask_id"])
    op.create_table(
        "negotiation_outcome",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ask_id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("offer", sa.Text(), nullable=False),
        sa.Column("value_entered", _pence(), nullable=True),
        sa.Column("beneficiaries", sa.Integer(), nullable=True),
        sa.Column("cost_to_council", _pence(), nullable=False),
        sa.Column("delivered_by", sa.Text(), nullable=False),
        sa.Column("partner", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_negotiation_outcome"),
        _fk("ask_id", "negotiation_ask", "fk_negotiation_outcome_ask_id_negotiation_ask"),
        _fk("bid_id", "bid", "fk_negotiation_outcome_bid_id_bid"),
        sa.UniqueConstraint("ask_id", "bid_id", name="uq_negotiation_outcome_ask_id_bid_id"),
        sa.CheckConstraint(
            "cost_to_council >= 0 AND (value_entered IS NULL OR value_entered >= 0)",
            name="ck_negotiation_outcome_money",
        ),
        **STRICT,
    )
    op.create_index("ix_negotiation_outcome_bid_id", "negotiation_outcome", ["bid_id"])
    op.create_table(
        "negotiation_outcome_input",
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("outcome_id", "name", name="pk_negotiation_outcome_input"),
        _fk("outcome_id", "negotiation_outcome", "fk_negotiation_outcome_input_outcome_id_negotiation_outcome"),
        **STRICT,
    )
    op.create_table(
        "negotiation_status_change",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("day", sa.Text(), nullable=False),
        sa.Column("old_status", sa.Text(), nullable=False),
        sa.Column("new_status", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_negotiation_status_change"),
        _fk("outcome_id", "negotiation_outcome", "fk_negotiation_status_change_outcome_id_negotiation_outcome"),
        **STRICT,
    )
    op.create_index("ix_negotiation_status_change_outcome_id", "negotiation_status_change", ["outcome_id"])


def downgrade() -> None:
    for table in ("negotiation_status_change", "negotiation_outcome_input", "negotiation_outcome",
                  "negotiation_input", "negotiation_ask"):
        op.drop_table(table)
