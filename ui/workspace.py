"""A tender's workspace: a header with the next step, the page list on the left, the pages on the right.

Pages are built the first time they are shown, so opening a tender is quick.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain import rules
from svdesk.domain.tender import TenderStatus
from ui import dialogs
from ui.commands import SetStatus
from ui.document import TenderDocument
from ui.guide import PAGE_TITLES, PAGES, Action, Guidance, guide
from ui.pages.base import Page


def _page_factories() -> dict[str, Callable[[TenderDocument], Page]]:
    from ui.pages.bids import BidsPage
    from ui.pages.evaluation import EvaluationPage
    from ui.pages.overview import OverviewPage
    from ui.pages.results import ResultsPage
    from ui.pages.scoring import ScoringPage

    def negotiation(doc: TenderDocument) -> Page:
        from ui.pages.negotiation import make_negotiation_page

        return make_negotiation_page(doc)

    def reports(doc: TenderDocument) -> Page:
        from ui.pages.reports import ReportsPage

        return ReportsPage(doc)

    return {
        "overview": OverviewPage,
        "evaluation": EvaluationPage,
        "negotiation": negotiation,
        "bids": BidsPage,
        "scoring": ScoringPage,
        "results": ResultsPage,
        "reports": reports,
    }


#: The title and button of an irreversible move's confirmation (what it does: svdesk.domain.rules).
IRREVERSIBLE = {
    TenderStatus.AWARDED: ("Record the award?", "Record the award"),
    TenderStatus.CLOSED: ("Close the tender?", "Close the tender"),
    TenderStatus.CANCELLED: ("Cancel the tender?", "Cancel the tender"),
}


class TenderWorkspace(QWidget):
    """Everything about one open tender.

    Signals:
        page_changed(str): another page came into view (its key).
    """

    page_changed = Signal(str)

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._factories = _page_factories()
        self._pages: dict[str, Page] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        header = QWidget()
        header.setObjectName("workspaceHeader")
        header.setStyleSheet("QWidget#workspaceHeader { background: palette(alternate-base); "
                             "border-bottom: 1px solid palette(mid); }")
        hl = QHBoxLayout(header)
        hl.setContentsMargins(16, 8, 16, 8)
        self._name = QLabel()
        f = self._name.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self._name.setFont(f)
        self._name.setAccessibleName("Tender")
        self._next = QLabel()
        self._next.setAccessibleName("Next step")
        self._next_button = QPushButton("Go →")
        self._next_button.setAccessibleName("Go to the next step")
        self._next_button.clicked.connect(self._on_next_button_clicked)
        # Both texts wrap rather than widen the window (a long title, a large font, a small screen).
        self._name.setWordWrap(True)
        self._next.setWordWrap(True)
        self._next.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        hl.addWidget(self._name, 3)
        hl.addWidget(self._next, 2)
        hl.addWidget(self._next_button)
        layout.addWidget(header)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setAccessibleName("Pages")
        self.nav.setIconSize(QSize(0, 0))
        self.nav.setSpacing(2)
        self.nav.setStyleSheet(
            "QListWidget { border: none; border-right: 1px solid palette(mid); padding-top: 8px; }"
            "QListWidget::item { padding: 9px 12px; border-radius: 4px; margin: 0 6px; }"
            "QListWidget::item:selected { background: #1f6fb2; color: white; }"
        )
        for i, key in enumerate(PAGES):
            item = QListWidgetItem(f"{i + 1}  {PAGE_TITLES[key]}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{PAGE_TITLES[key]} (Ctrl+{i + 1})")
            self.nav.addItem(item)
        # As wide as the longest page name in the font in use (items have 12 px padding and 6 px margins).
        widest = max(self.nav.fontMetrics().horizontalAdvance(self.nav.item(i).text()) for i in range(len(PAGES)))
        self.nav.setFixedWidth(max(190, widest + 2 * (12 + 6) + 12))
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self.stack = QStackedWidget()
        # The pages scroll as a whole when the window is smaller than the biggest page needs (a 1280×720 laptop
        # at 150 %), so the window never has to be larger than the screen and every button stays reachable.
        self.pages_area = QScrollArea()
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setFrameShape(QFrame.Shape.NoFrame)
        self.pages_area.setWidget(self.stack)
        body.addWidget(self.nav)
        body.addWidget(self.pages_area, 1)
        layout.addLayout(body, 1)

        self._next_action: Action | None = None
        doc.changed.connect(self._on_doc_changed)
        doc.reloaded.connect(self._on_doc_changed)
        doc.edit_refused.connect(self._on_doc_edit_refused)
        doc.view_requested.connect(self._on_doc_view_requested)
        self._show_header()
        self.nav.setCurrentRow(0)

    # --- pages ------------------------------------------------------------------------------------------

    def page(self, key: str) -> Page:
        """A page, built on first use."""
        if key not in self._pages:
            page = self._factories[key](self.doc)
            page.navigate_requested.connect(self._on_page_navigate_requested)
            page.status_requested.connect(self._on_page_status_requested)
            self._pages[key] = page
            self.stack.addWidget(page)
        return self._pages[key]

    def current_page(self) -> str:
        """The key of the page in view."""
        item = self.nav.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else PAGES[0]

    def show_page(self, key: str, target: dict[str, str] | None = None) -> Page:
        """Bring a page into view and select the target there."""
        row = PAGES.index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        page = self.page(key)
        if target:
            page.show_target(target)
        return page

    @Slot(int)
    def _on_nav_current_row_changed(self, row: int) -> None:
        if not 0 <= row < len(PAGES):
            return
        key = PAGES[row]
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        page.page_shown()
        self.page_changed.emit(key)

    @Slot(str, object)
    def _on_doc_view_requested(self, key: str, target: object) -> None:
        # Undo and redo bring what they changed into view (issue 14): its page, and it selected there.
        if key in PAGES:
            self.show_page(key, target if isinstance(target, dict) and target else None)

    @Slot(str, object)
    def _on_page_navigate_requested(self, key: str, target: object) -> None:
        self.show_page(key, target if isinstance(target, dict) else None)

    # --- lifecycle --------------------------------------------------------------------------------------

    def request_status(self, status: TenderStatus) -> bool:
        """Move the tender along its lifecycle: refused with the domain's reasons when it is not ready, and
        confirmed first, saying exactly what changes, when the move cannot be undone."""
        t = self.doc.tender
        reasons = rules.can_change_status(t, status)
        if reasons:
            listed = "\n".join(f"• {r[:1].upper()}{r[1:]}." for r in reasons)
            dialogs.show_error(self, f"{t.reference} cannot become {status.value} yet",
                               f"{t.reference} stays {t.status.value}. First put right:\n\n{listed}")
            return False
        cmd = SetStatus(self.doc, status)
        if status in IRREVERSIBLE or not cmd.reversible:
            title, yes = IRREVERSIBLE.get(status, (f"Move to {status.value}?", f"Move to {status.value}"))
            if not dialogs.confirm(self, title, rules.status_change_effects(t, status), yes):
                return False
        ok = self.doc.push(cmd)
        if ok and not cmd.reversible:
            # The lifecycle does not allow going back, so nothing before this step can be undone either.
            self.doc.undo_stack.clear()
        return ok

    @Slot(str)
    def _on_page_status_requested(self, value: str) -> None:
        self.request_status(TenderStatus(value))

    # --- header -----------------------------------------------------------------------------------------

    def _show_header(self) -> None:
        t = self.doc.tender
        self._name.setText(f"{t.reference} · {t.title} · {t.status.label}"
                           + ("  (read-only)" if self.doc.read_only else ""))
        gd = guide(t)
        self._next_action = gd.next
        if gd.next is None:
            self._next.setText("Nothing left to do")
            self._next_button.hide()
        else:
            self._next.setText(f"Next step: <b>{gd.next.text}</b>" + _to_write_note(gd))
            self._next_button.setVisible(not (self.doc.read_only and gd.next.status))
        self._next.setToolTip("\n".join(a.text for a in gd.to_write))

    @Slot()
    def _on_next_button_clicked(self) -> None:
        a = self._next_action
        if a is None:
            return
        if a.status is not None:
            self.request_status(TenderStatus(a.status))
        else:
            self.show_page(a.page, dict(a.target))

    @Slot()
    def _on_doc_changed(self) -> None:
        self._show_header()

    @Slot(str)
    def _on_doc_edit_refused(self, message: str) -> None:
        dialogs.show_error(self, "That change was not made", message[:1].upper() + message[1:])


def _to_write_note(gd: Guidance) -> str:
    """The next-step bar's note of the committee report's unwritten sections (they print as "[to be completed:
    …]"); its tooltip names them all."""
    n = len(gd.to_write)
    if not n:
        return ""
    return f" · committee report: {n} section{'s' if n != 1 else ''} still to write"
