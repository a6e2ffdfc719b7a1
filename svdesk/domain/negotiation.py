"""The negotiation checklist: citizen-benefit asks put to suppliers, and what each supplier offered and agreed.

An :class:`Ask` is a library entry: the question to put to a supplier, why it matters, how to value it (a
formula over named inputs), the evidence to request and the contract wording for when it is agreed. A tender's
:class:`Checklist` holds its own copy of each ask (a :class:`ChecklistItem`, so editing the library never
changes a past tender) and one :class:`Outcome` per supplier and ask: the status (not asked → asked →
considering → offered → agreed, or declined), the supplier's offer, the value to residents, the cost to the
council and the history of status changes.

All values are frozen dataclasses holding ``Decimal`` numbers. Edits are pure functions taking and returning a
:class:`~svdesk.domain.tender.Tender`; an invalid edit raises :class:`~svdesk.errors.ValidationError` naming
the field. ``svdesk.domain.tender`` imports this module (a tender holds a checklist), so the tender types are
imported inside the functions that need them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, localcontext
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from svdesk.errors import ValidationError

if TYPE_CHECKING:
    from svdesk.domain.tender import Bid, Commitment, Locality, Tender, Theme

#: The contract categories asks are filed under, with their names as an officer reads them. A tender whose
#: category is not listed here is offered the "any contract" asks.
CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "ict": "ICT and telecoms",
        "energy": "Energy",
        "transport": "Transport and fleet",
        "construction": "Construction",
        "facilities": "Facilities management",
        "waste": "Waste and recycling",
        "care": "Care and support",
        "professional": "Professional services",
        "any": "Any contract",
    }
)

ASK_ID_MAX = 60
NAME_MAX = 40
FORMULA_MAX = 500
#: Largest magnitude of a valuation input or result: anything larger is a typo.
NUMBER_MAX = Decimal("1000000000000")
_PENNY = Decimal("0.01")


class AskStatus(StrEnum):
    """Where one ask stands with one supplier."""

    NOT_ASKED = "not_asked"
    ASKED = "asked"
    CONSIDERING = "considering"
    OFFERED = "offered"
    AGREED = "agreed"
    DECLINED = "declined"

    @property
    def label(self) -> str:
        """The status as an officer reads it."""
        return self.value.replace("_", " ").capitalize()

    @property
    def is_closed(self) -> bool:
        """Agreed or declined: the supplier has given a final answer."""
        return self in (AskStatus.AGREED, AskStatus.DECLINED)

    @property
    def is_put(self) -> bool:
        """The ask has been put to the supplier (anything but not asked)."""
        return self is not AskStatus.NOT_ASKED


#: Allowed moves. Forward steps may be skipped (a supplier can agree on the spot); a mistaken tick can be
#: taken back one step; agreed and declined asks can be reopened, which the outcome's history records.
STATUS_TRANSITIONS: Mapping[AskStatus, frozenset[AskStatus]] = MappingProxyType(
    {
        AskStatus.NOT_ASKED: frozenset(
            {AskStatus.ASKED, AskStatus.CONSIDERING, AskStatus.OFFERED, AskStatus.AGREED, AskStatus.DECLINED}
        ),
        AskStatus.ASKED: frozenset(
            {AskStatus.NOT_ASKED, AskStatus.CONSIDERING, AskStatus.OFFERED, AskStatus.AGREED, AskStatus.DECLINED}
        ),
        AskStatus.CONSIDERING: frozenset(
            {AskStatus.ASKED, AskStatus.OFFERED, AskStatus.AGREED, AskStatus.DECLINED}
        ),
        AskStatus.OFFERED: frozenset({AskStatus.CONSIDERING, AskStatus.AGREED, AskStatus.DECLINED}),
        AskStatus.AGREED: frozenset({AskStatus.ASKED, AskStatus.CONSIDERING, AskStatus.OFFERED, AskStatus.DECLINED}),
        AskStatus.DECLINED: frozenset({AskStatus.ASKED, AskStatus.CONSIDERING, AskStatus.OFFERED, AskStatus.AGREED}),
    }
)


class ReportingFrequency(StrEnum):
    """How often the supplier reports on an agreed ask."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    ANNUALLY = "annually"
    ON_COMPLETION = "on_completion"

    @property
    def label(self) -> str:
        """The frequency as it reads in a contract schedule."""
        return {
            "monthly": "Monthly",
            "quarterly": "Quarterly",
            "half_yearly": "Every six months",
            "annually": "Annually",
            "on_completion": "Once, on completion",
        }[self.value]


class DeliveredBy(StrEnum):
    """Who delivers an agreed benefit."""

    SUPPLIER = "supplier"
    LOCAL_SME = "local_sme"
    OTHER_PARTNER = "other_partner"

    @property
    def label(self) -> str:
        """Who delivers, as an officer reads it."""
        return {"supplier": "The supplier", "local_sme": "Local SME partner", "other_partner": "Other partner"}[
            self.value
        ]


