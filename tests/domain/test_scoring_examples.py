"""The worked examples from published guidance (DESIGN.md), and edge cases derived from the rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from svdesk.domain.money import round2
from svdesk.domain.scoring import score_tender
from svdesk.domain.tender import TieBreak
from svdesk.errors import ScoringError
from tests.builders import D, bid, commit, commitments, price, quality, tender


def totals(t):  # type: ignore[no-untyped-def]
    return {r.supplier: round2(r.total) for r in score_tender(t).results}


def test_relative_to_lowest_brodies_example() -> None:
    t = tender(price(100), bids=(bid("A", 1_000_000), bid("B", 1_200_000), bid("C", 2_000_000)))
    assert totals(t) == {"A": D("100.00"), "B": D("83.33"), "C": D("50.00")}


def test_sixty_forty_impact_bids_example() -> None:
    t = tender(price(40), quality("q", 60),
               bids=tuple(bid(n, p, scores={"q": D(0)}) for n, p in (("A", 100), ("B", 105), ("C", 108))))
    res = score_tender(t)
    assert {r.supplier: round2(r.criteria["price"]) for r in res.results} == {
        "A": D("40.00"), "B": D("38.10"), "C": D("37.04")}


def test_mean_method_procurementtemplates_example() -> None:
    t = tender(price(100, "relative_to_mean"), bids=(bid("A", 90), bid("B", 100), bid("C", 110)))
    assert totals(t) == {"A": D("60.00"), "B": D("50.00"), "C": D("40.00")}


def test_weighted_quality_scottish_procurement_journey_example() -> None:
    t = tender(price(80), quality("q", 20, scale=4), bids=(bid("A", 100, scores={"q": D(3)}),))
    assert score_tender(t).results[0].criteria["q"] == D("15.00")


def test_zero_price_is_flagged_and_unranked_never_divided_by() -> None:
    t = tender(price(100), bids=(bid("Nil Ltd", 0), bid("B", 100), bid("C", 200)))
    res = score_tender(t)
    nil = res.for_supplier("Nil Ltd")
    assert nil.rank is None and "zero_price" in nil.flags
    assert any("£0" in r for r in nil.reasons)
    assert res.for_supplier("B").rank == 1 and round2(res.for_supplier("B").total) == D("100.00")
    assert round2(res.for_supplier("C").total) == D("50.00")


def test_deviation_from_lowest_clamps_at_zero() -> None:
    t = tender(price(100, "deviation_from_lowest"), bids=(bid("A", 100), bid("B", 150), bid("C", 250)))
    assert totals(t) == {"A": D("100.00"), "B": D("50.00"), "C": D("0.00")}


def test_relative_to_mean_clamps_to_zero_and_weight() -> None:
    t = tender(price(100, "relative_to_mean"), bids=(bid("A", 10), bid("B", 100), bid("C", 190)))
    # mean 100: A is 90% below → 140% of marks → clamped to 100; C 90% above → -40% → 0.
    assert totals(t) == {"A": D("100.00"), "B": D("50.00"), "C": D("0.00")}
    t2 = tender(price(100, "relative_to_mean"), bids=(bid("A", 10), bid("B", 20), bid("C", 270)))
    assert totals(t2)["C"] == D("0.00")


def test_all_prices_equal_share_rank_one_and_are_tied() -> None:
    t = tender(price(100), bids=(bid("A", 500), bid("B", 500), bid("C", 500)))
    res = score_tender(t)
    assert [r.rank for r in res.results] == [1, 1, 1]
    assert all("tie" in r.flags for r in res.results)


def test_competition_ranking_one_one_three() -> None:
    t = tender(price(100), bids=(bid("A", 100), bid("B", 100), bid("C", 200)))
    ranks = {r.supplier: r.rank for r in score_tender(t).results}
    assert ranks == {"A": 1, "B": 1, "C": 3}


def test_tie_break_by_lower_price_and_by_quality() -> None:
    # A: cheap, low quality; B: dearer, better quality → arranged to tie at 75.
    crit = (price(50), quality("q", 50, scale=5))
    a = bid("A", 100, scores={"q": D("2.5")})       # 50 + 25 = 75
    b = bid("B", 200, scores={"q": D(5)})           # 25 + 50 = 75
    tied = score_tender(tender(*crit, bids=(a, b)))
    assert [r.rank for r in tied.results] == [1, 1]
    by_price = score_tender(tender(*crit, bids=(a, b), tie_break=TieBreak.PRICE))
    assert by_price.for_supplier("A").rank == 1 and by_price.for_supplier("B").rank == 2
    by_quality = score_tender(tender(*crit, bids=(a, b), tie_break=TieBreak.QUALITY))
    assert by_quality.for_supplier("B").rank == 1 and by_quality.for_supplier("A").rank == 2
    assert "tie" in by_quality.for_supplier("A").flags


def test_single_bid_gets_full_price_marks() -> None:
    assert totals(tender(price(100), bids=(bid("Only", 12345),))) == {"Only": D("100.00")}


def test_threshold_excludes_and_exclusion_changes_the_lowest_price() -> None:
    crit = (price(60), quality("q", 40, threshold=2))
    cheap_but_poor = bid("Cheap", 50, scores={"q": D(1)})
    res = score_tender(tender(*crit, bids=(cheap_but_poor, bid("B", 100, scores={"q": D(4)}),
                                            bid("C", 200, scores={"q": D(5)}))))
    cheap = res.for_supplier("Cheap")
    assert cheap.excluded and cheap.rank is None and "below the minimum" in cheap.reasons[0]
    # B is now the lowest eligible price and gets the full 60.
    assert res.for_supplier("B").criteria["price"] == D(60)
    assert res.for_supplier("C").criteria["price"] == D(30)


def test_officer_exclusion_needs_and_reports_a_reason() -> None:
    t = tender(price(100), bids=(bid("A", 100, excluded=True, exclusion_reason="Missed the deadline"),
                                 bid("B", 200)))
    res = score_tender(t)
    assert res.for_supplier("A").rank is None
    assert res.for_supplier("A").reasons == ("Excluded by the officer: Missed the deadline",)
    assert res.for_supplier("B").total == D(100)


def test_weights_not_totalling_100_name_the_sum() -> None:
    with pytest.raises(ScoringError, match="weights total 90"):
        score_tender(tender(price(60), quality("q", 30), bids=(bid("A", 1),)))


def test_weights_within_tolerance_are_accepted() -> None:
    t = tender(price("66.667"), quality("q", "33.3335"), bids=(bid("A", 1, scores={"q": D(5)}),))
    assert score_tender(t).results[0].rank == 1


def test_all_commitments_zero_gives_everyone_zero() -> None:
    t = tender(price(90), commitments(10), bids=(bid("A", 100), bid("B", 100)))
    assert all(r.criteria["sv"] == 0 for r in score_tender(t).results)


def test_commitments_highest_value_and_local_only_comparison() -> None:
    # Remote charity commits more in total, but none of it lands locally.
    remote = bid("Remote CIC", 100, commitments=(commit(10000, "national"),))
    local = bid("Local Ltd", 100, commitments=(commit(6000, "local"),))
    t = tender(price(80), commitments(20), bids=(remote, local))
    res = score_tender(t)
    assert res.for_supplier("Remote CIC").criteria["sv"] == D(20)
    assert res.for_supplier("Local Ltd").criteria["sv"] == D(12)
    assert res.local_only_changes_ranking is True
    assert res.local_only_winner == ("Local Ltd",)
    assert any("locally changes the ranking" in w for w in res.warnings)
    local_rule = score_tender(tender(price(80), commitments(20, "local"), bids=(remote, local)))
    assert local_rule.winners[0].supplier == "Local Ltd"


def test_provisional_mean_when_no_consensus_and_spread_flag() -> None:
    t = tender(price(50), quality("q", 50), bids=(
        bid("A", 100, evaluator_scores={"q": {"AB": D(1), "CD": D(4)}}),
        bid("B", 100, scores={"q": D(3)}, evaluator_scores={"q": {"AB": D(3), "CD": D(3)}}),
    ))
    res = score_tender(t)
    a = res.for_supplier("A")
    assert a.raw["q"] == D("2.5") and "provisional" in a.flags and "evaluator_spread" in a.flags
    b = res.for_supplier("B")
    assert "provisional" not in b.flags and "evaluator_spread" not in b.flags


def test_consensus_overrides_the_mean() -> None:
    t = tender(price(50), quality("q", 50), bids=(
        bid("A", 100, scores={"q": D(2)}, evaluator_scores={"q": {"AB": D(5), "CD": D(5)}}),))
    assert score_tender(t).results[0].criteria["q"] == D(20)


def test_spread_exactly_40_percent_is_not_flagged() -> None:
    t = tender(price(50), quality("q", 50, scale=5), bids=(
        bid("A", 100, evaluator_scores={"q": {"AB": D(1), "CD": D(3)}}),))
    assert "evaluator_spread" not in score_tender(t).results[0].flags


def test_abnormally_low_flag_is_a_flag_not_an_exclusion() -> None:
    # Average excluding the highest (300): (100 + 200 + 200) / 3 = 166.67; 85% = 141.67 → 100 is flagged.
    t = tender(price(100), bids=(bid("Low", 100), bid("B", 200), bid("C", 200), bid("High", 300)))
    res = score_tender(t)
    assert "abnormally_low" in res.for_supplier("Low").flags
    assert res.for_supplier("Low").rank == 1
    assert "abnormally_low" not in res.for_supplier("B").flags


def test_missing_score_leaves_bid_unranked_with_the_reason() -> None:
    t = tender(price(50), quality("q", 50), bids=(bid("A", 100), bid("B", 100, scores={"q": D(3)})))
    a = score_tender(t).for_supplier("A")
    assert a.rank is None and not a.excluded and "incomplete" in a.flags
    assert a.reasons == ("No score yet for Quality q",)


def test_formula_comparison_warns_when_the_winner_changes() -> None:
    # A is cheaper with weaker quality: it wins on lowest_price (81 v 80) but not relative_to_mean.
    crit = (price(50), quality("q", 50))
    bids = (bid("A", 80, scores={"q": D("3.1")}), bid("B", 100, scores={"q": D(4)}),
            bid("C", 200, scores={"q": D(4)}))
    res = score_tender(tender(*crit, bids=bids))
    methods = {m.method.value: m.winner for m in res.comparison}
    assert set(methods) == {"lowest_price", "deviation_from_lowest", "relative_to_mean"}
    assert methods["lowest_price"] == ("A",)
    assert methods["relative_to_mean"] == ("B",)
    assert any("winner would change" in w for w in res.warnings)


def test_totals_are_exact_decimals() -> None:
    from decimal import localcontext

    res = score_tender(tender(price(100), bids=(bid("A", 3), bid("B", 7))))
    b = res.for_supplier("B").total
    with localcontext() as ctx:     # 300/7 to the engine's 60 digits, settled at 40 decimal places
        ctx.prec = 60
        assert isinstance(b, Decimal) and b == (D(100) * 3 / 7).quantize(D("1e-40"))


def test_warnings_go_once_dealt_with() -> None:
    """Issue 14: after moderation and exclusion the warnings asking to moderate and to query a low price go
    (the flags stay: they are the record of what was found)."""
    from dataclasses import replace

    wide = {"q": {"AB": D(1), "CD": D(5)}}
    bids = (bid("A", 100, evaluator_scores=wide), bid("B", 105, scores={"q": D(3)}),
            bid("C", 110, scores={"q": D(3)}), bid("Low", 50, scores={"q": D(3)}))
    t = tender(price(60), quality("q", 40), bids=bids)
    before = score_tender(t).warnings
    assert any(w.startswith("A: evaluators' marks differ") for w in before)
    assert any(w.startswith("Low: price") for w in before)
    moderated = replace(bids[0], scores={"q": D(3)})
    excluded = replace(bids[3], excluded=True, exclusion_reason="Could not explain the price")
    after = score_tender(tender(price(60), quality("q", 40), bids=(moderated, *bids[1:3], excluded)))
    assert not any(w.startswith(("A: evaluators' marks differ", "Low: price")) for w in after.warnings)
    flags = {r.supplier: r.flags for r in after.results}
    assert "evaluator_spread" in flags["A"] and "abnormally_low" in flags["Low"]
