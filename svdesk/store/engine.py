"""Connections and engines: one locked SQLite connection per process, or a PostgreSQL server.

SQLite settings for a file on this computer (``LOCAL``): WAL journal, ``synchronous=FULL`` (an
acknowledged save survives a power cut), ``foreign_keys=ON``, ``trusted_schema=OFF``, and
``locking_mode=EXCLUSIVE`` taken at open with ``BEGIN EXCLUSIVE`` so that no second copy of svdesk (or any
other program) can read or write the file while it is open. A file on a network drive (``NETWORK``) uses the
rollback journal with ``synchronous=EXTRA``, because WAL needs shared memory on one host. Every PRAGMA's
returned value is checked: SQLite silently ignores some of them (e.g. ``journal_mode`` inside a transaction).

Transactions follow SQLAlchemy's "pysqlite BEGIN" recipe: the driver's own transaction handling is switched
off and every transaction starts with ``BEGIN IMMEDIATE``, so DDL is transactional too (a failed migration
leaves nothing behind).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from svdesk.store.errors import StoreError
from svdesk.store.location import NETWORK_FILESYSTEMS as NETWORK_FILESYSTEMS
from svdesk.store.location import is_network_location as is_network_location
from svdesk.store.location import linux_filesystem as linux_filesystem

#: The oldest SQLite svdesk is tested with (STRICT tables need 3.37).
MIN_SQLITE = (3, 37, 0)

#: Called with every engine svdesk creates. Tests use it to inject faults (``before_cursor_execute``);
#: the application never adds to it.
ENGINE_HOOKS: list[Callable[[Engine], None]] = []


@dataclass(frozen=True)
class Profile:
    """SQLite settings for one kind of location."""

    name: str
    journal_mode: str
    synchronous: int

    @property
    def synchronous_name(self) -> str:
        """``FULL`` or ``EXTRA``."""
        return {2: "FULL", 3: "EXTRA"}[self.synchronous]


LOCAL = Profile("local", "wal", 2)
NETWORK = Profile("network", "delete", 3)

class PragmaError(StoreError):
    """SQLite did not accept a required setting."""


def _pragma(cur: sqlite3.Cursor, sql: str) -> Any:
    row = cur.execute(sql).fetchone()
    return None if row is None else row[0]


def _require(cur: sqlite3.Cursor, name: str, value: str, expect: object) -> None:
    """Set a PRAGMA and read it back: SQLite ignores some settings silently."""
    _pragma(cur, f"PRAGMA {name}={value}")
    got = _pragma(cur, f"PRAGMA {name}")
    if got != expect:
        raise PragmaError(f"SQLite refused the setting {name}={value} (it reports {got!r}); nothing was changed")


def sqlite_uri(path: Path, *, read_only: bool) -> str:
    """A ``file:`` URI for ``path`` that never creates the file (svdesk creates it itself, mode 0600)."""
    return f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rw'}"


def connect_sqlite(path: Path, profile: Profile, *, read_only: bool,
                   inspect: Callable[[sqlite3.Connection], None] | None = None) -> sqlite3.Connection:
    """Open ``path`` and take the exclusive lock, with every setting checked.

    Nothing is written before ``inspect`` (quick_check, schema version) has accepted the file: a damaged
    file or one from a newer svdesk is left byte-for-byte as it was.

    Raises:
        sqlite3.Error: as SQLite reported it ("database is locked", "file is not a database" …); the caller
            turns these into clear messages.
        PragmaError: a setting was not accepted.
        Exception: whatever ``inspect`` raises.
    """
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        raise StoreError(f"svdesk needs SQLite {'.'.join(map(str, MIN_SQLITE))} or newer; "
                         f"this system has {sqlite3.sqlite_version}")
    conn = sqlite3.connect(sqlite_uri(path, read_only=read_only), uri=True, timeout=0,
                           isolation_level=None, check_same_thread=False)
    try:
        cur = conn.cursor()
        _require(cur, "trusted_schema", "OFF", 0)
        _require(cur, "cell_size_check", "ON", 1)
        _require(cur, "foreign_keys", "ON", 1)
        mode = _pragma(cur, "PRAGMA locking_mode=EXCLUSIVE")
        if mode != "exclusive":
            raise PragmaError(f"SQLite refused exclusive locking (it reports {mode!r})")
        # Take the lock (kept: locking_mode=EXCLUSIVE) and look at the file before writing anything. A second
        # copy of svdesk fails right here with "database is locked", instead of at its first save.
        cur.execute("BEGIN" if read_only else "BEGIN EXCLUSIVE")
        cur.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if inspect is not None:
            inspect(conn)
        cur.execute("COMMIT")
        if not read_only:
            journal = _pragma(cur, f"PRAGMA journal_mode={profile.journal_mode}")
            if journal != profile.journal_mode:
                raise PragmaError(f"SQLite refused journal_mode={profile.journal_mode} (it reports {journal!r})")
            _require(cur, "synchronous", str(profile.synchronous), profile.synchronous)
            cur.execute("BEGIN EXCLUSIVE")
            cur.execute("COMMIT")
        cur.close()
    except BaseException:
        conn.close()
        raise
    return conn


def sqlite_engine(conn: sqlite3.Connection, *, read_only: bool = False) -> Engine:
    """An engine over the one locked connection (``StaticPool``: a second connection would be locked out)."""
    begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"
    engine = create_engine("sqlite+pysqlite://", creator=lambda: conn, poolclass=StaticPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None   # no BEGIN from the driver: we issue our own

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    for hook in ENGINE_HOOKS:
        hook(engine)
    return engine


def server_engine(url: str, *, read_only: bool) -> Engine:
    """An engine for a PostgreSQL server (``postgresql+psycopg://user@host/db``)."""
    u = make_url(url)
    if u.get_backend_name() != "postgresql":
        raise StoreError(f"SVDESK_DATABASE_URL must name a PostgreSQL server (postgresql://…), not {u.drivername!r}")
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    try:
        engine = create_engine(u, pool_pre_ping=True, pool_size=2, max_overflow=2)
    except ImportError:
        raise StoreError("svdesk cannot talk to PostgreSQL: the psycopg package is not installed") from None
    if read_only:
        @event.listens_for(engine, "connect")
        def _read_only(dbapi_connection: Any, _record: Any) -> None:
            with dbapi_connection.cursor() as cur:
                cur.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            dbapi_connection.commit()

    for hook in ENGINE_HOOKS:
        hook(engine)
    return engine


def safe_url(url: str) -> str:
    """A server URL without its password, for messages and the About box."""
    u = make_url(url)
    return u.set(password=None).render_as_string(hide_password=False) if u.password else u.render_as_string()