@dataclass(frozen=True)
class ValuationInput:
    """A named number the officer enters to value an ask, e.g. ``households`` (eligible households)."""

    name: str
    label: str
    unit: str = ""
    default: Decimal | None = None


@dataclass(frozen=True)
class Ask:
    """One citizen-benefit ask: what to put to a supplier, and how to value, evidence and contract it.

    Attributes:
        id: stable identifier (letters, digits, ``-``, ``_``, ``.``), e.g. ``ict-resident-broadband-discount``.
        title: a short name for lists and reports.
        theme: the social-value theme the benefit falls under.
        categories: the contract categories it suits (keys of :data:`CATEGORIES`; ``any`` for every contract).
        question: the question to put to the supplier, in the officer's words.
        why: why it matters to residents (for the printed checklist).
        formula: how to value it per year in £, over the named ``inputs`` (``""`` when valued by hand),
            e.g. ``discount_pct / 100 * households * monthly_bill * 12``.
        inputs: the named numbers the formula uses, with labels and optional defaults.
        how_to_value: notes on valuing it (where to find the numbers, what not to count).
        evidence: what evidence to request from the supplier.
        clause: contract clause wording for when it is agreed.
        kpi: the key performance indicator the supplier reports against.
        reporting: how often the supplier reports.
    """

    id: str
    title: str
    theme: Theme
    categories: tuple[str, ...] = ("any",)
    question: str = ""
    why: str = ""
    formula: str = ""
    inputs: tuple[ValuationInput, ...] = ()
    how_to_value: str = ""
    evidence: str = ""
    clause: str = ""
    kpi: str = ""
    reporting: ReportingFrequency = ReportingFrequency.ANNUALLY

    def input(self, name: str) -> ValuationInput:
        """The valuation input with this name.

        Raises:
            ValidationError: no such input.
        """
        for i in self.inputs:
            if i.name == name:
                return i
        raise ValidationError("inputs", f"{self.title} has no input {name!r}")


@dataclass(frozen=True)
class ChecklistItem:
    """An ask on one tender's checklist: the tender's own copy of the ask, and whether the officer wrote it."""

    ask: Ask
    custom: bool = False


@dataclass(frozen=True)
class StatusChange:
    """One change of an outcome's status, kept so that reopening an agreed or declined ask shows."""

    on: date
    old: AskStatus
    new: AskStatus
    note: str = ""

    @property
    def reopened(self) -> bool:
        """The change took back a final answer (agreed or declined)."""
        return self.old.is_closed and self.new is not self.old


@dataclass(frozen=True)
class Outcome:
    """What one supplier said to one ask.

    Attributes:
        ask_id: the ask on the checklist.
        supplier: the supplier (the name of a bid on the tender).
        status: where the ask stands with this supplier.
        offer: the supplier's offer, in their words.
        inputs: valuation inputs the officer entered (by name), used with the ask's formula.
        value_entered: value to residents per year (£) entered directly; overrides the formula.
        beneficiaries: the number of residents (or households, sites …) who benefit.
        cost_to_council: what the benefit costs the council per year (£); ideally nothing.
        delivered_by: who delivers it.
        partner: the named partner when a local SME or another partner delivers.
        follow_up: when to chase the supplier.
        notes: the officer's notes.
        history: every status change, oldest first.
    """

    ask_id: str
    supplier: str
    status: AskStatus = AskStatus.NOT_ASKED
    offer: str = ""
    inputs: Mapping[str, Decimal] = field(default_factory=dict)
    value_entered: Decimal | None = None
    beneficiaries: int | None = None
    cost_to_council: Decimal = Decimal(0)
    delivered_by: DeliveredBy = DeliveredBy.SUPPLIER
    partner: str = ""
    follow_up: date | None = None
    notes: str = ""
    history: tuple[StatusChange, ...] = ()

    @property
    def reopened(self) -> bool:
        """An agreed or declined answer was taken back at some point."""
        return any(h.reopened for h in self.history)


