"""Every user edit is one of these undoable commands (STYLE.md rule 4).

Each command calls a :class:`~ui.document.TenderDocument` method in ``redo()`` and restores the old value in
``undo()``. :meth:`TenderDocument.push` applies a command once *before* pushing it (``apply_first``), so an edit
the domain refuses never enters the history; the push's own first ``redo()`` is then skipped. Structural edits
(removing a criterion or a bid, which also removes scores) undo by restoring the tender as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from PySide6.QtGui import QUndoCommand

from svdesk.domain.tender import Bid, Criterion, Tender, TenderStatus
from svdesk.domain.values import Commitment
from svdesk.errors import SvdeskError
from ui.document import TenderDocument


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

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        try:
            self.apply()
        except SvdeskError as e:
            self._doc.report_failure(f"Could not redo “{self.text()}”: {e}")

    def undo(self) -> None:
        try:
            self.revert()
        except SvdeskError as e:
            self._doc.report_failure(f"Could not undo “{self.text()}”: {e}")


class SnapshotCommand(EditCommand):
    """An edit undone by restoring the whole tender as it was just before it."""

    def __init__(self, doc: TenderDocument, text: str) -> None:
        super().__init__(doc, text)
        self._before: Tender | None = None

    def apply(self) -> None:
        self._before = self._doc.tender
        self.do()

    def do(self) -> None:
        """The edit itself."""
        raise NotImplementedError

    def revert(self) -> None:
        assert self._before is not None
        self._doc.restore(self._before, f"Undo: {self.text()}")


class SetDetails(EditCommand):
    """Change tender details (title, category, values …)."""

    def __init__(self, doc: TenderDocument, changes: dict[str, object], text: str = "") -> None:
        names = ", ".join(k.replace("_", " ") for k in changes)
        super().__init__(doc, text or f"Change {names}")
        self._new = dict(changes)
        self._old = {k: getattr(doc.tender, k) for k in changes}

    def apply(self) -> None:
        self._doc.set_details(self.text(), **self._new)

    def revert(self) -> None:
        self._doc.set_details(f"Undo: {self.text()}", **self._old)


class SetKeyDate(EditCommand):
    """Set or clear one key date."""

    def __init__(self, doc: TenderDocument, key: str, day: date | None) -> None:
        from svdesk.domain.tender import KEY_DATES

        label = KEY_DATES.get(key, key).lower()
        super().__init__(doc, f"Set {label}" if day else f"Clear {label}")
        self._key, self._new = key, day
        self._old = doc.tender.key_dates.get(key)

    def apply(self) -> None:
        self._doc.set_key_date(self._key, self._new)

    def revert(self) -> None:
        self._doc.set_key_date(self._key, self._old)


class SetStatus(EditCommand):
    """Move the tender along its lifecycle."""

    def __init__(self, doc: TenderDocument, status: TenderStatus) -> None:
        super().__init__(doc, f"Status: {status.label}")
        self._new = status
        self._old = doc.tender.status

    @property
    def reversible(self) -> bool:
        """Whether the lifecycle allows going back (an award cannot be taken back)."""
        from svdesk.domain.tender import TRANSITIONS

        return self._old in TRANSITIONS[self._new]

    def apply(self) -> None:
        self._doc.set_status(self._new)

    def revert(self) -> None:
        self._doc.set_status(self._old)


class SetWeight(EditCommand):
    """Change one criterion's weight."""

    def __init__(self, doc: TenderDocument, cid: str, weight: Decimal) -> None:
        super().__init__(doc, f"Set weight of {doc.criterion(cid).name}")
        self._cid, self._new = cid, weight
        self._old = doc.criterion(cid).weight

    def apply(self) -> None:
        self._doc.set_weight(self._cid, self._new)

    def revert(self) -> None:
        self._doc.set_weight(self._cid, self._old)


