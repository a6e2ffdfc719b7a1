"""The negotiation page and its checklist model: qtmodeltester, undoable answers, meeting mode."""

from __future__ import annotations

from PySide6.QtCore import Qt

from svdesk.domain.negotiation import AskStatus
from svdesk.io.tender_file import read_tender_file
from tests.ui.conftest import DEMO
from tests.ui.fake_store import FakeDatabase
from ui.document import TenderDocument
from ui.models.checklist import ChecklistModel
from ui.pages.negotiation import NegotiationPage


def _doc(qtbot) -> TenderDocument:  # type: ignore[no-untyped-def]
    t = read_tender_file(DEMO / "parks-wifi-tender.json")
    return TenderDocument(FakeDatabase([t]), t, "Tester")


def test_checklist_model(qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(qtbot)
    supplier = doc.tender.bids[0].supplier
    m = ChecklistModel(doc, supplier)
    qtmodeltester.check(m, force_py=True)
    assert m.rowCount() == len(doc.tender.checklist.items)
    assert m.setData(m.index(0, m.OFFER), "A new offer")
    assert doc.tender.checklist.outcome(m.item(0).ask.id, supplier).offer == "A new offer"
    doc.undo_stack.undo()
    assert doc.tender.checklist.outcome(m.item(0).ask.id, supplier).offer != "A new offer"
    qtmodeltester.check(m, force_py=True)


def test_meeting_mode_answers_are_saved_and_undoable(qtbot) -> None:  # type: ignore[no-untyped-def]
    doc = _doc(qtbot)
    page = NegotiationPage(doc)
    qtbot.addWidget(page)
    page.show()
    supplier = doc.tender.bids[-1].supplier
    page.set_supplier(supplier)
    last = len(doc.tender.checklist.items) - 1
    page.table.selectRow(last)
    page.set_meeting_mode(True)
    v = page.meeting_view
    assert v.isVisible() and v.row == last
    ask_id = doc.tender.checklist.items[last].ask.id
    before = doc.tender.checklist.outcome(ask_id, supplier).status
    target = AskStatus.ASKED if before is AskStatus.NOT_ASKED else AskStatus.DECLINED
    qtbot.mouseClick(v.buttons[target], Qt.MouseButton.LeftButton)
    assert doc.tender.checklist.outcome(ask_id, supplier).status is target
    assert v.buttons[target].isChecked()
    doc.undo_stack.undo()
    assert doc.tender.checklist.outcome(ask_id, supplier).status is before
    qtbot.keyClick(v, Qt.Key.Key_Escape)
    assert page.stack.currentIndex() == 0
