"""The ``panel`` section of the tender file: the evaluation panel, declarations of interest, packs sent.

See ``docs/tender-file.md``. Reading raises :class:`~svdesk.errors.ValidationError` at a field under
``panel`` (the tender file reader places it at ``$.panel…``); the panel's own rules are then checked with the
whole tender (:func:`svdesk.domain.panel.check_panel`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from svdesk.domain.panel import Declaration, Member, Mitigation, Panel, Role
from svdesk.errors import ValidationError

_PANEL_FIELDS = {"members", "proceed_reason"}
_MEMBER_FIELDS = {"initials", "name", "role", "declaration", "pack_sent", "pack_sha256", "returned",
                  "return_sha256"}
_DECLARATION_FIELDS = {"declared_on", "conflict", "details", "bidders", "mitigation", "mitigation_text"}


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(type(value), "a number")


def _obj(value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(where, f"must be an object, not {_kind(value)}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ValidationError(f"{where}.{unknown[0]}", f"unknown field (expected one of: {', '.join(sorted(allowed))})")
    return value


def _text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(where, f"must be text, not {_kind(value)}")
    return value


def _enum(cls: Any, value: Any, where: str, default: Any) -> Any:
    if value is None:
        return default
    try:
        return cls(value)
    except ValueError:
        raise ValidationError(where, f"{value!r} is not one of: {', '.join(m.value for m in cls)}") from None


def _moment(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    text = _text(value, where)
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(where, f"{text!r} is not a date and time (ISO 8601 with a time zone)") from None
    if at.tzinfo is None:
        raise ValidationError(where, f"{text!r} needs a time zone (e.g. +00:00)")
    return at


def _declaration(value: Any, where: str) -> Declaration | None:
    if value is None:
        return None
    d = _obj(value, where, _DECLARATION_FIELDS)
    day = _text(d.get("declared_on"), f"{where}.declared_on")
    try:
        declared_on = date.fromisoformat(day)
    except ValueError:
        raise ValidationError(f"{where}.declared_on", f"{day!r} is not a date (use YYYY-MM-DD)") from None
    conflict = d.get("conflict", False)
    if not isinstance(conflict, bool):
        raise ValidationError(f"{where}.conflict", f"must be true or false, not {_kind(conflict)}")
    bidders = d.get("bidders") or []
    if not isinstance(bidders, list):
        raise ValidationError(f"{where}.bidders", f"must be a list, not {_kind(bidders)}")
    return Declaration(
        declared_on=declared_on, conflict=conflict, details=_text(d.get("details"), f"{where}.details"),
        bidders=tuple(_text(b, f"{where}.bidders[{i}]") for i, b in enumerate(bidders)),
        mitigation=_enum(Mitigation, d.get("mitigation"), f"{where}.mitigation", Mitigation.NONE),
        mitigation_text=_text(d.get("mitigation_text"), f"{where}.mitigation_text"),
    )


def read_panel(value: Any, where: str = "panel") -> Panel:
    """The panel from its section (absent → an empty panel)."""
    if value is None:
        return Panel()
    top = _obj(value, where, _PANEL_FIELDS)
    raw = top.get("members") or []
    if not isinstance(raw, list):
        raise ValidationError(f"{where}.members", f"must be a list, not {_kind(raw)}")
    members = []
    for i, v in enumerate(raw):
        w = f"{where}.members[{i}]"
        m = _obj(v, w, _MEMBER_FIELDS)
        members.append(Member(
            initials=_text(m.get("initials"), f"{w}.initials"), name=_text(m.get("name"), f"{w}.name"),
            role=_enum(Role, m.get("role"), f"{w}.role", Role.EVALUATOR),
            declaration=_declaration(m.get("declaration"), f"{w}.declaration"),
            pack_sent=_moment(m.get("pack_sent"), f"{w}.pack_sent"),
            pack_sha256=_text(m.get("pack_sha256"), f"{w}.pack_sha256"),
            returned=_moment(m.get("returned"), f"{w}.returned"),
            return_sha256=_text(m.get("return_sha256"), f"{w}.return_sha256"),
        ))
    return Panel(tuple(members), _text(top.get("proceed_reason"), f"{where}.proceed_reason"))


def declaration_doc(d: Declaration) -> dict[str, Any]:
    """A declaration as its JSON object."""
    out: dict[str, Any] = {"declared_on": d.declared_on.isoformat(), "conflict": d.conflict}
    if d.conflict:
        out.update(details=d.details, bidders=list(d.bidders), mitigation=d.mitigation.value)
        if d.mitigation_text:
            out["mitigation_text"] = d.mitigation_text
    return out


def write_panel(p: Panel) -> dict[str, Any] | None:
    """The panel's section, or ``None`` for a tender with no panel (the section is left out)."""
    if not p.members and not p.proceed_reason:
        return None
    members = []
    for m in p.members:
        d: dict[str, Any] = {"initials": m.initials}
        if m.name:
            d["name"] = m.name
        d["role"] = m.role.value
        if m.declaration is not None:
            d["declaration"] = declaration_doc(m.declaration)
        if m.pack_sent is not None:
            d["pack_sent"] = m.pack_sent.isoformat()
            d["pack_sha256"] = m.pack_sha256
        if m.returned is not None:
            d["returned"] = m.returned.isoformat()
            d["return_sha256"] = m.return_sha256
        members.append(d)
    out: dict[str, Any] = {"members": members}
    if p.proceed_reason:
        out["proceed_reason"] = p.proceed_reason
    return out
