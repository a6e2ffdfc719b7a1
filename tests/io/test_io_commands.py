"""``svdesk import``, ``export`` and ``template`` end to end, against a real database file."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from svdesk.cli.main import main
from svdesk.domain.tender import TenderStatus
from svdesk.errors import FileFormatError
from svdesk.io.formats import recognise_file
from svdesk.io.tender_file import read_tender_file, write_tender_file
from tests.conftest import ROOT
from tests.io.samples import DEMO, small_tender

REF = "NET-2026-01"


def run(*args: str, db: Path) -> int:
    return main(["--db", str(db), *args])


def stored(db: Path, ref: str = REF) -> object:
    from svdesk.store import api

    with api.open_database(db) as d:
        return d.load_tender(ref)


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A database holding the demo tender (imported through the command)."""
    path = tmp_path / "svdesk.sqlite3"
    assert run("import", str(DEMO), db=path) == 0
    assert f"Created tender {REF}" in capsys.readouterr().out
    return path


def test_importing_the_same_tender_twice_is_one_clear_line(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("import", str(DEMO), db=db) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err
    assert run("import", str(DEMO), "--tender", "NET-COPY", db=db) == 0
    assert stored(db, "NET-COPY").title == read_tender_file(DEMO).title  # type: ignore[attr-defined]


def test_bids_round_trip_through_the_template(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "bids.csv"
    assert run("template", REF, "--out", str(sheet), db=db) == 0
    rows = list(csv.reader(io.StringIO(sheet.read_text("utf-8-sig"))))
    rows[1][4] = "£541,000.00"                                   # Acme's price
    rows.append(["Fenland Fibre Ltd", "yes", "no", "local", "480000"] + [""] * (len(rows[0]) - 5))
    with sheet.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    capsys.readouterr()
    assert run("import", str(sheet), "--tender", REF, "--yes", db=db) == 0
    out = capsys.readouterr().out
    assert "1 new bid(s), 1 changed" in out and "Price: £540,000.00 → £541,000.00" in out
    t = stored(db)
    assert t.bid("Fenland Fibre Ltd").sme and str(t.bid("Acme Networks Ltd").price) == "541000.00"  # type: ignore[attr-defined]
    from svdesk.store import api

    with api.open_database(db) as d:
        assert any("Import bids and scores from bids.csv" in e.action for e in d.audit_entries(REF))


def test_no_terminal_and_no_yes_refuses(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = tmp_path / "bids.csv"
    sheet.write_text("Supplier,Price\nNew Co,5\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    before = stored(db)
    assert run("import", str(sheet), "--tender", REF, db=db) == 2
    captured = capsys.readouterr()
    assert "+ new bid: New Co" in captured.out and "no terminal" in captured.err and "--yes" in captured.err
    assert stored(db) == before


@pytest.mark.parametrize(("answer", "applied"), [("y\n", True), ("n\n", False), ("\n", False)])
def test_asks_before_applying(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch, answer: str, applied: bool) -> None:
    sheet = tmp_path / "bids.csv"
    sheet.write_text("Supplier,Price\nNew Co,5\n")

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Tty(answer))
    assert run("import", str(sheet), "--tender", REF, db=db) == 0
    assert any(b.supplier == "New Co" for b in stored(db).bids) is applied  # type: ignore[attr-defined]
    assert ("Nothing was changed" in capsys.readouterr().out) is not applied


def test_a_bad_sheet_lists_every_problem_and_changes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "bids.csv"
    sheet.write_text("Supplier,Price,Service delivery and migration score\nA,-1,3\nB,2,9\n,3,\n")
    before = stored(db)
    assert run("import", str(sheet), "--tender", REF, "--yes", db=db) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith("nothing was imported; fix these problems and try again:")
    assert [line.split(": ")[2] for line in err[1:]] == [
        'row 2, column "Price"', 'row 3, column "Service delivery and migration score"', 'row 4, column "Supplier"',
    ]
    assert stored(db) == before


def test_bids_need_a_tender_and_an_awarded_one_takes_none(db: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "bids.xlsx"
    assert run("template", REF, "--out", str(sheet), "--empty", db=db) == 0
    assert run("import", str(sheet), db=db) == 2
    assert "add --tender REF" in capsys.readouterr().err
    done = tmp_path / "awarded.json"
    write_tender_file(replace(read_tender_file(DEMO), status=TenderStatus.AWARDED), done)
    assert run("import", str(sheet), "--tender", str(done), "--yes", db=db) == 2
    assert "awarded" in capsys.readouterr().err


def test_bids_into_a_tender_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "t.json"
    write_tender_file(small_tender(), target)
    sheet = tmp_path / "b.csv"
    sheet.write_text("Supplier,Service delivery score,Service delivery reason\nDales Digital CIC,4,Better\n")
    assert main(["import", str(sheet), "--tender", str(target), "--yes"]) == 0
    assert read_tender_file(target).bid("Dales Digital CIC").explanations["q1"] == "Better"


def test_ocds_notice_becomes_a_draft(db: Path, shared_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notice = next((shared_data / "ocds" / "contracts-finder-2016" / "records").glob("*2c435b84*.json"))
    assert run("import", str(notice), "--tender", "DAR-LEASE", db=db) == 0
    out = capsys.readouterr().out
    assert "Created tender DAR-LEASE" in out and "note: " in out
    t = stored(db, "DAR-LEASE")
    assert t.buyer == "Darlington Borough Council" and t.status is TenderStatus.DRAFT  # type: ignore[attr-defined]
    assert t.whole_life_value == 17788589  # type: ignore[attr-defined]


def test_exports(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    t = stored(db)
    assert run("export", REF, "--format", "json", "--out", str(tmp_path / "t.json"), db=db) == 0
    assert read_tender_file(tmp_path / "t.json") == t
    assert run("export", REF, "--out", str(tmp_path / "r.csv"), db=db) == 0
    assert (tmp_path / "r.csv").read_text("utf-8-sig").startswith("Rank,Supplier,Total")
    assert run("export", REF, "--out", str(tmp_path / "s.csv"), "--table", "scores", db=db) == 0
    assert (tmp_path / "s.csv").read_text("utf-8-sig").startswith("Supplier,SME")
    assert run("export", REF, "--out", str(tmp_path / "all.xlsx"), db=db) == 0
    assert openpyxl.load_workbook(tmp_path / "all.xlsx").sheetnames == ["Scores", "Results", "Commitments"]
    capsys.readouterr()
    assert run("export", REF, "--format", "ocds", "--out", str(tmp_path / "award.json"), db=db) == 0
    assert "placeholder prefix" in capsys.readouterr().err
    monkeypatch.setenv("SVDESK_OCID_PREFIX", "ocds-abc123")
    assert run("export", REF, "--format", "ocds", "--out", str(tmp_path / "award.json"), db=db) == 0
    assert "placeholder" not in capsys.readouterr().err
    doc = json.loads((tmp_path / "award.json").read_text())
    assert doc["releases"][0]["ocid"] == "ocds-abc123-NET-2026-01"
    assert run("export", REF, "--out", str(tmp_path / "what.pdf"), db=db) == 2
    assert "add --format" in capsys.readouterr().err


def test_export_works_on_a_tender_file_without_a_database(tmp_path: Path) -> None:
    assert main(["export", str(DEMO), "--format", "ocds", "--out", str(tmp_path / "o.json")]) == 0
    assert main(["template", str(DEMO), "--out", str(tmp_path / "b.xlsx"), "--evaluators", "PS, XY"]) == 0
    headers = [c.value for c in next(openpyxl.load_workbook(tmp_path / "b.xlsx")["Bids"].iter_rows(max_row=1))]
    assert "Resilience and support score by XY" in headers


def test_recognising_files(tmp_path: Path, shared_data: Path) -> None:
    assert recognise_file(str(DEMO)) == "tender"
    notice = next((shared_data / "ocds" / "contracts-finder-2016" / "releases").glob("*.json"))
    assert recognise_file(str(notice)) == "ocds"
    template = tmp_path / "b.xlsx"
    main(["template", str(DEMO), "--out", str(template)])
    disguised = tmp_path / "b.csv"
    disguised.write_bytes(template.read_bytes())
    assert recognise_file(str(template)) == "xlsx" and recognise_file(str(disguised)) == "xlsx"
    plain = tmp_path / "b.txt"
    plain.write_text("Supplier\n")
    assert recognise_file(str(plain)) == "csv"
    other = tmp_path / "x.json"
    other.write_text('{"format": "something-else/2"}')
    for bad, why in ((other, "not a format svdesk reads"), (tmp_path / "nope.csv", "no such file")):
        with pytest.raises(FileFormatError, match=why):
            recognise_file(str(bad))
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    with pytest.raises(FileFormatError, match="not a file svdesk imports"):
        recognise_file(str(pdf))
    junk = tmp_path / "j.json"
    junk.write_text('{"hello": 1}')
    with pytest.raises(FileFormatError, match="neither"):
        recognise_file(str(junk))


def test_commands_import_no_heavy_library() -> None:
    code = ("import sys, svdesk.cli.main, svdesk.cli.files, svdesk.io.bids_import, svdesk.io.export, svdesk.io.ocds; "
            "print(sorted(m for m in ('openpyxl', 'jsonschema', 'sqlalchemy', 'PySide6') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_an_imported_notice_gets_the_councils_default_panel(tmp_path: Path, shared_data: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "svdesk.sqlite3"
    assert run("settings", "set", "panel.default", "KT,PS", db=db) == 0
    notice = next((shared_data / "ocds" / "contracts-finder-2016" / "releases").glob("*.json"))
    assert run("import", str(notice), "--tender", "NOTICE-1", db=db) == 0
    assert "default evaluation panel was added: KT, PS" in capsys.readouterr().out
    t = stored(db, "NOTICE-1")
    assert [m.initials for m in t.panel.members] == ["KT", "PS"]  # type: ignore[attr-defined]
    assert run("import", str(DEMO), db=db) == 0                    # the demo file names its own panel
    demo = stored(db)
    own = [m.initials for m in read_tender_file(DEMO).panel.members]
    assert [m.initials for m in demo.panel.members] == own  # type: ignore[attr-defined]
