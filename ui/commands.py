"""Every user edit is one of these undoable commands (STYLE.md rule 4).

The domain is immutable: an edit is a pure function that returns a new tender. So almost every command is a
:class:`TenderEdit` — "replace the tender with this edited tender", undone by putting back the tender held from
just before — built by one of the small functions below, which only say what the edit is called, which domain
function it runs and what it changes (so the document announces exactly that, both ways). Only a command with
logic of its own is a class: :class:`SetStatus` (the lifecycle decides whether it can be taken back).

:meth:`TenderDocument.push` applies a command once *before* pushing it (``apply_first``), so an edit the domain
refuses never enters the history; the push's own first ``redo()`` is then skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from svdesk.domain import tender as edits
from svdesk.domain.checklist import Checklist
from svdesk.domain.tender import Bid, Criterion, Tender, TenderStatus
from svdesk.domain.values import Commitment
from svdesk.errors import SvdeskError
from ui.document import EVERYTHING, Change, TenderDocument, where_for

if TYPE_CHECKING:
    from svdesk.io.bids_import import BidsImport


class EditCommand(QUndoCommand):
    """Base for the commands: applied once before the push, errors reported instead of raised."""

    def __init__(self, doc: TenderDocument, text: str) -> None:
        super().__init__(text)
        self._doc = doc
        self._skip_redo = False

    def apply(self) -> None:
        """Do the edit (may raise :class:`SvdeskError`)."""
        raise NotImplementedError

    def revert(self) -> None:
        """Take the edit back."""
        raise NotImplementedError

    def apply_first(self) -> None:
        """Called by :meth:`TenderDocument.push` before the push; the push's own redo() is skipped."""
        self.apply()
        self._skip_redo = True

    def where(self) -> tuple[str, dict[str, str]] | None:
        """The page and target that show what this edit changes (undo and redo bring it into view)."""
        return None

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        try:
            self.apply()
        except SvdeskError as e:
            self._doc.report_failure(f"Could not redo “{self.text()}”: {e}")
            return
        self._doc.bring_into_view(self.where())

    def undo(self) -> None:
        try:
            self.revert()
        except SvdeskError as e:
            self._doc.report_failure(f"Could not undo “{self.text()}”: {e}")
            return
        self._doc.bring_into_view(self.where())


class TenderEdit(EditCommand):
    """Replace the tender with ``edit(tender)``; undo commits the tender as it was just before.

    ``text`` is what the Edit menu says ("Undo Set weight of Price"); ``action`` and ``undo_action`` what the
    audit log records for the edit and for its undo (``text`` and "Undo: ``text``" unless given: an edit that sets
    one value records its undo as setting the old value back); ``change`` what the edit touches, announced after
    the commit both ways. Redo after undo runs ``edit`` again on exactly the tender it first ran on, so it gives
    the same tender.
    """

    def __init__(self, doc: TenderDocument, text: str, edit: Callable[[Tender], Tender], change: Change,
                 action: str = "", undo_action: str = "",
                 where: tuple[str, dict[str, str]] | None = None) -> None:
        super().__init__(doc, text)
        self._edit = edit
        self._change = change
        self._where = where if where is not None else where_for(change)
        self._action = action or text
        self._undo_action = undo_action or f"Undo: {text}"
        self._before: Tender | None = None

    def where(self) -> tuple[str, dict[str, str]] | None:
        return self._where

    def apply(self) -> None:
        before = self._doc.tender
        self._doc.commit_edit(self._edit(before), self._action, self._change)
        self._before = before

    def revert(self) -> None:
        assert self._before is not None, "undo before the edit was applied"
        self._doc.commit_edit(self._before, self._undo_action, self._change)


class SetStatus(EditCommand):
    """Move the tender along its lifecycle (both ways through the lifecycle's own rules)."""

    def __init__(self, doc: TenderDocument, status: TenderStatus) -> None:
        super().__init__(doc, f"Status: {status.label}")
        self._new = status
        self._old = doc.tender.status

    @property
    def reversible(self) -> bool:
        """Whether the lifecycle allows going back (an award cannot be taken back)."""
        return self._old in edits.TRANSITIONS[self._new]

    def where(self) -> tuple[str, dict[str, str]] | None:
        return "overview", {}

    def apply(self) -> None:
        self._doc.set_status(self._new)

    def revert(self) -> None:
        self._doc.set_status(self._old)


