"""The evaluation panel of a tender: its members, their declarations of interest, and their packs.

The panel is part of the tender whether or not a member has marked yet (an evaluator added before marking
stays on it). Each member records one declaration per tender (Procurement Act 2023, ss. 81–83): no
conflict, or the conflict, the bidders concerned and the mitigation, with a date. A declared conflict with
no mitigation keeps the member from being sent a pack; the mitigation ``does_not_mark`` keeps the member
from marking the bidders concerned, which every path enforces: marking (:func:`check_may_mark`), the tender
as a whole (:func:`check_panel`), scoring (:func:`without_barred_marks`) and the evaluator's pack.

The panel also keeps, per member, when a pack was sent and a return merged, with their SHA-256
fingerprints (:mod:`svdesk.io.packs`), and the officer's reason for going on to moderation before every
return came in.

Everything here is a frozen dataclass and pure functions returning a new :class:`~svdesk.domain.tender.Tender`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from svdesk.domain.members import (
    INITIALS_MAX,
    NAME_MAX,
    Declaration,
    Member,
    MemberStatus,
    Mitigation,
    Panel,
    Role,
    barred,
    check_declaration,
    check_initials,
    check_mark_allowed,
    check_members,
)
from svdesk.domain.values import check_text
from svdesk.errors import ValidationError

if TYPE_CHECKING:
    from svdesk.domain.tender import Tender



# ---------------------------------------------------------------------------------------------------------
# Reading the panel off a tender
# ---------------------------------------------------------------------------------------------------------


def evaluators(t: Tender) -> list[str]:
    """Everyone who marks: the panel's evaluators, then anyone else who has marks (older tenders), in order."""
    seen: dict[str, None] = {m.initials: None for m in t.panel.members if m.role is Role.EVALUATOR}
    known = {k.casefold() for k in seen}
    for b in t.bids:
        for marks in b.evaluator_scores.values():
            for ev in marks:
                if ev.casefold() not in known:
                    known.add(ev.casefold())
                    seen[ev] = None
    return list(seen)


def barred_from(t: Tender, initials: str) -> frozenset[str]:
    """The suppliers this member may not mark (case-folded names), from a ``does_not_mark`` mitigation."""
    return barred(t.panel, initials)


def check_may_mark(t: Tender, initials: str, supplier: str) -> None:
    """Refuse a mark the member's declaration of interest rules out.

    Raises:
        ValidationError: the member declared a conflict with this bidder and does not mark it, or declared
            a conflict that is not yet mitigated.
    """
    check_mark_allowed(t.panel, initials, supplier)


def marks_due(t: Tender, initials: str) -> list[tuple[str, str]]:
    """``(supplier, criterion id)`` the member marks: each bid not excluded or barred, each assessed criterion."""
    barred = barred_from(t, initials)
    crit = [c.id for c in t.criteria if c.is_assessed]
    return [(b.supplier, cid) for b in t.bids if not b.excluded and b.supplier.casefold() not in barred
            for cid in crit]


def status(t: Tender) -> list[MemberStatus]:
    """Per member: marks done of marks due, and the bidders they do not mark."""
    out = []
    for m in t.panel.members:
        if m.role is not Role.EVALUATOR:
            out.append(MemberStatus(m, 0, 0, ()))
            continue
        due = marks_due(t, m.initials)
        by = {b.supplier: b for b in t.bids}
        done = sum(1 for s, cid in due if m.initials in by[s].evaluator_scores.get(cid, {}))
        barred = barred_from(t, m.initials)
        out.append(MemberStatus(m, done, len(due), tuple(b.supplier for b in t.bids
                                                         if b.supplier.casefold() in barred)))
    return out


def returns_outstanding(t: Tender) -> list[Member]:
    """Members who were sent a pack and whose return has not been merged since."""
    return [m for m in t.panel.members if m.awaiting_return]


def without_barred_marks(t: Tender) -> tuple[Tender, tuple[str, ...]]:
    """The tender with marks that declarations rule out left out, for scoring, and a warning for each member.

    A valid tender holds no such marks (:func:`check_panel` refuses them); this is the scoring's own guard.
    """
    bars = {m.initials: barred_from(t, m.initials) for m in t.panel.members}
    bars = {k: v for k, v in bars.items() if v}
    if not bars:
        return t, ()
    warnings: dict[str, None] = {}
    bids = []
    for b in t.bids:
        who = [k for k, v in bars.items() if b.supplier.casefold() in v]
        hit = [k for k in who if any(k in marks for marks in b.evaluator_scores.values())]
        if not hit:
            bids.append(b)
            continue
        for k in hit:
            warnings[f"{k}'s marks for {b.supplier} are not counted: {k} declared a conflict of interest"] = None
        bids.append(replace(b, evaluator_scores={cid: {e: v for e, v in marks.items() if e not in hit}
                                                 for cid, marks in b.evaluator_scores.items()}))
    return replace(t, bids=tuple(bids)), tuple(warnings)


# ---------------------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------------------

def check_panel(t: Tender) -> None:
    """Validate the panel of a tender: unique initials, declarations, fingerprints, and no barred marks.

    Raises:
        ValidationError: naming ``panel.members[i]…`` and what is wrong.
    """
    check_members(t.panel, t.bids)


