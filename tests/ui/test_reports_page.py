"""The reports page makes every paper off the GUI thread and saves it; the PDFs read back."""

from __future__ import annotations

from pathlib import Path

import pytest

from svdesk.io.tender_file import read_tender_file
from tests.ui.conftest import DEMO, DialogLog
from tests.ui.fake_store import FakeDatabase
from ui.document import TenderDocument
from ui.pages.reports import KINDS, ReportsPage, renderer_for


@pytest.mark.parametrize("kind", [k.key for k in KINDS])
def test_each_paper_is_made_and_saved(qtbot, tmp_path: Path, kind: str, dialog_log: DialogLog) -> None:
    if renderer_for(kind) is None:
        pytest.skip(f"the {kind} renderer is not installed")
    t = read_tender_file(DEMO / ("parks-wifi-tender.json" if kind in ("checklist", "commitments")
                                 else "network-tender.json"))
    doc = TenderDocument(FakeDatabase([t]), t, "Tester")
    page = ReportsPage(doc)
    qtbot.addWidget(page)
    page.select(kind, t.bids[0].supplier)
    out = tmp_path / f"{kind}.pdf"
    page.save_to(out)
    qtbot.waitUntil(out.exists, timeout=30_000)
    assert not dialog_log.errors, dialog_log.errors
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(out).pages)
    assert t.reference in text
    assert page.last.text() == f"Saved: {out}"
