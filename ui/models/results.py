"""The results tables: the ranking and the price-formula comparison (read-only)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont

from svdesk.domain.money import format_gbp, format_points
from svdesk.domain.scoring import BidResult, Results
from svdesk.domain.tender import Tender
from ui.formatting import plain
from ui.models.base import RIGHT, Cell, TableModel

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


class ResultsModel(TableModel):
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

    def row_count(self) -> int:
        return len(self._rows)

    def column_count(self) -> int:
        return len(self._headers())

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Cell:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            h = self._headers()
            if 0 <= section < len(h):
                return h[section]
        return None

    def cell(self, row: int, col: int, role: int) -> Cell:
        if self._tender is None:
            return None
        r = self._rows[row]
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
            return RIGHT
        return None


class ComparisonModel(TableModel):
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

    def row_count(self) -> int:
        return 0 if self._results is None else len(self._results.comparison)

    def cell(self, row: int, col: int, role: int) -> Cell:
        if self._results is None:
            return None
        m = self._results.comparison[row]
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
