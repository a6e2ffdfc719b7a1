"""The price formulas councils use (DESIGN.md, "Scoring rules"): one catalogue, each member with its scorer.

This module is the only place a price formula is written down. Every :class:`PriceMethod` member has a
:class:`PriceFormula` in :data:`FORMULAS`: its plain-English name (``label``, what the app's formula list and
the reports show), its formula in words for the committee paper (``formula``), how it is explained to a bidder
(``explained``, ``{w}`` is the weight) and the function that scores a price. A member without one stops the
import, so a new formula can never fall through to another's arithmetic.

The scorers are pure: ``score(weight, price, lowest, mean) -> points``, with ``price``, ``lowest`` and
``mean`` positive (a £0 price is never scored; the engine flags it first). The engine sets the precision.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

ZERO = Decimal(0)
HUNDRED = Decimal(100)

#: ``score(weight, price, lowest, mean) -> weighted points`` (unsettled; the engine rounds).
PriceScorer = Callable[[Decimal, Decimal, Decimal, Decimal], Decimal]


def lowest_price(weight: Decimal, price: Decimal, lowest: Decimal, mean: Decimal) -> Decimal:
    """``weight × lowest / price``."""
    return weight * lowest / price


def deviation_from_lowest(weight: Decimal, price: Decimal, lowest: Decimal, mean: Decimal) -> Decimal:
    """``weight × max(0, 1 − (price − lowest) / lowest)``."""
    return weight * max(ZERO, 1 - (price - lowest) / lowest)


def relative_to_mean(weight: Decimal, price: Decimal, lowest: Decimal, mean: Decimal) -> Decimal:
    """50% of the marks at the mean, ±1 percentage point per 1% below/above it, clamped to [0, weight]."""
    percent = Decimal(50) + (mean - price) / mean * HUNDRED      # % of marks
    return min(weight, max(ZERO, weight * percent / HUNDRED))


class PriceMethod(StrEnum):
    """The price formulas: ``PriceMethod.LOWEST_PRICE.score(weight, price, lowest, mean)``.

    Every member's name, texts and scorer are its :class:`PriceFormula` in :data:`FORMULAS`; a member without
    one stops the import of this module.
    """

    LOWEST_PRICE = "lowest_price"
    DEVIATION_FROM_LOWEST = "deviation_from_lowest"
    RELATIVE_TO_MEAN = "relative_to_mean"

    @property
    def label(self) -> str:
        """The formula's plain-English name (formula lists, the formula comparison)."""
        return FORMULAS[self].label

    @property
    def formula(self) -> str:
        """The formula in words, for the committee paper."""
        return FORMULAS[self].formula

    @property
    def explained(self) -> str:
        """How a bidder's price was marked, for the assessment summary (``{w}`` is the weight)."""
        return FORMULAS[self].explained

    def score(self, weight: Decimal, price: Decimal, lowest: Decimal, mean: Decimal) -> Decimal:
        """Weighted points for ``price`` (positive) given the lowest and the mean eligible price."""
        return FORMULAS[self].score(weight, price, lowest, mean)


@dataclass(frozen=True)
class PriceFormula:
    """What a price formula is: its name, its texts and its scorer (see :class:`PriceMethod`)."""

    label: str
    formula: str
    explained: str
    score: PriceScorer


FORMULAS: Mapping[PriceMethod, PriceFormula] = MappingProxyType({
    PriceMethod.LOWEST_PRICE: PriceFormula(
        "Lowest price ÷ bid price × weight",
        "score = weight × lowest price ÷ tender price",
        "the lowest price among the tenders scored received full marks and every other price marks in "
        "proportion (lowest price ÷ your price × {w})",
        lowest_price,
    ),
    PriceMethod.DEVIATION_FROM_LOWEST: PriceFormula(
        "Marks fall by the % the bid is above the lowest",
        "score = weight × (1 − (tender price − lowest price) ÷ lowest price), never less than 0",
        "the lowest price received full marks; marks fall by the percentage your price is above the lowest",
        deviation_from_lowest,
    ),
    PriceMethod.RELATIVE_TO_MEAN: PriceFormula(
        "Half marks at the mean price, ±1 point per 1% below/above",
        "half the marks at the mean price; one percentage point of the marks more for each 1% below the mean "
        "(less for each 1% above), between 0 and the weight",
        "a price at the mean of the tendered prices received half the marks, with one percentage point more for "
        "each 1% below the mean (less for each 1% above)",
        relative_to_mean,
    ),
})

_UNSCORED = [m.value for m in PriceMethod if m not in FORMULAS]
if _UNSCORED:   # a formula added without its scorer must never score as another one
    raise ImportError(f"svdesk.domain.price: no PriceFormula for {', '.join(_UNSCORED)} in FORMULAS")
