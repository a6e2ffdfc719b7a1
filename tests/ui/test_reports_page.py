"""The reports page makes every paper off the GUI thread and saves it; the PDFs read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from svdesk.io.tender_file import read_tender_file
from tests.ui.conftest import DEMO, DialogLog
from tests.ui.fake_store import FakeDatabase
from ui.document import TenderDocument
from ui.pages.reports import KINDS, ReportsPage, renderer_for, suggested_name


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


def _network_page(qtbot) -> ReportsPage:  # type: ignore[no-untyped-def]
    t = read_tender_file(DEMO / "network-tender.json")
    page = ReportsPage(TenderDocument(FakeDatabase([t]), t, "Tester"))
    qtbot.addWidget(page)
    return page


def test_a_saved_paper_offers_to_open_its_folder(qtbot, tmp_path: Path, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    page = _network_page(qtbot)
    page.select("award")
    out = tmp_path / "award.pdf"
    dialog_log.files.append(str(out))
    qtbot.mouseClick(page.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog_log.saved), timeout=30_000)
    title, message, path = dialog_log.saved[0]
    assert title == "Paper saved" and path == out and str(out) in message and out.exists()


def test_each_paper_shows_only_its_own_saved_file(qtbot, tmp_path: Path, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    page = _network_page(qtbot)
    page.select("award")
    out = tmp_path / "award.pdf"
    page.save_to(out)
    qtbot.waitUntil(lambda: page.last.text() == f"Saved: {out}", timeout=30_000)
    page.select("checklist")
    assert page.last.text() == ""                   # not the award's file
    page.select("award")
    assert page.last.text() == f"Saved: {out}"


def test_every_bidders_summary_in_one_go(qtbot, tmp_path: Path, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    if renderer_for("assessment") is None:
        pytest.skip("the assessment renderer is not installed")
    page = _network_page(qtbot)
    page.select("assessment")
    assert page.save_all.isVisibleTo(page) and page.save_all.isEnabled()
    page.select("award")
    assert not page.save_all.isVisibleTo(page)       # only beside the per-bidder paper
    page.select("assessment")
    folder = tmp_path / "summaries"
    dialog_log.files.append(str(folder))
    qtbot.mouseClick(page.save_all, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog_log.saved or dialog_log.errors), timeout=60_000)
    assert not dialog_log.errors, dialog_log.errors
    bids = page.doc.tender.bids
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == len(bids)
    from pypdf import PdfReader

    for b in bids:
        f = folder / suggested_name(page.doc.tender, "assessment", b.supplier)
        text = "\n".join(p.extract_text() or "" for p in PdfReader(f).pages)
        assert b.supplier in text
    _title, message, path = dialog_log.saved[0]
    assert path == folder and f"Saved {len(bids)} assessment summaries" in message


def test_ctrl_p_prints_the_paper_of_the_page_in_view(qtbot, demo_tender, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    printed: list[tuple[str, str | None]] = []
    monkeypatch.setattr(ReportsPage, "print_selected", lambda self: printed.append(self.paper()))
    t = read_tender_file(DEMO / "parks-wifi-tender.json")
    w = MainWindow()
    qtbot.addWidget(w)
    w.set_database(FakeDatabase([t]))  # type: ignore[arg-type]
    ws = w.open_tender(t.reference)
    assert ws is not None
    neg = ws.show_page("negotiation")
    supplier = t.bids[-1].supplier
    neg.set_supplier(supplier)  # type: ignore[attr-defined]
    w.print_action.trigger()
    assert printed == [("checklist", supplier)] and ws.current_page() == "negotiation"
    ws.show_page("results")
    w.print_action.trigger()
    assert printed[-1] == ("award", None)


def test_print_every_bidders_summary_in_one_go(qtbot, monkeypatch, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialog

    from ui.pages import reports

    class Chosen:  # the print dialog, answered "Print"
        def __init__(self, *_a: object) -> None: ...

        def setWindowTitle(self, _t: str) -> None: ...

        def exec(self) -> int:
            return int(QDialog.DialogCode.Accepted)

    sent: list[Path] = []
    monkeypatch.setattr(reports, "QPrintDialog", Chosen)
    monkeypatch.setattr(reports, "send_to_printer", lambda path, _printer: sent.append(path))
    page = _network_page(qtbot)
    page.select("assessment")
    qtbot.mouseClick(page.print_all, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(sent) == len(page.doc.tender.bids) or bool(dialog_log.errors), timeout=60_000)
    assert not dialog_log.errors
    assert [p.name for p in sent] == [suggested_name(page.doc.tender, "assessment", b.supplier)
                                      for b in page.doc.tender.bids]
    assert page.last.text().startswith(f"Sent {len(sent)} summaries")


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


def test_the_councils_logo_is_on_the_paper_and_a_bad_one_is_said_in_one_line(
        qtbot, tmp_path: Path, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    import pikepdf

    from svdesk.domain.council import CouncilSettings
    from tests.reports.fixtures import make_logo
    from ui import settings

    def images(path: Path) -> list[int]:
        with pikepdf.open(path) as pdf:
            return [len(p.get_images()) for p in pdf.pages]

    page = _network_page(qtbot)
    page.select("award")
    try:
        settings.set_council(CouncilSettings.from_stored({
            "council.name": "Ashbourne Borough Council", "council.address": "Town Hall\nAshbourne",
            "council.logo": str(make_logo(tmp_path / "logo.png"))}))
        good = tmp_path / "good.pdf"
        page.save_to(good)
        qtbot.waitUntil(good.exists, timeout=30_000)
        assert images(good)[0] >= 1 and "logo" not in page.banner.accessibleName()
        gone = tmp_path / "gone.png"
        settings.set_council(CouncilSettings.from_stored({"council.logo": str(gone)}))
        bad = tmp_path / "bad.pdf"
        page.save_to(bad)
        qtbot.waitUntil(bad.exists, timeout=30_000)
        qtbot.waitUntil(lambda: "logo" in page.banner.accessibleName(), timeout=5_000)
    finally:
        settings.set_council(None)
    assert not dialog_log.errors
    assert sum(images(bad)) == 0
    assert page.banner.accessibleName() == (f"{gone}: no such file, so the paper is printed without the council's "
                                            "logo. Choose another logo in Tools → Council settings.")


def test_the_word_committee_report_is_built_on_the_councils_template(
        qtbot, tmp_path: Path, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    """Tools → Council settings' report template is the one the app's Word committee report is built on."""
    from docx import Document

    from svdesk.domain.council import CouncilSettings
    from tests.reports.test_committee_docx import make_template
    from ui import settings

    template = make_template(tmp_path, ["{{report}}", "Filed by Democratic Services."])
    page = _network_page(qtbot)
    page.select("committee-word")
    try:
        settings.set_council(CouncilSettings.from_stored({"report.template": str(template)}))
        out = tmp_path / "committee.docx"
        page.save_to(out)
        qtbot.waitUntil(out.exists, timeout=30_000)
    finally:
        settings.set_council(None)
    assert not dialog_log.errors
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert texts[0].startswith("ASHBOURNE DISTRICT COUNCIL") and texts[-1] == "Filed by Democratic Services."
