"""Small widgets the pages share: banners, headings, a date that may be unset, a Decimal line edit, and the
layout helpers that keep text whole with large fonts (a wrapping flow of buttons, toggle buttons wide enough for
their bold checked text, table headers tall enough for wrapped titles, buttons whose text wraps)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, QPoint, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QWidget,
)

from svdesk.errors import SvdeskError
from ui.formatting import parse_mark, parse_pounds, plain

UNSET = QDate(2000, 1, 1)   # the date edit's minimum, shown as "not set"

COLOURS = {
    "info": ("#e8f1fb", "#1f4e79"),
    "good": ("#e6f4ea", "#1e5631"),
    "warn": ("#fff4d6", "#7a4f01"),
    "bad": ("#fde7e7", "#8a1c1c"),
}


def heading(text: str, size: float = 1.35) -> QLabel:
    """A page or section heading."""
    label = QLabel(text)
    f = QFont(label.font())
    f.setPointSizeF(f.pointSizeF() * size)
    f.setBold(True)
    label.setFont(f)
    label.setAccessibleName(text)
    return label


def tab_order(*widgets: QWidget | None) -> None:
    """Make Tab visit ``widgets`` in this order (``None`` skipped). Needed wherever controls are made again
    after the page is built (buttons that depend on the tender): new widgets join the end of the focus chain,
    so without this Tab would jump back up the page to them."""
    chain = [w for w in widgets if w is not None]
    for a, b in pairwise(chain):
        QWidget.setTabOrder(a, b)


def note(text: str) -> QLabel:
    """A line of help in a quieter colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class Banner(QFrame):
    """A coloured strip with a message and an optional button.

    Signals:
        clicked(): the button was pressed.
    """

    clicked = Signal()

    def __init__(self, text: str = "", kind: str = "info", button: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._button = QPushButton()
        self._button.clicked.connect(self.clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self._label, 1)
        layout.addWidget(self._button)
        self.set_message(text, kind, button)

    def reserve_lines(self, lines: int) -> None:
        """Keep room for ``lines`` lines of text, so a message that grows (or shrinks) by a line does not move
        everything below it under the officer's mouse."""
        layout = self.layout()
        pad = 16 if layout is None else layout.contentsMargins().top() + layout.contentsMargins().bottom()
        self.setMinimumHeight(self._label.fontMetrics().lineSpacing() * lines + pad + 4)

    @property
    def button(self) -> QPushButton:
        """The banner's button."""
        return self._button

    def text(self) -> str:
        """The message shown."""
        return self._label.text()

    def set_message(self, text: str, kind: str = "info", button: str = "") -> None:
        """Show a message (``kind``: info, good, warn, bad) and, if ``button`` is given, a button."""
        back, fore = COLOURS.get(kind, COLOURS["info"])
        sheet = (f"QFrame#banner {{ background: {back}; border: 1px solid {fore}; border-radius: 6px; }}"
                 f"QFrame#banner QLabel {{ color: {fore}; }}")
        if sheet != self.styleSheet():     # setting it again re-polishes, re-lays out and repaints the window
            self.setStyleSheet(sheet)
        self._label.setText(text)
        self.setAccessibleName(text)
        self._button.setText(button)
        self._button.setAccessibleName(button)
        self._button.setVisible(bool(button))


class DateField(QWidget):
    """A date that may be unset: a tick box and a date.

    Signals:
        date_edited(object): the officer set (a ``date``) or cleared (``None``) the date.
    """

    date_edited = Signal(object)

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._set = QCheckBox()
        self._set.setAccessibleName(f"{label}: set")
        self._set.setToolTip("Tick to set this date")
        self._date = QDateEdit()
        self._date.setCalendarPopup(True)
        self._date.setDisplayFormat("dd MMM yyyy")
        self._date.setAccessibleName(label)
        self._date.setMinimumDate(UNSET)
        self._date.setSpecialValueText("not set")   # shown at the minimum date, i.e. when unset
        self._date.setDate(UNSET)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._set)
        layout.addWidget(self._date, 1)
        self._set.toggled.connect(self._on_set_toggled)
        self._date.editingFinished.connect(self._on_date_editing_finished)
        self._value: date | None = None
        self.set_value(None)

    def set_value(self, value: date | None) -> None:
        """Show a date without reporting an edit."""
        self._value = value
        self._set.blockSignals(True)
        self._set.setChecked(value is not None)
        self._set.blockSignals(False)
        self._date.setEnabled(value is not None)
        self._date.blockSignals(True)
        self._date.setDate(QDate(value.year, value.month, value.day) if value is not None else UNSET)
        self._date.blockSignals(False)

    def value(self) -> date | None:
        """The date shown (``None`` when unset)."""
        return self._value

    def focus_widgets(self) -> tuple[QWidget, QWidget]:
        """The tick box and the date, in the order Tab visits them."""
        return self._set, self._date

    def set_read_only(self, read_only: bool) -> None:
        """Refuse edits."""
        self._set.setEnabled(not read_only)
        self._date.setReadOnly(read_only)

    @Slot(bool)
    def _on_set_toggled(self, on: bool) -> None:
        self._date.setEnabled(on)
        if on and self._date.date() == UNSET:
            self._date.blockSignals(True)
            self._date.setDate(QDate.currentDate())
            self._date.blockSignals(False)
        self._emit(self._current() if on else None)

    @Slot()
    def _on_date_editing_finished(self) -> None:
        if self._set.isChecked():
            self._emit(self._current())

    def _current(self) -> date:
        q = self._date.date()
        return date(q.year(), q.month(), q.day())

    def _emit(self, value: date | None) -> None:
        if value != self._value:
            self._value = value
            self.date_edited.emit(value)


