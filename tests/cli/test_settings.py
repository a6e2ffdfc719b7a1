"""``svdesk settings`` and ``svdesk settings set KEY VALUE`` (issue 14 item 3), and the papers and the OCDS
export printed by the CLI use the council's settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from svdesk.cli.main import main
from tests.conftest import ROOT

DEMO = ROOT / "resources" / "demo" / "network-tender.json"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    got = capsys.readouterr()
    return code, got.out, got.err


def test_settings_show_set_and_audit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "council.sqlite3")
    code, out, _ = _run(capsys, "--db", db, "settings")
    assert code == 0 and "council.name" in out and "(not set)" in out and "ocds.prefix" in out
    code, out, _ = _run(capsys, "--db", db, "settings", "set", "council.name", "Ashbourne Borough Council")
    assert code == 0 and out.strip() == ("council.name: (not set) → Ashbourne Borough Council (recorded in the "
                                         "audit log)")
    code, out, _ = _run(capsys, "--db", db, "settings", "set", "council.address", "Town Hall\\nAshbourne")
    assert code == 0
    code, out, _ = _run(capsys, "--db", db, "settings")
    assert "Ashbourne Borough Council" in out and "Town Hall / Ashbourne" in out
    code, out, _ = _run(capsys, "--db", db, "settings", "set", "council.name", "Ashbourne Borough Council")
    assert code == 0 and "nothing was changed" in out
    from svdesk.store import api

    with api.open_database(db) as d:
        assert [e.action for e in d.audit_entries() if e.action.startswith("Council")] == [
            "Council setting council.name set", "Council setting council.address set"]


@pytest.mark.parametrize(("argv", "says"), [
    (("council.nmae", "X"), "council.nmae: is not a setting; the settings are council.name, council.address"),
    (("weights.default", "40,40,15"), "weights.default: must total 100 (these total 95)"),
    (("ocds.prefix", "b5fd17"), "ocds.prefix: 'b5fd17' is not an ocid prefix"),
])
def test_a_bad_key_or_value_is_one_clear_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         argv: tuple[str, str], says: str) -> None:
    db = tmp_path / "council.sqlite3"
    code, _, err = _run(capsys, "--db", str(db), "settings", "set", *argv)
    assert code == 2 and says in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not db.exists()                       # refused before anything was opened or created


def test_papers_and_ocds_export_use_the_council_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(tmp_path / "council.sqlite3")
    monkeypatch.setenv("SVDESK_OCID_PREFIX", "ocds-envvar")
    assert _run(capsys, "--db", db, "import", str(DEMO))[0] == 0
    _run(capsys, "--db", db, "settings", "set", "council.name", "Ashbourne Borough Council")
    _run(capsys, "--db", db, "settings", "set", "ocds.prefix", "ocds-b5fd17")
    pdf = tmp_path / "award.pdf"
    assert _run(capsys, "--db", db, "report", "NET-2026-01", "--kind", "award", "--out", str(pdf))[0] == 0
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Ashbourne Borough Council" in text
    assert PdfReader(pdf).metadata.author == "Ashbourne Borough Council"
    out = tmp_path / "release.json"
    assert _run(capsys, "--db", db, "export", "NET-2026-01", "--format", "ocds", "--out", str(out))[0] == 0
    assert json.loads(out.read_text())["releases"][0]["ocid"].startswith("ocds-b5fd17-")
    # The ocid is recorded at the first export and kept (issue 15); a tender file has none recorded, so it shows
    # the order: --ocid-prefix wins, then the council's setting, then SVDESK_OCID_PREFIX, as before.
    assert _run(capsys, "--db", db, "export", str(DEMO), "--format", "ocds", "--out", str(out))[0] == 0
    assert json.loads(out.read_text())["releases"][0]["ocid"].startswith("ocds-b5fd17-")
    assert _run(capsys, "--db", db, "export", str(DEMO), "--format", "ocds", "--out", str(out),
                "--ocid-prefix", "ocds-given")[0] == 0
    assert json.loads(out.read_text())["releases"][0]["ocid"].startswith("ocds-given-")
    _run(capsys, "--db", db, "settings", "set", "ocds.prefix", "")
    assert _run(capsys, "--db", db, "export", str(DEMO), "--format", "ocds", "--out", str(out))[0] == 0
    assert json.loads(out.read_text())["releases"][0]["ocid"].startswith("ocds-envvar-")
