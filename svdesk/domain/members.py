"""The evaluation panel's values: members, declarations of interest, and the checks that need no tender.

:mod:`svdesk.domain.panel` holds the rules over a whole tender and re-exports these; the tender module imports
only this one (so the two never import each other).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from svdesk.domain.values import check_text
from svdesk.errors import ValidationError

INITIALS_MAX = 20
NAME_MAX = 200
_INITIALS = re.compile(r"^[^\W_][\w .'-]*$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class Role(StrEnum):
    """What a panel member does."""

    EVALUATOR = "evaluator"
    OFFICER = "officer"        # runs the procurement and chairs moderation; does not mark

    @property
    def label(self) -> str:
        """The role as an officer reads it."""
        return {"evaluator": "Evaluator", "officer": "Procurement officer"}[self.value]


class Mitigation(StrEnum):
    """How a declared conflict of interest is dealt with."""

    NONE = "none"                      # not yet: the member cannot be sent a pack
    DOES_NOT_MARK = "does_not_mark"    # the member does not mark the bidders concerned (enforced)
    OTHER = "other"                    # another measure, described in words (e.g. a second evaluator checks)

    @property
    def label(self) -> str:
        """The mitigation as an officer reads it."""
        return {"none": "None yet", "does_not_mark": "Does not mark the bidders concerned",
                "other": "Other measure"}[self.value]


@dataclass(frozen=True)
class Declaration:
    """A member's declaration of interest for one tender.

    Attributes:
        declared_on: the day it was made.
        conflict: whether the member declared a conflict (or potential conflict) of interest.
        details: the conflict, in the member's words (required with a conflict).
        bidders: the suppliers concerned (at least one with a conflict).
        mitigation: how the conflict is dealt with.
        mitigation_text: the measure in words (required for ``other``).
    """

    declared_on: date
    conflict: bool = False
    details: str = ""
    bidders: tuple[str, ...] = ()
    mitigation: Mitigation = Mitigation.NONE
    mitigation_text: str = ""

    @property
    def unmitigated(self) -> bool:
        """A conflict was declared and nothing is done about it yet."""
        return self.conflict and self.mitigation is Mitigation.NONE

    def summary(self) -> str:
        """One sentence for the record and the award report."""
        if not self.conflict:
            return "No conflict of interest."
        who = ", ".join(self.bidders)
        if self.mitigation is Mitigation.DOES_NOT_MARK:
            measure = f"does not mark {who}"
        elif self.mitigation is Mitigation.OTHER:
            measure = self.mitigation_text
        else:
            measure = "NOT YET MITIGATED"
        return f"Conflict ({who}): {self.details} Mitigation: {measure}."


@dataclass(frozen=True)
class Member:
    """One member of a tender's evaluation panel.

    Attributes:
        initials: how the member's marks are labelled (unique on the panel, ignoring case).
        name: the member's full name (optional).
        role: evaluator or procurement officer.
        declaration: the declaration of interest, once made.
        pack_sent: when the newest evaluator pack was made for them, and its fingerprint.
        returned: when their newest return was merged, and its fingerprint.
    """

    initials: str
    name: str = ""
    role: Role = Role.EVALUATOR
    declaration: Declaration | None = None
    pack_sent: datetime | None = None
    pack_sha256: str = ""
    returned: datetime | None = None
    return_sha256: str = ""

    @property
    def label(self) -> str:
        """``KT (Kim Taylor)`` or ``KT``."""
        return f"{self.initials} ({self.name})" if self.name else self.initials

    @property
    def awaiting_return(self) -> bool:
        """A pack went out and no return has been merged since."""
        return self.pack_sent is not None and (self.returned is None or self.returned < self.pack_sent)


@dataclass(frozen=True)
class Panel:
    """A tender's evaluation panel.

    Attributes:
        members: in the order they were added.
        proceed_reason: why the officer went on to moderation before every return came in ("" if not).
    """

    members: tuple[Member, ...] = ()
    proceed_reason: str = ""

    def member(self, initials: str) -> Member:
        """The member with these initials (ignoring case).

        Raises:
            ValidationError: nobody on the panel has them.
        """
        key = initials.strip().casefold()
        for m in self.members:
            if m.initials.casefold() == key:
                return m
        raise ValidationError("panel", f"{initials!r} is not on the evaluation panel")

    def find(self, initials: str) -> Member | None:
        """The member with these initials, or ``None``."""
        key = initials.strip().casefold()
        return next((m for m in self.members if m.initials.casefold() == key), None)


@dataclass(frozen=True)
class MemberStatus:
    """One line of the panel's status: what the Scoring page and ``svdesk panel`` show."""

    member: Member
    marks_done: int
    marks_due: int
    barred_from: tuple[str, ...]



