"""Issue 17: the Windows program started from Explorer (a tender file's "Open with", which runs
``svdesk import FILE`` with its console hidden) shows what it did, or its one-line error, in a message box;
and every window carries svdesk's icon."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ui.__main__ as entry
from svdesk.store import api
from tests.io.samples import DEMO
from tests.ui.conftest import DialogLog
from ui.icon import window_icon


def test_a_broken_tender_file_opened_from_explorer_shows_its_error_and_changes_nothing(
        qtbot, tmp_path: Path, dialog_log: DialogLog, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "svdesk.sqlite3"
    with api.open_database(db):
        pass
    broken = tmp_path / "Parks – Zoë's copy.svdesk.json"
    doc = json.loads(DEMO.read_text(encoding="utf-8"))
    doc["bids"][0]["price"] = "about a million"
    broken.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setattr(entry, "started_from_explorer", lambda: True)
    monkeypatch.setattr("sys.argv", ["svdesk.exe", "--db", str(db), "import", str(broken)])
    assert entry.main() == 2
    assert dialog_log.infos == [] and len(dialog_log.errors) == 1
    title, message = dialog_log.errors[0]
    assert title == "svdesk: that did not work"
    assert broken.name in message and "price" in message and "Traceback" not in message
    with api.open_database(db) as d:
        assert d.list_tenders() == []


def test_a_good_tender_file_opened_from_explorer_says_what_it_imported(
        qtbot, tmp_path: Path, dialog_log: DialogLog, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "svdesk.sqlite3"
    monkeypatch.setattr(entry, "started_from_explorer", lambda: True)
    monkeypatch.setattr("sys.argv", ["svdesk.exe", "--db", str(db), "import", str(DEMO)])
    assert entry.main() == 0
    assert dialog_log.errors == [] and dialog_log.infos[0][1].startswith("Created tender NET-2026-01")


def test_a_command_typed_in_a_terminal_prints_as_before(tmp_path: Path, dialog_log: DialogLog,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert not entry.started_from_explorer()          # not the frozen Windows program
    assert entry.run_command_in_a_message_box(["--version"]) == 0
    assert dialog_log.infos and "svdesk" in dialog_log.infos[0][1] and capsys.readouterr().out == ""


def test_every_window_has_the_svdesk_icon(qtbot) -> None:  # type: ignore[no-untyped-def]
    icon = window_icon()
    assert not icon.isNull() and icon.availableSizes()
