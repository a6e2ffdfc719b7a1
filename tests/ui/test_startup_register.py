"""Start-up: the register is painted from a first look at the file, then the database is opened properly.

Nothing can be opened or changed from the first look: the proper open (lock, quick_check, migrations) runs in
the same slot, before any input is handled, and a failure there takes the first look's rows away again.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from svdesk.errors import SvdeskError
from tests.conftest import ROOT
from tests.ui.conftest import DialogLog
from ui.app import Application
from ui.main_window import MainWindow

api = pytest.importorskip("svdesk.store.api")


def _database(tmp_path: Path) -> Path:
    from svdesk.io.tender_file import read_tender_file

    path = tmp_path / "register.sqlite3"
    with api.open_database(path) as db:
        for name in ("network-tender.json", "parks-wifi-tender.json"):
            db.create_tender(read_tender_file(ROOT / "resources" / "demo" / name), who="Test Officer")
    return path


def test_the_register_is_shown_before_the_database_is_open(qtbot, tmp_path: Path) -> None:
    path = _database(tmp_path)
    w = MainWindow()
    qtbot.addWidget(w)
    seen: list[tuple[int, bool, int]] = []
    owner = Application(w, str(path), lambda n: seen.append((n, owner.db is None, w.register.model.rowCount())))
    try:
        owner.start()
        assert seen == [(2, True, 2)]          # painted from the first look, before the store had opened it
        assert owner.db is not None and w.db is owner.db
        assert [w.register.model.summary(i).reference for i in range(2)] == sorted(
            s.reference for s in owner.db.list_tenders())
    finally:
        owner.close()


def test_a_failed_open_takes_the_first_look_away(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                dialog_log: DialogLog) -> None:
    import ui.app

    path = _database(tmp_path)

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise SvdeskError("the file failed its check")

    monkeypatch.setattr(ui.app, "open_real_database", refuse)
    w = MainWindow()
    qtbot.addWidget(w)
    shown: list[int] = []
    owner = Application(w, str(path), shown.append)
    try:
        owner.start()
        assert shown == [2]
        assert owner.db is None and w.register.model.rowCount() == 0
        assert w.register.count.text() == "No database open"
        assert dialog_log.errors == [("The database could not be opened", "the file failed its check")]
    finally:
        owner.close()


def test_the_smoke_hook_reports_the_register(tmp_path: Path) -> None:
    path = _database(tmp_path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SVDESK_HOME": str(tmp_path / "home"),
           "SVDESK_SMOKE_QUIT_AFTER_MS": "0"}
    p = subprocess.run([sys.executable, "-m", "ui", "--db", str(path)], capture_output=True, text=True,
                       env=env, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    lines = [line for line in p.stdout.splitlines() if line.startswith("svdesk-smoke: ")]
    assert [line.split(":")[1].strip() for line in lines][:3] == [
        "window shown", "register populated 2 rows", "database opened"]
