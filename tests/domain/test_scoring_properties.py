"""Properties of the scoring engine that must hold for any tender (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from svdesk.domain.scoring import score_tender
from svdesk.domain.tender import Bid, Criterion, CriterionKind, PriceMethod, Tender
from tests.builders import D, commit

money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000000"), places=2)
raw = st.integers(min_value=0, max_value=10).map(Decimal)
methods = st.sampled_from(list(PriceMethod))


@st.composite
def tenders(draw: st.DrawFn) -> Tender:
    n = draw(st.integers(min_value=1, max_value=8))
    wp = draw(st.integers(min_value=0, max_value=100))
    wq = draw(st.integers(min_value=0, max_value=100 - wp))
    ws = 100 - wp - wq
    crit = (
        Criterion("price", "Price", CriterionKind.PRICE, D(wp), method=draw(methods).value),
        Criterion("q", "Quality", CriterionKind.QUALITY, D(wq), scale_max=D(10)),
        Criterion("sv", "Commitments", CriterionKind.COMMITMENTS, D(ws), method="highest_value"),
    )
    bids = tuple(
        Bid(
            supplier=f"S{i}",
            price=draw(money),
            scores={"q": draw(raw)},
            commitments=tuple(commit(v, where) for v, where in draw(
                st.lists(st.tuples(st.integers(0, 100000), st.sampled_from(["local", "national"])), max_size=3))),
        )
        for i in range(n)
    )
    return Tender("P-1", "Property tender", criteria=crit, bids=bids)


@settings(max_examples=300, deadline=None)
@given(tenders())
def test_totals_lie_between_0_and_100(t: Tender) -> None:
    for r in score_tender(t, compare=False).results:
        assert Decimal(0) <= r.total <= Decimal(100)


@settings(max_examples=200, deadline=None)
@given(tenders(), st.sampled_from([D(2), D("0.5"), D(10), D(3)]))
def test_scaling_every_price_leaves_lowest_price_scores_unchanged(t: Tender, factor: Decimal) -> None:
    from dataclasses import replace

    t = replace(t, criteria=(replace(t.criteria[0], method="lowest_price"), *t.criteria[1:]))
    scaled = replace(t, bids=tuple(replace(b, price=b.price * factor if b.price else b.price) for b in t.bids))
    before = {r.supplier: r.criteria.get("price") for r in score_tender(t, compare=False).results}
    after = {r.supplier: r.criteria.get("price") for r in score_tender(scaled, compare=False).results}
    assert before == after


@settings(max_examples=200, deadline=None)
@given(tenders(), st.randoms())
def test_result_does_not_depend_on_the_order_of_bids(t: Tender, rnd: object) -> None:
    from dataclasses import replace

    shuffled = list(t.bids)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    a = score_tender(t)
    b = score_tender(replace(t, bids=tuple(shuffled)))
    key = lambda res: sorted((r.supplier, r.rank, r.total, r.flags) for r in res.results)  # noqa: E731
    assert key(a) == key(b)
    assert {m.method: m.winner for m in a.comparison} == {m.method: m.winner for m in b.comparison}


@settings(max_examples=200, deadline=None)
@given(tenders())
def test_ranks_are_competition_ranks(t: Tender) -> None:
    ranked = sorted((r for r in score_tender(t, compare=False).results if r.rank is not None),
                    key=lambda r: r.rank or 0)
    for i, r in enumerate(ranked):
        higher = [x for x in ranked if x.total > r.total]
        assert r.rank == len(higher) + 1
        assert i + 1 >= (r.rank or 0)
