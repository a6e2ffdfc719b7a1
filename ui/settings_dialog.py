"""Tools → Council settings… and Tools → Options…: the council's settings (in the database) and the officer's own.

The council's settings are shared by everyone using the database (a server included) and each change is audited
by the store; the officer's own preferences (name for the audit log, initials, reopening tenders) stay on this
computer (:mod:`ui.settings`). Nothing is saved until every field checks out: a bad value is named in the
dialog, with its field focused, and the dialog stays open.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain.council import KEYS, CouncilSettings, check_setting
from svdesk.errors import SvdeskError, ValidationError
from ui import dialogs, settings
from ui.store_port import DatabaseLike
from ui.widgets import note

_ERROR_STYLE = "color:#8a1c1c;"
_INITIALS = re.compile(r"[A-Z][A-Z0-9-]{0,3}")


class PersonalForm(QWidget):
    """The officer's own preferences: name (for the audit log), initials, whether to reopen tenders."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.user = QLineEdit(settings.user_name())
        self.user.setAccessibleName("Your name")
        self.user.setToolTip("Written in the audit log beside every change you make")
        self.initials = QLineEdit(settings.initials())
        self.initials.setAccessibleName("Your initials")
        self.initials.setPlaceholderText("e.g. KT: how you appear when you mark as an evaluator")
        self.initials.setMaxLength(4)
        self.reopen = QCheckBox("Reopen the tenders that were open when svdesk was closed")
        self.reopen.setChecked(settings.reopen_tenders())
        form.addRow("Your &name:", self.user)
        form.addRow("Your &initials:", self.initials)
        form.addRow("", self.reopen)

    def problem(self) -> tuple[QWidget, str] | None:
        """The first field that is not right, and what is wrong with it."""
        if not self.user.text().strip():
            return self.user, "Your name must not be empty: the audit log records who made each change."
        initials = self.initials.text().strip().upper()
        if initials and not _INITIALS.fullmatch(initials):
            return self.initials, f"Your initials: {initials!r} is not a set of initials (1 to 4 letters, e.g. KT)."
        return None

    def save(self) -> None:
        """Remember these preferences (QSettings)."""
        settings.save_personal(user=self.user.text().strip(), initials=self.initials.text().strip().upper(),
                               reopen=self.reopen.isChecked())


class CouncilForm(QWidget):
    """The council-wide settings, one field per key of :data:`svdesk.domain.council.SETTINGS`."""

    def __init__(self, council: CouncilSettings, *, editable: str = "", parent: QWidget | None = None) -> None:
        """``editable``: empty when the fields can be changed, else why not (shown above them)."""
        super().__init__(parent)
        self.council = council
        layout = QVBoxLayout(self)
        layout.addWidget(note("Shared by everyone who uses this database, printed on the papers; every change is "
                              "recorded in the audit log."))
        if editable:
            why = note(editable)
            why.setStyleSheet(_ERROR_STYLE)
            layout.addWidget(why)
        form = QFormLayout()
        layout.addLayout(form)
        self.name = QLineEdit(council.name)
        self.name.setPlaceholderText("e.g. Ashbourne District Council")
        self.address = QPlainTextEdit(council.address)
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(self.address.fontMetrics().lineSpacing() * 4 + 12)
        self.logo = QLineEdit(council.get("council.logo"))
        self.logo.setPlaceholderText("optional: PNG or JPEG, printed on the award papers")
        self.weights = QLineEdit(council.get("weights.default"))
        self.weights.setPlaceholderText(f"price, quality, social value (now {self._weights_now()})")
        self.panel = QLineEdit(council.get("panel.default").replace(",", ", "))
        self.panel.setPlaceholderText("evaluators' initials, e.g. KT, PS, JM")
        self.template = QLineEdit(council.get("report.template"))
        self.template.setPlaceholderText("optional: the Word (.docx) template of your committee reports")
        self.prefix = QLineEdit(council.ocid_prefix)
        self.prefix.setPlaceholderText("e.g. ocds-b5fd17 (registered with the Open Contracting Partnership)")
        #: key → the field that edits it.
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {
            "council.name": self.name, "council.address": self.address, "council.logo": self.logo,
            "weights.default": self.weights, "panel.default": self.panel, "report.template": self.template,
            "ocds.prefix": self.prefix,
        }
        for key, field in self.fields.items():
            field.setAccessibleName(KEYS[key].label)
            field.setToolTip(KEYS[key].hint)
            if editable:
                field.setReadOnly(True)
        logo_button = QPushButton("Choose…")
        logo_button.setAccessibleName("Choose the logo")
        logo_button.clicked.connect(self._on_logo_button_clicked)
        template_button = QPushButton("Choose…")
        template_button.setAccessibleName("Choose the committee report template")
        template_button.clicked.connect(self._on_template_button_clicked)
        for b in (logo_button, template_button):
            b.setEnabled(not editable)
        form.addRow("Council &name:", self.name)
        form.addRow("&Address:", self.address)
        form.addRow(_label("&Logo:", self.logo), _row(self.logo, logo_button))
        form.addRow("Default &weights:", self.weights)
        form.addRow("Default evaluation &panel:", self.panel)
        form.addRow(_label("Committee report &template:", self.template), _row(self.template, template_button))
        form.addRow("&ocid prefix:", self.prefix)

    @staticmethod
    def _weights_now() -> str:
        return ", ".join(f"{w.normalize():f}" for w in settings.default_weights())

    def typed(self) -> dict[str, str]:
        """What each field holds now (as typed)."""
        return {k: f.toPlainText() if isinstance(f, QPlainTextEdit) else f.text() for k, f in self.fields.items()}

    def changes(self) -> tuple[dict[str, str], tuple[QWidget, str] | None]:
        """The settings that differ from the stored ones, checked; or the first field that is wrong and why."""
        out: dict[str, str] = {}
        for key, raw in self.typed().items():
            try:
                value = check_setting(key, raw)
            except ValidationError as e:
                return {}, (self.fields[key], f"{KEYS[key].label}: {e.message}")
            if value != self.council.get(key):
                out[key] = value
        return out, None

    @Slot()
    def _on_logo_button_clicked(self) -> None:
        path = dialogs.choose_logo(self)
        if path:
            self.logo.setText(path)

    @Slot()
    def _on_template_button_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the committee report template", str(Path.home()),
                                              "Word documents (*.docx *.dotx)")
        if path:
            self.template.setText(path)


