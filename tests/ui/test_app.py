"""Starting the application against the real store: first run, the in-use message, background work."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from tests.conftest import ROOT
from tests.ui.conftest import DialogLog
from ui import settings
from ui.app import Application
from ui.main_window import MainWindow

api = pytest.importorskip("svdesk.store.api")


def test_first_run_asks_setup_and_loads_the_examples(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     ) -> None:
    from ui.setup_dialog import SetupDialog

    def answer(self: SetupDialog) -> int:
        self.authority.setText("Ashbourne District Council")
        self.user.setText("Priya Shah")
        self._on_buttons_accepted()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(SetupDialog, "exec", answer)
    w = MainWindow()
    qtbot.addWidget(w)
    owner = Application(w, str(tmp_path / "first.sqlite3"))
    try:
        owner.start()
        assert settings.setup_done() and settings.authority_name() == "Ashbourne District Council"
        assert w.register.model.total() >= 2        # the example tenders
        assert owner.db is not None
        assert any(e.who == "Priya Shah" for e in owner.db.audit_entries())  # type: ignore[attr-defined]
    finally:
        owner.close()


def test_the_setup_answers_become_council_settings_that_can_be_changed_later(
        qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from ui.setup_dialog import SetupDialog

    def answer(self: SetupDialog) -> int:
        self.authority.setText("Ashbourne District Council")
        self.demo.setChecked(False)
        self._on_buttons_accepted()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(SetupDialog, "exec", answer)
    w = MainWindow()
    qtbot.addWidget(w)
    path = tmp_path / "first.sqlite3"
    owner = Application(w, str(path))
    try:
        owner.start()
        assert owner.db is not None
        council = owner.db.council_settings()
        assert council.name == "Ashbourne District Council" and council.default_weights == (40, 40, 20)
        assert settings.council().name == "Ashbourne District Council"
        owner.db.set_council_setting("council.name", "Ashbourne Borough Council", who="Priya Shah")
    finally:
        owner.close()
    with api.open_database(path) as db:       # the CLI and other officers see the change
        assert db.council_settings().name == "Ashbourne Borough Council"


def test_a_database_in_use_says_who_holds_it(qtbot, tmp_path: Path, dialog_log: DialogLog) -> None:
    path = tmp_path / "shared.sqlite3"
    with api.open_database(path):
        w = MainWindow()
        qtbot.addWidget(w)
        owner = Application(w, str(path))
        try:
            assert not owner.open()
            title, message = dialog_log.errors[-1]
            assert title == "The database is in use" and "in use by" in message and "Traceback" not in message
            assert owner.db is None
        finally:
            owner.close()


def test_background_backup_reports_back(qtbot, tmp_path: Path) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    owner = Application(w, str(tmp_path / "b.sqlite3"))
    try:
        assert owner.open()
        from ui.workers import run_task

        task = run_task(w, "Backing up", lambda p: owner.db.backup())  # type: ignore[union-attr]
        with qtbot.waitSignal(task.succeeded, timeout=20_000) as sig:
            pass
        assert Path(sig.args[0]).exists()
    finally:
        owner.close()


def test_cancel_stops_background_work(qtbot) -> None:  # type: ignore[no-untyped-def]
    import threading

    from ui.workers import run_task

    started = threading.Event()

    def slow(progress) -> None:  # type: ignore[no-untyped-def]
        started.set()
        while True:
            progress.report(50, "working")

    task = run_task(None, "Slow", slow)
    assert started.wait(5)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.progress.cancel()


def test_the_app_starts_and_quits_on_its_own(tmp_path: Path) -> None:
    """``svdesk`` with no arguments, offscreen, against a new database (the packaging smoke hook quits it)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SVDESK_HOME": str(tmp_path / "home"),
           "SVDESK_SMOKE_QUIT_AFTER_MS": "300"}
    db = tmp_path / "app.sqlite3"
    with api.open_database(db) as d:   # not empty, so no first-run dialog
        from svdesk.io.tender_file import read_tender_file

        d.create_tender(read_tender_file(ROOT / "resources" / "demo" / "network-tender.json"), who="t")
    p = subprocess.run([sys.executable, "-m", "ui", "--db", str(db)], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert "window shown" in p.stdout and "database opened" in p.stdout
    assert "Traceback" not in p.stderr
