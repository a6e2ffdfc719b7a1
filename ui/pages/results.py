"""Results: ranking, flags and reasons, a bar chart, the price-formula comparison and the local-only check."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain.money import format_points
from svdesk.domain.scoring import Results, score_tender
from svdesk.domain.tender import CriterionKind
from svdesk.errors import ScoringError
from ui.chart import ResultsChart
from ui.document import TenderDocument
from ui.models.results import ComparisonModel, ResultsModel
from ui.pages.base import Page
from ui.table_tools import TableMenu
from ui.widgets import Banner, ShareColumns, fit_header_height, heading


def _table(model: ResultsModel | ComparisonModel, name: str) -> QTableView:
    t = QTableView()
    t.setModel(model)
    t.setAccessibleName(name)
    TableMenu(t, "row")     # right-click: copy a cell or the row (owned by the table; nothing here is edited)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setAlternatingRowColors(True)
    h = t.horizontalHeader()
    h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    h.setStretchLastSection(True)
    fit_header_height(t)        # wrapped column titles keep every line, whatever the font size
    t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.setWordWrap(True)
    t.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return t


class ResultsPage(Page):
    """The scored tender, recomputed whenever the tender changes and the page is in view."""

    key = "results"
    title = "Results"

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        layout = self.page_layout(scrolls=True)
        layout.addWidget(heading("Results"))
        self.summary = Banner()
        self.summary.clicked.connect(self._on_summary_clicked)
        layout.addWidget(self.summary)
        self.model = ResultsModel(self)
        self.table = _table(self.model, "Ranking")
        self.table.horizontalHeader().setStretchLastSection(False)
        self._share = ShareColumns(self.table, [], whole_cells=True, wrap_titles=True)
        self.model.modelReset.connect(self._on_model_model_reset)
        layout.addWidget(self.table)
        self.chart = ResultsChart()
        chart_box = QGroupBox("Points per bid (each colour is a criterion)")
        QVBoxLayout(chart_box).addWidget(self.chart)
        layout.addWidget(chart_box)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setAccessibleName("Warnings")
        warn_box = QGroupBox("Check before award")
        QVBoxLayout(warn_box).addWidget(self.warnings)
        layout.addWidget(warn_box)
        self.comparison = ComparisonModel(self)
        comp_box = QGroupBox("Would another price formula change the winner?")
        cl = QVBoxLayout(comp_box)
        self.comparison_table = _table(self.comparison, "Price formula comparison")
        cl.addWidget(self.comparison_table)
        self.local = QLabel()
        self.local.setWordWrap(True)
        self.local.setAccessibleName("Local-only comparison")
        cl.addWidget(self.local)
        layout.addWidget(comp_box)
        layout.addStretch(1)
        # Each table is exactly as tall as its rows: measured again (once the event loop is free) whenever its
        # title row changes height or a sideways scroll bar comes or goes.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)
        for t in (self.table, self.comparison_table):
            t.horizontalHeader().geometriesChanged.connect(self._refit.start)
            t.horizontalScrollBar().rangeChanged.connect(self._refit.start)
        self.results: Results | None = None
        self._stale = True
        self._fix_page = "evaluation"
        doc.changed.connect(self._on_doc_changed)
        doc.reloaded.connect(self._on_doc_changed)

    @Slot()
    def _on_doc_changed(self) -> None:
        self._stale = True
        if self.isVisible():
            self.recompute()

    def page_shown(self) -> None:
        if self._stale:
            self.recompute()

    def recompute(self) -> None:
        """Score the tender and show the outcome."""
        self._stale = False
        t = self.doc.tender
        try:
            res = score_tender(t)
        except ScoringError as e:
            self.results = None
            self.model.set_results(t, None)
            self.chart.set_results(t, None)
            self.comparison.set_results(None)
            self.summary.set_message(f"This tender cannot be scored yet: {e}.", "bad", "Fix the evaluation model")
            self._fix_page = "evaluation"
            self.warnings.setText("")
            self.local.setText("")
            self._fit()
            return
        self.results = res
        self.model.set_results(t, res)
        self.chart.set_results(t, res)
        price = next((c for c in t.criteria if c.kind is CriterionKind.PRICE), None)
        self.comparison.set_results(res, price.price_method.value if price else None)
        winners = res.winners
        provisional = any("provisional" in r.flags for r in res.results if r.ranked)
        unranked = [r for r in res.results if not r.ranked and not r.excluded]
        if not res.results:
            self.summary.set_message("No bids yet.", "info", "Record bids")
            self._fix_page = "bids"
        elif unranked:
            self.summary.set_message(
                f"{len(unranked)} bid{'s are' if len(unranked) != 1 else ' is'} not ranked yet: "
                f"{unranked[0].supplier}: {unranked[0].reasons[0] if unranked[0].reasons else ''}.",
                "warn", "Finish scoring")
            self._fix_page = "scoring"
        elif len(winners) > 1:
            names = " and ".join(w.supplier for w in winners)
            self.summary.set_message(f"Tie for first place between {names} on {format_points(winners[0].total)} "
                                     "points. Set a tie-break on the Overview page, or record how it was settled.",
                                     "warn", "Set a tie-break")
            self._fix_page = "overview"
        elif winners:
            w = winners[0]
            text = f"Highest score: {w.supplier} with {format_points(w.total)} points."
            if provisional:
                self.summary.set_message(text + " Provisional: some scores are not agreed in moderation yet.",
                                         "warn", "Moderate")
                self._fix_page = "scoring"
            else:
                self.summary.set_message(text, "good")
        else:
            self.summary.set_message("No bid can be ranked: every bid is excluded.", "bad")
        self.warnings.setText("<br>".join(f"• {w}" for w in res.warnings) or "Nothing to flag.")
        if res.local_only_changes_ranking is None:
            self.local.setText("This tender scores no social value commitments, so a local-only rule makes no "
                               "difference.")
        elif res.local_only_changes_ranking:
            self.local.setText("⚠ Counting only commitments that land locally would change the ranking"
                               + (f" (winner: {', '.join(res.local_only_winner)})" if res.local_only_winner else "")
                               + ". Check that remote SMEs and charities are not shut out unseen.")
        else:
            self.local.setText("✓ Counting only commitments that land locally would not change the ranking.")
        self._fit()

    def _fit(self) -> None:
        for t in (self.table, self.comparison_table):
            rows = t.model().rowCount()
            t.resizeRowsToContents()
            scroll = t.horizontalScrollBar().sizeHint().height() if t.horizontalScrollBar().maximum() > 0 else 0
            h = t.horizontalHeader().height() + sum(t.rowHeight(r) for r in range(rows)) + scroll + 4
            t.setFixedHeight(max(h, t.horizontalHeader().height() + 30))

    @Slot()
    def _on_model_model_reset(self) -> None:
        # Points columns share the width, so the whole ranking fits without scrolling sideways; but each keeps
        # its points whole and its title's words whole (with a large font they were squeezed until the points
        # were cut off), and then the table scrolls sideways instead.
        h = self.table.horizontalHeader()
        n = self.model.columnCount()
        points = list(range(2, max(2, n - 3)))
        for col in range(n):
            if col not in points:
                h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        if n:
            self.table.setColumnHidden(n - 1, True)
        self._share.set_columns(points)

    @Slot()
    def _on_summary_clicked(self) -> None:
        target = {"mode": "moderate"} if self.summary.button.text() == "Moderate" else {}
        self.navigate_requested.emit(self._fix_page, target)