def _label(text: str, buddy: QWidget) -> QLabel:
    """A row's label whose Alt+letter goes to ``buddy`` (a row holding a layout has no buddy of its own)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _row(field: QWidget, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(field, 1)
    row.addWidget(button)
    return row


class SettingsDialog(QDialog):
    """The council's settings and the officer's own, on two tabs; Save applies both.

    After :meth:`accept`, :attr:`saved` lists the council settings that were changed (each audited).
    """

    def __init__(self, db: DatabaseLike | None, who: str, *, personal_only: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.who = who
        self.saved: list[str] = []
        self.setWindowTitle("Options" if personal_only else "Settings")
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.personal = PersonalForm()
        self.council: CouncilForm | None = None
        if not personal_only:
            council, why = CouncilSettings.from_stored({}), ""
            if db is None:
                why = "No database is open, so the council's settings cannot be shown or changed."
            else:
                try:
                    council = db.council_settings()
                except SvdeskError as e:
                    why = f"The council's settings could not be read: {e}"
                if db.read_only and not why:
                    why = "This database is open read-only: the council's settings can be read, not changed."
            self.council = CouncilForm(council, editable=why)
            self.tabs.addTab(self.council, "&Council")
        self.tabs.addTab(self.personal, "&You")
        layout.addWidget(self.tabs)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(_ERROR_STYLE)
        self.error.setAccessibleName("What is wrong")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(min(640, self.sizeHint().width() + 80))

    def _show_problem(self, where: tuple[QWidget, str]) -> None:
        field, message = where
        self.error.setText(message)
        page = self.personal if field.parent() is self.personal or self.personal.isAncestorOf(field) else self.council
        if page is not None:
            self.tabs.setCurrentWidget(page)
        field.setFocus()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        problem = self.personal.problem()
        if problem is not None:
            self._show_problem(problem)
            return
        changes: dict[str, str] = {}
        if self.council is not None and self.db is not None and not self.db.read_only:
            changes, bad = self.council.changes()
            if bad is not None:
                self._show_problem(bad)
                return
        for key, value in changes.items():
            try:
                assert self.db is not None
                self.db.set_council_setting(key, value, who=self.who)
            except SvdeskError as e:
                self._show_problem((self.council.fields[key] if self.council else self.personal,
                                    f"{KEYS[key].label} was not saved: {e}"
                                    + (f" (saved before it: {', '.join(self.saved)})" if self.saved else "")))
                return
            self.saved.append(key)
        self.personal.save()
        self.accept()
