"""Issue 14, "Done when": an officer's whole first day, in the real window, on a fresh database, with the keyboard
and the mouse (QTest through qtbot), asserting what the officer sees at each step:

set-up → a tender from a template → the checklist → two supplier meetings → three bids → three evaluators →
moderation → results → papers → undo, close, reopen.

Only the modal dialogs are answered for the officer (a modal dialog blocks an offscreen test): svdesk's own
set-up and new-tender dialogs are shown and filled in by keyboard, then OK is clicked with the mouse; the
message boxes are recorded by the ``dialog_log`` fixture. ``scripts/screenshots.py`` walks the same day.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget

from svdesk.domain.checklist import AskStatus, DeliveredBy
from svdesk.domain.tender import TenderStatus
from tests.ui.conftest import DialogLog

D = Decimal
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton
REF = "NET-2027-01"
COUNCIL = "Ashbourne District Council"
BIDS = (("Acme Networks Ltd", "540000"), ("Dales Digital CIC", "585000"), ("Northern Telecom plc", "498000"))
MET = ("Dales Digital CIC", "Acme Networks Ltd")          # the two supplier meetings
EVALUATORS = ("PS", "JM", "KT")
#: Each evaluator's marks (0–5) for every assessed criterion, by supplier: Dales is the best on quality.
MARKS = {"Acme Networks Ltd": 3, "Dales Digital CIC": 5, "Northern Telecom plc": 2}


def type_into(qtbot, widget: QWidget, text: str, then: Qt.Key | None = Qt.Key.Key_Tab) -> None:  # type: ignore[no-untyped-def]
    """Focus a box, replace what is in it by typing, then leave it with ``then`` (Tab by default)."""
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(widget, text)
    if then is not None:
        qtbot.keyClick(widget, then)


def answer_with(monkeypatch: pytest.MonkeyPatch, cls: type[QDialog], fill: Callable[[QDialog], None]) -> None:
    """Show svdesk's own dialog for real (not modal), let ``fill`` type into it and click OK."""
    def exec_(self: QDialog) -> int:
        self.show()
        fill(self)
        return int(self.result())

    monkeypatch.setattr(cls, "exec", exec_)


def click_ok(qtbot, dlg: QDialog) -> None:  # type: ignore[no-untyped-def]
    box = dlg.findChild(QDialogButtonBox)
    assert box is not None
    qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), LEFT)


