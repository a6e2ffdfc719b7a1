"""Overview → Notice details…: what the contract award (UK6) and contract details (UK7) notices need beyond
the evaluation — the council's identifier, address and contact, CPV codes, category, procedure, threshold,
the contract's value, framework, the nation whose bank holidays count — with what each notice still needs,
as you type. One undoable edit; the core (``svdesk.domain.publication``) checks every value."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain.calendar import Nation
from svdesk.domain.money import format_gbp
from svdesk.domain.publication import (
    CATEGORIES,
    METHODS,
    Address,
    Publication,
    check_publication,
    cpv_lines,
    parse_cpv_lines,
    parse_time,
)
from svdesk.domain.tender import Tender
from svdesk.errors import SvdeskError
from ui.formatting import parse_pounds

#: The key dates that have a time of day in a notice (the deadlines the officer set).
TIMED = {"clarification_deadline": "Clarification deadline", "bids_due": "Bids due"}

#: Identifier schemes a council is known by on the central digital platform (org-id.guide codes).
BUYER_SCHEMES = ("GB-PPON", "GB-LAE", "GB-LAS", "GB-LANI", "GB-PLA", "GB-COH")


class NoticeDetailsDialog(QDialog):
    """The notice details of one tender; :meth:`publication` is what the officer entered (checked)."""

    def __init__(self, tender: Tender, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Notice details — {tender.reference}")
        self._tender = tender
        p = tender.publication
        outer = QVBoxLayout(self)
        intro = QLabel("What Find a Tender's notices need beyond the evaluation. The contract award notice (UK6) "
                       "opens the standstill; the contract details notice (UK7) follows within 30 days of "
                       "entering into the contract.")
        intro.setWordWrap(True)
        outer.addWidget(intro)
        columns = QHBoxLayout()
        outer.addLayout(columns)

        council = QGroupBox("The council")
        cf = QFormLayout(council)
        self.scheme = QComboBox()
        self.scheme.setEditable(True)
        self.scheme.addItems(BUYER_SCHEMES)
        self.scheme.setCurrentText(p.buyer_scheme or "GB-PPON")
        self.buyer_id = QLineEdit(p.buyer_id)
        self.buyer_id.setPlaceholderText("its unique identifier on the platform (PPON)")
        ident = QHBoxLayout()
        ident.addWidget(self.scheme)
        ident.addWidget(self.buyer_id, 1)
        cf.addRow("Identifier:", ident)
        a = p.buyer_address
        self.street, self.town = QLineEdit(a.street), QLineEdit(a.locality)
        self.region, self.postcode = QLineEdit(a.region), QLineEdit(a.postal_code)
        cf.addRow("Street:", self.street)
        cf.addRow("Town:", self.town)
        cf.addRow("County or region:", self.region)
        cf.addRow("Postcode:", self.postcode)
        self.contact = QLineEdit(p.buyer_contact_name)
        self.email = QLineEdit(p.buyer_email)
        self.telephone = QLineEdit(p.buyer_telephone)
        cf.addRow("Contact name:", self.contact)
        cf.addRow("Contact email:", self.email)
        cf.addRow("Telephone:", self.telephone)
        self.nation = QComboBox()
        for n in Nation:
            self.nation.addItem(n.label, n.value)
        self.nation.setCurrentIndex(self.nation.findData(p.nation.value))
        self.nation.setToolTip("Whose bank holidays are not working days in the standstill")
        cf.addRow("Bank holidays of:", self.nation)
        columns.addWidget(council, 1, Qt.AlignmentFlag.AlignTop)

        contract = QGroupBox("The contract")
        kf = QFormLayout(contract)
        self.cpv = QPlainTextEdit(cpv_lines(p.classifications))
        self.cpv.setPlaceholderText("one code a line, e.g.\n72400000 Internet services")
        self.cpv.setTabChangesFocus(True)
        self.cpv.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        kf.addRow("CPV codes:", self.cpv)
        self.category = QComboBox()
        self.category.addItem("— not set —", "")
        for c in CATEGORIES:
            self.category.addItem(c.capitalize(), c)
        self.category.setCurrentIndex(max(0, self.category.findData(p.main_category)))
        kf.addRow("Main category:", self.category)
        self.method = QComboBox()
        self.method.addItem("— not set —", "")
        for key, label in METHODS.items():
            self.method.addItem(f"{label[:1].upper()}{label[1:]} ({key})", key)
        self.method.setCurrentIndex(max(0, self.method.findData(p.method)))
        kf.addRow("Procedure:", self.method)
        self.method_details = QLineEdit(p.method_details)
        self.method_details.setPlaceholderText("e.g. Open procedure (Procurement Act 2023 s.20)")
        kf.addRow("Procedure in words:", self.method_details)
        self.threshold = QComboBox()
        self.threshold.addItem("— not stated —", None)
        self.threshold.addItem("Above the threshold", True)
        self.threshold.addItem("Below the threshold", False)
        self.threshold.setCurrentIndex(self.threshold.findData(p.above_threshold)
                                       if p.above_threshold is not None else 0)
        kf.addRow("Threshold:", self.threshold)
        self.value = QLineEdit("" if p.contract_value is None else format_gbp(p.contract_value))
        self.value.setPlaceholderText("the whole contract, as published (else annual value × term)")
        kf.addRow("Contract value (£):", self.value)
        self.framework = QCheckBox("A framework agreement (several suppliers)")
        self.framework.setChecked(p.framework)
        kf.addRow("", self.framework)
        #: Times of day of the key dates that have one (UK time); a date without one is the whole day.
        self.times: dict[str, QLineEdit] = {}
        for key, label in TIMED.items():
            edit = QLineEdit(p.times.get(key, ""))
            edit.setPlaceholderText("HH:MM, UK time (empty: the whole day)")
            edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("HH:MM, UK time (empty: the whole day)") + 24)
            self.times[key] = edit
            kf.addRow(f"{label} at:", edit)
        columns.addWidget(contract, 1, Qt.AlignmentFlag.AlignTop)

        self.needs = QLabel("")
        self.needs.setWordWrap(True)
        self.needs.setAccessibleName("What the notices still need")
        outer.addWidget(self.needs)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#8a1c1c;")
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Save notice details")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.result_publication: Publication | None = None
        for line in (self.buyer_id, self.street, self.town, self.region, self.postcode, self.contact, self.email,
                     self.telephone, self.method_details, self.value, *self.times.values()):
            line.textChanged.connect(self._on_field_changed)
        self.scheme.currentTextChanged.connect(self._on_field_changed)
        self.cpv.textChanged.connect(self._on_field_changed)
        for box in (self.category, self.method, self.threshold, self.nation):
            box.currentIndexChanged.connect(self._on_field_changed)
        self.framework.toggled.connect(self._on_field_changed)
        self._on_field_changed()

    def publication(self) -> Publication:
        """The details as entered, checked by the core (raises :class:`SvdeskError` saying what is wrong)."""
        p = self._tender.publication
        value = parse_pounds(self.value.text(), "contract value")
        times = dict(p.times)
        for key, edit in self.times.items():
            at = parse_time(edit.text(), f"{TIMED[key].lower()} time")
            if at:
                times[key] = at
            else:
                times.pop(key, None)
        return check_publication(replace(
            p,
            buyer_scheme=self.scheme.currentText().strip() if self.buyer_id.text().strip() else "",
            buyer_id=self.buyer_id.text().strip(),
            buyer_address=Address(self.street.text().strip(), self.town.text().strip(), self.region.text().strip(),
                                  self.postcode.text().strip().upper(), p.buyer_address.country or "GB"),
            buyer_contact_name=self.contact.text().strip(),
            buyer_email=self.email.text().strip(),
            buyer_telephone=self.telephone.text().strip(),
            classifications=(*(c for c in p.classifications if c.scheme.upper() != "CPV"),
                             *parse_cpv_lines(self.cpv.toPlainText())),
            main_category=str(self.category.currentData() or ""),
            method=str(self.method.currentData() or ""),
            method_details=self.method_details.text().strip(),
            above_threshold=self.threshold.currentData(),
            contract_value=value,
            framework=self.framework.isChecked(),
            nation=Nation(self.nation.currentData()),
            times=times,
        ))

    @Slot()
    def _on_field_changed(self) -> None:
        from svdesk.io.ocds.writing import notice_gaps

        try:
            t = replace(self._tender, publication=self.publication())
        except SvdeskError as e:
            self.error.setText(str(e)[:1].upper() + str(e)[1:])
            return
        self.error.setText("")
        lines = []
        for notice, name in (("UK6", "Contract award notice (UK6)"), ("UK7", "Contract details notice (UK7)")):
            gaps = notice_gaps(t, notice)
            lines.append(f"<b>{name}:</b> " + ("ready to publish." if not gaps else
                                                "still needs " + "; ".join(_escape(g) for g in gaps) + "."))
        self.needs.setText("<br/>".join(lines))

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self.result_publication = self.publication()
        except SvdeskError as e:
            self.error.setText(str(e)[:1].upper() + str(e)[1:])
            return
        self.accept()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
