"""The ``asks`` section of the tender file: the negotiation checklist, and the JSON form of one ask.

The section is a list with one object per ask on the checklist, in checklist order: the ask's own fields
(the same as in an asks library file, see :mod:`svdesk.io.asks_library`), ``custom``, and ``outcomes`` — what
each supplier said to it. ``docs/tender-file.md`` describes every field. Problems raise
:class:`~svdesk.errors.ValidationError` whose field is the JSON path (``$.asks[2].outcomes[0].status``);
the tender-file reader adds the file name.

Numbers are written as decimal strings, so nothing is lost to floats and the round trip is exact.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from svdesk.domain.checklist import (
    Ask,
    AskStatus,
    Checklist,
    ChecklistItem,
    DeliveredBy,
    Outcome,
    ReportingFrequency,
    StatusChange,
    ValuationInput,
    check_ask,
    check_checklist,
)
from svdesk.domain.money import parse_money, to_decimal
from svdesk.domain.values import Theme
from svdesk.errors import ValidationError

E = TypeVar("E", bound=StrEnum)

ASK_FIELDS = frozenset(
    {"id", "title", "theme", "categories", "question", "why", "formula", "inputs", "how_to_value", "evidence",
     "clause", "kpi", "reporting"}
)
_ITEM_FIELDS = ASK_FIELDS | {"custom", "outcomes"}
_INPUT_FIELDS = frozenset({"name", "label", "unit", "default"})
_OUTCOME_FIELDS = frozenset(
    {"supplier", "status", "offer", "inputs", "value_per_year", "beneficiaries", "cost_to_council", "delivered_by",
     "partner", "follow_up", "notes", "history"}
)
_CHANGE_FIELDS = frozenset({"on", "from", "to", "note"})
MAX_ASKS = 1000
MAX_OUTCOMES = 200


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", Decimal: "a number"}.get(
        type(value), type(value).__name__
    )


def _obj(value: object, where: str, allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(where, f"must be an object, not {_kind(value)}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ValidationError(f"{where}.{unknown[0]}", f"unknown field (expected one of: {', '.join(sorted(allowed))})")
    return value


def _list(value: object, where: str, limit: int) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValidationError(where, f"must be a list, not {_kind(value)}")
    if len(value) > limit:
        raise ValidationError(where, f"has too many entries ({len(value)}; the limit is {limit})")
    return value


def _text(value: object, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(where, f"must be text, not {_kind(value)}")
    return value


def _enum(cls: type[E], value: Any, where: str, default: E | None = None) -> E:
    if value is None and default is not None:
        return default
    try:
        return cls(value)
    except ValueError:
        raise ValidationError(where, f"{value!r} is not one of: {', '.join(m.value for m in cls)}") from None


def _number(value: object, where: str) -> Decimal:
    try:
        return to_decimal(value, where)
    except ValidationError as e:
        raise ValidationError(where, e.message) from None


def _money(value: object, where: str) -> Decimal:
    try:
        return parse_money(value, where)
    except ValidationError as e:
        raise ValidationError(where, e.message) from None


def _day(value: object, where: str) -> date:
    text = _text(value, where)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(where, f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _whole(value: object, where: str) -> int:
    d = _number(value, where)
    if d != d.to_integral_value():
        raise ValidationError(where, f"must be a whole number (got {value})")
    return int(d)


def read_ask(value: object, where: str, allowed: frozenset[str] = ASK_FIELDS) -> Ask:
    """Read one ask object (as in a library file or an ``asks`` entry) and validate it.

    Raises:
        ValidationError: the field is the JSON path of the problem, e.g. ``$.asks[3].formula``.
    """
    o = _obj(value, where, allowed)
    for name in ("id", "title", "theme"):
        if name not in o:
            raise ValidationError(f"{where}.{name}", "is missing")
    categories = o.get("categories", ["any"])
    inputs = []
    for i, v in enumerate(_list(o.get("inputs"), f"{where}.inputs", 50)):
        w = f"{where}.inputs[{i}]"
        io = _obj(v, w, _INPUT_FIELDS)
        inputs.append(
            ValuationInput(
                name=_text(io.get("name"), f"{w}.name"),
                label=_text(io.get("label"), f"{w}.label"),
                unit=_text(io.get("unit"), f"{w}.unit"),
                default=None if io.get("default") is None else _number(io["default"], f"{w}.default"),
            )
        )
    ask = Ask(
        id=_text(o.get("id"), f"{where}.id"),
        title=_text(o.get("title"), f"{where}.title"),
        theme=_enum(Theme, o.get("theme"), f"{where}.theme"),
        categories=tuple(
            _text(c, f"{where}.categories[{i}]")
            for i, c in enumerate(_list(categories, f"{where}.categories", 20))
        ),
        question=_text(o.get("question"), f"{where}.question"),
        why=_text(o.get("why"), f"{where}.why"),
        formula=_text(o.get("formula"), f"{where}.formula"),
        inputs=tuple(inputs),
        how_to_value=_text(o.get("how_to_value"), f"{where}.how_to_value"),
        evidence=_text(o.get("evidence"), f"{where}.evidence"),
        clause=_text(o.get("clause"), f"{where}.clause"),
        kpi=_text(o.get("kpi"), f"{where}.kpi"),
        reporting=_enum(ReportingFrequency, o.get("reporting"), f"{where}.reporting", ReportingFrequency.ANNUALLY),
    )
    return check_ask(ask, where)


def ask_to_json(a: Ask) -> dict[str, Any]:
    """The JSON object for one ask (numbers as ``Decimal``; the tender-file writer prints them as strings)."""
    d: dict[str, Any] = {"id": a.id, "title": a.title, "theme": a.theme.value, "categories": list(a.categories)}
    for name in ("question", "why", "formula"):
        if getattr(a, name):
            d[name] = getattr(a, name)
    if a.inputs:
        d["inputs"] = [_input_json(i) for i in a.inputs]
    for name in ("how_to_value", "evidence", "clause", "kpi"):
        if getattr(a, name):
            d[name] = getattr(a, name)
    d["reporting"] = a.reporting.value
    return d


def _input_json(i: ValuationInput) -> dict[str, Any]:
    d: dict[str, Any] = {"name": i.name, "label": i.label}
    if i.unit:
        d["unit"] = i.unit
    if i.default is not None:
        d["default"] = i.default
    return d


def _read_outcome(value: object, ask_id: str, where: str) -> Outcome:
    o = _obj(value, where, _OUTCOME_FIELDS)
    if "supplier" not in o:
        raise ValidationError(f"{where}.supplier", "is missing")
    inputs_obj = o.get("inputs")
    if inputs_obj is not None and not isinstance(inputs_obj, dict):
        raise ValidationError(f"{where}.inputs", f"must be an object, not {_kind(inputs_obj)}")
    history = []
    for i, v in enumerate(_list(o.get("history"), f"{where}.history", 1000)):
        w = f"{where}.history[{i}]"
        h = _obj(v, w, _CHANGE_FIELDS)
        history.append(
            StatusChange(
                on=_day(h.get("on"), f"{w}.on"),
                old=_enum(AskStatus, h.get("from"), f"{w}.from"),
                new=_enum(AskStatus, h.get("to"), f"{w}.to"),
                note=_text(h.get("note"), f"{w}.note"),
            )
        )
    beneficiaries = o.get("beneficiaries")
    return Outcome(
        ask_id=ask_id,
        supplier=_text(o.get("supplier"), f"{where}.supplier"),
        status=_enum(AskStatus, o.get("status"), f"{where}.status", AskStatus.NOT_ASKED),
        offer=_text(o.get("offer"), f"{where}.offer"),
        inputs={str(k): _number(v, f"{where}.inputs.{k}") for k, v in (inputs_obj or {}).items()},
        value_entered=None if o.get("value_per_year") is None else _money(o["value_per_year"],
                                                                          f"{where}.value_per_year"),
        beneficiaries=None if beneficiaries is None else _whole(beneficiaries, f"{where}.beneficiaries"),
        cost_to_council=Decimal(0) if o.get("cost_to_council") is None else _money(o["cost_to_council"],
                                                                                   f"{where}.cost_to_council"),
        delivered_by=_enum(DeliveredBy, o.get("delivered_by"), f"{where}.delivered_by", DeliveredBy.SUPPLIER),
        partner=_text(o.get("partner"), f"{where}.partner"),
        follow_up=None if o.get("follow_up") is None else _day(o["follow_up"], f"{where}.follow_up"),
        notes=_text(o.get("notes"), f"{where}.notes"),
        history=tuple(history),
    )


def _outcome_json(o: Outcome, *, private: bool) -> dict[str, Any]:
    d: dict[str, Any] = {"supplier": o.supplier, "status": o.status.value}
    if o.offer:
        d["offer"] = o.offer
    if o.inputs:
        d["inputs"] = dict(o.inputs)
    if o.value_entered is not None:
        d["value_per_year"] = o.value_entered
    if o.beneficiaries is not None:
        d["beneficiaries"] = o.beneficiaries
    if o.cost_to_council:
        d["cost_to_council"] = o.cost_to_council
    if o.delivered_by is not DeliveredBy.SUPPLIER:
        d["delivered_by"] = o.delivered_by.value
    if o.partner:
        d["partner"] = o.partner
    if o.follow_up is not None:
        d["follow_up"] = o.follow_up
    if private and o.notes:
        d["notes"] = o.notes
    if o.history:
        # A note on a status change is the officer's, as private as the outcome's notes ("they would go lower").
        d["history"] = [
            {"on": h.on, "from": h.old.value, "to": h.new.value, **({"note": h.note} if private and h.note else {})}
            for h in o.history
        ]
    return d


def read_asks(value: object, where: str) -> Checklist:
    """Read the ``asks`` section (``where`` is its JSON path, for error messages).

    An absent or empty section is the empty checklist. Suppliers are checked against the bids later, by
    :func:`~svdesk.domain.tender.check_tender`.

    Raises:
        ValidationError: the field is the JSON path of the problem, e.g. ``$.asks[2].outcomes[0].status``.
    """
    items: list[ChecklistItem] = []
    outcomes: list[Outcome] = []
    for i, v in enumerate(_list(value, where, MAX_ASKS)):
        w = f"{where}[{i}]"
        ask = read_ask(v, w, _ITEM_FIELDS)
        o = _obj(v, w, _ITEM_FIELDS)
        custom = o.get("custom", False)
        if not isinstance(custom, bool):
            raise ValidationError(f"{w}.custom", f"must be true or false, not {_kind(custom)}")
        items.append(ChecklistItem(ask, custom))
        outcomes.extend(
            _read_outcome(x, ask.id, f"{w}.outcomes[{j}]")
            for j, x in enumerate(_list(o.get("outcomes"), f"{w}.outcomes", MAX_OUTCOMES))
        )
    return check_checklist(Checklist(tuple(items), tuple(outcomes)), field=where)


def write_asks(checklist: Checklist, *, private: bool = True) -> list[object] | None:
    """The ``asks`` section for a checklist, or ``None`` when there is nothing to write.

    Args:
        private: include the officer's notes on each outcome and on each status change in its history
            (``False`` for files sent outside the council: the dates and statuses stay).
    """
    if not checklist.items:
        return None
    by_ask: Mapping[str, list[Outcome]] = {i.ask.id: [] for i in checklist.items}
    for o in checklist.outcomes:
        by_ask[o.ask_id].append(o)
    out: list[object] = []
    for item in checklist.items:
        d = ask_to_json(item.ask)
        if item.custom:
            d["custom"] = True
        d["outcomes"] = [_outcome_json(o, private=private) for o in by_ask[item.ask.id]]
        out.append(d)
    return out
