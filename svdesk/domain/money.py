"""Money and exact numbers: ``Decimal`` in code, integer pence in storage, 2 dp half-up for display."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from svdesk.errors import ValidationError

PENNY = Decimal("0.01")
#: The largest amount svdesk accepts (£1 trillion): anything larger is a typo, and such a sum
#: could lose pennies in some spreadsheet tools the officer round-trips through.
MAX_MONEY = Decimal("1000000000000")
#: The longest number svdesk reads (characters, sign, point and exponent included): a price or a score needs
#: a dozen; a longer one is a mistake or an attack, refused before any arithmetic.
MAX_NUMBER_CHARS = 40
#: Numbers are refused beyond ±10^30 (the exponent of ``1e9999999999999999999`` would stop decimal arithmetic).
MAX_EXPONENT = 30
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")


class UnreadableNumber(Decimal):
    """A number read from a file that is too long, or too large for decimal arithmetic (``1e999999999999``).

    The JSON reader cannot say where in the file it is, so it hands this on in the number's place and the
    field that reads it refuses it, naming the field (:func:`to_decimal`). ``source`` is the number's text.
    """

    source: str

    @classmethod
    def of(cls, text: str) -> UnreadableNumber:
        """The stand-in for the number written ``text``."""
        n = cls("NaN")
        n.source = text
        return n


def _too_long(text: str, field: str) -> ValidationError:
    from svdesk.domain.text import excerpt

    return ValidationError(field, f"{excerpt(text, 20)} is too long for a number (at most {MAX_NUMBER_CHARS} "
                                  f"characters)")


def to_decimal(value: object, field: str) -> Decimal:
    """Turn a JSON number, decimal string or int into a finite ``Decimal``.

    Floats are refused: a float has already lost the exact value the user typed.

    Raises:
        ValidationError: not a number, NaN or infinite.
    """
    if isinstance(value, bool):
        raise ValidationError(field, f"must be a number, not {value!r}")
    if isinstance(value, UnreadableNumber):
        if len(value.source) > MAX_NUMBER_CHARS:
            raise _too_long(value.source, field)
        raise ValidationError(field, _out_of_range(value.source))
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        if text.startswith("£"):
            text = text[1:].strip()
        if len(text) > MAX_NUMBER_CHARS:
            raise _too_long(text, field)
        try:
            d = Decimal(text)
        except InvalidOperation:
            from svdesk.domain.text import excerpt

            if _NUMBER.fullmatch(text):   # a number, but with an exponent decimal arithmetic cannot hold
                raise ValidationError(field, _out_of_range(text)) from None
            raise ValidationError(field, f"{excerpt(value)} is not a number") from None
    elif isinstance(value, float):
        raise ValidationError(field, "must be given exactly (as a decimal string), not as a float")
    else:
        raise ValidationError(field, f"must be a number, not {type(value).__name__}")
    if not d.is_finite():
        raise ValidationError(field, f"must be a finite number, not {value}")
    if len(d.as_tuple().digits) > MAX_NUMBER_CHARS:
        raise _too_long(str(d), field)
    if d and abs(d.adjusted()) > MAX_EXPONENT:
        raise ValidationError(field, _out_of_range(str(d)))
    return d


def _out_of_range(text: str) -> str:
    from svdesk.domain.text import excerpt

    small = "e-" in text.lower()
    return (f"{excerpt(text, 30)} has too many decimal places (svdesk takes numbers down to 10^-{MAX_EXPONENT})"
            if small else f"{excerpt(text, 30)} is too large (svdesk takes numbers up to 10^{MAX_EXPONENT})")


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
