"""Every dialog that asks or tells the officer something, in one place.

Code calls these through the module (``dialogs.show_error(...)``) so tests can replace them: a modal dialog
would block an offscreen test forever. :func:`run_dialog` is the seam for svdesk's own dialogs (a preview, a
list of problems): tests see the dialog object, check what it shows, and answer for the officer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, message: str,
                buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton) -> QMessageBox:
    """A message box wide enough for its whole title: a short message made the window so narrow that the title
    bar cut the title ("That chang… e — svdesk")."""
    box = QMessageBox(icon, title, message, buttons, parent)
    box.setAccessibleName(title)
    # The title bar holds the title, " — svdesk", the window's icon and its buttons (about 160 px); a word
    # that cannot wrap (a file's path) needs its own width too, or its end is cut off.
    fm = box.fontMetrics()
    need = fm.horizontalAdvance(f"{title} — svdesk") + 80
    longest = max((fm.horizontalAdvance(word) for word in message.split()), default=0) + 24
    # The width goes in as a spacer under the text: a minimum width on the label (or a style-sheet min-width)
    # made Qt stop wrapping it, so a long message was cut to its first line.
    grid, label = box.layout(), box.findChild(QLabel, "qt_msgbox_label")
    if isinstance(grid, QGridLayout) and label is not None and grid.indexOf(label) >= 0:
        position: tuple[int, int, int, int] = grid.getItemPosition(grid.indexOf(label))  # type: ignore[assignment]
        column = position[1]
        grid.addItem(QSpacerItem(min(max(need, longest), 900), 0, QSizePolicy.Policy.Minimum,
                                 QSizePolicy.Policy.Fixed), grid.rowCount(), column, 1, grid.columnCount() - column)
    return box


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the officer something could not be done, in plain English."""
    message_box(parent, QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok).exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the officer something worth knowing."""
    message_box(parent, QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok).exec()


def confirm(parent: QWidget | None, title: str, message: str, yes: str = "Continue") -> bool:
    """Ask before doing something that is hard to take back."""
    box = message_box(parent, QMessageBox.Icon.Question, title, message)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(ok)
    box.exec()
    return box.clickedButton() is ok


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """Ask for one line of text; ``None`` when cancelled."""
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def ask_multiline(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    """Ask for a paragraph of text (a reason, a note); ``None`` when cancelled."""
    value, ok = QInputDialog.getMultiLineText(parent, title, label, text)
    return value if ok else None


def choose(parent: QWidget | None, title: str, label: str, items: list[str]) -> int | None:
    """Ask the officer to pick one of ``items``; its index, or ``None`` when cancelled."""
    if not items:
        return None
    value, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return items.index(value) if ok and value in items else None


def ask_reason(parent: QWidget | None, title: str, message: str, yes: str) -> str | None:
    """Explain what is about to happen and ask why (the reason is required); ``None`` when cancelled."""
    dlg = ReasonDialog(title, message, yes, parent)
    return dlg.reason() if run_dialog(dlg) else None


def open_file(parent: QWidget | None, title: str, directory: str, filters: str) -> str | None:
    """Ask for a file to read; ``None`` when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, directory, filters)
    return path or None


def choose_logo(parent: QWidget | None) -> str | None:
    """The council's logo image the officer picks (``None``: cancelled); the set-up and settings dialogs share it."""
    return open_file(parent, "Choose the council's logo", str(Path.home()), "Images (*.png *.jpg *.jpeg)")


def save_file(parent: QWidget | None, title: str, default: str, filters: str) -> str | None:
    """Ask where to save a file; ``None`` when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, title, default, filters)
    return path or None


def choose_folder(parent: QWidget | None, title: str, directory: str) -> str | None:
    """Ask for a folder to save several files into; ``None`` when cancelled."""
    path = QFileDialog.getExistingDirectory(parent, title, directory)
    return path or None


def open_folder(path: Path) -> bool:
    """Show a folder (or the folder holding a file) in the computer's file manager."""
    folder = path if path.is_dir() else path.parent
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def saved_box(parent: QWidget | None, title: str, message: str, path: Path) -> QMessageBox:
    """The "saved" message: where, with an "Open folder" button and, for one file, "Open the PDF" (its clicked
    button's ``objectName`` is ``folder``, ``file`` or ``close``)."""
    box = message_box(parent, QMessageBox.Icon.Information, title, message)
    box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole).setObjectName("folder")
    if path.is_file():
        box.addButton("Open the PDF", QMessageBox.ButtonRole.ActionRole).setObjectName("file")
    close = box.addButton("Close", QMessageBox.ButtonRole.RejectRole)
    close.setObjectName("close")
    box.setDefaultButton(close)
    box.setEscapeButton(close)
    return box


def show_saved(parent: QWidget | None, title: str, message: str, path: Path) -> None:
    """Say where a file (or a folder of files) was saved, with a button to open the folder, and, for one
    file, to open it."""
    box = saved_box(parent, title, message, path)
    box.exec()
    clicked = box.clickedButton()
    which = clicked.objectName() if clicked is not None else "close"
    if which == "folder":
        open_folder(path)
    elif which == "file":
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def run_dialog(dialog: QDialog) -> bool:
    """Show one of svdesk's own dialogs until the officer answers; whether they accepted it."""
    return dialog.exec() == QDialog.DialogCode.Accepted


class ReasonDialog(QDialog):
    """What is about to happen, a box for the reason, and a button that stays off until a reason is given."""

    def __init__(self, title: str, message: str, yes: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(520, 300)
        layout = QVBoxLayout(self)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        label = QLabel("&Reason (kept in the audit log):")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setAccessibleName("Reason")
        self.reason_edit.setTabChangesFocus(True)
        label.setBuddy(self.reason_edit)
        layout.addWidget(label)
        layout.addWidget(self.reason_edit, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.yes = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.yes.setText(yes)
        self.yes.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._on_reason_edit_text_changed)
        self.reason_edit.setFocus()

    def reason(self) -> str:
        """The reason typed (trimmed)."""
        return self.reason_edit.toPlainText().strip()

    @Slot()
    def _on_reason_edit_text_changed(self) -> None:
        self.yes.setEnabled(bool(self.reason()))
