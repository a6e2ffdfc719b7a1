"""The domain's rules in the real widgets: a frozen cell says why it cannot change, and a status change the
tender is not ready for is refused with its reasons (issue 14, "Steps are not guarded")."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QPushButton

from svdesk.domain import tender as T
from svdesk.errors import FrozenError, StatusChangeError
from tests.ui.conftest import DialogLog
from tests.ui.fake_store import FakeDatabase
from ui.main_window import MainWindow
from ui.models.frozen import FROZEN_COLOUR

S = T.TenderStatus
REF = "NET-2026-01"


def _window(qtbot, db: FakeDatabase) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_database(db)
    return w


def _move_button(ws: object, text: str) -> QPushButton:
    page = ws.show_page("overview")  # type: ignore[attr-defined]
    found = [b for b in page.findChildren(QPushButton) if b.text() == text and b.isVisible()]
    assert len(found) == 1, [b.text() for b in page.findChildren(QPushButton)]
    return found[0]


def _at_95(t: T.Tender, status: S) -> T.Tender:
    first = t.criteria[0]
    return replace(T.set_weight(t, first.id, first.weight - Decimal(5)), status=status)


def test_a_frozen_cell_is_not_editable_and_says_why(qtbot, demo_tender: T.Tender) -> None:  # type: ignore[no-untyped-def]
    db = FakeDatabase([T.set_status(demo_tender, S.AWARDED)])
    window = _window(qtbot, db)
    ws = window.open_tender(REF)
    assert ws is not None
    page = ws.show_page("bids")
    model, table = page.model, page.table  # type: ignore[attr-defined]
    price = model.index(0, model.PRICE)
    assert not model.flags(price) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, model.SME)) & Qt.ItemFlag.ItemIsUserCheckable
    assert "is awarded: its criteria, bids and scores are frozen as the committee saw them" in model.data(
        price, Qt.ItemDataRole.ToolTipRole)
    assert model.data(price, Qt.ItemDataRole.ForegroundRole) == FROZEN_COLOUR
    # A double click, as the officer would try, opens no editor and saves nothing.
    rect = table.visualRect(price)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert table.state() is not QAbstractItemView.State.EditingState and db.saves == 0
    # The bid's fields beside the table are read-only too, and say why.
    assert page._address.isReadOnly() and not page._exclude.isEnabled()  # type: ignore[attr-defined]
    assert "frozen as the committee saw them" in page._address.toolTip()  # type: ignore[attr-defined]
    # The weights and the scores say the same.
    crit = ws.show_page("evaluation").model  # type: ignore[attr-defined]
    weight = crit.index(0, crit.WEIGHT)
    assert not crit.flags(weight) & Qt.ItemFlag.ItemIsEditable
    assert "frozen" in crit.data(weight, Qt.ItemDataRole.ToolTipRole)
    overview = ws.show_page("overview")
    assert not overview._tie.isEnabled() and "tie-break rule is frozen" in overview._tie.toolTip()  # type: ignore[attr-defined]
    assert overview._title_edit.isEnabled() and not overview._title_edit.isReadOnly()  # type: ignore[attr-defined]


def test_an_open_tender_stays_editable(qtbot, fake_db: FakeDatabase) -> None:  # type: ignore[no-untyped-def]
    ws = _window(qtbot, fake_db).open_tender(REF)
    assert ws is not None
    model = ws.show_page("bids").model  # type: ignore[attr-defined]
    price = model.index(0, model.PRICE)
    assert model.flags(price) & Qt.ItemFlag.ItemIsEditable
    assert model.data(price, Qt.ItemDataRole.ForegroundRole) != FROZEN_COLOUR


def test_start_evaluation_with_weights_at_95_is_refused_with_the_reason(  # type: ignore[no-untyped-def]
        qtbot, demo_tender: T.Tender, dialog_log: DialogLog) -> None:
    db = FakeDatabase([_at_95(demo_tender, S.NEGOTIATION)])
    ws = _window(qtbot, db).open_tender(REF)
    assert ws is not None
    button = _move_button(ws, "Start evaluation")
    assert "the weights total 95, not 100 (add 5)" in button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    title, message = dialog_log.errors[-1]
    assert title == f"{REF} cannot become evaluation yet"
    assert f"{REF} stays negotiation" in message and "• The weights total 95, not 100 (add 5)." in message
    assert ws.doc.tender.status is S.NEGOTIATION and db.tenders[REF].status is S.NEGOTIATION
    assert db.saves == 0 and not dialog_log.confirms
    # Put the weights right and the same button moves it (negotiation can be reopened: no confirmation).
    crit = ws.show_page("evaluation").model  # type: ignore[attr-defined]
    first = ws.doc.tender.criteria[0]
    crit.setData(crit.index(0, crit.WEIGHT), str(first.weight + 5))
    qtbot.mouseClick(_move_button(ws, "Start evaluation"), Qt.MouseButton.LeftButton)
    assert db.tenders[REF].status is S.EVALUATION and not dialog_log.confirms


def test_skipping_negotiation_says_exactly_what_changes(  # type: ignore[no-untyped-def]
        qtbot, demo_tender: T.Tender, dialog_log: DialogLog) -> None:
    db = FakeDatabase([replace(demo_tender, status=S.DRAFT)])
    ws = _window(qtbot, db).open_tender(REF)
    assert ws is not None
    dialog_log.answer = False
    qtbot.mouseClick(_move_button(ws, "Start evaluation"), Qt.MouseButton.LeftButton)
    (said,) = dialog_log.confirm_texts
    assert said.startswith(f"{REF} moves from draft to evaluation.") and "Negotiation is skipped." in said
    assert "This cannot be undone: an evaluation tender cannot become draft again" in said
    assert db.tenders[REF].status is S.DRAFT


def test_the_fake_store_refuses_what_the_store_refuses(demo_tender: T.Tender) -> None:
    t = _at_95(demo_tender, S.NEGOTIATION)
    db = FakeDatabase([t])
    with pytest.raises(StatusChangeError, match="weights total 95"):
        db.save_tender(replace(t, status=S.EVALUATION), previous=t, who="KT", action="Evaluate")
    awarded = T.set_status(demo_tender, S.AWARDED)
    db = FakeDatabase([awarded])
    with pytest.raises(FrozenError, match="frozen"):
        db.save_tender(T.set_price(awarded, awarded.bids[0].supplier, Decimal(1)), previous=awarded, who="KT",
                       action="Late price")
    with pytest.raises(FrozenError, match="must be kept"):
        db.delete_tender(REF, who="KT", reason="tidy up")
    assert db.saves == 0 and REF in db.tenders
