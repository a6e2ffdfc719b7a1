"""The schema version: read it cheaply at every open, upgrade with Alembic only when needed.

Importing Alembic costs about 0.6 s, so :func:`stored_revision` reads ``alembic_version`` with one plain
query and Alembic is imported only when the database is new or older than this version of svdesk. SQLAlchemy
itself is imported inside the functions that need it, so that :data:`HEAD` and :func:`file_revision` serve the
register's first read (:mod:`svdesk.store.register`) before SQLAlchemy has loaded.
:func:`upgrade` runs every pending revision in ONE transaction (``BEGIN IMMEDIATE`` on SQLite, see
:mod:`svdesk.store.engine`) with foreign-key enforcement paused (SQLite's table rebuilds would otherwise
cascade deletes), checks the foreign keys before COMMIT, and records the upgrade in the audit log. Any
failure rolls everything back: the database is exactly as before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from svdesk.store.errors import DatabaseTooNewError, NotADatabaseError, StoreError

#: The newest revision this version of svdesk knows (a test checks it against the migration scripts).
HEAD = "0011"
#: Every revision this version can open, oldest first.
KNOWN = ("0001", "0002", "0003", "0004", "0006", "0008", "0009", "0010", "0011")
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


def stored_revision(conn: Connection, location: str = "") -> str | None:
    """The database's schema revision; ``None`` for an empty database.

    Args:
        location: the database's file or server, named in the error.

    Raises:
        NotADatabaseError: the database holds tables but is not svdesk's.
    """
    from sqlalchemy import text

    if conn.dialect.name == "sqlite":
        names = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    else:
        names = {r[0] for r in conn.execute(text(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"))}
    return _revision(names, lambda: [r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))],
                     location)


def file_revision(conn: sqlite3.Connection, location: str = "") -> str | None:
    """:func:`stored_revision` on the driver's SQLite connection (used before anything is written)."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return _revision(names, lambda: [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")],
                     location)


def _revision(names: set[str], versions: Callable[[], list[Any]], location: str) -> str | None:
    if "alembic_version" not in names:
        if names - {"sqlite_sequence"}:
            raise NotADatabaseError(f"{location or 'This'} is not an svdesk database (it holds other tables); "
                                    f"nothing was changed")
        return None
    rows = versions()
    if len(rows) != 1:
        raise NotADatabaseError(f"The schema version of {location or 'the database'} is unreadable ({len(rows)} "
                                f"entries); nothing was changed")
    return str(rows[0])


def check_known(revision: str | None, location: str) -> None:
    """Refuse a database written by a newer svdesk (it may hold data this version would lose)."""
    if revision is not None and revision not in KNOWN:
        raise DatabaseTooNewError(
            f"{location} was last used by a newer version of svdesk (database schema {revision}; this version "
            f"understands up to {HEAD}). Install the newer svdesk to open it; nothing was changed."
        )


def alembic_head() -> str:
    """The head revision according to the migration scripts (imports Alembic: tests and upgrades only)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    if head is None:
        raise StoreError("the migration scripts have no head revision")
    return head


def upgrade(engine: Engine, *, target: str = "head",
            inside: Callable[[Connection, str | None], None] | None = None) -> str | None:
    """Upgrade the schema to ``target`` in one transaction; returns the revision it started from.

    Args:
        inside: called in the same transaction after the upgrade with ``(connection, old_revision)``
            (the audit entry is written there, so it commits or rolls back with the upgrade).
    """
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        # On the driver's connection, outside any transaction: SQLite ignores this PRAGMA inside one.
        raw = conn.connection.dbapi_connection if sqlite else None
        if raw is not None:
            _foreign_keys(raw, on=False)
        try:
            with conn.begin():
                if not sqlite:
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": 0x5F5D_E5C1})
                before = stored_revision(conn)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, target)
                if sqlite:
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if bad:
                        raise StoreError(f"the upgrade would leave {len(bad)} broken links between records; "
                                         f"nothing was changed")
                if inside is not None:
                    inside(conn, before)
        finally:
            if raw is not None:
                _foreign_keys(raw, on=True)
    return before


def _foreign_keys(raw: Any, *, on: bool) -> None:
    cur = raw.cursor()
    try:
        cur.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
        got = cur.execute("PRAGMA foreign_keys").fetchone()[0]
    finally:
        cur.close()
    if got != int(on):
        raise StoreError(f"SQLite refused to turn foreign-key checks {'on' if on else 'off'} for the upgrade; "
                         f"nothing was changed")
