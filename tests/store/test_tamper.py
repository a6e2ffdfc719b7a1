"""Someone with the database file and the ``sqlite3`` tool: every tampering of issue 16 is found by ``svdesk check``.

Each case builds a real database through svdesk (a tender scored and awarded, more work after the award),
tampers with the file using the stdlib ``sqlite3`` module as an attacker would (drop a trigger, change rows,
put the trigger back), then runs the real command line: ``svdesk check`` must exit 1 and name what it found.
Legitimate work (a restore, a database started afresh at the same path) must not be reported.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from svdesk.cli.main import main
from svdesk.domain import tender as T
from svdesk.domain.scoring import score_tender
from svdesk.store import api, audit, witness
from tests.store.helpers import demo

REF = "NET-2026-01"


def _award(db: api.Database) -> T.Tender:
    t = demo()
    db.create_tender(t, who="PS")
    awarded = T.set_status(t, T.TenderStatus.AWARDED)
    db.save_tender(awarded, previous=t, who="PS", action="Award the contract")
    return db.load_tender(REF)


@pytest.fixture
def awarded_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A database holding an awarded tender, and two corrections recorded after the award's backup."""
    path = tmp_path / "council.sqlite3"
    monkeypatch.setenv("SVDESK_DB", str(path))
    with api.open_database(path) as db:
        _award(db)
        db.record_correction(REF, who="JM", correction="Typo in the minutes", reason="clerk's note")
        db.record_correction(REF, who="JM", correction="Second typo", reason="clerk's note")
    assert main(["check"]) == 0
    yield path


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    try:
        with conn:
            for sql in statements:
                conn.execute(sql)
    finally:
        conn.close()


def _trigger_sql(path: Path, name: str) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()[0])
    finally:
        conn.close()


