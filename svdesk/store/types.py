"""Column types that keep money and scores exact on every database.

``Numeric`` on SQLite is a float in disguise (measured: ``12345678901234567.89`` came back as
``…568.00``), so svdesk never uses it. Money is whole pence in an INTEGER column; scores, weights and
quantities are decimals written as text (``Decimal`` → ``"3.5"`` → ``Decimal("3.5")``), exact for any value.
Every type renders to a type name that SQLite's STRICT tables accept (INTEGER or TEXT).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger, Integer, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from svdesk.domain.money import PENNY, from_pence


class Pence(TypeDecorator[Decimal]):
    """Money: ``Decimal`` pounds in Python, whole pence (BIGINT; INTEGER on SQLite) in the database.

    An amount with fractions of a penny is refused rather than rounded: storage never alters a value.
    """

    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        return dialect.type_descriptor(Integer() if dialect.name == "sqlite" else BigInteger())

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"svdesk: money must be a finite Decimal, not {value!r}")
        if value != value.quantize(PENNY):
            raise ValueError(f"svdesk: £{value} has fractions of a penny and cannot be stored exactly")
        return int(value * 100)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_pence(int(value))


def decimal_text(value: Decimal) -> str:
    """The canonical text of a decimal (no exponent), e.g. ``Decimal("1E+2")`` → ``"100"``."""
    return f"{value:f}"


class ExactDecimal(TypeDecorator[Decimal]):
    """Scores, weights, quantities: a ``Decimal`` stored as its exact text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if not isinstance(value, Decimal) or not value.is_finite():
            raise ValueError(f"svdesk: a score or weight must be a finite Decimal, not {value!r}")
        return decimal_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(f"svdesk: stored number {value!r} is not a decimal") from None


class Flag(TypeDecorator[bool]):
    """A yes/no value as INTEGER 0/1 (STRICT tables have no BOOLEAN)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: bool | None, dialect: Dialect) -> int | None:
        return None if value is None else int(bool(value))

    def process_result_value(self, value: int | None, dialect: Dialect) -> bool | None:
        return None if value is None else bool(value)


class Day(TypeDecorator[date]):
    """A calendar date as ISO text (``2026-12-10``)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: date | None, dialect: Dialect) -> str | None:
        return None if value is None else value.isoformat()

    def process_result_value(self, value: str | None, dialect: Dialect) -> date | None:
        return None if value is None else date.fromisoformat(value)


def utc_text(moment: datetime) -> str:
    """An aware moment as ISO text in UTC with microseconds (sortable, the same on every database)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class UtcTime(TypeDecorator[datetime]):
    """A moment in time as ISO text in UTC."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else utc_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)
