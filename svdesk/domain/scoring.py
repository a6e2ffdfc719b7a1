"""The scoring engine: DESIGN.md "Scoring rules", in exact ``Decimal`` arithmetic.

``score_tender`` turns a :class:`Tender` into :class:`Results`: per-bid weighted scores, totals, ranks
(competition ranking), exclusions with reasons and stable flags. It also compares the ranking under every
price method and with commitments counted locally only, warning when the winner changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from svdesk.domain.money import format_gbp, round2
from svdesk.domain.panel import without_barred_marks
from svdesk.domain.tender import Bid, CommitmentScope, CriterionKind, PriceMethod, Tender, TieBreak
from svdesk.domain.values import Commitment, Locality
from svdesk.errors import ScoringError

ZERO = Decimal(0)
HUNDRED = Decimal(100)
WEIGHT_TOLERANCE = Decimal("0.001")
SPREAD_LIMIT = Decimal("0.4")            # evaluator spread above 40% of the scale is flagged
ABNORMALLY_LOW = Decimal("0.85")         # more than 15% below the average of prices excl. the highest
# Exactness. Divisions (lowest ÷ price, a mean of three marks, weight ÷ a 0–7 scale) have no finite decimal, so
# scoring runs at 60 significant digits and settles every score to 40 decimal places before totals are added,
# compared and rounded. Two bids that are mathematically equal then have identical totals (a tie is seen, the
# ranks are shared) and a true 16.875 rounds half-up to 16.88 rather than 16.87499… to 16.87. Distinct real
# totals differ by far more than 1e-40 (their denominators are products of a few prices in pence).
PRECISION = 60
SETTLE = Decimal("1e-40")

# Stable flag identifiers (part of the JSON contract).
FLAG_TIE = "tie"
FLAG_PROVISIONAL = "provisional"
FLAG_SPREAD = "evaluator_spread"
FLAG_LOW = "abnormally_low"
FLAG_ZERO_PRICE = "zero_price"
FLAG_INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class BidResult:
    """One bid's outcome.

    ``rank`` is ``None`` for a bid that is not ranked: excluded (``excluded`` is true and ``reasons`` says
    why) or not yet scorable (a nil price or missing score: ``reasons`` says what to resolve).
    """

    supplier: str
    rank: int | None
    total: Decimal
    criteria: Mapping[str, Decimal]
    raw: Mapping[str, Decimal]
    excluded: bool
    reasons: tuple[str, ...]
    flags: tuple[str, ...]
    price: Decimal | None
    commitments_value: Decimal

    @property
    def ranked(self) -> bool:
        """Has a place in the ranking."""
        return self.rank is not None


@dataclass(frozen=True)
class MethodComparison:
    """The ranking under one price method (the formula comparison)."""

    method: PriceMethod
    ranking: tuple[tuple[str, int | None, Decimal], ...]   # supplier, rank, total
    winner: tuple[str, ...]


@dataclass(frozen=True)
class Results:
    """A scored tender."""

    reference: str
    results: tuple[BidResult, ...]
    warnings: tuple[str, ...] = ()
    comparison: tuple[MethodComparison, ...] = ()
    local_only_changes_ranking: bool | None = None
    local_only_winner: tuple[str, ...] = ()

    @property
    def winners(self) -> tuple[BidResult, ...]:
        """The bid(s) ranked first (more than one when tied)."""
        return tuple(r for r in self.results if r.rank == 1)

    def for_supplier(self, supplier: str) -> BidResult:
        """The result of one bid."""
        for r in self.results:
            if r.supplier == supplier:
                return r
        raise KeyError(supplier)


@dataclass
class _Work:
    """Mutable scratch record for one bid while scoring.

    ``base`` holds the assessed criteria's points and ``base_total`` their sum: both are computed once per
    ``score_tender`` call and shared (never modified) by every price-method and commitments-scope variant.
    ``extra`` holds what a variant adds (price, then commitments), in that order.
    """

    bid: Bid
    base: dict[str, Decimal] = field(default_factory=dict)
    raw: dict[str, Decimal] = field(default_factory=dict)
    excluded: bool = False
    reasons: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    unscorable: bool = False
    base_total: Decimal = ZERO
    extra: dict[str, Decimal] = field(default_factory=dict)
    rank: int | None = None
    total: Decimal = ZERO

    def flag(self, f: str) -> None:
        if f not in self.flags:
            self.flags.append(f)

    @property
    def criteria(self) -> dict[str, Decimal]:
        """Every criterion's points: assessed first, then price, then commitments."""
        return {**self.base, **self.extra} if self.extra else dict(self.base)


