"""The scoring grids: one evaluator's marks (bids × assessed criteria) and the moderation table.

Neither shows a price: quality marks must not be swayed by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Slot
from PySide6.QtGui import QColor

from svdesk.domain.scoring import SPREAD_LIMIT
from svdesk.domain.tender import Bid, Criterion
from svdesk.errors import SvdeskError
from ui.commands import SetConsensusScore, SetEvaluatorScore
from ui.document import TenderDocument
from ui.formatting import parse_mark, plain, range_text
from ui.models.base import Cell, Index, TableModel
from ui.models.frozen import frozen_hint, is_locked

NO_REASON = QColor("#fff3c4")     # a mark with no reason yet (the bidder's summary must quote one)
WIDE_SPREAD = QColor("#ffd7d5")   # evaluators disagree by more than 40% of the scale
AGREED = QColor("#dff0d8")
GREY = QColor("#9e9e9e")


def assessed(doc: TenderDocument) -> tuple[Criterion, ...]:
    """The criteria evaluators mark (quality and qualitative social value)."""
    return tuple(c for c in doc.tender.criteria if c.is_assessed)


class EvaluatorScoresModel(TableModel):
    """One evaluator's marks: rows are bids, columns the assessed criteria. Typing a mark keeps the reason."""

    def __init__(self, doc: TenderDocument, evaluator: str = "") -> None:
        super().__init__(doc)
        self._doc = doc
        self._evaluator = evaluator
        self._bids: tuple[Bid, ...] = doc.tender.bids
        self._criteria = assessed(doc)
        self._barred_for: tuple[object, str] | None = None     # (panel, evaluator) the set below is for
        self._barred: frozenset[str] = frozenset()
        doc.bids_changed.connect(self._on_doc_structure_changed)
        doc.criteria_changed.connect(self._on_doc_structure_changed)
        doc.criterion_changed.connect(self._on_doc_criterion_changed)
        doc.bid_changed.connect(self._on_doc_bid_changed)
        doc.scores_changed.connect(self._on_doc_scores_changed)

    @property
    def evaluator(self) -> str:
        """Whose marks are shown."""
        return self._evaluator

    def set_evaluator(self, evaluator: str) -> None:
        """Show another evaluator's marks."""
        self.beginResetModel()
        self._evaluator = evaluator
        self.endResetModel()

    def bid(self, row: int) -> Bid:
        """The bid in a row."""
        return self._bids[row]

    def barred(self, supplier: str) -> bool:
        """Whether the evaluator's declaration of interest keeps them from marking this bid."""
        t = self._doc.tender
        if self._barred_for != (t.panel, self._evaluator):
            from svdesk.domain.panel import barred_from

            self._barred_for = (t.panel, self._evaluator)
            self._barred = barred_from(t, self._evaluator) if self._evaluator else frozenset()
        return supplier.casefold() in self._barred

    def criterion(self, column: int) -> Criterion:
        """The criterion in a column."""
        return self._criteria[column]

    def cell_of(self, supplier: str, cid: str) -> QModelIndex:
        """The cell for a bid and criterion (invalid when not shown)."""
        r = next((i for i, b in enumerate(self._bids) if b.supplier == supplier), None)
        c = next((i for i, x in enumerate(self._criteria) if x.id == cid), None)
        return QModelIndex() if r is None or c is None else self.index(r, c)

    def mark(self, supplier: str, cid: str) -> tuple[Decimal | None, str]:
        """This evaluator's mark and reason for a bid on a criterion."""
        b = self._doc.bid(supplier)
        return (b.evaluator_scores.get(cid, {}).get(self._evaluator),
                b.evaluator_reasons.get(cid, {}).get(self._evaluator, ""))

    @Slot()
    def _on_doc_structure_changed(self) -> None:
        self.beginResetModel()
        self._bids = self._doc.tender.bids
        self._criteria = assessed(self._doc)
        self.endResetModel()

    @Slot(str)
    def _on_doc_criterion_changed(self, cid: str) -> None:
        if any(c.id == cid for c in self._criteria) != self._doc.criterion(cid).is_assessed:
            self._on_doc_structure_changed()
            return
        self._criteria = assessed(self._doc)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self._criteria) - 1))

    @Slot(str)
    def _on_doc_bid_changed(self, supplier: str) -> None:
        self._bids = self._doc.tender.bids
        ix = self.cell_of(supplier, self._criteria[0].id) if self._criteria else QModelIndex()
        if ix.isValid():
            self.dataChanged.emit(self.index(ix.row(), 0), self.index(ix.row(), len(self._criteria) - 1))

    @Slot(str, str)
    def _on_doc_scores_changed(self, supplier: str, cid: str) -> None:
        self._bids = self._doc.tender.bids
        ix = self.cell_of(supplier, cid)
        if ix.isValid():
            self.dataChanged.emit(ix, ix)

    def row_count(self) -> int:
        return len(self._bids)

    def column_count(self) -> int:
        return len(self._criteria)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Cell:
        if orientation is Qt.Orientation.Horizontal and 0 <= section < len(self._criteria):
            c = self._criteria[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{c.name}\n({range_text(c.scale_max)})"
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{c.name}: {c.kind.label}, marked {range_text(c.scale_max)}"
        vertical = orientation is Qt.Orientation.Vertical and 0 <= section < len(self._bids)
        if vertical and role == Qt.ItemDataRole.DisplayRole:
            return self._bids[section].supplier
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if (self._evaluator and not self._doc.read_only and not is_locked(self._doc.tender)
                and not self.barred(self._bids[index.row()].supplier)):
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def cell(self, row: int, col: int, role: int) -> Cell:
        b = self._bids[row]
        c = self._criteria[col]
        if (hint := frozen_hint(self._doc.tender, role)) is not None:
            return hint
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole) and self.barred(b.supplier):
            return (f"{self._evaluator} declared a conflict of interest with {b.supplier} and does not mark it"
                    if role == Qt.ItemDataRole.ToolTipRole else GREY)
        value = b.evaluator_scores.get(c.id, {}).get(self._evaluator)
        reason = b.evaluator_reasons.get(c.id, {}).get(self._evaluator, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return plain(value)
        if role == Qt.ItemDataRole.ToolTipRole:
            if value is None:
                return "Not marked yet"
            return reason or "No reason yet: add one (the bidder's summary quotes it)"
        if role == Qt.ItemDataRole.BackgroundRole and value is not None and not reason.strip():
            return NO_REASON
        if role == Qt.ItemDataRole.ForegroundRole and b.excluded:
            return GREY
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self._evaluator or not self.valid(index):
            return False
        b = self._bids[index.row()]
        c = self._criteria[index.column()]
        old, reason = self.mark(b.supplier, c.id)
        try:
            mark = parse_mark(str(value))
        except SvdeskError as e:
            self._doc.edit_refused.emit(str(e))
            return False
        if mark == old:
            return False
        return self._doc.push(SetEvaluatorScore(self._doc, b.supplier, c.id, self._evaluator, mark, reason))


@dataclass(frozen=True)
class ModerationRow:
    """One bid on one criterion, as moderation sees it."""

    supplier: str
    cid: str


class ModerationModel(TableModel):
    """Every bid × assessed criterion: each evaluator's mark, the spread, and the agreed score with its reason."""

    FIXED = ("Supplier", "Criterion")

    def __init__(self, doc: TenderDocument) -> None:
        super().__init__(doc)
        self._doc = doc
        self._rows: list[ModerationRow] = []
        self._evaluators: list[str] = []
        self._load()
        doc.bids_changed.connect(self._on_doc_structure_changed)
        doc.criteria_changed.connect(self._on_doc_structure_changed)
        doc.criterion_changed.connect(self._on_doc_criterion_changed)
        doc.bid_changed.connect(self._on_doc_bid_changed)
        doc.scores_changed.connect(self._on_doc_scores_changed)

    def _load(self) -> None:
        self._evaluators = self._doc.evaluators()
        self._rows = [ModerationRow(b.supplier, c.id) for b in self._doc.tender.bids for c in assessed(self._doc)]

    @property
    def evaluators(self) -> list[str]:
        """The evaluators shown as columns."""
        return list(self._evaluators)

    # columns: Supplier, Criterion, <evaluators…>, Spread, Agreed score, Reason
    def _spread_col(self) -> int:
        return len(self.FIXED) + len(self._evaluators)

    @property
    def agreed_column(self) -> int:
        """The column holding the agreed score."""
        return self._spread_col() + 1

    def row(self, r: int) -> ModerationRow:
        """What a row is about."""
        return self._rows[r]

    def row_of(self, supplier: str, cid: str) -> int | None:
        """The row for a bid and criterion."""
        return next((i for i, x in enumerate(self._rows) if x.supplier == supplier and x.cid == cid), None)

    def marks(self, r: int) -> dict[str, Decimal]:
        """Every evaluator's mark in a row."""
        x = self._rows[r]
        return dict(self._doc.bid(x.supplier).evaluator_scores.get(x.cid, {}))

    def spread(self, r: int) -> Decimal | None:
        """max − min of the evaluators' marks (``None`` with fewer than two)."""
        m = list(self.marks(r).values())
        return max(m) - min(m) if len(m) >= 2 else None

    def wide(self, r: int) -> bool:
        """Whether the spread is above 40% of the scale (flagged for discussion)."""
        s = self.spread(r)
        return s is not None and s > SPREAD_LIMIT * self._doc.criterion(self._rows[r].cid).scale_max

    @Slot()
    def _on_doc_structure_changed(self) -> None:
        self.beginResetModel()
        self._load()
        self.endResetModel()

    @Slot(str)
    def _on_doc_criterion_changed(self, cid: str) -> None:
        self._on_doc_structure_changed()

    @Slot(str)
    def _on_doc_bid_changed(self, supplier: str) -> None:
        rows = [i for i, x in enumerate(self._rows) if x.supplier == supplier]
        if rows:
            self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], self.columnCount() - 1))

    @Slot(str, str)
    def _on_doc_scores_changed(self, supplier: str, cid: str) -> None:
        if self._doc.evaluators() != self._evaluators:
            self._on_doc_structure_changed()      # a new evaluator adds a column
            return
        r = self.row_of(supplier, cid)
        if r is not None:
            self.dataChanged.emit(self.index(r, 0), self.index(r, self.columnCount() - 1))

    def row_count(self) -> int:
        return len(self._rows)

    def column_count(self) -> int:
        return len(self.FIXED) + len(self._evaluators) + 3

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Cell:
        if orientation is not Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section < len(self.FIXED):
                return self.FIXED[section]
            if section < self._spread_col():
                return self._evaluators[section - len(self.FIXED)]
            return ("Spread", "Agreed", "Reason")[section - self._spread_col()]
        if role == Qt.ItemDataRole.ToolTipRole and section >= self._spread_col():
            return ("Highest minus lowest mark; red when above 40% of the scale", "The agreed (moderated) score",
                    "The reason for the agreed score, quoted in the bidder's assessment summary")[
                        section - self._spread_col()]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.agreed_column and not self._doc.read_only and not is_locked(self._doc.tender):
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def cell(self, row: int, col: int, role: int) -> Cell:
        r = row
        if col == self.agreed_column and (hint := frozen_hint(self._doc.tender, role)) is not None:
            return hint
        x = self._rows[r]
        b = self._doc.bid(x.supplier)
        c = self._doc.criterion(x.cid)
        agreed = b.scores.get(x.cid)
        reason = b.explanations.get(x.cid, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return x.supplier
            if col == 1:
                return c.name
            if col < self._spread_col():
                return plain(b.evaluator_scores.get(x.cid, {}).get(self._evaluators[col - len(self.FIXED)]))
            if col == self._spread_col():
                s = self.spread(r)
                if s is None:
                    return ""
                return f"{plain(s)}  ⚠ discuss" if self.wide(r) and role == Qt.ItemDataRole.DisplayRole else plain(s)
            if col == self.agreed_column:
                return plain(agreed)
            return reason
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in (0, 1):           # may be cut short in a narrow column
                return x.supplier if col == 0 else c.name
            if len(self.FIXED) <= col < self._spread_col():
                who = self._evaluators[col - len(self.FIXED)]
                return b.evaluator_reasons.get(x.cid, {}).get(who) or None
            if col == self.agreed_column + 1 and reason:
                return reason
        if role == Qt.ItemDataRole.BackgroundRole:
            if col == self._spread_col() and self.wide(r):
                return WIDE_SPREAD
            if col == self.agreed_column and agreed is not None:
                return NO_REASON if not reason.strip() else AGREED
        if role == Qt.ItemDataRole.ForegroundRole and b.excluded:
            return GREY
        if role == Qt.ItemDataRole.TextAlignmentRole and len(self.FIXED) <= col <= self.agreed_column:
            return Qt.AlignmentFlag.AlignCenter
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != self.agreed_column or not self.valid(index):
            return False
        x = self._rows[index.row()]
        b = self._doc.bid(x.supplier)
        try:
            mark = parse_mark(str(value))
        except SvdeskError as e:
            self._doc.edit_refused.emit(str(e))
            return False
        if mark == b.scores.get(x.cid):
            return False
        return self._doc.push(SetConsensusScore(self._doc, x.supplier, x.cid, mark, b.explanations.get(x.cid, "")))
