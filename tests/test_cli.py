"""The command line: output contract of ``svdesk score``, exit codes, and no traceback on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from svdesk.cli.main import main
from tests.conftest import ROOT

DEMO = ROOT / "resources" / "demo" / "network-tender.json"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "svdesk", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_score_json_matches_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(DEMO), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["tender"] == "NET-2026-01"
    by = {r["supplier"]: r for r in doc["results"]}
    assert by["Acme Networks Ltd"]["rank"] == 1
    assert by["Acme Networks Ltd"]["total"] == "84.89"
    assert by["Acme Networks Ltd"]["criteria"] == {"q1": "20.00", "q2": "12.00", "sv1": "6.00", "price": "36.89",
                                                   "sv2": "10.00"}
    assert set(by["Acme Networks Ltd"]) >= {"supplier", "rank", "total", "criteria", "excluded", "reasons", "flags"}
    budget = by["Budget Links Ltd"]
    assert budget["rank"] is None and budget["excluded"] is True and budget["reasons"]
    assert "abnormally_low" in budget["flags"]
    assert isinstance(doc["warnings"], list) and doc["warnings"]


def test_score_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(DEMO)]) == 0
    out = capsys.readouterr().out
    assert "Acme Networks Ltd" in out and "84.89" in out and "below the minimum of 2" in out


@pytest.mark.parametrize(
    ("content", "expect"),
    [
        ("{", "is not valid JSON"),
        ('{"format": "svdesk-tender/1", "tender": {"reference": "X", "title": "Y"}, '
         '"criteria": [{"id": "p", "name": "P", "kind": "price", "weight": 50}], "bids": []}', "weights total 50"),
        ('{"format": "nope"}', "$.format"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: str, expect: str) -> None:
    f = tmp_path / "bad.json"
    f.write_text(content)
    p = run("score", str(f))
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and expect in p.stderr and "Traceback" not in p.stderr
    assert p.stdout == ""


def test_unknown_command_and_missing_file_exit_2(tmp_path: Path) -> None:
    p = run("frobnicate")
    assert p.returncode == 2 and p.stderr.count("\n") == 1
    p = run("score", str(tmp_path / "absent.json"))
    assert p.returncode == 2 and "no such file" in p.stderr


def test_version() -> None:
    from svdesk import __version__

    p = run("--version")
    assert p.returncode == 0 and p.stdout.strip() == f"svdesk {__version__}"


def test_no_display_runs_the_headless_demo_instead_of_failing() -> None:
    p = run(env={"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""})
    assert p.returncode == 0, p.stderr
    assert "no display" in p.stderr and "Acme Networks Ltd" in p.stdout


def test_a_reference_with_slashes_is_looked_up_in_the_database(tmp_path: Path) -> None:
    import json as _json

    doc = _json.loads(DEMO.read_text())
    doc["tender"]["reference"] = "ICT/2026/001"
    f = tmp_path / "slash.json"
    f.write_text(_json.dumps(doc))
    db = tmp_path / "t.sqlite3"
    assert run("--db", str(db), "import", str(f), "--yes").returncode == 0
    p = run("--db", str(db), "score", "ICT/2026/001", "--json")
    assert p.returncode == 0, p.stderr
    assert _json.loads(p.stdout)["tender"] == "ICT/2026/001"


def test_deeply_nested_file_exits_2_with_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    for args in (("score", str(deep)), ("asks", "import", str(deep))):
        p = run(*args)
        assert p.returncode == 2 and p.stderr.count("\n") == 1 and "nested too deeply" in p.stderr, p.stderr


def test_the_core_alone_refuses_to_start_a_window_it_does_not_have() -> None:
    p = run(env={"QT_QPA_PLATFORM": "offscreen"})
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "python -m ui" in p.stderr
