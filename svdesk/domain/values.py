"""Values shared by the tender and its negotiation checklist: the social-value themes, where a supplier or a
benefit is, a commitment in a bid, and the check every piece of typed text passes.

Kept apart so that :mod:`svdesk.domain.tender` and :mod:`svdesk.domain.checklist` both import them and neither
imports the other's module for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from svdesk.domain.text import normalise, problem
from svdesk.errors import ValidationError

TEXT_MAX = 10_000


class Theme(StrEnum):
    """The five social-value themes councils group benefits into."""

    SKILLS = "skills"
    GROWTH = "growth"
    COMMUNITIES = "communities"
    ENVIRONMENT = "environment"
    INNOVATION = "innovation"

    @property
    def label(self) -> str:
        """The theme's name in full."""
        return {
            "skills": "Local skills and employment",
            "growth": "Sustainable regional business growth",
            "communities": "Healthier, safer and resilient communities",
            "environment": "Decarbonising and protecting the planet",
            "innovation": "Promoting and enabling innovation",
        }[self.value]


class Locality(StrEnum):
    """Where a supplier is based, or where a benefit lands."""

    LOCAL = "local"
    REGIONAL = "regional"
    NATIONAL = "national"


@dataclass(frozen=True)
class Commitment:
    """A social-value commitment in a bid: ``quantity × unit_value`` pounds."""

    measure: str
    quantity: Decimal
    unit_value: Decimal
    description: str = ""
    theme: Theme | None = None
    locality: Locality | None = None
    from_ask: str | None = None

    @property
    def value(self) -> Decimal:
        """The commitment's value in pounds."""
        return self.quantity * self.unit_value


def check_text(value: str, field: str, *, required: bool = False, limit: int = TEXT_MAX,
               one_line: bool = False) -> str:
    """Normalise (NFC, stripped) and check a piece of text by the one text rule (:mod:`svdesk.domain.text`).

    Args:
        one_line: a name: no newline or tab either.
    """
    text = normalise(value)
    if required and not text:
        raise ValidationError(field, "must not be empty")
    if len(text) > limit:
        raise ValidationError(field, f"is too long ({len(text):,} characters; the limit is {limit:,})")
    wrong = problem(text, one_line=one_line)
    if wrong:
        raise ValidationError(field, wrong)
    return text
