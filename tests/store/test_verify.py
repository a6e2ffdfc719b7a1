"""``svdesk verify PAPER.pdf`` on real papers printed by ``svdesk report``: verified, changed (by whom, when, what),
not in this database, tampered, and not a paper at all."""

from __future__ import annotations

import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from svdesk.cli.main import main
from svdesk.domain import tender as T
from svdesk.store import api
from tests.conftest import ROOT

REF = "NET-2026-01"


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "council.sqlite3"
    monkeypatch.setenv("SVDESK_DB", str(path))
    assert main(["demo"]) == 0
    return path


def _paper(tmp_path: Path, kind: str = "award", source: str = REF) -> Path:
    out = tmp_path / f"{kind}.pdf"
    assert main(["report", source, "--kind", kind, "--out", str(out), "--authority", "Ashbourne District Council"]) == 0
    return out


def _verify(paper: Path, capsys: pytest.CaptureFixture[str], expect: int) -> str:
    capsys.readouterr()
    status = main(["verify", str(paper)])
    captured = capsys.readouterr()
    assert status == expect, captured.out + captured.err
    return captured.out + captured.err


def test_a_fresh_paper_is_verified_and_its_footer_says_what_its_metadata_says(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paper = _paper(tmp_path)
    out = _verify(paper, capsys, 0)
    assert out.startswith(f"VERIFIED: {db_path} still holds exactly what this award paper for {REF} shows")
    with api.open_database(db_path, read_only=True) as db:
        head = db.audit_head()
    footer = PdfReader(io.BytesIO(paper.read_bytes())).pages[0].extract_text()
    assert f"Audit log head: {head}" in footer
    fingerprint = next(line for line in footer.splitlines() if "fingerprint" in line).split(": ")[1].strip()
    assert fingerprint[:16] in out


def test_a_change_since_printing_is_named_with_who_when_and_what(db_path: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    paper = _paper(tmp_path)
    with api.open_database(db_path) as db:
        t = db.load_tender(REF)
        db.save_tender(T.set_price(t, t.bids[0].supplier, Decimal("440000")), previous=t, who="Mallory",
                       action="Lower Acme's price")
    out = _verify(paper, capsys, 1)
    assert out.startswith(f"CHANGED: {REF} in {db_path} no longer holds what this award paper shows")
    assert "Changes recorded since then (1):" in out
    assert "Mallory: Lower Acme's price (bids[Acme Networks Ltd].price: 540000.00 → 440000)" in out


def test_a_later_entry_that_changes_nothing_printed_is_listed_but_the_paper_verifies(
        db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paper = _paper(tmp_path, "assessment")
    summary = sorted(paper.glob("*.pdf"))[0]
    with api.open_database(db_path) as db:
        t = db.load_tender(REF)
        bid = t.bids[0]
        db.save_tender(T.update_bid(t, bid.supplier, notes="private: call back"), previous=t, who="PS",
                       action="Note")
    out = _verify(summary, capsys, 0)
    assert out.startswith("VERIFIED:") and "1 entry about NET-2026-01 changed nothing the paper shows" in out
    assert "PS: Note" in out


def test_a_change_made_outside_svdesk_is_caught(db_path: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    paper = _paper(tmp_path)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE bid SET price = price - 10000000 WHERE supplier = 'Acme Networks Ltd'")
    conn.close()
    out = _verify(paper, capsys, 1)
    assert "CHANGED:" in out and "No audit entry records a change since then: the data was changed outside" in out


def test_a_paper_whose_head_was_cut_from_the_log_is_not_verified(db_path: Path, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    paper = _paper(tmp_path)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("DROP TRIGGER audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    conn.close()
    out = _verify(paper, capsys, 1)
    assert "NOT VERIFIED:" in out and "does not hold the audit entry this paper was printed at" in out
    assert "schema: trigger audit_log_no_delete (on audit_log) is missing" in out
    assert "the newest entries were removed" in out


def test_a_paper_from_a_tender_file_has_no_database_state(db_path: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    paper = _paper(tmp_path, source=str(ROOT / "resources" / "demo" / "network-tender.json"))
    out = _verify(paper, capsys, 1)
    assert "was printed from a tender file, not from a database" in out


def test_what_is_not_an_svdesk_paper_is_one_line_exit_2(db_path: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from reportlab.pdfgen.canvas import Canvas

    other = tmp_path / "other.pdf"
    c = Canvas(str(other))
    c.drawString(72, 72, "Document fingerprint (SHA-256): " + "a" * 64)
    c.save()
    for path, says in ((db_path, "not a PDF file"), (other, "no svdesk paper identity found"),
                       (tmp_path / "missing.pdf", "could not read the paper")):
        err = _verify(path, capsys, 2)
        assert says in err and err.count("\n") == 1, err