# --- the edits: each is a TenderEdit --------------------------------------------------------------------------
# Named like the classes they replaced (callers read "push SetWeight(...)"), hence the capitals (N802 is off).

def SetDetails(doc: TenderDocument, changes: Mapping[str, object], text: str = "") -> TenderEdit:
    """Change tender details (title, category, values …)."""
    names = ", ".join(k.replace("_", " ") for k in changes)
    new = dict(changes)
    return TenderEdit(doc, text or f"Change {names}", lambda t: edits.update_details(t, **new), Change(details=True))


def SetKeyDate(doc: TenderDocument, key: str, day: date | None) -> TenderEdit:
    """Set or clear one key date."""
    label = edits.KEY_DATES.get(key, key).lower()
    old = doc.tender.key_dates.get(key)
    return TenderEdit(doc, f"Set {label}" if day else f"Clear {label}", lambda t: edits.set_key_date(t, key, day),
                      Change(details=True), undo_action=f"Set {label}" if old else f"Clear {label}")


def SetWeight(doc: TenderDocument, cid: str, weight: Decimal) -> TenderEdit:
    """Change one criterion's weight."""
    c = doc.criterion(cid)
    return TenderEdit(doc, f"Set weight of {c.name}", lambda t: edits.set_weight(t, cid, weight),
                      Change(criterion=cid), f"Set weight of {c.name} to {weight.normalize():f}",
                      f"Set weight of {c.name} to {c.weight.normalize():f}")


def UpdateCriterion(doc: TenderDocument, cid: str, changes: Mapping[str, object], text: str = "") -> TenderEdit:
    """Change fields of one criterion (name, scale, threshold, method, descriptors …)."""
    name = doc.criterion(cid).name
    new = dict(changes)
    return TenderEdit(doc, text or f"Change {name}", lambda t: edits.update_criterion(t, cid, **new),
                      Change(criterion=cid), f"Change {name}", f"Change {new.get('name', name)}")


def AddCriterion(doc: TenderDocument, criterion: Criterion) -> TenderEdit:
    """Add a criterion (undo removes it; it has no scores yet)."""
    return TenderEdit(doc, f"Add criterion {criterion.name}", lambda t: edits.add_criterion(t, criterion),
                      Change(criteria=True), undo_action=f"Remove criterion {criterion.name}")


def RemoveCriterion(doc: TenderDocument, cid: str) -> TenderEdit:
    """Remove a criterion and its scores (undo puts both back)."""
    return TenderEdit(doc, f"Remove criterion {doc.criterion(cid).name}",
                      lambda t: edits.remove_criterion(t, cid), Change(criteria=True))


def AddBid(doc: TenderDocument, bid: Bid) -> TenderEdit:
    """Record a new bid."""
    supplier = bid.supplier.strip()
    return TenderEdit(doc, f"Add bid from {supplier}", lambda t: edits.add_bid(t, bid), Change(bids=True),
                      f"Add bid from {bid.supplier}", f"Remove bid from {supplier}")


def RemoveBid(doc: TenderDocument, supplier: str) -> TenderEdit:
    """Remove a bid with its scores (undo puts it back where it was)."""
    return TenderEdit(doc, f"Remove bid from {supplier}", lambda t: edits.remove_bid(t, supplier), Change(bids=True))


def SetPrice(doc: TenderDocument, supplier: str, price: Decimal | None) -> TenderEdit:
    """Record a bid's price."""
    text = f"Set price of {supplier}"
    return TenderEdit(doc, text, lambda t: edits.set_price(t, supplier, price), Change(bid=supplier), text, text)


def UpdateBid(doc: TenderDocument, supplier: str, changes: Mapping[str, object], text: str = "") -> TenderEdit:
    """Change a bid's SME/VCSE/locality/address/notes."""
    new = dict(changes)
    action = f"Change details of {supplier}"
    return TenderEdit(doc, text or action, lambda t: edits.update_bid(t, supplier, **new), Change(bid=supplier),
                      action, action)


def ExcludeBid(doc: TenderDocument, supplier: str, reason: str) -> TenderEdit:
    """Exclude a bid from ranking, with the reason the award papers will give."""
    return TenderEdit(doc, f"Exclude {supplier}", lambda t: edits.exclude_bid(t, supplier, reason),
                      Change(bid=supplier), undo_action=f"Reinstate {supplier}")


