"""Keeping the officer's data safe from the window: the daily backup off the GUI thread (hourly and at close),
the store's notices in a banner, Help → About, Back up now, Restore from a backup, and deleting a tender."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from svdesk import __version__
from svdesk.domain.tender import Tender, TenderStatus
from svdesk.io.tender_file import read_tender_file
from tests.ui.conftest import DEMO, DialogLog
from tests.ui.fake_store import FakeDatabase
from ui.backups import INTERVAL_MS
from ui.dialogs import ReasonDialog
from ui.main_window import MainWindow

REF = "NET-2026-01"


def _window(qtbot, db: object) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_database(db)  # type: ignore[arg-type]
    return w


# --- the daily backup and the notices -------------------------------------------------------------------


def test_the_daily_backup_is_asked_for_hourly_off_the_gui_thread(qtbot, fake_db: FakeDatabase) -> None:
    w = _window(qtbot, fake_db)
    keeper = w.backups
    assert keeper.timer.isActive() and keeper.timer.interval() == INTERVAL_MS == 3_600_000
    with qtbot.waitSignal(keeper.checked, timeout=10_000) as sig:
        keeper.timer.timeout.emit()                      # an hour has passed
    assert fake_db.due_checks == 1 and sig.args[0] == fake_db.made[0]
    assert fake_db.backup_threads[0] != threading.main_thread().name
    assert w.statusBar().currentMessage().startswith("Daily backup made")
    with qtbot.waitSignal(keeper.checked, timeout=10_000) as sig:
        keeper.timer.timeout.emit()                      # another hour: not due, nothing made
    assert fake_db.due_checks == 2 and sig.args[0] is None and len(fake_db.made) == 1


def test_closing_the_window_makes_the_daily_backup_if_due(qtbot, fake_db: FakeDatabase) -> None:
    w = _window(qtbot, fake_db)
    w.close()
    assert fake_db.due_checks == 1 and len(fake_db.made) == 1
    assert fake_db.backup_threads[0] != threading.main_thread().name
    assert not w.backups.timer.isActive()


def test_a_read_only_database_is_not_backed_up(qtbot, demo_tender: Tender) -> None:
    db = FakeDatabase([demo_tender], read_only=True)
    w = _window(qtbot, db)
    assert not w.backups.timer.isActive() and w.backups.check_now() is None
    w.close()
    assert db.due_checks == 0


def test_the_stores_notices_show_in_a_banner_once(qtbot, fake_db: FakeDatabase) -> None:
    fake_db.notices.append("The database is on a network drive (S:). Keep svdesk open in one place at a time.")
    w = _window(qtbot, fake_db)
    assert w.notices_banner.isVisible() and "network drive" in w.notices_banner.text()
    fake_db.fail_backup = "Could not make the daily backup: the disk is full."
    with qtbot.waitSignal(w.backups.checked, timeout=10_000):
        w.backups.check_now()
    assert "network drive" in w.notices_banner.text() and "disk is full" in w.notices_banner.text()
    with qtbot.waitSignal(w.backups.checked, timeout=10_000):
        w.backups.check_now()                            # failed again an hour later: not listed twice
    assert w.notices_banner.text().count("disk is full") == 1
    fake_db.fail_backup = None
    fake_db.due = False
    qtbot.mouseClick(w.notices_banner.button, Qt.MouseButton.LeftButton)    # Dismiss
    assert not w.notices_banner.isVisible()
    fake_db.notices.append("A third thing.")
    with qtbot.waitSignal(w.backups.checked, timeout=10_000):
        w.backups.check_now()
    assert w.notices_banner.isVisible() and w.notices_banner.text() == "A third thing."   # each said once


def test_back_up_now_reports_where(qtbot, fake_db: FakeDatabase) -> None:
    w = _window(qtbot, fake_db)
    w.backup_action.trigger()
    qtbot.waitUntil(lambda: w.statusBar().currentMessage().startswith("Backed up to"), timeout=10_000)
    assert fake_db.made and str(fake_db.made[0]) in w.statusBar().currentMessage()


def test_about_says_version_database_and_last_backup_with_the_fake(qtbot, fake_db: FakeDatabase) -> None:
    w = _window(qtbot, fake_db)
    assert f"svdesk {__version__}" in w.about_text() and "memory://fake" in w.about_text()
    assert "Last backup: none yet" in w.about_text()
    fake_db.kind = "postgresql"
    assert "Last backup: made on the server" in w.about_text()


# --- with the real store --------------------------------------------------------------------------------

api = pytest.importorskip("svdesk.store.api")


@pytest.fixture
def real_db(tmp_path: Path):  # type: ignore[no-untyped-def]
    with api.open_database(tmp_path / "safety.sqlite3") as db:
        db.create_tender(read_tender_file(DEMO / "network-tender.json"), who="Tester")
        yield db


def test_about_shows_the_real_last_backup(qtbot, real_db, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    from ui.formatting import when

    w = _window(qtbot, real_db)
    assert "Last backup: none yet" in w.about_text()
    with qtbot.waitSignal(w.backups.checked, timeout=20_000) as sig:
        w.backups.check_now()                            # the daily backup is due: there is none
    made = real_db.backups()
    assert sig.args[0] == made[0].path and made[0].reason == "daily"
    w.show_about()
    title, text = dialog_log.infos[-1]
    assert title == "About svdesk" and f"svdesk {__version__}" in text
    assert f"Database: {real_db.location}" in text and f"Last backup: {when(made[0].created)}" in text


def test_restore_says_what_will_be_lost_and_asks_first(qtbot, real_db, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    real_db.backup()
    other = read_tender_file(DEMO / "parks-wifi-tender.json")
    real_db.create_tender(other, who="Tester")
    w = _window(qtbot, real_db)
    w.open_tender(other.reference)
    dialog_log.picks = [0]
    dialog_log.answer = False                           # see what it would do, then say no
    w.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(dialog_log.confirms), timeout=20_000)
    assert "made with Back up now, 1 tender" in dialog_log.choices[0][0]
    text = dialog_log.confirm_texts[-1]
    assert f"Tenders created since then disappear: {other.reference}" in text
    assert "The open tenders will be closed first." in text
    assert other.reference in {s.reference for s in real_db.list_tenders()} and w.workspaces

    dialog_log.picks = [0]
    dialog_log.answer = True
    w.restore_action.trigger()
    qtbot.waitUntil(lambda: bool(dialog_log.infos), timeout=20_000)
    assert dialog_log.infos[-1][0] == "Backup restored"
    assert {s.reference for s in real_db.list_tenders()} == {REF}
    assert w.register.model.total() == 1 and not w.workspaces
    assert real_db.backups()[0].reason == "before-restore"    # the way back


def test_restore_with_no_backups_says_so(qtbot, real_db, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    w = _window(qtbot, real_db)
    w.restore_backup()
    assert dialog_log.infos[-1][0] == "No backups yet" and not dialog_log.choices


# --- deleting a tender ----------------------------------------------------------------------------------


def test_delete_asks_why_says_it_cannot_be_undone_and_backs_up_first(qtbot, demo_files,  # type: ignore[no-untyped-def]
                                                                   dialog_log: DialogLog) -> None:
    db = FakeDatabase([read_tender_file(p) for p in demo_files])
    w = _window(qtbot, db)
    w.open_tender(REF)
    w.tabs.setCurrentIndex(0)
    reg = w.register
    assert not reg.delete_button.isEnabled()
    reg.table.selectRow(reg.model.row_of(REF))
    assert reg.delete_button.isEnabled()
    dialog_log.texts = ["Entered twice by mistake"]
    qtbot.mouseClick(reg.delete_button, Qt.MouseButton.LeftButton)
    title, message = dialog_log.reasons[-1]
    assert title == f"Delete {REF}?"
    assert "This cannot be undone; a backup is made first" in message and "Its tab will be closed" in message
    qtbot.waitUntil(lambda: REF not in db.tenders, timeout=10_000)
    assert db.events == ["backup", f"delete {REF}"]
    assert db.audit[-1].action == "Delete tender: Entered twice by mistake"
    qtbot.waitUntil(lambda: reg.model.total() == 1, timeout=10_000)
    assert REF not in w.workspaces and "Deleted NET-2026-01" in w.statusBar().currentMessage()


def test_delete_cancelled_changes_nothing(qtbot, fake_db: FakeDatabase, dialog_log: DialogLog) -> None:
    w = _window(qtbot, fake_db)
    w.register.table.selectRow(0)
    w.delete_action.trigger()                         # no reason given: cancelled
    assert dialog_log.reasons and REF in fake_db.tenders and not fake_db.events


def test_an_awarded_tender_cannot_be_deleted(qtbot, demo_tender: Tender, dialog_log: DialogLog) -> None:
    db = FakeDatabase([replace(demo_tender, status=TenderStatus.AWARDED)])
    w = _window(qtbot, db)
    w.delete_tender(REF)
    assert dialog_log.errors[-1][0] == "This tender must be kept" and not dialog_log.reasons
    assert REF in db.tenders and not db.events


def test_the_reason_dialog_needs_a_reason(qtbot) -> None:  # type: ignore[no-untyped-def]
    dlg = ReasonDialog("Delete X?", "This cannot be undone.", "Delete tender")
    qtbot.addWidget(dlg)
    assert not dlg.yes.isEnabled() and dlg.yes.text() == "Delete tender"
    qtbot.keyClicks(dlg.reason_edit, "   ")
    assert not dlg.yes.isEnabled()
    qtbot.keyClicks(dlg.reason_edit, "A duplicate")
    assert dlg.yes.isEnabled() and dlg.reason() == "A duplicate"