# ---------------------------------------------------------------------------------------------------------
# Edits
# ---------------------------------------------------------------------------------------------------------


def _with_members(t: Tender, members: Iterable[Member], **changes: object) -> Tender:
    return replace(t, panel=replace(t.panel, members=tuple(members), **changes))  # type: ignore[arg-type]


def _replace_member(t: Tender, new: Member) -> Tender:
    key = new.initials.casefold()
    return _with_members(t, (new if m.initials.casefold() == key else m for m in t.panel.members))


def add_member(t: Tender, initials: str, name: str = "", role: Role = Role.EVALUATOR) -> Tender:
    """Put someone on the panel (before or after they mark)."""
    who = check_initials(initials)
    if t.panel.find(who) is not None:
        raise ValidationError("initials", f"{who!r} is already on the panel")
    member = Member(who, check_text(name, "name", limit=NAME_MAX), Role(role))
    return _with_members(t, (*t.panel.members, member))


def with_default_panel(t: Tender, initials: Iterable[str]) -> Tender:
    """A new tender with the council's default evaluation panel (setting ``panel.default``).

    Only a tender that has no panel yet and no evaluator's marks gets it: a tender file or pack that names
    its own panel, or carries marks, keeps what it has.
    """
    if t.panel.members or any(b.evaluator_scores for b in t.bids):
        return t
    for who in initials:
        if t.panel.find(who) is None:
            t = add_member(t, who)
    return t


def update_member(t: Tender, initials: str, *, name: str | None = None, role: Role | None = None) -> Tender:
    """Change a member's name or role."""
    m = t.panel.member(initials)
    if role is not None and Role(role) is not Role.EVALUATOR and _has_marks(t, m.initials):
        raise ValidationError("role", f"{m.initials} has marks on this tender: only an evaluator marks")
    return _replace_member(t, replace(m, name=m.name if name is None else check_text(name, "name", limit=NAME_MAX),
                                      role=m.role if role is None else Role(role)))


def _has_marks(t: Tender, initials: str) -> bool:
    return any(initials in marks for b in t.bids for marks in b.evaluator_scores.values())


def remove_member(t: Tender, initials: str) -> Tender:
    """Take someone off the panel; refused while they have marks (clear them first, so nothing is lost unseen)."""
    m = t.panel.member(initials)
    if _has_marks(t, m.initials):
        raise ValidationError("panel", f"{m.initials} has marks on this tender: clear them before taking "
                                       f"{m.initials} off the panel")
    return _with_members(t, (x for x in t.panel.members if x is not m))


def declare(t: Tender, initials: str, declaration: Declaration) -> Tender:
    """Record (or replace) a member's declaration of interest; the audit log keeps every earlier one.

    A ``does_not_mark`` mitigation clears the member's marks for the bidders concerned (they are in the audit
    log), so that nothing they marked counts.
    """
    m = t.panel.member(initials)
    d = replace(declaration, details=check_text(declaration.details, "details", limit=2000),
                mitigation_text=check_text(declaration.mitigation_text, "mitigation_text", limit=2000),
                bidders=tuple(_canonical_supplier(t, s) for s in declaration.bidders))
    check_declaration(d, (b.supplier for b in t.bids))
    new = _replace_member(t, replace(m, declaration=d))
    barred = barred_from(new, m.initials)
    if barred:
        bids = []
        for b in new.bids:
            if b.supplier.casefold() in barred:
                b = replace(b,
                            evaluator_scores={c: {e: v for e, v in s.items() if e != m.initials}
                                              for c, s in b.evaluator_scores.items()},
                            evaluator_reasons={c: {e: v for e, v in s.items() if e != m.initials}
                                               for c, s in b.evaluator_reasons.items()})
                b = replace(b, evaluator_scores={c: s for c, s in b.evaluator_scores.items() if s},
                            evaluator_reasons={c: s for c, s in b.evaluator_reasons.items() if s})
            bids.append(b)
        new = replace(new, bids=tuple(bids))
    return new


def _canonical_supplier(t: Tender, name: str) -> str:
    key = name.strip().casefold()
    return next((b.supplier for b in t.bids if b.supplier.casefold() == key), name.strip())


def record_pack_sent(t: Tender, initials: str, at: datetime, sha256: str) -> Tender:
    """Note that an evaluator pack went to the member (the newest pack is the one a return must answer)."""
    m = t.panel.member(initials)
    return _replace_member(t, replace(m, pack_sent=at, pack_sha256=sha256))


def record_return(t: Tender, initials: str, at: datetime, sha256: str) -> Tender:
    """Note that the member's return was merged."""
    m = t.panel.member(initials)
    return _replace_member(t, replace(m, returned=at, return_sha256=sha256))


def proceed_without_returns(t: Tender, reason: str) -> Tender:
    """Go on to moderation with returns still out, recording why ("" withdraws it)."""
    text = check_text(reason, "reason", limit=2000)
    return replace(t, panel=replace(t.panel, proceed_reason=text))


__all__ = ["INITIALS_MAX", "NAME_MAX", "Declaration", "Member", "MemberStatus", "Mitigation", "Panel", "Role",
           "check_declaration", "check_initials"]