@dataclass(frozen=True)
class Checklist:
    """A tender's negotiation checklist: the asks in order and what each supplier said to them.

    ``Checklist()`` is the empty checklist. ``outcomes`` hold at most one outcome per (ask, supplier); an ask
    with no outcome for a supplier has not been asked of them.
    """

    items: tuple[ChecklistItem, ...] = ()
    outcomes: tuple[Outcome, ...] = ()

    def __post_init__(self) -> None:
        # One canonical order — outcomes grouped by ask in checklist order, stable within an ask — so two
        # checklists saying the same thing are equal and the tender file's round trip is exact.
        order = {item.ask.id: i for i, item in enumerate(self.items)}
        grouped = tuple(sorted(self.outcomes, key=lambda o: order.get(o.ask_id, len(order))))
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "outcomes", grouped)

    @property
    def asks(self) -> tuple[Ask, ...]:
        """The asks in checklist order."""
        return tuple(i.ask for i in self.items)

    def item(self, ask_id: str) -> ChecklistItem:
        """The checklist item for this ask.

        Raises:
            ValidationError: the ask is not on the checklist.
        """
        found = self._items_by_id.get(ask_id)
        if found is None:
            raise ValidationError("asks", f"there is no ask {ask_id!r} on the checklist")
        return found

    def outcome(self, ask_id: str, supplier: str) -> Outcome:
        """What this supplier said to this ask (a not-asked outcome when nothing is recorded).

        Raises:
            ValidationError: the ask is not on the checklist.
        """
        self.item(ask_id)
        return self._outcomes_by_key.get((ask_id, supplier)) or Outcome(ask_id, supplier)

    # Look-ups computed once per (immutable) checklist: totals over many suppliers stay linear.
    @cached_property
    def _items_by_id(self) -> dict[str, ChecklistItem]:
        return {i.ask.id: i for i in reversed(self.items)}

    @cached_property
    def _outcomes_by_key(self) -> dict[tuple[str, str], Outcome]:
        return {(o.ask_id, o.supplier): o for o in reversed(self.outcomes)}

    def outcomes_for(self, supplier: str) -> tuple[Outcome, ...]:
        """Every ask's outcome for one supplier, in checklist order (not-asked ones included)."""
        return tuple(self.outcome(i.ask.id, supplier) for i in self.items)

    @property
    def suppliers(self) -> tuple[str, ...]:
        """The suppliers with any recorded outcome, in first-recorded order."""
        return tuple(dict.fromkeys(o.supplier for o in self.outcomes))


@dataclass(frozen=True)
class Totals:
    """Progress and value of the asks with one supplier (or summed over suppliers).

    Values count agreed asks only: a declined (or still open) ask counts zero.
    """

    asks: int = 0
    put: int = 0
    open: int = 0
    agreed: int = 0
    declined: int = 0
    value_per_year: Decimal = Decimal(0)
    value_over_term: Decimal = Decimal(0)
    offered_value_per_year: Decimal = Decimal(0)
    beneficiaries: int = 0
    cost_per_year: Decimal = Decimal(0)
    cost_over_term: Decimal = Decimal(0)
    unvalued: int = 0

    @property
    def net_cost_over_term(self) -> Decimal:
        """What the agreed benefits cost the council over the term (£)."""
        return self.cost_over_term

    @property
    def net_benefit_over_term(self) -> Decimal:
        """Value to residents over the term less the council's cost (£)."""
        return self.value_over_term - self.cost_over_term


@dataclass(frozen=True)
class TenderTotals:
    """The checklist's totals per supplier and for the whole tender.

    Attributes:
        years: the contract term the ``over_term`` figures use.
        suppliers: ``(supplier, totals)`` in bid order.
        overall: sums over suppliers (counts of asks put, agreed …; ``value_*`` are summed too, although only
            the winning supplier's benefits will be delivered).
        best_value_per_year: the largest agreed value per year of any one supplier.
    """

    years: int
    suppliers: tuple[tuple[str, Totals], ...]
    overall: Totals
    best_value_per_year: Decimal

    def supplier(self, name: str) -> Totals:
        """One supplier's totals (zero totals for a supplier with none)."""
        return dict(self.suppliers).get(name, Totals())


@dataclass(frozen=True)
class ScheduleRow:
    """One row of the agreed-commitments schedule for the contract (``clause`` has its placeholders filled)."""

    supplier: str
    ask_id: str
    commitment: str
    offer: str
    theme: Theme
    clause: str
    kpi: str
    value_per_year: Decimal | None
    value_over_term: Decimal | None
    beneficiaries: int | None
    cost_to_council: Decimal
    reporting: ReportingFrequency
    delivered_by: DeliveredBy
    partner: str
    follow_up: date | None


# ---------------------------------------------------------------------------------------------------------
# Valuation formulas: a tiny parser (no eval) for + − × ÷ and parentheses over named inputs and numbers
# ---------------------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------------------


def _check_id(value: str, field: str, limit: int = ASK_ID_MAX) -> str:
    if not value or len(value) > limit or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in value):
        raise ValidationError(field, f"{value!r} must be 1–{limit} letters, digits, '-', '_' or '.'")
    return value


def _check_name(value: str, field: str) -> str:
    ok = value and len(value) <= NAME_MAX and value.isascii() and (value[0].isalpha() or value[0] == "_")
    if not ok or not all(c.isalnum() or c == "_" for c in value):
        raise ValidationError(field, f"{value!r} must start with a letter and use only letters, digits and _")
    return value


