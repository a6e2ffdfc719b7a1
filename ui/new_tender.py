"""The "New tender" dialog: reference, title, category, value, term, and where the criteria start from."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from svdesk.domain.tender import Tender, check_tender
from svdesk.errors import SvdeskError, ValidationError
from ui import settings
from ui.formatting import parse_pounds
from ui.templates import CATEGORIES, TEMPLATES, default_criteria, template


class NewTenderDialog(QDialog):
    """Ask for what a new tender needs; :meth:`tender` builds it."""

    def __init__(self, existing: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New tender")
        self.setMinimumWidth(480)
        self._existing = {r.casefold() for r in existing}
        form = QFormLayout(self)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("e.g. NET-2027-01")
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. Corporate network and broadband")
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(CATEGORIES)
        self.annual = QLineEdit()
        self.annual.setPlaceholderText("estimated £ per year (optional)")
        self.term = QSpinBox()
        self.term.setRange(1, 50)
        self.term.setValue(3)
        self.term.setSuffix(" years")
        self.term.valueChanged.connect(lambda n: self.term.setSuffix(" year" if n == 1 else " years"))
        self.start = QComboBox()
        self.start.setAccessibleName("Start the criteria from")
        w = settings.default_weights()
        self.start.addItem(f"Your default weights (price {w[0]}, quality {w[1]}, social value {w[2]})", "")
        for t in TEMPLATES:
            self.start.addItem(f"The “{t.name}” template", t.key)
        self.category.currentTextChanged.connect(self._on_category_current_text_changed)
        for widget, label in ((self.reference, "Reference"), (self.title, "Title"), (self.category, "Category"),
                              (self.annual, "Annual value (£)"), (self.term, "Term"),
                              (self.start, "Criteria start from")):
            widget.setAccessibleName(label)
            form.addRow(f"{label}:", widget)
        self.error = QLabel()
        self.error.setStyleSheet("color:#8a1c1c;")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create tender")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.result_tender: Tender | None = None

    @Slot(str)
    def _on_category_current_text_changed(self, text: str) -> None:
        if template(text) is not None:
            self.start.setCurrentIndex(self.start.findData(text))

    def tender(self) -> Tender:
        """The tender as entered (raises :class:`SvdeskError` saying what is wrong)."""
        ref = self.reference.text().strip()
        if ref.casefold() in self._existing:
            raise ValidationError("reference", f"{ref} is already used by another tender")
        key = self.start.currentData()
        tpl = template(key) if key else None
        criteria = tpl.criteria if tpl else default_criteria(*settings.default_weights())
        t = Tender(
            reference=ref,
            title=self.title.text().strip(),
            category=self.category.currentText().strip() or "any",
            annual_value=parse_pounds(self.annual.text(), "annual value"),
            term_years=self.term.value(),
            buyer=settings.authority_name(),
            officer=settings.user_name(),
            criteria=criteria,
        )
        return check_tender(t)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self.result_tender = self.tender()
        except SvdeskError as e:
            self.error.setText(str(e)[:1].upper() + str(e)[1:])
            return
        self.accept()
