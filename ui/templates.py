"""Category templates: a sensible starting evaluation model for common kinds of contract.

Plain data over the domain (no Qt). Our own wording; no National TOMs or HACT content (DESIGN.md licensing).
The weights are a starting point the officer adjusts; each template totals 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from svdesk.domain.checklist import CATEGORIES as NEGOTIATION_CATEGORIES
from svdesk.domain.tender import SCALE_PRESETS, Criterion, CriterionKind, Descriptor

D = Decimal


@dataclass(frozen=True)
class Template:
    """A named starting set of criteria."""

    key: str
    name: str
    criteria: tuple[Criterion, ...]


def descriptors(scale: int) -> tuple[Descriptor, ...]:
    """The preset descriptors for a 0–``scale`` scale."""
    return tuple(Descriptor(D(s), text) for s, text in SCALE_PRESETS.get(scale, ()))


def price(weight: Decimal, method: str = "lowest_price") -> Criterion:
    """A price criterion."""
    return Criterion("price", "Price", CriterionKind.PRICE, weight, method=method)


def quality(cid: str, name: str, weight: Decimal, threshold: int | None = 2, scale: int = 5) -> Criterion:
    """A quality criterion on a preset scale."""
    return Criterion(cid, name, CriterionKind.QUALITY, weight, scale_max=D(scale),
                     threshold=None if threshold is None else D(threshold), descriptors=descriptors(scale))


def social(cid: str, name: str, weight: Decimal, scale: int = 5) -> Criterion:
    """A qualitative social-value criterion."""
    return Criterion(cid, name, CriterionKind.SOCIAL_VALUE, weight, scale_max=D(scale), descriptors=descriptors(scale))


def commitments(cid: str, weight: Decimal) -> Criterion:
    """Monetised social-value commitments."""
    return Criterion(cid, "Social value commitments", CriterionKind.COMMITMENTS, weight, method="highest_value")


def default_criteria(p: Decimal, q: Decimal, s: Decimal) -> tuple[Criterion, ...]:
    """A new tender's criteria from the default weights (price, quality, social value)."""
    out: list[Criterion] = []
    if p:
        out.append(price(p))
    if q:
        out.append(quality("q1", "Quality of service", q))
    if s:
        half = (s / 2).quantize(D("0.01"))
        out.append(social("sv1", "Social value approach", s - half))
        out.append(commitments("sv2", half))
    return tuple(out)


TEMPLATES: tuple[Template, ...] = (
    Template("ict", "ICT and telecoms", (
        price(D(40)),
        quality("q1", "Service delivery and migration", D(25)),
        quality("q2", "Resilience and support", D(15)),
        social("sv1", "Social value approach", D(10)),
        commitments("sv2", D(10)),
    )),
    Template("construction", "Construction and maintenance", (
        price(D(50)),
        quality("q1", "Method statement and programme", D(20)),
        quality("q2", "Health, safety and environment", D(10), threshold=3),
        social("sv1", "Local labour and apprenticeships", D(10)),
        commitments("sv2", D(10)),
    )),
    Template("care", "Care and support", (
        price(D(30), "relative_to_mean"),
        quality("q1", "Service model and outcomes", D(30)),
        quality("q2", "Staffing and safeguarding", D(20), threshold=3),
        social("sv1", "Community benefit and partnerships", D(20)),
    )),
    Template("goods", "Goods and supplies", (
        price(D(60)),
        quality("q1", "Product quality and delivery", D(25)),
        social("sv1", "Environmental and social approach", D(15)),
    )),
    Template("professional", "Professional services", (
        price(D(30)),
        quality("q1", "Approach and methodology", D(35)),
        quality("q2", "Team and experience", D(20)),
        social("sv1", "Social value approach", D(15)),
    )),
)


def template(key: str) -> Template | None:
    """The template for a category key, if there is one."""
    return next((t for t in TEMPLATES if t.key == key), None)


#: Categories offered for a new tender (free text is allowed too): those the asks library files asks under.
CATEGORIES: tuple[str, ...] = (*(k for k in NEGOTIATION_CATEGORIES if k != "any"), "goods", "any")
