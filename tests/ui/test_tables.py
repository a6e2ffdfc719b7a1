"""Issue 14: the Bids and Moderation tables sort and filter; right-click menus copy, edit, and delete only where
the domain's rules allow; the Bids table marks a £0 and an abnormally low price as Results does."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from svdesk.domain.tender import TenderStatus
from tests.ui.fake_store import FakeDatabase
from ui.document import TenderDocument
from ui.pages.bids import BidsPage
from ui.pages.scoring import ScoringPage

D = Decimal


def _bids(qtbot, tender) -> BidsPage:  # type: ignore[no-untyped-def]
    page = BidsPage(TenderDocument(FakeDatabase([tender]), tender, "Tester"))
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    return page


def _column(page: BidsPage, col: int) -> list[str]:
    p = page.proxy
    return [str(p.data(p.index(r, col))) for r in range(p.rowCount())]


def test_bids_sort_by_price_as_money_and_filter_by_typing(qtbot, demo_tender) -> None:  # type: ignore[no-untyped-def]
    page = _bids(qtbot, demo_tender)
    m = page.model
    own = [b.supplier for b in demo_tender.bids]
    assert _column(page, m.SUPPLIER) == own                        # the tender's own order until asked
    header = page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(m.PRICE) + 5, header.height() // 2))
    by_price = sorted(demo_tender.bids, key=lambda b: b.price)
    assert _column(page, m.SUPPLIER) == [b.supplier for b in by_price]   # £390,000 before £1,000,000 …
    page.select(by_price[-1].supplier)                             # a sorted table still selects the right bid
    assert page.selected().supplier == by_price[-1].supplier  # type: ignore[union-attr]
    page.filter.setFocus()
    qtbot.keyClicks(page.filter, "dales")
    assert _column(page, m.SUPPLIER) == ["Dales Digital CIC"]
    page.select("Acme Networks Ltd")                               # hidden by the filter: the filter gives way
    assert page.filter.text() == "" and page.selected().supplier == "Acme Networks Ltd"  # type: ignore[union-attr]


def test_bids_table_marks_nil_and_abnormally_low_prices(qtbot, demo_tender) -> None:  # type: ignore[no-untyped-def]
    page = _bids(qtbot, demo_tender)
    m = page.model
    low = m.row_of("Budget Links Ltd")                              # £390,000 against a mean of ~£541,000
    assert low is not None and "abnormally low" in m.data(m.index(low, m.PRICE))
    assert "15% below" in m.data(m.index(low, m.PRICE), Qt.ItemDataRole.ToolTipRole)
    acme = m.row_of("Acme Networks Ltd")
    assert acme is not None and "⚠" not in m.data(m.index(acme, m.PRICE))
    assert m.setData(m.index(acme, m.PRICE), "0")
    assert "nil price" in m.data(m.index(acme, m.PRICE))


def test_right_click_on_a_bid_copies_edits_and_deletes_where_allowed(qtbot, demo_tender, dialog_log) -> None:  # type: ignore[no-untyped-def]
    page = _bids(qtbot, demo_tender)
    m = page.model
    ix = page.proxy.index(0, m.PRICE)
    menu = page.table_menu.build(ix)
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[:4] == ["&Copy", "Copy the whole bid", "&Edit", "&Attachments…"] and texts[4] == "&Delete bid"
    menu.actions()[0].trigger()
    assert QApplication.clipboard().text() == "£540,000.00"
    menu.actions()[1].trigger()
    assert QApplication.clipboard().text().startswith("Acme Networks Ltd\t£540,000.00\tNo")
    delete = next(a for a in menu.actions() if a.text() == "&Delete bid")
    before = len(page.doc.tender.bids)
    delete.trigger()
    assert len(page.doc.tender.bids) == before - 1                  # (confirmed: it had marks)
    # after the award, Delete is there but greyed, saying why (the domain's rule)
    awarded = replace(demo_tender, status=TenderStatus.AWARDED)
    page = _bids(qtbot, awarded)
    menu = page.table_menu.build(page.proxy.index(0, 0))
    delete = next(a for a in menu.actions() if a.text().startswith("Delete"))
    assert not delete.isEnabled() and "award" in delete.text().lower()


def test_moderation_sorts_and_filters_and_next_follows_the_view(qtbot, demo_tender) -> None:  # type: ignore[no-untyped-def]
    doc = TenderDocument(FakeDatabase([demo_tender]), demo_tender, "Tester")
    page = ScoringPage(doc)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    assert page.panel.isVisible()                 # step 1: the panel, its packs and returns
    page.set_mode(moderate=True)
    assert not page.panel.isVisible()             # moderation gets the room
    p = page.moderation_proxy
    qtbot.keyClicks(page.moderation_filter, "budget")
    assert p.rowCount() >= 1
    assert all(p.data(p.index(r, 0)) == "Budget Links Ltd" for r in range(p.rowCount()))
    page.moderation.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    names = [p.data(p.index(r, 1)) for r in range(p.rowCount())]
    assert names == sorted(names, reverse=True)
    page.moderation.selectRow(0)
    x = page.moderation_model.row(page._moderation_row())  # type: ignore[arg-type]
    assert x.supplier == "Budget Links Ltd" and doc.criterion(x.cid).name == names[0]
    page.agree_panel.mark.setText("2")
    page.agree_panel.reason.setPlainText("Agreed: thin evidence")
    qtbot.mouseClick(page.agree_panel.save, Qt.MouseButton.LeftButton)
    assert doc.tender.bid("Budget Links Ltd").scores[x.cid] == D(2)
    y = page.moderation_model.row(page._moderation_row())  # type: ignore[arg-type]
    assert doc.criterion(y.cid).name == names[1]                    # the next row as shown, not as stored


def test_right_click_elsewhere_follows_the_domains_rules(qtbot, demo_tender) -> None:  # type: ignore[no-untyped-def]
    """The register, the criteria and the checklist have the same menu; Delete says why where the rules forbid."""
    from ui.main_window import MainWindow
    from ui.models.register import RegisterModel
    from ui.pages.evaluation import EvaluationPage

    awarded = replace(demo_tender, reference="OLD-1", status=TenderStatus.AWARDED)
    w = MainWindow()
    qtbot.addWidget(w)
    w.set_database(FakeDatabase([demo_tender, awarded]))  # type: ignore[arg-type]
    reg = w.register
    rows = {reg.model.summary(r).reference: r for r in range(reg.model.rowCount())}

    def delete_item(view_menu, row: int):  # type: ignore[no-untyped-def]
        menu = view_menu.build(view_menu.view.model().index(row, RegisterModel.TITLE))
        return next(a for a in menu.actions() if "Delete" in a.text())

    old = delete_item(reg.table_menu, rows["OLD-1"])
    assert not old.isEnabled() and "must be kept" in old.text()
    assert delete_item(reg.table_menu, rows[demo_tender.reference]).isEnabled()

    page = EvaluationPage(TenderDocument(FakeDatabase([awarded]), awarded, "Tester"))
    qtbot.addWidget(page)
    menu = page.table_menu.build(page.table.model().index(0, 0))
    delete = next(a for a in menu.actions() if a.text().startswith("Delete"))
    assert not delete.isEnabled() and "award" in delete.text().lower()


def test_the_keyboard_copies_and_deletes_as_the_menu_does(qtbot, demo_tender, dialog_log) -> None:  # type: ignore[no-untyped-def]
    page = _bids(qtbot, demo_tender)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    m = page.model
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, m.SUPPLIER))
    qtbot.keyClick(page.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == demo_tender.bids[0].supplier
    before = len(page.doc.tender.bids)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert len(page.doc.tender.bids) == before - 1
    awarded = replace(demo_tender, status=TenderStatus.AWARDED)
    page = _bids(qtbot, awarded)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert len(page.doc.tender.bids) == len(awarded.bids)       # refused: the award froze the bids
