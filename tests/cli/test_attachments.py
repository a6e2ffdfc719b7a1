"""Files attached to bids through the real command line: attach, list, save, detach, and every refusal."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from svdesk.cli.main import main
from svdesk.domain import limits
from svdesk.domain.attachments import AttachmentKind, sha256_hex
from tests.conftest import ROOT
from tests.io import attachment_samples as S
from tests.io.test_packs import REF, audit, load, panel_db, run


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The panel tender of ``tests/io/test_packs.py`` in a database."""
    path = panel_db(tmp_path)
    capsys.readouterr()
    return path


def put(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / "files" / name
    p.parent.mkdir(exist_ok=True)
    p.write_bytes(data)
    return p


def refused(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run a command: exit 2, one line, no traceback, the database and its audit log unchanged."""
    before, entries = load(db), audit(db)
    capsys.readouterr()
    assert run(db, *args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("svdesk: ") and "Traceback" not in err, err
    after = load(db)
    assert after == before and after.attachments == before.attachments and len(audit(db)) == len(entries)
    return err


def test_attach_list_save_and_detach(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = put(tmp_path, "Method statement.pdf", S.PDF)
    assert run(db, "attach", REF, "Acme Ltd", str(pdf), "--criterion", "q1", "--label", "Method statement") == 0
    out = capsys.readouterr().out
    assert f"Attached Method statement.pdf (response, {len(S.PDF)} B, SHA-256 {sha256_hex(S.PDF)}) to Acme Ltd's bid " \
           f"on {REF} (answers q1)." in out
    prices = put(tmp_path, "prices.xlsx", S.xlsx())
    assert run(db, "attach", REF, "Acme Ltd", str(prices), "--kind", "pricing") == 0
    assert "it is never sent to evaluators" in capsys.readouterr().out

    t = load(db)
    assert [(a.supplier, a.name, a.kind, a.criterion, a.label) for a in t.attachments] == [
        ("Acme Ltd", "Method statement.pdf", AttachmentKind.RESPONSE, "q1", "Method statement"),
        ("Acme Ltd", "prices.xlsx", AttachmentKind.PRICING, None, "")]
    assert all(a.added_by.endswith("(command line)") and a.added_at is not None for a in t.attachments)

    assert run(db, "attachments", REF, "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["tender"] == REF
    first = doc["attachments"][0]
    assert {k: first[k] for k in ("supplier", "name", "kind", "criterion", "size", "sha256")} == {
        "supplier": "Acme Ltd", "name": "Method statement.pdf", "kind": "response", "criterion": "q1",
        "size": len(S.PDF), "sha256": sha256_hex(S.PDF)}
    assert first["added"]
    assert run(db, "attachments", REF) == 0
    listing = capsys.readouterr().out
    assert "\n  Acme Ltd\n    Method statement.pdf" in listing
    assert "      response; answers Service delivery; 77 B; SHA-256 " in listing
    assert "      pricing, never sent to evaluators; answers the bid as a whole" in listing

    out_file = tmp_path / "saved.pdf"
    assert run(db, "attachments", REF, "--save", "method statement.pdf", "--supplier", "Acme Ltd",
               "--out", str(out_file)) == 0
    assert out_file.read_bytes() == S.PDF
    folder = tmp_path / "papers"
    folder.mkdir()
    assert run(db, "attachments", REF, "--save", "METHOD STATEMENT.PDF", "--supplier", "Acme Ltd",
               "--out", str(folder)) == 0                        # into a folder: under the file's own name
    assert (folder / "Method statement.pdf").read_bytes() == S.PDF

    assert "not removed: there is no terminal to ask for confirmation" in refused(  # pytest has no terminal
        db, capsys, "detach", REF, "Acme Ltd", "prices.xlsx")
    assert len(load(db).attachments) == 2
    assert run(db, "detach", REF, "Acme Ltd", "prices.xlsx", "--yes") == 0
    assert f"Removed prices.xlsx (pricing, SHA-256 {sha256_hex(S.xlsx())})" in capsys.readouterr().out
    assert [a.name for a in load(db).attachments] == ["Method statement.pdf"]

    entries = [e for e in audit(db) if "file" in e.action]  # type: ignore[attr-defined]
    assert [e.action for e in entries] == [  # type: ignore[attr-defined]
        f"Attached response file Method statement.pdf to Acme Ltd's bid (SHA-256 {sha256_hex(S.PDF)})",
        f"Attached pricing file prices.xlsx to Acme Ltd's bid (SHA-256 {sha256_hex(S.xlsx())})",
        f"Removed pricing file prices.xlsx from Acme Ltd's bid (SHA-256 {sha256_hex(S.xlsx())})"]
    removed = entries[-1].details["removed"]  # type: ignore[attr-defined]
    assert removed["bid"] == "Acme Ltd" and removed["name"] == "prices.xlsx" and removed["kind"] == "pricing"
    assert run(db, "check") == 0


def test_each_refusal_is_one_line_and_changes_nothing(db: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(db, "attach", REF, "Acme Ltd", str(put(tmp_path, "m.pdf", S.PDF))) == 0
    cases = [
        (put(tmp_path, "setup.exe", b"MZ\x90\x00"), "'setup.exe' is a .exe file, which svdesk does not attach"),
        (put(tmp_path, "page.html", b"<html/>"), "'page.html' is a .html file"),
        (put(tmp_path, "renamed.pdf", S.plain_zip()), "'renamed.pdf' is named as a PDF but its content is a zip"),
        (put(tmp_path, "notword.docx", S.zip_without_content_types()), "'notword.docx' is named as a Word document"),
        (put(tmp_path, "empty.txt", b""), "'empty.txt' is empty (0 bytes)"),
        (put(tmp_path, "copy.pdf", S.PDF), "already attached to Acme Ltd's bid as 'm.pdf'"),
        (put(tmp_path, "M.PDF", S.PDF + b"\n"), "a file named 'm.pdf' is already attached"),
    ]
    for path, said in cases:
        assert said in refused(db, capsys, "attach", REF, "Acme Ltd", str(path))
    assert "no such file" in refused(db, capsys, "attach", REF, "Acme Ltd", str(tmp_path / "missing.pdf"))
    assert "no bid from 'Nobody'; the bids are from 'Acme Ltd', " in refused(db, capsys, "attach", REF, "Nobody",
                                                                                str(cases[-1][0]))
    assert "no bid from 'acme  ltd': did you mean 'Acme Ltd'?" in refused(db, capsys, "attach", REF, "acme  ltd",
                                                                           str(cases[-1][0]))
    assert "no criterion 'zz'" in refused(db, capsys, "attach", REF, "Acme Ltd", str(cases[-1][0]),
                                          "--criterion", "zz")
    assert "no file named 'x.pdf'" in refused(db, capsys, "detach", REF, "Acme Ltd", "x.pdf")
    monkeypatch.setattr(limits, "MAX_ATTACHMENT_BYTES", 1000)
    big = put(tmp_path, "big.txt", b"x" * 1001)
    assert "is too large (1,001 bytes; the limit is 1,000 bytes a file)" in refused(
        db, capsys, "attach", REF, "Acme Ltd", str(big))


def test_a_file_over_25_mb_is_refused_by_its_size_before_it_is_read(db: Path, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "huge.pdf"
    with big.open("wb") as fh:                              # sparse: no 25 MB written
        fh.write(b"%PDF-1.4\n")
        fh.truncate(limits.MAX_ATTACHMENT_BYTES + 1)
    assert "is too large (26,214,401 bytes" in refused(db, capsys, "attach", REF, "Acme Ltd", str(big))


def test_an_awarded_tender_refuses_adding_and_removing(db: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "attach", REF, "Acme Ltd", str(put(tmp_path, "m.pdf", S.PDF))) == 0
    from svdesk.domain.tender import TenderStatus
    from svdesk.store import api

    with api.open_database(db) as d:
        t = d.load_tender(REF)
        from dataclasses import replace

        d.save_tender(replace(t, status=TenderStatus.AWARDED), previous=t, who="PS", action="Award")
    err = refused(db, capsys, "attach", REF, "Acme Ltd", str(put(tmp_path, "n.txt", b"new")))
    assert f"{REF} is awarded: its bids' attached files are frozen with the bids as the committee saw them" in err
    assert "Nothing was attached" in err
    assert "Nothing was removed" in refused(db, capsys, "detach", REF, "Acme Ltd", "m.pdf")
    # The triggers refuse it too, whatever svdesk's own checks say.
    conn = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="frozen"):
            conn.execute("DELETE FROM bid_attachment")
    finally:
        conn.close()
    # Reading an awarded tender's files still works.
    assert run(db, "attachments", REF, "--save", "m.pdf", "--supplier", "Acme Ltd",
               "--out", str(tmp_path / "o.pdf")) == 0


def test_bytes_changed_in_the_database_are_never_handed_out(db: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "attach", REF, "Acme Ltd", str(put(tmp_path, "m.pdf", S.PDF))) == 0
    conn = sqlite3.connect(db)
    try:
        conn.execute("UPDATE bid_attachment SET content = ?", (S.PDF.replace(b"Catalog", b"Katalog"),))
        conn.commit()
    finally:
        conn.close()
    capsys.readouterr()
    out = tmp_path / "o.pdf"
    assert run(db, "attachments", REF, "--save", "m.pdf", "--supplier", "Acme Ltd", "--out", str(out)) == 2
    assert "does not match the SHA-256 recorded when it was added" in capsys.readouterr().err
    assert not out.exists()
    # the message says to run 'svdesk check': it finds the file (exit 1, naming it)
    assert run(db, "check") == 1
    said = capsys.readouterr().out
    line = next(x for x in said.splitlines() if "attached files" in x)
    assert line.split()[0] == "PROBLEM" and f"{REF}: m.pdf of Acme Ltd's bid does not match the SHA-256" in line


def test_check_counts_the_attached_files_when_they_are_intact(db: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run(db, "check") == 0
    assert "ok       attached files: none attached" in capsys.readouterr().out
    assert run(db, "attach", REF, "Acme Ltd", str(put(tmp_path, "m.pdf", S.PDF))) == 0
    assert run(db, "attach", REF, "Bramble CIC", str(put(tmp_path, "cv.docx", S.docx())), "--kind", "response") == 0
    capsys.readouterr()
    assert run(db, "check") == 0
    assert "attached files: 2 files (" in capsys.readouterr().out


def test_the_real_process_refuses_with_one_line(db: Path, tmp_path: Path) -> None:
    bad = put(tmp_path, "run.js", b"alert(1)")
    r = subprocess.run([sys.executable, "-m", "svdesk", "--db", str(db), "attach", REF, "Acme Ltd", str(bad)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "'run.js' is a .js file" in r.stderr, r.stderr


def test_the_readme_lists_the_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for cmd in ("svdesk attach REF SUPPLIER FILE", "svdesk detach REF SUPPLIER NAME", "svdesk attachments REF"):
        assert f"| `{cmd}" in readme, cmd
    assert main(["attach", "--help"]) == 0


def test_a_response_file_added_or_removed_after_packs_went_out_names_who_needs_a_new_one(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for who in ("KT", "PS"):
        assert run(db, "pack", REF, "--evaluator", who, "--out", str(tmp_path / f"{who}.svpack")) == 0
    capsys.readouterr()
    assert run(db, "attach", REF, "Acme Ltd", str(put(tmp_path, "m.pdf", S.PDF))) == 0
    said = capsys.readouterr().out
    assert "Note: KT, PS were sent a pack before: this file is not in those packs. Send KT, PS a new pack" in said
    # PS does not mark Cobalt (declared conflict): only KT's pack is out of date
    assert run(db, "attach", REF, "Cobalt Ltd", str(put(tmp_path, "c.pdf", S.PDF + b" "))) == 0
    assert "Note: KT was sent a pack before: this file is not in that pack." in capsys.readouterr().out
    # a pricing file never travels: nothing to send again
    assert run(db, "attach", REF, "Acme Ltd", str(put(tmp_path, "p.csv", S.CSV)), "--kind", "pricing") == 0
    assert "Note:" not in capsys.readouterr().out
    assert run(db, "detach", REF, "Acme Ltd", "m.pdf", "--yes") == 0
    assert "they still have this file in those packs" in capsys.readouterr().out
