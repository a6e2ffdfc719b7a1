"""Synthetic but realistic workloads for the benchmarks (deterministic: a fixed random seed)."""

from __future__ import annotations

import random
from decimal import Decimal

from svdesk.domain.tender import Bid, Criterion, CriterionKind, Tender, TenderStatus
from svdesk.domain.values import Commitment, Locality, Theme

D = Decimal
EVALUATORS = ("PS", "JM", "AK", "RT", "LB")


def big_tender(bids: int = 500, criteria: int = 60, evaluators: int = 5, seed: int = 1, *,
               reasons: bool = False) -> Tender:
    """A tender with ``bids`` bids × ``criteria`` criteria (price, quality…, commitments) × ``evaluators``.

    Half the bids have consensus scores, half are provisional (mean of evaluators), like a tender mid-moderation.
    With ``reasons`` every evaluator's mark has a reason, as the scoring grid asks for.
    """
    rnd = random.Random(seed)
    assessed = criteria - 2
    # Weights in thousandths that total exactly 100.
    quality_each = (D(50) / assessed).quantize(D("0.001"))
    crit = [Criterion("price", "Price", CriterionKind.PRICE, D(40), method="lowest_price")]
    crit += [
        Criterion(f"q{i:02d}", f"Quality question {i}", CriterionKind.QUALITY, quality_each, scale_max=D(5),
                  threshold=D(1) if i == 0 else None)
        for i in range(assessed)
    ]
    crit.append(Criterion("sv", "Social value commitments", CriterionKind.COMMITMENTS,
                          D(100) - D(40) - quality_each * assessed, method="highest_value"))
    who = EVALUATORS[:evaluators]
    out = []
    for b in range(bids):
        marks = {c.id: {e: D(rnd.randint(1, 5)) for e in who} for c in crit if c.is_assessed}
        consensus = {cid: D(rnd.randint(1, 5)) for cid in marks} if b % 2 else {}
        out.append(Bid(
            supplier=f"Supplier {b:04d} Ltd",
            price=D(rnd.randint(300_000, 900_000)) + D(rnd.randint(0, 99)) / 100,
            sme=b % 3 == 0,
            scores=consensus,
            explanations={cid: f"Evidence in section {i}." for i, cid in enumerate(consensus)},
            evaluator_scores=marks,
            evaluator_reasons={cid: {e: f"{e}: see section {i} of the method statement." for e in who}
                               for i, cid in enumerate(marks)} if reasons else {},
            commitments=(Commitment("local-jobs", D(rnd.randint(0, 5)), D(25000), theme=Theme.SKILLS,
                                    locality=rnd.choice(list(Locality))),),
        ))
    return Tender(f"BENCH-{bids}", f"Benchmark tender, {bids} bids", category="ict",
                  status=TenderStatus.EVALUATION, annual_value=D(200000), term_years=3, criteria=tuple(crit),
                  bids=tuple(out))


def report_tender(bids: int = 100, seed: int = 2) -> Tender:
    """A complete tender (every assessed criterion has a consensus score and reason) for report rendering."""
    t = big_tender(bids=bids, criteria=8, evaluators=2, seed=seed)
    from dataclasses import replace

    full = tuple(
        replace(b, scores={c.id: D(3 + i % 3) for c in t.criteria if c.is_assessed},
                explanations={c.id: f"Scored on the evidence in section {j + 1} of the tender."
                              for j, c in enumerate(t.criteria) if c.is_assessed})
        for i, b in enumerate(t.bids)
    )
    return replace(t, bids=full, buyer="Ashbourne District Council", officer="Priya Shah")
