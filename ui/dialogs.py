"""Every dialog that asks or tells the officer something, in one place.

Code calls these through the module (``dialogs.show_error(...)``) so tests can replace them: a modal dialog
would block an offscreen test forever.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the officer something could not be done, in plain English."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setAccessibleName(title)
    box.exec()


def show_info(parent: QWidget | None, title: str, message: str) -> None:
    """Tell the officer something worth knowing."""
    QMessageBox.information(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str, yes: str = "Continue") -> bool:
    """Ask before doing something that is hard to take back."""
    box = QMessageBox(QMessageBox.Icon.Question, title, message, QMessageBox.StandardButton.NoButton, parent)
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
