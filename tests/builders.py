"""Small builders so test scenarios read like the domain."""

from __future__ import annotations

from decimal import Decimal

from svdesk.domain.tender import Bid, Criterion, CriterionKind, Tender
from svdesk.domain.values import Commitment, Locality

D = Decimal


def price(weight: int | str = 100, method: str = "lowest_price") -> Criterion:
    return Criterion("price", "Price", CriterionKind.PRICE, D(weight), method=method)


def quality(cid: str = "q1", weight: int | str = 0, scale: int = 5, threshold: int | None = None) -> Criterion:
    return Criterion(
        cid, f"Quality {cid}", CriterionKind.QUALITY, D(weight), scale_max=D(scale),
        threshold=None if threshold is None else D(threshold),
    )


def commitments(weight: int | str = 10, scope: str = "all") -> Criterion:
    from svdesk.domain.tender import CommitmentScope

    return Criterion("sv", "Commitments", CriterionKind.COMMITMENTS, D(weight), method="highest_value",
                     scope=CommitmentScope(scope))


def bid(supplier: str, amount: str | int | None = None, **kw: object) -> Bid:
    return Bid(supplier=supplier, price=None if amount is None else D(amount), **kw)  # type: ignore[arg-type]


def commit(value: str | int, where: str = "local", qty: int = 1) -> Commitment:
    return Commitment("m", D(qty), D(value), locality=Locality(where))


def tender(*criteria: Criterion, bids: tuple[Bid, ...] = (), **kw: object) -> Tender:
    return Tender("T-1", "Test tender", criteria=tuple(criteria), bids=bids, **kw)  # type: ignore[arg-type]
