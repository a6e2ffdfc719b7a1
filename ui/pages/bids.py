"""Bids: suppliers, prices, SME/VCSE/locality, commitments, and exclusions with their reasons."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain.money import format_gbp
from svdesk.domain.rules import frozen_reason
from svdesk.domain.tender import Bid
from svdesk.domain.values import Commitment, Locality, Theme
from svdesk.errors import FileFormatError, SvdeskError
from ui import dialogs
from ui.attachments import AttachmentsDialog
from ui.commands import AddBid, ExcludeBid, ImportBids, ReinstateBid, RemoveBid, SetCommitments, UpdateBid
from ui.document import TenderDocument
from ui.formatting import LOCALITY_HELP, parse_mark, parse_pounds, plain
from ui.models.bids import BidsModel
from ui.pages.base import Page
from ui.table_tools import TableMenu, filter_box, select_source_row, selected_source_row, sortable
from ui.widgets import FlowBar, fill_column, heading, note
from ui.workers import Progress, Task, run_task

if TYPE_CHECKING:
    from svdesk.io.bids_import import BidsImport

LOCALITIES = (("", "Not stated"), ("local", "Local"), ("regional", "Regional"), ("national", "National"))


#: The supplier's identity fields on the bid form: (bid field, label, hint).
IDENTITY_EDITS = (
    ("email", "Email address", "name@supplier.example"),
    ("cdp_id", "CDP identifier (PPON)", "central digital platform unique identifier"),
    ("companies_house", "Companies House no.", "optional, e.g. 01234567"),
    ("charity_number", "Charity no.", "optional, e.g. 1234567"),
)


class BidDialog(QDialog):
    """Record a new bid: supplier, price, SME/VCSE and where the supplier is based."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a bid")
        form = QFormLayout(self)
        self.supplier = QLineEdit()
        self.supplier.setAccessibleName("Supplier name")
        self.price = QLineEdit()
        self.price.setAccessibleName("Price in pounds")
        self.price.setPlaceholderText("whole-contract price, e.g. 540,000")
        self.sme = QCheckBox("Small or medium-sized enterprise (SME)")
        self.vcse = QCheckBox("Voluntary, community or social enterprise (VCSE)")
        self.locality = QComboBox()
        self.locality.setAccessibleName("Where the supplier is based")
        for value, text in LOCALITIES:
            self.locality.addItem(text, value)
        self.locality.setToolTip("\n".join(LOCALITY_HELP.values()))
        self.address = QLineEdit()
        self.address.setAccessibleName("Address")
        form.addRow("Supplier:", self.supplier)
        form.addRow("Price (£):", self.price)
        form.addRow("", self.sme)
        form.addRow("", self.vcse)
        form.addRow("Based:", self.locality)
        form.addRow("Address:", self.address)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add bid")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def bid(self) -> Bid:
        """The bid as entered (raises :class:`SvdeskError` for a bad price)."""
        loc = self.locality.currentData()
        return Bid(
            supplier=self.supplier.text().strip(),
            price=parse_pounds(self.price.text()),
            sme=self.sme.isChecked(),
            vcse=self.vcse.isChecked(),
            locality=Locality(loc) if loc else None,
            address=self.address.text().strip(),
        )


