"""The first-run setup: the council's name and logo, the user's name, default weights, where data lives."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from svdesk import paths
from ui import dialogs, settings
from ui.widgets import heading, note


class SetupDialog(QDialog):
    """A short first-run setup; every answer can be changed later."""

    def __init__(self, database: str, database_fixed: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to svdesk")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Welcome to svdesk"))
        layout.addWidget(note("A few questions before you start. Everything stays on this computer."))
        form = QFormLayout()
        self.authority = QLineEdit()
        self.authority.setPlaceholderText("e.g. Ashbourne District Council (optional: Tools → Council settings later)")
        self.user = QLineEdit(settings.user_name())
        self.user.setToolTip("Written in the audit log beside every change you make")
        logo_row = QHBoxLayout()
        self.logo = QLineEdit()
        self.logo.setPlaceholderText("optional: PNG or JPEG, printed on the award papers")
        choose_logo = QPushButton("Choose…")
        choose_logo.clicked.connect(self._on_choose_logo_clicked)
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(choose_logo)
        self.weights: list[QSpinBox] = []
        weights_row = QHBoxLayout()
        for label, value in zip(("Price", "Quality", "Social value"), settings.default_weights(), strict=True):
            spin = QSpinBox()
            spin.setRange(0, 100)
            spin.setValue(int(value))
            spin.setAccessibleName(f"Default weight for {label.lower()}")
            spin.valueChanged.connect(self._on_weight_value_changed)
            weights_row.addWidget(QLabel(f"{label}:"))
            weights_row.addWidget(spin)
            self.weights.append(spin)
        self.weights_total = QLabel()
        weights_row.addWidget(self.weights_total)
        weights_row.addStretch(1)
        db_row = QHBoxLayout()
        self.database = QLineEdit(database)
        self.database.setReadOnly(True)
        self.database.setAccessibleName("Where your tenders are kept")
        change = QPushButton("Change…")
        change.setEnabled(not database_fixed)
        change.clicked.connect(self._on_change_database_clicked)
        db_row.addWidget(self.database, 1)
        db_row.addWidget(change)
        self.demo = QCheckBox("Load the example tenders so I can look around")
        self.demo.setChecked(True)
        for w, label in ((self.authority, "Your council"), (self.user, "Your name"), (self.logo, "Logo")):
            w.setAccessibleName(label)
        form.addRow("Your council:", self.authority)
        form.addRow("Your name:", self.user)
        form.addRow("Logo:", logo_row)
        form.addRow("Default weights:", weights_row)
        form.addRow("Tenders kept in:", db_row)
        form.addRow("", self.demo)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setStyleSheet("color:#8a1c1c;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Start")
        buttons.accepted.connect(self._on_buttons_accepted)
        layout.addWidget(buttons)
        self._on_weight_value_changed()

    def chosen_weights(self) -> tuple[Decimal, Decimal, Decimal]:
        """Price, quality, social value."""
        a, b, c = (Decimal(s.value()) for s in self.weights)
        return a, b, c

    @Slot()
    def _on_weight_value_changed(self) -> None:
        total = sum(s.value() for s in self.weights)
        ok = total == 100
        self.weights_total.setText(f"total {total}" + ("" if ok else " (must be 100)"))
        self.weights_total.setStyleSheet("" if ok else "color:#8a1c1c; font-weight:bold;")

    @Slot()
    def _on_choose_logo_clicked(self) -> None:
        path = dialogs.choose_logo(self)
        if path:
            self.logo.setText(path)

    @Slot()
    def _on_change_database_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Where should svdesk keep your tenders?", self.database.text(),
                                              "svdesk database (*.sqlite3)")
        if path:
            self.database.setText(path)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if sum(s.value() for s in self.weights) != 100:
            self.error.setText("The default weights must total 100.")
            return
        logo: Path | None = None
        if self.logo.text().strip():
            source = Path(self.logo.text().strip())
            if QPixmap(str(source)).isNull():
                self.error.setText(f"{source} is not a picture svdesk can read (use PNG or JPEG).")
                return
            # Keep a copy in svdesk's own folder, so moving the original does not lose it.
            logo = paths.home() / f"logo{source.suffix.lower()}"
            logo.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, logo)
        settings.save_setup(authority=self.authority.text().strip(), user=self.user.text().strip(),
                            weights=self.chosen_weights(), logo=logo, database=self.database.text())
        self.accept()
