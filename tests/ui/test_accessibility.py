"""Every control a keyboard or screen-reader user can reach has a name, and the main pages have a tab order.

Walks the register, every page of every demo tender (and meeting mode and moderation), and the dialogs: each
focusable input must have an accessible name or a label that is its buddy; each button must say what it does.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from svdesk.io.tender_file import read_tender_file
from tests.ui.fake_store import FakeDatabase
from ui.guide import PAGES
from ui.main_window import MainWindow

INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QAbstractSlider)


def _parts_of_another(w: QWidget) -> bool:
    """The line edit inside a combo box or spin box, and the like: named through their owner."""
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, (QComboBox, QAbstractSpinBox)):
            return True
        p = p.parentWidget()
    return False


def unnamed(root: QWidget) -> list[str]:
    """The focusable controls under ``root`` (shown) that a screen reader could not name."""
    buddies = {id(lab.buddy()) for lab in root.findChildren(QLabel) if lab.buddy() is not None}
    missing = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root) or w.focusPolicy() == Qt.FocusPolicy.NoFocus or _parts_of_another(w):
            continue
        if isinstance(w, QAbstractButton):
            if not (w.accessibleName().strip() or w.text().replace("&", "").strip()):
                missing.append(f"{type(w).__name__} {w.objectName() or w.toolTip()!r} has no text or name")
        elif isinstance(w, INPUTS) and not w.accessibleName().strip() and id(w) not in buddies:
            hint = getattr(w, "placeholderText", lambda: "")()
            missing.append(f"{type(w).__name__} ({hint or w.objectName() or w.toolTip()!r}) in "
                           f"{type(w.parentWidget()).__name__} has no accessible name or label")
    return missing


@pytest.fixture
def window(qtbot, demo_files) -> MainWindow:  # type: ignore[no-untyped-def]
    db = FakeDatabase([read_tender_file(p) for p in demo_files])
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_database(db)
    return w


def views(w: MainWindow) -> Iterator[str]:
    """Bring every view of the window into sight in turn, naming each."""
    yield "register"
    for ref in sorted(w.db.tenders):  # type: ignore[union-attr]
        ws = w.open_tender(ref)
        assert ws is not None
        for key in PAGES:
            page = ws.show_page(key)
            QApplication.processEvents()
            yield f"{ref} {key}"
            if key == "negotiation" and page.model.rowCount():  # type: ignore[attr-defined]
                page.table.selectRow(0)  # type: ignore[attr-defined]
                yield f"{ref} {key} with an ask selected"
                page.set_meeting_mode(True)  # type: ignore[attr-defined]
                yield f"{ref} meeting mode"
                page.set_meeting_mode(False)  # type: ignore[attr-defined]
            if key == "scoring":
                page.show_target({"mode": "moderate"})
                page.moderation.selectRow(0)  # type: ignore[attr-defined]
                yield f"{ref} moderation"
                page.set_mode(moderate=False)  # type: ignore[attr-defined]
                page.marks.setCurrentIndex(page.marks_model.index(0, 0))  # type: ignore[attr-defined]
                yield f"{ref} marking"
            if key == "bids" and page.model.rowCount():  # type: ignore[attr-defined]
                page.table.selectRow(0)  # type: ignore[attr-defined]
                yield f"{ref} bids with a bid selected"


def test_every_control_on_every_page_has_a_name(qtbot, window: MainWindow) -> None:
    problems = []
    for view in views(window):
        problems += [f"{view}: {p}" for p in unnamed(window)]
    assert not problems, "\n".join(dict.fromkeys(problems))


def _dialogs(parent: QWidget) -> Iterator[QWidget]:
    from svdesk.io.tender_file import read_tender_file as read
    from tests.ui.conftest import DEMO
    from ui.dialogs import ReasonDialog
    from ui.files import ExportDialog
    from ui.new_tender import NewTenderDialog
    from ui.pages.bids import BidDialog, CommitmentDialog
    from ui.pages.negotiation import AskDialog, LibraryDialog, library
    from ui.setup_dialog import SetupDialog

    tender = read(DEMO / "parks-wifi-tender.json")
    yield NewTenderDialog(set(), parent)
    yield BidDialog(parent)
    yield CommitmentDialog(parent)
    yield AskDialog(None, parent)
    yield AskDialog(tender.checklist.items[0].ask, parent)
    yield LibraryDialog(library(), parent)
    yield ExportDialog(tender, parent)
    yield ReasonDialog("Delete?", "It cannot be undone.", "Delete", parent)
    yield SetupDialog("/tmp/x.sqlite3", database_fixed=False, parent=parent)


def test_every_control_in_every_dialog_has_a_name(qtbot) -> None:  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    problems = []
    for dlg in _dialogs(host):
        dlg.show()
        problems += [f"{type(dlg).__name__}: {p}" for p in unnamed(dlg)]
        dlg.close()
    assert not problems, "\n".join(problems)


def _tab_chain(start: QWidget, within: QWidget) -> list[QWidget]:
    """The widgets Tab visits from ``start`` while staying inside ``within`` (shown and focusable only)."""
    chain, w = [], start
    for _ in range(200):
        w = w.nextInFocusChain()
        if w is start:
            break
        if (within.isAncestorOf(w) and w.isVisibleTo(within) and w.isEnabled()
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus and not _parts_of_another(w)):
            chain.append(w)
    return chain


def _backwards(root: QWidget) -> list[str]:
    """Tab order follows reading order: no control is visited before one above it (rows at the same height
    go left to right) unless it starts a column to the right (a splitter's right pane, a second column of
    group boxes), so keyboard users are never sent back up the page."""
    chain = _tab_chain(root, root)
    order = [w.mapTo(root, w.rect().topLeft()) for w in chain]
    out = []
    for (a, pa), (b, pb) in zip(zip(chain, order, strict=True), zip(chain[1:], order[1:], strict=True),
                                strict=False):
        same_row = abs(pa.y() - pb.y()) < 12
        if (same_row and pb.x() < pa.x()) or (not same_row and pb.y() < pa.y() and not _beside(a, b, root)):
            out.append(f"{_name(a)} → {_name(b)}")
    return out


def test_tab_goes_top_to_bottom_then_left_to_right_in_every_view(qtbot, window: MainWindow) -> None:
    window.resize(1280, 800)
    problems = []
    for view in views(window):
        ws = window.current_workspace()
        root = window.register if ws is None else ws.stack.currentWidget()
        QApplication.processEvents()
        assert len(_tab_chain(root, root)) >= 2, view
        problems += [f"{view}: Tab jumps back: {b}" for b in _backwards(root)]
    assert not problems, "\n".join(problems)


def test_the_checks_catch_an_unnamed_box_and_a_backwards_tab(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QFormLayout, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    layout = QVBoxLayout(root)
    first, second, third = QLineEdit(), QLineEdit(), QLineEdit()
    form = QFormLayout()
    form.addRow("Named by its label:", first)
    layout.addLayout(form)
    layout.addWidget(second)
    layout.addWidget(third)
    second.setAccessibleName("Second")
    root.show()
    assert unnamed(root) == ["QLineEdit ('') in QWidget has no accessible name or label"]
    third.setAccessibleName("Third")
    assert unnamed(root) == [] and _backwards(root) == []
    QWidget.setTabOrder(third, second)           # first, third, second: Tab goes back up
    assert _backwards(root) == ["QLineEdit(Third) → QLineEdit(Second)"]


def _beside(a: QWidget, b: QWidget, page: QWidget) -> bool:
    """``b`` starts a column to the right of ``a``'s column (a splitter's right pane): reading order allows
    going back up there."""
    ax = a.mapTo(page, a.rect().topRight()).x()
    bx = b.mapTo(page, b.rect().topLeft()).x()
    return bx >= ax - 4


def _name(w: QWidget) -> str:
    text = getattr(w, "text", lambda: "")() if isinstance(w, QAbstractButton) else ""
    return f"{type(w).__name__}({w.accessibleName() or text})"


# --- large fonts ----------------------------------------------------------------------------------------

#: A council laptop at 150% with a 14 pt system font: 1920 × 1080 pixels are 1280 × 720 to Qt.
SMALL_SCREEN = (1280, 720)


@pytest.fixture
def large_font(qapp):  # type: ignore[no-untyped-def]
    before = qapp.font()
    font = qapp.font()
    font.setPointSizeF(14)
    qapp.setFont(font)
    yield font
    qapp.setFont(before)


#: Tables of figures: every figure must show whole (names may be cut short with "…", figures never).
NUMBERS = ("Ranking", "Marks")


def cut_text(root: QWidget) -> list[str]:
    """Buttons and table titles under ``root`` (shown) whose text does not fit."""
    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtWidgets import QPushButton, QTableView

    from ui.widgets import WRAPPED_CENTRE, WrapButton

    out = []
    for b in root.findChildren(QPushButton):
        if not b.isVisibleTo(root) or b.isFlat():
            continue
        if isinstance(b, WrapButton):
            if b.label.height() < b.label.heightForWidth(b.label.width()):
                out.append(f"{b.shown_text()!r}: {b.label.height()} px tall, its text needs "
                           f"{b.label.heightForWidth(b.label.width())}")
            continue
        text = b.text().replace("&", "")
        if not text:
            continue
        font = QFont(b.font())
        font.setBold(b.isCheckable())               # checked buttons are drawn bold
        need = QFontMetrics(font).horizontalAdvance(text) + 8
        if b.width() < need:
            out.append(f"button {text!r}: {b.width()} px wide, its text needs {need}")
    for t in root.findChildren(QTableView):
        h = t.horizontalHeader()
        if not t.isVisibleTo(root) or not h.isVisible() or t.model() is None:
            continue
        bold = QFont(h.font())
        bold.setBold(True)
        fm = QFontMetrics(bold)
        wraps = bool(h.defaultAlignment() & Qt.TextFlag.TextWordWrap)
        for i in range(h.count()):
            if h.isSectionHidden(i):
                continue
            title = str(t.model().headerData(i, Qt.Orientation.Horizontal) or "")
            from PySide6.QtCore import QRect

            if wraps:
                need = fm.boundingRect(QRect(0, 0, h.sectionSize(i) - 8, 100_000), WRAPPED_CENTRE, title).height()
                if h.height() < need:
                    out.append(f"{t.accessibleName()} title {title!r}: {h.height()} px tall, needs {need}")
                word = max((fm.horizontalAdvance(w) for w in title.split()), default=0)
                if h.sectionSize(i) - 2 < word:
                    out.append(f"{t.accessibleName()} title {title!r}: a word is cut ({h.sectionSize(i)} px wide, "
                               f"needs {word + 2})")
            if t.accessibleName() in NUMBERS and h.sectionSize(i) < t.sizeHintForColumn(i):
                out.append(f"{t.accessibleName()} column {title!r}: its numbers are cut ({h.sectionSize(i)} px, "
                           f"needs {t.sizeHintForColumn(i)})")
            if not wraps and h.sectionSize(i) < fm.horizontalAdvance(title) + 4:
                out.append(f"{t.accessibleName()} title {title!r}: {h.sectionSize(i)} px wide, needs "
                           f"{fm.horizontalAdvance(title) + 4}")
    return out


def test_with_a_large_font_every_view_fits_a_small_screen_and_no_text_is_cut(qtbot, large_font,  # type: ignore[no-untyped-def]
                                                                            demo_files) -> None:
    db = FakeDatabase([read_tender_file(p) for p in demo_files])
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_database(db)
    w.resize(*SMALL_SCREEN)
    problems = []
    for view in views(w):
        QApplication.processEvents()
        need = w.minimumSizeHint()
        if need.width() > SMALL_SCREEN[0] or need.height() > SMALL_SCREEN[1]:
            problems.append(f"{view}: the window needs {need.width()} × {need.height()}")
        w.resize(*SMALL_SCREEN)
        QApplication.processEvents()
        problems += [f"{view}: {p}" for p in cut_text(w)]
    assert not problems, "\n".join(dict.fromkeys(problems))


def test_the_cut_text_check_sees_a_clipped_toggle(qtbot, large_font) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    root = QWidget()
    qtbot.addWidget(root)
    b = QPushButton("2. Moderation: agree scores", root)
    b.setCheckable(True)
    root.show()
    b.resize(b.sizeHint())                       # as wide as its text in the normal weight only
    assert cut_text(root) and "Moderation" in cut_text(root)[0]
    from ui.widgets import fit_bold

    fit_bold(b)
    b.resize(b.minimumWidth(), b.height())
    assert cut_text(root) == []
