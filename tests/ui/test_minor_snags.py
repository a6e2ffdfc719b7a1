"""Issue 14, "Minor, but an officer notices": wording, explanations in place, a reason's limit, message boxes
wide enough for their titles, and the example tenders marked and removable in one step."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from svdesk.domain.tender import CriterionKind
from svdesk.io.tender_file import read_tender_file
from tests.ui.conftest import DEMO, DialogLog
from tests.ui.fake_store import FakeDatabase
from ui.document import TenderDocument
from ui.main_window import MainWindow

D = Decimal


def test_one_year_is_not_one_years(qtbot, demo_tender) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.overview import OverviewPage

    t = replace(demo_tender, term_years=1, extension_years=1)
    page = OverviewPage(TenderDocument(FakeDatabase([t]), t, "Tester"))
    qtbot.addWidget(page)
    assert page._term.text() == "1 year" and page._ext.text() == "1 year"  # type: ignore[attr-defined]
    assert "over 2 years (1 year and up to 1 year of extension)" in page._whole.text()  # type: ignore[attr-defined]
    page._term.setValue(3)  # type: ignore[attr-defined]
    assert page._term.text() == "3 years"  # type: ignore[attr-defined]


def test_a_message_box_is_wide_enough_for_its_title(qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs import message_box

    title = "That change was not made"
    box = message_box(None, QMessageBox.Icon.Warning, title, "No.", QMessageBox.StandardButton.Ok)
    qtbot.addWidget(box)
    box.show()
    assert box.width() >= box.fontMetrics().horizontalAdvance(f"{title} — svdesk") + 60


def test_a_long_message_wraps_whole_and_a_long_path_is_not_cut(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Every word of a long message is shown: the box wraps it (the width once set on the label stopped Qt
    wrapping, so the message was cut to its first line), and a path with no spaces gets the width it needs."""
    from PySide6.QtWidgets import QLabel

    from ui.dialogs import message_box

    message = ("'excel-export.csv' is named as a CSV file but its content is binary data that is not one of these "
               "types: PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods), PNG, JPEG, text (.txt) or CSV: "
               "it was not attached")
    path = "C:\\Users\\Zoe\\Documents\\Award_papers_in_a_folder_with_a_long_name\\NET-2026-01.pdf"
    for text in (message, f"{path} could not be written: the disk is full."):
        box = message_box(None, QMessageBox.Icon.Warning, "The file was not attached", text,
                          QMessageBox.StandardButton.Ok)
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
        label = box.findChild(QLabel, "qt_msgbox_label")
        assert label is not None and label.wordWrap()
        fm = label.fontMetrics()
        lines = -(-fm.horizontalAdvance(text) // label.width())       # at least this many lines are needed
        assert label.height() >= lines * fm.lineSpacing(), (label.size(), lines)
        assert label.width() >= max(fm.horizontalAdvance(w) for w in text.split())
        box.close()


def test_explained_in_place(qtbot, demo_tender) -> None:  # type: ignore[no-untyped-def]
    from ui.models.bids import BidsModel
    from ui.models.criteria import CriteriaModel

    doc = TenderDocument(FakeDatabase([demo_tender]), demo_tender, "Tester")
    bids = BidsModel(doc)
    price = bids.headerData(bids.PRICE, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "3 years" in price and "2 years of extension" in price        # does the price include them?
    based = bids.headerData(bids.LOCALITY, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "Local: within the council's own area" in based and "Regional" in based and "National" in based
    crit = CriteriaModel(doc)
    tips = {crit.criterion(r).kind: crit.data(crit.index(r, crit.KIND), Qt.ItemDataRole.ToolTipRole)
            for r in range(crit.rowCount())}
    assert "in pounds" in tips[CriterionKind.COMMITMENTS] and "No evaluator marks it" in tips[CriterionKind.COMMITMENTS]
    assert "marked on a scale" in tips[CriterionKind.SOCIAL_VALUE]


def test_a_reason_has_a_counter_and_a_limit(qtbot, demo_tender, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.scoring import REASON_MAX, MarkPanel

    panel = MarkPanel("Give a mark", "Save mark")
    qtbot.addWidget(panel)
    panel.show()
    panel.set_context(demo_tender.criterion("q1"), "Acme", D(3), "")
    assert panel.reason.counter.text() == ""
    top = panel.save.mapTo(panel, panel.save.rect().topLeft()).y()
    panel.reason.setPlainText("x" * 5000)                                # pasted: kept to the limit
    assert len(panel.reason.toPlainText()) == REASON_MAX
    assert panel.reason.counter.text() == f"0 of {REASON_MAX:,} characters left"
    assert panel.save.mapTo(panel, panel.save.rect().topLeft()).y() == top   # the counter moved nothing
    saved: list[tuple[object, str]] = []
    panel.save_requested.connect(lambda v, r: saved.append((v, r)))
    panel.set_context(demo_tender.criterion("q1"), "Acme", D(3), "y" * 2500)   # longer, from a file: kept
    assert "500 characters over the limit" in panel.reason.counter.text()
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    assert not saved and "shorten it to 2,000" in dialog_log.errors[-1][1]


def test_examples_are_marked_and_removed_in_one_step(qtbot, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    from ui.models.register import RegisterModel

    examples = [read_tender_file(p) for p in sorted(DEMO.glob("*.json"))]
    mine = replace(examples[0], reference="OWN-1", title="Our own tender")
    db = FakeDatabase([*examples, mine])
    w = MainWindow()
    qtbot.addWidget(w)
    w.set_database(db)  # type: ignore[arg-type]
    m = w.register.model
    titles = {m.data(m.index(r, RegisterModel.REFERENCE)): m.data(m.index(r, RegisterModel.TITLE))
              for r in range(m.rowCount())}
    assert titles["OWN-1"] == "Our own tender"
    assert all(titles[t.reference].endswith("(example)") for t in examples)
    assert w.remove_examples() == len(examples)
    assert dialog_log.confirms[-1] == "Remove the example tenders?"
    assert set(db.tenders) == {"OWN-1"} and db.backups()                   # a backup first
    assert w.remove_examples() == 0 and dialog_log.infos[-1][0] == "No example tenders"


def test_the_empty_register_text_is_whole(qtbot) -> None:  # type: ignore[no-untyped-def]
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.set_database(FakeDatabase())  # type: ignore[arg-type]
    w.show()
    hint = w.register.empty_hint
    qtbot.waitUntil(hint.isVisible)
    assert hint.width() >= hint.fontMetrics().horizontalAdvance(hint.text())


def test_agreed_does_not_move_the_list_under_the_mouse(qtbot) -> None:  # type: ignore[no-untyped-def]
    from svdesk.domain.checklist import AskStatus
    from ui.pages.negotiation import NegotiationPage

    t = read_tender_file(DEMO / "parks-wifi-tender.json")
    page = NegotiationPage(TenderDocument(FakeDatabase([t]), t, "Tester"))
    qtbot.addWidget(page)
    page.resize(1166, 700)
    page.show()
    page.set_supplier(t.bids[-1].supplier)
    row = next(r for r in range(page.model.rowCount()) if page.model.outcome(r).status is AskStatus.NOT_ASKED)
    page.table.selectRow(row)
    qtbot.wait(10)
    top = page.table.mapTo(page, page.table.rect().topLeft()).y()
    for s in (AskStatus.ASKED, AskStatus.OFFERED, AskStatus.AGREED):
        qtbot.mouseClick(page._answer_buttons[s], Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        qtbot.wait(10)
        assert page.table.mapTo(page, page.table.rect().topLeft()).y() == top, s


def test_ctrl_y_redoes(qtbot, demo_tender) -> None:  # type: ignore[no-untyped-def]
    """Ctrl+Y was on the Redo action twice (it is also the platform's redo key), so Qt found it ambiguous and
    neither fired."""
    from ui import commands as C

    w = MainWindow()
    qtbot.addWidget(w)
    w.set_database(FakeDatabase([demo_tender]))  # type: ignore[arg-type]
    w.show()
    ws = w.open_tender(demo_tender.reference)
    assert ws is not None
    assert ws.doc.push(C.SetWeight(ws.doc, "q1", D(20)))
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    qtbot.keyClick(w, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ws.doc.tender.criterion("q1").weight == demo_tender.criterion("q1").weight
    qtbot.keyClick(w, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert ws.doc.tender.criterion("q1").weight == D(20)
