"""Every table model passes qtmodeltester, and setData pushes an undoable command instead of writing."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from svdesk.domain.scoring import score_tender
from svdesk.domain.tender import Tender, TenderStatus
from tests.ui.fake_store import FakeDatabase
from ui.document import TenderDocument
from ui.models.bids import BidsModel
from ui.models.criteria import CriteriaModel
from ui.models.register import BATCH, RegisterModel
from ui.models.results import ComparisonModel, ResultsModel
from ui.models.scoring import EvaluatorScoresModel, ModerationModel

D = Decimal


def test_register_model(qtmodeltester, fake_db: FakeDatabase) -> None:
    m = RegisterModel()
    m.set_database(fake_db)
    qtmodeltester.check(m, force_py=True)
    assert m.rowCount() == 1
    assert m.data(m.index(0, m.REFERENCE)) == "NET-2026-01"
    assert m.data(m.index(0, m.VALUE)) == "£200,000.00"


def test_register_fetches_thousands_lazily_in_one_query(qtmodeltester, demo_tender: Tender) -> None:
    from dataclasses import replace

    db = FakeDatabase([replace(demo_tender, reference=f"T-{i:05d}", title=f"Tender {i}") for i in range(3000)])
    m = RegisterModel()
    m.set_database(db)
    assert db.list_calls == 1
    assert m.total() == 3000 and m.rowCount() == BATCH and m.canFetchMore()
    m.fetchMore()
    assert m.rowCount() == 2 * BATCH
    m.sort(RegisterModel.REFERENCE, Qt.SortOrder.DescendingOrder)
    assert m.data(m.index(0, 0)) == "T-02999"
    assert m.row_of("T-00000") == 2999 and m.rowCount() >= 3000
    qtmodeltester.check(m, force_py=True)


def test_register_filters_through_the_database(fake_db: FakeDatabase) -> None:
    m = RegisterModel()
    m.set_database(fake_db)
    m.set_filter("network", TenderStatus.EVALUATION, "ict")
    assert m.rowCount() == 1
    m.set_filter("nothing like this")
    assert m.rowCount() == 0
    m.set_filter("", TenderStatus.DRAFT)
    assert m.rowCount() == 0


def test_criteria_model(qtmodeltester, doc: TenderDocument) -> None:
    m = CriteriaModel(doc)
    qtmodeltester.check(m, force_py=True)
    row = m.row_of("q1")
    assert row is not None
    assert m.setData(m.index(row, m.WEIGHT), "20")
    assert doc.tender.criterion("q1").weight == D(20)
    assert doc.undo_stack.undoText() == "Set weight of Service delivery and migration"
    assert m.data(m.index(row, m.WEIGHT)) == "20"
    assert not m.setData(m.index(row, m.WEIGHT), "abc")
    qtmodeltester.check(m, force_py=True)


def test_bids_model(qtmodeltester, doc: TenderDocument) -> None:
    m = BidsModel(doc)
    qtmodeltester.check(m, force_py=True)
    row = m.row_of("Acme Networks Ltd")
    assert row is not None
    assert m.setData(m.index(row, m.PRICE), "£500,000")
    assert doc.tender.bid("Acme Networks Ltd").price == D("500000.00")
    assert m.setData(m.index(row, m.SME), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert doc.tender.bid("Acme Networks Ltd").sme is True
    assert m.data(m.index(row, m.SME), Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    qtmodeltester.check(m, force_py=True)


def test_evaluator_model_hides_price_and_keeps_reasons(qtmodeltester, doc: TenderDocument) -> None:
    m = EvaluatorScoresModel(doc, "PS")
    qtmodeltester.check(m, force_py=True)
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert not any("Price" in h for h in headers)
    ix = m.cell_of("Acme Networks Ltd", "q1")
    assert m.data(ix) == "4"
    doc.push(__import__("ui.commands", fromlist=["x"]).SetEvaluatorScore(
        doc, "Acme Networks Ltd", "q1", "PS", D(4), "Strong plan"))
    assert m.setData(ix, "3")
    assert doc.tender.bid("Acme Networks Ltd").evaluator_scores["q1"]["PS"] == D(3)
    assert doc.tender.bid("Acme Networks Ltd").evaluator_reasons["q1"]["PS"] == "Strong plan"
    assert not m.setData(ix, "9")        # off the 0–5 scale: refused, nothing changes
    assert doc.tender.bid("Acme Networks Ltd").evaluator_scores["q1"]["PS"] == D(3)
    m.set_evaluator("NEW")
    assert m.data(ix) == ""
    qtmodeltester.check(m, force_py=True)


def test_moderation_model(qtmodeltester, doc: TenderDocument) -> None:
    m = ModerationModel(doc)
    qtmodeltester.check(m, force_py=True)
    assert m.evaluators == ["PS", "JM"]
    r = m.row_of("Dales Digital CIC", "sv1")
    assert r is not None and m.spread(r) == D(1) and not m.wide(r)
    assert m.setData(m.index(r, m.agreed_column), "4")
    assert doc.tender.bid("Dales Digital CIC").scores["sv1"] == D(4)
    # a new evaluator adds a column
    from ui.commands import SetEvaluatorScore

    doc.push(SetEvaluatorScore(doc, "Dales Digital CIC", "sv1", "ZZ", D(0), "Weak"))
    assert m.evaluators == ["PS", "JM", "ZZ"]
    r = m.row_of("Dales Digital CIC", "sv1")
    assert r is not None and m.wide(r)
    qtmodeltester.check(m, force_py=True)


def test_results_models(qtmodeltester, demo_tender: Tender) -> None:
    res = score_tender(demo_tender)
    m = ResultsModel()
    m.set_results(demo_tender, res)
    qtmodeltester.check(m, force_py=True)
    assert m.data(m.index(0, 0)) == "1"
    c = ComparisonModel()
    c.set_results(res, "lowest_price")
    qtmodeltester.check(c, force_py=True)
    assert c.rowCount() == 3
