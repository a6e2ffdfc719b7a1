"""The negotiation checklist for one supplier: one row per ask, with where it stands and what it is worth."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, Qt, Slot
from PySide6.QtGui import QColor

from svdesk.domain import negotiation as neg
from svdesk.domain.checklist import AskStatus, ChecklistItem, Outcome, value_per_year
from svdesk.domain.money import format_gbp
from svdesk.errors import SvdeskError, ValidationError
from ui.commands import DomainEdit
from ui.document import TenderDocument
from ui.models.base import RIGHT, Cell, Index, TableModel

STATUS_COLOURS = {
    AskStatus.NOT_ASKED: QColor("#f2f2f2"),
    AskStatus.ASKED: QColor("#e8f1fb"),
    AskStatus.CONSIDERING: QColor("#fff4d6"),
    AskStatus.OFFERED: QColor("#ffe8c7"),
    AskStatus.AGREED: QColor("#dff0d8"),
    AskStatus.DECLINED: QColor("#fde7e7"),
}


def value_text(item: ChecklistItem, o: Outcome) -> str:
    """Value to residents per year, or why there is none yet."""
    try:
        v = value_per_year(item.ask, o)
    except ValidationError:
        return "check the inputs"
    if v is None:
        return "" if not o.status.is_put else "not valued yet"
    return f"{format_gbp(v)}/yr"


def set_status(doc: TenderDocument, ask_id: str, supplier: str, status: AskStatus, note: str = "") -> bool:
    """Push the undoable status change (dated today; the store audits who and when)."""
    title = doc.tender.checklist.item(ask_id).ask.title
    today = date.today()
    return doc.push(DomainEdit(
        doc, lambda t: neg.set_ask_status(t, ask_id, supplier, status, on=today, note=note),
        f"{supplier}: {title} — {status.label.lower()}", where={"supplier": supplier, "ask": ask_id}))


class ChecklistModel(TableModel):
    """The checklist with one supplier."""

    COLUMNS = ("Ask", "Theme", "Status", "Offer", "Value to residents", "Cost to council", "Follow up")
    ASK, THEME, STATUS, OFFER, VALUE, COST, FOLLOW = range(7)

    def __init__(self, doc: TenderDocument, supplier: str = "") -> None:
        super().__init__(doc)
        self._doc = doc
        self._supplier = supplier
        self._items = doc.tender.checklist.items
        doc.checklist_changed.connect(self._on_doc_checklist_changed)
        doc.reloaded.connect(self._on_doc_checklist_changed)

    @property
    def supplier(self) -> str:
        """Whose answers are shown."""
        return self._supplier

    def set_supplier(self, supplier: str) -> None:
        """Show another supplier's answers."""
        self.beginResetModel()
        self._supplier = supplier
        self.endResetModel()

    def item(self, row: int) -> ChecklistItem:
        """The ask in a row."""
        return self._items[row]

    def outcome(self, row: int) -> Outcome:
        """The supplier's answer to the ask in a row."""
        return self._doc.tender.checklist.outcome(self._items[row].ask.id, self._supplier)

    def row_of(self, ask_id: str) -> int | None:
        """The row of an ask."""
        return next((i for i, x in enumerate(self._items) if x.ask.id == ask_id), None)

    @Slot()
    def _on_doc_checklist_changed(self) -> None:
        items = self._doc.tender.checklist.items
        if [i.ask.id for i in items] != [i.ask.id for i in self._items]:
            self.beginResetModel()
            self._items = items
            self.endResetModel()
            return
        self._items = items
        if items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(items) - 1, len(self.COLUMNS) - 1))

    def row_count(self) -> int:
        return len(self._items)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.OFFER and self._supplier and not self._doc.read_only:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def cell(self, row: int, col: int, role: int) -> Cell:
        item = self._items[row]
        o = self.outcome(row)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == self.ASK:
                return item.ask.title + ("  (your own)" if item.custom else "")
            if col == self.THEME:
                return item.ask.theme.label
            if col == self.STATUS:
                return o.status.label + ("  (reopened)" if o.reopened and role == Qt.ItemDataRole.DisplayRole else "")
            if col == self.OFFER:
                return o.offer
            if col == self.VALUE:
                return value_text(item, o)
            if col == self.COST:
                return format_gbp(o.cost_to_council) if o.status.is_put else ""
            return o.follow_up.strftime("%d %b %Y") if o.follow_up else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.ASK:
                offer = f"\n\nOffer: {o.offer}" if o.offer else ""
                return (item.ask.question + offer).strip() or None
            if col == self.OFFER and o.offer:
                return o.offer
        if role == Qt.ItemDataRole.BackgroundRole and col == self.STATUS:
            return STATUS_COLOURS[o.status]
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COST and o.cost_to_council > 0:
            return QColor("#8a1c1c")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.VALUE, self.COST):
            return RIGHT
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != self.OFFER or not self._supplier or not (
            self.valid(index)
        ):
            return False
        item = self._items[index.row()]
        text = str(value).strip()
        if text == self.outcome(index.row()).offer:
            return False
        supplier, ask_id = self._supplier, item.ask.id
        try:
            return self._doc.push(DomainEdit(
                self._doc, lambda t: neg.update_outcome(t, ask_id, supplier, offer=text),
                f"{supplier}: offer for {item.ask.title}", where={"supplier": supplier, "ask": ask_id}))
        except SvdeskError as e:
            self._doc.edit_refused.emit(str(e))
            return False
