"""Global options are accepted anywhere on the command line (issue 15 defect 14): ``svdesk demo --db X``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from svdesk.cli.main import main
from tests.conftest import ROOT

DEMO = ROOT / "resources" / "demo"


@pytest.fixture
def no_db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A default database that must stay untouched (``--db`` chooses another)."""
    default = tmp_path / "default.sqlite3"
    monkeypatch.setenv("SVDESK_DB", str(default))   # restored after the test, whatever main() sets
    monkeypatch.delenv("SVDESK_DATABASE_URL", raising=False)
    return default


@pytest.mark.parametrize("where", ["before", "after"])
def test_db_is_accepted_before_or_after_the_command(where: str, tmp_path: Path, no_db_env: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    chosen = tmp_path / "chosen.sqlite3"
    argv = ["--db", str(chosen), "demo"] if where == "before" else ["demo", "--db", str(chosen)]
    assert main(argv) == 0, capsys.readouterr().err
    assert f"{chosen} now holds" in capsys.readouterr().out
    assert chosen.exists() and not no_db_env.exists()


def test_db_after_a_subcommand_of_asks_and_after_the_arguments(tmp_path: Path, no_db_env: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    chosen = tmp_path / "chosen.sqlite3"
    assert main(["demo", f"--db={chosen}"]) == 0
    capsys.readouterr()
    ref = json.loads((DEMO / "network-tender.json").read_text(encoding="utf-8"))["tender"]["reference"]
    assert main(["score", ref, "--json", "--db", str(chosen)]) == 0
    assert json.loads(capsys.readouterr().out)["tender"] == ref
    assert main(["asks", "list", "--theme", "skills", "--db", str(chosen)]) == 0
    assert not no_db_env.exists()


def test_db_given_twice_the_later_one_wins(tmp_path: Path, no_db_env: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    first, second = tmp_path / "first.sqlite3", tmp_path / "second.sqlite3"
    assert main(["--db", str(first), "demo", "--db", str(second)]) == 0
    assert second.exists() and not first.exists()


def test_db_without_a_path_is_one_plain_usage_line(no_db_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("svdesk: ") and "--db" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
