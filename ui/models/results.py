"""The results tables: the ranking and the price-formula comparison (read-only)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from svdesk.domain.money import format_gbp, format_points
from svdesk.domain.scoring import BidResult, Results
from svdesk.domain.tender import Tender
from ui.formatting import plain

Index = QModelIndex | QPersistentModelIndex

#: How each flag reads to an officer.
FLAG_TEXT = {
    "tie": "Tie",
    "provisional": "Provisional (no agreed score yet)",
    "evaluator_spread": "Evaluators disagree",
    "abnormally_low": "Abnormally low price",
    "zero_price": "£0 price",
    "incomplete": "Incomplete",
}


def flag_text(flags: tuple[str, ...]) -> str:
    """Flags in words."""
    return ", ".join(FLAG_TEXT.get(f, f.replace("_", " ")) for f in flags)


class ResultsModel(QAbstractTableModel):
    """The ranking: rank, supplier, points per criterion, total, price, flags and reasons."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tender: Tender | None = None
        self._rows: tuple[BidResult, ...] = ()

    def set_results(self, tender: Tender | None, results: Results | None) -> None:
        """Show a scored tender (``None`` to clear)."""
        self.beginResetModel()
        self._tender = tender
        self._rows = results.results if results is not None else ()
        self.endResetModel()

    def result(self, row: int) -> BidResult:
        """The result in a row."""
        return self._rows[row]

    def _headers(self) -> list[str]:
        crit = [f"{c.name}\n(out of {plain(c.weight)})" for c in self._tender.criteria] if self._tender else []
        return ["Rank", "Supplier", *crit, "Total\n(out of 100)", "Bid price", "Flags", "Why not ranked"]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers())

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            h = self._headers()
            if 0 <= section < len(h):
                return h[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid) or self._tender is None:
            return None
        r = self._rows[index.row()]
        col = index.column()
        ncrit = len(self._tender.criteria)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(r.rank) if r.rank is not None else ("Excluded" if r.excluded else "–")
            if col == 1:
                return r.supplier
            if col < 2 + ncrit:
                cid = self._tender.criteria[col - 2].id
                return format_points(r.criteria[cid]) if cid in r.criteria else ""
            if col == 2 + ncrit:
                return format_points(r.total) if r.ranked else ""
            if col == 3 + ncrit:
                return format_gbp(r.price)
            if col == 4 + ncrit:
                return flag_text(r.flags)
            return "; ".join(r.reasons)
        if role == Qt.ItemDataRole.ToolTipRole and col >= 3 + ncrit:
            return "\n".join(r.reasons) or None
        if role == Qt.ItemDataRole.FontRole and r.rank == 1 and col in (0, 1, 2 + ncrit):
            f = QFont()
            f.setBold(True)
            return f
        if role == Qt.ItemDataRole.ForegroundRole and not r.ranked:
            return QColor("#8a8f98")
        if role == Qt.ItemDataRole.TextAlignmentRole and (col == 0 or 2 <= col <= 3 + ncrit):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None


class ComparisonModel(QAbstractTableModel):
    """The winner and ranking under each price formula."""

    COLUMNS = ("Price formula", "Winner", "Ranking (total points)")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._results: Results | None = None
        self._current: tuple[str, ...] = ()

    def set_results(self, results: Results | None, current_method: str | None = None) -> None:
        """Show the comparison of a scored tender."""
        self.beginResetModel()
        self._results = results
        self._current = (current_method,) if current_method else ()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._results is None else len(self._results.comparison)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation is Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS)
        if role == Qt.ItemDataRole.DisplayRole and horizontal:
            return self.COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid) or self._results is None:
            return None
        m = self._results.comparison[index.row()]
        col = index.column()
        in_use = m.method.value in self._current
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return m.method.label + ("  (this tender's formula)" if in_use else "")
            if col == 1:
                return ", ".join(m.winner) or "–"
            return "   ".join(
                f"{rank}. {s} ({format_points(total)})" for s, rank, total in m.ranking if rank is not None
            )
        if role == Qt.ItemDataRole.FontRole and in_use:
            f = QFont()
            f.setBold(True)
            return f
        return None