class UpdateCriterion(EditCommand):
    """Change fields of one criterion (name, scale, threshold, method, descriptors …)."""

    def __init__(self, doc: TenderDocument, cid: str, changes: dict[str, object], text: str = "") -> None:
        c = doc.criterion(cid)
        super().__init__(doc, text or f"Change {c.name}")
        self._cid = cid
        self._new = dict(changes)
        self._old = {k: getattr(c, k) for k in changes}

    def apply(self) -> None:
        self._doc.update_criterion(self._cid, self._new)

    def revert(self) -> None:
        self._doc.update_criterion(self._cid, self._old)


class AddCriterion(EditCommand):
    """Add a criterion (undo removes it; it has no scores yet)."""

    def __init__(self, doc: TenderDocument, criterion: Criterion) -> None:
        super().__init__(doc, f"Add criterion {criterion.name}")
        self._criterion = criterion

    def apply(self) -> None:
        self._doc.add_criterion(self._criterion)

    def revert(self) -> None:
        self._doc.remove_criterion(self._criterion.id)


class RemoveCriterion(SnapshotCommand):
    """Remove a criterion and its scores (undo puts both back)."""

    def __init__(self, doc: TenderDocument, cid: str) -> None:
        super().__init__(doc, f"Remove criterion {doc.criterion(cid).name}")
        self._cid = cid

    def do(self) -> None:
        self._doc.remove_criterion(self._cid)


class AddBid(EditCommand):
    """Record a new bid."""

    def __init__(self, doc: TenderDocument, bid: Bid) -> None:
        super().__init__(doc, f"Add bid from {bid.supplier.strip()}")
        self._bid = bid

    def apply(self) -> None:
        self._doc.add_bid(self._bid)

    def revert(self) -> None:
        self._doc.remove_bid(self._bid.supplier.strip())


class RemoveBid(SnapshotCommand):
    """Remove a bid with its scores (undo puts it back where it was)."""

    def __init__(self, doc: TenderDocument, supplier: str) -> None:
        super().__init__(doc, f"Remove bid from {supplier}")
        self._supplier = supplier

    def do(self) -> None:
        self._doc.remove_bid(self._supplier)


class SetPrice(EditCommand):
    """Record a bid's price."""

    def __init__(self, doc: TenderDocument, supplier: str, price: Decimal | None) -> None:
        super().__init__(doc, f"Set price of {supplier}")
        self._supplier, self._new = supplier, price
        self._old = doc.bid(supplier).price

    def apply(self) -> None:
        self._doc.set_price(self._supplier, self._new)

    def revert(self) -> None:
        self._doc.set_price(self._supplier, self._old)


class UpdateBid(EditCommand):
    """Change a bid's SME/VCSE/locality/address/notes."""

    def __init__(self, doc: TenderDocument, supplier: str, changes: dict[str, object], text: str = "") -> None:
        super().__init__(doc, text or f"Change details of {supplier}")
        b = doc.bid(supplier)
        self._supplier = supplier
        self._new = dict(changes)
        self._old = {k: getattr(b, k) for k in changes}

    def apply(self) -> None:
        self._doc.update_bid(self._supplier, self._new)

    def revert(self) -> None:
        self._doc.update_bid(self._supplier, self._old)


class ExcludeBid(EditCommand):
    """Exclude a bid from ranking, with the reason the award papers will give."""

    def __init__(self, doc: TenderDocument, supplier: str, reason: str) -> None:
        super().__init__(doc, f"Exclude {supplier}")
        self._supplier, self._reason = supplier, reason

    def apply(self) -> None:
        self._doc.exclude_bid(self._supplier, self._reason)

    def revert(self) -> None:
        self._doc.reinstate_bid(self._supplier)


class ReinstateBid(EditCommand):
    """Take back an exclusion."""

    def __init__(self, doc: TenderDocument, supplier: str) -> None:
        super().__init__(doc, f"Reinstate {supplier}")
        self._supplier = supplier
        self._reason = doc.bid(supplier).exclusion_reason

    def apply(self) -> None:
        self._doc.reinstate_bid(self._supplier)

    def revert(self) -> None:
        self._doc.exclude_bid(self._supplier, self._reason)