def _check(capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    status = main(["check"])
    out = capsys.readouterr().out
    assert status == 1, out
    assert "Everything is in order" not in out
    return out


def _winner(path: Path) -> str:
    with api.open_database(path, read_only=True) as db:
        res = score_tender(db.load_tender(REF))
    return next(r.supplier for r in res.results if r.rank == 1)


# --- Seen 1: changing an awarded tender ----------------------------------------------------------------------


def test_a_lowered_consensus_score_with_the_trigger_put_back_is_found(awarded_db: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    winner = _winner(awarded_db)
    trigger = _trigger_sql(awarded_db, "consensus_score_frozen_update")
    _sql(awarded_db, "DROP TRIGGER consensus_score_frozen_update",
         f"UPDATE consensus_score SET score = '0' WHERE bid_id = (SELECT b.id FROM bid b WHERE b.supplier = "
         f"'{winner}') AND criterion_id = (SELECT c.id FROM criterion c WHERE c.code = 'q1')",
         trigger)
    assert _winner(awarded_db) != winner            # the ranking flipped …
    out = _check(capsys)                            # … and check says so
    assert f"PROBLEM  awarded tenders: {REF} differs from what its award sealed" in out
    assert f"the bid of {winner}" in out and "by PS" in out
    assert "ok       schema" in out                 # the trigger is back exactly as it was


def test_an_awarded_price_cut_by_100000_pounds_is_found(awarded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trigger = _trigger_sql(awarded_db, "bid_frozen_update")
    _sql(awarded_db, "DROP TRIGGER bid_frozen_update",
         "UPDATE bid SET price = price - 10000000 WHERE id = (SELECT min(id) FROM bid)", trigger)
    out = _check(capsys)
    assert f"{REF} differs from what its award sealed" in out and "price" in out


def test_a_status_set_back_from_awarded_is_found(awarded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trigger = _trigger_sql(awarded_db, "tender_status_frozen")
    _sql(awarded_db, "DROP TRIGGER tender_status_frozen",
         f"UPDATE tender SET status = 'evaluation' WHERE reference = '{REF}'", trigger)
    out = _check(capsys)
    assert f"{REF} was awarded (entry 3, by PS" in out and "its status now says 'evaluation'" in out


def test_an_awarded_tender_deleted_is_found(awarded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(awarded_db)
    triggers = [str(r[0]) for r in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")]
    names = [str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    conn.close()
    _sql(awarded_db, "PRAGMA foreign_keys = ON", *(f"DROP TRIGGER {n}" for n in names),
         f"DELETE FROM tender WHERE reference = '{REF}'", *triggers)
    out = _check(capsys)
    assert f"awarded tender {REF} (sealed in entry 3" in out and "is no longer in the database" in out


# --- Seen 2: the newest audit entries deleted -----------------------------------------------------------------


def test_deleting_the_newest_audit_entries_is_found_by_the_witness(awarded_db: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with api.open_database(awarded_db, read_only=True) as db:
        seq, _ = db.audit_head_entry()
        newest_backup = max(b.audit_seq for b in db.backups())
    assert newest_backup < seq                      # the removed entries are newer than every backup
    trigger = _trigger_sql(awarded_db, "audit_log_no_delete")
    _sql(awarded_db, "DROP TRIGGER audit_log_no_delete", f"DELETE FROM audit_log WHERE seq > {seq - 2}", trigger)
    with api.open_database(awarded_db, read_only=True) as db:
        assert db.verify_audit().ok                 # the chain and the backups alone cannot tell
    out = _check(capsys)
    assert (f"PROBLEM  outside witness: the audit log ends at entry {seq - 2} but this computer's witness saw "
            f"entry {seq}") in out
    assert "the newest entries were removed" in out


def test_a_log_cut_and_regrown_with_forged_entries_is_found(awarded_db: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    """The attacker cuts two entries and appends two of their own, correctly chained: same length, other hashes."""
    conn = sqlite3.connect(awarded_db)
    seq = conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    conn.close()
    trigger = _trigger_sql(awarded_db, "audit_log_no_delete")
    _sql(awarded_db, "DROP TRIGGER audit_log_no_delete", f"DELETE FROM audit_log WHERE seq > {seq - 2}", trigger)
    conn = sqlite3.connect(awarded_db)
    with conn:
        for n in (seq - 1, seq):
            prev = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (n - 1,)).fetchone()[0]
            at, payload = "2026-01-01T00:00:00.000000+00:00", json.dumps({"note": "nothing to see"})
            psha = audit.sha256_text(payload)
            digest = audit.entry_hash(n, at, "PS", "Looked at the tender", REF, psha, prev)
            conn.execute("INSERT INTO audit_log VALUES (?, ?, 'PS', 'Looked at the tender', ?, ?, ?, ?, ?)",
                         (n, at, REF, payload, psha, prev, digest))
    conn.close()
    out = _check(capsys)
    assert f"entry {seq - 1} is not the one this computer's witness saw" in out and "rewritten" in out


def test_a_log_rewritten_from_its_first_entry_is_found(awarded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every entry recomputed with an old date: a new first hash, so a new 'database', seen at the same place."""
    conn = sqlite3.connect(awarded_db)
    rows = conn.execute("SELECT seq, who, action, tender, payload FROM audit_log ORDER BY seq").fetchall()
    conn.close()
    trigger = _trigger_sql(awarded_db, "audit_log_no_delete")
    _sql(awarded_db, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log", trigger)
    conn = sqlite3.connect(awarded_db)
    prev = audit.GENESIS
    with conn:
        for seq, _who, action, tender, payload in rows:
            at = f"2026-01-01T00:00:{seq:02d}.000000+00:00"
            psha = audit.sha256_text(payload)
            digest = audit.entry_hash(seq, at, "JM", action, tender, psha, prev)
            conn.execute("INSERT INTO audit_log VALUES (?, ?, 'JM', ?, ?, ?, ?, ?, ?)",
                         (seq, at, action, tender, payload, psha, prev, digest))
            prev = digest
    conn.close()
    out = _check(capsys)
    assert "PROBLEM  outside witness: this computer's witness saw a different audit log" in out


# --- Seen 3: triggers dropped ------------------------------------------------------------------------------


def test_dropped_triggers_are_found(awarded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _sql(awarded_db, "DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete",
         "DROP TRIGGER consensus_score_frozen_update")
    out = _check(capsys)
    assert "PROBLEM  schema: trigger audit_log_no_delete (on audit_log) is missing" in out
    assert "trigger audit_log_no_update (on audit_log) is missing" in out
    assert "trigger consensus_score_frozen_update (on consensus_score) is missing" in out


def test_a_weakened_trigger_an_extra_column_and_a_new_table_are_found(awarded_db: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    _sql(awarded_db, "DROP TRIGGER tender_status_frozen",
         "CREATE TRIGGER tender_status_frozen BEFORE UPDATE OF status ON tender WHEN 0 BEGIN SELECT 1; END",
         "ALTER TABLE bid ADD COLUMN secret TEXT", "CREATE TABLE stash (x)")
    out = _check(capsys)
    assert "trigger tender_status_frozen differs from what schema" in out
    assert "table bid differs from what schema" in out
    assert "table stash (on stash) is not part of schema" in out


# --- what must not be reported ---------------------------------------------------------------------------


def test_a_restore_is_not_tampering(awarded_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Restoring an older backup shortens the chain legitimately: the witness knows it was a restore."""
    with api.open_database(awarded_db) as db:
        oldest = db.backups()[-1]
        db.record_correction(REF, who="JM", correction="Third typo", reason="clerk's note")
        db.restore(db.plan_restore(oldest.path), who="PS")
    capsys.readouterr()
    assert main(["check"]) == 0, capsys.readouterr().out
    assert witness.read()[-1].event == "restore"


def test_a_new_database_at_the_same_path_is_not_tampering(awarded_db: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    awarded_db.unlink()
    for b in awarded_db.parent.joinpath("svdesk-backups").glob("*"):
        b.unlink()
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 0, capsys.readouterr().out


def test_edits_to_an_awarded_tenders_details_keep_the_seal(awarded_db: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """Title and reference may still change after the award: the seal follows the tender."""
    with api.open_database(awarded_db) as db:
        t = db.load_tender(REF)
        renamed = T.Tender(**{**t.__dict__, "reference": "NET-2026-01A", "title": "Network (awarded)"})
        db.save_tender(renamed, previous=t, who="PS", action="Rename")
        closed = T.set_status(db.load_tender("NET-2026-01A"), T.TenderStatus.CLOSED)
        db.save_tender(closed, previous=db.load_tender("NET-2026-01A"), who="PS", action="Close")
    capsys.readouterr()
    assert main(["check"]) == 0, capsys.readouterr().out


def test_on_a_server_an_awarded_change_and_a_dropped_guard_are_found(monkeypatch: pytest.MonkeyPatch,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """PostgreSQL: the same seal and witness; the schema check by tables, columns and the events guarded."""
    import os

    from sqlalchemy import create_engine, text

    from tests.store.conftest import PG_SKIP, PG_URL, _pg_admin, _with_db

    if not PG_URL:
        pytest.skip(PG_SKIP)
    name = f"svdesk_tamper_{os.getpid()}"
    _pg_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _pg_admin(PG_URL, f"CREATE DATABASE {name}")
    url = _with_db(PG_URL, name)
    try:
        monkeypatch.setenv("SVDESK_DATABASE_URL", url)
        with api.open_database(url=url) as db:
            _award(db)
        assert main(["check"]) == 0, capsys.readouterr().out
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE bid DISABLE TRIGGER bid_frozen"))
            conn.execute(text("UPDATE bid SET price = price - 10000000 WHERE id = (SELECT min(id) FROM bid)"))
            conn.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        engine.dispose()
        out = _check(capsys)
        assert f"{REF} differs from what its award sealed" in out
        assert "trigger bid_frozen on bid is disabled" in out
        assert "the triggers guarding DELETE and UPDATE on audit_log are missing" in out
    finally:
        _pg_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