def check_weights(t: Tender) -> None:
    """Weights must total 100 (±0.001).

    Raises:
        ScoringError: names the sum, so the officer knows how far off it is.
    """
    if not t.criteria:
        raise ScoringError(f"{t.reference} has no award criteria: add criteria with weights totalling 100")
    total = t.weight_total
    if abs(total - HUNDRED) > WEIGHT_TOLERANCE:
        raise ScoringError(f"weights total {total.normalize():f}, not 100: adjust them before scoring")


def low_price_benchmark(t: Tender) -> Decimal | None:
    """The price below which a bid is abnormally low (85% of the mean of all positive prices but the highest),
    or ``None`` with fewer than three prices."""
    prices = sorted(b.price for b in t.bids if b.price is not None and b.price > 0)
    return _mean(prices[:-1]) * ABNORMALLY_LOW if len(prices) >= 3 else None


def is_abnormally_low(t: Tender, bid: Bid, benchmark: Decimal | None = None) -> bool:
    """Whether a bid's price is more than 15% below the average of the prices excluding the highest (a flag for
    the officer to ask about, never an exclusion). ``benchmark`` from :func:`low_price_benchmark`, if known."""
    low = benchmark if benchmark is not None else low_price_benchmark(t)
    return low is not None and bid.price is not None and 0 < bid.price < low


def unmoderated_spread(t: Tender, bid: Bid) -> list[str]:
    """The criteria (ids) where the evaluators' marks for ``bid`` differ by more than 40% of the scale and no
    agreed (moderated) score has been recorded yet: what still needs moderating."""
    out = []
    for c in t.criteria:
        marks = bid.evaluator_scores.get(c.id, {})
        if c.id in bid.scores or len(marks) < 2:
            continue
        if max(marks.values()) - min(marks.values()) > SPREAD_LIMIT * c.scale_max:
            out.append(c.id)
    return out


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values)


def _settle(value: Decimal) -> Decimal:
    return value.quantize(SETTLE)


def price_points(method: PriceMethod, weight: Decimal, price: Decimal, prices: Sequence[Decimal]) -> Decimal:
    """Weighted price points for ``price`` among the eligible, positive ``prices`` (which include it)."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return _settle(_PriceScale(method, weight, prices).points(price))


class _PriceScale:
    """One price formula over one set of eligible prices (lowest and mean computed once, not per bid)."""

    def __init__(self, method: PriceMethod, weight: Decimal, prices: Sequence[Decimal]) -> None:
        self.method = method
        self.weight = weight
        self.lowest = min(prices)
        self.mean = _mean(prices)

    def points(self, price: Decimal) -> Decimal:
        return self.method.score(self.weight, price, self.lowest, self.mean)


def _price_methods(t: Tender) -> set[PriceMethod]:
    """The price methods the tender's own price criteria use."""
    return {c.price_method for c in t.criteria if c.kind is CriterionKind.PRICE}


def _unique_ids(t: Tender) -> bool:
    return len({c.id for c in t.criteria}) == len(t.criteria)