def test_an_officers_first_day(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                               dialog_log: DialogLog) -> None:
    pytest.importorskip("svdesk.store.api")
    from ui.app import Application
    from ui.main_window import MainWindow
    from ui.new_tender import NewTenderDialog
    from ui.setup_dialog import SetupDialog

    db_path = str(tmp_path / "council.sqlite3")

    # --- set-up: the first run asks who and which council -----------------------------------------------
    def set_up(dlg: QDialog) -> None:
        assert isinstance(dlg, SetupDialog)
        type_into(qtbot, dlg.authority, COUNCIL)
        type_into(qtbot, dlg.user, "Priya Shah")
        if dlg.demo.isChecked():
            qtbot.mouseClick(dlg.demo, LEFT)          # a real register: no examples
        click_ok(qtbot, dlg)

    answer_with(monkeypatch, SetupDialog, set_up)
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    owner = Application(w, db_path)
    owner.start()
    assert w.db is not None and w.register.model.total() == 0
    assert w.register.stack.currentWidget() is w.register.empty     # "No tenders yet", nothing else
    assert w.register.empty_hint.isVisible()
    from ui import settings

    assert settings.authority_name() == COUNCIL and settings.user_name() == "Priya Shah"

    # --- a tender from the ICT template (Ctrl+N) ---------------------------------------------------------
    def new_tender(dlg: QDialog) -> None:
        assert isinstance(dlg, NewTenderDialog)
        type_into(qtbot, dlg.reference, REF)
        type_into(qtbot, dlg.title, "Corporate network and broadband")
        type_into(qtbot, dlg.category, "ict")           # the template for the category is offered at once
        assert "ICT and telecoms" in dlg.start.currentText()
        type_into(qtbot, dlg.annual, "200,000")
        click_ok(qtbot, dlg)

    answer_with(monkeypatch, NewTenderDialog, new_tender)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_N, CTRL)
    ws = w.current_workspace()
    assert ws is not None and ws.doc.reference == REF
    assert ws._name.text() == f"{REF} · Corporate network and broadband · Draft"  # type: ignore[attr-defined]
    t = ws.doc.tender
    assert [c.id for c in t.criteria] == ["price", "q1", "q2", "sv1", "sv2"] and t.weight_total == 100
    evaluation = ws.show_page("evaluation")
    assert "Weights total 100" in evaluation.total.text()  # type: ignore[attr-defined]
    assert w.register.model.total() == 1

    # --- three bids, prices typed into the table -----------------------------------------------------------
    bids = ws.show_page("bids")
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    for n, (supplier, _price) in enumerate(BIDS):
        # the address and identifier every assessment summary is sent to (reg. 31(2)(b)-(c))
        ids = {"email": f"bids{n}@example.org", "cdp_id": f"PABC-{n}23{n}-DEFG"}
        assert bids.add_bid(supplier, None, **ids)  # type: ignore[attr-defined]
    table, m = bids.table, bids.model  # type: ignore[attr-defined]
    for supplier, amount in BIDS:
        row = bids.proxy.mapFromSource(m.index(m.row_of(supplier), 0)).row()  # type: ignore[attr-defined]
        ix = bids.proxy.index(row, m.PRICE)  # type: ignore[attr-defined]
        table.setFocus()
        table.setCurrentIndex(ix)                       # (as the arrow keys would)
        qtbot.keyClick(table, Qt.Key.Key_F2)            # edit the cell, as in a spreadsheet
        editor = QApplication.focusWidget()
        assert editor is not None and editor is not table
        qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
        qtbot.keyClicks(editor, amount)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda s=supplier: ws.doc.tender.bid(s).price is not None)   # committed (queued by Qt)
    assert [b.price for b in ws.doc.tender.bids] == [D(p) for _s, p in BIDS]
    assert bids._count.text() == "3 bids"  # type: ignore[attr-defined]
    assert "£498,000.00" in m.data(m.index(m.row_of("Northern Telecom plc"), m.PRICE))

    # --- the checklist: Start negotiation, fill it with the suggested asks ------------------------------------
    assert ws.request_status(TenderStatus.NEGOTIATION)
    neg = ws.show_page("negotiation")
    qtbot.mouseClick(neg.suggest, LEFT)  # type: ignore[attr-defined]
    items = ws.doc.tender.checklist.items
    assert len(items) >= 3 and not neg.suggest.isVisible()  # type: ignore[attr-defined]
    assert ws._name.text().endswith("Negotiation")  # type: ignore[attr-defined]

    # --- two supplier meetings, in meeting mode, by keyboard -----------------------------------------------
    for n, supplier in enumerate(MET):
        neg.set_supplier(supplier)  # type: ignore[attr-defined]
        neg.table.selectRow(0)  # type: ignore[attr-defined]
        neg.table.setFocus()  # type: ignore[attr-defined]
        qtbot.keyClick(neg.table, Qt.Key.Key_M, CTRL)  # type: ignore[attr-defined]
        view = neg.meeting_view  # type: ignore[attr-defined]
        assert view.isVisible() and f"Meeting: <b>{supplier}</b>" == view.supplier.text()
        assert view.progress.text() == f"Ask 1 of {len(items)}"
        for s in (AskStatus.ASKED, AskStatus.AGREED):
            qtbot.mouseClick(view.buttons[s], LEFT)
        form = view.form
        type_into(qtbot, form.offer, f"Free connections for {4 + n} community centres")
        type_into(qtbot, form.value, f"{6000 + 1000 * n}")
        type_into(qtbot, form.beneficiaries, "1200")
        form.delivered_by.setFocus()
        qtbot.keyClick(form.delivered_by, Qt.Key.Key_Down)       # a local SME partner delivers it
        qtbot.keyClicks(form.partner, "Peak Wireless Ltd")
        qtbot.keyClick(form.partner, Qt.Key.Key_Return)
        type_into(qtbot, form.notes, "Ask for the list of sites", then=None)
        qtbot.mouseClick(view.next, LEFT)                       # saves the notes, on to the next ask
        assert view.progress.text() == f"Ask 2 of {len(items)}"
        qtbot.mouseClick(view.buttons[AskStatus.ASKED], LEFT)
        qtbot.mouseClick(view.buttons[AskStatus.DECLINED], LEFT)
        qtbot.keyClick(view, Qt.Key.Key_Escape)
        assert neg.stack.currentIndex() == 0  # type: ignore[attr-defined]
        o = ws.doc.tender.checklist.outcome(items[0].ask.id, supplier)
        assert (o.status, o.value_entered, o.beneficiaries) == (AskStatus.AGREED, D(6000 + 1000 * n), 1200)
        assert (o.delivered_by, o.partner, o.notes) == (DeliveredBy.LOCAL_SME, "Peak Wireless Ltd",
                                                       "Ask for the list of sites")
        assert f"{supplier}: 2 of {len(items)} asks put · 1 agreed · 1 declined" in neg.totals.text()  # type: ignore[attr-defined]
        qtbot.mouseClick(neg.apply, LEFT)  # type: ignore[attr-defined]    # agreed asks → the bid's commitments
        assert ws.doc.tender.bid(supplier).commitments_value() == D(6000 + 1000 * n) * 3

    # --- evaluation: three evaluators mark every assessed criterion -----------------------------------------
    from ui import commands as C

    # the tender documents the summaries will name (reg. 31)
    assert ws.doc.push(C.SetDetails(ws.doc, {"notice_id": "ITT NET-2027-01 (1 Sept 2026)"}))
    assert ws.request_status(TenderStatus.EVALUATION)
    scoring = ws.show_page("scoring")
    assessed = [c for c in ws.doc.tender.criteria if c.is_assessed]
    assert [c.id for c in assessed] == ["q1", "q2", "sv1"]
    mm = scoring.marks_model  # type: ignore[attr-defined]
    panel = scoring.mark_panel  # type: ignore[attr-defined]
    for who in EVALUATORS:
        dialog_log.texts.append(who)
        qtbot.mouseClick(scoring._add_evaluator, LEFT)  # type: ignore[attr-defined]
        assert scoring.evaluator.currentText() == who  # type: ignore[attr-defined]
        for supplier, mark in MARKS.items():
            for c in assessed:
                ix = mm.cell_of(supplier, c.id)
                rect = scoring.marks.visualRect(ix)  # type: ignore[attr-defined]
                qtbot.mouseClick(scoring.marks.viewport(), LEFT, pos=rect.center())  # type: ignore[attr-defined]
                type_into(qtbot, panel.mark, str(mark))
                type_into(qtbot, panel.reason, f"{who}: see section {mark} of the bid", then=None)
                qtbot.keyClick(panel.reason, Qt.Key.Key_Return, CTRL)     # Ctrl+Enter saves the mark
    evaluators = {who for b in ws.doc.tender.bids for marks in b.evaluator_scores.values() for who in marks}
    assert evaluators == set(EVALUATORS)
    assert [scoring.evaluator.itemText(i) for i in range(scoring.evaluator.count())] == list(EVALUATORS)  # type: ignore[attr-defined]
    assert not dialog_log.errors, dialog_log.errors

    # --- moderation: agree every score (Ctrl+Enter moves to the next row) -----------------------------------
    qtbot.mouseClick(scoring._moderate_mode, LEFT)  # type: ignore[attr-defined]
    mod = scoring.moderation_model  # type: ignore[attr-defined]
    agree = scoring.agree_panel  # type: ignore[attr-defined]
    scoring.moderation.selectRow(0)  # type: ignore[attr-defined]
    for _ in range(mod.rowCount()):
        x = mod.row(scoring._moderation_row())  # type: ignore[attr-defined]
        assert agree.mark.text() == str(MARKS[x.supplier])       # the evaluators agree: their mark is offered
        type_into(qtbot, agree.reason, f"Agreed at moderation: {x.supplier}", then=None)
        qtbot.keyClick(agree.reason, Qt.Key.Key_Return, CTRL)
    assert all(c.id in b.scores for b in ws.doc.tender.bids for c in assessed)

    # --- results ---------------------------------------------------------------------------------------------
    results = ws.show_page("results")
    res = results.results  # type: ignore[attr-defined]
    assert res is not None and [r.supplier for r in res.winners] == ["Dales Digital CIC"]
    summary = results.summary.text()  # type: ignore[attr-defined]
    assert "Highest score: Dales Digital CIC" in summary and "provisional" not in summary.lower()
    assert not any("moderate" in wline for wline in res.warnings)

    # --- papers: the award report, then every bidder's summary in one go --------------------------------------
    reports = ws.show_page("reports")
    reports.select("award")  # type: ignore[attr-defined]
    award = tmp_path / "award.pdf"
    dialog_log.files.append(str(award))
    qtbot.mouseClick(reports.save, LEFT)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(dialog_log.saved or dialog_log.errors), timeout=60_000)
    assert not dialog_log.errors, dialog_log.errors
    assert dialog_log.saved[-1][0] == "Paper saved" and award.exists()
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(award).pages)
    assert COUNCIL in text and "Dales Digital CIC" in text and REF in text
    reports.select("assessment")  # type: ignore[attr-defined]
    folder = tmp_path / "summaries"
    dialog_log.files.append(str(folder))
    qtbot.mouseClick(reports.save_all, LEFT)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(dialog_log.saved) == 2 or bool(dialog_log.errors), timeout=60_000)
    assert not dialog_log.errors, dialog_log.errors
    assert len(list(folder.glob("*.pdf"))) == len(BIDS)

    # --- undo brings the change into view; redo puts it back ----------------------------------------------------
    before = ws.doc.tender
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_Z, CTRL)
    assert ws.current_page() == "scoring" and scoring.stack.currentIndex() == 1  # type: ignore[attr-defined]
    undone = ws.doc.tender
    assert undone != before
    x = mod.row(scoring._moderation_row())  # type: ignore[attr-defined]
    assert x.cid not in undone.bid(x.supplier).scores            # the last agreed score, selected and empty
    scoring.moderation.setFocus()  # type: ignore[attr-defined]   # (in a text box, Ctrl+Y redoes its typing)
    qtbot.keyClick(scoring.moderation, Qt.Key.Key_Y, CTRL)  # type: ignore[attr-defined]
    assert ws.doc.tender == before

    # --- close, reopen: everything is as the officer left it ---------------------------------------------------
    w.close()
    owner.close()
    w2 = MainWindow()
    qtbot.addWidget(w2)
    w2.resize(1366, 768)
    w2.show()
    owner2 = Application(w2, db_path)
    owner2.start()
    try:
        assert w2.register.model.total() == 1
        ws2 = w2.workspaces.get(REF)
        assert ws2 is not None                                   # the tender that was open opens again
        assert ws2.doc.tender == before
        assert ws2._name.text().endswith("Evaluation")  # type: ignore[attr-defined]
        assert ws2.doc.tender.checklist.outcome(items[0].ask.id, MET[0]).partner == "Peak Wireless Ltd"
    finally:
        w2.close()
        owner2.close()
