"""What every workspace page shares."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ui.document import TenderDocument


class Page(QWidget):
    """A page of the tender workspace.

    Signals:
        navigate_requested(str, object): go to a page (its key) and select a target there (a dict).
        status_requested(str): the officer asked for a lifecycle move (the new status's value).
    """

    navigate_requested = Signal(str, object)
    status_requested = Signal(str)

    key = ""
    title = ""

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setAccessibleName(self.title)

    def say(self, text: str, ms: int = 8000) -> None:
        """A passing message in the window's status bar (nothing when the page is not in a main window)."""
        from PySide6.QtWidgets import QMainWindow

        w = self.window()
        if isinstance(w, QMainWindow):
            w.statusBar().showMessage(text, ms)

    def show_target(self, target: dict[str, str]) -> None:
        """Select what the guide pointed at (a criterion, a bid, a cell)."""

    def page_shown(self) -> None:
        """Called each time the page comes into view (results recompute here)."""