def _assess(t: Tender) -> list[_Work]:
    """The part of scoring no what-if changes: exclusions, assessed criteria, thresholds, missing prices.

    Done once per ``score_tender`` call; each price-method or commitments-scope variant shares it. This is the
    hot loop (bids × assessed criteria × evaluators: 29,000 cells for 500 bids × 58 criteria), so the
    per-criterion constants are looked up once, the evaluators' marks are walked once for their lowest, highest
    and sum (and, once a bid is flagged for its spread, only summed where a provisional score needs them).
    Every ``Decimal`` operation is the one the rules define, in the same order (a sum is ``0 + m1 + m2 + …``),
    so the results are exactly those of the plain formulation.
    """
    check_weights(t)
    assessed = [(c.id, c.scale_max, c.weight, c.threshold, SPREAD_LIMIT * c.scale_max, c.name)
                for c in t.criteria if c.is_assessed]
    has_price = any(c.kind is CriterionKind.PRICE for c in t.criteria)
    unique = _unique_ids(t)
    work = [_Work(b) for b in t.bids]
    for w in work:
        b = w.bid
        if b.excluded:
            w.excluded = True
            w.reasons.append(f"Excluded by the officer: {b.exclusion_reason}")
        scores, evaluator_scores = b.scores, b.evaluator_scores
        points, raws = w.base, w.raw
        total = ZERO
        spread = provisional = False      # flag() only on the first occurrence: the flags keep their order
        for cid, scale_max, weight, threshold, limit, name in assessed:
            raw = scores.get(cid)
            marks = evaluator_scores.get(cid)
            if marks:
                if spread:                # flagged already: only a provisional score still needs the marks
                    if raw is None:
                        acc = sum(marks.values(), ZERO)
                else:
                    it = iter(marks.values())
                    lo = hi = acc = next(it)
                    if raw is None:
                        acc = ZERO + acc
                        for m in it:
                            acc += m
                            if m < lo:
                                lo = m
                            elif m > hi:
                                hi = m
                    else:
                        for m in it:
                            if m < lo:
                                lo = m
                            elif m > hi:
                                hi = m
                    if hi - lo > limit:
                        w.flag(FLAG_SPREAD)
                        spread = True
                if raw is None:
                    if not provisional:
                        w.flag(FLAG_PROVISIONAL)
                        provisional = True
                    raw = (acc / len(marks)).quantize(SETTLE)
            if raw is None:
                w.unscorable = True
                w.flag(FLAG_INCOMPLETE)
                w.reasons.append(f"No score yet for {name}")
                continue
            raws[cid] = raw
            value = (raw / scale_max * weight).quantize(SETTLE)
            points[cid] = value
            total += value
            if threshold is not None and raw < threshold:
                w.excluded = True
                w.reasons.append(
                    f"Scored {raw.normalize():f} on {name}, below the minimum of {threshold.normalize():f}"
                )
        # Criterion ids are unique in a valid tender; if not, a repeated id's points replace the earlier ones.
        w.base_total = total if unique else sum(points.values(), ZERO)
        if has_price and not w.excluded:      # an excluded bid's price needs no resolving
            if b.price is None:
                w.unscorable = True
                w.flag(FLAG_INCOMPLETE)
                w.reasons.append("No price entered")
            elif b.price == 0:
                w.unscorable = True
                w.flag(FLAG_ZERO_PRICE)
                w.reasons.append(
                    "Price is £0 (nil): the price formula cannot score it. Check the bid, then correct "
                    "the price or exclude the bid with a reason"
                )
    return work


class _Shared:
    """What every variant of one ``score_tender`` call reuses: commitment values per scope, the price benchmark."""

    def __init__(self, t: Tender) -> None:
        self._values: dict[CommitmentScope, list[Decimal]] = {}
        self._bids = t.bids
        self.unique_ids = _unique_ids(t)
        self.low_benchmark = low_price_benchmark(t)
        self.tender = t

    def commitment_values(self, scope: CommitmentScope) -> list[Decimal]:
        """Each bid's commitments value under ``scope``, in bid order."""
        found = self._values.get(scope)
        if found is None:
            found = self._values[scope] = [b.commitments_value(scope) for b in self._bids]
        return found


def _score_variant(
    t: Tender,
    assessed: list[_Work],
    shared: _Shared,
    *,
    price_method: PriceMethod | None = None,
    scope: CommitmentScope | None = None,
    warnings: list[str] | None = None,
) -> list[_Work]:
    """Price, commitments, flags and ranking on a copy of the assessed bids.

    ``warnings`` collects the sentences for the officer; the comparison variants pass ``None`` (only their
    ranking is used).
    """
    work = [
        _Work(a.bid, a.base, a.raw, a.excluded, list(a.reasons), list(a.flags), a.unscorable, a.base_total, {})
        for a in assessed
    ]

    # Price: among bids still in the running with a positive price.
    eligible = [w for w in work if not w.excluded and w.bid.price is not None and w.bid.price > 0]
    prices = [w.bid.price for w in eligible if w.bid.price is not None]
    for c in t.criteria:
        if c.kind is not CriterionKind.PRICE or not prices:
            continue
        scale = _PriceScale(price_method or c.price_method, c.weight, prices)
        for w in eligible:
            assert w.bid.price is not None
            w.extra[c.id] = _settle(scale.points(w.bid.price))

    # Monetised commitments: highest value gets full marks.
    in_running = [i for i, w in enumerate(work) if not w.excluded]
    for c in t.criteria:
        if c.kind is not CriterionKind.COMMITMENTS:
            continue
        all_values = shared.commitment_values(scope or c.scope)
        values = [all_values[i] for i in in_running]
        top = max(values, default=ZERO)
        for i, v in zip(in_running, values, strict=True):
            work[i].extra[c.id] = _settle(c.weight * v / top) if top > 0 else ZERO

    # Abnormally low prices: a flag for the officer, never an exclusion.
    benchmark = shared.low_benchmark
    if benchmark is not None:
        for w in work:
            if w.bid.price is not None and 0 < w.bid.price < benchmark:
                w.flag(FLAG_LOW)
                if warnings is not None and not w.bid.excluded:   # excluded: dealt with, nothing to ask
                    warnings.append(
                        f"{w.bid.supplier}: price {format_gbp(w.bid.price)} is more than 15% below the average of "
                        f"the other prices (excluding the highest); ask the supplier to explain it before award"
                    )
    if warnings is not None:
        for w in work:
            if FLAG_SPREAD in w.flags and not w.bid.excluded and unmoderated_spread(shared.tender, w.bid):
                # once every wide spread has an agreed score the flag stays (it is history), the call to act goes
                warnings.append(f"{w.bid.supplier}: evaluators' marks differ by more than 40% of the scale; "
                                f"moderate")
            if FLAG_ZERO_PRICE in w.flags:
                warnings.append(f"{w.bid.supplier}: price is £0 and is left unranked until resolved")

    for w in work:
        # The same left-to-right sum as sum(criteria.values(), 0): assessed points first (added up once in
        # _assess), then this variant's price and commitments points in the order they were set.
        if shared.unique_ids:
            total = w.base_total
            for v in w.extra.values():
                total += v
            w.total = total
        else:
            w.total = sum(w.criteria.values(), ZERO)
    _rank(t, work, warnings if warnings is not None else [])
    return work


