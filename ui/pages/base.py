"""What every workspace page shares."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

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

    def page_layout(self, *, scrolls: bool = False) -> QVBoxLayout:
        """The page's column, with the margins every page has. ``scrolls`` puts it in a frameless scroll area,
        for a page taller than a small laptop's screen (its tables do not scroll on their own)."""
        if scrolls:
            outer = QVBoxLayout(self)
            outer.setContentsMargins(0, 0, 0, 0)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            outer.addWidget(scroll)
            body = QWidget()
            scroll.setWidget(body)
            layout = QVBoxLayout(body)
        else:
            layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        return layout

    def say(self, text: str, ms: int = 8000) -> None:
        """A passing message in the window's status bar (nothing when the page is not in a main window)."""
        from PySide6.QtWidgets import QMainWindow

        w = self.window()
        if isinstance(w, QMainWindow):
            w.statusBar().showMessage(text, ms)

    def show_target(self, target: dict[str, str]) -> None:
        """Select what the guide pointed at (a criterion, a bid, a cell)."""

    def paper(self) -> tuple[str, str | None]:
        """The paper Ctrl+P prints from this page: a kind of report (``ui.pages.reports.KINDS``) and the
        supplier it is for (``None``: the whole tender)."""
        return "award", None

    def page_shown(self) -> None:
        """Called each time the page comes into view (results recompute here)."""
