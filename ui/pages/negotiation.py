"""Negotiation: the checklist of asks per supplier, with a large, touch-friendly meeting mode."""

from __future__ import annotations

from ui.document import TenderDocument
from ui.pages.base import Page
from ui.pages.placeholder import PlaceholderPage


def make_negotiation_page(doc: TenderDocument) -> Page:
    """The negotiation page."""
    return PlaceholderPage(doc, "negotiation", "Negotiation",
                           "The negotiation checklist is not available in this version of svdesk yet.")
