"""Core schema: tenders, criteria, bids, scores, commitments and the append-only audit log.

Money is whole pence (INTEGER on SQLite, BIGINT elsewhere); scores, weights and quantities are decimals
as text; every table is STRICT on SQLite. Triggers make the audit log append-only and freeze the criteria,
bids and scores of an awarded (or closed) tender.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

STRICT = {"sqlite_strict": True}
FROZEN = "('awarded', 'closed')"
FROZEN_MESSAGE = "svdesk: frozen: the criteria, bids and scores of an awarded tender cannot change"
AUDIT_MESSAGE = "svdesk: the audit log is append-only"


def _pence() -> sa.types.TypeEngine[int]:
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(column: str, table: str, name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{table}.id"], name=name, ondelete="CASCADE")


#: How each frozen table finds its tender's status from a row (``{r}`` is NEW or OLD).
STATUS_OF = {
    "criterion": "(SELECT status FROM tender WHERE id = {r}.tender_id)",
    "bid": "(SELECT status FROM tender WHERE id = {r}.tender_id)",
    "descriptor": "(SELECT t.status FROM tender t JOIN criterion c ON c.tender_id = t.id "
                  "WHERE c.id = {r}.criterion_id)",
    "consensus_score": "(SELECT t.status FROM tender t JOIN bid b ON b.tender_id = t.id WHERE b.id = {r}.bid_id)",
    "evaluator_score": "(SELECT t.status FROM tender t JOIN bid b ON b.tender_id = t.id WHERE b.id = {r}.bid_id)",
    "commitment": "(SELECT t.status FROM tender t JOIN bid b ON b.tender_id = t.id WHERE b.id = {r}.bid_id)",
}


def _sqlite_triggers() -> list[str]:
    raise_frozen = f"BEGIN SELECT RAISE(ABORT, '{FROZEN_MESSAGE}'); END"
    out = [
        f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        f"BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END",
        f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        f"BEGIN SELECT RAISE(ABORT, '{AUDIT_MESSAGE}'); END",
        f"CREATE TRIGGER tender_status_frozen BEFORE UPDATE OF status ON tender "
        f"WHEN OLD.status IN {FROZEN} AND NEW.status IS NOT OLD.status "
        f"AND NOT (OLD.status = 'awarded' AND NEW.status = 'closed') {raise_frozen}",
        f"CREATE TRIGGER tender_delete_frozen BEFORE DELETE ON tender WHEN OLD.status IN {FROZEN} {raise_frozen}",
    ]
    for table, expr in STATUS_OF.items():
        new, old = expr.format(r="NEW"), expr.format(r="OLD")
        out += [
            f"CREATE TRIGGER {table}_frozen_insert BEFORE INSERT ON {table} WHEN {new} IN {FROZEN} {raise_frozen}",
            f"CREATE TRIGGER {table}_frozen_update BEFORE UPDATE ON {table} "
            f"WHEN {old} IN {FROZEN} OR {new} IN {FROZEN} {raise_frozen}",
            f"CREATE TRIGGER {table}_frozen_delete BEFORE DELETE ON {table} WHEN {old} IN {FROZEN} {raise_frozen}",
        ]
    return out


def _postgresql_triggers() -> list[str]:
    out = [
        f"CREATE FUNCTION svdesk_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{AUDIT_MESSAGE}'; END $$",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION svdesk_audit_append_only()",
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION svdesk_audit_append_only()",
        f"CREATE FUNCTION svdesk_tender_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' THEN "
        f"  IF OLD.status IN {FROZEN} THEN RAISE EXCEPTION '{FROZEN_MESSAGE}'; END IF; RETURN OLD; "
        f"END IF; "
        f"IF OLD.status IN {FROZEN} AND NEW.status <> OLD.status "
        f"   AND NOT (OLD.status = 'awarded' AND NEW.status = 'closed') THEN "
        f"  RAISE EXCEPTION '{FROZEN_MESSAGE}'; END IF; "
        f"RETURN NEW; END $$",
        "CREATE TRIGGER tender_frozen BEFORE UPDATE OR DELETE ON tender "
        "FOR EACH ROW EXECUTE FUNCTION svdesk_tender_frozen()",
    ]
    for table, expr in STATUS_OF.items():
        new, old = expr.format(r="NEW"), expr.format(r="OLD")
        out += [
            f"CREATE FUNCTION svdesk_{table}_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF TG_OP IN ('UPDATE', 'DELETE') THEN "
            f"  IF {old} IN {FROZEN} THEN RAISE EXCEPTION '{FROZEN_MESSAGE}'; END IF; END IF; "
            f"IF TG_OP IN ('INSERT', 'UPDATE') THEN "
            f"  IF {new} IN {FROZEN} THEN RAISE EXCEPTION '{FROZEN_MESSAGE}'; END IF; END IF; "
            f"IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
            f"CREATE TRIGGER {table}_frozen BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION svdesk_{table}_frozen()",
        ]
    return out


def upgrade() -> None:
    op.create_table(
        "tender",
        _id(),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("annual_value", _pence(), nullable=True),
        sa.Column("term_years", sa.Integer(), nullable=False),
        sa.Column("extension_years", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("buyer", sa.Text(), nullable=False),
        sa.Column("officer", sa.Text(), nullable=False),
        sa.Column("tie_break", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_tender"),
        sa.UniqueConstraint("reference", name="uq_tender_reference"),
        sa.CheckConstraint(
            "status IN ('draft', 'negotiation', 'evaluation', 'awarded', 'closed', 'cancelled')",
            name="ck_tender_status",
        ),
        sa.CheckConstraint("version >= 1", name="ck_tender_version"),
        sa.CheckConstraint("annual_value IS NULL OR annual_value >= 0", name="ck_tender_annual_value"),
        **STRICT,
    )
    op.create_table(
        "key_date",
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("day", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("tender_id", "name", name="pk_key_date"),
        _fk("tender_id", "tender", "fk_key_date_tender_id_tender"),
        **STRICT,
    )
    op.create_table(
        "criterion",
        _id(),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("weight", sa.Text(), nullable=False),
        sa.Column("scale_max", sa.Text(), nullable=False),
        sa.Column("threshold", sa.Text(), nullable=True),
        sa.Column("method", sa.Text(), nullable=True),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_criterion"),
        _fk("tender_id", "tender", "fk_criterion_tender_id_tender"),
        sa.UniqueConstraint("tender_id", "code", name="uq_criterion_tender_id_code"),
        sa.CheckConstraint("kind IN ('price', 'quality', 'social_value', 'commitments')", name="ck_criterion_kind"),
        **STRICT,
    )
    op.create_index("ix_criterion_tender_id", "criterion", ["tender_id"])
    op.create_table(
        "descriptor",
        _id(),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("score", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_descriptor"),
        _fk("criterion_id", "criterion", "fk_descriptor_criterion_id_criterion"),
        **STRICT,
    )
    op.create_index("ix_descriptor_criterion_id", "descriptor", ["criterion_id"])
    op.create_table(
        "bid",
        _id(),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.Text(), nullable=False),
        sa.Column("supplier_key", sa.Text(), nullable=False),
        sa.Column("price", _pence(), nullable=True),
        sa.Column("sme", sa.Integer(), nullable=False),
        sa.Column("vcse", sa.Integer(), nullable=False),
        sa.Column("locality", sa.Text(), nullable=True),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("excluded", sa.Integer(), nullable=False),
        sa.Column("exclusion_reason", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_bid"),
        _fk("tender_id", "tender", "fk_bid_tender_id_tender"),
        sa.UniqueConstraint("tender_id", "supplier_key", name="uq_bid_tender_id_supplier_key"),
        sa.CheckConstraint("price IS NULL OR price >= 0", name="ck_bid_price"),
        sa.CheckConstraint("excluded IN (0, 1) AND sme IN (0, 1) AND vcse IN (0, 1)", name="ck_bid_flags"),
        **STRICT,
    )
    op.create_index("ix_bid_tender_id", "bid", ["tender_id"])
    op.create_table(
        "consensus_score",
        _id(),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_consensus_score"),
        _fk("bid_id", "bid", "fk_consensus_score_bid_id_bid"),
        _fk("criterion_id", "criterion", "fk_consensus_score_criterion_id_criterion"),
        sa.UniqueConstraint("bid_id", "criterion_id", name="uq_consensus_score_bid_id_criterion_id"),
        **STRICT,
    )
    op.create_index("ix_consensus_score_criterion_id", "consensus_score", ["criterion_id"])
    op.create_table(
        "evaluator_score",
        _id(),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("evaluator", sa.Text(), nullable=False),
        sa.Column("score", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_evaluator_score"),
        _fk("bid_id", "bid", "fk_evaluator_score_bid_id_bid"),
        _fk("criterion_id", "criterion", "fk_evaluator_score_criterion_id_criterion"),
        sa.UniqueConstraint(
            "bid_id", "criterion_id", "evaluator", name="uq_evaluator_score_bid_id_criterion_id_evaluator"
        ),
        **STRICT,
    )
    op.create_index("ix_evaluator_score_criterion_id", "evaluator_score", ["criterion_id"])
    op.create_table(
        "commitment",
        _id(),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("quantity", sa.Text(), nullable=False),
        sa.Column("unit_value", _pence(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("theme", sa.Text(), nullable=True),
        sa.Column("locality", sa.Text(), nullable=True),
        sa.Column("from_ask", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_commitment"),
        _fk("bid_id", "bid", "fk_commitment_bid_id_bid"),
        sa.CheckConstraint("unit_value >= 0", name="ck_commitment_unit_value"),
        **STRICT,
    )
    op.create_index("ix_commitment_bid_id", "commitment", ["bid_id"])
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("who", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("tender", sa.Text(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("payload_sha256", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.Text(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
        sa.UniqueConstraint("hash", name="uq_audit_log_hash"),
        **STRICT,
    )
    op.create_index("ix_audit_log_tender", "audit_log", ["tender"])
    bind = op.get_bind()
    triggers = _postgresql_triggers() if bind.dialect.name == "postgresql" else _sqlite_triggers()
    for sql in triggers:
        op.execute(sql)


def downgrade() -> None:
    bind = op.get_bind()
    for table in ("audit_log", "commitment", "evaluator_score", "consensus_score", "bid", "descriptor",
                  "criterion", "key_date", "tender"):
        op.drop_table(table)
    if bind.dialect.name == "postgresql":
        for fn in ("svdesk_audit_append_only", "svdesk_tender_frozen", *(f"svdesk_{t}_frozen" for t in STATUS_OF)):
            op.execute(f"DROP FUNCTION IF EXISTS {fn}()")
