"""The audit chain shows tampering: every modified, deleted, inserted or swapped entry is detected.

A realistic chain is built through real saves; tampering is done on copies of the file with the append-only
triggers dropped (as an attacker with the file would), then verified with the same code ``svdesk check`` uses.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from svdesk.cli.main import main
from svdesk.domain import tender as T
from svdesk.store import api, audit
from tests.store.helpers import demo

COLUMNS = ("seq", "at", "who", "action", "tender", "payload", "payload_sha256", "prev_hash", "hash")


@pytest.fixture(scope="module")
def chain_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database whose audit log holds ~150 entries from real work."""
    path = tmp_path_factory.mktemp("audit") / "chain.sqlite3"
    rnd = random.Random(7)
    with api.open_database(path) as db:
        t = demo()
        db.create_tender(t, who="PS")
        for i in range(150):
            bid = rnd.choice(t.bids)
            new = T.set_consensus_score(t, bid.supplier, rnd.choice(["q1", "q2", "sv1"]), Decimal(rnd.randint(0, 5)),
                                        f"moderation {i}")
            if new != t:
                db.save_tender(new, previous=t, who=rnd.choice(["PS", "JM"]), action=f"Moderate {i}")
                t = new
        assert db.verify_audit().ok
    return path


def _rows(path: Path) -> list[audit.RawEntry]:
    conn = sqlite3.connect(path)
    try:
        return [tuple(r) for r in conn.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_log ORDER BY seq")]
    finally:
        conn.close()


def _tampered(src: Path, dst: Path, sql: Callable[[sqlite3.Connection], None]) -> Path:
    shutil.copyfile(src, dst)
    conn = sqlite3.connect(dst)
    try:
        with conn:
            conn.execute("DROP TRIGGER audit_log_no_update")
            conn.execute("DROP TRIGGER audit_log_no_delete")
            sql(conn)
    finally:
        conn.close()
    return dst


def _modify(rnd: random.Random, n: int) -> Callable[[sqlite3.Connection], None]:
    seq = rnd.randint(1, n)
    column = rnd.choice(COLUMNS[1:])

    def run(conn: sqlite3.Connection) -> None:
        (value,) = conn.execute(f"SELECT {column} FROM audit_log WHERE seq = ?", (seq,)).fetchone()
        if value is None:
            new: object = "forged"
        elif column in ("payload_sha256", "prev_hash", "hash"):
            new = hashlib.sha256(f"{value}{rnd.random()}".encode()).hexdigest()
        elif column == "payload":
            new = value.replace("moderation", "moderatlon", 1) if "moderation" in value else value + " "
        else:
            new = value[:-1] + ("X" if not value.endswith("X") else "Y")
        conn.execute(f"UPDATE audit_log SET {column} = ? WHERE seq = ?", (new, seq))
    return run


def _delete(rnd: random.Random, n: int) -> Callable[[sqlite3.Connection], None]:
    seq = rnd.randint(1, n - 1)   # the newest entry's removal is truncation: caught by anchors, tested below
    return lambda conn: conn.execute("DELETE FROM audit_log WHERE seq = ?", (seq,))


def _insert(rnd: random.Random, n: int) -> Callable[[sqlite3.Connection], None]:
    """A forged entry, well-formed and hashed with the public formula, slipped in anywhere (renumbering after it)."""
    at = rnd.randint(1, n + 1)

    def run(conn: sqlite3.Connection) -> None:
        prev = conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (at - 1,)).fetchone()
        prev_hash = prev[0] if prev else audit.GENESIS
        conn.execute("UPDATE audit_log SET seq = seq + 100000 WHERE seq >= ?", (at,))
        conn.execute("UPDATE audit_log SET seq = seq - 100000 + 1 WHERE seq >= 100000")
        payload = audit.canonical({"changes": [{"what": "bids[Acme].scores.q1", "before": "1", "after": "5"}]})
        sha = audit.sha256_text(payload)
        stamp = "2026-11-22T09:14:00.000000+00:00"
        digest = audit.entry_hash(at, stamp, "PS", "Forged", "NET-2026-01", sha, prev_hash)
        conn.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (at, stamp, "PS", "Forged", "NET-2026-01", payload, sha, prev_hash, digest))
    return run


def _swap(rnd: random.Random, n: int) -> Callable[[sqlite3.Connection], None]:
    a, b = rnd.sample(range(1, n + 1), 2)

    def run(conn: sqlite3.Connection) -> None:
        cols = ", ".join(COLUMNS[1:])
        ra = conn.execute(f"SELECT {cols} FROM audit_log WHERE seq = ?", (a,)).fetchone()
        rb = conn.execute(f"SELECT {cols} FROM audit_log WHERE seq = ?", (b,)).fetchone()
        sets = ", ".join(f"{c} = ?" for c in COLUMNS[1:])
        conn.execute("UPDATE audit_log SET hash = 'tmp' WHERE seq = ?", (a,))
        conn.execute(f"UPDATE audit_log SET {sets} WHERE seq = ?", (*ra, b))
        conn.execute(f"UPDATE audit_log SET {sets} WHERE seq = ?", (*rb, a))
    return run


TAMPERING = {"modify": _modify, "delete": _delete, "insert": _insert, "swap": _swap}


@pytest.mark.parametrize("kind", list(TAMPERING))
def test_tampering_is_detected_every_time(chain_db: Path, tmp_path: Path, kind: str) -> None:
    n = len(_rows(chain_db))
    assert audit.verify(_rows(chain_db)).ok and n > 100
    rnd = random.Random(kind)
    trials = 40
    for i in range(trials):
        copy = _tampered(chain_db, tmp_path / f"{kind}{i}.sqlite3", TAMPERING[kind](rnd, n))
        rows = _rows(copy)
        assert rows != _rows(chain_db)
        report = audit.verify(rows)
        assert not report.ok, f"{kind} trial {i} went unnoticed"
        copy.unlink()


def test_truncation_and_rewrite_are_caught_by_the_backup_anchor(chain_db: Path, tmp_path: Path) -> None:
    """Cutting off the newest entries leaves a valid-looking chain: the head in a backup manifest catches it."""
    path = tmp_path / "live.sqlite3"
    shutil.copyfile(chain_db, path)
    with api.open_database(path) as db:
        db.backup()
        head = db.audit_head_entry()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE seq > ?", (head[0] - 3,))
    conn.close()
    assert audit.verify(_rows(path)).ok                       # the chain alone cannot tell …
    with api.open_database(path) as db:
        report = db.verify_audit()                            # … the anchor can
        assert not report.ok and "newest entries were removed" in report.problems[0]


def test_svdesk_check_reports_a_tampered_log(chain_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    copy = _tampered(chain_db, tmp_path / "t.sqlite3",
                     lambda conn: conn.execute("UPDATE audit_log SET who = 'JM' WHERE seq = 5"))
    monkeypatch.setenv("SVDESK_DB", str(copy))
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM  audit trail: entry 5 was altered" in out
    assert "ok       tenders" in out
