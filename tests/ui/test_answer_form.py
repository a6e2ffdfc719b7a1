"""Issue 14 item 4: every field of an ask's answer — offer, value, inputs, beneficiaries, cost, who delivers
(the named local SME partner), follow-up date and notes — is editable in both modes, by keyboard alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from svdesk.domain.checklist import DeliveredBy
from svdesk.domain.values import TEXT_MAX
from svdesk.io.tender_file import read_tender_file
from tests.ui.conftest import DEMO
from tests.ui.fake_store import FakeDatabase
from ui.answer_form import AnswerForm
from ui.document import TenderDocument
from ui.pages.negotiation import NegotiationPage

D = Decimal
TAB = Qt.Key.Key_Tab


def _page(qtbot) -> NegotiationPage:  # type: ignore[no-untyped-def]
    t = read_tender_file(DEMO / "parks-wifi-tender.json")
    page = NegotiationPage(TenderDocument(FakeDatabase([t]), t, "Tester"))
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    return page


def _type(qtbot, widget, text: str, then: Qt.Key = TAB) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)   # replace what was there
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, then)


def _answer_with_the_keyboard(qtbot, page: NegotiationPage, form: AnswerForm) -> None:  # type: ignore[no-untyped-def]
    _type(qtbot, form.offer, "Wi-Fi in two more parks")
    assert QApplication.focusWidget() is form.value          # Tab leaves the offer for the next box
    qtbot.keyClick(form.value, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.value, "1,250")
    qtbot.keyClick(form.value, TAB)
    _type(qtbot, form.beneficiaries, "400")
    _type(qtbot, form.cost, "0")
    form.delivered_by.setFocus()
    qtbot.waitUntil(form.delivered_by.hasFocus)
    qtbot.keyClick(form.delivered_by, Qt.Key.Key_Down)       # "Local SME partner": the partner box is next
    assert QApplication.focusWidget() is form.partner and form.partner.isEnabled()
    qtbot.keyClicks(form.partner, "Dales Digital CIC")
    qtbot.keyClick(form.partner, Qt.Key.Key_Return)
    tick = form.follow_up.focus_widgets()[0]
    tick.setFocus()
    qtbot.waitUntil(tick.hasFocus)
    qtbot.keyClick(tick, Qt.Key.Key_Space)                   # follow up today (the date box then takes a date)
    form.notes.setFocus()
    qtbot.waitUntil(form.notes.hasFocus)
    qtbot.keyClick(form.notes, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.notes, "Ask for the site list by Friday")


def _check(page: NegotiationPage, ask_id: str, supplier: str) -> None:
    o = page.doc.tender.checklist.outcome(ask_id, supplier)
    assert o.offer == "Wi-Fi in two more parks"
    assert o.value_entered == D("1250.00")
    assert o.beneficiaries == 400 and o.cost_to_council == D(0)
    assert o.delivered_by is DeliveredBy.LOCAL_SME and o.partner == "Dales Digital CIC"
    assert o.follow_up == date.today()
    assert o.notes == "Ask for the site list by Friday"
    stored = page.doc.database.tenders[page.doc.reference]  # type: ignore[attr-defined]
    assert stored.checklist.outcome(ask_id, supplier) == o  # saved, not only shown


def test_meeting_mode_records_every_field_by_keyboard(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot)
    supplier = page.doc.tender.bids[-1].supplier
    page.set_supplier(supplier)
    page.table.selectRow(1)
    ask_id = page.model.item(1).ask.id
    qtbot.keyClick(page.table, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)   # Ctrl+M: meeting mode
    assert page.stack.currentIndex() == 1
    form = page.meeting_view.form
    assert form.value.isEnabled() and "not valued yet" not in form.value.placeholderText()
    _answer_with_the_keyboard(qtbot, page, form)
    qtbot.keyClick(form.notes, Qt.Key.Key_Escape)             # Esc saves the notes typed and leaves
    assert page.stack.currentIndex() == 0
    _check(page, ask_id, supplier)
    # the list's side panel shows the same answer, and each field was its own undoable step
    assert page.answer_form.partner.text() == "Dales Digital CIC"
    assert page.answer_form.notes.toPlainText() == "Ask for the site list by Friday"
    assert page.doc.undo_stack.text(page.doc.undo_stack.index() - 1).startswith(f"{supplier}: notes for ")
    page.doc.undo_stack.undo()
    assert page.doc.tender.checklist.outcome(ask_id, supplier).notes == ""
    assert page.answer_form.notes.toPlainText() == ""


def test_the_side_panel_records_every_field_by_keyboard(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot)
    supplier = page.doc.tender.bids[-1].supplier
    page.set_supplier(supplier)
    page.table.selectRow(1)
    ask_id = page.model.item(1).ask.id
    _answer_with_the_keyboard(qtbot, page, page.answer_form)
    qtbot.keyClick(page.answer_form.notes, TAB)               # leaving the notes saves them
    _check(page, ask_id, supplier)


def test_a_partner_is_named_before_it_is_saved_and_back_to_the_supplier(qtbot, dialog_log) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot)
    supplier = page.doc.tender.bids[-1].supplier
    page.set_supplier(supplier)
    page.table.selectRow(0)
    ask_id = page.model.item(0).ask.id
    form = page.answer_form
    assert not form.partner.isEnabled()                       # the supplier delivers: no partner to name
    depth = page.doc.undo_stack.count()
    form.delivered_by.setFocus()
    qtbot.keyClick(form.delivered_by, Qt.Key.Key_Down)
    assert page.doc.undo_stack.count() == depth               # nothing saved until the partner is named
    assert not dialog_log.errors
    qtbot.keyClicks(form.partner, "Peak Park Rangers")
    qtbot.keyClick(form.partner, Qt.Key.Key_Return)
    o = page.doc.tender.checklist.outcome(ask_id, supplier)
    assert (o.delivered_by, o.partner) == (DeliveredBy.LOCAL_SME, "Peak Park Rangers")
    form.delivered_by.setFocus()
    qtbot.keyClick(form.delivered_by, Qt.Key.Key_Up)          # back to "The supplier": the name goes
    o = page.doc.tender.checklist.outcome(ask_id, supplier)
    assert (o.delivered_by, o.partner) == (DeliveredBy.SUPPLIER, "")
    assert not form.partner.isEnabled()


def test_typing_an_input_keeps_the_focus_and_says_its_label(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot)
    row = next(r for r in range(page.model.rowCount()) if len(page.model.item(r).ask.inputs) >= 1
               and any(i.name == "partner_share_pct" for i in page.model.item(r).ask.inputs))
    supplier = page.doc.tender.bids[0].supplier
    page.set_supplier(supplier)
    page.table.selectRow(row)
    item = page.model.item(row)
    names = [i.name for i in item.ask.inputs]
    edits = page.answer_form.input_edits()
    k = names.index("partner_share_pct")
    box = edits[k]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, "20")
    qtbot.keyClick(box, TAB)
    assert page.doc.tender.checklist.outcome(item.ask.id, supplier).inputs["partner_share_pct"] == D(20)
    assert page.answer_form.input_edits() == edits            # the same boxes: the focus did not jump away
    text = page.doc.undo_stack.text(page.doc.undo_stack.index() - 1)
    assert "partner_share_pct" not in text and item.ask.inputs[k].label.lower() in text   # officer's words


def test_an_empty_selection_shows_no_previous_ask(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot)
    page.table.selectRow(0)
    assert page.answer_form.how.text()
    page.table.clearSelection()
    assert page.answer_form.how.text() == "" and page.answer_form.offer.toPlainText() == ""
    assert not page.answer_form.input_edits()


def test_notes_have_a_counter_and_a_limit(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot)
    page.table.selectRow(0)
    notes = page.answer_form.notes
    assert notes.counter.isHidden()
    notes.setPlainText("x" * (TEXT_MAX + 50))
    assert len(notes.toPlainText()) == TEXT_MAX
    assert notes.counter.text() == f"0 of {TEXT_MAX:,} characters left" and not notes.counter.isHidden()


def test_alt_right_saves_and_moves_on_from_any_box(qtbot) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot)
    supplier = page.doc.tender.bids[-1].supplier
    page.set_supplier(supplier)
    page.table.selectRow(0)
    ask_id = page.model.item(0).ask.id
    page.set_meeting_mode(True)
    view = page.meeting_view
    view.form.notes.setFocus()
    qtbot.waitUntil(view.form.notes.hasFocus)
    qtbot.keyClicks(view.form.notes, "Chase on Monday")
    qtbot.keyClick(view.form.notes, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.row == 1 and page.doc.tender.checklist.outcome(ask_id, supplier).notes.endswith("Chase on Monday")
    qtbot.keyClick(view.form.offer, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.row == 0
