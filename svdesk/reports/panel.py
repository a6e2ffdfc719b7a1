"""The conflicts-of-interest record (Procurement Act 2023, ss. 81–83): a section for the award report and a
paper of its own.

:func:`conflicts_section` lists every panel member's declaration for the tender (no conflict, or the conflict,
the bidders concerned, the mitigation and the date), and names anyone who marked or is on the panel without
a declaration. :class:`ConflictsRecord` prints the same on its own (``svdesk report REF --kind conflicts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate

from svdesk.domain.panel import Member, Mitigation, Role, evaluators
from svdesk.domain.tender import Tender
from svdesk.reports.base import Renderer, long_date, text


def _mitigation(m: Member) -> str:
    d = m.declaration
    if d is None or not d.conflict:
        return "—"
    if d.mitigation is Mitigation.DOES_NOT_MARK:
        return f"Does not mark {text(', '.join(d.bidders))}"
    if d.mitigation is Mitigation.OTHER:
        return text(d.mitigation_text)
    return "<b>Not yet mitigated</b>"


def undeclared(t: Tender) -> list[str]:
    """Panel members, and evaluators who marked, with no declaration on record."""
    on_panel = {m.initials.casefold(): m for m in t.panel.members}
    out = [m.initials for m in t.panel.members if m.declaration is None]
    out += [ev for ev in evaluators(t) if ev.casefold() not in on_panel]
    return out


def conflicts_section(r: Renderer, heading: str) -> list[Flowable]:
    """The record as flowables under ``heading`` (H1), for any paper."""
    t = r.tender
    out: list[Flowable] = [CondPageBreak(80), r.p(text(heading), "H1")]
    if not t.panel.members:
        out.append(r.p("No evaluation panel is recorded for this tender, so no declarations of interest are on "
                       "record."))
    else:
        everyone = not undeclared(t)
        lead = ("Everyone on the evaluation panel declared" if everyone else
                "Each member of the evaluation panel declares")
        out.append(r.p(
            f"{lead}, for this tender, whether they have a conflict of interest with any bidder (Procurement Act "
            "2023, sections 81 to 83). A member who does not mark a bidder is kept from marking it: svdesk refuses "
            "such marks and leaves them out of every score."))
        rows: list[Sequence[Any]] = []
        for m in t.panel.members:
            d = m.declaration
            if d is None:
                said, bidders, when = "<b>No declaration recorded</b>", "—", "—"
            elif not d.conflict:
                said, bidders, when = "No conflict of interest", "—", long_date(d.declared_on)
            else:
                said, bidders, when = text(d.details), text(", ".join(d.bidders)), long_date(d.declared_on)
            rows.append([f"<b>{text(m.label)}</b>", text(m.role.label), said, bidders, _mitigation(m), when])
        out += r.table(["Member", "Role", "Declaration", "Bidders concerned", "Mitigation", "Declared"], rows,
                       [28, 22, 44, 26, 30, 24])
    missing = undeclared(t)
    if missing:
        out += [r.gap(2), r.note_box("Declarations still needed", [
            f"{text(x)} has no declaration of interest on record for this tender." for x in missing])]
    open_ = [m.initials for m in t.panel.members if m.declaration is not None and m.declaration.unmitigated]
    if open_:
        out += [r.gap(2), r.note_box("Conflicts not yet mitigated", [
            f"{text(x)} declared a conflict of interest with no mitigation recorded." for x in open_])]
    officers = [m for m in t.panel.members if m.role is Role.OFFICER]
    if t.panel.members and not officers:
        out.append(r.p("No procurement officer is on the panel record; the officer's own declaration should be "
                       "added.", "Small"))
    return out


class ConflictsRecord(Renderer):
    """The conflicts-of-interest record of one tender, printable on its own."""

    kind = "Conflicts of interest record"
    kind_id = "conflicts"

    def _fingerprint_extra(self) -> dict[str, Any]:
        return {}

    def _story(self) -> list[Flowable]:
        t, o = self.tender, self.options
        out: list[Flowable] = [
            NextPageTemplate("body"),
            *self.letterhead(),
            self.p(self.kind, "DocTitle"),
            self.p(f"{text(t.title)} (reference {text(t.reference)})", "DocRef"),
        ]
        out += conflicts_section(self, "Declarations of interest")
        out += [self.gap(6), self.sign_off_table([("Record kept by", o.officer), ("Checked by", "")])]
        return out
