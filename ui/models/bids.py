"""The bids table: one row per supplier, with price, SME/VCSE, locality, commitments and exclusion."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QAbstractTableModel, Qt, Slot
from PySide6.QtGui import QColor

from svdesk.domain.money import format_gbp
from svdesk.domain.scoring import is_abnormally_low, low_price_benchmark
from svdesk.domain.tender import Bid, Tender
from svdesk.errors import SvdeskError
from ui.commands import SetPrice, UpdateBid
from ui.document import TenderDocument
from ui.formatting import LOCALITY_HELP, parse_pounds, plural
from ui.models.base import RIGHT, Cell, Index, TenderRowsModel
from ui.models.frozen import frozen_hint, is_locked
from ui.table_tools import SORT_ROLE

EXCLUDED_COLOUR = QColor("#9e9e9e")


class BidsModel(TenderRowsModel[Bid]):
    """Bids; price is edited in place, SME and VCSE are tick boxes."""

    COLUMNS = ("Supplier", "Price (whole contract)", "SME", "VCSE", "Based", "Commitments (£)", "Included?")
    SUPPLIER, PRICE, SME, VCSE, LOCALITY, COMMITMENTS, STATE = range(7)

    def __init__(self, doc: TenderDocument) -> None:
        self._benchmark_of: Tender | None = None
        self._benchmark: Decimal | None = None
        super().__init__(doc, doc.bids_changed, doc.bid_changed)

    @Slot(str)
    def _on_doc_row_changed(self, key: str) -> None:
        super()._on_doc_row_changed(key)
        if self._rows:   # one price moves the benchmark every other price is marked against
            self.dataChanged.emit(self.index(0, self.PRICE), self.index(len(self._rows) - 1, self.PRICE))

    def read_rows(self) -> tuple[Bid, ...]:
        return self._doc.tender.bids

    def key(self, row: Bid) -> str:
        return row.supplier

    def bid(self, row: int) -> Bid:
        """The bid in a row."""
        return self._rows[row]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Cell:
        if role == Qt.ItemDataRole.ToolTipRole and orientation is Qt.Orientation.Horizontal:
            if section == self.VCSE:
                return "Voluntary, community or social enterprise"
            if section == self.PRICE:
                t = self._doc.tender
                ext = (f" It does not include the possible {plural(t.extension_years, 'year')} of extension unless "
                       "your tender asked bidders to price them in." if t.extension_years else "")
                return (f"The total the bidder quoted for the whole contract as tendered "
                        f"({plural(t.term_years, 'year')}).{ext} Every bid must be priced on the same basis.")
            if section == self.LOCALITY:
                return "\n".join(LOCALITY_HELP.values())
            if section == self.COMMITMENTS:
                return ("Social value commitments: what the bidder promises in pounds (quantity × value per unit), "
                        "scored by formula under “Social value commitments (£)”")
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._doc.read_only or is_locked(self._doc.tender, "bids"):
            return f
        if index.column() == self.PRICE:
            f |= Qt.ItemFlag.ItemIsEditable
        if index.column() in (self.SME, self.VCSE):
            f |= Qt.ItemFlag.ItemIsUserCheckable
        return f

    def _low(self, b: Bid) -> bool:
        # One benchmark per tender, not one per cell drawn.
        t = self._doc.tender
        if self._benchmark_of is not t:
            self._benchmark_of, self._benchmark = t, low_price_benchmark(t)
        return self._benchmark is not None and is_abnormally_low(t, b, self._benchmark)

    def cell(self, row: int, col: int, role: int) -> Cell:
        b = self._rows[row]
        if (hint := frozen_hint(self._doc.tender, role, "bids")) is not None:
            return hint
        if role == SORT_ROLE:
            if col == self.PRICE:
                return b.price  # type: ignore[return-value]  # a Decimal: sorted as a number
            if col == self.COMMITMENTS:
                return b.commitments_value()  # type: ignore[return-value]
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.SUPPLIER:
                return b.supplier
            if col == self.PRICE:
                if b.price is None:
                    return "not entered"
                if b.price == 0:
                    return f"{format_gbp(b.price)}  ⚠ nil price"
                if self._low(b):
                    return f"{format_gbp(b.price)}  ⚠ abnormally low"
                return format_gbp(b.price)
            if col == self.LOCALITY:
                return b.locality.value.capitalize() if b.locality else ""
            if col == self.COMMITMENTS:
                return format_gbp(b.commitments_value()) if b.commitments else ""
            if col == self.STATE:
                return f"Excluded: {b.exclusion_reason}" if b.excluded else "Included"
            return None
        if role == Qt.ItemDataRole.EditRole and col == self.PRICE:
            return "" if b.price is None else f"{b.price:f}"
        if role == Qt.ItemDataRole.CheckStateRole:
            if col == self.SME:
                return Qt.CheckState.Checked if b.sme else Qt.CheckState.Unchecked
            if col == self.VCSE:
                return Qt.CheckState.Checked if b.vcse else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole:
            if b.excluded:
                return EXCLUDED_COLOUR
            if col == self.PRICE and (b.price is None or b.price == 0):
                return QColor("#b71c1c")
            if col == self.PRICE and self._low(b):
                return QColor("#8a4b00")
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.PRICE and b.price == 0:
                return "A £0 price cannot be scored: check the bid, then correct the price or exclude it"
            if col == self.PRICE and self._low(b):
                return ("More than 15% below the average of the other prices (excluding the highest): ask the "
                        "supplier to explain it before the award. It is a flag, never an exclusion.")
            if col == self.STATE and b.excluded:
                return b.exclusion_reason
            if col == self.SUPPLIER and b.address:
                return b.address
            if col == self.LOCALITY and b.locality:
                return LOCALITY_HELP.get(b.locality.value)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.PRICE, self.COMMITMENTS):
            return RIGHT
        if role == Qt.ItemDataRole.UserRole:
            return b.supplier
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not self.valid(index):
            return False
        b = self._rows[index.row()]
        col = index.column()
        try:
            if role == Qt.ItemDataRole.EditRole and col == self.PRICE:
                price = parse_pounds(str(value))
                if price == b.price:
                    return False
                return self._doc.push(SetPrice(self._doc, b.supplier, price))
            if role == Qt.ItemDataRole.CheckStateRole and col in (self.SME, self.VCSE):
                checked = value if isinstance(value, bool) else Qt.CheckState(value) == Qt.CheckState.Checked
                name = "sme" if col == self.SME else "vcse"
                label = "SME" if col == self.SME else "VCSE"
                text = f"Mark {b.supplier} as {'' if checked else 'not '}{label}"
                return self._doc.push(UpdateBid(self._doc, b.supplier, {name: checked}, text))
        except SvdeskError as e:
            return self.refuse(str(e))
        return False
