"""A second copy shows a proper in-use screen (issue 14 item 5), in the real window against the real store.

Who holds the database since when, Retry, Open another database…, and the newest backup opened read-only and
clearly marked — never the empty register's "No tenders yet" with a dead "Load the example tenders".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.conftest import ROOT
from tests.ui.conftest import DialogLog
from ui.app import Application
from ui.main_window import MainWindow

api = pytest.importorskip("svdesk.store.api")
DEMO = ROOT / "resources" / "demo" / "network-tender.json"


@pytest.fixture
def held(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A database with one tender and a backup, held open by 'another copy'."""
    from svdesk.io.tender_file import read_tender_file

    path = tmp_path / "shared.sqlite3"
    with api.open_database(path) as db:
        db.create_tender(read_tender_file(DEMO), who="Kate Thomas")
        db.backup()
        yield path, db


def _start(qtbot, path: Path) -> tuple[MainWindow, Application]:  # type: ignore[no-untyped-def]
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    owner = Application(w, str(path))
    owner.start()
    return w, owner


def test_the_second_copy_says_who_holds_it_and_offers_retry_another_and_the_backup(
        qtbot, held, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    path, _db = held
    w, owner = _start(qtbot, path)
    try:
        assert dialog_log.errors[-1][0] == "The database is in use"
        page = w.in_use
        assert page.isVisible() and not w.tabs.isVisible()          # no "No tenders yet", no example button
        assert not w.register.isVisible() and not w.register.empty.isVisible()
        assert " has it open since " in page.holder.text() and str(path) in page.location.text()
        assert page.retry_button.isVisible() and page.other_button.isVisible()
        assert page.backup_button.isEnabled() and "made with Back up now, 1 tender" in page.backup_note.text()
        assert w.windowTitle() == "Database in use — svdesk"
        # Retry while it is still held: the screen stays and says so (no second dialog).
        errors = len(dialog_log.errors)
        qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
        assert page.isVisible() and page.checked.text().startswith("Still in use when tried again at")
        assert len(dialog_log.errors) == errors
    finally:
        owner.close()


def test_the_newest_backup_opens_read_only_and_clearly_marked(qtbot, held) -> None:  # type: ignore[no-untyped-def]
    path, _db = held
    w, owner = _start(qtbot, path)
    try:
        qtbot.mouseClick(w.in_use.backup_button, Qt.MouseButton.LeftButton)
        assert not w.in_use.isVisible() and w.tabs.isVisible()
        assert w.register.model.rowCount() == 1                      # the tenders, to look things up
        assert w.read_only_banner.isVisible() and "BACKUP" in w.read_only_banner.text()
        assert "read-only" in w.read_only_banner.text()
        assert w.windowTitle() == "Tenders (BACKUP, read-only) — svdesk"
        assert not w.new_action.isEnabled() and not w.register.new_button.isEnabled()
        assert w.read_only_banner.button.text() == "Open the database itself"
    finally:
        owner.close()


def test_retry_opens_it_once_the_other_copy_has_closed(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from ui import settings

    settings.save_setup(authority="", user="Kate Thomas", weights=(Decimal(40), Decimal(40), Decimal(20)), logo=None,
                        database=None)     # not a first run: Retry goes straight to the register
    path = tmp_path / "shared.sqlite3"
    other = api.connect(path)
    w, owner = _start(qtbot, path)
    try:
        assert w.in_use.isVisible()
        assert not w.in_use.backup_button.isEnabled()               # a new database: no backup yet, and it says so
        assert "no backup" in w.in_use.backup_note.text()
        other.close()
        qtbot.mouseClick(w.in_use.retry_button, Qt.MouseButton.LeftButton)
        assert owner.db is not None and not owner.db.read_only
        assert not w.in_use.isVisible() and w.tabs.isVisible() and not w.read_only_banner.isVisible()
        assert w.tabs.currentIndex() == 0 and w.register.new_button.isEnabled()
    finally:
        owner.close()


def test_open_another_database_from_the_in_use_screen(qtbot, held, tmp_path: Path,
                                                      dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    path, _db = held
    w, owner = _start(qtbot, path)
    try:
        dialog_log.files.append(str(tmp_path / "mine.sqlite3"))
        qtbot.mouseClick(w.in_use.other_button, Qt.MouseButton.LeftButton)
        assert owner.db is not None and owner.db.location == str(tmp_path / "mine.sqlite3")
        assert not w.in_use.isVisible() and w.register.isVisible()
    finally:
        owner.close()
