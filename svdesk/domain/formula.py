"""Valuation formulas: a tiny parser (no ``eval``) for + − × ÷ and brackets over named inputs and numbers.

An ask says how to value it as a formula such as ``discount_pct / 100 * households * monthly_bill * 12``;
:func:`parse_formula` reads it once and :meth:`Formula.evaluate` works it out exactly in ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, DivisionByZero, InvalidOperation, localcontext

from svdesk.errors import ValidationError

FORMULA_MAX = 500
#: Largest magnitude of a valuation input or result: anything larger is a typo.
NUMBER_MAX = Decimal("1000000000000")



_OPERATORS = {"+": "+", "-": "-", "−": "-", "–": "-", "*": "*", "×": "*", "/": "/", "÷": "/"}
_MAX_DEPTH = 40


@dataclass(frozen=True)
class _Num:
    value: Decimal


@dataclass(frozen=True)
class _Name:
    name: str


@dataclass(frozen=True)
class _Neg:
    operand: _Node


@dataclass(frozen=True)
class _BinOp:
    op: str
    left: _Node
    right: _Node


_Node = _Num | _Name | _Neg | _BinOp


def _tokenise(text: str, field: str) -> list[tuple[str, str, int]]:
    """Split a formula into ``(kind, text, position)`` tokens: ``num``, ``name``, ``op``, ``(``, ``)``."""
    tokens: list[tuple[str, str, int]] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit() or (ch == "." and i + 1 < len(text) and text[i + 1].isdigit()):
            j = i
            while j < len(text) and (text[j].isdigit() or text[j] in "._"):
                j += 1
            tokens.append(("num", text[i:j].replace("_", ""), i))
            i = j
        elif ch.isascii() and (ch.isalpha() or ch == "_"):
            j = i
            while j < len(text) and text[j].isascii() and (text[j].isalnum() or text[j] == "_"):
                j += 1
            tokens.append(("name", text[i:j], i))
            i = j
        elif ch in _OPERATORS:
            tokens.append(("op", _OPERATORS[ch], i))
            i += 1
        elif ch in "()":
            tokens.append((ch, ch, i))
            i += 1
        else:
            raise ValidationError(field, f"cannot use {ch!r} at position {i + 1} (use numbers, input names, "
                                         "+ − × ÷ and brackets)")
    return tokens


class _Parser:
    """Recursive descent: ``expr := term (± term)*``, ``term := factor (×÷ factor)*``,
    ``factor := ± factor | number | name | ( expr )``."""

    def __init__(self, text: str, field: str) -> None:
        self.field = field
        self.tokens = _tokenise(text, field)
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def fail(self, message: str) -> ValidationError:
        tok = self.peek()
        where = f" at position {tok[2] + 1}" if tok else " at the end"
        return ValidationError(self.field, f"{message}{where}")

    def parse(self) -> _Node:
        if not self.tokens:
            raise ValidationError(self.field, "is empty")
        node = self.expr()
        if self.peek() is not None:
            raise self.fail("unexpected " + repr(self.tokens[self.pos][1]))
        return node

    def expr(self) -> _Node:
        node = self.term()
        while (tok := self.peek()) is not None and tok[0] == "op" and tok[1] in "+-":
            self.pos += 1
            node = _BinOp(tok[1], node, self.term())
        return node

    def term(self) -> _Node:
        node = self.factor()
        while (tok := self.peek()) is not None and tok[0] == "op" and tok[1] in "*/":
            self.pos += 1
            node = _BinOp(tok[1], node, self.factor())
        return node

    def factor(self) -> _Node:
        tok = self.peek()
        if tok is None:
            raise self.fail("a number or input name is missing")
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise ValidationError(self.field, "is nested too deeply")
        try:
            kind, text, _ = tok
            if kind == "op" and text in "+-":
                self.pos += 1
                operand = self.factor()
                return _Neg(operand) if text == "-" else operand
            if kind == "num":
                self.pos += 1
                try:
                    return _Num(Decimal(text))
                except InvalidOperation:
                    raise ValidationError(self.field, f"{text!r} is not a number") from None
            if kind == "name":
                self.pos += 1
                return _Name(text)
            if kind == "(":
                self.pos += 1
                node = self.expr()
                close = self.peek()
                if close is None or close[0] != ")":
                    raise self.fail("a closing bracket is missing")
                self.pos += 1
                return node
            raise self.fail(f"unexpected {text!r}")
        finally:
            self.depth -= 1


def _names(node: _Node) -> list[str]:
    if isinstance(node, _Name):
        return [node.name]
    if isinstance(node, _Neg):
        return _names(node.operand)
    if isinstance(node, _BinOp):
        return _names(node.left) + _names(node.right)
    return []


def _evaluate(node: _Node, values: Mapping[str, Decimal], field: str) -> Decimal:
    if isinstance(node, _Num):
        return node.value
    if isinstance(node, _Name):
        return values[node.name]
    if isinstance(node, _Neg):
        return -_evaluate(node.operand, values, field)
    left = _evaluate(node.left, values, field)
    right = _evaluate(node.right, values, field)
    if node.op == "+":
        return left + right
    if node.op == "-":
        return left - right
    if node.op == "*":
        return left * right
    if right == 0:
        raise ValidationError(field, "divides by zero (check the inputs)")
    return left / right


@dataclass(frozen=True)
class Formula:
    """A parsed valuation formula. Build one with :func:`parse_formula`."""

    text: str
    _tree: _Node = field(repr=False, compare=False)

    @property
    def names(self) -> tuple[str, ...]:
        """The input names the formula uses, in order of first use."""
        return tuple(dict.fromkeys(_names(self._tree)))

    def evaluate(self, values: Mapping[str, Decimal], field: str = "formula") -> Decimal:
        """The formula's value for these inputs, exact to 28 significant digits (not rounded).

        Raises:
            ValidationError: an input is missing, or the formula divides by zero or overflows.
        """
        missing = [n for n in self.names if n not in values]
        if missing:
            raise ValidationError(field, f"needs a value for {', '.join(missing)}")
        with localcontext() as ctx:
            ctx.prec = 28
            ctx.traps[DivisionByZero] = True
            try:
                result = _evaluate(self._tree, values, field)
            except (InvalidOperation, ArithmeticError):
                raise ValidationError(field, "cannot be worked out for these inputs") from None
        if not result.is_finite() or abs(result) > NUMBER_MAX:
            raise ValidationError(field, "gives a value too large to be right (check the inputs)")
        return result


def parse_formula(text: str, field: str = "formula") -> Formula:
    """Parse a valuation formula such as ``discount_pct / 100 * households * monthly_bill * 12``.

    Numbers are decimal literals; names are input names (letters, digits and ``_``); operators are
    ``+ - * /`` (or ``− × ÷``) with the usual precedence, and brackets. Nothing is ever ``eval``'d.

    Raises:
        ValidationError: the formula cannot be read (the message says where).
    """
    if len(text) > FORMULA_MAX:
        raise ValidationError(field, f"is too long ({len(text)} characters; the limit is {FORMULA_MAX})")
    return Formula(text.strip(), _Parser(text, field).parse())


