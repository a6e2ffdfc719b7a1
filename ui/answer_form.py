"""Every field of one supplier's answer to one ask, editable by keyboard alone: the same form in the list's
side panel and, in a larger font, in meeting mode (issue 14 item 4).

The offer, the value to residents (typed, or worked out from the ask's formula and its inputs), beneficiaries,
the cost to the council, who delivers it (the supplier, a named local SME partner or another partner), the
follow-up date and the officer's notes. Each finished field is one undoable edit
(``svdesk.domain.negotiation.update_outcome`` / ``set_input``), pushed by the owner through ``on_edit`` /
``on_input``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFocusEvent, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain.checklist import ChecklistItem, DeliveredBy, Outcome, computed_value
from svdesk.domain.money import format_gbp
from svdesk.domain.values import TEXT_MAX
from svdesk.errors import SvdeskError
from ui.formatting import parse_mark, plain
from ui.widgets import DateField, DecimalEdit, form_label

#: What each field is called in the Edit menu ("Undo Acme: notes for Free Wi-Fi").
FIELD_LABELS = {"offer": "offer", "value_entered": "value", "beneficiaries": "beneficiaries",
                "cost_to_council": "cost to council", "delivered_by": "who delivers", "partner": "partner",
                "follow_up": "follow-up date", "notes": "notes"}

#: The partner's name is a name, not an essay (the domain allows 300 characters).
PARTNER_MAX = 300


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


class TextBox(QPlainTextEdit):
    """Several lines of text with a limit: Tab moves on, leaving the box reports the text once when it changed,
    and a counter under it says how much room is left as the limit nears.

    Signals:
        text_edited(str): the officer left the box with different text (stripped).
    """

    text_edited = Signal(str)

    def __init__(self, name: str, limit: int = TEXT_MAX, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = limit
        self._shown = ""
        self._length = 0
        self.setTabChangesFocus(True)
        self.setAccessibleName(name)
        self.counter = QLabel()
        self.counter.setAccessibleName(f"{name}: characters left")
        self.counter.setStyleSheet("color: palette(placeholder-text);")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        keep = self.counter.sizePolicy()
        keep.setRetainSizeWhenHidden(True)   # the counter appearing never moves what is below it
        self.counter.setSizePolicy(keep)
        self.textChanged.connect(self._on_self_text_changed)
        self._on_self_text_changed()

    def set_text(self, text: str) -> None:
        """Show a value without reporting an edit."""
        self._shown = text
        if self.toPlainText() != text:
            self.blockSignals(True)
            self.setPlainText(text)
            self.blockSignals(False)
        self._length = len(text)
        self._on_self_text_changed()

    def commit(self) -> None:
        """Report the text when it differs from the value shown (called on leaving, and before a step)."""
        text = self.toPlainText().strip()
        if text != self._shown.strip():
            self._shown = text
            self.text_edited.emit(text)

    @Slot()
    def _on_self_text_changed(self) -> None:
        text = self.toPlainText()
        n = len(text)
        if n > self.limit and self._length <= self.limit:
            # Typing or pasting past the limit keeps the first `limit` characters (a text that came in longer,
            # from a file, is left whole: the counter says how much to cut).
            cursor = self.textCursor()
            self.blockSignals(True)
            self.setPlainText(text[: self.limit])
            self.blockSignals(False)
            cursor.setPosition(self.limit)
            self.setTextCursor(cursor)
            n = self.limit
        self._length = n
        left = self.limit - n
        # Quiet until the last fifth of the room is in use: then the officer sees how much is left.
        if left < 0:
            self.counter.setText(f"{-left:,} characters over the limit of {self.limit:,}: shorten it")
        elif n >= self.limit * 0.8:
            self.counter.setText(f"{left:,} of {self.limit:,} characters left")
        else:
            self.counter.setText("")
        self.counter.setVisible(bool(self.counter.text()))

    @property
    def too_long(self) -> bool:
        """Whether the text is longer than the limit (only a text that came in longer can be)."""
        return len(self.toPlainText()) > self.limit

    def focusOutEvent(self, e: QFocusEvent) -> None:
        super().focusOutEvent(e)
        self.commit()


class AnswerForm(QWidget):
    """The fields of one answer. ``on_edit(changes, label)`` pushes an ``update_outcome`` edit,
    ``on_input(name, value)`` a ``set_input`` edit, ``on_refused(message)`` says why typing was not accepted."""

    def __init__(self, on_edit: Callable[[dict[str, object], str], bool],
                 on_input: Callable[[str, Decimal | None], bool], on_refused: Callable[[str], None],
                 font: QFont | None = None, columns: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._on_edit, self._on_input, self._on_refused = on_edit, on_input, on_refused
        self._item: ChecklistItem | None = None
        self._outcome: Outcome | None = None
        self._enabled = False
        if font is not None:
            self.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # One column in the side panel; two in meeting mode, so every field fits a 1366 × 768 laptop. Labels do
        # not wrap inside a row (a wrapped label was cut to its first line): a long one goes above its box.
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        second = form if columns == 1 else QFormLayout()
        second.setRowWrapPolicy(form.rowWrapPolicy())
        for f in (form, second):
            f.setVerticalSpacing(6)
        self.offer = TextBox("What they offered")
        self.offer.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.offer.setPlaceholderText("in their words")
        self.offer.text_edited.connect(lambda text: self._edit(offer=text))
        self.value = DecimalEdit(money=True)
        self.value.setAccessibleName("Value to residents per year")
        self.value.setPlaceholderText("from the formula, or type a value")
        self.value.value_edited.connect(lambda v: self._edit(value_entered=v))
        self.value.invalid.connect(on_refused)
        self.computed = QLabel()
        self.computed.setWordWrap(True)
        self.computed.setAccessibleName("Value from the formula")
        self.beneficiaries = QLineEdit()
        self.beneficiaries.setAccessibleName("Beneficiaries")
        self.beneficiaries.setPlaceholderText("how many residents, households or sites")
        self.beneficiaries.editingFinished.connect(self._on_beneficiaries_editing_finished)
        self.cost = DecimalEdit(money=True)
        self.cost.setAccessibleName("Cost to the council per year")
        self.cost.setPlaceholderText("0.00, ideally")
        self.cost.value_edited.connect(lambda v: self._edit(cost_to_council=v or Decimal(0)))
        self.cost.invalid.connect(on_refused)
        self.delivered_by = QComboBox()
        self.delivered_by.setAccessibleName("Who delivers it")
        for d in DeliveredBy:
            self.delivered_by.addItem(d.label, d.value)
        self.delivered_by.activated.connect(self._on_delivered_by_activated)
        self.partner = QLineEdit()
        self.partner.setAccessibleName("Partner's name")
        self.partner.setMaxLength(PARTNER_MAX)
        self.partner.setPlaceholderText("the named partner, e.g. Dales Digital CIC")
        self.partner.editingFinished.connect(self._on_partner_editing_finished)
        self.follow_up = DateField("Follow up on")
        self.follow_up.date_edited.connect(lambda d: self._edit(follow_up=d))
        self.notes = TextBox("Notes")
        self.notes.setPlaceholderText("your own notes (never printed on the papers)")
        self.notes.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.notes.text_edited.connect(lambda text: self._edit(notes=text))

        offer_box = QVBoxLayout()
        offer_box.addWidget(self.offer)
        offer_box.addWidget(self.offer.counter)
        form.addRow(_label("&Offer:", self.offer), offer_box)
        form.addRow(_label("&Value per year (£):", self.value), self.value)
        form.addRow("", self.computed)
        self._inputs = QFormLayout()
        self._inputs.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)   # long labels above their boxes
        self._inputs.setContentsMargins(0, 0, 0, 0)
        self._input_edits: list[DecimalEdit] = []
        form.addRow(self._inputs)
        second.addRow(_label("&Beneficiaries:", self.beneficiaries), self.beneficiaries)
        second.addRow(_label("&Cost to council (£/yr):", self.cost), self.cost)
        second.addRow(_label("&Delivered by:", self.delivered_by), self.delivered_by)
        second.addRow(_label("&Partner:", self.partner), self.partner)
        second.addRow(_label("&Follow up on:", self.follow_up.focus_widgets()[0]), self.follow_up)
        notes_box = QVBoxLayout()
        notes_box.addWidget(self.notes)
        notes_box.addWidget(self.notes.counter)
        second.addRow(_label("N&otes:", self.notes), notes_box)
        if second is form:
            layout.addLayout(form)
        else:
            both = QHBoxLayout()
            both.setSpacing(24)
            both.addLayout(form, 1)
            both.addLayout(second, 1)
            layout.addLayout(both)
        self.how = QLabel()
        self.how.setWordWrap(True)
        self.how.setStyleSheet("color: palette(placeholder-text);")
        layout.addWidget(self.how)
        self.show_answer(None, None, enabled=False)

    # --- showing --------------------------------------------------------------------------------------------

    def show_answer(self, item: ChecklistItem | None, o: Outcome | None, *, enabled: bool) -> None:
        """Show one answer (``None``: nothing selected, every field empty, even the previous ask's help)."""
        same_inputs = (item is not None and self._item is not None and item.ask.id == self._item.ask.id
                       and [i.name for i in item.ask.inputs] == [i.name for i in self._item.ask.inputs])
        self._item, self._outcome, self._enabled = item, o, enabled and item is not None and o is not None
        if not same_inputs:
            # Rebuilt only for another ask: after an edit the boxes stay, so the focus stays where Tab put it.
            while self._inputs.rowCount():
                row = self._inputs.takeRow(0)
                for part in (row.labelItem, row.fieldItem):
                    w = part.widget() if part is not None else None
                    if w is not None:
                        w.hide()
                        w.deleteLater()   # it may be the sender of the edit being handled
            self._input_edits = []
        on = self._enabled
        for w in (self.offer, self.value, self.beneficiaries, self.cost, self.delivered_by, self.notes):
            w.setEnabled(on)
        self.follow_up.setEnabled(on)
        if item is None or o is None:
            self.offer.set_text("")
            self.notes.set_text("")
            self.value.set_value(None)
            self.cost.set_value(None)
            self.beneficiaries.setText("")
            self.partner.setText("")
            self.partner.setEnabled(False)
            self.delivered_by.setCurrentIndex(0)
            self.follow_up.set_value(None)
            self.computed.setText("")
            self.how.setText("")
            return
        a = item.ask
        self.offer.set_text(o.offer)
        self.value.set_value(o.value_entered)
        self.beneficiaries.setText("" if o.beneficiaries is None else str(o.beneficiaries))
        self.cost.set_value(o.cost_to_council)
        self.delivered_by.setCurrentIndex(max(0, self.delivered_by.findData(o.delivered_by.value)))
        self.partner.setText(o.partner)
        self.partner.setCursorPosition(0)
        self.partner.setEnabled(on and o.delivered_by is not DeliveredBy.SUPPLIER)
        self.follow_up.set_value(o.follow_up)
        self.notes.set_text(o.notes)
        try:
            computed = computed_value(a, o)
        except SvdeskError as e:
            self.computed.setText(f"The formula cannot be worked out: {e}")
        else:
            self.computed.setText(f"From the formula: {format_gbp(computed)} a year" if computed is not None
                                  else ("Enter the inputs below to value it" if a.formula else ""))
        if same_inputs:
            for inp, edit in zip(a.inputs, self._input_edits, strict=True):
                edit.setEnabled(on)
                edit.set_value(o.inputs.get(inp.name))
        else:
            previous: QWidget = self.value
            for inp in a.inputs:
                edit = DecimalEdit()
                edit.setEnabled(on)
                edit.setAccessibleName(inp.label)
                value = o.inputs.get(inp.name)
                edit.set_value(value)
                if value is None and inp.default is not None:
                    edit.setPlaceholderText(f"{plain(inp.default)} (default)")
                edit.value_edited.connect(lambda v, name=inp.name: self._on_input(name, v))
                edit.invalid.connect(self._on_refused)
                unit = f" ({inp.unit})" if inp.unit else ""
                self._inputs.addRow(form_label(f"{inp.label}{unit}:", edit), edit)
                QWidget.setTabOrder(previous, edit)   # inputs made later still come right after the value
                previous = edit
                self._input_edits.append(edit)
            QWidget.setTabOrder(previous, self.beneficiaries)
        self.how.setText(f"How to value it: {a.how_to_value}" if a.how_to_value else "")

    def input_edits(self) -> list[DecimalEdit]:
        """The boxes for the ask's valuation inputs, in order."""
        return list(self._input_edits)

    def commit(self) -> None:
        """Save what is typed but not yet saved (before moving to another ask or leaving meeting mode)."""
        if not self._enabled:
            return
        self.offer.commit()
        self.notes.commit()
        focus = self.focusWidget()
        if isinstance(focus, QLineEdit) and focus.isModified():
            focus.editingFinished.emit()

    # --- editing --------------------------------------------------------------------------------------------

    def _edit(self, **changes: object) -> bool:
        if not self._enabled or self._outcome is None:
            return False
        o = self._outcome
        if all(getattr(o, k) == v for k, v in changes.items()):
            return False
        label = " and ".join(FIELD_LABELS.get(k, k) for k in changes)
        return self._on_edit(changes, label)

    def _chosen_delivery(self) -> DeliveredBy:
        return DeliveredBy(self.delivered_by.currentData())

    @Slot(int)
    def _on_delivered_by_activated(self, _i: int) -> None:
        who = self._chosen_delivery()
        if who is DeliveredBy.SUPPLIER:
            self.partner.setEnabled(False)
            self._edit(delivered_by=who, partner="")
            return
        self.partner.setEnabled(self._enabled)
        name = self.partner.text().strip()
        if name:
            self._edit(delivered_by=who, partner=name)
        else:
            # The partner must be named before it is saved: the box is ready for the name.
            self.partner.setPlaceholderText(f"name the {who.label.lower()}, then press Enter")
            self.partner.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot()
    def _on_partner_editing_finished(self) -> None:
        name = self.partner.text().strip()
        who = self._chosen_delivery()
        o = self._outcome
        if o is None or not self._enabled:
            return
        if who is not DeliveredBy.SUPPLIER and not name:
            if o.partner:
                self._on_refused(f"name the partner when it is delivered by a {who.label.lower()} (or choose "
                                 "“The supplier”)")
                self.partner.setText(o.partner)
            return
        self._edit(delivered_by=who, partner=name)

    @Slot()
    def _on_beneficiaries_editing_finished(self) -> None:
        text = self.beneficiaries.text().strip()
        try:
            n = parse_mark(text, "beneficiaries")
        except SvdeskError as e:
            self._on_refused(str(e))
            return
        if n is not None and n != int(n):
            self._on_refused("beneficiaries must be a whole number")
            return
        self._edit(beneficiaries=None if n is None else int(n))

