"""Freeze the tie-break rule of an awarded (or closed) tender.

The tie-break rule decides the winner when totals are equal, so changing it after award could change who
won: it is frozen with the criteria, bids and scores. A guard trigger on ``tender.tie_break``; revisions
0001/0002 stay as they were shipped.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

FROZEN = "('awarded', 'closed')"
MESSAGE = "svdesk: frozen: the tie-break rule of an awarded tender cannot change"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE FUNCTION svdesk_tender_tie_break_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER tender_tie_break_frozen BEFORE UPDATE OF tie_break ON tender FOR EACH ROW "
            f"WHEN (OLD.status IN {FROZEN} AND NEW.tie_break IS DISTINCT FROM OLD.tie_break) "
            f"EXECUTE FUNCTION svdesk_tender_tie_break_frozen()"
        )
    else:
        op.execute(
            f"CREATE TRIGGER tender_tie_break_frozen BEFORE UPDATE OF tie_break ON tender "
            f"WHEN OLD.status IN {FROZEN} AND NEW.tie_break IS NOT OLD.tie_break "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS tender_tie_break_frozen" + (
        " ON tender" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS svdesk_tender_tie_break_frozen()")