def _check_number(value: Decimal, field: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or abs(value) > NUMBER_MAX:
        raise ValidationError(field, f"must be a finite number (got {value})")
    return value


def _check_money(value: Decimal, field: str) -> Decimal:
    from svdesk.domain.money import MAX_MONEY

    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValidationError(field, f"must be zero or more (got {value})")
    if value > MAX_MONEY:
        raise ValidationError(field, f"is too large (got {value})")
    if value != value.quantize(_PENNY):
        raise ValidationError(field, f"has more than 2 decimal places (got {value})")
    return value


def check_ask(a: Ask, field: str = "ask") -> Ask:
    """Validate one ask: id, texts, categories, theme, and a formula that uses only its declared inputs.

    Raises:
        ValidationError: names the field, e.g. ``ask.formula``.
    """
    from svdesk.domain.tender import Theme, check_text

    _check_id(a.id, f"{field}.id")
    check_text(a.title, f"{field}.title", required=True, limit=200)
    if not isinstance(a.theme, Theme):
        raise ValidationError(f"{field}.theme", f"{a.theme!r} is not one of: {', '.join(t.value for t in Theme)}")
    if not a.categories:
        raise ValidationError(f"{field}.categories", "needs at least one category (use 'any' for every contract)")
    for i, c in enumerate(a.categories):
        _check_id(c, f"{field}.categories[{i}]", limit=40)
    if len(set(a.categories)) != len(a.categories):
        raise ValidationError(f"{field}.categories", "lists a category twice")
    for name in ("question", "why", "how_to_value", "evidence", "clause", "kpi"):
        check_text(getattr(a, name), f"{field}.{name}")
    if not isinstance(a.reporting, ReportingFrequency):
        raise ValidationError(f"{field}.reporting", f"{a.reporting!r} is not a reporting frequency")
    seen: set[str] = set()
    for i, inp in enumerate(a.inputs):
        where = f"{field}.inputs[{i}]"
        _check_name(inp.name, f"{where}.name")
        if inp.name in seen:
            raise ValidationError(f"{where}.name", f"{inp.name!r} is used twice")
        seen.add(inp.name)
        check_text(inp.label, f"{where}.label", required=True, limit=200)
        check_text(inp.unit, f"{where}.unit", limit=60)
        if inp.default is not None:
            _check_number(inp.default, f"{where}.default")
    if a.formula.strip():
        formula = parse_formula(a.formula, f"{field}.formula")
        unknown = [n for n in formula.names if n not in seen]
        if unknown:
            raise ValidationError(f"{field}.formula", f"uses {', '.join(unknown)}, which is not a declared input")
    elif a.inputs:
        raise ValidationError(f"{field}.formula", "is empty but the ask declares inputs")
    return a


def check_outcome(o: Outcome, ask: Ask | None = None, field: str = "outcome") -> Outcome:
    """Validate one outcome (against its ask when given).

    Raises:
        ValidationError: names the field, e.g. ``outcome.status``.
    """
    from svdesk.domain.tender import check_text

    _check_id(o.ask_id, f"{field}.ask")
    check_text(o.supplier, f"{field}.supplier", required=True, limit=300)
    if o.supplier != o.supplier.strip():
        raise ValidationError(f"{field}.supplier", "must not start or end with spaces")
    if not isinstance(o.status, AskStatus):
        raise ValidationError(f"{field}.status", f"{o.status!r} is not a status")
    check_text(o.offer, f"{field}.offer")
    check_text(o.notes, f"{field}.notes")
    check_text(o.partner, f"{field}.partner", limit=300)
    for name, value in o.inputs.items():
        _check_name(name, f"{field}.inputs")
        _check_number(value, f"{field}.inputs.{name}")
        if ask is not None and name not in {i.name for i in ask.inputs}:
            raise ValidationError(f"{field}.inputs.{name}", f"{ask.title} has no input with this name")
    if o.value_entered is not None:
        _check_money(o.value_entered, f"{field}.value_per_year")
    _check_money(o.cost_to_council, f"{field}.cost_to_council")
    if o.beneficiaries is not None and (isinstance(o.beneficiaries, bool) or not 0 <= o.beneficiaries <= 10**9):
        raise ValidationError(f"{field}.beneficiaries", f"must be a whole number from 0 (got {o.beneficiaries})")
    if o.delivered_by is not DeliveredBy.SUPPLIER and not o.partner.strip():
        raise ValidationError(f"{field}.partner", f"name the partner when it is delivered by a "
                                                  f"{o.delivered_by.label.lower()}")
    previous: AskStatus | None = None
    for i, h in enumerate(o.history):
        where = f"{field}.history[{i}]"
        check_text(h.note, f"{where}.note")
        if h.old is h.new:
            raise ValidationError(where, f"records no change ({h.old.value} to {h.new.value})")
        if previous is not None and h.old is not previous:
            raise ValidationError(f"{where}.from", f"is {h.old.value}, but the change before ended at {previous.value}")
        previous = h.new
    if previous is not None and previous is not o.status:
        raise ValidationError(f"{field}.status", f"is {o.status.value}, but the history ends at {previous.value}")
    return o


def check_checklist(c: Checklist, suppliers: Iterable[str] | None = None, field: str = "asks") -> Checklist:
    """Validate a checklist: each ask, unique ask ids, outcomes that name an ask on the list and (when
    ``suppliers`` is given) one of the tender's suppliers, at most one outcome per ask and supplier.

    Errors name the place as ``asks[2].id`` or ``asks[2].outcomes[0].status`` (the ask's position on the
    checklist, and the outcome's position among that ask's outcomes) — the tender file's layout.

    Raises:
        ValidationError: what is wrong and where.
    """
    index: dict[str, int] = {}
    for i, item in enumerate(c.items):
        check_ask(item.ask, f"{field}[{i}]")
        if item.ask.id in index:
            raise ValidationError(f"{field}[{i}].id", f"{item.ask.id!r} is on the checklist twice")
        index[item.ask.id] = i
    known = None if suppliers is None else set(suppliers)
    counts: dict[str, int] = {}
    seen: set[tuple[str, str]] = set()
    for o in c.outcomes:
        if o.ask_id not in index:
            raise ValidationError(f"{field}.outcomes", f"an outcome is recorded for {o.ask_id!r}, which is not on "
                                                       "the checklist")
        i = index[o.ask_id]
        j = counts.get(o.ask_id, 0)
        counts[o.ask_id] = j + 1
        where = f"{field}[{i}].outcomes[{j}]"
        check_outcome(o, c.items[i].ask, where)
        if known is not None and o.supplier not in known:
            raise ValidationError(f"{where}.supplier", f"{o.supplier!r} has no bid on this tender")
        key = (o.ask_id, o.supplier.casefold())
        if key in seen:
            raise ValidationError(f"{where}.supplier", f"{o.supplier!r} has two outcomes for this ask")
        seen.add(key)
    return c


# ---------------------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------------------


def formula_inputs(ask: Ask, o: Outcome) -> dict[str, Decimal]:
    """The inputs the formula would use for this outcome: the officer's entries over the ask's defaults."""
    values = {i.name: i.default for i in ask.inputs if i.default is not None}
    values.update(o.inputs)
    return values


def computed_value(ask: Ask, o: Outcome) -> Decimal | None:
    """Value to residents per year from the ask's formula and the entered inputs, to the penny (half up).

    ``None`` when the ask has no formula or an input is still missing.

    Raises:
        ValidationError: the formula divides by zero, gives an absurd value or a value below zero for these
            inputs (a benefit is never worth less than nothing); the message names the ask and the supplier.
    """
    if not ask.formula.strip():
        return None
    where = f"asks.{ask.id}.outcomes.{o.supplier}.value_per_year"
    formula = parse_formula(ask.formula, where)
    values = formula_inputs(ask, o)
    if any(n not in values for n in formula.names):
        return None
    about = f"the value of “{ask.title}” ({ask.id}) for {o.supplier}"
    try:
        value = formula.evaluate(values, where)
    except ValidationError as e:
        raise ValidationError(where, f"{about} cannot be worked out: the formula {e.message}") from None
    if value < 0:
        shown = (-value).quantize(_PENNY, rounding=ROUND_HALF_UP)
        raise ValidationError(where, f"{about} comes out below zero (−£{shown:,f} a year from "
                                     f"{ask.formula.strip()}): a benefit cannot be worth less than nothing; check "
                                     f"the inputs, or enter the value directly")
    return value.quantize(_PENNY, rounding=ROUND_HALF_UP)


def value_per_year(ask: Ask, o: Outcome) -> Decimal | None:
    """Value to residents per year (£): entered directly, else computed from the formula, else ``None``.

    A declined ask is worth nothing, whatever was offered before.
    """
    if o.status is AskStatus.DECLINED:
        return Decimal(0)
    if o.value_entered is not None:
        return o.value_entered
    return computed_value(ask, o)


def fill_clause(ask: Ask, o: Outcome) -> str:
    """The ask's contract clause with ``{input}`` placeholders filled from the outcome's inputs (and the
    ask's defaults); placeholders with no value are left for the officer to complete."""
    values = formula_inputs(ask, o)

    def fill(m: re.Match[str]) -> str:
        v = values.get(m.group(1))
        return m.group(0) if v is None else f"{v.normalize():,f}"

    return re.sub(r"\{([A-Za-z_][A-Za-z0-9_]*)\}", fill, ask.clause)


def _term_years(t: Tender, with_extensions: bool) -> int:
    return t.term_years + (t.extension_years if with_extensions else 0)


def supplier_totals(t: Tender, supplier: str, *, with_extensions: bool = False) -> Totals:
    """Progress and value of the checklist with one supplier.

    Value and beneficiaries count agreed asks only; ``offered_value_per_year`` adds up asks offered or
    agreed (what is on the table). Over the term means × the tender's term in years (plus extensions when
    ``with_extensions``).
    """
    years = _term_years(t, with_extensions)
    c = t.checklist
    put = open_ = agreed = declined = beneficiaries = unvalued = 0
    value = offered = cost = Decimal(0)
    for item in c.items:
        o = c.outcome(item.ask.id, supplier)
        if not o.status.is_put:
            continue
        put += 1
        if o.status is AskStatus.DECLINED:
            declined += 1
            continue
        v = value_per_year(item.ask, o)
        if o.status in (AskStatus.OFFERED, AskStatus.AGREED) and v is not None:
            offered += v
        if o.status is AskStatus.AGREED:
            agreed += 1
            if v is None:
                unvalued += 1
            else:
                value += v
            beneficiaries += o.beneficiaries or 0
            cost += o.cost_to_council
        else:
            open_ += 1
    return Totals(
        asks=len(c.items), put=put, open=open_, agreed=agreed, declined=declined,
        value_per_year=value, value_over_term=value * years, offered_value_per_year=offered,
        beneficiaries=beneficiaries, cost_per_year=cost, cost_over_term=cost * years, unvalued=unvalued,
    )


def tender_totals(t: Tender, *, with_extensions: bool = False) -> TenderTotals:
    """The checklist's totals for every supplier (bid order, then any others with outcomes) and overall."""
    names = list(dict.fromkeys([*(b.supplier for b in t.bids), *t.checklist.suppliers]))
    per = tuple((s, supplier_totals(t, s, with_extensions=with_extensions)) for s in names)

    def total(attr: str) -> int:
        return int(sum((getattr(x, attr) for _, x in per), 0))

    def money(attr: str) -> Decimal:
        return Decimal(sum((getattr(x, attr) for _, x in per), Decimal(0)))

    overall = Totals(
        asks=len(t.checklist.items), put=total("put"), open=total("open"), agreed=total("agreed"),
        declined=total("declined"), value_per_year=money("value_per_year"), value_over_term=money("value_over_term"),
        offered_value_per_year=money("offered_value_per_year"), beneficiaries=total("beneficiaries"),
        cost_per_year=money("cost_per_year"), cost_over_term=money("cost_over_term"), unvalued=total("unvalued"),
    )
    best = max((x.value_per_year for _, x in per), default=Decimal(0))
    return TenderTotals(_term_years(t, with_extensions), per, overall, best)


# ---------------------------------------------------------------------------------------------------------
# Edits: pure functions returning a new Tender
# ---------------------------------------------------------------------------------------------------------


def _with_checklist(t: Tender, c: Checklist) -> Tender:

    return replace(t, checklist=c)


def suggest_asks(library: Iterable[Ask], category: str) -> tuple[Ask, ...]:
    """The library's asks for a tender of this category: those filed under it, then the "any contract" ones."""
    lib = list(library)
    own = [a for a in lib if category != "any" and category in a.categories]
    general = [a for a in lib if "any" in a.categories and a not in own]
    return (*own, *general)


def suggested_checklist(library: Iterable[Ask], category: str) -> Checklist:
    """A fresh checklist of the asks suggested for this category."""
    return Checklist(tuple(ChecklistItem(a) for a in suggest_asks(library, category)))


def set_checklist(t: Tender, checklist: Checklist) -> Tender:
    """Replace the tender's whole checklist (e.g. with :func:`suggested_checklist`), checked against its bids."""
    check_checklist(checklist, (b.supplier for b in t.bids))
    return _with_checklist(t, checklist)


def add_ask(t: Tender, ask: Ask, *, custom: bool = False, position: int | None = None) -> Tender:
    """Put an ask on the checklist (at the end, or at ``position``); ``custom`` marks one the officer wrote.

    Raises:
        ValidationError: the ask is invalid or already on the checklist.
    """
    check_ask(ask)
    c = t.checklist
    if any(i.ask.id == ask.id for i in c.items):
        raise ValidationError("ask.id", f"{ask.id!r} is already on the checklist")
    items = list(c.items)
    items.insert(len(items) if position is None else max(0, position), ChecklistItem(ask, custom))
    return _with_checklist(t, Checklist(tuple(items), c.outcomes))


def remove_ask(t: Tender, ask_id: str) -> Tender:
    """Take an ask off the checklist, with every supplier's outcome for it."""
    c = t.checklist
    c.item(ask_id)
    return _with_checklist(
        t,
        Checklist(tuple(i for i in c.items if i.ask.id != ask_id), tuple(o for o in c.outcomes if o.ask_id != ask_id)),
    )


def move_ask(t: Tender, ask_id: str, position: int) -> Tender:
    """Move an ask to ``position`` (0 is the top; positions past the end mean the end)."""
    c = t.checklist
    item = c.item(ask_id)
    items = [i for i in c.items if i.ask.id != ask_id]
    items.insert(max(0, min(position, len(items))), item)
    return _with_checklist(t, Checklist(tuple(items), c.outcomes))


def update_ask(t: Tender, ask_id: str, **changes: object) -> Tender:
    """Change the tender's own copy of an ask (question, formula, inputs, clause …; not its id).

    Raises:
        ValidationError: the change is invalid, renames the ask, or leaves an outcome with an input the
            ask no longer declares.
    """
    c = t.checklist
    item = c.item(ask_id)
    if "id" in changes and changes["id"] != ask_id:
        raise ValidationError("ask.id", "an ask on a checklist cannot be renamed (remove it and add a new one)")
    ask = check_ask(replace_ask(item.ask, changes))
    for o in c.outcomes:
        if o.ask_id == ask_id:
            check_outcome(o, ask)
    items = tuple(ChecklistItem(ask, i.custom) if i.ask.id == ask_id else i for i in c.items)
    return _with_checklist(t, Checklist(items, c.outcomes))


def replace_ask(ask: Ask, changes: Mapping[str, object]) -> Ask:
    """``dataclasses.replace`` for an ask, refusing unknown field names with a clear error."""
    from dataclasses import fields

    known = {f.name for f in fields(Ask)}
    for k in changes:
        if k not in known:
            raise ValidationError(f"ask.{k}", "is not a field of an ask")
    return replace(ask, **changes)  # type: ignore[arg-type]


def _supplier_of(t: Tender, supplier: str) -> str:
    """The bid's exact supplier name (ignoring case and spaces).

    Raises:
        ValidationError: no supplier named, or no bid from them (an ask cannot be agreed without a supplier).
    """
    name = supplier.strip()
    if not name:
        raise ValidationError("supplier", "choose the supplier the ask was put to")
    for b in t.bids:
        if b.supplier.casefold() == name.casefold():
            return b.supplier
    raise ValidationError("supplier", f"{name!r} has no bid on this tender (add the supplier first)")


def _put_outcome(t: Tender, new: Outcome) -> Tender:
    c = t.checklist
    check_outcome(new, c.item(new.ask_id).ask)
    outcomes = list(c.outcomes)
    for k, o in enumerate(outcomes):
        if o.ask_id == new.ask_id and o.supplier == new.supplier:
            outcomes[k] = new
            break
    else:
        outcomes.append(new)
    return _with_checklist(t, Checklist(c.items, tuple(outcomes)))


def set_ask_status(t: Tender, ask_id: str, supplier: str, status: AskStatus, *, on: date, note: str = "") -> Tender:
    """Move an ask along with one supplier, recording the change (and any reopening) in the outcome's history.

    Args:
        on: the date of the change (the store also audits who made it and when).
        note: why, e.g. "Supplier withdrew the offer at the second meeting".

    Raises:
        ValidationError: no such ask or supplier, or the move is not allowed.
    """
    from svdesk.domain.tender import check_text

    if not isinstance(status, AskStatus):
        raise ValidationError("status", f"{status!r} is not a status")
    name = _supplier_of(t, supplier)
    o = t.checklist.outcome(ask_id, name)
    if status is o.status:
        return t
    if status not in STATUS_TRANSITIONS[o.status]:
        allowed = ", ".join(s.value for s in AskStatus if s in STATUS_TRANSITIONS[o.status])
        raise ValidationError("status", f"an ask that is {o.status.label.lower()} cannot become "
                                        f"{status.label.lower()} (it can become: {allowed})")
    change = StatusChange(on, o.status, status, check_text(note, "note"))
    return _put_outcome(t, replace_outcome(o, {"status": status, "history": (*o.history, change)}))


_OUTCOME_EDITABLE = frozenset(
    {"offer", "inputs", "value_entered", "beneficiaries", "cost_to_council", "delivered_by", "partner",
     "follow_up", "notes"}
)


def replace_outcome(o: Outcome, changes: Mapping[str, object]) -> Outcome:
    """``dataclasses.replace`` for an outcome, refusing unknown field names with a clear error."""
    from dataclasses import fields

    known = {f.name for f in fields(Outcome)}
    for k in changes:
        if k not in known:
            raise ValidationError(f"outcome.{k}", "is not a field of an outcome")
    return replace(o, **changes)  # type: ignore[arg-type]


def update_outcome(t: Tender, ask_id: str, supplier: str, **changes: object) -> Tender:
    """Record what a supplier offered for an ask: ``offer``, ``inputs``, ``value_entered``, ``beneficiaries``,
    ``cost_to_council``, ``delivered_by``, ``partner``, ``follow_up``, ``notes``.

    The status changes only through :func:`set_ask_status` (so every change is in the history).

    Raises:
        ValidationError: an unknown or invalid field, or no such ask or supplier.
    """
    for k in changes:
        if k not in _OUTCOME_EDITABLE:
            hint = " (use set_ask_status)" if k in ("status", "history") else ""
            raise ValidationError(f"outcome.{k}", f"cannot be changed here{hint}")
    if "inputs" in changes and isinstance(changes["inputs"], Mapping):
        changes = {**changes, "inputs": dict(changes["inputs"])}
    for k in ("offer", "partner", "notes"):
        if isinstance(changes.get(k), str):
            changes = {**changes, k: str(changes[k]).strip()}
    name = _supplier_of(t, supplier)
    o = t.checklist.outcome(ask_id, name)
    return _put_outcome(t, replace_outcome(o, changes))


def set_input(t: Tender, ask_id: str, supplier: str, name: str, value: Decimal | None) -> Tender:
    """Enter (or clear, with ``None``) one valuation input for a supplier's outcome."""
    ask = t.checklist.item(ask_id).ask
    ask.input(name)
    o = t.checklist.outcome(ask_id, _supplier_of(t, supplier))
    inputs = dict(o.inputs)
    if value is None:
        inputs.pop(name, None)
    else:
        inputs[name] = _check_number(value, f"inputs.{name}")
    return update_outcome(t, ask_id, o.supplier, inputs=inputs)


def drop_supplier(c: Checklist, supplier: str) -> Checklist:
    """The checklist without any outcome for this supplier (when their bid is removed)."""
    return Checklist(c.items, tuple(o for o in c.outcomes if o.supplier != supplier))


# ---------------------------------------------------------------------------------------------------------
# Agreed asks become commitments of the bid and rows of the commitments schedule
# ---------------------------------------------------------------------------------------------------------


def agreed_outcomes(c: Checklist, supplier: str) -> tuple[tuple[Ask, Outcome], ...]:
    """The asks this supplier agreed, in checklist order."""
    return tuple(
        (i.ask, o) for i in c.items if (o := c.outcome(i.ask.id, supplier)).status is AskStatus.AGREED
    )


def commitment_for(ask: Ask, o: Outcome, years: int, locality: Locality | None = None) -> Commitment:
    """The bid commitment for an agreed ask: value per year × ``years`` (quantity = years, unit = £ per year).

    Raises:
        ValidationError: the ask is not agreed, or has no value yet.
    """
    from svdesk.domain.tender import Commitment, Locality

    if o.status is not AskStatus.AGREED:
        raise ValidationError("status", f"{ask.title} is {o.status.label.lower()}, not agreed")
    v = value_per_year(ask, o)
    if v is None:
        raise ValidationError("value_per_year", f"{ask.title} has no value yet (enter the inputs or a value)")
    return Commitment(
        measure=ask.title,
        quantity=Decimal(years),
        unit_value=max(v, Decimal(0)).quantize(_PENNY),
        description=o.offer,
        theme=ask.theme,
        locality=Locality.LOCAL if locality is None else locality,
        from_ask=ask.id,
    )


def apply_agreed_asks(
    t: Tender,
    supplier: str,
    ask_ids: Iterable[str] | None = None,
    *,
    with_extensions: bool = False,
    locality: Locality | None = None,
) -> Tender:
    """Make a supplier's agreed asks commitments of their bid (the officer chooses when, and which).

    The bid's commitments that came from asks (``from_ask`` set) are replaced by the chosen agreed asks;
    commitments entered by hand are kept. Each is worth value per year × the contract term.

    Args:
        ask_ids: which agreed asks to include (all agreed asks with a value when ``None``).
        locality: where the benefits land (local, the council's own area, when ``None``).

    Raises:
        ValidationError: a chosen ask is not agreed by this supplier or has no value yet.
    """

    from svdesk.domain.tender import set_commitments

    name = _supplier_of(t, supplier)
    years = _term_years(t, with_extensions)
    agreed = agreed_outcomes(t.checklist, name)
    if ask_ids is None:
        chosen = [(a, o) for a, o in agreed if value_per_year(a, o) is not None]
    else:
        wanted = list(dict.fromkeys(ask_ids))
        by_id = {a.id: (a, o) for a, o in agreed}
        for ask_id in wanted:
            t.checklist.item(ask_id)
            if ask_id not in by_id:
                raise ValidationError("asks", f"{name} has not agreed {t.checklist.item(ask_id).ask.title!r}")
        chosen = [by_id[i] for i in wanted]
    bid: Bid = t.bid(name)
    kept = tuple(cm for cm in bid.commitments if cm.from_ask is None)
    new = tuple(commitment_for(a, o, years, locality) for a, o in chosen)
    result = set_commitments(t, name, (*kept, *new))
    return replace(result, checklist=t.checklist)


def commitments_schedule(
    t: Tender, supplier: str | None = None, *, with_extensions: bool = False
) -> tuple[ScheduleRow, ...]:
    """Rows of the agreed-commitments schedule: each agreed ask with its clause, KPI, value and reporting.

    Args:
        supplier: one supplier's rows (every supplier's, in bid order, when ``None``).
    """
    years = _term_years(t, with_extensions)
    c = t.checklist
    if supplier is None:
        names = list(dict.fromkeys([*(b.supplier for b in t.bids), *c.suppliers]))
    else:
        names = [_supplier_of(t, supplier)]
    rows: list[ScheduleRow] = []
    for name in names:
        for ask, o in agreed_outcomes(c, name):
            v = value_per_year(ask, o)
            rows.append(
                ScheduleRow(
                    supplier=name, ask_id=ask.id, commitment=ask.title, offer=o.offer, theme=ask.theme,
                    clause=fill_clause(ask, o), kpi=ask.kpi, value_per_year=v,
                    value_over_term=None if v is None else v * years,
                    beneficiaries=o.beneficiaries, cost_to_council=o.cost_to_council, reporting=ask.reporting,
                    delivered_by=o.delivered_by, partner=o.partner, follow_up=o.follow_up,
                )
            )
    return tuple(rows)
