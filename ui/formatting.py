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
