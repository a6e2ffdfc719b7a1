"""A page whose core part is not there yet: says so plainly instead of failing."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.document import TenderDocument
from ui.pages.base import Page
from ui.widgets import Banner, heading


class PlaceholderPage(Page):
    """Stands in for a page until its part of svdesk is installed."""

    def __init__(self, doc: TenderDocument, key: str, title: str, message: str, parent: QWidget | None = None) -> None:
        self.key = key
        self.title = title
        super().__init__(doc, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.addWidget(heading(title))
        layout.addWidget(Banner(message, "info"))
        layout.addStretch(1)
