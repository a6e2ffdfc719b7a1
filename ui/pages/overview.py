"""Overview: the tender's details, status with its lifecycle buttons, key dates, values, and the guide."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain import calendar, rules
from svdesk.domain.money import format_gbp
from svdesk.domain.tender import KEY_DATES, TRANSITIONS, Tender, TenderStatus, TieBreak
from ui.commands import SetDetails, SetKeyDate, TenderEdit
from ui.document import Change, TenderDocument
from ui.formatting import plural
from ui.guide import STEPS, Action, guide
from ui.notices_dialog import NoticeDetailsDialog
from ui.pages.base import Page
from ui.templates import CATEGORIES
from ui.widgets import DateField, DecimalEdit, FlowBar, heading, tab_order

#: The button for each lifecycle move, in the officer's words.
MOVES = {
    TenderStatus.NEGOTIATION: "Start negotiation",
    TenderStatus.EVALUATION: "Start evaluation",
    TenderStatus.AWARDED: "Record the award…",
    TenderStatus.CLOSED: "Close the tender…",
    TenderStatus.CANCELLED: "Cancel the tender…",
    TenderStatus.DRAFT: "Back to draft",
}
BACK = {(TenderStatus.EVALUATION, TenderStatus.NEGOTIATION): "Back to negotiation",
        (TenderStatus.CANCELLED, TenderStatus.DRAFT): "Reopen as a draft"}
TIE_BREAKS = {TieBreak.NONE: "Leave ties as ties", TieBreak.QUALITY: "Higher quality score wins",
              TieBreak.PRICE: "Lower price wins"}


class StepsBar(QWidget):
    """The seven steps, with the current one highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self._labels: list[QLabel] = []
        for i, name in enumerate(STEPS):
            label = QLabel(f"{i + 1}. {name}")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)     # two lines rather than a page wider than the screen (large fonts)
            label.setMinimumHeight(30)
            layout.addWidget(label, 1)
            self._labels.append(label)
        self.setAccessibleName("Steps")

    def set_step(self, step: int) -> None:
        """Highlight the current step; earlier ones are done."""
        for i, label in enumerate(self._labels):
            if i < step:
                style = "background:#e6f4ea; color:#1e5631; border-radius:4px;"
                label.setToolTip("Done")
            elif i == step:
                style = "background:#1f6fb2; color:white; font-weight:bold; border-radius:4px;"
                label.setToolTip("You are here")
            else:
                style = "background:palette(alternate-base); color:palette(placeholder-text); border-radius:4px;"
                label.setToolTip("Still to come")
            label.setStyleSheet(style + " padding: 4px;")
        self.setAccessibleDescription(f"Step {step + 1} of {len(STEPS)}" if step < len(STEPS) else "All done")


