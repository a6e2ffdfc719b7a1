"""The tender register: every tender in the database, one query, rows handed to the view lazily."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor

from svdesk.domain.money import format_gbp
from svdesk.domain.tender import TenderStatus
from ui.demo import is_example
from ui.formatting import when
from ui.models.base import RIGHT, Cell, Index, TableModel
from ui.store_port import DatabaseLike, TenderSummaryLike

#: Rows handed to the view at a time (a virtual model: thousands of tenders cost nothing until scrolled to).
BATCH = 256

STATUS_COLOURS = {
    TenderStatus.DRAFT: QColor("#8a8f98"),
    TenderStatus.NEGOTIATION: QColor("#b26a00"),
    TenderStatus.EVALUATION: QColor("#1f6fb2"),
    TenderStatus.AWARDED: QColor("#2e7d32"),
    TenderStatus.CLOSED: QColor("#455a64"),
    TenderStatus.CANCELLED: QColor("#b71c1c"),
}


class RegisterModel(TableModel):
    """The register's rows (``TenderSummary``), filtered by the database in one query.

    Signals:
        refreshed(int): the query ran; how many tenders match.
    """

    refreshed = Signal(int)

    COLUMNS = ("Reference", "Title", "Category", "Status", "Annual value", "Bids", "Last changed")
    REFERENCE, TITLE, CATEGORY, STATUS, VALUE, BIDS, UPDATED = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db: DatabaseLike | None = None
        self._all: list[TenderSummaryLike] = []
        self._shown = 0
        self._sort = (self.REFERENCE, Qt.SortOrder.AscendingOrder)
        self._filter: tuple[str, TenderStatus | None, str | None] = ("", None, None)

    # --- loading ----------------------------------------------------------------------------------------

    def set_database(self, db: DatabaseLike | None) -> None:
        """Show the tenders of this database (or none)."""
        self._db = db
        self.refresh()

    def show_rows(self, rows: Sequence[TenderSummaryLike]) -> None:
        """Show rows read before the database is open (the start-up peek, ``svdesk.store.register``).

        :meth:`set_database` replaces them with the database's own query; until then nothing can be opened.
        """
        self.beginResetModel()
        self._all = list(rows)
        self._sort_rows()
        self._shown = min(len(self._all), BATCH)
        self.endResetModel()
        self.refreshed.emit(len(self._all))

    def set_filter(self, search: str = "", status: TenderStatus | None = None, category: str | None = None) -> None:
        """Filter the register (the database does the filtering, in one query)."""
        self._filter = (search, status, category)
        self.refresh()

    def refresh(self) -> None:
        """Run the query again (after a tender was created, changed or deleted)."""
        self.beginResetModel()
        self._all = list(self._db.list_tenders(*self._filter)) if self._db is not None else []
        self._sort_rows()
        self._shown = min(len(self._all), BATCH)
        self.endResetModel()
        self.refreshed.emit(len(self._all))

    def total(self) -> int:
        """How many tenders match the filter (more than the rows fetched so far, perhaps)."""
        return len(self._all)

    def summary(self, row: int) -> TenderSummaryLike:
        """The ``TenderSummary`` shown in a row."""
        return self._all[row]

    def row_of(self, reference: str) -> int | None:
        """The row showing a tender (fetching rows up to it), or ``None``."""
        for i, s in enumerate(self._all):
            if s.reference == reference:
                while self._shown <= i:
                    self.fetchMore(QModelIndex())
                return i
        return None

    # --- lazy rows ---------------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._shown < len(self._all)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        n = min(BATCH, len(self._all) - self._shown)
        if n <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + n - 1)
        self._shown += n
        self.endInsertRows()

    # --- the table ---------------------------------------------------------------------------------------

    def row_count(self) -> int:
        return self._shown

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Cell:
        horizontal = orientation is Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.TextAlignmentRole and horizontal and section in (self.VALUE, self.BIDS):
            return RIGHT
        return super().headerData(section, orientation, role)

    def cell(self, row: int, col: int, role: int) -> Cell:
        s = self._all[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(s, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.TITLE:
            example = ("\n\nAn example tender shipped with svdesk, to look around: File → Remove the example "
                       "tenders… takes them all out." if is_example(s.reference, s.title) else "")
            return f"{s.reference}: {s.title}{example}"
        if role == Qt.ItemDataRole.ForegroundRole and col == self.TITLE and is_example(s.reference, s.title):
            return QColor("#5f6368")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.VALUE, self.BIDS):
            return RIGHT
        if role == Qt.ItemDataRole.DecorationRole and col == self.STATUS:
            return STATUS_COLOURS.get(TenderStatus(s.status))
        if role == Qt.ItemDataRole.UserRole:
            return s.reference
        return None

    def _text(self, s: TenderSummaryLike, col: int) -> str:
        if col == self.REFERENCE:
            return str(s.reference)
        if col == self.TITLE:
            return f"{s.title}  (example)" if is_example(s.reference, s.title) else str(s.title)
        if col == self.CATEGORY:
            return str(s.category)
        if col == self.STATUS:
            return TenderStatus(s.status).label
        if col == self.VALUE:
            return format_gbp(s.annual_value) if s.annual_value is not None else ""
        if col == self.BIDS:
            return str(s.bid_count)
        return when(s.updated_at)

    # --- sorting -----------------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        self.beginResetModel()
        self._sort = (column, order)
        self._sort_rows()
        self.endResetModel()

    def _sort_rows(self) -> None:
        column, order = self._sort

        def key(s: TenderSummaryLike) -> tuple[bool, int | float | Decimal | str]:
            if column == self.VALUE:
                v = s.annual_value
                return (v is None, v if v is not None else 0)
            if column == self.BIDS:
                return (False, s.bid_count)
            if column == self.UPDATED:
                u = s.updated_at
                return (u is None, u.timestamp() if u is not None else 0)
            if column == self.STATUS:
                return (False, list(TenderStatus).index(TenderStatus(s.status)))
            return (False, self._text(s, column).casefold())

        self._all.sort(key=key, reverse=order is Qt.SortOrder.DescendingOrder)
