"""Pure edits on a tender: each validates, returns a new value, and names the field when it refuses."""

from __future__ import annotations

from decimal import Decimal

import pytest

from svdesk.domain import tender as T
from svdesk.domain.money import format_gbp, from_pence, parse_money, to_pence
from svdesk.errors import ValidationError
from tests.builders import D, bid, price, quality, tender


def test_status_lifecycle_allows_forward_and_refuses_reopening_an_award() -> None:
    t = tender(price(100))
    t = T.set_status(t, T.TenderStatus.NEGOTIATION)
    t = T.set_status(t, T.TenderStatus.EVALUATION)
    t = T.set_status(t, T.TenderStatus.AWARDED)
    with pytest.raises(ValidationError) as e:
        T.set_status(t, T.TenderStatus.DRAFT)
    assert e.value.field == "status" and "cannot become draft" in e.value.message
    assert T.set_status(t, T.TenderStatus.CLOSED).status is T.TenderStatus.CLOSED


def test_edits_return_new_values_and_leave_the_original() -> None:
    t = tender(price(60), quality("q", 40), bids=(bid("A", 100),))
    t2 = T.set_weight(t, "q", D(30))
    assert t.criterion("q").weight == D(40) and t2.criterion("q").weight == D(30)
    t3 = T.set_consensus_score(t2, "A", "q", D(4), "Good plan")
    assert t3.bid("A").scores == {"q": D(4)} and t2.bid("A").scores == {}


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda t: T.set_weight(t, "q", D(101)), "weight"),
        (lambda t: T.set_weight(t, "q", D(-1)), "weight"),
        (lambda t: T.set_consensus_score(t, "A", "q", D(6), "x"), "score"),
        (lambda t: T.set_consensus_score(t, "A", "price", D(1), "x"), "score"),
        (lambda t: T.set_evaluator_score(t, "A", "q", "", D(1)), "evaluator"),
        (lambda t: T.set_price(t, "A", D(-1)), "price"),
        (lambda t: T.set_price(t, "A", D("1.001")), "price"),
        (lambda t: T.add_bid(t, bid("a ")), "supplier"),
        (lambda t: T.exclude_bid(t, "A", "  "), "exclusion_reason"),
        (lambda t: T.set_weight(t, "zz", D(1)), "criteria"),
        (lambda t: T.add_criterion(t, quality("q")), "criterion.id"),
        (lambda t: T.update_criterion(t, "q", threshold=D(9)), "criterion.threshold"),
    ],
)
def test_invalid_edits_name_the_field(edit, field: str) -> None:  # type: ignore[no-untyped-def]
    t = tender(price(60), quality("q", 40), bids=(bid("A", 100),))
    with pytest.raises(ValidationError) as e:
        edit(t)
    assert e.value.field == field


def test_evaluator_scores_kept_beside_consensus_and_cleared_cleanly() -> None:
    t = tender(price(60), quality("q", 40), bids=(bid("A", 100),))
    t = T.set_evaluator_score(t, "A", "q", "AB", D(3), "ok")
    t = T.set_evaluator_score(t, "A", "q", "CD", D(5), "great")
    t = T.set_consensus_score(t, "A", "q", D(4), "Agreed at moderation")
    assert t.bid("A").evaluator_scores == {"q": {"AB": D(3), "CD": D(5)}}
    t = T.set_evaluator_score(t, "A", "q", "AB", None)
    t = T.set_evaluator_score(t, "A", "q", "CD", None)
    assert t.bid("A").evaluator_scores == {} and t.bid("A").scores == {"q": D(4)}


def test_removing_a_criterion_removes_its_scores() -> None:
    t = tender(price(60), quality("q", 40), bids=(bid("A", 100, scores={"q": D(3)}),))
    t = T.remove_criterion(t, "q")
    assert t.bid("A").scores == {} and [c.id for c in t.criteria] == ["price"]


def test_money_is_exact_up_to_a_billion_with_pennies() -> None:
    for text in ("0.01", "999999999.99", "1000000000.00", "123456789.07"):
        assert from_pence(to_pence(parse_money(text, "x"))) == Decimal(text)
    assert format_gbp(D("1234567.005")) == "£1,234,567.01"
    with pytest.raises(ValidationError, match="float"):
        parse_money(1.5, "price")
    with pytest.raises(ValidationError, match="2 decimal places"):
        parse_money("1.234", "price")
    assert parse_money("£1,250.50", "price") == D("1250.50")


def test_whole_life_value_counts_extensions() -> None:
    t = T.Tender("R", "T", annual_value=D(200000), term_years=3, extension_years=2)
    assert t.whole_life_value == D(1000000)
