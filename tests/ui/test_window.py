"""The main window with the in-memory database: register, tabs, shortcuts, undo menu, title, pages."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from svdesk.domain.tender import Tender, TenderStatus
from tests.ui.conftest import DialogLog
from tests.ui.fake_store import FakeDatabase
from ui.guide import PAGES
from ui.main_window import MainWindow

D = Decimal


@pytest.fixture
def window(qtbot, fake_db: FakeDatabase) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_database(fake_db)
    return w


def test_register_lists_searches_and_opens(qtbot, window: MainWindow) -> None:
    reg = window.register
    assert reg.model.rowCount() == 1 and reg.count.text() == "1 tender"
    qtbot.keyClicks(reg.search, "zzz")
    qtbot.waitUntil(lambda: reg.model.rowCount() == 0)
    assert reg.stack.currentWidget() is reg.no_match
    reg.search.clear()
    qtbot.waitUntil(lambda: reg.model.rowCount() == 1)
    qtbot.keyClicks(reg.search, "network")
    qtbot.keyClick(reg.search, Qt.Key.Key_Return)
    assert window.current_workspace() is not None
    assert window.windowTitle() == "NET-2026-01 Corporate network and broadband — svdesk"


def test_empty_register_offers_the_examples(qtbot) -> None:  # type: ignore[no-untyped-def]
    db = FakeDatabase()
    w = MainWindow()
    qtbot.addWidget(w)
    w.set_database(db)
    assert w.register.stack.currentWidget() is w.register.empty
    w.load_demo()
    assert w.register.model.rowCount() >= 1 and db.audit[0].action == "Create tender"


def test_page_shortcuts_and_undo_menu(qtbot, window: MainWindow) -> None:
    ws = window.open_tender("NET-2026-01")
    assert ws is not None
    for i, key in enumerate(PAGES):
        window.page_actions[i].trigger()
        assert ws.current_page() == key
        assert window.page_actions[i].shortcut().toString() == f"Ctrl+{i + 1}"
    from ui.commands import SetWeight

    ws.doc.push(SetWeight(ws.doc, "price", D(35)))
    assert window.undo_action.text() == "&Undo Set weight of Price"
    window.undo_action.trigger()
    assert ws.doc.tender.criterion("price").weight == D(40)
    assert window.redo_action.isEnabled()
    assert "Saved: Set weight of Price" in window.saved_label.text()


def test_every_page_builds_for_every_demo_tender(qtbot, demo_files) -> None:  # type: ignore[no-untyped-def]
    from svdesk.io.tender_file import read_tender_file

    db = FakeDatabase([read_tender_file(p) for p in demo_files])
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_database(db)
    for ref in list(db.tenders):
        ws = w.open_tender(ref)
        assert ws is not None
        for key in PAGES:
            ws.show_page(key)
            QApplication.processEvents()


def test_read_only_database_shows_the_banner_and_refuses_edits(qtbot, demo_tender: Tender,
                                                               dialog_log: DialogLog) -> None:
    db = FakeDatabase([demo_tender], read_only=True)
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_database(db)
    assert w.read_only_banner.isVisible() and not w.new_action.isEnabled()
    assert "(read-only)" in w.windowTitle()
    ws = w.open_tender(demo_tender.reference)
    assert ws is not None
    page = ws.show_page("bids")
    ix = page.model.index(0, page.model.PRICE)  # type: ignore[attr-defined]
    assert not (page.model.flags(ix) & Qt.ItemFlag.ItemIsEditable)  # type: ignore[attr-defined]


def test_a_refused_edit_is_explained_in_plain_english(qtbot, window: MainWindow, dialog_log: DialogLog) -> None:
    ws = window.open_tender("NET-2026-01")
    assert ws is not None
    page = ws.show_page("evaluation")
    m = page.model  # type: ignore[attr-defined]
    m.setData(m.index(0, m.WEIGHT), "150")
    assert dialog_log.errors and "between 0 and 100" in dialog_log.errors[-1][1]
    assert "Traceback" not in dialog_log.errors[-1][1]


def test_weight_total_indicator_is_live(qtbot, window: MainWindow) -> None:
    ws = window.open_tender("NET-2026-01")
    assert ws is not None
    page = ws.show_page("evaluation")
    assert "total 100" in page.total.text()  # type: ignore[attr-defined]
    m = page.model  # type: ignore[attr-defined]
    m.setData(m.index(0, m.WEIGHT), "35")
    assert "Weights total 95" in page.total.text() and "add 5" in page.total.text()  # type: ignore[attr-defined]
    assert "Weights total 95" in ws._next.text()


def test_award_asks_first_and_cannot_be_undone(qtbot, window: MainWindow, dialog_log: DialogLog) -> None:
    ws = window.open_tender("NET-2026-01")
    assert ws is not None
    dialog_log.answer = False
    assert not ws.request_status(TenderStatus.AWARDED)
    assert ws.doc.tender.status is TenderStatus.EVALUATION
    dialog_log.answer = True
    assert ws.request_status(TenderStatus.AWARDED)
    assert ws.doc.tender.status is TenderStatus.AWARDED and ws.doc.undo_stack.count() == 0
    assert dialog_log.confirms == ["Record the award?", "Record the award?"]


def test_guide_buttons_go_where_the_problem_is(qtbot, window: MainWindow, fake_db: FakeDatabase) -> None:
    t = fake_db.tenders["NET-2026-01"]
    fake_db.tenders["NET-2026-01"] = replace(t, bids=(replace(t.bids[0], scores={}, explanations={}), *t.bids[1:]))
    ws = window.open_tender("NET-2026-01")
    assert ws is not None
    ws._on_next_button_clicked()
    assert ws.current_page() == "scoring"
    page = ws.page("scoring")
    assert page.stack.currentIndex() == 1  # type: ignore[attr-defined]   moderation
    row = page.moderation.selectionModel().selectedRows()[0].row()  # type: ignore[attr-defined]
    assert page.moderation_model.row(row).supplier == "Acme Networks Ltd"  # type: ignore[attr-defined]


def test_layout_is_remembered(qtbot, fake_db: FakeDatabase) -> None:  # type: ignore[no-untyped-def]
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(701, 499)
    w.show()
    w.set_database(fake_db)
    w.open_tender("NET-2026-01")
    w.save_layout()
    from ui import settings

    assert settings.settings().value("window/open") in (["NET-2026-01"], "NET-2026-01")
    w2 = MainWindow()
    qtbot.addWidget(w2)
    assert w2.size().width() == 701


def test_supplier_identity_is_typed_on_the_bids_page_and_undone(qtbot, window: MainWindow,
                                                                dialog_log: DialogLog) -> None:
    """Email address and CDP identifier (reg. 31(2)(b)-(c)) are small fields reached and edited by keyboard."""
    ws = window.open_tender("NET-2026-01")
    assert ws is not None
    page = ws.show_page("bids")
    page.table.selectRow(1)  # type: ignore[attr-defined]
    supplier = page.selected().supplier  # type: ignore[attr-defined]
    email = page._identity["email"]  # type: ignore[attr-defined]
    cdp = page._identity["cdp_id"]  # type: ignore[attr-defined]
    assert email.accessibleName() == "Email address" and email.focusPolicy() & Qt.FocusPolicy.TabFocus
    email.setFocus()
    email.selectAll()
    qtbot.keyClicks(email, "new.bids@dales.example")
    qtbot.keyClick(email, Qt.Key.Key_Tab)                   # editing finished: committed at once
    assert ws.doc.tender.bid(supplier).email == "new.bids@dales.example"
    cdp.setFocus()
    cdp.selectAll()
    qtbot.keyClicks(cdp, "pzzz 9999 dale")
    qtbot.keyClick(cdp, Qt.Key.Key_Return)
    assert ws.doc.tender.bid(supplier).cdp_id == "PZZZ9999DALE"       # tidied by the domain
    ws.doc.undo_stack.undo()
    assert ws.doc.tender.bid(supplier).cdp_id == "PDDC-5521-DALE"
    # A malformed address is refused in plain English and nothing changes.
    email.setFocus()
    email.selectAll()
    qtbot.keyClicks(email, "not an email")
    qtbot.keyClick(email, Qt.Key.Key_Return)
    assert ws.doc.tender.bid(supplier).email == "new.bids@dales.example"
    assert dialog_log.errors and "is not an email address" in dialog_log.errors[-1][1]


def test_the_next_step_bar_counts_the_committee_sections_still_to_write(qtbot, window: MainWindow) -> None:
    ws = window.open_tender("NET-2026-01")
    assert ws is not None
    assert "Check the results, then print the award papers" in ws._next.text()
    assert "committee report: 16 sections still to write" in ws._next.text()
    tip = ws._next.toolTip().splitlines()
    assert len(tip) == 16 and tip[0] == "Committee report: write “Committee”"
    assert "Committee report: write “Purpose of the report”" in tip
