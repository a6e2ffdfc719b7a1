"""What every table model shares: a flat table with fixed column titles, checked indexes, refused edits said.

:class:`TableModel` answers ``rowCount``/``columnCount``/``headerData``/``flags``/``data`` for a flat table;
a model says its ``COLUMNS`` and its rows (``row_count``), and answers ``cell(row, column, role)``.
:class:`TenderRowsModel` adds rows read from the open tender (its bids, its criteria), kept in step with the
document's two signals for them: one for rows added or removed (a reset), one for a row changed (that row).
"""

from __future__ import annotations

from typing import Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, SignalInstance, Slot
from PySide6.QtGui import QColor, QFont

from ui.document import TenderDocument

Index = QModelIndex | QPersistentModelIndex

#: A row of a tender-backed table (a ``Bid``, a ``Criterion`` …).
Row = TypeVar("Row")

#: What a cell or a column title shows for a role (Qt's QVariant, as these tables use it).
Cell = str | QColor | QFont | Qt.AlignmentFlag | Qt.CheckState | None

#: Right-aligned, for money and numbers.
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TableModel(QAbstractTableModel):
    """A flat, read-only table with fixed column titles; subclasses answer :meth:`cell` (STYLE.md rule 5)."""

    COLUMNS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def row_count(self) -> int:
        """How many rows the table has."""
        return 0

    def column_count(self) -> int:
        """How many columns the table has (the titles', unless the columns vary)."""
        return len(self.COLUMNS)

    def cell(self, row: int, column: int, role: int) -> Cell:
        """What a valid cell shows for a role (``None`` for nothing)."""
        return None

    def valid(self, index: Index) -> bool:
        """Whether an index is a cell of this table (Qt's own check)."""
        return self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid)

    def row_changed(self, row: int) -> None:
        """Say that every cell of a row changed."""
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.column_count()

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Cell:
        # Return None ourselves: super().headerData() leaks None on PySide6 6.12 (tests/ui/test_pyside_pin.py).
        horizontal = orientation is Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS)
        if role == Qt.ItemDataRole.DisplayRole and horizontal:
            return self.COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.valid(index):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Cell:
        if not self.valid(index):
            return None
        return self.cell(index.row(), index.column(), role)


class TenderRowsModel(TableModel, Generic[Row]):
    """A table with one row per item of the open tender; edits go through the document (``setData`` pushes).

    Args:
        doc: the open tender.
        rows_changed: the document's signal for rows added or removed (the table is reset).
        row_changed: the document's signal for one row changed, with the row's key (that row is redrawn).
    """

    def __init__(self, doc: TenderDocument, rows_changed: SignalInstance, row_changed: SignalInstance) -> None:
        super().__init__(doc)
        self._doc = doc
        self._rows: tuple[Row, ...] = self.read_rows()
        rows_changed.connect(self._on_doc_rows_changed)
        row_changed.connect(self._on_doc_row_changed)

    def read_rows(self) -> tuple[Row, ...]:
        """The rows, read from the document's tender."""
        raise NotImplementedError

    def key(self, row: Row) -> str:
        """What the document's ``row_changed`` signal names a row by."""
        raise NotImplementedError

    def row_of(self, key: str) -> int | None:
        """The row with this key, or ``None``."""
        return next((i for i, r in enumerate(self._rows) if self.key(r) == key), None)

    def row_count(self) -> int:
        return len(self._rows)

    def refuse(self, message: str) -> bool:
        """Say why an edit typed into a cell was refused; it never happened, so the cell keeps its value."""
        self._doc.edit_refused.emit(message)
        return False

    @Slot()
    def _on_doc_rows_changed(self) -> None:
        self.beginResetModel()
        self._rows = self.read_rows()
        self.endResetModel()

    @Slot(str)
    def _on_doc_row_changed(self, key: str) -> None:
        self._rows = self.read_rows()
        row = self.row_of(key)
        if row is not None:
            self.row_changed(row)