def _total(w: _Work) -> Decimal:
    return w.total


def _tie_key(t: Tender, w: _Work) -> Decimal:
    if t.tie_break is TieBreak.QUALITY:
        return -sum((v for cid, v in w.criteria.items() if t.criterion(cid).kind is CriterionKind.QUALITY), ZERO)
    return w.bid.price if w.bid.price is not None else ZERO   # no price to compare: the tie stands


def _rank(t: Tender, work: list[_Work], warnings: list[str]) -> None:
    ranked = [w for w in work if not w.excluded and not w.unscorable]
    ranked.sort(key=_total, reverse=True)
    groups: list[list[_Work]] = []
    for w in ranked:
        if groups and _total(groups[-1][0]) == _total(w):
            groups[-1].append(w)
        else:
            groups.append([w])
    position = 1
    for g in groups:
        if len(g) > 1:
            names = ", ".join(w.bid.supplier for w in g)
            for w in g:
                w.flag(FLAG_TIE)
            if t.tie_break is TieBreak.NONE:
                for w in g:
                    w.rank = position
                warnings.append(f"Tie at {round2(_total(g[0]))} points between {names}")
            else:
                g.sort(key=lambda w: _tie_key(t, w))
                keys = [_tie_key(t, w) for w in g]
                for i, w in enumerate(g):
                    first = keys.index(keys[i])   # still equal after the tie-break: share the rank
                    w.rank = position + first
                how = "higher quality score" if t.tie_break is TieBreak.QUALITY else "lower price"
                warnings.append(f"Tie at {round2(_total(g[0]))} points between {names}, broken by {how}")
        else:
            g[0].rank = position
        position += len(g)


def _results(t: Tender, work: list[_Work], shared: _Shared) -> tuple[BidResult, ...]:
    out = []
    values = shared.commitment_values(CommitmentScope.ALL)
    for w, value in zip(work, values, strict=True):
        rank = w.rank
        out.append(
            BidResult(
                supplier=w.bid.supplier,
                rank=rank,
                total=_total(w),
                criteria=w.criteria,
                raw=dict(w.raw),
                excluded=w.excluded,
                reasons=tuple(w.reasons),
                flags=tuple(w.flags),
                price=w.bid.price,
                commitments_value=value,
            )
        )
    out.sort(key=lambda r: (r.rank is None, r.rank or 0, -r.total, r.supplier.casefold()))
    return tuple(out)


def _ranking(work: list[_Work]) -> tuple[tuple[str, int | None, Decimal], ...]:
    """(supplier, rank, total) in result order, without building full results (for the comparisons)."""
    order = sorted(work, key=lambda w: (w.rank is None, w.rank or 0, -w.total, w.bid.supplier.casefold()))
    return tuple((w.bid.supplier, w.rank, w.total) for w in order)


def _winners(work: list[_Work]) -> tuple[str, ...]:
    return tuple(sorted(w.bid.supplier for w in work if w.rank == 1))


