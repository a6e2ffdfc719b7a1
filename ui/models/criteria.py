"""The evaluation model's table: one row per award criterion."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, Qt

from svdesk.domain.tender import CommitmentScope, Criterion, CriterionKind
from svdesk.errors import SvdeskError
from ui.commands import SetWeight, UpdateCriterion
from ui.document import TenderDocument
from ui.formatting import KIND_HELP, parse_mark, plain, range_text
from ui.models.base import RIGHT, Cell, Index, TenderRowsModel
from ui.models.frozen import frozen_hint, is_locked


def how_scored(c: Criterion) -> str:
    """One line saying how a criterion turns into points."""
    if c.kind is CriterionKind.PRICE:
        return c.price_method.label
    if c.kind is CriterionKind.COMMITMENTS:
        where = "local commitments only" if c.scope is CommitmentScope.LOCAL else "all commitments"
        return f"Highest £ value gets full marks ({where})"
    return f"Mark ÷ {plain(c.scale_max)} × weight"


class CriteriaModel(TenderRowsModel[Criterion]):
    """Criteria with their weights; name, weight and minimum score are edited in place."""

    COLUMNS = ("Criterion", "Kind", "Weight", "Scale", "Minimum score", "How it is scored")
    NAME, KIND, WEIGHT, SCALE, THRESHOLD, METHOD = range(6)

    def __init__(self, doc: TenderDocument) -> None:
        super().__init__(doc, doc.criteria_changed, doc.criterion_changed)

    def read_rows(self) -> tuple[Criterion, ...]:
        return self._doc.tender.criteria

    def key(self, row: Criterion) -> str:
        return row.id

    def criterion(self, row: int) -> Criterion:
        """The criterion in a row."""
        return self._rows[row]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        c = self._rows[index.row()]
        if self._doc.read_only or is_locked(self._doc.tender, "criteria"):
            return f
        if index.column() in (self.NAME, self.WEIGHT):
            f |= Qt.ItemFlag.ItemIsEditable
        if index.column() == self.THRESHOLD and c.is_assessed:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def cell(self, row: int, col: int, role: int) -> Cell:
        c = self._rows[row]
        if (hint := frozen_hint(self._doc.tender, role, "criteria")) is not None:
            return hint
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == self.NAME:
                return c.name
            if col == self.KIND:
                return c.kind.label
            if col == self.WEIGHT:
                return plain(c.weight)
            if col == self.SCALE:
                return range_text(c.scale_max) if c.is_assessed else ""
            if col == self.THRESHOLD:
                return plain(c.threshold) if c.is_assessed else ""
            return how_scored(c)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.THRESHOLD and c.is_assessed:
                return "A bid scoring below this mark is excluded (leave empty for no minimum)"
            if col == self.WEIGHT:
                return "Percentage points of the total; all weights must add up to 100"
            if col == self.KIND:
                return KIND_HELP.get(c.kind.value)
            return c.description or None
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.WEIGHT, self.THRESHOLD):
            return RIGHT
        if role == Qt.ItemDataRole.UserRole:
            return c.id
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.valid(index):
            return False
        c = self._rows[index.row()]
        col = index.column()
        try:
            if col == self.NAME:
                if str(value).strip() == c.name:
                    return False
                return self._doc.push(UpdateCriterion(self._doc, c.id, {"name": str(value).strip()},
                                                      f"Rename {c.name}"))
            if col == self.WEIGHT:
                weight = parse_mark(str(value), "weight")
                if weight is None or weight == c.weight:
                    return False
                return self._doc.push(SetWeight(self._doc, c.id, weight))
            if col == self.THRESHOLD:
                threshold = parse_mark(str(value), "minimum score")
                if threshold == c.threshold:
                    return False
                return self._doc.push(UpdateCriterion(self._doc, c.id, {"threshold": threshold},
                                                      f"Set minimum score of {c.name}"))
        except SvdeskError as e:
            return self.refuse(str(e))
        return False
