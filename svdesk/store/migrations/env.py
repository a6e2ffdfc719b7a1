"""Alembic environment: svdesk always hands in its own open connection (never a URL from a config file).

:func:`svdesk.store.migrate.upgrade` puts the connection, already inside the single transaction that wraps
the whole upgrade, in ``config.attributes["connection"]``. ``render_as_batch=True`` makes ALTER work on
SQLite (copy-and-move); ``transaction_per_migration=False`` keeps every revision inside that one
transaction, so a failure anywhere leaves the database exactly as it was.
"""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("svdesk migrations run only through svdesk.store.migrate (no connection was given)")

context.configure(
    connection=connection,
    target_metadata=None,
    render_as_batch=True,
    transaction_per_migration=False,
)
with context.begin_transaction():
    context.run_migrations()
