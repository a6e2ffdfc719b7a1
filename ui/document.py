"""One open tender: applies pure domain edits, commits each at once, and says precisely what changed.

Data flows one way (STYLE.md): a :mod:`ui.commands` command runs a pure function of :mod:`svdesk.domain` on the
tender → :meth:`TenderDocument.commit_edit` has ``Database.save_tender`` commit the new tender → only then does
the document hold it and emit the signals its :class:`Change` names. So whatever the window shows has been saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from svdesk.domain import tender as edits
from svdesk.domain.attachments import Attachment
from svdesk.domain.tender import Bid, Criterion, Tender, TenderStatus
from svdesk.errors import SvdeskError
from ui.store_port import DatabaseLike


@dataclass(frozen=True)
class Change:
    """What an edit touched: the document emits exactly these signals after the commit (in this order)."""

    details: bool = False                   #: details_changed()
    status: bool = False                    #: status_changed(the new status)
    criteria: bool = False                  #: criteria_changed(): criteria added or removed
    criterion: str | None = None            #: criterion_changed(id)
    bids: bool = False                      #: bids_changed(): bids added or removed
    checklist: bool = False                 #: checklist_changed()
    bid: str | None = None                  #: bid_changed(supplier)
    scores: tuple[str, str] | None = None   #: scores_changed(supplier, criterion id)


def where_for(change: Change) -> tuple[str, dict[str, str]] | None:
    """The page (and the target there) showing what ``change`` touched, for undo and redo to bring it into view;
    ``None`` for a change everywhere (an import: the officer stays where they are)."""
    if change.details and change.status and change.criteria and change.bids and change.checklist:
        return None
    if change.scores is not None:
        return "scoring", {"supplier": change.scores[0], "criterion": change.scores[1]}
    if change.checklist:
        return "negotiation", {"supplier": change.bid} if change.bid else {}
    if change.bid is not None:
        return "bids", {"supplier": change.bid}
    if change.bids:
        return "bids", {}
    if change.criterion is not None:
        return "evaluation", {"criterion": change.criterion}
    if change.criteria:
        return "evaluation", {}
    if change.details or change.status:
        return "overview", {}
    return None


#: A change anywhere (a reload, an import of bids and scores): every view starts again.
EVERYTHING = Change(details=True, status=True, criteria=True, bids=True, checklist=True)


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
        view_requested(str, object): an undo or redo changed something: bring it into view (a page key and the
            target to select there, a dict — see :func:`where_for`).
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
    view_requested = Signal(str, object)

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

    def bring_into_view(self, where: tuple[str, dict[str, str]] | None) -> None:
        """Ask the workspace to show what an undo or redo just changed."""
        if where is not None:
            self.view_requested.emit(where[0], dict(where[1]))

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

    def set_status(self, status: TenderStatus) -> None:
        """Move the tender along its lifecycle (the lifecycle's rules decide whether it may)."""
        new = edits.set_status(self._tender, status)
        self._commit(new, f"Status: {status.label}", lambda: self.status_changed.emit(status.value))

    def commit_edit(self, new: Tender, action: str, change: Change, who: str | None = None) -> None:
        """Commit a tender computed by a pure domain edit (or an earlier one, for undo) and announce ``change``.

        ``who`` records someone other than the officer in the audit log (a merged return: the evaluator).
        """
        if new.reference != self._tender.reference:
            raise SvdeskError("that change belongs to a different tender")
        self._commit(new, action, lambda: self._announce(change), who)

    def set_attachments(self, attachments: tuple[Attachment, ...], supplier: str) -> None:
        """Show the bids' attached files as the database now holds them (after an add or a remove, which the
        database has already committed and audited: not an undoable edit)."""
        self._tender = replace(self._tender, attachments=attachments)
        self.bid_changed.emit(supplier)
        self.changed.emit()

    # --- committing ------------------------------------------------------------------------------------

    def _announce(self, change: Change) -> None:
        if change.details:
            self.details_changed.emit()
        if change.status:
            self.status_changed.emit(self._tender.status.value)
        if change.criteria:
            self.criteria_changed.emit()
        if change.criterion is not None:
            self.criterion_changed.emit(change.criterion)
        if change.bids:
            self.bids_changed.emit()
        if change.checklist:
            self.checklist_changed.emit()
        if change.bid is not None:
            self.bid_changed.emit(change.bid)
        if change.scores is not None:
            self.scores_changed.emit(*change.scores)

    def _commit(self, new: Tender, action: str, announce: Callable[[], None], who: str | None = None) -> None:
        old = self._tender
        if new == old:
            return
        if new.attachments is not old.attachments:
            # Attached files are added and removed by their own audited calls, never saved with the tender:
            # an undo restoring an older tender keeps the files as they are now.
            new = replace(new, attachments=old.attachments)
        if len(new.bids) < len(old.bids) and new.attachments:
            # A bid removed takes its files with it in the database (an undo brings back the bid, not them).
            kept = {b.supplier for b in new.bids}
            new = replace(new, attachments=tuple(a for a in new.attachments if a.supplier in kept))
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
            self._announce(EVERYTHING)
            self.changed.emit()
            self.reloaded.emit()
