"""The negotiation page and its checklist model: qtmodeltester, undoable answers, meeting mode."""

from __future__ import annotations

from PySide6.QtCore import Qt

from svdesk.domain.checklist import AskStatus
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


def _page(qtbot) -> NegotiationPage:  # type: ignore[no-untyped-def]
    page = NegotiationPage(_doc(qtbot))
    qtbot.addWidget(page)
    page.show()
    return page


def _ids(page: NegotiationPage) -> list[str]:
    return [i.ask.id for i in page.doc.tender.checklist.items]


def test_asks_move_up_and_down_undoably(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot)
    start = _ids(page)
    assert len(start) >= 3
    page.table.selectRow(1)
    qtbot.mouseClick(page.move_up, Qt.MouseButton.LeftButton)
    assert _ids(page) == [start[1], start[0], *start[2:]]
    assert page.model.item(page._selected_row() or 0).ask.id == start[1]   # the moved ask stays selected
    assert not page.move_up.isEnabled() and page.move_down.isEnabled()    # it is at the top now
    assert page.doc.database.tenders[page.doc.reference].checklist.items[0].ask.id == start[1]  # type: ignore[attr-defined]
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)   # the keyboard way back down
    assert _ids(page) == start
    page.doc.undo_stack.undo()
    assert _ids(page) == [start[1], start[0], *start[2:]]
    page.doc.undo_stack.undo()
    assert _ids(page) == start and page.doc.undo_stack.text(0) == f"Move ask {page.model.item(1).ask.title} up"
    page.table.selectRow(len(start) - 1)
    assert not page.move_down.isEnabled() and not page.move_selected(1)


def test_change_an_asks_wording_for_this_tender(qtbot, dialog_log) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.negotiation import AskDialog, library

    page = _page(qtbot)
    page.table.selectRow(0)
    ask = page.model.item(0).ask

    def answer(dlg: object) -> bool:
        assert isinstance(dlg, AskDialog) and dlg.title.text() == ask.title
        dlg.title.setText("Free Wi-Fi in every park")
        dlg.question.setPlainText("Will you light up every park, not only the big three?")
        return True

    dialog_log.on_dialog = answer
    qtbot.mouseClick(page.edit, Qt.MouseButton.LeftButton)
    changed = page.doc.tender.checklist.item(ask.id).ask
    assert changed.title == "Free Wi-Fi in every park" and changed.question.startswith("Will you light up")
    assert changed.theme == ask.theme and changed.evidence == ask.evidence      # untouched fields kept
    lib = {a.id: a for a in library()}
    assert ask.id not in lib or lib[ask.id].title != "Free Wi-Fi in every park"  # this tender only
    page.doc.undo_stack.undo()
    assert page.doc.tender.checklist.item(ask.id).ask == ask


def test_write_your_own_ask_and_keep_it_in_your_library(qtbot, dialog_log) -> None:  # type: ignore[no-untyped-def]
    from svdesk.domain.values import Theme
    from svdesk.io.asks_library import user_library
    from ui.pages.negotiation import AskDialog, library

    page = _page(qtbot)
    page.table.selectRow(0)
    before = _ids(page)

    def answer(dlg: object) -> bool:
        assert isinstance(dlg, AskDialog) and not dlg.ok.isEnabled()          # a title is needed
        dlg.title.setText("Wi-Fi in the market square")
        dlg.theme.setCurrentIndex(dlg.theme.findData(Theme.COMMUNITIES.value))
        dlg.question.setPlainText("Will you cover the market square on market days?")
        return dlg.ok.isEnabled()

    dialog_log.on_dialog = answer
    qtbot.mouseClick(page.write, Qt.MouseButton.LeftButton)
    ids = _ids(page)
    assert ids[1] == "my-wi-fi-in-the-market-square" and ids[:1] + ids[2:] == before   # after the selected ask
    item = page.doc.tender.checklist.item(ids[1])
    assert item.custom and item.ask.theme is Theme.COMMUNITIES and page.model.item(1).ask.id == ids[1]
    assert "(your own)" in page.model.data(page.model.index(1, 0))

    assert page.save_mine.isEnabled()
    qtbot.mouseClick(page.save_mine, Qt.MouseButton.LeftButton)
    assert [a.id for a in user_library().asks] == ["my-wi-fi-in-the-market-square"]
    assert any(a.title == "Wi-Fi in the market square" for a in library())     # offered for other tenders now
    assert not page.save_to_library(ids[1])                                     # already there as it is
    dialog_log.answer = False
    page.change_ask(ids[1], {"title": "Wi-Fi on market days"})
    assert not page.save_to_library(ids[1])                                     # replacing asks first
    assert dialog_log.confirms[-1] == "Replace the ask in your library?"
    assert user_library().asks[0].title == "Wi-Fi in the market square"