class DecimalEdit(QLineEdit):
    """A line edit for an exact number (a weight, a mark, or pounds); reports an edit only when it changes.

    Signals:
        value_edited(object): the officer finished typing a new value (a ``Decimal`` or ``None``).
        invalid(str): what they typed is not a number svdesk accepts (plain English).
    """

    value_edited = Signal(object)
    invalid = Signal(str)

    def __init__(self, money: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._money = money
        self._value: Decimal | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.editingFinished.connect(self._on_self_editing_finished)

    def set_value(self, value: Decimal | None) -> None:
        """Show a value without reporting an edit."""
        self._value = value
        if value is None:
            self.setText("")
        elif self._money:
            self.setText(f"{value:,.2f}")
        else:
            self.setText(plain(value))

    def value(self) -> Decimal | None:
        """The value last accepted."""
        return self._value

    @Slot()
    def _on_self_editing_finished(self) -> None:
        try:
            value = parse_pounds(self.text()) if self._money else parse_mark(self.text(), "number")
        except SvdeskError as e:
            self.set_value(self._value)
            self.invalid.emit(str(e))
            return
        if value != self._value:
            self._value = value
            self.value_edited.emit(value)
        self.set_value(self._value)


# --- large fonts -------------------------------------------------------------------------------------------


def scrolling(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless area that scrolls up and down (never sideways): a side panel that must not be
    squashed when a large font meets a small screen."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


def form_label(text: str, buddy: QWidget | None = None) -> QLabel:
    """A form row's label that wraps onto two lines rather than widen the form (large fonts)."""
    label = QLabel(text)
    label.setWordWrap(True)
    if buddy is not None:
        label.setBuddy(buddy)
    return label


#: Flags for measuring a centred title that wraps.
WRAPPED_CENTRE = int(Qt.AlignmentFlag.AlignCenter.value) | int(Qt.TextFlag.TextWordWrap.value)


class FlowBar(QWidget):
    """Widgets left to right, wrapping onto another line when there is no room: a row of buttons that still
    fits when the officer's system font is large or the window narrow.

    With ``uniform=True`` every widget gets the width of the widest and each line is shared out evenly: a grid
    with as many columns as fit (the answer buttons of meeting mode).

    A widget that places its children itself rather than a ``QLayout`` subclass: PySide cannot be trusted with
    the layout items of a layout written in Python (one was freed under it, and it crashed reporting that).
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 6, uniform: bool = False) -> None:
        super().__init__(parent)
        self._widgets: list[QWidget] = []
        self._spacing = spacing
        self._uniform = uniform
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def addWidget(self, w: QWidget) -> None:
        """Put a widget at the end of the bar."""
        hidden = w.isHidden() and w.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)
        w.setParent(self)
        w.installEventFilter(self)
        self._widgets.append(w)
        if not hidden:
            w.show()
        self._changed()

    def widgets(self) -> list[QWidget]:
        """The widgets in the bar, in order (shown or not)."""
        return list(self._widgets)

    def clear(self) -> None:
        """Remove and delete every widget."""
        for w in self._widgets:
            w.removeEventFilter(self)
            w.hide()
            w.deleteLater()
        self._widgets = []
        self._changed()

    def _shown(self) -> list[QWidget]:
        return [w for w in self._widgets if not w.isHidden()]

    def _width(self, w: QWidget, shown: list[QWidget]) -> int:
        if self._uniform:
            return max(max(x.sizeHint().width(), x.minimumWidth()) for x in shown)
        return max(w.sizeHint().width(), w.minimumWidth())

    def _lines(self, width: int) -> list[list[QWidget]]:
        shown = self._shown()
        lines: list[list[QWidget]] = []
        x = 0
        for w in shown:
            ww = self._width(w, shown)
            if not lines or (lines[-1] and x + ww > width):
                lines.append([])
                x = 0
            lines[-1].append(w)
            x += ww + self._spacing
        return lines

    @staticmethod
    def _line_height(line: list[QWidget]) -> int:
        return max(max(w.sizeHint().height(), w.minimumHeight()) for w in line)

    def heightForWidth(self, width: int) -> int:
        lines = self._lines(width)
        return max(0, sum(self._line_height(line) for line in lines) + self._spacing * (len(lines) - 1))

    def hasHeightForWidth(self) -> bool:
        return True

    def sizeHint(self) -> QSize:
        shown = self._shown()
        if not shown:
            return QSize(0, 0)
        width = sum(self._width(w, shown) for w in shown) + self._spacing * (len(shown) - 1)
        return QSize(width, self._line_height(shown))

    def minimumSizeHint(self) -> QSize:
        shown = self._shown()
        if not shown:
            return QSize(0, 0)
        width = max(self._width(w, shown) for w in shown)
        return QSize(width, self.heightForWidth(max(width, self.width())))

    def _place(self) -> None:
        width = self.width()
        lines = self._lines(width)
        shown = self._shown()
        columns = max((len(line) for line in lines), default=1)
        y = 0
        for line in lines:
            height = self._line_height(line)
            x = 0
            for w in line:
                ww = self._width(w, shown)
                if self._uniform:
                    ww = max(ww, (width - self._spacing * (columns - 1)) // columns)
                h = max(w.sizeHint().height(), w.minimumHeight())
                w.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(ww, h)))
                x += ww + self._spacing
            y += height + self._spacing

    def _changed(self) -> None:
        self.updateGeometry()
        self._place()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:     # a child's size hint changed
            self._changed()
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.Hide, QEvent.Type.FontChange):
            self._changed()
        return False


def fit_bold(button: QAbstractButton) -> None:
    """Keep a toggle button wide enough for its text in bold (checked buttons are drawn bold, which the
    button's own size hint does not allow for, so the text was cut off)."""
    bold = QFont(button.font())
    bold.setBold(True)
    text = button.text().replace("&", "")
    extra = QFontMetrics(bold).horizontalAdvance(text) - button.fontMetrics().horizontalAdvance(text)
    button.setMinimumWidth(button.sizeHint().width() + max(0, extra) + 2)


def fit_header_height(view: QTableView, padding: int = 10) -> HeaderFitter:
    """Keep a table's column titles whole when they wrap: the header grows to the tallest wrapped title, and
    again whenever a column is resized or the titles change."""
    return HeaderFitter(view, padding)


class HeaderFitter(QObject):
    """Sets a table header's height to its tallest wrapped title. A child of the header, so its connections
    end with it (a plain function would be called during the header's destruction)."""

    def __init__(self, view: QTableView, padding: int) -> None:
        header = view.horizontalHeader()
        super().__init__(header)
        self._view, self._header, self._padding = view, header, padding
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.sectionResized.connect(self._on_header_section_resized)
        header.geometriesChanged.connect(self.fit)
        self.fit()

    @Slot(int, int, int)
    def _on_header_section_resized(self, _i: int, _old: int, _new: int) -> None:
        self.fit()

    @Slot()
    def fit(self) -> None:
        """Grow or shrink the header to the tallest title at the columns' present widths."""
        import shiboken6

        header = self._header
        if not (shiboken6.isValid(header) and shiboken6.isValid(self._view)):
            return              # the table is being destroyed (it still emits while its C++ part goes)
        model = self._view.model()
        if model is None:
            return
        font = QFont(header.font())
        font.setBold(True)      # Fusion draws titles bold: measure the wider text
        fm = QFontMetrics(font)
        tallest = fm.height()
        for i in range(header.count()):
            if header.isSectionHidden(i):
                continue
            text = str(model.headerData(i, Qt.Orientation.Horizontal) or "")
            width = max(10, header.sectionSize(i) - 8)
            tallest = max(tallest, fm.boundingRect(QRect(0, 0, width, 100_000), WRAPPED_CENTRE, text).height())
        header.setMinimumHeight(tallest + self._padding)


class ShareColumns(QObject):
    """Some columns of a table share the width the other columns leave, like stretched columns, but each is
    never narrower than its title (or, for titles that wrap, the title's longest word) and, with
    ``whole_cells``, its cells' contents (figures). Qt squeezes stretched columns to slivers when a large font
    leaves no room, whatever their minimum size; with this the table scrolls sideways instead. A child of the
    table, refitted whenever the table, the model or another column changes size.

    Each column's floor is measured once and kept until the model is reset, its layout or titles change, or the
    font changes: measuring a column's cells reads every row (about 35 ms a column on a 500-bid grid), so an
    edit only lets a column grow to fit the changed cells instead of measuring everything again.
    """

    def __init__(self, table: QTableView, columns: list[int], *, whole_cells: bool = False,
                 wrap_titles: bool = False) -> None:
        super().__init__(table)
        self._table, self._columns = table, list(columns)
        self._whole_cells, self._wrap_titles = whole_cells, wrap_titles
        self._fitting = False
        self._floors: dict[int, int] = {}
        header = table.horizontalHeader()
        for c in self._columns:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._on_header_section_resized)
        table.viewport().installEventFilter(self)
        model = table.model()
        if model is not None:
            model.modelReset.connect(self._on_model_changed)
            model.layoutChanged.connect(self._on_model_changed)
            model.dataChanged.connect(self._on_model_data_changed)
            model.headerDataChanged.connect(self._on_model_changed)
        self.fit()

    def set_columns(self, columns: list[int]) -> None:
        """Share the width among these columns instead (the model's columns changed)."""
        self._columns = list(columns)
        self._floors.clear()
        header = self._table.horizontalHeader()
        for c in self._columns:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Interactive)
        self.fit()

    @Slot(int, int, int)
    def _on_header_section_resized(self, index: int, _old: int, _new: int) -> None:
        if index not in self._columns:
            self.fit()

    @Slot()
    def _on_model_changed(self) -> None:
        self._floors.clear()
        self.fit()

    @Slot(QModelIndex, QModelIndex)
    def _on_model_data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        if not self._whole_cells:
            return              # the floors are the titles': an edit cannot change them
        cells = (bottom_right.row() - top_left.row() + 1) * (bottom_right.column() - top_left.column() + 1)
        grow = False
        for c in range(top_left.column(), bottom_right.column() + 1):
            if c not in self._floors:
                continue
            if cells > 64:      # a block of changes: measure those columns again
                del self._floors[c]
                grow = True
                continue
            t, model = self._table, self._table.model()
            need = max(t.sizeHintForIndex(model.index(r, c)).width()
                       for r in range(top_left.row(), bottom_right.row() + 1)) + int(t.showGrid())
            if need > self._floors[c]:
                self._floors[c] = need
                grow = True
        if grow:
            self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._floors.clear()
        if kind in (QEvent.Type.Resize, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit()
        return False

    def floor(self, column: int) -> int:
        """The narrowest the column may be."""
        t = self._table
        h = t.horizontalHeader()
        bold = QFont(h.font())
        bold.setBold(True)
        fm = QFontMetrics(bold)
        title = str(t.model().headerData(column, Qt.Orientation.Horizontal) or "")
        words = title.split() if self._wrap_titles else [title]
        need = max((fm.horizontalAdvance(w) for w in words), default=0) + 16
        if self._whole_cells:
            need = max(need, t.sizeHintForColumn(column))
        return need

    @Slot()
    def fit(self) -> None:
        """Share out what the other columns leave (each column at least its floor)."""
        import shiboken6

        t = self._table
        if self._fitting or not shiboken6.isValid(t) or t.model() is None:
            return
        h = t.horizontalHeader()
        shown = [c for c in self._columns if 0 <= c < h.count() and not h.isSectionHidden(c)]
        if not shown:
            return
        others = sum(h.sectionSize(c) for c in range(h.count()) if c not in shown and not h.isSectionHidden(c))
        share = max(0, t.viewport().width() - others) // len(shown)
        self._fitting = True
        try:
            for c in shown:
                floor = self._floors.get(c)
                if floor is None:
                    floor = self._floors[c] = self.floor(c)
                width = max(floor, share)
                if h.sectionSize(c) != width:
                    h.resizeSection(c, width)
        finally:
            self._fitting = False


def uniform_rows(table: QTableView) -> None:
    """Every row as high as the first row's contents need (measured again when the model is reset).

    For grids of one-line cells (marks): ``ResizeToContents`` on the vertical header gives the same heights but
    measures every cell of every row again after each edit (about 0.4 s an edit on a 500-bid grid).
    """
    header = table.verticalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def measure() -> None:
        model = table.model()
        if model is None or model.rowCount() == 0:
            return
        header.setDefaultSectionSize(max(header.minimumSectionSize(), table.sizeHintForRow(0),
                                         header.sectionSizeHint(0)))

    measure()
    model = table.model()
    if model is not None:
        model.modelReset.connect(measure)


def fill_column(table: QTableView, column: int) -> ShareColumns:
    """One column takes the width the others leave, never less than its title (a stretched column that
    cannot be squeezed until its title is cut)."""
    return ShareColumns(table, [column])


class WrapButton(QPushButton):
    """A checkable button whose text wraps onto more lines instead of being cut off (a long descriptor in a
    narrow panel, or with a large font). Checked, its text is drawn white and bold.

    The text is in a label inside the button; the button's own ``text()`` stays empty, so it is named for
    screen readers by its accessible name.
    """

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 5, 8, 5)
        layout.addWidget(self.label)
        self.setAccessibleName(text)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.toggled.connect(self._on_self_toggled)

    def shown_text(self) -> str:
        """The text on the button."""
        return self.label.text()

    @Slot(bool)
    def _on_self_toggled(self, on: bool) -> None:
        self.label.setStyleSheet("color: white; font-weight: bold;" if on else "")
        self.updateGeometry()

    def _bold_layout(self) -> QLayout:
        layout = self.layout()
        assert layout is not None
        return layout

    def sizeHint(self) -> QSize:
        return self._bold_layout().totalSizeHint()

    def minimumSizeHint(self) -> QSize:
        return self._bold_layout().totalMinimumSize()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._bold_layout().totalHeightForWidth(width)