class SetCommitments(EditCommand):
    """Replace a bid's social-value commitments."""

    def __init__(self, doc: TenderDocument, supplier: str, commitments: tuple[Commitment, ...]) -> None:
        super().__init__(doc, f"Set commitments of {supplier}")
        self._supplier, self._new = supplier, tuple(commitments)
        self._old = doc.bid(supplier).commitments

    def apply(self) -> None:
        self._doc.set_commitments(self._supplier, self._new)

    def revert(self) -> None:
        self._doc.set_commitments(self._supplier, self._old)


class SetEvaluatorScore(EditCommand):
    """One evaluator's mark and reason for one bid on one criterion."""

    def __init__(self, doc: TenderDocument, supplier: str, cid: str, evaluator: str, value: Decimal | None,
                 reason: str) -> None:
        verb = "Clear mark" if value is None else "Mark"
        super().__init__(doc, f"{verb}: {supplier} on {doc.criterion(cid).name} ({evaluator})")
        self._key = (supplier, cid, evaluator)
        self._new = (value, reason)
        self._before: Bid | None = None

    def apply(self) -> None:
        self._before = self._doc.bid(self._key[0])
        self._doc.set_evaluator_score(*self._key, *self._new)

    def revert(self) -> None:
        # The bid as it was: exact even where "no reason" and "an empty reason" differ in storage.
        assert self._before is not None
        self._doc.restore_bid(self._before, f"Undo: {self.text()}", self._key[1])


class SetConsensusScore(EditCommand):
    """The agreed (moderated) score and its reason; evaluators' marks are kept."""

    def __init__(self, doc: TenderDocument, supplier: str, cid: str, value: Decimal | None, reason: str) -> None:
        verb = "Clear agreed score" if value is None else "Agree score"
        super().__init__(doc, f"{verb}: {supplier} on {doc.criterion(cid).name}")
        self._key = (supplier, cid)
        self._new = (value, reason)
        self._before: Bid | None = None

    def apply(self) -> None:
        self._before = self._doc.bid(self._key[0])
        self._doc.set_consensus_score(*self._key, *self._new)

    def revert(self) -> None:
        assert self._before is not None
        self._doc.restore_bid(self._before, f"Undo: {self.text()}", self._key[1])


class SetChecklist(EditCommand):
    """Replace the negotiation checklist with one computed by the negotiation domain."""

    def __init__(self, doc: TenderDocument, checklist: object, text: str) -> None:
        super().__init__(doc, text)
        self._new = checklist
        self._old = doc.tender.checklist

    def apply(self) -> None:
        self._doc.set_checklist(self._new, self.text())

    def revert(self) -> None:
        self._doc.set_checklist(self._old, f"Undo: {self.text()}")


class DomainEdit(EditCommand):
    """A negotiation edit: a pure domain function of the tender (``set_ask_status``, ``update_outcome``,
    ``apply_agreed_asks`` …), undone by putting back the tender as it was just before."""

    def __init__(self, doc: TenderDocument, edit: Callable[[Tender], Tender], text: str,
                 supplier: str | None = None) -> None:
        super().__init__(doc, text)
        self._edit = edit
        self._supplier = supplier
        self._before: Tender | None = None

    def apply(self) -> None:
        self._before = self._doc.tender
        self._doc.apply_edit(self._edit(self._before), self.text(), self._supplier)

    def revert(self) -> None:
        assert self._before is not None
        self._doc.apply_edit(self._before, f"Undo: {self.text()}", self._supplier)


class ImportBids(SnapshotCommand):
    """Apply a previewed import of bids and scores (``svdesk.io.bids_import``) as one step; undo puts the
    tender back as it was. Redo works after undo because the tender is then exactly the one previewed."""

    def __init__(self, doc: TenderDocument, preview: object, name: str) -> None:
        super().__init__(doc, f"Import bids from {name}")
        self._preview = preview

    def do(self) -> None:
        from svdesk.io.bids_import import apply_bids_import

        self._doc.replace_tender(apply_bids_import(self._doc.tender, self._preview), self.text())  # type: ignore[arg-type]
