"""Is the database's schema exactly what its schema version defines? Triggers, tables, columns and indexes.

The freeze and append-only rules live in triggers, and anyone with the file can drop them (``sqlite3`` tool,
``DROP TRIGGER``), change data, and put them back or not. :func:`check` compares what the database holds with a
reference built by running this svdesk's own migration scripts, up to the database's revision, on an empty
in-memory database (once per process, about half a second): a trigger missing, changed or added, a table or
column or index that differs, is named. Putting a trigger back exactly as it was is not a schema difference;
the data it would have refused is found by the award seal (:mod:`svdesk.store.seal`) and the audit chain.

On PostgreSQL the tables and columns are compared by name with the same reference, and every table that
has svdesk triggers on SQLite must have enabled triggers there (the audit log also its TRUNCATE guard);
the trigger functions' bodies are not compared.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from sqlalchemy import text
from sqlalchemy.orm import Session

_SPACE = re.compile(r"\s+")
_AROUND = re.compile(r"\s*([(),=<>])\s*")
_EVENT = re.compile(r"before (insert|update|delete)\b")
#: ``pg_trigger.tgtype`` bits of the row events.
_PG_EVENT_BITS = {"insert": 4, "delete": 8, "update": 16}


def _normal(sql: str | None) -> str:
    """SQL text without layout and identifier quotes (Alembic's batch mode and a hand-written schema differ)."""
    if sql is None:
        return ""
    s = _SPACE.sub(" ", sql.replace('"', "").replace("`", "")).strip().rstrip(";")
    return _AROUND.sub(r"\1", s).lower()


@dataclass(frozen=True)
class Schema:
    """What a schema holds: ``{(type, name): (table, normalised SQL)}`` and each table's columns."""

    objects: Mapping[tuple[str, str], tuple[str, str]]
    columns: Mapping[str, tuple[str, ...]]


def _read(conn: sqlite3.Connection) -> Schema:
    objects = {}
    for kind, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"):
        objects[(str(kind), str(name))] = (str(table), _normal(sql))
    columns = {}
    for (kind, name), _ in objects.items():
        if kind == "table":
            columns[name] = tuple(str(r[1]) for r in conn.execute(f'PRAGMA table_info("{name}")'))
    return Schema(objects, columns)


@cache
def reference(revision: str) -> Schema:
    """The schema this svdesk's migrations build at ``revision`` (an empty in-memory database)."""
    from svdesk.store import migrate
    from svdesk.store.engine import sqlite_engine

    raw = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    engine = sqlite_engine(raw)
    try:
        migrate.upgrade(engine, target=revision)
        return _read(raw)
    finally:
        engine.dispose()
        raw.close()


def _sqlite_problems(session: Session, ref: Schema, revision: str) -> list[str]:
    rows = session.execute(text(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")).all()
    have = {(str(k), str(n)): (str(t), _normal(s)) for k, n, t, s in rows}
    problems = []
    for key, (table, sql) in sorted(ref.objects.items()):
        kind, name = key
        if key not in have:
            problems.append(f"{kind} {name} (on {table}) is missing")
        elif have[key][1] != sql:
            problems.append(f"{kind} {name} differs from what schema {revision} defines")
    for key, (table, _) in sorted(have.items()):
        if key not in ref.objects:
            problems.append(f"{key[0]} {key[1]} (on {table}) is not part of schema {revision}")
    return problems


def _postgresql_problems(session: Session, ref: Schema, revision: str) -> list[str]:
    problems = []
    cols: dict[str, list[str]] = {}
    for table, column in session.execute(text(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "ORDER BY table_name, ordinal_position")):
        cols.setdefault(str(table), []).append(str(column))
    for table, expected in sorted(ref.columns.items()):
        if table not in cols:
            problems.append(f"table {table} is missing")
        elif set(cols[table]) != set(expected):
            extra = sorted(set(cols[table]) - set(expected))
            gone = sorted(set(expected) - set(cols[table]))
            problems.append(f"the columns of table {table} differ from what schema {revision} defines"
                            + (f" (missing: {', '.join(gone)})" if gone else "")
                            + (f" (not defined: {', '.join(extra)})" if extra else ""))
    for table in sorted(set(cols) - set(ref.columns)):
        problems.append(f"table {table} is not part of schema {revision}")
    triggers: dict[str, list[tuple[str, str, int]]] = {}
    for table, name, enabled, kind in session.execute(text(
            "SELECT c.relname, t.tgname, t.tgenabled, t.tgtype FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE NOT t.tgisinternal AND n.nspname = current_schema()")):
        triggers.setdefault(str(table), []).append((str(name), str(enabled), int(kind)))
    # What the SQLite reference guards, event by event, must be guarded by enabled triggers here too.
    wanted: dict[str, set[str]] = {}
    for (k, _), (table, sql) in ref.objects.items():
        if k == "trigger":
            wanted.setdefault(table, set()).update(_EVENT.findall(sql))
    for table, events in sorted(wanted.items()):
        found = [(name, enabled, kind) for name, enabled, kind in triggers.get(table, [])]
        for name, enabled, _ in found:
            if enabled == "D":
                problems.append(f"trigger {name} on {table} is disabled")
        covered = {event for _, enabled, kind in found if enabled != "D"
                   for event, bit in _PG_EVENT_BITS.items() if kind & bit}
        missing = sorted(events - covered)
        if missing:
            problems.append(f"the triggers guarding {' and '.join(e.upper() for e in missing)} on {table} are missing")
    if "audit_log" in wanted and not any(kind & 32 and enabled != "D"
                                         for _, enabled, kind in triggers.get("audit_log", [])):
        problems.append("the audit log's TRUNCATE guard is missing")
    return problems


def check(session: Session) -> tuple[bool, str]:
    """``(ok, detail)`` for ``svdesk check``: the schema is what its version defines."""
    from svdesk.store import migrate

    dialect = session.get_bind().dialect.name
    revision = migrate.stored_revision(session.connection())
    if revision is None:
        return True, "empty database"
    if revision not in migrate.KNOWN:
        return False, f"schema {revision} is not one this svdesk knows"
    ref = reference(revision)
    problems = (_sqlite_problems if dialect == "sqlite" else _postgresql_problems)(session, ref, revision)
    if problems:
        return False, "; ".join(problems[:5]) + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else "")
    triggers = sum(1 for k, _ in ref.objects if k == "trigger")
    return True, (f"schema {revision}: {len(ref.columns)} tables and {triggers} triggers exactly as defined"
                  if dialect == "sqlite" else f"schema {revision}: tables, columns and triggers in place")