class NoticesPanel(QGroupBox):
    """The dates the Procurement Act 2023 sets, computed from the key dates (read only): the standstill's end,
    the first day the contract may be entered into, the contract details notice's deadline, and what is next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Notices and standstill (Procurement Act 2023)", parent)
        form = QFormLayout(self)
        self.standstill = QLabel("—")
        self.earliest = QLabel("—")
        self.details_due = QLabel("—")
        self.next = QLabel("—")
        self.next.setWordWrap(True)
        form.addRow("Standstill ends:", self.standstill)
        form.addRow("Contract may be entered into from:", self.earliest)
        form.addRow("Contract details notice (UK7) due by:", self.details_due)
        form.addRow("Next:", self.next)
        self._nation = QLabel("")
        form.addRow("Working days:", self._nation)
        self.details_button = QPushButton("Notice &details…")
        self.details_button.setToolTip("The council's identifier and address, CPV codes, procedure, threshold and "
                                       "the contract's value: what the UK6 and UK7 notices need")
        self.needs = QLabel("")
        self.needs.setWordWrap(True)
        form.addRow(self.details_button, self.needs)

    def show_tender(self, t: Tender, today: date) -> None:
        """Show ``t``'s dates as of ``today``."""
        nation = t.publication.nation
        dates = calendar.notice_dates(t, nation)
        self.standstill.setText(_day(dates.standstill_end, "when the contract award notice (UK6) is published"))
        self.earliest.setText(_day(dates.earliest_contract, "after the standstill"))
        self.details_due.setText(_day(dates.contract_details_due, "30 days from entering into the contract"))
        due = calendar.next_due(t, today, nation)
        if due is None:
            self.next.setText("Nothing yet: the notices come at the award")
        else:
            when = f" — by {due.by:%A %d %B %Y}" if due.by is not None and due.key != "standstill" else ""
            self.next.setText(f"{due.what}{when}{' (OVERDUE)' if due.overdue else ''}")
        self._nation.setText(f"weekdays except the bank holidays of {nation.label}")
        if t.status in (TenderStatus.AWARDED, TenderStatus.CLOSED):
            from svdesk.io.ocds.writing import notice_gaps

            gaps = len(notice_gaps(t, "UK6" if t.publication.above_threshold is not False else "UK7"))
            self.needs.setText("The notice is ready to publish (File → Export…)" if not gaps else
                               f"The notice still needs {plural(gaps, 'detail')}: see Notice details")
        else:
            self.needs.setText("Fill them in any time; the notices are published after the award")


def _day(d: date | None, pending: str) -> str:
    return f"{d:%A %d %B %Y}" if d is not None else f"— ({pending})"