class CommitmentDialog(QDialog):
    """Add one social-value commitment to a bid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a commitment")
        form = QFormLayout(self)
        self.description = QLineEdit()
        self.description.setPlaceholderText("e.g. Two apprentices recruited locally")
        self.measure = QLineEdit()
        self.measure.setPlaceholderText("short code, e.g. local-jobs")
        self.quantity = QLineEdit("1")
        self.unit_value = QLineEdit()
        self.unit_value.setPlaceholderText("£ per unit")
        self.theme = QComboBox()
        self.theme.addItem("Not stated", "")
        for t in Theme:
            self.theme.addItem(t.label, t.value)
        self.locality = QComboBox()
        for value, text in LOCALITIES:
            self.locality.addItem(text, value)
        for w, label in ((self.description, "What is promised"), (self.measure, "Measure"),
                         (self.quantity, "Quantity"), (self.unit_value, "Value per unit (£)"),
                         (self.theme, "Theme"), (self.locality, "Where the benefit lands")):
            w.setAccessibleName(label)
            form.addRow(f"{label}:", w)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def commitment(self) -> Commitment:
        """The commitment as entered."""
        unit = parse_pounds(self.unit_value.text(), "value per unit")
        qty = parse_mark(self.quantity.text(), "quantity")
        if unit is None or qty is None:
            raise SvdeskError("enter both a quantity and a value per unit")
        theme, loc = self.theme.currentData(), self.locality.currentData()
        return Commitment(
            measure=self.measure.text().strip() or "commitment",
            quantity=qty,
            unit_value=unit,
            description=self.description.text().strip(),
            theme=Theme(theme) if theme else None,
            locality=Locality(loc) if loc else None,
        )


class BidsPage(Page):
    """The bids table, with details, commitments and exclusion for the selected bid."""

    key = "bids"
    title = "Bids"

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        layout = self.page_layout()
        layout.addWidget(heading("Bids"))
        layout.addWidget(note("Type a price straight into the table: the whole-contract price as tendered (your "
                              "tender says whether it covers the extensions). Tick SME or VCSE as they apply. Based: "
                              "Local is the council's own area, Regional the same region, National anywhere else. "
                              "Excluded bids stay on file with the reason, which the award papers give."))
        bar = FlowBar()             # wraps onto a second line rather than widen the window (large fonts)
        self._add = QPushButton("Add bid…")
        self._add.setAccessibleName("Add a bid")
        self._add.clicked.connect(self._on_add_clicked)
        self._remove = QPushButton("Remove bid")
        self._remove.clicked.connect(self._on_remove_clicked)
        self._exclude = QPushButton("Exclude…")
        self._exclude.setAccessibleName("Exclude the selected bid, with a reason")
        self._exclude.clicked.connect(self._on_exclude_clicked)
        for b in (self._add, self._remove, self._exclude):
            bar.addWidget(b)
        self._count = QLabel()
        self._count.setAccessibleName("Number of bids")
        self._count.setContentsMargins(12, 0, 12, 0)
        bar.addWidget(self._count)
        self.import_button = QPushButton("Import bids…")
        self.import_button.setAccessibleName("Import bids and scores from a spreadsheet")
        self.import_button.setToolTip("Bids, prices and scores from a CSV or Excel file: you see every change "
                                      "before it is made")
        self.import_button.clicked.connect(self.import_bids)
        self.template_button = QPushButton("Save bids template…")
        self.template_button.setAccessibleName("Save the bids template spreadsheet")
        self.template_button.setToolTip("A spreadsheet with the right columns for this tender, to fill in and "
                                        "import")
        self.template_button.clicked.connect(self.save_template)
        bar.addWidget(self.import_button)
        bar.addWidget(self.template_button)
        layout.addWidget(bar)

        split = QSplitter(Qt.Orientation.Vertical)
        self.model = BidsModel(doc)
        self.table = QTableView()
        self.proxy = sortable(self.table, self.model)   # click a column title to sort; type below to filter
        self.filter = filter_box(self.proxy, "bids")
        layout.addWidget(self.filter)
        self.table_menu = TableMenu(self.table, "bid", edit=self._on_menu_edit, delete=self._on_menu_delete,
                                    can_delete=self._why_not_delete,
                                    more=[("&Attachments…", self._on_menu_attachments)])
        self.table.setAccessibleName("Bids")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # The last column fills the width but never shrinks below its title (stretched, it was squeezed to
        # 40 px when a large font left no room); the table scrolls sideways instead.
        self._fill = fill_column(self.table, BidsModel.STATE)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        split.addWidget(self.table)
        split.addWidget(self._build_detail())
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)
        doc.changed.connect(self._on_doc_changed)
        doc.bids_changed.connect(self._on_doc_bids_changed)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_detail()

    def _build_detail(self) -> QWidget:
        box = QGroupBox("Selected bid")
        row = QHBoxLayout(box)
        form = QFormLayout()
        self._supplier = QLabel()
        self._supplier.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._locality = QComboBox()
        self._locality.setAccessibleName("Where the supplier is based")
        for value, text in LOCALITIES:
            self._locality.addItem(text, value)
            if value:
                self._locality.setItemData(self._locality.count() - 1, LOCALITY_HELP[value],
                                           Qt.ItemDataRole.ToolTipRole)
        self._locality.setToolTip("\n".join(LOCALITY_HELP.values()))
        self._locality.activated.connect(self._on_locality_activated)
        self._address = QLineEdit()
        self._address.setAccessibleName("Supplier address")
        self._address.editingFinished.connect(lambda: self._edit("address", self._address.text()))
        # Who the supplier is, as an assessment summary must say (reg. 31(2)(b)-(c)): small fields, Tab between.
        self._identity: dict[str, QLineEdit] = {}
        for name, label, hint in IDENTITY_EDITS:
            edit = QLineEdit()
            edit.setAccessibleName(label)
            edit.setPlaceholderText(hint)
            edit.setMaxLength(254)
            edit.editingFinished.connect(lambda n=name, e=edit: self._edit(n, e.text()))
            self._identity[name] = edit
        self._notes = QLineEdit()
        self._notes.setAccessibleName("Private notes (never printed)")
        self._notes.setPlaceholderText("private: never printed or exported")
        self._notes.editingFinished.connect(lambda: self._edit("notes", self._notes.text()))
        self._state = QLabel()
        self._state.setWordWrap(True)
        form.addRow("Supplier:", self._supplier)
        form.addRow("Based:", self._locality)
        form.addRow("Address:", self._address)
        # Two to a row, so the panel still fits a small screen at a large font.
        for first, second, title in (("email", "cdp_id", "Email / PPON:"),
                                     ("companies_house", "charity_number", "Company / charity no.:")):
            pair = QHBoxLayout()
            pair.addWidget(self._identity[first], 3)
            pair.addWidget(self._identity[second], 2)
            form.addRow(title, pair)
        form.addRow("Notes:", self._notes)
        form.addRow("Status:", self._state)
        row.addLayout(form, 1)
        cbox = QVBoxLayout()
        cbox.addWidget(QLabel("<b>Social value commitments</b>"))
        self._commitments = QListWidget()
        self._commitments.setAccessibleName("Commitments")
        self._commitments.setWordWrap(True)
        cbox.addWidget(self._commitments, 1)
        cbar = QHBoxLayout()
        self._add_c = QPushButton("Add commitment…")
        self._add_c.clicked.connect(self._on_add_commitment_clicked)
        self._remove_c = QPushButton("Remove commitment")
        self._remove_c.clicked.connect(self._on_remove_commitment_clicked)
        cbar.addWidget(self._add_c)
        cbar.addWidget(self._remove_c)
        cbar.addStretch(1)
        self.attachments_button = QPushButton("Attachments…")
        self.attachments_button.setAccessibleName("Files attached to the selected bid")
        self.attachments_button.setToolTip("The bidder's documents: responses (sent to evaluators in their packs) "
                                           "and pricing schedules (never sent)")
        self.attachments_button.clicked.connect(self.show_attachments)
        cbar.addWidget(self.attachments_button)
        cbox.addLayout(cbar)
        row.addLayout(cbox, 1)
        return box

    def selected(self) -> Bid | None:
        """The bid selected in the table."""
        row = selected_source_row(self.table)
        return self.model.bid(row) if row is not None else None

    def select(self, supplier: str) -> None:
        """Select a supplier's bid."""
        row = self.model.row_of(supplier)
        if row is not None and not select_source_row(self.table, row):
            self.filter.clear()              # filtered out: show every bid again, then select it
            select_source_row(self.table, row)

    def show_target(self, target: dict[str, str]) -> None:
        if "supplier" in target:
            self.select(target["supplier"])

    def _why_not_delete(self, row: int) -> str | None:
        if self.doc.read_only:
            return "the database is open read-only"
        frozen = frozen_reason(self.doc.tender, "bids")
        return frozen if frozen is None else frozen[:1].lower() + frozen[1:]

    def _on_menu_edit(self, row: int) -> None:
        self.select(self.model.bid(row).supplier)
        self._address.setFocus()            # the details beside the table: Tab goes on to the notes

    def _on_menu_attachments(self, row: int) -> None:
        self.select(self.model.bid(row).supplier)
        self.show_attachments()

    def _on_menu_delete(self, row: int) -> None:
        self.select(self.model.bid(row).supplier)
        self._on_remove_clicked()

    def _show_detail(self) -> None:
        b = self.selected()
        frozen = frozen_reason(self.doc.tender, "bids")
        ro = self.doc.read_only or frozen is not None
        n = len(self.doc.tender.bids)
        out = sum(1 for x in self.doc.tender.bids if x.excluded)
        self._count.setText(f"{n} bid{'s' if n != 1 else ''}" + (f", {out} excluded" if out else ""))
        self._add.setEnabled(not ro)
        self.import_button.setEnabled(not ro)
        for w in (self._remove, self._exclude, self._locality, self._add_c, self._remove_c):
            w.setEnabled(b is not None and not ro)
        for e in (self._address, self._notes, *self._identity.values()):
            e.setReadOnly(ro or b is None)
        if frozen is not None:  # say why on hover (the award is not undone, so this never needs taking back)
            frozen_widgets: tuple[QWidget, ...] = (
                self._add, self.import_button, self._remove, self._exclude, self._locality, self._add_c,
                self._remove_c, self._address, self._notes)
            for widget in frozen_widgets:
                widget.setToolTip(frozen)
        self._commitments.clear()
        self.attachments_button.setEnabled(b is not None)
        n_files = 0 if b is None else len(self.doc.tender.attachments_of(b.supplier))
        self.attachments_button.setText(f"Attachments ({n_files})…" if n_files else "Attachments…")
        if b is None:
            self._supplier.setText("Select a bid in the table")
            self._state.setText("")
            return
        self._supplier.setText(f"<b>{b.supplier}</b>")
        self._locality.setCurrentIndex(max(0, self._locality.findData(b.locality.value if b.locality else "")))
        self._address.setText(b.address)
        for name, edit in self._identity.items():
            edit.setText(str(getattr(b, name)))
        self._notes.setText(b.notes)
        self._exclude.setText("Reinstate" if b.excluded else "Exclude…")
        self._state.setText(f"Excluded: {b.exclusion_reason}" if b.excluded else "Included in the evaluation")
        for c in b.commitments:
            where = f", {c.locality.value}" if c.locality else ""
            self._commitments.addItem(f"{c.description or c.measure}: {plain(c.quantity)} × "
                                      f"{format_gbp(c.unit_value)} = {format_gbp(c.value)}{where}")
        if not b.commitments:
            self._commitments.addItem("No commitments recorded")

    def attachments_dialog(self) -> AttachmentsDialog | None:
        """The Attachments… dialog for the selected bid (``None`` when no bid is selected)."""
        b = self.selected()
        return None if b is None else AttachmentsDialog(self.doc, b.supplier, self)

    @Slot()
    def show_attachments(self) -> None:
        """Show the files attached to the selected bid (add, remove, open)."""
        dlg = self.attachments_dialog()
        if dlg is not None:
            dialogs.run_dialog(dlg)
            self._show_detail()

    def _edit(self, name: str, value: object) -> None:
        b = self.selected()
        if b is None or self.doc.read_only or getattr(b, name) == value:
            return
        labels = {"address": "address", "notes": "notes", "locality": "location",
                  **{n: label.lower() for n, label, _ in IDENTITY_EDITS}}
        label = labels[name]
        self.doc.push(UpdateBid(self.doc, b.supplier, {name: value}, f"Change {label} of {b.supplier}"))

    @Slot(int)
    def _on_locality_activated(self, index: int) -> None:
        v = self._locality.itemData(index)
        self._edit("locality", Locality(v) if v else None)

    @Slot()
    def _on_add_clicked(self) -> None:
        dlg = BidDialog(self)
        while dlg.exec() == QDialog.DialogCode.Accepted:
            try:
                bid = dlg.bid()
            except SvdeskError as e:
                dialogs.show_error(self, "Bid not added", str(e))
                continue
            if self.doc.push(AddBid(self.doc, bid)):
                self.select(bid.supplier)
                return

    def add_bid(self, supplier: str, price: Decimal | None, **details: object) -> bool:
        """Record a bid without the dialog (used by the keyboard flow and tests)."""
        return self.doc.push(AddBid(self.doc, Bid(supplier=supplier, price=price, **details)))  # type: ignore[arg-type]

    @Slot()
    def _on_remove_clicked(self) -> None:
        b = self.selected()
        if b is None:
            return
        files = len(self.doc.tender.attachments_of(b.supplier))
        if files and not dialogs.confirm(
            self, "Remove the bid?", f"The bid from {b.supplier} has {files} attached file"
            f"{'s' if files != 1 else ''}. Removing the bid deletes {'them' if files != 1 else 'it'} for good "
            "(Edit → Undo brings the bid back, but not its files).", "Remove bid"):
            return
        if not files and (b.scores or b.evaluator_scores) and not dialogs.confirm(
            self, "Remove the bid?", f"The bid from {b.supplier} has marks. Removing it removes them too "
            "(Edit → Undo brings them back).", "Remove bid"):
            return
        self.doc.push(RemoveBid(self.doc, b.supplier))

    @Slot()
    def _on_exclude_clicked(self) -> None:
        b = self.selected()
        if b is None:
            return
        if b.excluded:
            self.doc.push(ReinstateBid(self.doc, b.supplier))
            return
        reason = dialogs.ask_multiline(self, f"Exclude {b.supplier}",
                                       "Why is this bid excluded? The reason goes in the award papers and the "
                                       "bidder's assessment summary.")
        if reason is not None:
            self.doc.push(ExcludeBid(self.doc, b.supplier, reason))

    @Slot()
    def _on_add_commitment_clicked(self) -> None:
        b = self.selected()
        if b is None:
            return
        dlg = CommitmentDialog(self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            c = dlg.commitment()
        except SvdeskError as e:
            dialogs.show_error(self, "Commitment not added", str(e))
            return
        self.doc.push(SetCommitments(self.doc, b.supplier, (*b.commitments, c)))

    @Slot()
    def _on_remove_commitment_clicked(self) -> None:
        b = self.selected()
        row = self._commitments.currentRow()
        if b is None or not 0 <= row < len(b.commitments):
            return
        self.doc.push(SetCommitments(self.doc, b.supplier, b.commitments[:row] + b.commitments[row + 1:]))

    # --- spreadsheets -------------------------------------------------------------------------------------

    @Slot()
    def import_bids(self) -> None:
        """Ask for a spreadsheet of bids and scores, and preview importing it."""
        if self.doc.read_only:
            return
        from ui.files import BIDS_FILTER

        path = dialogs.open_file(self, "Import bids and scores", str(Path.home()), BIDS_FILTER)
        if path:
            self.preview_file(path)

    def preview_file(self, path: str) -> Task:
        """Read the file off the GUI thread, then show what it would change (or every problem in it)."""
        from ui.files import preview_bids

        tender = self.doc.tender

        def work(progress: Progress) -> BidsImport | FileFormatError:
            progress.report(5, f"Reading {Path(path).name}…")
            return preview_bids(tender, path)

        return run_task(self, "Importing bids", work, self._on_preview_ready,
                        lambda msg: dialogs.show_error(self, "The bids were not imported", msg))

    def _on_preview_ready(self, result: BidsImport | FileFormatError) -> None:
        from ui.files import BidsPreviewDialog, ImportProblemsDialog

        if isinstance(result, FileFormatError):
            dialogs.run_dialog(ImportProblemsDialog(result, self))
            return
        preview = result
        name = Path(preview.source).name
        if not preview.has_changes:
            extra = "".join(f"\n• {w}" for w in preview.warnings)
            dialogs.show_info(self, "Nothing to import",
                              f"Every value in {name} is already recorded, so nothing was changed.{extra}")
            return
        if dialogs.run_dialog(BidsPreviewDialog(preview, self)) and self.doc.push(
                ImportBids(self.doc, preview, name)):
            self.say(f"Imported bids from {name} (Edit → Undo takes it back)")

    @Slot()
    def save_template(self) -> None:
        """Save the spreadsheet to fill in and import: one row per bid so far, the tender's columns."""
        from svdesk.io.bids_import import write_template

        default = str(Path.home() / f"{self.doc.reference}-bids.xlsx")
        path = dialogs.save_file(self, "Save the bids template", default,
                                 "Excel workbooks (*.xlsx);;CSV files (*.csv)")
        if not path:
            return
        try:
            written = write_template(self.doc.tender, path)
        except SvdeskError as e:
            dialogs.show_error(self, "The template was not saved", str(e))
            return
        self.say(f"Saved the bids template to {written}")

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._show_detail()

    @Slot()
    def _on_doc_bids_changed(self) -> None:
        if self.selected() is None and self.model.rowCount():
            select_source_row(self.table, self.model.rowCount() - 1)

    @Slot()
    def _on_doc_changed(self) -> None:
        self._show_detail()
