"""The tender register page: search, filter by status and category, sort, open, create, delete."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain.tender import TenderStatus
from ui.models.register import RegisterModel
from ui.table_tools import TableMenu
from ui.templates import CATEGORIES
from ui.widgets import heading, note


class RegisterPage(QWidget):
    """Every tender in the database.

    Signals:
        open_requested(str): open a tender (its reference).
        new_requested(): create a tender.
        demo_requested(): load the example tenders (offered while the register is empty).
        delete_requested(str): delete a tender (its reference); the window asks why first.
        import_requested(): add a tender from a tender file or an OCDS notice.
    """

    open_requested = Signal(str)
    new_requested = Signal()
    demo_requested = Signal()
    delete_requested = Signal(str)
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        top = QHBoxLayout()
        top.addWidget(heading("Tenders"))
        top.addStretch(1)
        self.new_button = QPushButton("New tender…")
        self.new_button.setAccessibleName("New tender")
        self.new_button.setToolTip("Create a tender (Ctrl+N)")
        self.new_button.clicked.connect(self.new_requested)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setAccessibleName("Delete the selected tender")
        self.delete_button.setToolTip("Delete the selected tender, with a reason (Delete key). A backup is made "
                                      "first.")
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.import_button = QPushButton("Import…")
        self.import_button.setAccessibleName("Import a tender file or OCDS notice")
        self.import_button.setToolTip("A new tender from a svdesk tender file or a Contracts Finder (OCDS) notice "
                                      "(Ctrl+I)")
        self.import_button.clicked.connect(self.import_requested)
        top.addWidget(self.delete_button)
        top.addWidget(self.import_button)
        top.addWidget(self.new_button)
        layout.addLayout(top)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by reference or title (Ctrl+F)")
        self.search.setAccessibleName("Search tenders")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.setAccessibleName("Filter by status")
        self.status.addItem("Any status", None)
        for s in TenderStatus:
            self.status.addItem(s.label, s.value)
        self.category = QComboBox()
        self.category.setAccessibleName("Filter by category")
        self.category.addItem("Any category", None)
        for c in CATEGORIES:
            self.category.addItem(c, c)
        self.count = QLabel()
        self.count.setAccessibleName("Number of tenders shown")
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.category, 1)
        bar.addWidget(self.count)
        layout.addLayout(bar)

        self.model = RegisterModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Tender register")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RegisterModel.REFERENCE, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(RegisterModel.TITLE, QHeaderView.ResizeMode.Stretch)
        # Widths from the font in use, so a large system font does not cut values off: the wider of a typical
        # value and the column's title (bold), plus room for the status colour or the sort arrow.
        fm, bold = self.table.fontMetrics(), QFont(self.table.font())
        bold.setBold(True)
        fb = QFontMetrics(bold)
        for col, sample in ((RegisterModel.REFERENCE, "WIFI-2027-03"), (RegisterModel.CATEGORY, "facilities"),
                            (RegisterModel.STATUS, "Negotiation"), (RegisterModel.VALUE, "£1,000,000.00"),
                            (RegisterModel.BIDS, "99"), (RegisterModel.UPDATED, "22 Nov 2026 18:00")):
            title = RegisterModel.COLUMNS[col]
            self.table.setColumnWidth(col, max(fm.horizontalAdvance(sample), fb.horizontalAdvance(title)) + 36)
        self.table_menu = TableMenu(self.table, "tender", edit=self._on_menu_open, delete=self._on_menu_delete,
                                    can_delete=self._why_not_delete)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.model.modelReset.connect(self._on_table_selection_changed)   # a reset clears it without a signal
        # The Delete key is the table menu's (below): one shortcut per key, or Qt finds it ambiguous.

        self.empty = QWidget()
        ev = QVBoxLayout(self.empty)
        ev.addStretch(1)
        ev.addWidget(heading("No tenders yet", 1.2), 0, Qt.AlignmentFlag.AlignHCenter)
        # Centred text, not a centred label: a wrapping label centred in the layout was squeezed and clipped.
        hint = note("Create your first tender, or load the example tenders to look around.")
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.empty_hint = hint
        ev.addWidget(hint)
        eb = QHBoxLayout()
        eb.addStretch(1)
        first = QPushButton("New tender…")
        first.clicked.connect(self.new_requested)
        demo = QPushButton("Load the example tenders")
        demo.clicked.connect(self.demo_requested)
        eb.addWidget(first)
        eb.addWidget(demo)
        eb.addStretch(1)
        ev.addLayout(eb)
        ev.addStretch(2)
        self.no_match = QLabel("No tender matches this search.")
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.no_match)
        layout.addWidget(self.stack, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.status.activated.connect(self.apply_filter)
        self.category.activated.connect(self.apply_filter)
        self.model.refreshed.connect(self._on_model_refreshed)
        self.setTabOrder(self.delete_button, self.import_button)
        self.setTabOrder(self.import_button, self.new_button)
        self.setTabOrder(self.new_button, self.search)
        self.setTabOrder(self.search, self.status)
        self.setTabOrder(self.status, self.category)
        self.setTabOrder(self.category, self.table)

    @Slot()
    def apply_filter(self) -> None:
        """Run the register's query with the search text, status and category chosen."""
        self._debounce.stop()
        status = self.status.currentData()
        self.model.set_filter(self.search.text().strip(), TenderStatus(status) if status else None,
                              self.category.currentData())

    def filtered(self) -> bool:
        """Whether a search or filter is in force."""
        return bool(self.search.text().strip()) or self.status.currentIndex() > 0 or self.category.currentIndex() > 0

    @Slot(int)
    def _on_model_refreshed(self, n: int) -> None:
        self.count.setText(f"{n:,} tender{'s' if n != 1 else ''}")
        if n:
            self.stack.setCurrentWidget(self.table)
        else:
            self.stack.setCurrentWidget(self.no_match if self.filtered() else self.empty)

    @Slot()
    def _on_search_return_pressed(self) -> None:
        self.apply_filter()
        if self.model.rowCount() == 1:
            self.open_requested.emit(self.model.summary(0).reference)
        elif self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.summary(index.row()).reference)

    @Slot()
    def _on_table_selection_changed(self) -> None:
        self.delete_button.setEnabled(self.selected_reference() is not None)

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        ref = self.selected_reference()
        if ref is not None:
            self.delete_requested.emit(ref)

    def _why_not_delete(self, row: int) -> str | None:
        from svdesk.domain import rules
        from svdesk.domain.tender import TenderStatus

        if self.delete_button.isHidden():
            return "the database is open read-only"
        s = self.model.summary(row)
        refused = rules.can_delete(TenderStatus(s.status), s.reference)
        return " ".join(refused).rstrip(".") if refused else None

    def _on_menu_open(self, row: int) -> None:
        self.open_requested.emit(self.model.summary(row).reference)

    def _on_menu_delete(self, row: int) -> None:
        self.delete_requested.emit(self.model.summary(row).reference)

    def selected_reference(self) -> str | None:
        """The tender selected in the register."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.summary(rows[0].row()).reference if rows else None
