"""The negotiation checklist: citizen-benefit asks put to suppliers, and what each supplier offered and agreed.

An :class:`Ask` is a library entry: the question to put to a supplier, why it matters, how to value it (a
formula over named inputs, :mod:`svdesk.domain.formula`), the evidence to request and the contract wording for
when it is agreed. A tender's :class:`Checklist` holds its own copy of each ask (a :class:`ChecklistItem`, so
editing the library never changes a past tender) and one :class:`Outcome` per supplier and ask: the status (not
asked → asked → considering → offered → agreed, or declined), the supplier's offer, the value to residents, the
cost to the council and the history of status changes.

All values are frozen dataclasses holding ``Decimal`` numbers, checked by the ``check_*`` functions here. The
edits that take and return a whole tender are in :mod:`svdesk.domain.negotiation`; this module knows nothing of
the tender (which holds a checklist), so there is no import circle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType

from svdesk.domain.formula import NUMBER_MAX, parse_formula
from svdesk.domain.values import Theme, check_text
from svdesk.errors import ValidationError

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
PENNY = Decimal("0.01")


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


def check_number(value: Decimal, field: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or abs(value) > NUMBER_MAX:
        raise ValidationError(field, f"must be a finite number (got {value})")
    return value


def _check_money(value: Decimal, field: str) -> Decimal:
    from svdesk.domain.money import MAX_MONEY

    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValidationError(field, f"must be zero or more (got {value})")
    if value > MAX_MONEY:
        raise ValidationError(field, f"is too large (got {value})")
    if value != value.quantize(PENNY):
        raise ValidationError(field, f"has more than 2 decimal places (got {value})")
    return value


def check_ask(a: Ask, field: str = "ask") -> Ask:
    """Validate one ask: id, texts, categories, theme, and a formula that uses only its declared inputs.

    Raises:
        ValidationError: names the field, e.g. ``ask.formula``.
    """
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
            check_number(inp.default, f"{where}.default")
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
        check_number(value, f"{field}.inputs.{name}")
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
        shown = (-value).quantize(PENNY, rounding=ROUND_HALF_UP)
        raise ValidationError(where, f"{about} comes out below zero (−£{shown:,f} a year from "
                                     f"{ask.formula.strip()}): a benefit cannot be worth less than nothing; check "
                                     f"the inputs, or enter the value directly")
    return value.quantize(PENNY, rounding=ROUND_HALF_UP)


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


def drop_supplier(c: Checklist, supplier: str) -> Checklist:
    """The checklist without any outcome for this supplier (when their bid is removed)."""
    return Checklist(c.items, tuple(o for o in c.outcomes if o.supplier != supplier))


