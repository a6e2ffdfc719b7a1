"""Evaluation model: criteria and weights (the total must be 100), scales with descriptors, thresholds,
price formula, and category templates."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QToolButton,
    QWidget,
)

from svdesk.domain.rules import frozen_reason, weight_advice, weight_gap
from svdesk.domain.tender import (
    SCALE_PRESETS,
    CommitmentScope,
    Criterion,
    CriterionKind,
    PriceMethod,
)
from ui import dialogs
from ui.commands import AddCriterion, RemoveCriterion, SetWeight, UpdateCriterion
from ui.document import TenderDocument
from ui.formatting import plain
from ui.models.criteria import CriteriaModel, how_scored
from ui.pages.base import Page
from ui.table_tools import TableMenu
from ui.templates import TEMPLATES, commitments, descriptors, price, quality, social
from ui.widgets import Banner, DecimalEdit, fill_column, heading, note


def new_id(doc: TenderDocument, prefix: str) -> str:
    """A criterion id not used yet: q1, q2 … / sv1 …"""
    used = {c.id for c in doc.tender.criteria}
    if prefix == "price" and "price" not in used:
        return "price"
    n = 1
    while f"{prefix}{n}" in used:
        n += 1
    return f"{prefix}{n}"


class EvaluationPage(Page):
    """Criteria table with a live weight total, a detail panel for the selected criterion, and templates."""

    key = "evaluation"
    title = "Evaluation model"

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        layout = self.page_layout()
        layout.addWidget(heading("Evaluation model"))
        layout.addWidget(note("Each criterion's weight is its share of the 100 marks. Marks for quality and "
                              "social value are given on the criterion's scale; price and commitments are "
                              "worked out by formula."))
        self.total = Banner()
        self.total.setAccessibleName("Weight total")
        layout.addWidget(self.total)

        bar = QHBoxLayout()
        self._add = QToolButton()
        self._add.setText("Add criterion")
        self._add.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._add.setAccessibleName("Add criterion")
        menu = QMenu(self._add)
        for kind in CriterionKind:
            menu.addAction(kind.label, partial(self.add_criterion, kind))
        self._add.setMenu(menu)
        self._remove = QPushButton("Remove criterion")
        self._remove.setAccessibleName("Remove the selected criterion")
        self._remove.clicked.connect(self._on_remove_clicked)
        self._template = QToolButton()
        self._template.setText("Start from a category template")
        self._template.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        tmenu = QMenu(self._template)
        for t in TEMPLATES:
            tmenu.addAction(t.name, partial(self.apply_template, t.key))
        self._template.setMenu(tmenu)
        bar.addWidget(self._add)
        bar.addWidget(self._remove)
        bar.addStretch(1)
        bar.addWidget(self._template)
        layout.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = CriteriaModel(doc)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table_menu = TableMenu(self.table, "criterion", edit=self._on_menu_edit,
                                    delete=self._on_menu_delete, can_delete=self._why_not_delete)
        self.table.setAccessibleName("Criteria")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._fill = fill_column(self.table, CriteriaModel.NAME)   # fills the width, never below its title
        self.table.setColumnHidden(CriteriaModel.METHOD, True)   # shown in the panel beside the table
        self.table.setWordWrap(False)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        split.addWidget(self.table)
        detail = self._build_detail()
        detail.setMaximumWidth(460)
        split.addWidget(detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setSizes([800, 400])
        layout.addWidget(split, 1)

        doc.criteria_changed.connect(self._on_doc_criteria_changed)
        doc.criterion_changed.connect(self._on_doc_criterion_changed)
        doc.changed.connect(self._on_doc_changed)
        self._show_total()
        if self.model.rowCount():
            self.table.selectRow(0)
        self._show_detail()

    # --- the detail panel -------------------------------------------------------------------------------

    def _build_detail(self) -> QWidget:
        box = QGroupBox("Selected criterion")
        form = QFormLayout(box)
        self._name = QLineEdit()
        self._name.setAccessibleName("Criterion name")
        self._name.editingFinished.connect(self._on_name_editing_finished)
        self._kind = QLabel()
        self._weight = DecimalEdit()
        self._weight.setAccessibleName("Weight")
        self._weight.value_edited.connect(self._on_weight_value_edited)
        self._weight.invalid.connect(self.doc.edit_refused)
        self._scale = QComboBox()
        self._scale.setAccessibleName("Scale")
        for n in SCALE_PRESETS:
            self._scale.addItem(f"0–{n}", n)
        self._scale.activated.connect(self._on_scale_activated)
        self._threshold = DecimalEdit()
        self._threshold.setAccessibleName("Minimum score")
        self._threshold.setPlaceholderText("no minimum")
        self._threshold.value_edited.connect(self._on_threshold_value_edited)
        self._threshold.invalid.connect(self.doc.edit_refused)
        self._method = QComboBox()
        self._method.setAccessibleName("Price formula")
        for m in PriceMethod:
            self._method.addItem(m.label, m.value)
        self._method.activated.connect(self._on_method_activated)
        self._scope = QComboBox()
        self._scope.setAccessibleName("Which commitments count")
        self._scope.addItem("All commitments", CommitmentScope.ALL.value)
        self._scope.addItem("Only commitments that land locally", CommitmentScope.LOCAL.value)
        self._scope.activated.connect(self._on_scope_activated)
        self._descriptors = QLabel()
        self._descriptors.setWordWrap(True)
        self._descriptors.setTextFormat(Qt.TextFormat.RichText)
        self._descriptors.setAccessibleName("What each mark means")
        form.addRow("Name:", self._name)
        form.addRow("Kind:", self._kind)
        form.addRow("Weight:", self._weight)
        form.addRow("Scale:", self._scale)
        form.addRow("Minimum score:", self._threshold)
        self._how = QLabel()
        self._how.setWordWrap(True)
        form.addRow("Scored by:", self._how)
        form.addRow("Formula:", self._method)
        form.addRow("Counts:", self._scope)
        form.addRow("What marks mean:", self._descriptors)
        # Long choices may shrink the boxes (the list shows them whole) rather than widen the panel.
        for combo in (self._method, self._scope):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self._form = form
        return box

    def selected(self) -> Criterion | None:
        """The criterion selected in the table."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.criterion(rows[0].row()) if rows else None

    def _show_detail(self) -> None:
        c = self.selected()
        frozen = frozen_reason(self.doc.tender, "criteria")
        ro = self.doc.read_only or frozen is not None
        if frozen is not None:  # say why on hover (the award is not undone, so this never needs taking back)
            for w in (self._name, self._weight, self._threshold, self._scale, self._method, self._scope,
                      self._remove, self._add, self._template):
                w.setToolTip(frozen)
        for w in (self._name, self._weight, self._threshold):
            w.setEnabled(c is not None)
            w.setReadOnly(ro)
        for combo in (self._scale, self._method, self._scope):
            combo.setEnabled(c is not None and not ro)
        self._remove.setEnabled(c is not None and not ro)
        self._add.setEnabled(not ro)
        self._template.setEnabled(not ro)
        if c is None:
            self._name.setText("")
            self._kind.setText("Select a criterion in the table")
            self._descriptors.setText("")
            return
        self._name.setText(c.name)
        self._kind.setText(c.kind.label)
        self._how.setText(how_scored(c))
        self._weight.set_value(c.weight)
        assessed = c.is_assessed
        self._form.setRowVisible(self._scale, assessed)
        self._form.setRowVisible(self._threshold, assessed)
        self._form.setRowVisible(self._descriptors, assessed)
        self._form.setRowVisible(self._method, c.kind is CriterionKind.PRICE)
        self._form.setRowVisible(self._scope, c.kind is CriterionKind.COMMITMENTS)
        if assessed:
            i = self._scale.findData(int(c.scale_max)) if c.scale_max == int(c.scale_max) else -1
            if i < 0:
                self._scale.addItem(f"0–{plain(c.scale_max)}", int(c.scale_max))
                i = self._scale.count() - 1
            self._scale.setCurrentIndex(i)
            self._threshold.set_value(c.threshold)
            ds = c.descriptors or descriptors(int(c.scale_max))
            self._descriptors.setText("<br>".join(f"<b>{plain(d.score)}</b> — {d.text}" for d in ds)
                                      or "No descriptors for this scale")
        if c.kind is CriterionKind.PRICE:
            self._method.setCurrentIndex(self._method.findData(c.price_method.value))
        if c.kind is CriterionKind.COMMITMENTS:
            self._scope.setCurrentIndex(self._scope.findData(c.scope.value))

    def _show_total(self) -> None:
        t = self.doc.tender
        gap = weight_gap(t)  # the domain's rule (svdesk.domain.rules)
        if not t.criteria:
            self.total.set_message("No criteria yet: add some, or start from a category template.", "warn")
        elif gap is None:
            self.total.set_message("✓  Weights total 100. The tender can be scored.", "good")
        else:
            self.total.set_message(f"✗  Weights total {plain(t.weight_total)}: they must total 100 "
                                   f"({weight_advice(gap)}).", "bad")

    # --- editing ----------------------------------------------------------------------------------------

    def add_criterion(self, kind: CriterionKind) -> None:
        """Add a criterion of this kind with weight 0 (the officer then sets it)."""
        if kind is CriterionKind.PRICE:
            c = price(Decimal(0))
            c = Criterion(new_id(self.doc, "price"), c.name, c.kind, c.weight, method=c.method)
        elif kind is CriterionKind.QUALITY:
            c = quality(new_id(self.doc, "q"), "New quality criterion", Decimal(0), threshold=None)
        elif kind is CriterionKind.SOCIAL_VALUE:
            c = social(new_id(self.doc, "sv"), "New social value criterion", Decimal(0))
        else:
            c = commitments(new_id(self.doc, "sv"), Decimal(0))
        if self.doc.push(AddCriterion(self.doc, c)):
            self.select(c.id)
            self.table.edit(self.model.index(self.model.row_of(c.id) or 0, CriteriaModel.NAME))

    def apply_template(self, key: str) -> None:
        """Replace the criteria with a category template (one undoable step)."""
        tpl = next(t for t in TEMPLATES if t.key == key)
        scored = any(b.scores or b.evaluator_scores for b in self.doc.tender.bids)
        if self.doc.tender.criteria and not dialogs.confirm(
            self, "Replace the criteria?",
            f"This replaces the {len(self.doc.tender.criteria)} criteria with the “{tpl.name}” template."
            + ("\n\nMarks already given against the old criteria will be removed." if scored else "")
            + "\n\nYou can undo this with Edit → Undo.",
            "Replace criteria",
        ):
            return
        cmds: list[QUndoCommand] = [RemoveCriterion(self.doc, c.id) for c in self.doc.tender.criteria]
        cmds += [AddCriterion(self.doc, c) for c in tpl.criteria]
        self.doc.push_all(f"Apply the {tpl.name} template", cmds)

    def _why_not_delete(self, _row: int) -> str | None:
        if self.doc.read_only:
            return "the database is open read-only"
        frozen = frozen_reason(self.doc.tender, "criteria")
        return None if frozen is None else frozen[:1].lower() + frozen[1:]

    def _on_menu_edit(self, row: int) -> None:
        self.table.selectRow(row)
        self._name.setFocus()

    def _on_menu_delete(self, row: int) -> None:
        self.table.selectRow(row)
        self._on_remove_clicked()

    @Slot()
    def _on_remove_clicked(self) -> None:
        c = self.selected()
        if c is None:
            return
        marked = sum(1 for b in self.doc.tender.bids if c.id in b.scores or c.id in b.evaluator_scores)
        if marked and not dialogs.confirm(
            self, "Remove the criterion?",
            f"{marked} bid(s) have marks for “{c.name}”. Removing it removes those marks too "
            "(Edit → Undo brings them back).", "Remove",
        ):
            return
        self.doc.push(RemoveCriterion(self.doc, c.id))

    @Slot()
    def _on_name_editing_finished(self) -> None:
        c = self.selected()
        if c is not None and self._name.text().strip() and self._name.text().strip() != c.name:
            self.doc.push(UpdateCriterion(self.doc, c.id, {"name": self._name.text().strip()}, f"Rename {c.name}"))

    @Slot(object)
    def _on_weight_value_edited(self, value: Decimal | None) -> None:
        c = self.selected()
        if c is not None and value is not None:
            self.doc.push(SetWeight(self.doc, c.id, value))

    @Slot(object)
    def _on_threshold_value_edited(self, value: Decimal | None) -> None:
        c = self.selected()
        if c is not None:
            self.doc.push(UpdateCriterion(self.doc, c.id, {"threshold": value}, f"Set minimum score of {c.name}"))

    @Slot(int)
    def _on_scale_activated(self, index: int) -> None:
        c = self.selected()
        n = self._scale.itemData(index)
        if c is None or Decimal(n) == c.scale_max:
            return
        changes: dict[str, object] = {"scale_max": Decimal(n), "descriptors": descriptors(n)}
        if c.threshold is not None and c.threshold > n:
            changes["threshold"] = None
        scored = any(c.id in b.scores or c.id in b.evaluator_scores for b in self.doc.tender.bids)
        if scored:
            dialogs.show_error(self, "Scale not changed",
                               f"Bids already have marks for “{c.name}” on its 0–{plain(c.scale_max)} scale. "
                               "Clear those marks before changing the scale, so no mark changes meaning.")
            self._show_detail()
            return
        self.doc.push(UpdateCriterion(self.doc, c.id, changes, f"Use the 0–{n} scale for {c.name}"))

    @Slot(int)
    def _on_method_activated(self, index: int) -> None:
        c = self.selected()
        if c is not None and self._method.itemData(index) != c.price_method.value:
            self.doc.push(UpdateCriterion(self.doc, c.id, {"method": self._method.itemData(index)},
                                          "Change the price formula"))

    @Slot(int)
    def _on_scope_activated(self, index: int) -> None:
        c = self.selected()
        scope = CommitmentScope(self._scope.itemData(index))
        if c is not None and scope is not c.scope:
            self.doc.push(UpdateCriterion(self.doc, c.id, {"scope": scope}, "Change which commitments count"))

    def select(self, cid: str) -> None:
        """Select a criterion."""
        row = self.model.row_of(cid)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def show_target(self, target: dict[str, str]) -> None:
        if "criterion" in target:
            self.select(target["criterion"])

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _sel: QItemSelection, _desel: QItemSelection) -> None:
        self._show_detail()

    @Slot()
    def _on_doc_criteria_changed(self) -> None:
        if self.selected() is None and self.model.rowCount():
            self.table.selectRow(0)

    @Slot(str)
    def _on_doc_criterion_changed(self, _cid: str) -> None:
        self._show_detail()

    @Slot()
    def _on_doc_changed(self) -> None:
        self._show_total()
        self._show_detail()
