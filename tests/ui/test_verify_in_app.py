"""Tools → Verify a printed paper… (issue 16): the same verdict as ``svdesk verify`` on a real database."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from svdesk.cli import main as cli
from svdesk.store import api
from tests.ui.conftest import DialogLog
from ui.main_window import MainWindow

REF = "NET-2026-01"


def _print_paper(db: Path, out: Path) -> None:
    assert cli.main(["--db", str(db), "demo"]) == 0
    assert cli.main(["--db", str(db), "report", REF, "--kind", "award", "--out", str(out)]) == 0


def test_a_paper_verifies_then_says_what_changed(qtbot, tmp_path: Path, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    path, paper = tmp_path / "svdesk.sqlite3", tmp_path / "award.pdf"
    _print_paper(path, paper)
    with api.open_database(path) as db:
        w = MainWindow()
        qtbot.addWidget(w)
        w.set_database(db)  # type: ignore[arg-type]
        assert w.verify_action.text() == "&Verify a printed paper…"
        dialog_log.files.append(str(paper))
        w.verify_action.trigger()                    # through the menu and the file dialog
        assert dialog_log.errors == [] and len(dialog_log.infos) == 1
        title, message = dialog_log.infos[0]
        assert title == "Verify a printed paper" and message.startswith("VERIFIED")
        t = db.load_tender(REF)
        db.save_tender(replace(t, title=t.title + " (renamed)"), previous=t, who="Mallory", action="edit")
        result = w.verify_file(paper)
        assert result is not None and result[0] is False
        assert result[1].startswith("CHANGED") and "Mallory" in result[1]
        assert dialog_log.errors[-1] == ("Verify a printed paper", result[1])


def test_a_file_that_is_not_an_svdesk_paper_gets_one_clear_message(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                    dialog_log: DialogLog) -> None:
    w = MainWindow()
    qtbot.addWidget(w)
    broken = tmp_path / "minutes.pdf"
    broken.write_bytes(b"%PDF-1.4\nnot really a pdf")
    assert w.verify_file(broken) is None
    assert len(dialog_log.errors) == 1 and "minutes.pdf" in dialog_log.errors[0][1]
    assert "Traceback" not in dialog_log.errors[0][1]
    missing = tmp_path / "gone.pdf"
    assert w.verify_file(missing) is None and "gone.pdf" in dialog_log.errors[1][1]


def test_without_a_database_it_says_to_open_one(qtbot, tmp_path: Path, dialog_log: DialogLog) -> None:  # type: ignore[no-untyped-def]
    paper = tmp_path / "award.pdf"
    _print_paper(tmp_path / "db.sqlite3", paper)
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.verify_file(paper) is None
    assert "Open a database first" in dialog_log.errors[0][1]
