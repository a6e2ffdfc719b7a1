"""Money and exact numbers: ``Decimal`` in code, integer pence in storage, 2 dp half-up for display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from svdesk.errors import ValidationError

PENNY = Decimal("0.01")
#: The largest amount svdesk accepts (£1 trillion): anything larger is a typo, and such a sum
#: could lose pennies in some spreadsheet tools the officer round-trips through.
MAX_MONEY = Decimal("1000000000000")


def to_decimal(value: object, field: str) -> Decimal:
    """Turn a JSON number, decimal string or int into a finite ``Decimal``.

    Floats are refused: a float has already lost the exact value the user typed.

    Raises:
        ValidationError: not a number, NaN or infinite.
    """
    if isinstance(value, bool):
        raise ValidationError(field, f"must be a number, not {value!r}")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        if text.startswith("£"):
            text = text[1:].strip()
        try:
            d = Decimal(text)
        except InvalidOperation:
            raise ValidationError(field, f"{value!r} is not a number") from None
    elif isinstance(value, float):
        raise ValidationError(field, "must be given exactly (as a decimal string), not as a float")
    else:
        raise ValidationError(field, f"must be a number, not {type(value).__name__}")
    if not d.is_finite():
        raise ValidationError(field, f"must be a finite number, not {value}")
    return d


def parse_money(value: object, field: str) -> Decimal:
    """A sum of money in pounds: finite, not negative, at most 2 decimal places, below £1 trillion."""
    d = to_decimal(value, field)
    if d < 0:
        raise ValidationError(field, f"must not be negative (got {value})")
    if d > MAX_MONEY:
        raise ValidationError(field, f"is too large (got {value}; the limit is £1 trillion)")
    if d != d.quantize(PENNY, rounding=ROUND_HALF_UP):
        raise ValidationError(field, f"has more than 2 decimal places (got {value})")
    return d.quantize(PENNY)


def to_pence(amount: Decimal) -> int:
    """Exact integer pence for storage."""
    return int((amount * 100).to_integral_value(rounding=ROUND_HALF_UP))


def from_pence(pence: int) -> Decimal:
    """Pounds as a 2 dp ``Decimal`` from stored pence."""
    return (Decimal(pence) / 100).quantize(PENNY)


def round2(value: Decimal) -> Decimal:
    """Round half-up to 2 dp, for display only."""
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


def format_gbp(amount: Decimal | None) -> str:
    """``£1,234.56`` (or an em dash for no amount)."""
    if amount is None:
        return "—"
    return f"£{round2(amount):,.2f}"


def format_points(value: Decimal | None) -> str:
    """A score shown to 2 dp (or an em dash)."""
    if value is None:
        return "—"
    return f"{round2(value):.2f}"