class OverviewPage(Page):
    """Details, status, dates and values, with the guide on top."""

    key = "overview"
    title = "Overview"

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        layout = self.page_layout(scrolls=True)

        self._title = heading("")
        self._title.setWordWrap(True)
        self._status = QLabel()
        self._status.setAccessibleName("Status")
        top = QHBoxLayout()
        top.addWidget(self._title, 1)
        top.addWidget(self._status)
        layout.addLayout(top)

        self._steps = StepsBar()
        layout.addWidget(self._steps)

        # --- the guide ------------------------------------------------------------------------------
        guide_box = QGroupBox("Where it stands")
        g = QVBoxLayout(guide_box)
        self._stands = QLabel()
        self._stands.setWordWrap(True)
        self._next_label = QLabel()
        self._next_label.setWordWrap(True)
        f = self._next_label.font()
        f.setBold(True)
        self._next_label.setFont(f)
        self._next_button = QPushButton()
        self._next_button.setAccessibleName("Do the next step")
        self._next_button.clicked.connect(self._on_next_button_clicked)
        row = QHBoxLayout()
        row.addWidget(self._next_label, 1)
        row.addWidget(self._next_button)
        g.addWidget(self._stands)
        g.addLayout(row)
        self._missing_title = QLabel("<b>Still missing before the next step is safe:</b>")
        g.addWidget(self._missing_title)
        self._missing = QVBoxLayout()
        self._missing.setSpacing(2)
        g.addLayout(self._missing)
        layout.addWidget(guide_box)
        self._next_action: Action | None = None

        # --- lifecycle ------------------------------------------------------------------------------
        life = QGroupBox("Status")
        lh = QHBoxLayout(life)
        self._status_text = QLabel()
        self._status_text.setWordWrap(True)
        lh.addWidget(self._status_text, 1)
        self._move_buttons = FlowBar()
        lh.addWidget(self._move_buttons)
        layout.addWidget(life)

        # --- details and dates ----------------------------------------------------------------------
        grid = QGridLayout()
        details = QGroupBox("Details")
        form = QFormLayout(details)
        self._title_edit = QLineEdit()
        self._category = QComboBox()
        self._category.setEditable(True)
        self._category.addItems(CATEGORIES)
        self._buyer = QLineEdit()
        self._officer = QLineEdit()
        self._description = QPlainTextEdit()
        self._description.setTabChangesFocus(True)
        self._description.setFixedHeight(80)
        for w, name in ((self._title_edit, "Title"), (self._category, "Category"), (self._buyer, "Buyer"),
                        (self._officer, "Responsible officer"), (self._description, "Description")):
            w.setAccessibleName(name)
            form.addRow(f"{name}:", w)
        self._title_edit.editingFinished.connect(lambda: self._edit_text("title", self._title_edit.text()))
        self._buyer.editingFinished.connect(lambda: self._edit_text("buyer", self._buyer.text()))
        self._officer.editingFinished.connect(lambda: self._edit_text("officer", self._officer.text()))
        self._category.activated.connect(lambda _i: self._edit_text("category", self._category.currentText()))
        category_line = self._category.lineEdit()
        if category_line is not None:   # an editable combo box always has one
            category_line.editingFinished.connect(
                lambda: self._edit_text("category", self._category.currentText()))
        self._description.installEventFilter(self)
        grid.addWidget(details, 0, 0)

        values = QGroupBox("Value and term")
        vf = QFormLayout(values)
        self._annual = DecimalEdit(money=True)
        self._annual.setAccessibleName("Annual value in pounds")
        self._annual.setPlaceholderText("e.g. 200,000")
        self._annual.value_edited.connect(self._on_annual_value_edited)
        self._annual.invalid.connect(self.doc.edit_refused)
        self._term = QSpinBox()
        self._term.setRange(1, 50)
        self._term.setSuffix(" years")
        self._term.setAccessibleName("Term in years")
        self._ext = QSpinBox()
        self._ext.setRange(0, 50)
        self._ext.setSuffix(" years")
        self._ext.setAccessibleName("Possible extensions in years")
        for box in (self._term, self._ext):   # "1 year", not "1 years"
            box.valueChanged.connect(lambda n, b=box: b.setSuffix(" year" if n == 1 else " years"))
            box.setSuffix(" year" if box.value() == 1 else " years")
        self._term.editingFinished.connect(lambda: self._edit_int("term_years", self._term.value()))
        self._ext.editingFinished.connect(lambda: self._edit_int("extension_years", self._ext.value()))
        self._whole = QLabel()
        self._whole.setAccessibleName("Whole-life value")
        self._tie = QComboBox()
        for tb, text in TIE_BREAKS.items():
            self._tie.addItem(text, tb.value)
        self._tie.setAccessibleName("If totals are equal")
        self._tie.activated.connect(self._on_tie_activated)
        vf.addRow("Annual value (£):", self._annual)
        vf.addRow("Term:", self._term)
        vf.addRow("Extensions:", self._ext)
        vf.addRow("Whole-life value:", self._whole)
        vf.addRow("If totals are equal:", self._tie)
        grid.addWidget(values, 1, 0)

        dates = QGroupBox("Key dates")
        df = QFormLayout(dates)
        self._dates: dict[str, DateField] = {}
        for key, label in KEY_DATES.items():
            if key == "standstill_end":
                continue                  # computed from the award notice's date (the "Notices" panel)
            field = DateField(label)
            field.date_edited.connect(lambda d, k=key: self._edit_date(k, d))
            df.addRow(f"{label}:", field)
            self._dates[key] = field
        grid.addWidget(dates, 0, 1, 2, 1)
        self._notices = NoticesPanel()
        self._notices.details_button.clicked.connect(self._on_notice_details_clicked)
        grid.addWidget(self._notices, 2, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        layout.addLayout(grid)
        layout.addStretch(1)

        doc.changed.connect(self._on_doc_changed)
        doc.edit_refused.connect(self._on_doc_edit_refused)
        self.refresh()

    @Slot()
    def _on_notice_details_clicked(self) -> NoticeDetailsDialog:
        """Notice details…: the dialog, then one undoable edit of the tender's publication details."""
        from dataclasses import replace

        from ui import dialogs

        dlg = NoticeDetailsDialog(self.doc.tender, self)
        if dialogs.run_dialog(dlg) and dlg.result_publication is not None:
            pub = dlg.result_publication
            if pub != self.doc.tender.publication:
                self.doc.push(TenderEdit(self.doc, "Change notice details",
                                         lambda t: replace(t, publication=pub), Change(details=True)))
        return dlg

    # --- showing ------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the tender as it now is."""
        self._stale = False
        t = self.doc.tender
        self._title.setText(f"{t.reference} — {t.title}")
        self._status.setText(f"  {t.status.label}  ")
        self._status.setStyleSheet("background:#1f6fb2; color:white; border-radius:10px; padding:4px 10px;"
                                   "font-weight:bold;")
        if not self._title_edit.hasFocus():
            self._title_edit.setText(t.title)
        self._category.setCurrentText(t.category)
        self._buyer.setText(t.buyer)
        self._officer.setText(t.officer)
        for e in (self._title_edit, self._buyer, self._officer):
            if not e.hasFocus():
                e.setCursorPosition(0)     # a long text shows its start, not its end
        if not self._description.hasFocus():
            self._description.setPlainText(t.description)
        self._annual.set_value(t.annual_value)
        self._term.setValue(t.term_years)
        self._ext.setValue(t.extension_years)
        whole = t.whole_life_value
        years = t.term_years + t.extension_years
        parts = (f" ({plural(t.term_years, 'year')} and up to {plural(t.extension_years, 'year')} of extension)"
                 if t.extension_years else "")
        self._whole.setText(f"{format_gbp(whole)} over {plural(years, 'year')}{parts}" if whole is not None
                            else "—")
        self._tie.setCurrentIndex(max(0, self._tie.findData(t.tie_break.value)))
        for key, field in self._dates.items():
            field.set_value(t.key_dates.get(key))
        self._notices.show_tender(t, date.today())
        self._show_guide()
        self._show_moves()
        self._set_tab_order()
        ro = self.doc.read_only
        for w in (self._title_edit, self._buyer, self._officer, self._annual):
            w.setReadOnly(ro)
        self._description.setReadOnly(ro)
        for control in (self._category, self._term, self._ext, self._tie):
            control.setEnabled(not ro)
        tie_frozen = rules.frozen_reason(self.doc.tender, "tie-break")
        if tie_frozen is not None:
            self._tie.setEnabled(False)
            self._tie.setToolTip(tie_frozen)
        for field in self._dates.values():
            field.set_read_only(ro)

    def _show_guide(self) -> None:
        gd = guide(self.doc.tender)
        self._steps.set_step(gd.step)
        self._stands.setText(gd.stands)
        self._next_action = gd.next
        if gd.next is not None:
            self._next_label.setText(f"Next step: {gd.next.text}")
            self._next_button.setText("Do it now →")
            self._next_button.setVisible(not self.doc.read_only or gd.next.status is None)
        else:
            self._next_label.setText("Nothing left to do.")
            self._next_button.setVisible(False)
        while self._missing.count():
            item = self._missing.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.deleteLater()
        shown = gd.missing[:8]
        self._missing_title.setVisible(bool(shown))
        for a in shown:
            b = QPushButton(f"•  {a.text}")
            b.setFlat(True)
            b.setStyleSheet("text-align:left; color:#8a1c1c; padding:2px 6px;")
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.setToolTip("Go there")
            b.setAccessibleName(a.text)
            b.clicked.connect(lambda _c=False, act=a: self._do(act))
            self._missing.addWidget(b)
        if len(gd.missing) > len(shown):
            self._missing.addWidget(QLabel(f"… and {len(gd.missing) - len(shown)} more"))

    def _set_tab_order(self) -> None:
        """Reading order: the guide, the status buttons, the details, value and term, then the key dates
        (the guide's and the status buttons are made again whenever the tender changes)."""
        def widgets(layout: QLayout) -> list[QWidget]:
            found = (item.widget() for item in map(layout.itemAt, range(layout.count())) if item is not None)
            return [w for w in found if w is not None and w.focusPolicy() != Qt.FocusPolicy.NoFocus]

        dates = [w for field in self._dates.values() for w in field.focus_widgets()]
        tab_order(self._next_button, *widgets(self._missing), *self._move_buttons.widgets(), self._title_edit,
                  self._category, self._buyer, self._officer, self._description, self._annual, self._term,
                  self._ext, self._tie, *dates)

    def _show_moves(self) -> None:
        t = self.doc.tender
        self._move_buttons.clear()
        explain = {
            TenderStatus.DRAFT: "Draft: set up the evaluation model and prepare the asks.",
            TenderStatus.NEGOTIATION: "Negotiation: meeting suppliers and recording what they offer.",
            TenderStatus.EVALUATION: "Evaluation: bids are in; score and moderate them.",
            TenderStatus.AWARDED: "Awarded: the scores are frozen as the committee saw them.",
            TenderStatus.CLOSED: "Closed: nothing more to do.",
            TenderStatus.CANCELLED: "Cancelled.",
        }
        self._status_text.setText(explain[t.status])
        order = [TenderStatus.DRAFT, TenderStatus.NEGOTIATION, TenderStatus.EVALUATION, TenderStatus.AWARDED,
                 TenderStatus.CLOSED, TenderStatus.CANCELLED]
        for s in order:
            if s not in TRANSITIONS[t.status]:
                continue
            b = QPushButton(BACK.get((t.status, s), MOVES[s]))
            b.setAccessibleName(b.text())
            b.setEnabled(not self.doc.read_only)
            why = rules.can_change_status(t, s)
            if why:  # still clickable: the refusal lists what to put right
                b.setToolTip(f"Not yet: {'; '.join(why)}")
            b.clicked.connect(lambda _c=False, st=s: self.status_requested.emit(st.value))
            self._move_buttons.addWidget(b)

    # --- editing ------------------------------------------------------------------------------------------

    def _do(self, action: Action) -> None:
        if action.status is not None:
            self.status_requested.emit(action.status)
        else:
            self.navigate_requested.emit(action.page, dict(action.target))

    @Slot()
    def _on_next_button_clicked(self) -> None:
        if self._next_action is not None:
            self._do(self._next_action)

    def _edit_text(self, name: str, value: str) -> None:
        if self.doc.read_only or value.strip() == str(getattr(self.doc.tender, name)):
            return
        label = {"title": "title", "buyer": "buyer", "officer": "responsible officer", "category": "category",
                 "description": "description"}[name]
        if not self.doc.push(SetDetails(self.doc, {name: value}, f"Change {label}")):
            self.refresh()

    def _edit_int(self, name: str, value: int) -> None:
        if self.doc.read_only or value == getattr(self.doc.tender, name):
            return
        label = "term" if name == "term_years" else "extensions"
        self.doc.push(SetDetails(self.doc, {name: value}, f"Change {label}"))

    def _edit_date(self, key: str, day: date | None) -> None:
        if not self.doc.read_only:
            self.doc.push(SetKeyDate(self.doc, key, day))

    @Slot(object)
    def _on_annual_value_edited(self, value: Decimal | None) -> None:
        self.doc.push(SetDetails(self.doc, {"annual_value": value}, "Change annual value"))

    @Slot(int)
    def _on_tie_activated(self, index: int) -> None:
        tb = TieBreak(self._tie.itemData(index))
        if tb is not self.doc.tender.tie_break:
            self.doc.push(SetDetails(self.doc, {"tie_break": tb}, "Change how ties are broken"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The description is saved when the officer leaves the box (a multi-line box has no editingFinished).
        if watched is self._description and event.type() == QEvent.Type.FocusOut:
            self._edit_text("description", self._description.toPlainText())
        return False

    @Slot()
    def _on_doc_changed(self) -> None:
        # Out of sight (marking on the scoring page), the refresh waits until the page is shown: it runs the
        # guide over every bid and rebuilds widgets, tens of milliseconds an edit on a 500-bid tender.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def page_shown(self) -> None:
        if self._stale:
            self.refresh()

    @Slot(str)
    def _on_doc_edit_refused(self, _message: str) -> None:
        self.refresh()
