"""Files attached to bids: the bidders' responses (which travel in evaluator packs) and pricing documents
(which never do), with their bytes, SHA-256 and who added them. Frozen with the bids when a tender is awarded.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

STRICT = {"sqlite_strict": True}
FROZEN = "('awarded', 'closed')"
FROZEN_MESSAGE = "svdesk: frozen: the criteria, bids and scores of an awarded tender cannot change"
STATUS = "(SELECT t.status FROM tender t JOIN bid b ON b.tender_id = t.id WHERE b.id = {r}.bid_id)"


def upgrade() -> None:
    op.create_table(
        "bid_attachment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("name_key", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("criterion", sa.Text(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("media_type", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_by", sa.Text(), nullable=False),
        sa.Column("added_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bid_attachment"),
        sa.ForeignKeyConstraint(["bid_id"], ["bid.id"], name="fk_bid_attachment_bid_id_bid", ondelete="CASCADE"),
        sa.UniqueConstraint("bid_id", "name_key", name="uq_bid_attachment_bid_id_name_key"),
        sa.UniqueConstraint("bid_id", "sha256", name="uq_bid_attachment_bid_id_sha256"),
        sa.CheckConstraint("kind IN ('response', 'pricing')", name="ck_bid_attachment_kind"),
        sa.CheckConstraint("size > 0", name="ck_bid_attachment_size"),
        **STRICT,
    )
    op.create_index("ix_bid_attachment_bid_id", "bid_attachment", ["bid_id"])
    new, old = STATUS.format(r="NEW"), STATUS.format(r="OLD")
    if op.get_bind().dialect.name == "sqlite":
        raise_frozen = f"BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END"
        op.execute(f"CREATE TRIGGER bid_attachment_frozen_insert BEFORE INSERT ON bid_attachment "
                   f"WHEN {new} IN {FROZEN} {raise_frozen}")
        op.execute(f"CREATE TRIGGER bid_attachment_frozen_update BEFORE UPDATE ON bid_attachment "
                   f"WHEN {old} IN {FROZEN} OR {new} IN {FROZEN} {raise_frozen}")
        op.execute(f"CREATE TRIGGER bid_attachment_frozen_delete BEFORE DELETE ON bid_attachment "
                   f"WHEN {old} IN {FROZEN} {raise_frozen}")
    else:
        op.execute(
            f"CREATE FUNCTION svdesk_bid_attachment_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP IN ('UPDATE', 'DELETE') THEN "
            f"  IF {old} IN {FROZEN} THEN RAISE EXCEPTION '{FROZEN_MESSAGE}'; END IF; END IF; "
            f"IF TG_OP IN ('INSERT', 'UPDATE') THEN "
            f"  IF {new} IN {FROZEN} THEN RAISE EXCEPTION '{FROZEN_MESSAGE}'; END IF; END IF; "
            f"IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$")
        op.execute("CREATE TRIGGER bid_attachment_frozen BEFORE INSERT OR UPDATE OR DELETE ON bid_attachment "
                   "FOR EACH ROW EXECUTE FUNCTION svdesk_bid_attachment_frozen()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS bid_attachment_frozen_{event}")
    else:
        op.execute("DROP TRIGGER IF EXISTS bid_attachment_frozen ON bid_attachment")
        op.execute("DROP FUNCTION IF EXISTS svdesk_bid_attachment_frozen()")
    op.drop_index("ix_bid_attachment_bid_id", table_name="bid_attachment")
    op.drop_table("bid_attachment")
