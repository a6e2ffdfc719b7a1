"""Undo/redo round-trips for every command: the document and the database agree at every step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtGui import QUndoCommand

from svdesk.domain.tender import Bid, Criterion, CriterionKind, TenderStatus
from svdesk.domain.values import Commitment
from svdesk.errors import SvdeskError
from tests.ui.fake_store import FakeDatabase
from ui import commands as C
from ui.document import TenderDocument

D = Decimal
ACME = "Acme Networks Ltd"

CASES: dict[str, Callable[[TenderDocument], QUndoCommand]] = {
    "details": lambda d: C.SetDetails(d, {"title": "New title", "annual_value": D("210000.00")}),
    "key date": lambda d: C.SetKeyDate(d, "bids_due", date(2026, 11, 1)),
    "clear key date": lambda d: C.SetKeyDate(d, "published", None),
    "status": lambda d: C.SetStatus(d, TenderStatus.NEGOTIATION),
    "weight": lambda d: C.SetWeight(d, "price", D(35)),
    "criterion": lambda d: C.UpdateCriterion(d, "q1", {"threshold": D(3), "name": "Delivery"}),
    "add criterion": lambda d: C.AddCriterion(d, Criterion("q9", "Extra", CriterionKind.QUALITY, D(5))),
    "remove criterion": lambda d: C.RemoveCriterion(d, "q1"),
    "add bid": lambda d: C.AddBid(d, Bid("New Co", D("100.00"))),
    "remove bid": lambda d: C.RemoveBid(d, ACME),
    "price": lambda d: C.SetPrice(d, ACME, D("1.00")),
    "bid details": lambda d: C.UpdateBid(d, ACME, {"sme": True, "locality": "local"}),
    "exclude": lambda d: C.ExcludeBid(d, ACME, "Failed the insurance check"),
    "commitments": lambda d: C.SetCommitments(d, ACME, (Commitment("m", D(1), D(5)),)),
    "evaluator score": lambda d: C.SetEvaluatorScore(d, ACME, "q1", "PS", D(2), "Thin plan"),
    "new evaluator": lambda d: C.SetEvaluatorScore(d, ACME, "q1", "XY", D(5), "Great"),
    "consensus": lambda d: C.SetConsensusScore(d, ACME, "q1", D(3), "Agreed after discussion"),
    "clear consensus": lambda d: C.SetConsensusScore(d, ACME, "q1", None, ""),
}


@pytest.mark.parametrize("name", list(CASES))
def test_undo_redo_round_trip(name: str, doc: TenderDocument, fake_db: FakeDatabase) -> None:
    before = doc.tender
    assert doc.push(CASES[name](doc))
    after = doc.tender
    assert after != before and fake_db.tenders[before.reference] == after
    doc.undo_stack.undo()
    assert doc.tender == before and fake_db.tenders[before.reference] == before
    doc.undo_stack.redo()
    assert doc.tender == after and fake_db.tenders[before.reference] == after
    assert fake_db.audit[-1].who == "Tester"


def test_reinstate_round_trip(doc: TenderDocument, fake_db: FakeDatabase) -> None:
    doc.push(C.ExcludeBid(doc, ACME, "Late"))
    excluded = doc.tender
    doc.push(C.ReinstateBid(doc, ACME))
    assert not doc.tender.bid(ACME).excluded
    doc.undo_stack.undo()
    assert doc.tender == excluded and doc.tender.bid(ACME).exclusion_reason == "Late"


def test_a_refused_edit_never_enters_the_history(qtbot, doc: TenderDocument, fake_db: FakeDatabase) -> None:
    saves = fake_db.saves
    with qtbot.waitSignal(doc.edit_refused) as sig:
        assert not doc.push(C.SetWeight(doc, "price", D(101)))
    assert "between 0 and 100" in sig.args[0]
    assert doc.undo_stack.count() == 0 and fake_db.saves == saves


def test_the_edit_is_committed_before_the_document_changes(qtbot, doc: TenderDocument, fake_db: FakeDatabase) -> None:
    fake_db.fail_next_save = SvdeskError("the disk is full")
    before = doc.tender
    with qtbot.waitSignal(doc.edit_refused):
        assert not doc.push(C.SetWeight(doc, "price", D(30)))
    assert doc.tender == before and doc.undo_stack.count() == 0


def test_a_conflicting_change_reloads_what_the_database_holds(qtbot, doc: TenderDocument,
                                                              fake_db: FakeDatabase) -> None:
    from dataclasses import replace

    fake_db.tenders[doc.reference] = replace(doc.tender, title="Changed on another laptop")
    with qtbot.waitSignal(doc.reloaded):
        assert not doc.push(C.SetWeight(doc, "price", D(30)))
    assert doc.tender.title == "Changed on another laptop"


def test_macro_is_one_step_and_all_or_nothing(doc: TenderDocument) -> None:
    before = doc.tender
    ok = doc.push_all("Rebalance weights", [C.SetWeight(doc, "price", D(30)), C.SetWeight(doc, "q1", D(35))])
    assert ok and doc.undo_stack.undoText() == "Rebalance weights"
    doc.undo_stack.undo()
    assert doc.tender == before
    doc.undo_stack.redo()
    assert doc.tender.criterion("q1").weight == D(35)
    middle = doc.tender
    bad = doc.push_all("Broken", [C.SetWeight(doc, "price", D(20)), C.SetWeight(doc, "q1", D(500))])
    assert not bad and doc.tender == middle


def test_signals_are_precise(qtbot, doc: TenderDocument) -> None:
    with qtbot.waitSignal(doc.scores_changed) as sig, qtbot.assertNotEmitted(doc.bids_changed):
        doc.push(C.SetConsensusScore(doc, ACME, "q2", D(5), "Excellent"))
    assert sig.args == [ACME, "q2"]
    with qtbot.waitSignal(doc.criterion_changed) as sig2, qtbot.assertNotEmitted(doc.criteria_changed):
        doc.push(C.SetWeight(doc, "q2", D(10)))
    assert sig2.args == ["q2"]
    with qtbot.waitSignal(doc.saved) as saved:
        doc.push(C.SetStatus(doc, TenderStatus.NEGOTIATION))
    assert saved.args == ["Status: Negotiation"]


def test_read_only_refuses_edits(qtbot, demo_tender) -> None:  # type: ignore[no-untyped-def]
    db = FakeDatabase([demo_tender], read_only=True)
    doc = TenderDocument(db, demo_tender, "Tester")
    with qtbot.waitSignal(doc.edit_refused) as sig:
        assert not doc.push(C.SetWeight(doc, "price", D(30)))
    assert "read-only" in sig.args[0]


def test_undo_announces_the_same_precise_change(qtbot, doc: TenderDocument) -> None:
    # The generic TenderEdit puts the whole tender back, but says only what the edit touched: a model redraws
    # one row or cell instead of resetting (and losing the officer's selection).
    doc.push(C.SetWeight(doc, "q2", D(10)))
    with qtbot.waitSignal(doc.criterion_changed) as sig, qtbot.assertNotEmitted(doc.criteria_changed), \
            qtbot.assertNotEmitted(doc.bids_changed):
        doc.undo_stack.undo()
    assert sig.args == ["q2"]
    doc.push(C.SetConsensusScore(doc, ACME, "q2", D(5), "Excellent"))
    with qtbot.waitSignal(doc.scores_changed) as sig2, qtbot.assertNotEmitted(doc.bids_changed):
        doc.undo_stack.undo()
    assert sig2.args == [ACME, "q2"]


def test_undo_is_audited_as_setting_the_old_value_back(doc: TenderDocument, fake_db: FakeDatabase) -> None:
    doc.push(C.SetWeight(doc, "price", D(35)))
    assert fake_db.audit[-1].action == "Set weight of Price to 35"
    doc.undo_stack.undo()
    assert fake_db.audit[-1].action == "Set weight of Price to 40"
    doc.push(C.RemoveBid(doc, ACME))
    doc.undo_stack.undo()
    assert fake_db.audit[-1].action == f"Undo: Remove bid from {ACME}"
    assert doc.undo_stack.undoText() == "" and doc.undo_stack.redoText() == f"Remove bid from {ACME}"


def test_an_edit_that_returns_another_tender_is_refused(qtbot, doc: TenderDocument) -> None:
    from dataclasses import replace

    before = doc.tender
    with qtbot.waitSignal(doc.edit_refused) as sig:
        assert not doc.push(C.DomainEdit(doc, lambda t: replace(t, reference="OTHER-1"), "Wrong tender"))
    assert "different tender" in sig.args[0] and doc.tender == before and doc.undo_stack.count() == 0


def test_undo_and_redo_bring_the_change_into_view(qtbot, demo_tender, fake_db: FakeDatabase) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: undo on another page goes to the page of what it changes, with that thing selected."""
    from ui.workspace import TenderWorkspace

    doc = TenderDocument(fake_db, demo_tender, "Tester")
    ws = TenderWorkspace(doc)
    qtbot.addWidget(ws)
    ws.show()
    bids = ws.show_page("bids")
    assert doc.push(C.SetPrice(doc, ACME, D("1.00")))
    assert doc.push(C.SetWeight(doc, "q1", D(20)))
    ws.show_page("results")
    doc.undo_stack.undo()                                   # the weight: the Evaluation page, q1 selected
    assert ws.current_page() == "evaluation"
    assert ws.page("evaluation").selected().id == "q1"  # type: ignore[attr-defined]
    ws.show_page("overview")
    doc.undo_stack.undo()                                   # the price: the Bids page, Acme selected
    assert ws.current_page() == "bids" and bids.selected().supplier == ACME  # type: ignore[attr-defined]
    ws.show_page("overview")
    doc.undo_stack.redo()
    assert ws.current_page() == "bids"
    assert doc.push(C.SetConsensusScore(doc, ACME, "q1", D(3), "Agreed"))
    ws.show_page("overview")
    doc.undo_stack.undo()                                   # an agreed score: moderation, its row selected
    scoring = ws.page("scoring")
    assert ws.current_page() == "scoring" and scoring.stack.currentIndex() == 1  # type: ignore[attr-defined]
    x = scoring.moderation_model.row(scoring._moderation_row())  # type: ignore[attr-defined]
    assert (x.supplier, x.cid) == (ACME, "q1")


def test_an_undone_import_leaves_the_officer_where_they_are() -> None:
    from ui.document import EVERYTHING, Change, where_for

    assert where_for(EVERYTHING) is None
    assert where_for(Change(checklist=True, bid="Acme")) == ("negotiation", {"supplier": "Acme"})
    assert where_for(Change(details=True)) == ("overview", {})
