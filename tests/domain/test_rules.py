"""The tender's rules (svdesk.domain.rules): the lifecycle and its readiness, the freeze after award, deletes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from svdesk.domain import rules
from svdesk.domain import tender as T
from svdesk.errors import FrozenError, StatusChangeError, ValidationError
from tests.builders import D, bid, price, quality, tender

S = T.TenderStatus


def ready(status: S = S.NEGOTIATION) -> T.Tender:
    """Weights total 100, two bids: ready for evaluation."""
    return tender(price(40), quality("q1", 60), bids=(bid("A", 100), bid("B", 120)), status=status)


def test_evaluation_needs_weights_of_100_and_bids() -> None:
    t = ready()
    assert rules.can_change_status(t, S.EVALUATION) == []
    at_95 = T.set_weight(t, "q1", D(55))
    assert rules.can_change_status(at_95, S.EVALUATION) == ["the weights total 95, not 100 (add 5)"]
    over = T.set_weight(t, "q1", D(70))
    assert rules.can_change_status(over, S.EVALUATION) == ["the weights total 110, not 100 (take off 10)"]
    no_bids = replace(at_95, bids=())
    assert rules.can_change_status(no_bids, S.EVALUATION) == ["the weights total 95, not 100 (add 5)",
                                                              "no bids are recorded yet"]
    empty = tender(status=S.DRAFT)
    assert rules.can_change_status(empty, S.EVALUATION)[0].startswith("there are no award criteria yet")


def test_the_award_needs_a_bid_that_is_not_excluded() -> None:
    t = ready(S.EVALUATION)
    assert rules.can_change_status(t, S.AWARDED) == []
    out = replace(t, bids=tuple(replace(b, excluded=True, exclusion_reason="late") for b in t.bids))
    assert rules.can_change_status(out, S.AWARDED) == ["every bid is excluded, so there is no tender to award"]


def test_other_moves_follow_the_lifecycle_only() -> None:
    incomplete = tender(price(30), status=S.DRAFT)
    assert rules.can_change_status(incomplete, S.NEGOTIATION) == []
    assert rules.can_change_status(incomplete, S.CANCELLED) == []
    assert rules.can_change_status(incomplete, S.DRAFT) == []          # no move at all
    assert rules.can_change_status(incomplete, S.AWARDED) == [
        "a draft tender cannot become awarded (it can become: negotiation, evaluation, cancelled)"]
    closed = ready(S.CLOSED)
    assert rules.can_change_status(closed, S.AWARDED) == [
        "a closed tender cannot become awarded: an award cannot be taken back (its status cannot change any more)"]


def test_check_status_change_refuses_with_every_reason_and_the_field() -> None:
    t = replace(T.set_weight(ready(), "q1", D(55)), bids=())
    with pytest.raises(StatusChangeError) as e:
        rules.check_status_change(t, replace(t, status=S.EVALUATION))
    assert e.value.field == "status" and isinstance(e.value, ValidationError)
    assert e.value.reasons == ("the weights total 95, not 100 (add 5)", "no bids are recorded yet")
    assert str(e.value) == ("status: T-1 cannot become evaluation yet: the weights total 95, not 100 (add 5); "
                            "no bids are recorded yet. Nothing was changed.")
    awarded = ready(S.AWARDED)
    with pytest.raises(FrozenError, match="an award cannot be taken back"):
        rules.check_status_change(awarded, replace(awarded, status=S.EVALUATION))
    rules.check_status_change(awarded, replace(awarded, status=S.CLOSED))


def test_the_freeze_after_award() -> None:
    t = ready(S.EVALUATION)
    assert not rules.is_frozen(t) and rules.frozen_reason(t) is None
    awarded = T.set_status(t, S.AWARDED)
    assert rules.is_frozen(awarded) and rules.is_frozen(S.CLOSED) and not rules.is_frozen(S.CANCELLED)
    assert "frozen as the committee saw them" in (rules.frozen_reason(awarded) or "")
    assert "tie-break" in (rules.frozen_reason(awarded, "tie-break") or "")
    for edit in (T.set_weight(awarded, "q1", D(50)), T.set_price(awarded, "A", D(90)),
                 T.set_consensus_score(awarded, "A", "q1", D(4), "Good")):
        with pytest.raises(FrozenError, match="frozen"):
            rules.check_edit(awarded, edit)
    with pytest.raises(FrozenError, match="tie-break"):
        rules.check_edit(awarded, T.update_details(awarded, tie_break=T.TieBreak.PRICE))
    # What the award does not freeze: details, key dates, closing.
    renamed = T.update_details(awarded, title="Network (renamed)")
    assert rules.check_edit(awarded, renamed) is renamed
    rules.check_edit(awarded, T.set_status(awarded, S.CLOSED))


def test_check_edit_still_validates_what_the_edit_touched() -> None:
    t = ready()
    twin = replace(t, bids=(*t.bids, bid("a", 130)))
    with pytest.raises(ValidationError, match="has two bids"):
        rules.check_edit(t, twin)


def test_delete_rules() -> None:
    assert rules.can_delete(ready(S.CANCELLED)) == []
    assert rules.can_delete(ready(S.EVALUATION)) == []
    (reason,) = rules.can_delete(ready(S.AWARDED))
    assert reason.startswith("T-1 is awarded: its records must be kept")
    assert rules.can_delete(S.CLOSED, "NET-1") == [
        "NET-1 is closed: its records must be kept (Procurement Act 2023, s.98) and cannot be deleted."]
    with pytest.raises(FrozenError, match="must be kept"):
        rules.check_delete(ready(S.CLOSED))
    rules.check_delete(ready(S.DRAFT))


def test_a_tender_arriving_in_a_status_must_be_ready_for_it() -> None:
    rules.check_arrival(ready(S.EVALUATION))
    rules.check_arrival(tender(price(30), status=S.DRAFT))     # a draft may be incomplete
    with pytest.raises(StatusChangeError, match="is marked evaluation but is not ready for it: the weights total 95"):
        rules.check_arrival(T.set_weight(ready(S.EVALUATION), "q1", D(55)))


def test_the_confirmation_says_exactly_what_changes() -> None:
    draft = ready(S.DRAFT)
    said = rules.status_change_effects(draft, S.EVALUATION)
    assert said.startswith("T-1 moves from draft to evaluation.")
    assert "Negotiation is skipped." in said
    assert "This cannot be undone: an evaluation tender cannot become draft again (it can become: negotiation, " \
           "awarded, cancelled)." in said
    assert "cannot be undone" not in rules.status_change_effects(ready(S.NEGOTIATION), S.EVALUATION)
    award = rules.status_change_effects(ready(S.EVALUATION), S.AWARDED)
    assert "frozen as the committee saw them" in award and "(it can become: closed)" in award
