"""Small widgets the pages share: banners, headings, a date that may be unset, a Decimal line edit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

from PySide6.QtCore import QDate, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from svdesk.errors import SvdeskError
from ui.formatting import parse_mark, parse_pounds, plain

UNSET = QDate(2000, 1, 1)   # the date edit's minimum, shown as "not set"

COLOURS = {
    "info": ("#e8f1fb", "#1f4e79"),
    "good": ("#e6f4ea", "#1e5631"),
    "warn": ("#fff4d6", "#7a4f01"),
    "bad": ("#fde7e7", "#8a1c1c"),
}


def heading(text: str, size: float = 1.35) -> QLabel:
    """A page or section heading."""
    label = QLabel(text)
    f = QFont(label.font())
    f.setPointSizeF(f.pointSizeF() * size)
    f.setBold(True)
    label.setFont(f)
    label.setAccessibleName(text)
    return label


def tab_order(*widgets: QWidget | None) -> None:
    """Make Tab visit ``widgets`` in this order (``None`` skipped). Needed wherever controls are made again
    after the page is built (buttons that depend on the tender): new widgets join the end of the focus chain,
    so without this Tab would jump back up the page to them."""
    chain = [w for w in widgets if w is not None]
    for a, b in pairwise(chain):
        QWidget.setTabOrder(a, b)


def note(text: str) -> QLabel:
    """A line of help in a quieter colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class Banner(QFrame):
    """A coloured strip with a message and an optional button.

    Signals:
        clicked(): the button was pressed.
    """

    clicked = Signal()

    def __init__(self, text: str = "", kind: str = "info", button: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._button = QPushButton()
        self._button.clicked.connect(self.clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._button)
        self.set_message(text, kind, button)

    @property
    def button(self) -> QPushButton:
        """The banner's button."""
        return self._button

    def text(self) -> str:
        """The message shown."""
        return self._label.text()

    def set_message(self, text: str, kind: str = "info", button: str = "") -> None:
        """Show a message (``kind``: info, good, warn, bad) and, if ``button`` is given, a button."""
        back, fore = COLOURS.get(kind, COLOURS["info"])
        self.setStyleSheet(
            f"QFrame#banner {{ background: {back}; border: 1px solid {fore}; border-radius: 6px; }}"
            f"QFrame#banner QLabel {{ color: {fore}; }}"
        )
        self._label.setText(text)
        self.setAccessibleName(text)
        self._button.setText(button)
        self._button.setAccessibleName(button)
        self._button.setVisible(bool(button))


class DateField(QWidget):
    """A date that may be unset: a tick box and a date.

    Signals:
        date_edited(object): the officer set (a ``date``) or cleared (``None``) the date.
    """

    date_edited = Signal(object)

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._set = QCheckBox()
        self._set.setAccessibleName(f"{label}: set")
        self._set.setToolTip("Tick to set this date")
        self._date = QDateEdit()
        self._date.setCalendarPopup(True)
        self._date.setDisplayFormat("dd MMM yyyy")
        self._date.setAccessibleName(label)
        self._date.setMinimumDate(UNSET)
        self._date.setSpecialValueText("not set")   # shown at the minimum date, i.e. when unset
        self._date.setDate(UNSET)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._set)
        layout.addWidget(self._date, 1)
        self._set.toggled.connect(self._on_set_toggled)
        self._date.editingFinished.connect(self._on_date_editing_finished)
        self._value: date | None = None
        self.set_value(None)

    def set_value(self, value: date | None) -> None:
        """Show a date without reporting an edit."""
        self._value = value
        self._set.blockSignals(True)
        self._set.setChecked(value is not None)
        self._set.blockSignals(False)
        self._date.setEnabled(value is not None)
        self._date.blockSignals(True)
        self._date.setDate(QDate(value.year, value.month, value.day) if value is not None else UNSET)
        self._date.blockSignals(False)

    def value(self) -> date | None:
        """The date shown (``None`` when unset)."""
        return self._value

    def focus_widgets(self) -> tuple[QWidget, QWidget]:
        """The tick box and the date, in the order Tab visits them."""
        return self._set, self._date

    def set_read_only(self, read_only: bool) -> None:
        """Refuse edits."""
        self._set.setEnabled(not read_only)
        self._date.setReadOnly(read_only)

    @Slot(bool)
    def _on_set_toggled(self, on: bool) -> None:
        self._date.setEnabled(on)
        if on and self._date.date() == UNSET:
            self._date.blockSignals(True)
            self._date.setDate(QDate.currentDate())
            self._date.blockSignals(False)
        self._emit(self._current() if on else None)

    @Slot()
    def _on_date_editing_finished(self) -> None:
        if self._set.isChecked():
            self._emit(self._current())

    def _current(self) -> date:
        q = self._date.date()
        return date(q.year(), q.month(), q.day())

    def _emit(self, value: date | None) -> None:
        if value != self._value:
            self._value = value
            self.date_edited.emit(value)


class DecimalEdit(QLineEdit):
    """A line edit for an exact number (a weight, a mark, or pounds); reports an edit only when it changes.

    Signals:
        value_edited(object): the officer finished typing a new value (a ``Decimal`` or ``None``).
        invalid(str): what they typed is not a number svdesk accepts (plain English).
    """

    value_edited = Signal(object)
    invalid = Signal(str)

    def __init__(self, money: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._money = money
        self._value: Decimal | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.editingFinished.connect(self._on_self_editing_finished)

    def set_value(self, value: Decimal | None) -> None:
        """Show a value without reporting an edit."""
        self._value = value
        if value is None:
            self.setText("")
        elif self._money:
            self.setText(f"{value:,.2f}")
        else:
            self.setText(plain(value))

    def value(self) -> Decimal | None:
        """The value last accepted."""
        return self._value

    @Slot()
    def _on_self_editing_finished(self) -> None:
        try:
            value = parse_pounds(self.text()) if self._money else parse_mark(self.text(), "number")
        except SvdeskError as e:
            self.set_value(self._value)
            self.invalid.emit(str(e))
            return
        if value != self._value:
            self._value = value
            self.value_edited.emit(value)
        self.set_value(self._value)
