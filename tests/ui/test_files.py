"""Files in and out through the window: bids from a spreadsheet (preview, one undoable step, every problem
listed), the bids template, a tender file or OCDS notice as a new tender, and export in every format."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from svdesk.domain.tender import Tender
from tests.ui.conftest import DEMO, DialogLog
from tests.ui.fake_store import FakeDatabase
from ui.files import BidsPreviewDialog, ExportDialog, ImportProblemsDialog, problems_of
from ui.main_window import MainWindow

D = Decimal
REF = "NET-2026-01"


@pytest.fixture
def window(qtbot, fake_db: FakeDatabase) -> MainWindow:  # type: ignore[no-untyped-def]
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_database(fake_db)
    return w


def _sheet(tmp_path: Path, text: str, name: str = "bids.csv") -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


GOOD = ("Supplier,Price (£),Service delivery and migration score,Service delivery and migration reason\n"
        "Acme Networks Ltd,530000.00,5,Migration plan now has a named lead (section 3.2).\n"
        "Harbour Fibre Ltd,600000,3,Sound but generic plan (section 2).\n")


def test_bids_import_previews_then_applies_as_one_undoable_step(qtbot, window: MainWindow, fake_db: FakeDatabase,
                                                                dialog_log: DialogLog, tmp_path: Path) -> None:
    ws = window.open_tender(REF)
    assert ws is not None
    before = ws.doc.tender
    dialog_log.files = [_sheet(tmp_path, GOOD)]
    dialog_log.answer = False                      # the officer looks at the preview and cancels
    window.import_bids()
    qtbot.waitUntil(lambda: bool(dialog_log.dialogs), timeout=10_000)
    dlg = dialog_log.dialogs[-1]
    assert isinstance(dlg, BidsPreviewDialog)
    lines = dlg.lines()
    assert "Changed: Acme Networks Ltd (row 2)" in lines
    assert "  Price: £540,000.00 → £530,000.00" in lines
    assert "  Price: — → £600,000.00" in lines                      # a new bid has no "before"
    assert "New bid: Harbour Fibre Ltd (row 3)" in lines
    assert dlg.ok.isEnabled() and "1 new bid" in dlg.summary.text()
    dlg.resize(900, 500)
    dlg.show()
    h = dlg.changes.header()                       # before and after both in view, sharing the width
    assert h.sectionViewportPosition(2) + h.sectionSize(2) <= dlg.changes.viewport().width()
    assert abs(h.sectionSize(1) - h.sectionSize(2)) <= 1
    dlg.close()
    assert fake_db.tenders[REF] == before and ws.doc.undo_stack.count() == 0   # nothing changed yet

    dialog_log.files = [_sheet(tmp_path, GOOD)]
    dialog_log.answer = True
    page = ws.page("bids")
    page.import_button.click()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: ws.doc.undo_stack.count() == 1, timeout=10_000)
    after = fake_db.tenders[REF]
    assert after.bid("Acme Networks Ltd").price == D("530000.00")
    assert after.bid("Harbour Fibre Ltd").scores["q1"] == D(3)
    assert window.undo_action.text() == "&Undo Import bids from bids.csv"
    window.undo_action.trigger()                   # the whole import goes in one step …
    assert fake_db.tenders[REF] == before and ws.doc.tender == before
    window.redo_action.trigger()                   # … and comes back in one
    assert fake_db.tenders[REF] == after
    assert page.model.rowCount() == len(after.bids)  # type: ignore[attr-defined]


def test_a_rejected_import_lists_every_problem_with_row_and_column(qtbot, window: MainWindow,
                                                                  fake_db: FakeDatabase, dialog_log: DialogLog,
                                                                  tmp_path: Path) -> None:
    ws = window.open_tender(REF)
    assert ws is not None
    before = fake_db.tenders[REF]
    bad = ("Supplier,Price (£),Service delivery and migration score\n"
           "Acme Networks Ltd,lots,4\n"
           "Dales Digital CIC,585000,9\n"
           ",1000,2\n")
    dialog_log.files = [_sheet(tmp_path, bad)]
    ws.page("bids").import_bids()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(dialog_log.dialogs), timeout=10_000)
    dlg = dialog_log.dialogs[-1]
    assert isinstance(dlg, ImportProblemsDialog)
    rows = [(p.row, p.column) for p in dlg.problems]
    assert ("2", "Price (£)") in rows and ("3", "Service delivery and migration score") in rows
    assert any(r == "4" and c == "Supplier" for r, c in rows)
    assert dlg.table.rowCount() == len(dlg.problems) == 3
    assert all(dlg.table.item(r, 2).text() for r in range(3))          # a reason on every line
    assert "3 problems" in dlg.intro.text() and "Nothing was changed" in dlg.intro.text()
    assert fake_db.tenders[REF] == before and ws.doc.undo_stack.count() == 0


def test_a_file_that_is_not_a_sheet_is_one_problem(tmp_path: Path) -> None:
    from svdesk.errors import FileFormatError

    got = problems_of(FileFormatError(str(tmp_path / "x.csv"), "", "is empty"))
    assert [(p.row, p.column, p.reason) for p in got] == [("", "", "is empty")]


def test_the_bids_template_round_trips(qtbot, window: MainWindow, dialog_log: DialogLog, tmp_path: Path) -> None:
    ws = window.open_tender(REF)
    assert ws is not None
    target = tmp_path / "template.xlsx"
    dialog_log.files = [str(target)]
    window.save_bids_template()
    assert target.exists() and target.stat().st_size > 0
    from svdesk.io.bids_import import preview_bids_file

    assert not preview_bids_file(ws.doc.tender, target).has_changes   # filled with what is recorded
    dialog_log.files = [str(target)]
    ws.page("bids").import_bids()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(dialog_log.infos), timeout=10_000)
    assert dialog_log.infos[-1][0] == "Nothing to import" and ws.doc.undo_stack.count() == 0


def test_import_a_tender_file_whose_reference_is_taken(qtbot, window: MainWindow, fake_db: FakeDatabase,
                                                       dialog_log: DialogLog) -> None:
    dialog_log.files = [str(DEMO / "network-tender.json")]
    dialog_log.texts = ["NET-2026-01-COPY"]
    window.import_tender()
    qtbot.waitUntil(lambda: "NET-2026-01-COPY" in fake_db.tenders, timeout=10_000)
    ws = window.current_workspace()
    assert ws is not None and ws.doc.reference == "NET-2026-01-COPY"
    assert window.register.model.total() == 2


def test_the_register_offers_import(qtbot, window: MainWindow, fake_db: FakeDatabase,
                                    dialog_log: DialogLog) -> None:
    reg = window.register
    assert reg.import_button.isEnabled()
    dialog_log.files = [str(DEMO / "parks-wifi-tender.json")]
    qtbot.mouseClick(reg.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "WIFI-2027-03" in fake_db.tenders, timeout=10_000)
    assert window.current_workspace() is not None and reg.model.total() == 2


def test_a_read_only_register_offers_no_import(qtbot, demo_tender: Tender) -> None:  # type: ignore[no-untyped-def]
    w = MainWindow()
    qtbot.addWidget(w)
    w.set_database(FakeDatabase([demo_tender], read_only=True))
    assert not w.register.import_button.isEnabled() and not w.import_action.isEnabled()
    assert not w.restore_action.isEnabled() and not w.delete_action.isEnabled()


def test_import_an_ocds_notice_as_a_draft(qtbot, window: MainWindow, fake_db: FakeDatabase,
                                          dialog_log: DialogLog, tmp_path: Path) -> None:
    notice = {"ocid": "ocds-b5fd17-roads-1", "id": "r1", "date": "2026-01-05T10:00:00Z", "tag": ["tender"],
              "initiationType": "tender",
              "parties": [{"id": "b1", "name": "Ashbourne District Council", "roles": ["buyer"]}],
              "buyer": {"id": "b1"},
              "tender": {"id": "T1", "title": "Roads &amp; bridges",
                         "value": {"amount": 100000, "currency": "GBP"}}}
    path = tmp_path / "notice.json"
    path.write_text(json.dumps(notice), encoding="utf-8")
    dialog_log.files = [str(path)]
    window.import_action.trigger()
    qtbot.waitUntil(lambda: bool(dialog_log.infos), timeout=10_000)
    made = [t for r, t in fake_db.tenders.items() if r != REF]
    assert len(made) == 1 and made[0].title == "Roads & bridges" and made[0].status.value == "draft"
    title, text = dialog_log.infos[-1]
    assert title == "Tender imported" and "It is a draft" in text and "HTML entities" in text


def test_a_spreadsheet_is_not_a_tender(qtbot, window: MainWindow, fake_db: FakeDatabase, dialog_log: DialogLog,
                                       tmp_path: Path) -> None:
    dialog_log.files = [_sheet(tmp_path, GOOD)]
    window.import_tender()
    qtbot.waitUntil(lambda: bool(dialog_log.errors), timeout=10_000)
    assert "import bids into an open tender" in dialog_log.errors[-1][1] and len(fake_db.tenders) == 1


@pytest.mark.parametrize(("fmt", "table", "check"), [
    ("json", "results", lambda p: json.loads(p.read_text())["format"] == "svdesk-tender/1"),
    ("csv", "scores", lambda p: "Acme Networks Ltd" in p.read_text(encoding="utf-8-sig")),
    ("xlsx", "results", lambda p: p.read_bytes()[:2] == b"PK"),
    ("ocds", "results", lambda p: json.loads(p.read_text())["releases"][0]["tag"] == ["award"]),
])
def test_export_in_each_format(qtbot, window: MainWindow, dialog_log: DialogLog, tmp_path: Path, fmt: str,
                               table: str, check) -> None:  # type: ignore[no-untyped-def]
    window.open_tender(REF)
    target = tmp_path / f"out.{fmt}"

    def answer(dlg: object) -> bool:
        assert isinstance(dlg, ExportDialog)
        dlg.choose(fmt, table)
        return True

    dialog_log.on_dialog = answer
    dialog_log.files = [str(target)]
    task = window.export_tender()
    assert task is not None
    qtbot.waitUntil(lambda: target.exists() and window.statusBar().currentMessage().startswith("Exported"),
                    timeout=10_000)
    assert check(target)
    assert not dialog_log.errors


def test_export_dialog_offers_what_each_format_needs(qtbot, demo_tender: Tender) -> None:
    dlg = ExportDialog(demo_tender)
    qtbot.addWidget(dlg)
    assert dlg.options().fmt == "json" and dlg.private.isEnabled() and not dlg.table.isEnabled()
    dlg.choose("csv", "commitments")
    assert dlg.table.isEnabled() and not dlg.private.isEnabled()
    choice = dlg.options()
    assert (choice.fmt, choice.table) == ("csv", "commitments")
    assert choice.default_name(REF) == "NET-2026-01-commitments.csv" and "*.csv" in choice.filter()


def test_an_ocds_export_from_the_app_keeps_its_ocid_and_party_ids(qtbot, window: MainWindow, fake_db,  # type: ignore[no-untyped-def]
                                                                  dialog_log: DialogLog, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from svdesk.domain.council import CouncilSettings
    from ui import settings

    settings.set_council(CouncilSettings.from_stored({"ocds.prefix": "ocds-abc123"}))
    window.open_tender(REF)
    assert fake_db.load_tender(REF).publication.ocid == ""

    def export(target: Path) -> dict:  # type: ignore[type-arg]
        dialog_log.on_dialog = lambda dlg: dlg.choose("ocds", "results") or True
        dialog_log.files = [str(target)]
        assert window.export_tender() is not None
        qtbot.waitUntil(lambda: target.exists() and window.statusBar().currentMessage().startswith("Exported"),
                        timeout=10_000)
        return json.loads(target.read_text())  # type: ignore[no-any-return]

    first = export(tmp_path / "first.json")
    stored = fake_db.load_tender(REF).publication
    assert stored.ocid == first["releases"][0]["ocid"] and stored.ocid.startswith("ocds-abc123-")
    assert set(stored.party_ids) == {b.supplier for b in fake_db.load_tender(REF).bids}
    assert any("Record the published ocid" in e.action for e in fake_db.audit)
    settings.set_council(CouncilSettings.from_stored({"ocds.prefix": "ocds-zzz999"}))   # a later prefix change
    second = export(tmp_path / "second.json")
    assert second["releases"][0]["ocid"] == first["releases"][0]["ocid"]              # published once, for ever
    ids = lambda doc: sorted(p["id"] for p in doc["releases"][0]["parties"])  # noqa: E731
    assert ids(second) == ids(first)
    assert not window.current_workspace().doc.undo_stack.canUndo()        # not an edit the officer can undo
