"""``svdesk demo``, ``check``, ``backup``, ``restore`` and ``score REF`` against the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from svdesk.cli.main import main
from svdesk.domain import tender as T
from svdesk.store import api
from tests.conftest import ROOT
from tests.store.conftest import PG_SKIP, PG_URL, _pg_admin, _with_db


def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "svdesk", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, input=stdin, timeout=120)


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "council.sqlite3"
    monkeypatch.setenv("SVDESK_DB", str(path))
    return path


def test_demo_imports_every_demo_tender_once(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demos = sorted((ROOT / "resources" / "demo").glob("*.json"))
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert out.count("Added ") == len(demos) and f"now holds {len(demos)} tenders ({len(demos)} added)" in out
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert out.count("already in the database: left as it is") == len(demos) and "nothing was added" in out
    with api.open_database(db_path) as db:
        statuses = {s.status for s in db.list_tenders()}
    assert len(statuses) >= 2   # several tenders in different states


def test_score_a_tender_in_the_database(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    capsys.readouterr()
    assert main(["score", "NET-2026-01", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["tender"] == "NET-2026-01" and doc["results"][0]["total"] == "84.89"
    assert main(["score", "NOPE-1"]) == 2
    assert "There is no tender 'NOPE-1'" in capsys.readouterr().err


def test_db_option_picks_the_file(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    p = run("--db", str(path), "demo")
    assert p.returncode == 0, p.stderr
    assert path.exists() and str(path) in p.stdout


def test_check_backup_and_list(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "Everything is in order." in out and out.count("ok  ") == 8   # 8: the attached files, since 0011
    assert main(["backup"]) == 0
    out = capsys.readouterr().out
    assert "Backup written and verified:" in out
    assert main(["backup", "--list"]) == 0
    assert "manual" in capsys.readouterr().out


def test_restore_asks_and_refuses_without_a_terminal(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0 and main(["backup"]) == 0
    with api.open_database(db_path) as db:
        t = db.load_tender("NET-2026-01")
        db.save_tender(T.set_price(t, "Acme Networks Ltd", Decimal("1.00")), previous=t, who="JM",
                       action="Mistyped price")
    p = run("restore", env={"SVDESK_DB": str(db_path)})
    assert p.returncode == 2 and "Mistyped price" in p.stdout
    assert "--yes" in p.stderr and p.stderr.count("\n") == 1 and "Traceback" not in p.stderr
    with api.open_database(db_path) as db:
        assert db.load_tender("NET-2026-01").bid("Acme Networks Ltd").price == Decimal("1.00")
    capsys.readouterr()
    assert main(["restore", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "undoes 1 change" in out and "Restored the backup of" in out
    with api.open_database(db_path) as db:
        assert db.load_tender("NET-2026-01").bid("Acme Networks Ltd").price == Decimal("540000.00")


def test_restore_asks_on_a_terminal(db_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    assert main(["backup"]) == 0
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt: "n")
    assert main(["restore"]) == 1
    assert "Cancelled: nothing was changed." in capsys.readouterr().out
    monkeypatch.setattr("builtins.input", lambda _prompt: "y")
    assert main(["restore"]) == 0


def test_a_damaged_database_is_reported_and_restored(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0 and main(["backup"]) == 0
    with db_path.open("r+b") as fh:
        fh.seek(8192)
        fh.write(os.urandom(8192))
    capsys.readouterr()
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "is damaged" in err and "svdesk restore" in err and err.count("\n") == 1
    assert main(["restore", "--yes"]) == 0
    assert "damaged file is kept as" in capsys.readouterr().out
    assert list(db_path.parent.glob("council.sqlite3.damaged-*"))
    assert main(["check"]) == 0


def test_the_commands_work_against_a_server() -> None:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    name = f"svdesk_cli_{os.getpid()}"
    _pg_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _pg_admin(PG_URL, f"CREATE DATABASE {name}")
    try:
        env = {"SVDESK_DATABASE_URL": _with_db(PG_URL, name)}
        p = run("demo", env=env)
        assert p.returncode == 0 and "postgresql" in p.stdout, p.stderr
        p = run("check", env=env)
        assert p.returncode == 0 and "Everything is in order." in p.stdout, p.stdout + p.stderr
        p = run("score", "NET-2026-01", env=env)
        assert p.returncode == 0 and "84.89" in p.stdout
        p = run("backup", env=env)
        assert p.returncode == 2 and "on the server" in p.stderr
    finally:
        _pg_admin(PG_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_check_reports_data_that_breaks_the_rules(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Rows changed behind svdesk's back (a copy edited with another tool) are found by 'svdesk check'."""
    import sqlite3

    assert main(["demo"]) == 0
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE consensus_score SET score = '9' WHERE id = (SELECT min(id) FROM consensus_score)")
    capsys.readouterr()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM  tenders: NET-2026-01: bids[0].scores." in out and "must be between 0 and 5" in out
    assert "ok       audit trail" in out
    with conn:
        conn.execute("UPDATE evaluator_score SET criterion_id = (SELECT min(c.id) FROM criterion c JOIN tender t "
                     "ON t.id = c.tender_id WHERE t.reference = 'WIFI-2027-03') "
                     "WHERE id = (SELECT min(id) FROM evaluator_score)")
    conn.close()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "1 evaluator scores point at another tender's criterion" in out
    assert "NET-2026-01 holds a score for a criterion of another tender" in out
    assert main(["score", "NET-2026-01"]) == 2
    assert "changed outside svdesk" in capsys.readouterr().err


def test_an_unusable_data_folder_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """SVDESK_HOME naming a file, under a file, or on a read-only drive: exit 2 naming the folder and why."""
    import errno

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    for home, why in ((blocker, "a file of that name is in the way"),
                      (blocker / "svdesk", f"{blocker} is a file, not a folder")):
        monkeypatch.setenv("SVDESK_HOME", str(home))
        assert main(["check"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"data folder {home} (SVDESK_HOME): {why}" in err, err
    home = tmp_path / "read-only" / "svdesk"
    monkeypatch.setenv("SVDESK_HOME", str(home))

    def refuse(self: Path, *args: object, **kw: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{home} (SVDESK_HOME): the drive is read-only" in err, err
    def deny(self: Path, *args: object, **kw: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", deny)
    assert main(["check"]) == 2
    assert f"{home} (SVDESK_HOME): permission denied" in capsys.readouterr().err
