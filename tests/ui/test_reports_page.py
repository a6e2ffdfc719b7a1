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
    word = kind == "committee-word"
    out = tmp_path / f"{kind}.{'docx' if word else 'pdf'}"
    page.save_to(out)
    qtbot.waitUntil(out.exists, timeout=30_000)
    assert not dialog_log.errors, dialog_log.errors
    from pypdf import PdfReader

    if word:
        from docx import Document

        doc_ = Document(str(out))
        text = "\n".join(p.text for p in doc_.paragraphs) + doc_.core_properties.title
        assert not page.print_button.isEnabled()
    else:
        text = "\n".join(p.extract_text() or "" for p in PdfReader(out).pages)
    assert t.reference in text
    assert page.last.text() == f"Saved: {out}"


def test_the_officer_writes_the_committee_reports_sections(qtbot, dialog_log: DialogLog) -> None:
    t = read_tender_file(DEMO / "network-tender.json")
    doc = TenderDocument(FakeDatabase([t]), t, "Tester")
    page = ReportsPage(doc)
    qtbot.addWidget(page)
    page.select("committee")
    assert page.write_texts.isVisibleTo(page) and "Purpose of the report" in page._gaps.text()
    from ui.report_texts_dialog import ReportTextsDialog

    dialog = ReportTextsDialog(doc, page)
    qtbot.addWidget(dialog)
    dialog.edits["purpose"].setPlainText("To approve the award.")
    dialog.edits["wards"].setPlainText("All wards")
    dialog.publish.setChecked(True)
    dialog.accept()
    r = doc.tender.report
    assert (r.purpose, r.wards, r.publish_bidder_details) == ("To approve the award.", "All wards", True)
    page._refresh()
    assert "Purpose of the report" not in page._gaps.text() and "Background" in page._gaps.text()
    doc.undo_stack.undo()                                  # one edit for the whole dialog
    assert doc.tender.report.purpose == "" and not doc.tender.report.publish_bidder_details
    bad = ReportTextsDialog(doc, page)
    qtbot.addWidget(bad)
    bad.edits["risk"].setPlainText("x" * 10_001)
    with qtbot.waitSignal(doc.edit_refused) as refused:      # the window shows it; the dialog stays open
        bad.accept()
    assert "10000" in str(refused.args[0]).replace(",", "") and doc.tender.report.risk == ""
    assert bad.result() != ReportTextsDialog.DialogCode.Accepted
    page.select("award")
    assert not page.write_texts.isVisibleTo(page)
