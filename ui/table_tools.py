"""What a business program's tables do (issue 14): sort by a column title, filter by typing, and a right-click
menu to copy, edit or delete — delete only where the domain's rules allow it, with the reason when they do not.

The models stay as they are (one ``QAbstractTableModel`` per table, STYLE.md rule 5); a :class:`SortFilter`
sits between the model and the view. Pages map rows through it (:func:`source_row`, :func:`select_source_row`).
Sorting compares :data:`SORT_ROLE` when a model gives one (money and marks as numbers, not as "£1,000" text),
else the text shown.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPoint, QSortFilterProxyModel, Qt, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QMenu, QTableView, QWidget

#: The role a model answers with a value to sort by (a ``Decimal``, a number or text); ``None``: the text shown.
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 7

Index = QModelIndex | QPersistentModelIndex


#: Text that is a number as the tables show one: "4", "2.5", "£1,234.50", "−3".
NUMBER = re.compile(r"^[-−]?£?[\d,]*\.?\d+$")


def _key(value: object) -> tuple[int, object]:
    # Numbers before text, blanks last, so "not entered" prices gather at the end of an ascending sort.
    if value is None or value == "":
        return (2, "")
    if isinstance(value, bool):
        return (0, Decimal(int(value)))
    if isinstance(value, int | Decimal):
        return (0, Decimal(value))
    text = str(value).strip()
    if NUMBER.match(text):
        with contextlib.suppress(InvalidOperation):
            return (0, Decimal(text.replace("£", "").replace(",", "").replace("−", "-")))
    return (1, text.casefold())


class SortFilter(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE` (or the text shown) and keeps the rows whose cells contain every word typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_filter_text(self, text: str) -> None:
        """Show only the rows where every word of ``text`` appears in some cell (case ignored)."""
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        m = self.sourceModel()
        texts = " ".join(str(m.data(m.index(source_row, c, source_parent)) or "")
                         for c in range(m.columnCount(source_parent))).casefold()
        return all(w in texts for w in self._words)

    def lessThan(self, left: Index, right: Index) -> bool:
        m = self.sourceModel()

        def value(ix: Index) -> object:
            v = m.data(ix, SORT_ROLE)
            return m.data(ix, Qt.ItemDataRole.DisplayRole) if v is None else v

        a, b = _key(value(left)), _key(value(right))
        if a[0] != b[0]:
            return a[0] < b[0]
        return bool(a[1] < b[1])  # type: ignore[operator]


def sortable(view: QTableView, model: object) -> SortFilter:
    """Put a :class:`SortFilter` between ``model`` and ``view``; a click on a column title sorts (a third click
    puts the table back in its own order)."""
    proxy = SortFilter(view)
    proxy.setSourceModel(model)  # type: ignore[arg-type]
    view.setModel(proxy)
    header = view.horizontalHeader()
    header.setSortIndicatorClearable(True)
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)   # the tender's own order until a title is clicked
    view.setSortingEnabled(True)
    return proxy


def filter_box(proxy: SortFilter, what: str) -> QLineEdit:
    """A box that filters the table as the officer types (Esc clears it)."""
    box = QLineEdit()
    box.setPlaceholderText(f"Filter {what}: type a name, a word or a figure")
    box.setAccessibleName(f"Filter {what}")
    box.setClearButtonEnabled(True)
    box.textChanged.connect(proxy.set_filter_text)
    clear = QAction(box)
    clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
    clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    clear.triggered.connect(box.clear)
    box.addAction(clear)
    return box


def source_row(view: QAbstractItemView, index: Index) -> int:
    """The model's row for a view's index (through the view's proxy, if any)."""
    proxy = view.model()
    if isinstance(proxy, QSortFilterProxyModel) and index.model() is proxy:
        return proxy.mapToSource(index).row()
    return index.row()


def select_source_row(view: QTableView, row: int) -> bool:
    """Select a model's row in the view, scrolled into view; ``False`` when it is filtered out."""
    proxy = view.model()
    if isinstance(proxy, QSortFilterProxyModel):
        ix = proxy.mapFromSource(proxy.sourceModel().index(row, 0))
        if not ix.isValid():
            return False
    else:
        ix = proxy.index(row, 0)
    view.selectRow(ix.row())
    view.scrollTo(ix)
    return True


def selected_source_row(view: QTableView) -> int | None:
    """The model's row of the selected row in the view."""
    rows = view.selectionModel().selectedRows()
    return source_row(view, rows[0]) if rows else None


def cell_text(view: QAbstractItemView, index: Index) -> str:
    """What a cell shows, as text to copy (a tick box as Yes/No)."""
    m = view.model()
    text = m.data(index, Qt.ItemDataRole.DisplayRole)
    if text is None:
        check = m.data(index, Qt.ItemDataRole.CheckStateRole)
        if check is not None:
            return "Yes" if Qt.CheckState(check) == Qt.CheckState.Checked else "No"
    return "" if text is None else str(text)


def row_text(view: QTableView, row: int) -> str:
    """A whole row, tab-separated (pastes into a spreadsheet as cells)."""
    m = view.model()
    return "\t".join(cell_text(view, m.index(row, c)) for c in range(m.columnCount())
                     if not view.isColumnHidden(c))


class TableMenu(QObject):
    """The right-click menu of a table: Copy (the cell), Copy row, Edit (the cell, where it can be edited in
    place, or ``edit`` for the row), and Delete (``delete``, offered only where ``can_delete`` gives no reason
    against; otherwise greyed, with the reason as its text).

    Owned by the table (a child ``QObject``), so it needs no other reference.

    Args:
        view: the table.
        noun: what a row is, in the menu ("bid").
        edit: edits a model row another way (a dialog, a panel), or ``None``.
        delete: deletes a model row, or ``None`` (no Delete item).
        can_delete: why a model row may not be deleted (the domain's rule), or ``None`` when it may.
        more: further items after Edit, each (text, what it does to a model row), e.g. ("&Attachments…", …).
    """

    def __init__(self, view: QTableView, noun: str, *, edit: Callable[[int], object] | None = None,
                 delete: Callable[[int], object] | None = None,
                 can_delete: Callable[[int], str | None] | None = None,
                 more: Sequence[tuple[str, Callable[[int], object]]] = ()) -> None:
        super().__init__(view)      # owned by the table: lives as long as it does
        self.view, self.noun = view, noun
        self._more = tuple(more)
        self._edit, self._delete, self._can_delete = edit, delete, can_delete
        self.menu: QMenu | None = None
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._on_view_custom_context_menu_requested)
        # The same from the keyboard: Ctrl+C copies the cell in focus, Delete deletes its row where allowed, and
        # the menu key (or Shift+F10) opens the menu at the cell.
        copy = QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), view)
        copy.setContext(Qt.ShortcutContext.WidgetShortcut)
        copy.activated.connect(self.copy_current)
        if delete is not None:
            remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), view)
            remove.setContext(Qt.ShortcutContext.WidgetShortcut)
            remove.activated.connect(self.delete_current)
        menu_key = QShortcut(QKeySequence("Shift+F10"), view)
        menu_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        menu_key.activated.connect(self._on_menu_key_activated)

    def build(self, index: Index) -> QMenu:
        """The menu for a cell (built fresh: what is allowed changes with the tender)."""
        view = self.view
        menu = QMenu(view)
        menu.setAccessibleName(f"Actions for the {self.noun}")
        copy = menu.addAction("&Copy")
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(cell_text(view, index)))
        copy_row = menu.addAction(f"Copy the whole {self.noun}")
        copy_row.triggered.connect(lambda: QGuiApplication.clipboard().setText(row_text(view, index.row())))
        menu.addSeparator()
        row = source_row(view, index)
        in_place = bool(view.model().flags(index) & Qt.ItemFlag.ItemIsEditable)
        edit = menu.addAction("&Edit")
        edit.setEnabled(in_place or self._edit is not None)
        if in_place:
            edit.triggered.connect(lambda: view.edit(index))
        elif self._edit is not None:
            fn = self._edit
            edit.triggered.connect(lambda: fn(row))
        for text, act in self._more:
            menu.addAction(text).triggered.connect(lambda _checked=False, act=act: act(row))
        if self._delete is not None:
            why = self._can_delete(row) if self._can_delete is not None else None
            delete = menu.addAction(f"&Delete {self.noun}" if why is None else f"Delete: {why}")
            delete.setEnabled(why is None)
            if why is None:
                fn_d = self._delete
                delete.triggered.connect(lambda: fn_d(row))
        self.menu = menu
        return menu

    @Slot()
    def copy_current(self) -> None:
        """Copy the cell in focus."""
        ix = self.view.currentIndex()
        if ix.isValid():
            QGuiApplication.clipboard().setText(cell_text(self.view, ix))

    @Slot()
    def delete_current(self) -> bool:
        """Delete the row in focus, where the rules allow (otherwise say why in the status bar)."""
        ix = self.view.currentIndex()
        if not ix.isValid() or self._delete is None:
            return False
        row = source_row(self.view, ix)
        why = self._can_delete(row) if self._can_delete is not None else None
        if why is not None:
            w = self.view.window()
            status = getattr(w, "statusBar", None)
            if callable(status):
                status().showMessage(f"Not deleted: {why}", 8000)
            return False
        self._delete(row)
        return True

    @Slot()
    def _on_menu_key_activated(self) -> None:
        ix = self.view.currentIndex()
        if ix.isValid():
            self.build(ix).popup(self.view.viewport().mapToGlobal(self.view.visualRect(ix).center()))

    @Slot(QPoint)
    def _on_view_custom_context_menu_requested(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        self.view.setCurrentIndex(index)
        self.build(index).popup(self.view.viewport().mapToGlobal(pos))
