"""The tender register's rows, and a first read of them with the standard library while SQLAlchemy loads.

Opening a database properly (:func:`svdesk.store.api.connect`) imports SQLAlchemy (about 0.4 s), takes the
exclusive lock, runs ``quick_check`` over the whole file and, when needed, Alembic. The desktop application
does all of that before anything can be changed; but to show the register in the first fraction of a second
it first calls :func:`peek_register`, which reads the register with the stdlib :mod:`sqlite3` module only,
from a read-only connection (``mode=ro``, ``query_only``), in one read transaction, and closes it again
before the proper open begins. Nothing here ever writes to the database, the sidecar or the folder.

The peek declines (returns ``None``, and the register waits for the proper open) whenever what it would show
might differ from what the proper open shows, or whenever reading could get in another program's way:

- the database is on a server (``SVDESK_DATABASE_URL``), on a network drive, or not a file;
- the owner sidecar names a holder: another copy of svdesk has it open, or the last session did not close
  (its last saves may still be in the write-ahead log, which the proper open recovers and checks);
- a ``-wal`` or ``-journal`` file lies beside it, or the file is still in WAL mode (a session that did not
  close cleanly);
- SQLite reports it locked or busy, or anything else goes wrong;
- its schema revision is not the one this svdesk writes (:data:`svdesk.store.migrate.HEAD`): an older file
  is upgraded, a newer one refused, by the proper open.

Imports: the standard library, the domain's enums and money, and the store's own SQLAlchemy-free modules.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from svdesk import paths
from svdesk.domain.money import from_pence
from svdesk.domain.tender import TenderStatus
from svdesk.store import lock, migrate
from svdesk.store.errors import NotADatabaseError
from svdesk.store.location import is_network_location


@dataclass(frozen=True)
class TenderSummary:
    """One line of the tender register."""

    reference: str
    title: str
    category: str
    status: TenderStatus
    annual_value: Decimal | None
    bid_count: int
    updated_at: datetime


#: The register with no search or filter: the same rows, columns and order as
#: :func:`svdesk.store.repository.summaries` (a test compares the two on the same file).
REGISTER_SQL = """
SELECT t.reference, t.title, t.category, t.status, t.annual_value, coalesce(b.n, 0), t.updated_at
FROM tender AS t
LEFT OUTER JOIN (SELECT tender_id, count(id) AS n FROM bid GROUP BY tender_id) AS b ON b.tender_id = t.id
ORDER BY t.updated_at DESC, t.reference
"""


def _summary(row: Any) -> TenderSummary:
    """A row of :data:`REGISTER_SQL` as the store's column types would convert it (pence, UTC text)."""
    reference, title, category, status, pence, n, updated = row
    return TenderSummary(str(reference), str(title), str(category), TenderStatus(status),
                         None if pence is None else from_pence(int(pence)), int(n), datetime.fromisoformat(updated))


def database_file(path: str | Path | None) -> Path | None:
    """The file :func:`svdesk.store.api.connect` would open for ``path``, or ``None`` for a server."""
    if path is None:
        if os.environ.get("SVDESK_DATABASE_URL"):
            return None
        path = paths.default_database()
    return Path(path).expanduser().absolute()


def peek_register(path: str | Path | None) -> list[TenderSummary] | None:
    """The register's rows read without SQLAlchemy and without any lock kept, or ``None`` when declined.

    Args:
        path: as for :func:`svdesk.store.api.connect` (``None``: ``$SVDESK_DATABASE_URL``, ``$SVDESK_DB`` or
            the default file).

    Returns:
        Every tender's summary, newest change first, exactly as ``Database.list_tenders()`` would return them
        on the same file; ``None`` when the peek declines (see the module docstring). Never raises for a
        database problem: those are for the proper open to report.
    """
    file = database_file(path)
    if file is None or not file.is_file():
        return None
    if lock.read_owner(file) is not None or lock.sidecar(file).exists():
        return None
    if any(file.with_name(file.name + suffix).exists() for suffix in ("-wal", "-journal")):
        return None
    if is_network_location(file):
        return None
    try:
        conn = sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA query_only=ON")
        conn.execute("PRAGMA trusted_schema=OFF")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "delete":
            return None
        conn.execute("BEGIN")   # one snapshot for the revision and the rows
        try:
            if migrate.file_revision(conn) != migrate.HEAD:
                return None
            rows = [_summary(r) for r in conn.execute(REGISTER_SQL)]
        finally:
            conn.execute("COMMIT")
    except (sqlite3.Error, NotADatabaseError, ValueError, TypeError):
        return None
    finally:
        conn.close()
    return rows


__all__ = ["REGISTER_SQL", "TenderSummary", "database_file", "peek_register"]