def barred(p: Panel, initials: str) -> frozenset[str]:
    """The suppliers this member may not mark (case-folded names), from a ``does_not_mark`` mitigation."""
    m = p.find(initials)
    d = None if m is None else m.declaration
    if d is None or not d.conflict or d.mitigation is not Mitigation.DOES_NOT_MARK:
        return frozenset()
    return frozenset(s.casefold() for s in d.bidders)


def check_mark_allowed(p: Panel, initials: str, supplier: str) -> None:
    """Refuse a mark the member's declaration of interest rules out (see :func:`svdesk.domain.panel.check_may_mark`)."""
    m = p.find(initials)
    if m is None or m.declaration is None or not m.declaration.conflict:
        return
    if supplier.casefold() in barred(p, initials):
        raise ValidationError("evaluator", f"{m.initials} declared a conflict of interest with {supplier} and does "
                                           f"not mark that bid")
    if m.declaration.unmitigated:
        raise ValidationError("evaluator", f"{m.initials} declared a conflict of interest that is not yet "
                                           f"mitigated: record the mitigation before they mark")


def check_initials(initials: str, field: str = "initials") -> str:
    """Initials: letters, digits, spaces, ``.``, ``'`` or ``-``, starting with a letter or digit, at most 20."""
    text = check_text(initials, field, required=True, limit=INITIALS_MAX)
    if not _INITIALS.match(text):
        raise ValidationError(field, f"{text!r} must be letters or digits (spaces, '.', ''' and '-' allowed inside)")
    return text


def check_declaration(d: Declaration, suppliers: Iterable[str] | None, field: str = "declaration") -> Declaration:
    """Validate a declaration (and, with ``suppliers``, that the bidders it names have bids).

    A stored declaration is a record: a bidder it names may since have withdrawn, so the tender as a whole
    is checked without ``suppliers``.
    """
    check_text(d.details, f"{field}.details", required=d.conflict, limit=2000)
    check_text(d.mitigation_text, f"{field}.mitigation_text", required=d.mitigation is Mitigation.OTHER,
               limit=2000)
    if not d.conflict:
        if d.bidders or d.details or d.mitigation is not Mitigation.NONE or d.mitigation_text:
            raise ValidationError(field, "a declaration of no conflict names no bidders, conflict or mitigation")
        return d
    if not d.bidders:
        raise ValidationError(f"{field}.bidders", "a conflict of interest names the bidders concerned")
    known = None if suppliers is None else {s.casefold() for s in suppliers}
    for i, s in enumerate(d.bidders):
        check_text(s, f"{field}.bidders[{i}]", required=True, limit=300)
        if known is not None and s.casefold() not in known:
            raise ValidationError(f"{field}.bidders[{i}]", f"{s!r} has no bid on this tender")
    if len({s.casefold() for s in d.bidders}) != len(d.bidders):
        raise ValidationError(f"{field}.bidders", "names a bidder twice")
    return d


def check_members(p: Panel, bids: Sequence[Any]) -> None:
    """Validate the panel of a tender: unique initials, declarations, fingerprints, and no barred marks.

    Raises:
        ValidationError: naming ``panel.members[i]…`` and what is wrong.
    """
    check_text(p.proceed_reason, "panel.proceed_reason", limit=2000)
    seen: set[str] = set()
    for i, m in enumerate(p.members):
        where = f"panel.members[{i}]"
        check_initials(m.initials, f"{where}.initials")
        check_text(m.name, f"{where}.name", limit=NAME_MAX)
        if m.initials.casefold() in seen:
            raise ValidationError(f"{where}.initials", f"{m.initials!r} is on the panel twice")
        seen.add(m.initials.casefold())
        for name in ("pack_sha256", "return_sha256"):
            value = getattr(m, name)
            if value and not _SHA256.match(value):
                raise ValidationError(f"{where}.{name}", "must be 64 lower-case hex digits")
        if m.declaration is not None:
            check_declaration(m.declaration, None, f"{where}.declaration")
    for m in p.members:
        kept_from = barred(p, m.initials)
        if not kept_from:
            continue
        for b in bids:
            if b.supplier.casefold() in kept_from and any(m.initials in v for v in b.evaluator_scores.values()):
                raise ValidationError(f"bids[{b.supplier}].evaluator_scores",
                                      f"{m.initials} declared a conflict of interest with {b.supplier} and does "
                                      f"not mark that bid, but has marks for it")


