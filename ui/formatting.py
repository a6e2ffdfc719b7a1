"""How numbers, money and dates are shown and read back in the window (money stays ``Decimal``)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from svdesk.domain.money import parse_money, to_decimal
from svdesk.errors import ValidationError


def plain(value: Decimal | None) -> str:
    """A mark or weight as typed: ``4``, ``3.5``, ``12.25`` (empty for none)."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    return text


def parse_mark(text: str, field: str = "score") -> Decimal | None:
    """A mark or weight typed by the officer (empty means none)."""
    text = text.strip()
    if not text:
        return None
    return to_decimal(text, field)


def parse_pounds(text: str, field: str = "price") -> Decimal | None:
    """A sum of money typed by the officer: ``£1,234.50``, ``1234.5`` (empty means none)."""
    text = text.strip()
    if not text:
        return None
    return parse_money(text, field)


def when(moment: datetime | None) -> str:
    """A timestamp in local time, the way an officer reads it."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%d %b %Y %H:%M")


def range_text(scale_max: Decimal) -> str:
    """``0–5`` for a criterion's scale."""
    return f"0–{plain(scale_max)}"


def check_mark_text(text: str) -> Decimal | None:
    """Parse a mark, giving the officer a plain message for junk."""
    try:
        return parse_mark(text)
    except ValidationError as e:
        raise ValidationError("score", e.message) from None


def plural(n: int, one: str, many: str = "") -> str:
    """``1 year``, ``3 years`` (``many`` for an irregular plural)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


#: What each kind of criterion means, said where the officer meets it (a tooltip on the kind).
KIND_HELP = {
    "price": "Scored from the bid's price by the formula chosen (lowest price gets full marks).",
    "quality": "Marked by the evaluators on the criterion's scale, with a reason quoted from the bid.",
    "social_value": "Social value approach: how good the bidder's social-value plan is, marked on a scale by the "
                    "evaluators like quality (qualitative: no £ needed).",
    "commitments": "Social value commitments (£): what the bidder promises in pounds (quantity × value per unit), "
                   "scored by formula — the highest total gets full marks. No evaluator marks it.",
}

#: Where a supplier (or a benefit) is, as svdesk means it.
LOCALITY_HELP = {
    "local": "Local: within the council's own area",
    "regional": "Regional: outside the council's area but in the same region (e.g. the East Midlands)",
    "national": "National: anywhere else in the UK, or abroad",
}