def ReinstateBid(doc: TenderDocument, supplier: str) -> TenderEdit:
    """Take back an exclusion (undo puts back the same reason)."""
    return TenderEdit(doc, f"Reinstate {supplier}", lambda t: edits.reinstate_bid(t, supplier), Change(bid=supplier),
                      undo_action=f"Exclude {supplier}")


def SetCommitments(doc: TenderDocument, supplier: str, commitments: tuple[Commitment, ...]) -> TenderEdit:
    """Replace a bid's social-value commitments."""
    new = tuple(commitments)
    text = f"Set commitments of {supplier}"
    return TenderEdit(doc, text, lambda t: edits.set_commitments(t, supplier, new), Change(bid=supplier), text, text)


def SetEvaluatorScore(doc: TenderDocument, supplier: str, cid: str, evaluator: str, value: Decimal | None,
                      reason: str) -> TenderEdit:
    """One evaluator's mark and reason for one bid on one criterion (undo is exact, even where "no reason" and
    "an empty reason" differ in storage: it puts back the tender itself)."""
    name = doc.criterion(cid).name
    verb = "Clear mark" if value is None else "Mark"
    return TenderEdit(doc, f"{verb}: {supplier} on {name} ({evaluator})",
                      lambda t: edits.set_evaluator_score(t, supplier, cid, evaluator, value, reason),
                      Change(scores=(supplier, cid)),
                      f"{'Clear' if value is None else 'Mark'} {supplier} on {name} ({evaluator})",
                      where=("scoring", {"evaluator": evaluator, "supplier": supplier, "criterion": cid}))


def SetConsensusScore(doc: TenderDocument, supplier: str, cid: str, value: Decimal | None,
                      reason: str) -> TenderEdit:
    """The agreed (moderated) score and its reason; evaluators' marks are kept."""
    verb = "Clear agreed score" if value is None else "Agree score"
    return TenderEdit(doc, f"{verb}: {supplier} on {doc.criterion(cid).name}",
                      lambda t: edits.set_consensus_score(t, supplier, cid, value, reason),
                      Change(scores=(supplier, cid)),
                      where=("scoring", {"mode": "moderate", "supplier": supplier, "criterion": cid}))


def SetChecklist(doc: TenderDocument, checklist: Checklist, text: str) -> TenderEdit:
    """Replace the negotiation checklist with one computed by the negotiation domain."""
    return TenderEdit(doc, text, lambda t: replace(t, checklist=checklist), Change(checklist=True))


def DomainEdit(doc: TenderDocument, edit: Callable[[Tender], Tender], text: str,
               supplier: str | None = None, *, where: dict[str, str] | None = None) -> TenderEdit:
    """A negotiation edit: a pure domain function of the tender (``set_ask_status``, ``update_outcome``,
    ``apply_agreed_asks`` …) that changes the checklist and, given ``supplier``, that supplier's bid. ``where``
    names the supplier and ask on the Negotiation page that undo and redo bring into view."""
    return TenderEdit(doc, text, edit, Change(checklist=True, bid=supplier),
                      where=("negotiation", where) if where is not None else None)


def ImportBids(doc: TenderDocument, preview: BidsImport, name: str) -> TenderEdit:
    """Apply a previewed import of bids and scores (``svdesk.io.bids_import``) as one step; undo puts the
    tender back as it was. Redo works after undo because the tender is then exactly the one previewed."""

    def apply(t: Tender) -> Tender:
        from svdesk.io.bids_import import apply_bids_import  # loaded when bids are first imported, not at start

        return apply_bids_import(t, preview)

    return TenderEdit(doc, f"Import bids from {name}", apply, EVERYTHING)


def SetReportTexts(doc: TenderDocument, changes: Mapping[str, str | bool]) -> TenderEdit:
    """Write sections of the committee report (and the publish choice) as one undoable edit."""
    from svdesk.domain.report_texts import SECTION_TITLES
    from svdesk.domain.tender import set_report_text

    def edit(t: Tender) -> Tender:
        for name, value in changes.items():
            t = set_report_text(t, name, value)
        return t

    names = ", ".join(SECTION_TITLES.get(n, "publication choice").lower() for n in changes)
    return TenderEdit(doc, f"Write committee report: {names}", edit, Change(details=True))
