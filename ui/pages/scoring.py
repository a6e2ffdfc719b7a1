"""Scoring: each evaluator marks the bids (prices hidden), then moderation agrees each score with a reason.

Round one screen: pick who is marking, click a cell, click the descriptor that fits, write the reason, save.
Moderation lists every bid × criterion with each evaluator's mark and the spread; wide spreads are flagged
for discussion, and the agreed score is recorded with its reason (the evaluators' marks are kept).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain.tender import Criterion
from svdesk.errors import SvdeskError
from ui import dialogs
from ui.answer_form import TextBox
from ui.commands import SetConsensusScore, SetEvaluatorScore
from ui.document import TenderDocument
from ui.formatting import parse_mark, plain, range_text
from ui.models.frozen import is_locked
from ui.models.scoring import EvaluatorScoresModel, ModerationModel
from ui.pages.base import Page
from ui.table_tools import TableMenu, filter_box, select_source_row, selected_source_row, sortable
from ui.templates import descriptors
from ui.widgets import (
    Banner,
    DecimalEdit,
    FlowBar,
    ShareColumns,
    WrapButton,
    fill_column,
    fit_bold,
    fit_header_height,
    heading,
    note,
    scrolling,
    tab_order,
    uniform_rows,
)

CHECKED = "QPushButton:checked { background:#1f6fb2; color:white; font-weight:bold; }"


#: A score's reason is quoted in the bidder's assessment summary: a paragraph or two, not an essay. The limit
#: is the app's (typing stops there, a counter shows the room left); a longer reason from a file is kept whole.
REASON_MAX = 2000


class ReasonEdit(TextBox):
    """The reason box: grows into the height that is left, but asks for only a few lines (in its scrolling
    panel, the usual tall preferred size made the panel scroll, the Save button out of sight, when all fitted);
    a counter under it as the limit nears."""

    def __init__(self) -> None:
        super().__init__("Reason for the mark", REASON_MAX)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.fontMetrics().lineSpacing() * 4 + 12)


class MarkPanel(QGroupBox):
    """Give a mark on a criterion's scale by clicking its descriptor, with the reason.

    Signals:
        save_requested(object, str): save this mark (a ``Decimal``) and reason.
        clear_requested(): remove the mark.
    """

    save_requested = Signal(object, str)
    clear_requested = Signal()

    def __init__(self, title: str, save_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        layout = QVBoxLayout(self)
        self._heading = QLabel()
        self._heading.setWordWrap(True)
        layout.addWidget(self._heading)
        self._extra = QLabel()
        self._extra.setWordWrap(True)
        self._extra.setTextFormat(Qt.TextFormat.RichText)
        self._extra.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # Room for the usual few lines (two evaluators' marks and a warning), so moving from one score to the
        # next does not move the mark and reason boxes under the officer's mouse.
        self._extra_lines = 3
        layout.addWidget(self._extra)
        self._buttons_box = QWidget()
        self._buttons_layout = QGridLayout(self._buttons_box)
        self._buttons_layout.setContentsMargins(0, 0, 0, 0)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idClicked.connect(self._on_group_id_clicked)
        layout.addWidget(self._buttons_box)
        row = QHBoxLayout()
        row.addWidget(QLabel("Mark:"))
        self.mark = DecimalEdit()
        self.mark.setAccessibleName("Mark")
        self.mark.setMaximumWidth(90)
        row.addWidget(self.mark)
        self._scale = QLabel()
        row.addWidget(self._scale)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel("Reason (quote the bid, e.g. “section 3.2”):"))
        self.reason = ReasonEdit()
        self.reason.setMinimumHeight(70)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.reason.counter)
        bar = QHBoxLayout()
        self.save = QPushButton(save_text)
        self.save.setDefault(True)
        self.save.setAccessibleName(save_text)
        self.save.setToolTip(f"{save_text} (Ctrl+Enter)")
        self.save.clicked.connect(self._on_save_clicked)
        self.clear = QPushButton("Clear")
        self.clear.setAccessibleName("Clear the mark")
        self.clear.clicked.connect(self.clear_requested)
        bar.addWidget(self.save)
        bar.addWidget(self.clear)
        bar.addStretch(1)
        layout.addLayout(bar)
        for key in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(self._on_save_clicked)
        self._values: list[Decimal] = []
        self.set_context(None)

    def set_context(self, c: Criterion | None, heading_text: str = "", value: Decimal | None = None,
                    reason: str = "", extra: str = "", editable: bool = True) -> None:
        """Show a cell: the criterion's descriptors, the current mark and reason."""
        while self._buttons_layout.count():
            item = self._buttons_layout.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                self._group.removeButton(w)  # type: ignore[arg-type]
                w.deleteLater()
        self._values = []
        enabled = c is not None and editable
        for w in (self.mark, self.reason):
            w.setEnabled(enabled)
        self.save.setEnabled(enabled)
        self.clear.setEnabled(enabled and value is not None)
        if c is None:
            self._heading.setText("Select a cell in the table to mark it.")
            self._extra.setText(extra)
            self._scale.setText("")
            self.mark.set_value(None)
            self.reason.set_text("")
            return
        self._heading.setText(heading_text)
        self._extra.setText(extra)
        self._extra.setVisible(bool(extra))
        if extra:
            self._extra.setMinimumHeight(self._extra.fontMetrics().lineSpacing() * self._extra_lines)
        self._scale.setText(f"on a {range_text(c.scale_max)} scale")
        ds = c.descriptors or descriptors(int(c.scale_max)) if c.scale_max == int(c.scale_max) else c.descriptors
        if len(ds) <= 11:
            for i, d in enumerate(ds):
                b = WrapButton(f"{plain(d.score)}  {d.text}")   # long descriptors wrap instead of being cut
                b.setCheckable(True)
                b.setEnabled(enabled)
                b.setMinimumHeight(30)
                b.setStyleSheet(CHECKED)
                b.setAccessibleName(f"Mark {plain(d.score)}: {d.text}")
                self._group.addButton(b, i)
                cols = 1 if len(ds) <= 6 else 2
                self._buttons_layout.addWidget(b, i // cols if cols == 2 else i, i % cols)
                self._values.append(d.score)
                if value is not None and d.score == value:
                    b.setChecked(True)
        self.mark.set_value(value)
        self.reason.set_text(reason)
        tab_order(*self._group.buttons(), self.mark, self.reason, self.save, self.clear)   # buttons made anew

    @Slot(int)
    def _on_group_id_clicked(self, i: int) -> None:
        self.mark.set_value(self._values[i])
        self.reason.setFocus()

    @Slot()
    def _on_save_clicked(self) -> None:
        if not self.save.isEnabled():
            return
        try:
            value = parse_mark(self.mark.text(), "mark")
        except SvdeskError as e:
            dialogs.show_error(self, "Mark not saved", str(e))
            return
        if value is None:
            dialogs.show_error(self, "Mark not saved", "Choose a mark first (click a descriptor or type it).")
            return
        if self.reason.too_long:
            dialogs.show_error(self, "Mark not saved", f"The reason is {len(self.reason.toPlainText()):,} "
                               f"characters long: shorten it to {REASON_MAX:,} or fewer (the bidder's summary "
                               "quotes it whole).")
            return
        self.save_requested.emit(value, self.reason.toPlainText().strip())


class ScoringPage(Page):
    """Marking by each evaluator, and moderation."""

    key = "scoring"
    title = "Scoring"

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        layout = self.page_layout()
        layout.addWidget(heading("Scoring"))

        top = FlowBar()             # wraps onto a second line rather than widen the window (large fonts)
        self._mark_mode = QPushButton("1. Evaluators mark")
        self._moderate_mode = QPushButton("2. Moderation: agree scores")
        for b in (self._mark_mode, self._moderate_mode):
            b.setCheckable(True)
            b.setMinimumHeight(34)
            b.setStyleSheet("QPushButton { padding: 4px 14px; } " + CHECKED)
            fit_bold(b)             # the checked one is bold: its text was cut off
            top.addWidget(b)
        modes = QButtonGroup(self)
        modes.addButton(self._mark_mode, 0)
        modes.addButton(self._moderate_mode, 1)
        modes.idClicked.connect(self._on_modes_id_clicked)
        self._mark_mode.setChecked(True)
        self._who_label = QLabel("&Marking as:")
        self._who_label.setContentsMargins(18, 0, 0, 0)
        top.addWidget(self._who_label)
        self.evaluator = QComboBox()
        self.evaluator.setAccessibleName("Evaluator")
        self._who_label.setBuddy(self.evaluator)
        self.evaluator.setMinimumWidth(140)
        self.evaluator.activated.connect(self._on_evaluator_activated)
        top.addWidget(self.evaluator)
        self._add_evaluator = QPushButton("Add evaluator…")
        self._add_evaluator.clicked.connect(self._on_add_evaluator_clicked)
        top.addWidget(self._add_evaluator)
        layout.addWidget(top)
        from ui.panel import PanelBox

        self.panel = PanelBox(doc)          # the evaluation panel: members, declarations, packs and returns
        self.panel.evaluator_added.connect(self.set_evaluator)
        layout.addWidget(self.panel)
        self.banner = Banner()
        self.banner.clicked.connect(self._on_banner_clicked)
        layout.addWidget(self.banner)

        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)

        # --- evaluator view ----------------------------------------------------------------------------
        ev = QSplitter(Qt.Orientation.Horizontal)
        self.marks_model = EvaluatorScoresModel(doc)
        self.marks = QTableView()
        self.marks.setModel(self.marks_model)
        self.marks.setAccessibleName("Marks")
        self.marks.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Criteria share the width, each keeping its title's words whole (names wrap; the header grows).
        self._share = ShareColumns(self.marks, list(range(self.marks_model.columnCount())), whole_cells=True,
                                   wrap_titles=True)
        self.marks_model.modelReset.connect(
            lambda: self._share.set_columns(list(range(self.marks_model.columnCount()))))
        fit_header_height(self.marks)
        uniform_rows(self.marks)          # one-line marks: one height, not every cell measured after each edit
        self.marks.selectionModel().selectionChanged.connect(self._on_marks_selection_changed)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(note("Prices are hidden while you mark, so they cannot sway quality marks. Yellow: a mark "
                          "with no reason yet."))
        lv.addWidget(self.marks, 1)
        ev.addWidget(left)
        self.mark_panel = MarkPanel("Give a mark", "Save mark")
        self.mark_panel.save_requested.connect(self._on_mark_panel_save_requested)
        self.mark_panel.clear_requested.connect(self._on_mark_panel_clear_requested)
        ev.addWidget(scrolling(self.mark_panel))   # scrolls rather than squash the descriptors
        ev.setStretchFactor(0, 3)
        ev.setStretchFactor(1, 2)
        self.stack.addWidget(ev)

        # --- moderation view ---------------------------------------------------------------------------
        mo = QSplitter(Qt.Orientation.Horizontal)
        self.moderation_model = ModerationModel(doc)
        self.moderation = QTableView()
        self.moderation_proxy = sortable(self.moderation, self.moderation_model)
        self.moderation_filter = filter_box(self.moderation_proxy, "the scores to moderate")
        self.moderation_menu = TableMenu(self.moderation, "score", edit=self._on_moderation_menu_edit)
        self.moderation.setAccessibleName("Moderation")
        self.moderation.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.moderation.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.moderation.verticalHeader().setVisible(False)
        self.moderation.setWordWrap(False)
        mh = self.moderation.horizontalHeader()
        mh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Measured on 25 rows, not Qt's 1,000, after every mark: these columns hold short figures, and 1,000 rows
        # meant 40,000 cells read per edit on a 500-bid tender, even while this view is hidden behind the grid.
        mh.setResizeContentsPrecision(25)
        for col in (0, 1):                # supplier and criterion: never so wide that the marks scroll away
            mh.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        self.moderation.viewport().installEventFilter(self)
        self.moderation.selectionModel().selectionChanged.connect(self._on_moderation_selection_changed)
        self.moderation_model.modelReset.connect(self._on_moderation_model_reset)
        # The reason (the last column) takes what is left, never less than its title; whole in its tooltip.
        self._reason_fill = fill_column(self.moderation, self.moderation_model.columnCount() - 1)
        mleft = QWidget()
        mv = QVBoxLayout(mleft)
        mv.setContentsMargins(0, 0, 0, 0)
        mv.addWidget(note("Each evaluator's marks are kept. Red spread: marks differ by more than 40% of the "
                          "scale, so discuss before agreeing."))
        mv.addWidget(self.moderation_filter)
        mv.addWidget(self.moderation, 1)
        mo.addWidget(mleft)
        self.agree_panel = MarkPanel("Agree the score", "Record agreed score")
        self.agree_panel.save_requested.connect(self._on_agree_panel_save_requested)
        self.agree_panel.clear_requested.connect(self._on_agree_panel_clear_requested)
        mo.addWidget(scrolling(self.agree_panel))
        mo.setStretchFactor(0, 3)
        mo.setStretchFactor(1, 2)
        self.stack.addWidget(mo)

        doc.changed.connect(self._on_doc_changed)
        self._fill_evaluators()
        self._fit_moderation_columns()
        self._show_banner()

    # --- evaluators -------------------------------------------------------------------------------------

    def _fill_evaluators(self, select: str | None = None) -> None:
        current = select or self.evaluator.currentText() or self.marks_model.evaluator
        names = self.doc.evaluators()
        if current and current not in names:
            names.append(current)
        self.evaluator.blockSignals(True)
        self.evaluator.clear()
        self.evaluator.addItems(names)
        if current in names:
            self.evaluator.setCurrentText(current)
        self.evaluator.blockSignals(False)
        who = self.evaluator.currentText()
        if who != self.marks_model.evaluator:
            self.marks_model.set_evaluator(who)
        self._show_mark_panel()

    def set_evaluator(self, name: str) -> None:
        """Mark as this evaluator (initials or a name); added to the list if new."""
        name = name.strip()
        if name:
            self._fill_evaluators(name)
            self.set_mode(moderate=False)

    @Slot()
    def _on_add_evaluator_clicked(self) -> None:
        name = dialogs.ask_text(self, "Add an evaluator", "The evaluator's initials or name:")
        if name and name.strip():
            # On the panel at once (stored, audited), so they stay listed before they mark (issue 14).
            if self.doc.tender.panel.find(name) is None:
                self.panel.add_member(name)
            else:
                self.set_evaluator(self.doc.tender.panel.member(name).initials)

    @Slot(int)
    def _on_evaluator_activated(self, _i: int) -> None:
        self.marks_model.set_evaluator(self.evaluator.currentText())
        self._show_mark_panel()

    # --- modes ------------------------------------------------------------------------------------------

    def set_mode(self, moderate: bool) -> None:
        """Show the evaluator view or moderation."""
        self.stack.setCurrentIndex(1 if moderate else 0)
        self._moderate_mode.setChecked(moderate)
        self._mark_mode.setChecked(not moderate)
        # The panel (members, declarations, packs, returns) is step 1's work; moderation needs the room.
        for w in (self._who_label, self.evaluator, self._add_evaluator, self.panel):
            w.setVisible(not moderate)
        self._show_banner()

    @Slot(int)
    def _on_modes_id_clicked(self, i: int) -> None:
        self.set_mode(moderate=i == 1)

    def _show_banner(self) -> None:
        t = self.doc.tender
        if not any(c.is_assessed for c in t.criteria):
            self.banner.set_message("This tender has no quality or social value criteria to mark.", "info")
        elif not t.bids:
            self.banner.set_message("No bids yet: record them on the Bids page first.", "warn", "Go to Bids")
        elif self.stack.currentIndex() == 0 and not self.marks_model.evaluator:
            self.banner.set_message("Who is marking? Add an evaluator (initials are enough) to start.", "warn",
                                    "Add evaluator…")
        elif self.stack.currentIndex() == 0:
            # Counted on the tender, not through the model's data() (9,000 calls on a 500-bid grid, 0.1 s an edit).
            who = self.marks_model.evaluator
            ids = [c.id for c in t.criteria if c.is_assessed]
            todo = sum(1 for b in t.bids for cid in ids if b.evaluator_scores.get(cid, {}).get(who) is None)
            if todo:
                self.banner.set_message(f"{self.marks_model.evaluator} has {todo} mark{'s' if todo != 1 else ''} "
                                        "still to give.", "info")
            else:
                self.banner.set_message(f"{self.marks_model.evaluator} has marked every bid. When everyone has, "
                                        "agree the scores in moderation.", "good", "Go to moderation")
        else:
            m = self.moderation_model
            open_rows = sum(1 for r in range(m.rowCount()) if m.data(m.index(r, m.agreed_column)) == "")
            wide = sum(1 for r in range(m.rowCount()) if m.wide(r))
            if open_rows:
                self.banner.set_message(f"{open_rows} score{'s' if open_rows != 1 else ''} still to agree"
                                        + (f"; {wide} with widely differing marks" if wide else "") + ".", "info")
            else:
                self.banner.set_message("Every score is agreed. The results are ready.", "good", "See the results")

    @Slot()
    def _on_banner_clicked(self) -> None:
        text = self.banner.button.text()
        if text == "Go to Bids":
            self.navigate_requested.emit("bids", {})
        elif text == "Add evaluator…":
            self._on_add_evaluator_clicked()
        elif text == "Go to moderation":
            self.set_mode(moderate=True)
        elif text == "See the results":
            self.navigate_requested.emit("results", {})

    # --- marking ----------------------------------------------------------------------------------------

    def _marks_cell(self) -> QModelIndex:
        ix = self.marks.selectionModel().selectedIndexes()
        return ix[0] if ix else QModelIndex()

    def _show_mark_panel(self) -> None:
        ix = self._marks_cell()
        who = self.marks_model.evaluator
        if not ix.isValid() or not who:
            self.mark_panel.set_context(None, extra="" if who else "Add an evaluator first.")
            return
        b = self.marks_model.bid(ix.row())
        c = self.marks_model.criterion(ix.column())
        value, reason = self.marks_model.mark(b.supplier, c.id)
        self.mark_panel.set_context(c, f"<b>{b.supplier}</b><br>{c.name} — marked by <b>{who}</b>", value, reason,
                                    editable=not self.doc.read_only and not is_locked(self.doc.tender))

    @Slot(QItemSelection, QItemSelection)
    def _on_marks_selection_changed(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._show_mark_panel()

    def give_mark(self, supplier: str, cid: str, value: Decimal | None, reason: str) -> bool:
        """Record the current evaluator's mark (what the panel's Save does)."""
        who = self.marks_model.evaluator
        if not who:
            self.doc.edit_refused.emit("Choose who is marking first (Add evaluator…).")
            return False
        return self.doc.push(SetEvaluatorScore(self.doc, supplier, cid, who, value, reason))

    @Slot(object, str)
    def _on_mark_panel_save_requested(self, value: Decimal, reason: str) -> None:
        ix = self._marks_cell()
        if not ix.isValid():
            return
        b, c = self.marks_model.bid(ix.row()), self.marks_model.criterion(ix.column())
        if self.give_mark(b.supplier, c.id, value, reason):
            self._advance(self.marks, ix)

    @Slot()
    def _on_mark_panel_clear_requested(self) -> None:
        ix = self._marks_cell()
        if ix.isValid():
            b, c = self.marks_model.bid(ix.row()), self.marks_model.criterion(ix.column())
            self.give_mark(b.supplier, c.id, None, "")

    def _advance(self, view: QTableView, ix: QModelIndex) -> None:
        """After saving, move to the next cell down (then the next column), ready for the next mark."""
        m = view.model()
        r, c = ix.row() + 1, ix.column()
        if r >= m.rowCount():
            r, c = 0, c + 1
        if c < m.columnCount():
            view.setCurrentIndex(m.index(r, c))

    # --- moderation -------------------------------------------------------------------------------------

    def _moderation_row(self) -> int | None:
        return selected_source_row(self.moderation)

    def select_moderation_row(self, row: int) -> None:
        """Select a row of the moderation model (showing every row again if the filter hides it)."""
        if not select_source_row(self.moderation, row):
            self.moderation_filter.clear()
            select_source_row(self.moderation, row)

    def _on_moderation_menu_edit(self, row: int) -> None:
        self.select_moderation_row(row)
        self.agree_panel.mark.setFocus()

    def _show_agree_panel(self) -> None:
        r = self._moderation_row()
        if r is None:
            self.agree_panel.set_context(None)
            return
        x = self.moderation_model.row(r)
        b = self.doc.bid(x.supplier)
        c = self.doc.criterion(x.cid)
        marks = b.evaluator_scores.get(x.cid, {})
        reasons = b.evaluator_reasons.get(x.cid, {})
        lines = [f"<b>{who}</b>: {plain(v)} — {reasons.get(who) or '<i>no reason given</i>'}"
                 for who, v in marks.items()]
        extra = "<br>".join(lines) or "<i>No evaluator has marked this yet.</i>"
        if self.moderation_model.wide(r):
            extra += "<br><span style='color:#8a1c1c'><b>⚠ The marks differ widely: discuss before agreeing."
            extra += "</b></span>"
        value = b.scores.get(x.cid)
        reason = b.explanations.get(x.cid, "")
        if value is None and marks and len(set(marks.values())) == 1:
            value = next(iter(marks.values()))       # evaluators agree: offer their mark
            reason = reason or next((r for r in reasons.values() if r), "")
        self.agree_panel.set_context(c, f"<b>{x.supplier}</b><br>{c.name}", value, reason, extra,
                                     editable=not self.doc.read_only and not is_locked(self.doc.tender))

    @Slot(QItemSelection, QItemSelection)
    def _on_moderation_selection_changed(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._show_agree_panel()

    @Slot()
    def _on_moderation_model_reset(self) -> None:
        self._fit_moderation_columns()
        self._show_agree_panel()

    def _fit_moderation_columns(self) -> None:
        """Supplier and criterion as wide as their longest entry when there is room; when there is not (a large
        font), they give way, down to about 12 characters each (whole in their tooltips), so the marks, the
        spread and the agreed score stay in view."""
        t, n = self.moderation, self.moderation_model.columnCount()
        if n < 3:
            return
        for c in range(2, n - 1):        # an evaluator's column may sit where the reason was before
            t.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self._reason_fill.set_columns([n - 1])
        marks = sum(t.horizontalHeader().sectionSize(c) for c in range(2, n - 1))
        reason = self._reason_fill.floor(n - 1) * 2
        room = t.viewport().width() - marks - reason
        want = [t.sizeHintForColumn(0), t.sizeHintForColumn(1)]
        least = t.fontMetrics().averageCharWidth() * 12
        if sum(want) > room:
            want = [min(w, max(least, room // 2)) for w in want]
        for col, width in zip((0, 1), want, strict=True):
            if t.columnWidth(col) != width:
                t.setColumnWidth(col, width)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.moderation.viewport() and event.type() == QEvent.Type.Resize:
            self._fit_moderation_columns()
        return False

    def agree(self, supplier: str, cid: str, value: Decimal | None, reason: str) -> bool:
        """Record the agreed score (what the moderation panel's button does)."""
        return self.doc.push(SetConsensusScore(self.doc, supplier, cid, value, reason))

    @Slot(object, str)
    def _on_agree_panel_save_requested(self, value: Decimal, reason: str) -> None:
        r = self._moderation_row()
        if r is None:
            return
        x = self.moderation_model.row(r)
        if not reason and not dialogs.confirm(
            self, "No reason given", "The bidder's assessment summary quotes the reason for each agreed score. "
            "Record the score without one for now?", "Record without reason"):
            return
        shown = self.moderation.selectionModel().selectedRows()
        if self.agree(x.supplier, x.cid, value, reason) and shown:
            following = shown[0].row() + 1              # the next row as the table shows it (sorted, filtered)
            if following < self.moderation_proxy.rowCount():
                self.moderation.selectRow(following)

    @Slot()
    def _on_agree_panel_clear_requested(self) -> None:
        r = self._moderation_row()
        if r is not None:
            x = self.moderation_model.row(r)
            self.agree(x.supplier, x.cid, None, "")

    # --- navigation -------------------------------------------------------------------------------------

    def show_target(self, target: dict[str, str]) -> None:
        supplier, cid = target.get("supplier"), target.get("criterion")
        if target.get("mode") == "moderate":
            self.set_mode(moderate=True)
            if supplier and cid:
                r = self.moderation_model.row_of(supplier, cid)
                if r is not None:
                    self.select_moderation_row(r)
            return
        self.set_mode(moderate=False)
        if target.get("evaluator"):
            self.set_evaluator(target["evaluator"])
        if supplier and cid:
            ix = self.marks_model.cell_of(supplier, cid)
            if ix.isValid():
                self.marks.setCurrentIndex(ix)
                self.marks.scrollTo(ix)

    @Slot()
    def _on_doc_changed(self) -> None:
        if self.doc.evaluators() != [self.evaluator.itemText(i) for i in range(self.evaluator.count())]:
            self._fill_evaluators()
        self._show_mark_panel()
        self._show_agree_panel()
        self._show_banner()

    def page_shown(self) -> None:
        self._show_banner()