def score_tender(
    t: Tender,
    *,
    price_method: PriceMethod | None = None,
    scope: CommitmentScope | None = None,
    compare: bool = True,
) -> Results:
    """Score every bid in ``t``.

    Args:
        t: the tender.
        price_method: score price with this formula instead of the criterion's own (what-if).
        scope: count commitments this way instead of each criterion's own scope (what-if).
        compare: also run the formula comparison and the local-only comparison.

    Raises:
        ScoringError: the weights do not total 100 or there are no criteria.
    """
    with localcontext() as ctx:
        ctx.prec = PRECISION
        return _score(t, price_method, scope, compare)


def _score(t: Tender, price_method: PriceMethod | None, scope: CommitmentScope | None, compare: bool) -> Results:
    t, barred = without_barred_marks(t)    # a declaration of interest keeps a member's marks out of the score
    assessed = _assess(t)
    shared = _Shared(t)
    warnings: list[str] = list(barred)
    work = _score_variant(t, assessed, shared, price_method=price_method, scope=scope, warnings=warnings)
    winners = _winners(work)
    comparison: list[MethodComparison] = []
    local_changes: bool | None = None
    local_winner: tuple[str, ...] = ()
    if compare:
        has_price = any(c.kind is CriterionKind.PRICE for c in t.criteria)
        if has_price:
            for m in PriceMethod:
                same = price_method is m or (price_method is None and _price_methods(t) == {m})
                w2 = work if same else _score_variant(t, assessed, shared, price_method=m, scope=scope)
                comparison.append(MethodComparison(m, _ranking(w2), _winners(w2)))
                if winners and _winners(w2) and _winners(w2) != winners:
                    warnings.append(
                        f"The winner would change under the “{m.label}” price formula "
                        f"({', '.join(_winners(w2))} instead of {', '.join(winners)})"
                    )
        if any(c.kind is CriterionKind.COMMITMENTS for c in t.criteria):
            def variant(sc: CommitmentScope) -> list[_Work]:
                same = scope is sc or (scope is None and all(
                    c.scope is sc for c in t.criteria if c.kind is CriterionKind.COMMITMENTS))
                return work if same else _score_variant(t, assessed, shared, price_method=price_method, scope=sc)

            w_all, w_loc = variant(CommitmentScope.ALL), variant(CommitmentScope.LOCAL)
            order_all = [(s, rank) for s, rank, _ in _ranking(w_all) if rank is not None]
            order_loc = [(s, rank) for s, rank, _ in _ranking(w_loc) if rank is not None]
            local_changes = order_all != order_loc
            local_winner = _winners(w_loc)
            if local_changes:
                warnings.append(
                    "Counting only commitments that land locally changes the ranking"
                    + (f" (winner: {', '.join(local_winner)})" if local_winner != _winners(w_all) else "")
                    + ": check remote SMEs and charities are not shut out unseen"
                )
    return Results(
        reference=t.reference,
        results=_results(t, work, shared),
        warnings=tuple(dict.fromkeys(warnings)),
        comparison=tuple(comparison),
        local_only_changes_ranking=local_changes,
        local_only_winner=local_winner,
    )


def results_as_json(res: Results) -> dict[str, object]:
    """The ``svdesk score --json`` document (DESIGN.md): decimals as 2 dp strings."""
    return {
        "tender": res.reference,
        "results": [
            {
                "supplier": r.supplier,
                "rank": r.rank,
                "total": str(round2(r.total)),
                "criteria": {cid: str(round2(v)) for cid, v in r.criteria.items()},
                "excluded": r.excluded,
                "reasons": list(r.reasons),
                "flags": list(r.flags),
            }
            for r in res.results
        ],
        "warnings": list(res.warnings),
        "formula_comparison": [
            {
                "method": m.method.value,
                "winner": list(m.winner),
                "ranking": [
                    {"supplier": s, "rank": rank, "total": str(round2(total))} for s, rank, total in m.ranking
                ],
            }
            for m in res.comparison
        ],
        "local_only_changes_ranking": res.local_only_changes_ranking,
    }


def local_commitments(b: Bid) -> tuple[Commitment, ...]:
    """The commitments whose benefit lands locally."""
    return tuple(c for c in b.commitments if c.locality is Locality.LOCAL)


__all__ = [
    "BidResult",
    "MethodComparison",
    "Results",
    "check_weights",
    "local_commitments",
    "price_points",
    "results_as_json",
    "score_tender",
]
