"""Tools → Council settings… and Tools → Options… in the real widgets (issue 14 item 3 and Tools → Options).

The council's settings go to the database (each change audited) and feed the papers and new tenders; the
officer's own preferences stay in QSettings. A bad value is named in the dialog, which stays open.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from svdesk.domain.tender import Tender
from tests.ui.conftest import DialogLog
from tests.ui.fake_store import FakeDatabase
from ui import settings
from ui.main_window import MainWindow
from ui.settings_dialog import SettingsDialog

D = Decimal


@pytest.fixture
def window(qtbot, fake_db: FakeDatabase) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_database(fake_db)
    return w


def _type(qtbot, field, text: str) -> None:  # type: ignore[no-untyped-def]
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def _save(qtbot, dlg: SettingsDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)


def test_tools_menu_has_council_settings_and_options(window: MainWindow) -> None:
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    assert [a.text() for a in tools.actions() if not a.isSeparator()] == [
        "Council &settings…", "&Options…", "&Verify a printed paper…"]


def test_council_settings_are_saved_to_the_database_audited_and_feed_papers_and_new_tenders(
        qtbot, window: MainWindow, fake_db: FakeDatabase, dialog_log: DialogLog,
        demo_tender: Tender) -> None:  # type: ignore[no-untyped-def]
    def answer(dlg: SettingsDialog) -> bool:
        assert dlg.council is not None
        _type(qtbot, dlg.council.name, "Ashbourne Borough Council")
        _type(qtbot, dlg.council.address, "Town Hall")
        qtbot.keyClick(dlg.council.address, Qt.Key.Key_Return)
        qtbot.keyClicks(dlg.council.address, "Ashbourne")
        _type(qtbot, dlg.council.weights, "50,30,20")
        _type(qtbot, dlg.council.panel, "kt, ps")
        _type(qtbot, dlg.council.prefix, "ocds-b5fd17")
        _save(qtbot, dlg)
        return dlg.result() == QDialog.DialogCode.Accepted

    dialog_log.on_dialog = answer
    window.council_action.trigger()
    assert fake_db.council == {"council.name": "Ashbourne Borough Council", "council.address": "Town Hall\nAshbourne",
                               "weights.default": "50,30,20", "panel.default": "KT,PS", "ocds.prefix": "ocds-b5fd17"}
    assert [e.action for e in fake_db.audit] == [f"Council setting {k} set" for k in (
        "council.name", "council.address", "weights.default", "panel.default", "ocds.prefix")]
    assert "council.name" in window.statusBar().currentMessage()
    # What the window now uses: the name on new tenders and on the papers, the weights, the ocid prefix.
    assert settings.authority_name() == "Ashbourne Borough Council"
    assert settings.default_weights() == (D(50), D(30), D(20))
    from ui.pages.reports import report_options

    assert demo_tender.buyer == "Ashbourne District Council"      # the council's setting wins on the papers
    assert report_options(demo_tender).authority == "Ashbourne Borough Council"
    assert settings.council().ocid_prefix == "ocds-b5fd17"


def test_a_bad_value_is_named_and_nothing_is_saved(qtbot, window: MainWindow, fake_db: FakeDatabase,
                                                    dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def answer(dlg: SettingsDialog) -> bool:
        assert dlg.council is not None
        _type(qtbot, dlg.council.name, "Ashbourne District Council")
        _type(qtbot, dlg.council.weights, "40,40,15")
        _save(qtbot, dlg)
        seen.append(dlg.error.text())
        assert dlg.isVisible() is False or dlg.result() != QDialog.DialogCode.Accepted
        assert dlg.council.weights.hasFocus() or dlg.focusWidget() is dlg.council.weights
        return False

    dialog_log.on_dialog = answer
    window.council_action.trigger()
    assert seen == ["Default weights: must total 100 (these total 95)"]
    assert fake_db.council == {} and fake_db.audit == []


def test_options_keep_the_officers_own_preferences_out_of_the_database(
        qtbot, window: MainWindow, fake_db: FakeDatabase, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    def answer(dlg: SettingsDialog) -> bool:
        assert dlg.council is None and dlg.tabs.count() == 1 and dlg.windowTitle() == "Options"
        _type(qtbot, dlg.personal.user, "Kate Thomas")
        _type(qtbot, dlg.personal.initials, "kt")
        dlg.personal.reopen.setFocus()
        qtbot.keyClick(dlg.personal.reopen, Qt.Key.Key_Space)
        _save(qtbot, dlg)
        return dlg.result() == QDialog.DialogCode.Accepted

    dialog_log.on_dialog = answer
    assert window.options_action.text() == "&Options…"
    window.options_action.trigger()
    assert settings.user_name() == "Kate Thomas" and window.who() == "Kate Thomas"
    assert settings.initials() == "KT"
    assert settings.reopen_tenders() is False
    assert fake_db.council == {} and fake_db.audit == []


def test_a_read_only_database_shows_the_council_settings_without_changing_them(
        qtbot, demo_tender: Tender) -> None:  # type: ignore[no-untyped-def]
    db = FakeDatabase([demo_tender], read_only=True)
    db.council = {"council.name": "Ashbourne District Council"}
    dlg = SettingsDialog(db, "Tester")
    qtbot.addWidget(dlg)
    assert dlg.council is not None
    assert dlg.council.name.text() == "Ashbourne District Council" and dlg.council.name.isReadOnly()
    _save(qtbot, dlg)
    assert dlg.result() == QDialog.DialogCode.Accepted and db.audit == []
    assert isinstance(dlg.findChild(QDialogButtonBox), QDialogButtonBox)
