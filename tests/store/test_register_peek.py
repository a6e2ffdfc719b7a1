"""The register's first read (svdesk.store.register.peek_register): the same rows as the store, or nothing.

The desktop application shows these rows while SQLAlchemy loads, so the peek must never show something the
proper open would not, must never write, and must never keep a lock.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from svdesk.store import api, lock
from svdesk.store.register import peek_register
from tests.conftest import ROOT
from tests.store.helpers import big_tender, demo


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "register.sqlite3"
    with api.open_database(path) as db:
        db.create_tender(demo(), who="Test Officer")
        db.create_tender(big_tender(12, "BIG-12"), who="Test Officer")
        db.create_tender(replace(big_tender(0, "EMPTY-1"), annual_value=None), who="Test Officer")
    return path


def test_the_peek_shows_exactly_what_the_store_lists(filled: Path) -> None:
    rows = peek_register(filled)
    with api.open_database(filled) as db:
        assert rows == db.list_tenders()
    assert rows is not None and len(rows) == 3
    assert {r.reference: r.bid_count for r in rows}["BIG-12"] == 12
    assert {r.reference: r.annual_value for r in rows}["EMPTY-1"] is None


def test_the_peek_changes_nothing_and_leaves_no_lock(filled: Path) -> None:
    before = filled.read_bytes()
    assert peek_register(filled) is not None
    assert filled.read_bytes() == before
    assert sorted(p.name for p in filled.parent.iterdir() if p.name.startswith(filled.name)) == [filled.name]
    with api.open_database(filled) as db:     # the exclusive open right after it is not refused
        assert len(db.list_tenders()) == 3


def test_the_peek_declines_while_another_copy_has_the_database(filled: Path) -> None:
    with api.open_database(filled):
        assert peek_register(filled) is None


def test_the_peek_declines_after_a_session_that_did_not_close(filled: Path) -> None:
    lock.write_owner(filled, replace(lock.me(), pid=999_999_999))     # a sidecar left by a crash
    assert peek_register(filled) is None
    lock.sidecar(filled).unlink()
    wal = filled.with_name(filled.name + "-wal")
    wal.write_bytes(b"")                                               # a write-ahead log left behind
    assert peek_register(filled) is None
    wal.unlink()
    assert peek_register(filled) is not None


def test_the_peek_declines_a_database_of_another_schema_version(filled: Path) -> None:
    conn = sqlite3.connect(filled)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.close()
    assert peek_register(filled) is None


def test_the_peek_declines_what_it_cannot_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "missing.sqlite3"
    assert peek_register(missing) is None
    assert not missing.exists()                                        # never created
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    assert peek_register(junk) is None
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (x)")
    conn.close()
    assert peek_register(other) is None
    monkeypatch.setenv("SVDESK_DATABASE_URL", "postgresql://svdesk@localhost/svdesk")
    assert peek_register(None) is None                                 # a server: no file to look at


def test_the_peek_declines_a_network_drive(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SVDESK_NETWORK_DRIVE", "1")
    assert peek_register(filled) is None


def test_the_peek_does_not_load_sqlalchemy(filled: Path) -> None:
    code = ("import sys; from svdesk.store.register import peek_register; "
            f"rows = peek_register({str(filled)!r}); "
            "assert rows is not None and len(rows) == 3, rows; "
            "assert not [m for m in sys.modules if m.startswith(('sqlalchemy', 'alembic'))]")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
