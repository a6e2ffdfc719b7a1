"""Negotiation over a whole tender: the checklist's edits, each supplier's totals, and agreed asks turned into
the bid's commitments and the commitments schedule.

Edits are pure functions taking and returning a :class:`~svdesk.domain.tender.Tender`; an invalid edit raises
:class:`~svdesk.errors.ValidationError` naming the field. The checklist's values and checks are in
:mod:`svdesk.domain.checklist`, the valuation formulas in :mod:`svdesk.domain.formula`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal

from svdesk.domain.checklist import (
    PENNY,
    STATUS_TRANSITIONS,
    Ask,
    AskStatus,
    Checklist,
    ChecklistItem,
    Outcome,
    ScheduleRow,
    StatusChange,
    TenderTotals,
    Totals,
    check_ask,
    check_checklist,
    check_number,
    check_outcome,
    fill_clause,
    value_per_year,
)
from svdesk.domain.tender import Bid, Tender, set_commitments
from svdesk.domain.values import Commitment, Locality, check_text
from svdesk.errors import ValidationError


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
        inputs[name] = check_number(value, f"inputs.{name}")
    return update_outcome(t, ask_id, o.supplier, inputs=inputs)


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
    if o.status is not AskStatus.AGREED:
        raise ValidationError("status", f"{ask.title} is {o.status.label.lower()}, not agreed")
    v = value_per_year(ask, o)
    if v is None:
        raise ValidationError("value_per_year", f"{ask.title} has no value yet (enter the inputs or a value)")
    return Commitment(
        measure=ask.title,
        quantity=Decimal(years),
        unit_value=max(v, Decimal(0)).quantize(PENNY),
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

