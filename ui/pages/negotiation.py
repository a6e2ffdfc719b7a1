"""Negotiation: the checklist of asks per supplier, and a large, touch-friendly meeting mode.

Prepare: fill the checklist with the asks suggested for the tender's category, add or remove asks. In the
meeting: pick the supplier, go through the asks one at a time, tap what they said, type their offer. Each tap
is saved at once and can be undone. Agreed asks then become commitments of the supplier's bid.
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
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
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain import negotiation as neg
from svdesk.domain.checklist import CATEGORIES, STATUS_TRANSITIONS, Ask, AskStatus
from svdesk.domain.money import format_gbp
from svdesk.domain.tender import Tender
from svdesk.domain.values import Theme
from svdesk.errors import SvdeskError
from ui import dialogs
from ui.answer_form import FIELD_LABELS, AnswerForm
from ui.commands import DomainEdit
from ui.document import TenderDocument
from ui.formatting import plural
from ui.models.checklist import ChecklistModel, set_status, value_text
from ui.pages.base import Page
from ui.table_tools import TableMenu
from ui.widgets import Banner, FlowBar, fit_bold, heading, note, scrolling

#: The answers offered as buttons, in the order a conversation goes.
ANSWERS = (AskStatus.ASKED, AskStatus.CONSIDERING, AskStatus.OFFERED, AskStatus.AGREED, AskStatus.DECLINED)
ANSWER_STYLE = {
    AskStatus.AGREED: "QPushButton:checked { background:#2e7d32; color:white; font-weight:bold; }",
    AskStatus.DECLINED: "QPushButton:checked { background:#b71c1c; color:white; font-weight:bold; }",
}
CHECKED_STYLE = "QPushButton:checked { background:#1f6fb2; color:white; font-weight:bold; }"
ANSWER_TEXT = {AskStatus.ASKED: "Asked", AskStatus.CONSIDERING: "Considering", AskStatus.OFFERED: "Offered",
               AskStatus.AGREED: "Agreed ✓", AskStatus.DECLINED: "Declined ✗"}


def library() -> tuple[Ask, ...]:
    """The asks library (shipped asks and the officer's own)."""
    from svdesk.io.asks_library import load_library

    return load_library()


class LibraryDialog(QDialog):
    """Choose asks from the library to add to the checklist."""

    def __init__(self, asks: tuple[Ask, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add asks from the library")
        self.resize(640, 520)
        layout = QVBoxLayout(self)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by words in the title or question")
        self.filter.setAccessibleName("Filter asks")
        self.list = QListWidget()
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.list.setAccessibleName("Asks in the library")
        self.list.setWordWrap(True)
        for a in asks:
            item = QListWidgetItem(f"{a.title} — {a.theme.label}")
            item.setToolTip(a.question)
            item.setData(Qt.ItemDataRole.UserRole, a)
            self.list.addItem(item)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add the chosen asks")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @Slot(str)
    def _on_filter_text_changed(self, text: str) -> None:
        t = text.casefold()
        for i in range(self.list.count()):
            item = self.list.item(i)
            a: Ask = item.data(Qt.ItemDataRole.UserRole)
            item.setHidden(bool(t) and t not in a.title.casefold() and t not in a.question.casefold())

    def chosen(self) -> list[Ask]:
        """The asks ticked."""
        return [i.data(Qt.ItemDataRole.UserRole) for i in self.list.selectedItems()]


class AskDialog(QDialog):
    """Write an ask of your own, or change this tender's copy of one (its title, theme and wording)."""

    def __init__(self, ask: Ask | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Change the ask for this tender" if ask is not None else "Write your own ask")
        self.setAccessibleName(self.windowTitle())
        self.resize(620, 520)
        self._ask = ask
        layout = QVBoxLayout(self)
        if ask is not None:
            layout.addWidget(note("The change is for this tender only. To use it in other tenders too, save it to "
                                  "your asks library afterwards."))
        form = QFormLayout()
        self.title = QLineEdit(ask.title if ask else "")
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("a short name, e.g. Free Wi-Fi in the market square")
        self.theme = QComboBox()
        self.theme.setAccessibleName("Theme")
        for t in Theme:
            self.theme.addItem(t.label, t.value)
        if ask is not None:
            self.theme.setCurrentIndex(max(0, self.theme.findData(ask.theme.value)))
        self.question = QPlainTextEdit(ask.question if ask else "")
        self.question.setAccessibleName("The question to put")
        self.question.setPlaceholderText("what you will ask the supplier, in your words")
        self.why = QPlainTextEdit(ask.why if ask else "")
        self.why.setAccessibleName("Why it matters")
        self.evidence = QPlainTextEdit(ask.evidence if ask else "")
        self.evidence.setAccessibleName("Evidence to ask for")
        for e in (self.question, self.why, self.evidence):
            e.setTabChangesFocus(True)
            e.setMinimumHeight(64)
        form.addRow("&Title:", self.title)
        form.addRow("T&heme:", self.theme)
        form.addRow("&Question:", self.question)
        form.addRow("&Why it matters:", self.why)
        form.addRow("&Evidence to ask for:", self.evidence)
        layout.addLayout(form, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Save the change" if ask is not None else "Add to the checklist")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.title.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.ok.setEnabled(bool(self.title.text().strip()))

    def fields(self) -> dict[str, object]:
        """Every field as typed."""
        return {"title": self.title.text().strip(), "theme": Theme(self.theme.currentData()),
                "question": self.question.toPlainText().strip(), "why": self.why.toPlainText().strip(),
                "evidence": self.evidence.toPlainText().strip()}

    def changes(self) -> dict[str, object]:
        """The fields that differ from the ask being changed."""
        assert self._ask is not None
        return {k: v for k, v in self.fields().items() if getattr(self._ask, k) != v}

    def new_ask(self, taken: set[str], category: str) -> Ask:
        """A new ask with an id made from its title, unique among ``taken``."""
        f = self.fields()
        base = "my-" + ("-".join(re.findall(r"[a-z0-9]+", str(f["title"]).casefold()))[:50].strip("-") or "ask")
        ask_id, n = base, 2
        while ask_id in taken:
            ask_id, n = f"{base}-{n}", n + 1
        cats = (category,) if category in CATEGORIES else ("any",)
        return Ask(id=ask_id, categories=cats, **f)  # type: ignore[arg-type]


class MeetingView(QWidget):
    """One ask at a time, big enough to use on a touch screen in a supplier's meeting room."""

    def __init__(self, page: NegotiationPage) -> None:
        super().__init__()
        self._page = page
        self.setAccessibleName("Meeting mode")
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 1.6)
        huge = QFont(self.font())
        huge.setPointSizeF(huge.pointSizeF() * 2.1)
        huge.setBold(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        top = QHBoxLayout()
        self.supplier = QLabel()
        self.supplier.setFont(big)
        self.supplier.setWordWrap(True)
        self.progress = QLabel()
        self.progress.setFont(big)
        # Previous / next sit at the top, beside the progress: on a 1366 × 768 laptop the bottom of a long answer
        # is below the fold, and moving on must never need a scroll.
        self.prev = QPushButton("← Previous")
        self.next = QPushButton("Save and next →")
        self.prev.setAccessibleName("Previous ask")
        self.next.setAccessibleName("Save and go to the next ask")
        for b in (self.prev, self.next):
            b.setMinimumHeight(48)
            b.setFont(big)
        self.prev.clicked.connect(lambda: self.step(-1))
        self.next.clicked.connect(lambda: self.step(1))
        for key, by, button in (("Alt+Left", -1, self.prev), ("Alt+Right", 1, self.next)):
            sc = QShortcut(QKeySequence(key), self)   # from any box: what is typed is saved first
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda b=by, w=button: self.step(b) if w.isEnabled() else None)
            button.setToolTip(f"{button.text()} ({key})")
        leave = QPushButton("Leave meeting mode (Esc)")
        leave.setMinimumHeight(48)
        leave.clicked.connect(lambda: page.set_meeting_mode(False))
        top.addWidget(self.supplier, 1)
        top.addWidget(self.progress)
        top.addWidget(self.prev)
        top.addWidget(self.next)
        top.addWidget(leave)
        layout.addLayout(top)
        self.title = QLabel()
        self.title.setFont(huge)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.question = QLabel()
        self.question.setFont(big)
        self.question.setWordWrap(True)
        self.question.setAccessibleName("The question to put")
        layout.addWidget(self.question)
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        layout.addWidget(self.evidence)
        row = FlowBar(spacing=8, uniform=True)   # five across, or fewer per line with a large font
        self.buttons: dict[AskStatus, QPushButton] = {}
        for s in ANSWERS:
            b = QPushButton(ANSWER_TEXT[s])
            b.setCheckable(True)
            b.setMinimumHeight(72)
            b.setFont(big)
            b.setAccessibleName(f"Mark as {s.label.lower()}")
            b.setStyleSheet(ANSWER_STYLE.get(s, CHECKED_STYLE))
            fit_bold(b)
            b.clicked.connect(lambda _c=False, st=s: self._answer(st))
            row.addWidget(b)
            self.buttons[s] = b
        layout.addWidget(row)
        # Every field of the answer, as in the list's side panel, in a larger font (issue 14 item 4).
        form_font = QFont(self.font())
        form_font.setPointSizeF(form_font.pointSizeF() * 1.25)
        self.form = AnswerForm(lambda changes, label: page.update_answer(self.row, changes, label),
                               lambda name, value: page.set_input(self.row, name, value),
                               page.doc.edit_refused.emit, font=form_font, columns=2)
        self.offer = self.form.offer
        self.value = self.form.value
        layout.addWidget(self.form)
        self.worth = QLabel()
        self.worth.setFont(big)
        self.worth.setAccessibleName("Value to residents")
        layout.addWidget(self.worth)
        layout.addStretch(1)
        self.row = 0

    def show_row(self, row: int) -> None:
        """Show one ask."""
        m = self._page.model
        if not m.rowCount():
            self.title.setText("The checklist is empty: prepare the asks first.")
            self.question.setText("")
            return
        self.row = max(0, min(row, m.rowCount() - 1))
        item, o = m.item(self.row), m.outcome(self.row)
        self.supplier.setText(f"Meeting: <b>{m.supplier}</b>")
        self.progress.setText(f"Ask {self.row + 1} of {m.rowCount()}")
        self.title.setText(item.ask.title)
        self.question.setText(f"“{item.ask.question}”" if item.ask.question else "")
        self.evidence.setText(f"Evidence to ask for: {item.ask.evidence}" if item.ask.evidence else "")
        for s, b in self.buttons.items():
            b.setChecked(o.status is s)
            b.setEnabled(not self._page.doc.read_only and (s is o.status or s in STATUS_TRANSITIONS[o.status]))
        self.form.show_answer(item, o, enabled=not self._page.doc.read_only)
        self.worth.setText(f"Value to residents: {value_text(item, o) or 'not valued yet'}")
        self.prev.setEnabled(self.row > 0)
        self.next.setText("Save and next →" if self.row < m.rowCount() - 1 else "Save")

    def _save_offer(self) -> None:
        if self._page.model.rowCount():
            self.form.commit()

    def _answer(self, status: AskStatus) -> None:
        m = self._page.model
        if not m.rowCount():
            return
        self._save_offer()
        set_status(self._page.doc, m.item(self.row).ask.id, m.supplier, status)
        self.show_row(self.row)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc leaves meeting mode (handled here, not as a shortcut, so it works wherever focus is inside).
        if event.key() == Qt.Key.Key_Escape:
            self._save_offer()
            self._page.set_meeting_mode(False)
            return
        super().keyPressEvent(event)

    def step(self, by: int) -> None:
        """Save the offer and move to another ask."""
        self._save_offer()
        self.show_row(self.row + by)


class NegotiationPage(Page):
    """The checklist per supplier, its totals, the selected ask's details, and meeting mode."""

    key = "negotiation"
    title = "Negotiation"

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        self.model = ChecklistModel(doc)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack)

        main = QWidget()
        layout = QVBoxLayout(main)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.addWidget(heading("Negotiation"))
        layout.addWidget(note("The citizen benefits to ask each supplier for. Prepare the checklist, then take "
                              "the laptop into the meeting (no Wi-Fi needed) and use meeting mode."))
        bar = FlowBar()             # wraps onto a second line rather than widen the window (large fonts)
        supplier_label = QLabel("&Supplier:")
        bar.addWidget(supplier_label)
        self.supplier = QComboBox()
        self.supplier.setAccessibleName("Supplier")
        self.supplier.setMinimumWidth(220)
        supplier_label.setBuddy(self.supplier)
        self.supplier.activated.connect(self._on_supplier_activated)
        bar.addWidget(self.supplier)
        self.meeting = QPushButton("Meeting mode")
        self.meeting.setAccessibleName("Start meeting mode")
        self.meeting.setToolTip("Large buttons, one ask at a time (Ctrl+M)")
        self.meeting.setMinimumHeight(34)
        self.meeting.clicked.connect(lambda: self.set_meeting_mode(True))
        bar.addWidget(self.meeting)
        self.suggest = QPushButton("Fill with the suggested asks")
        self.suggest.clicked.connect(self._on_suggest_clicked)
        self.add = QPushButton("Add asks…")
        self.add.setToolTip("Add asks from the asks library")
        self.add.clicked.connect(self._on_add_clicked)
        self.apply = QPushButton("Agreed asks → bid commitments")
        self.apply.setAccessibleName("Make the agreed asks the bid's commitments")
        self.apply.setToolTip("The agreed asks, valued over the contract term, become this bid's social value "
                              "commitments (scored under the commitments criterion)")
        self.apply.clicked.connect(self._on_apply_clicked)
        for b in (self.suggest, self.add, self.apply):
            bar.addWidget(b)
        layout.addWidget(bar)

        # What can be done to the selected ask (under the checklist, beside the asks it acts on).
        self.move_up = QPushButton("↑ Move up")
        self.move_up.setAccessibleName("Move the ask up")
        self.move_up.setToolTip("Put the ask earlier in the checklist (Alt+Up)")
        self.move_up.clicked.connect(lambda: self.move_selected(-1))
        self.move_down = QPushButton("↓ Move down")
        self.move_down.setAccessibleName("Move the ask down")
        self.move_down.setToolTip("Put the ask later in the checklist (Alt+Down)")
        self.move_down.clicked.connect(lambda: self.move_selected(1))
        self.edit = QPushButton("Change ask…")
        self.edit.setAccessibleName("Change the ask's title and wording for this tender")
        self.edit.setToolTip("Change the title, theme, question or evidence for this tender")
        self.edit.clicked.connect(self._on_edit_clicked)
        self.write = QPushButton("Write your own…")
        self.write.setAccessibleName("Write your own ask")
        self.write.setToolTip("Add an ask of your own to this checklist")
        self.write.clicked.connect(self._on_write_clicked)
        self.save_mine = QPushButton("Save to my asks")
        self.save_mine.setAccessibleName("Save the ask to my asks library")
        self.save_mine.setToolTip("Keep this version of the ask in your own library, to use in other tenders")
        self.save_mine.clicked.connect(self._on_save_mine_clicked)
        self.remove = QPushButton("Remove ask")
        self.remove.setAccessibleName("Remove the ask from the checklist")
        self.remove.clicked.connect(self._on_remove_clicked)
        self.ask_bar = FlowBar()
        for b in (self.move_up, self.move_down, self.edit, self.write, self.save_mine, self.remove):
            self.ask_bar.addWidget(b)
        for key, step in (("Alt+Up", -1), ("Alt+Down", 1)):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda by=step: self.move_selected(by) if self.stack.currentIndex() == 0 else None)
        self.totals = Banner()
        self.totals.setAccessibleName("Totals for this supplier")
        self.totals.reserve_lines(2)    # "Agreed ✓" lengthens the totals: they must not push the list down
        layout.addWidget(self.totals)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table_menu = TableMenu(self.table, "ask", edit=self._on_menu_edit, delete=self._on_menu_delete,
                                    can_delete=lambda _r: "the database is open read-only" if self.doc.read_only
                                    else None)
        self.table.setAccessibleName("Checklist")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(ChecklistModel.ASK, QHeaderView.ResizeMode.Stretch)
        # The offer, theme, cost and follow-up are in the panel beside the list (and the totals above it).
        for col in (ChecklistModel.THEME, ChecklistModel.OFFER, ChecklistModel.COST, ChecklistModel.FOLLOW):
            self.table.setColumnHidden(col, True)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(lambda _ix: self.set_meeting_mode(True))
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.table, 1)
        lv.addWidget(self.ask_bar)
        split.addWidget(left)
        detail = scrolling(self._build_detail())   # scrolls rather than squash its rows on a small screen
        detail.setMaximumWidth(max(440, detail.fontMetrics().averageCharWidth() * 52))
        detail.setMinimumWidth(min(300, detail.fontMetrics().averageCharWidth() * 30))
        split.addWidget(detail)
        split.setCollapsible(1, False)
        split.setSizes([760, 420])
        layout.addWidget(split, 1)
        self.stack.addWidget(main)

        self.meeting_view = MeetingView(self)
        self.stack.addWidget(scrolling(self.meeting_view))   # a large font on a small screen scrolls
        mm = QShortcut(QKeySequence("Ctrl+M"), self)
        mm.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        mm.activated.connect(lambda: self.set_meeting_mode(self.stack.currentIndex() == 0))

        doc.changed.connect(self._on_doc_changed)
        self._fill_suppliers()
        if self.model.rowCount():
            self.table.selectRow(0)
        self._refresh()

    # --- detail -------------------------------------------------------------------------------------------

    def _build_detail(self) -> QWidget:
        box = QGroupBox("Selected ask")
        layout = QVBoxLayout(box)
        self._question = QLabel()
        self._question.setWordWrap(True)
        self._question.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self._question)
        answers = FlowBar(uniform=True)
        self._answer_buttons: dict[AskStatus, QPushButton] = {}
        for s in ANSWERS:
            b = QPushButton(ANSWER_TEXT[s])
            b.setCheckable(True)
            b.setAccessibleName(f"Mark as {s.label.lower()}")
            b.setStyleSheet(ANSWER_STYLE.get(s, CHECKED_STYLE))
            fit_bold(b)
            b.clicked.connect(lambda _c=False, st=s: self._on_answer(st))
            answers.addWidget(b)
            self._answer_buttons[s] = b
        layout.addWidget(answers)
        self.answer_form = AnswerForm(self._on_answer_form_edit, self._set_input, self.doc.edit_refused.emit)
        layout.addWidget(self.answer_form)
        layout.addStretch(1)
        return box

    def _on_menu_edit(self, row: int) -> None:
        self.table.selectRow(row)
        self._on_edit_clicked()

    def _on_menu_delete(self, row: int) -> None:
        self.table.selectRow(row)
        self._on_remove_clicked()

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _refresh(self) -> None:
        t = self.doc.tender
        ro = self.doc.read_only
        has_supplier = bool(self.model.supplier)
        empty = not t.checklist.items
        self.suggest.setVisible(empty)
        self.suggest.setEnabled(not ro)
        self.add.setEnabled(not ro)
        row = self._selected_row()
        selected = row is not None
        for b in (self.remove, self.edit):
            b.setEnabled(not ro and selected)
        self.write.setEnabled(not ro)
        self.save_mine.setEnabled(selected)
        self.move_up.setEnabled(not ro and selected and row > 0)  # type: ignore[operator]
        self.move_down.setEnabled(not ro and selected and row < self.model.rowCount() - 1)  # type: ignore[operator]
        self.meeting.setEnabled(has_supplier and not empty)
        agreed = neg.agreed_outcomes(t.checklist, self.model.supplier) if has_supplier else ()
        self.apply.setEnabled(not ro and bool(agreed))
        if not t.bids:
            self.totals.set_message("Add the suppliers you are meeting on the Bids page (a name is enough), then "
                                    "record their answers here.", "warn")
        elif empty:
            self.totals.set_message("The checklist is empty. Fill it with the asks suggested for this category, or "
                                    "add your own from the library.", "info")
        else:
            x = neg.supplier_totals(t, self.model.supplier)
            text = (f"{self.model.supplier}: {x.put} of {x.asks} asks put · {x.agreed} agreed · {x.declined} "
                    f"declined · worth {format_gbp(x.value_per_year)} a year to residents "
                    f"({format_gbp(x.value_over_term)} over {plural(t.term_years, 'year')}) · costs the council "
                    f"{format_gbp(x.cost_per_year)} a year")
            if x.unvalued:
                text += f" · {x.unvalued} agreed ask{'s' if x.unvalued != 1 else ''} not valued yet"
            self.totals.set_message(text, "good" if x.agreed else "info")
        self._show_detail()

    def _show_detail(self) -> None:
        r = self._selected_row()
        enabled = r is not None and bool(self.model.supplier) and not self.doc.read_only
        if r is None:
            self._question.setText("Select an ask in the list.")
            for b in self._answer_buttons.values():
                b.setEnabled(False)
            self.answer_form.show_answer(None, None, enabled=False)
            return
        item, o = self.model.item(r), self.model.outcome(r)
        a = item.ask
        parts = [f"<b>{a.title}</b>", f"<i>{a.theme.label}</i>"]
        if a.question:
            parts.append(f"“{a.question}”")
        if a.why:
            parts.append(f"Why it matters: {a.why}")
        if a.evidence:
            parts.append(f"Evidence to ask for: {a.evidence}")
        self._question.setText("<br>".join(parts))
        for s, b in self._answer_buttons.items():
            b.setChecked(o.status is s)
            b.setEnabled(enabled and (s is o.status or s in STATUS_TRANSITIONS[o.status]))
        self.answer_form.show_answer(item, o, enabled=enabled)

    # --- suppliers and modes ------------------------------------------------------------------------------

    def _fill_suppliers(self) -> None:
        names = [b.supplier for b in self.doc.tender.bids]
        current = self.model.supplier if self.model.supplier in names else (names[0] if names else "")
        self.supplier.blockSignals(True)
        self.supplier.clear()
        self.supplier.addItems(names)
        self.supplier.setCurrentText(current)
        self.supplier.blockSignals(False)
        if current != self.model.supplier:
            self.model.set_supplier(current)

    def set_supplier(self, name: str) -> None:
        """Show one supplier's answers."""
        self.supplier.setCurrentText(name)
        self.model.set_supplier(name)
        self._refresh()

    @Slot(int)
    def _on_supplier_activated(self, _i: int) -> None:
        self.set_supplier(self.supplier.currentText())

    def set_meeting_mode(self, on: bool) -> None:
        """Switch to (or from) the large one-ask-at-a-time view."""
        if on and (not self.model.supplier or not self.model.rowCount()):
            return
        self.stack.setCurrentIndex(1 if on else 0)
        if on:
            r = self._selected_row()
            self.meeting_view.show_row(r or 0)
            self.meeting_view.next.setFocus()
        else:
            self.table.selectRow(self.meeting_view.row)
            self._refresh()

    # --- edits --------------------------------------------------------------------------------------------

    def answer(self, ask_id: str, status: AskStatus) -> bool:
        """Record what the current supplier said to an ask."""
        return set_status(self.doc, ask_id, self.model.supplier, status)

    def _on_answer(self, status: AskStatus) -> None:
        r = self._selected_row()
        if r is not None:
            self.answer(self.model.item(r).ask.id, status)
            self._show_detail()

    def update_answer(self, row: int, changes: dict[str, object], label: str = "") -> bool:
        """Change fields of the current supplier's answer to the ask in ``row`` (one undoable step)."""
        if not self.model.supplier or not 0 <= row < self.model.rowCount():
            return False
        o = self.model.outcome(row)
        if all(getattr(o, k) == v for k, v in changes.items()):
            return False
        ask_id, supplier, title = self.model.item(row).ask.id, self.model.supplier, self.model.item(row).ask.title
        label = label or " and ".join(FIELD_LABELS.get(k, k) for k in changes)
        new = dict(changes)
        return self.doc.push(DomainEdit(self.doc, lambda t: neg.update_outcome(t, ask_id, supplier, **new),
                                        f"{supplier}: {label} for {title}",
                                        where={"supplier": supplier, "ask": ask_id}))

    def _on_answer_form_edit(self, changes: dict[str, object], label: str) -> bool:
        r = self._selected_row()
        return r is not None and self.update_answer(r, changes, label)

    def set_input(self, row: int, name: str, value: Decimal | None) -> bool:
        """Enter (or clear) one valuation input of the current supplier's answer to the ask in ``row``."""
        if not self.model.supplier or not 0 <= row < self.model.rowCount():
            return False
        item = self.model.item(row)
        ask_id, supplier, title = item.ask.id, self.model.supplier, item.ask.title
        label = next((i.label for i in item.ask.inputs if i.name == name), name)
        return self.doc.push(DomainEdit(self.doc, lambda t: neg.set_input(t, ask_id, supplier, name, value),
                                        f"{supplier}: {label.lower()} for {title}",
                                        where={"supplier": supplier, "ask": ask_id}))

    def _set_input(self, name: str, value: Decimal | None) -> bool:
        r = self._selected_row()
        return r is not None and self.set_input(r, name, value)

    def add_asks(self, asks: list[Ask]) -> bool:
        """Put asks on the checklist (one undoable step)."""
        have = {i.ask.id for i in self.doc.tender.checklist.items}
        new = [a for a in asks if a.id not in have]
        if not new:
            return False

        def edit(t: Tender) -> Tender:
            for a in new:
                t = neg.add_ask(t, a)
            return t

        n = len(new)
        return self.doc.push(DomainEdit(self.doc, edit, f"Add {n} ask{'s' if n != 1 else ''}"))

    @Slot()
    def _on_suggest_clicked(self) -> None:
        try:
            asks = neg.suggest_asks(library(), self.doc.tender.category)
        except SvdeskError as e:
            dialogs.show_error(self, "The asks library could not be read", str(e))
            return
        self.add_asks(list(asks))
        if self.model.rowCount():
            self.table.selectRow(0)

    @Slot()
    def _on_add_clicked(self) -> None:
        try:
            lib = library()
        except SvdeskError as e:
            dialogs.show_error(self, "The asks library could not be read", str(e))
            return
        have = {i.ask.id for i in self.doc.tender.checklist.items}
        dlg = LibraryDialog(tuple(a for a in lib if a.id not in have), self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.add_asks(dlg.chosen())

    @Slot()
    def _on_remove_clicked(self) -> None:
        r = self._selected_row()
        if r is None:
            return
        item = self.model.item(r)
        answered = [o for o in self.doc.tender.checklist.outcomes if o.ask_id == item.ask.id and o.status.is_put]
        if answered and not dialogs.confirm(self, "Remove the ask?",
                                            f"{len(answered)} supplier(s) have answered “{item.ask.title}”. "
                                            "Removing it removes their answers too (Edit → Undo brings them back).",
                                            "Remove"):
            return
        ask_id = item.ask.id
        self.doc.push(DomainEdit(self.doc, lambda t: neg.remove_ask(t, ask_id), f"Remove ask {item.ask.title}"))

    def move_selected(self, by: int) -> bool:
        """Move the selected ask up (``-1``) or down (``1``) the checklist, as one undoable step."""
        r = self._selected_row()
        if r is None or self.doc.read_only or not 0 <= r + by < self.model.rowCount():
            return False
        ask = self.model.item(r).ask
        where = "up" if by < 0 else "down"
        ok = self.doc.push(DomainEdit(self.doc, lambda t: neg.move_ask(t, ask.id, r + by),
                                      f"Move ask {ask.title} {where}", where={"ask": ask.id}))
        self._select_ask(ask.id)
        return ok

    def _select_ask(self, ask_id: str) -> None:
        row = self.model.row_of(ask_id)
        if row is not None:
            self.table.selectRow(row)

    def change_ask(self, ask_id: str, changes: dict[str, object]) -> bool:
        """Change this tender's copy of an ask (title, theme, wording), as one undoable step."""
        if not changes:
            return False
        title = self.doc.tender.checklist.item(ask_id).ask.title
        ok = self.doc.push(DomainEdit(self.doc, lambda t: neg.update_ask(t, ask_id, **changes),
                                      f"Change ask {title}", where={"ask": ask_id}))
        self._select_ask(ask_id)
        return ok

    @Slot()
    def _on_edit_clicked(self) -> None:
        r = self._selected_row()
        if r is None:
            return
        ask = self.model.item(r).ask
        dlg = AskDialog(ask, self)
        if dialogs.run_dialog(dlg):
            self.change_ask(ask.id, dlg.changes())

    def add_own_ask(self, ask: Ask) -> bool:
        """Put an ask the officer wrote on the checklist (after the selected ask), as one undoable step."""
        r = self._selected_row()
        position = None if r is None else r + 1
        ok = self.doc.push(DomainEdit(self.doc, lambda t: neg.add_ask(t, ask, custom=True, position=position),
                                      f"Add your own ask {ask.title}"))
        self._select_ask(ask.id)
        return ok

    @Slot()
    def _on_write_clicked(self) -> None:
        dlg = AskDialog(None, self)
        if dialogs.run_dialog(dlg):
            taken = {i.ask.id for i in self.doc.tender.checklist.items}
            with contextlib.suppress(SvdeskError):   # an unreadable library: the checklist's ids still count
                taken |= {a.id for a in library()}
            self.add_own_ask(dlg.new_ask(taken, self.doc.tender.category))

    def save_to_library(self, ask_id: str) -> bool:
        """Keep this tender's version of an ask in the officer's own asks library (offered for other tenders)."""
        from svdesk.io.asks_library import library_entries, save_my_ask

        ask = self.doc.tender.checklist.item(ask_id).ask
        try:
            entries = {e.ask.id: e for e in library_entries()}
            if ask_id in entries and entries[ask_id].ask == ask:
                self.say(f"“{ask.title}” is already in your asks library as it is here")
                return False
            replaces = ask_id in entries
            if replaces and not dialogs.confirm(
                    self, "Replace the ask in your library?",
                    f"Your library already has “{entries[ask_id].ask.title}”. Save this tender's version instead? "
                    "New tenders will offer this version.", "Save this version"):
                return False
            path = save_my_ask(ask)
        except (SvdeskError, OSError) as e:
            dialogs.show_error(self, "The ask was not saved to your library", str(e))
            return False
        self.say(f"Saved “{ask.title}” to your asks library ({path})")
        return True

    @Slot()
    def _on_save_mine_clicked(self) -> None:
        r = self._selected_row()
        if r is not None:
            self.save_to_library(self.model.item(r).ask.id)

    @Slot()
    def _on_apply_clicked(self) -> None:
        supplier = self.model.supplier
        if not supplier:
            return
        self.doc.push(DomainEdit(self.doc, lambda t: neg.apply_agreed_asks(t, supplier),
                                 f"Agreed asks become commitments of {supplier}", supplier,
                                 where={"supplier": supplier}))

    # --- events -------------------------------------------------------------------------------------------

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection_changed(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._refresh()

    @Slot()
    def _on_doc_changed(self) -> None:
        if [b.supplier for b in self.doc.tender.bids] != [self.supplier.itemText(i)
                                                         for i in range(self.supplier.count())]:
            self._fill_suppliers()
        if self._selected_row() is None and self.model.rowCount():
            self.table.selectRow(0)
        self._refresh()
        if self.stack.currentIndex() == 1:
            self.meeting_view.show_row(self.meeting_view.row)

    def paper(self) -> tuple[str, str | None]:
        # Ctrl+P here prints the checklist to take into the meeting with the supplier in view.
        return "checklist", self.model.supplier or None

    def show_target(self, target: dict[str, str]) -> None:
        if "supplier" in target and target["supplier"] != self.model.supplier:
            self.set_supplier(target["supplier"])
        if "ask" in target:
            r = self.model.row_of(target["ask"])
            if r is not None:
                self.table.selectRow(r)
                self.table.scrollTo(self.model.index(r, 0))
                if self.stack.currentIndex() == 1:
                    self.meeting_view.show_row(r)


def make_negotiation_page(doc: TenderDocument) -> Page:
    """The negotiation page."""
    return NegotiationPage(doc)

