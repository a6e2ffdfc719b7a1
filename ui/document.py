"""One open tender: applies pure domain edits, commits each at once, and says precisely what changed.

Data flows one way (STYLE.md): a :mod:`ui.commands` command calls a method here → a pure function in
:mod:`svdesk.domain.tender` returns the new tender → ``Database.save_tender`` commits it → only then does the
document hold the new value and emit its signals. So whatever the window shows has been saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from svdesk.domain import tender as edits
from svdesk.domain.tender import Bid, Commitment, Criterion, Tender, TenderStatus
from svdesk.errors import SvdeskError
from ui.store_port import DatabaseLike


class TenderDocument(QObject):
    """An open tender, its undo history, and autosave.

    Signals:
        details_changed(): title, category, values, term, dates, description, buyer or officer changed.
        status_changed(str): the lifecycle status changed (its new value).
        criteria_changed(): criteria were added or removed (a structural change).
        criterion_changed(str): one criterion's fields changed (its id).
        bids_changed(): bids were added or removed.
        bid_changed(str): one bid's details, price, commitments or exclusion changed (its supplier).
        scores_changed(str, str): marks or the agreed score changed for (supplier, criterion id).
        checklist_changed(): the negotiation checklist changed.
        changed(): anything changed (emitted after the precise signal).
        saved(str): an edit was committed to the database (its description).
        edit_refused(str): an edit was refused or could not be saved (plain English).
        reloaded(): the tender was re-read from the database after a failed save; the undo history was cleared.
    """

    details_changed = Signal()
    status_changed = Signal(str)
    criteria_changed = Signal()
    criterion_changed = Signal(str)
    bids_changed = Signal()
    bid_changed = Signal(str)
    scores_changed = Signal(str, str)
    checklist_changed = Signal()
    changed = Signal()
    saved = Signal(str)
    edit_refused = Signal(str)
    reloaded = Signal()

    def __init__(self, db: DatabaseLike, tender: Tender, who: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._tender = tender
        self._who = who
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        self._evaluators_of: Tender | None = None
        self._bids_of: Tender | None = None
        self._bid_index: dict[str, Bid] = {}
        self._evaluators: list[str] = []
        self.last_saved: str = ""

    # --- reading --------------------------------------------------------------------------------------

    @property
    def tender(self) -> Tender:
        """The tender as last committed."""
        return self._tender

    @property
    def reference(self) -> str:
        """The tender's reference."""
        return self._tender.reference

    @property
    def database(self) -> DatabaseLike:
        """The database the tender is saved to."""
        return self._db

    @property
    def read_only(self) -> bool:
        """Whether the database can only be read."""
        return bool(self._db.read_only)

    @property
    def who(self) -> str:
        """The name written in the audit log."""
        return self._who

    def criterion(self, cid: str) -> Criterion:
        """One criterion of the tender."""
        return self._tender.criterion(cid)

    def bid(self, supplier: str) -> Bid:
        """One bid of the tender."""
        # The grids ask for a bid per cell they draw or measure: look it up by name, not by a search of 500 bids.
        if self._bids_of is not self._tender:
            index: dict[str, Bid] = {}
            for b in self._tender.bids:
                index.setdefault(b.supplier, b)
            self._bids_of, self._bid_index = self._tender, index
        found = self._bid_index.get(supplier)
        return found if found is not None else self._tender.bid(supplier)

    def evaluators(self) -> list[str]:
        """The panel's evaluators (marked yet or not), then anyone else who has marked, in first-seen order."""
        # Asked several times after every edit (scoring page, moderation model): read the bids once per tender.
        if self._evaluators_of is not self._tender:
            from svdesk.domain.panel import evaluators

            self._evaluators_of, self._evaluators = self._tender, evaluators(self._tender)
        return list(self._evaluators)

    # --- the undo stack --------------------------------------------------------------------------------

    def push(self, command: QUndoCommand) -> bool:
        """Apply a command, then put it on the undo stack. Returns False (and says why) when it is refused.

        The command is applied *before* it is pushed, so a refused edit never enters the history.
        """
        apply = getattr(command, "apply_first", None)
        if apply is not None:
            try:
                apply()
            except SvdeskError as e:
                self.edit_refused.emit(str(e))
                return False
        self.undo_stack.push(command)
        return True

    def push_all(self, text: str, commands: Sequence[QUndoCommand]) -> bool:
        """Several commands as one undoable step (a macro); all or nothing."""
        if not commands:
            return True
        self.undo_stack.beginMacro(text)
        ok = True
        for c in commands:
            if not self.push(c):
                ok = False
                break
        self.undo_stack.endMacro()
        if not ok:
            self.undo_stack.undo()   # take back the part that was applied
            self.undo_stack.command(self.undo_stack.count() - 1).setObsolete(True)
        return ok

    def report_failure(self, message: str) -> None:
        """An undo or redo could not be applied: say so, and clear the history, which no longer matches.

        The clearing waits for the event loop: the stack is still inside its own undo() here.
        """
        self.edit_refused.emit(message)
        QTimer.singleShot(0, self.undo_stack.clear)

    # --- edits (each called by a command's redo/undo) ---------------------------------------------------

    def set_details(self, action: str, **changes: object) -> None:
        """Change the tender's details."""
        self._commit(edits.update_details(self._tender, **changes), action, self.details_changed.emit)

    def set_key_date(self, key: str, day: date | None) -> None:
        """Set or clear a key date."""
        label = edits.KEY_DATES.get(key, key)
        action = f"Set {label.lower()}" if day else f"Clear {label.lower()}"
        self._commit(edits.set_key_date(self._tender, key, day), action, self.details_changed.emit)

    def set_status(self, status: TenderStatus) -> None:
        """Move the tender along its lifecycle."""
        new = edits.set_status(self._tender, status)
        self._commit(new, f"Status: {status.label}", lambda: self.status_changed.emit(status.value))

    def set_weight(self, cid: str, weight: Decimal) -> None:
        """Change one criterion's weight."""
        name = self.criterion(cid).name
        self._commit(edits.set_weight(self._tender, cid, weight), f"Set weight of {name} to {weight.normalize():f}",
                     lambda: self.criterion_changed.emit(cid))

    def update_criterion(self, cid: str, changes: dict[str, object]) -> None:
        """Change fields of one criterion."""
        name = self.criterion(cid).name
        self._commit(edits.update_criterion(self._tender, cid, **changes), f"Change {name}",
                     lambda: self.criterion_changed.emit(cid))

    def add_criterion(self, criterion: Criterion) -> None:
        """Add a criterion."""
        self._commit(edits.add_criterion(self._tender, criterion), f"Add criterion {criterion.name}",
                     self.criteria_changed.emit)

    def remove_criterion(self, cid: str) -> None:
        """Remove a criterion and every score against it."""
        name = self.criterion(cid).name
        self._commit(edits.remove_criterion(self._tender, cid), f"Remove criterion {name}", self.criteria_changed.emit)

    def add_bid(self, bid: Bid) -> None:
        """Record a new bid."""
        self._commit(edits.add_bid(self._tender, bid), f"Add bid from {bid.supplier}", self.bids_changed.emit)

    def remove_bid(self, supplier: str) -> None:
        """Remove a bid."""
        self._commit(edits.remove_bid(self._tender, supplier), f"Remove bid from {supplier}", self.bids_changed.emit)

    def set_price(self, supplier: str, price: Decimal | None) -> None:
        """Record a bid's price."""
        self._commit(edits.set_price(self._tender, supplier, price), f"Set price of {supplier}",
                     lambda: self.bid_changed.emit(supplier))

    def update_bid(self, supplier: str, changes: dict[str, object]) -> None:
        """Change a bid's SME/VCSE/locality/address/notes."""
        self._commit(edits.update_bid(self._tender, supplier, **changes), f"Change details of {supplier}",
                     lambda: self.bid_changed.emit(supplier))

    def exclude_bid(self, supplier: str, reason: str) -> None:
        """Exclude a bid, with its reason."""
        self._commit(edits.exclude_bid(self._tender, supplier, reason), f"Exclude {supplier}",
                     lambda: self.bid_changed.emit(supplier))

    def reinstate_bid(self, supplier: str) -> None:
        """Undo an exclusion."""
        self._commit(edits.reinstate_bid(self._tender, supplier), f"Reinstate {supplier}",
                     lambda: self.bid_changed.emit(supplier))

    def set_commitments(self, supplier: str, commitments: tuple[Commitment, ...]) -> None:
        """Replace a bid's social-value commitments."""
        self._commit(edits.set_commitments(self._tender, supplier, commitments), f"Set commitments of {supplier}",
                     lambda: self.bid_changed.emit(supplier))

    def set_evaluator_score(self, supplier: str, cid: str, evaluator: str, value: Decimal | None,
                            reason: str) -> None:
        """Record (or with ``None`` clear) one evaluator's mark and reason."""
        name = self.criterion(cid).name
        what = "Clear" if value is None else "Mark"
        self._commit(
            edits.set_evaluator_score(self._tender, supplier, cid, evaluator, value, reason),
            f"{what} {supplier} on {name} ({evaluator})",
            lambda: self.scores_changed.emit(supplier, cid),
        )

    def set_consensus_score(self, supplier: str, cid: str, value: Decimal | None, reason: str) -> None:
        """Record (or with ``None`` clear) the agreed score and its reason."""
        name = self.criterion(cid).name
        what = "Clear agreed score" if value is None else "Agree score"
        self._commit(
            edits.set_consensus_score(self._tender, supplier, cid, value, reason),
            f"{what}: {supplier} on {name}",
            lambda: self.scores_changed.emit(supplier, cid),
        )

    def set_checklist(self, checklist: object, action: str) -> None:
        """Replace the negotiation checklist (the negotiation domain computes the new one)."""
        self._commit(replace(self._tender, checklist=checklist), action,  # type: ignore[arg-type]
                     self.checklist_changed.emit)

    def apply_edit(self, new: Tender, action: str, supplier: str | None = None) -> None:
        """Commit a tender computed by a pure domain edit that changes the checklist and perhaps one bid
        (the negotiation edits: ``set_ask_status``, ``update_outcome``, ``apply_agreed_asks`` …)."""
        def announce() -> None:
            self.checklist_changed.emit()
            if supplier is not None:
                self.bid_changed.emit(supplier)

        self._commit(new, action, announce)

    def restore_bid(self, snapshot: Bid, action: str, cid: str | None = None) -> None:
        """Put back one bid exactly as it was (undo of a mark or agreed score), announcing only that cell."""
        supplier = snapshot.supplier
        self.bid(supplier)
        new = replace(self._tender, bids=tuple(snapshot if b.supplier == supplier else b for b in self._tender.bids))
        if cid is None:
            self._commit(new, action, lambda: self.bid_changed.emit(supplier))
        else:
            self._commit(new, action, lambda: self.scores_changed.emit(supplier, cid))

    def replace_tender(self, new: Tender, action: str, who: str | None = None) -> None:
        """Commit a tender changed in many places at once (an import of bids and scores), announcing
        everything. ``who`` records someone else in the audit log (a merged return: the evaluator)."""
        if new.reference != self._tender.reference:
            raise SvdeskError("that change belongs to a different tender")
        self._commit(new, action, self._announce_everything, who)

    def restore(self, snapshot: Tender, action: str) -> None:
        """Put back an earlier state of the tender (undo of a structural edit), announcing everything."""
        if snapshot.reference != self._tender.reference:
            raise SvdeskError("that step belongs to a different tender")
        self._commit(snapshot, action, self._announce_everything)

    # --- committing ------------------------------------------------------------------------------------

    def _announce_everything(self) -> None:
        self.details_changed.emit()
        self.status_changed.emit(self._tender.status.value)
        self.criteria_changed.emit()
        self.bids_changed.emit()
        self.checklist_changed.emit()

    def _commit(self, new: Tender, action: str, announce: Callable[[], None], who: str | None = None) -> None:
        old = self._tender
        if new == old:
            return
        if self.read_only:
            raise SvdeskError("this database is open read-only, so nothing can be changed")
        try:
            self._db.save_tender(new, previous=old, who=who or self._who, action=action)
        except SvdeskError:
            self._reload()
            raise
        self._tender = new
        self.last_saved = action
        announce()
        self.changed.emit()
        self.saved.emit(action)

    def _reload(self) -> None:
        """After a failed save, show what the database really holds (it may have been changed elsewhere)."""
        try:
            stored = self._db.load_tender(self._tender.reference)
        except SvdeskError:
            return
        if stored != self._tender:
            self._tender = stored
            QTimer.singleShot(0, self.undo_stack.clear)   # may be inside the stack's own undo()
            self._announce_everything()
            self.changed.emit()
            self.reloaded.emit()
