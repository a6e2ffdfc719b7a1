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
    out = tmp_path / f"{kind}.pdf"
    page.save_to(out)
    qtbot.waitUntil(out.exists, timeout=30_000)
    assert not dialog_log.errors, dialog_log.errors
    from pypdf import PdfReader

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
