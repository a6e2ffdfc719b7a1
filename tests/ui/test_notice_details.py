"""Issue 15: the notice details entered in the app (Overview → Notice details…), by keyboard, with what each
notice still needs shown as you type, one undoable edit, and a UK6 from them that passes the schema."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from svdesk.domain.publication import Publication
from svdesk.io.ocds import award_release_package, dumps_ocds
from svdesk.io.ocds.writing import notice_gaps
from tests.io.ocds_check import schema_errors
from tests.io.test_ocds_notices import ready
from tests.ui.conftest import DialogLog
from tests.ui.fake_store import FakeDatabase
from ui.document import TenderDocument
from ui.notices_dialog import NoticeDetailsDialog
from ui.pages.overview import OverviewPage


def _type(qtbot, widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    QTest.keyClicks(widget, text)


def test_notice_details_typed_in_make_a_publishable_uk6(qtbot, shared_data: Path,  # type: ignore[no-untyped-def]
                                                        dialog_log: DialogLog) -> None:
    t = replace(ready(), publication=Publication())
    db = FakeDatabase([t])
    doc = TenderDocument(db, t, who="Priya Shah")
    page = OverviewPage(doc)
    qtbot.addWidget(page)
    page.show()
    assert "UK6" not in page._notices.needs.text() and "still needs" in page._notices.needs.text()

    def fill(dlg: NoticeDetailsDialog) -> bool:
        qtbot.addWidget(dlg)
        assert "Contract award notice (UK6):</b> still needs" in dlg.needs.text()
        assert "at least one CPV code" in dlg.needs.text()
        _type(qtbot, dlg.buyer_id, "PXYZ-9876-ABCD")
        _type(qtbot, dlg.street, "Town Hall, Market Place")
        _type(qtbot, dlg.town, "Ashbourne")
        _type(qtbot, dlg.postcode, "de6 1es")
        _type(qtbot, dlg.email, "procurement@ashbourne.example")
        _type(qtbot, dlg.cpv, "72400000 Internet services")
        QTest.keyClick(dlg.cpv, Qt.Key.Key_Return)
        _type(qtbot, dlg.cpv, "7240")                       # half a code: said at once, not saved
        assert "line 2" in dlg.error.text() and "is not a CPV code" in dlg.error.text()
        for _ in range(4):
            QTest.keyClick(dlg.cpv, Qt.Key.Key_Backspace)
        QTest.keyClick(dlg.cpv, Qt.Key.Key_Backspace)
        assert dlg.error.text() == ""
        for box, text in ((dlg.category, "Services"), (dlg.threshold, "Above the threshold")):
            box.setFocus()
            box.setCurrentIndex(box.findText(text))
        dlg.method.setCurrentIndex(dlg.method.findData("open"))
        _type(qtbot, dlg.times["bids_due"], "12")
        assert dlg.error.text().startswith("Bids due time: '12' is not a time of day")
        _type(qtbot, dlg.times["bids_due"], "00")              # 1200: noon
        assert dlg.error.text() == ""
        assert "Contract award notice (UK6):</b> ready to publish." in dlg.needs.text()
        dlg._on_buttons_accepted()
        return dlg.result is not None and dlg.result_publication is not None

    dialog_log.on_dialog = fill
    page._notices.details_button.click()
    p = doc.tender.publication
    assert (p.buyer_scheme, p.buyer_id, p.buyer_address.postal_code) == ("GB-PPON", "PXYZ-9876-ABCD", "DE6 1ES")
    assert [c.id for c in p.classifications] == ["72400000"] and p.above_threshold is True
    assert p.times == {"bids_due": "12:00"}
    assert db.load_tender(t.reference).publication == p            # saved at once, like every edit
    assert notice_gaps(doc.tender, "UK6") == []
    assert page._notices.needs.text().startswith("The notice is ready to publish")
    doc_json = json.loads(dumps_ocds(award_release_package(doc.tender, notice="UK6")))
    assert schema_errors(doc_json, shared_data / "ocds") == []
    assert doc_json["releases"][0]["tender"]["items"][0]["classification"]["id"] == "72400000"
    due = doc.tender.key_dates["bids_due"]
    assert doc_json["releases"][0]["tender"]["tenderPeriod"]["endDate"].startswith(f"{due.isoformat()}T12:00:00+0")
    doc.undo_stack.undo()                                          # one edit, one undo
    assert doc.tender.publication == Publication()


def test_a_bad_amount_or_cancel_changes_nothing(qtbot, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    t = replace(ready(), publication=Publication())
    dlg = NoticeDetailsDialog(t)
    qtbot.addWidget(dlg)
    _type(qtbot, dlg.value, "about a million")
    assert dlg.error.text() == "Contract value: 'about a million' is not a number"
    dlg._on_buttons_accepted()
    assert dlg.result_publication is None
    db = FakeDatabase([t])
    doc = TenderDocument(db, t, who="Priya Shah")
    page = OverviewPage(doc)
    qtbot.addWidget(page)
    dialog_log.on_dialog = lambda _d: False                      # Cancel
    page._notices.details_button.click()
    assert doc.tender.publication == Publication() and not doc.undo_stack.canUndo()
