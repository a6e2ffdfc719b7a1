"""A three-member panel through the real window: members added before they mark, declarations, packs sent from
File → Send to evaluator…, each pack marked in its own marking window (no database), returns merged after the
preview, the panel's status and the guide. Real widgets and the real store."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from svdesk.domain import panel as P
from svdesk.io import packs
from tests.io.test_packs import panel_tender
from tests.ui.conftest import DialogLog
from ui.guide import guide
from ui.main_window import MainWindow
from ui.panel import AnswersDialog, DeclarationDialog, MarkingWindow, MergePreviewDialog, PackMarksModel, PanelModel

D = Decimal
REF = "PANEL-2026-01"


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    from svdesk.store import api

    with api.open_database(tmp_path / "panel.sqlite3") as db:
        db.create_tender(panel_tender(), who="Officer")
        w = MainWindow()
        qtbot.addWidget(w)
        w.show()
        w.set_database(db)  # type: ignore[arg-type]
        yield w


def stored(w: MainWindow) -> object:
    assert w.db is not None
    return w.db.load_tender(REF)


def test_a_three_member_panel_end_to_end(window: MainWindow, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                         dialog_log: DialogLog) -> None:
    w = window
    ws = w.open_tender(REF)
    assert ws is not None
    scoring = ws.show_page("scoring")
    box = scoring.panel  # type: ignore[attr-defined]

    # --- issue 14, major 1: evaluators added before marking stay (Scoring → Add evaluator…) -----------------
    dialog_log.texts += ["PS", "KT"]
    scoring._add_evaluator.click()  # type: ignore[attr-defined]
    scoring._add_evaluator.click()  # type: ignore[attr-defined]
    combo = scoring.evaluator  # type: ignore[attr-defined]
    assert [combo.itemText(i) for i in range(combo.count())] == ["PS", "KT", "JM"]
    assert combo.currentText() == "KT"
    dialog_log.texts += ["JM, Jo Mills"]
    box.add_button.click()                                    # JM, who already marked, joins the panel too
    assert [m.initials for m in stored(w).panel.members] == ["PS", "KT", "JM"]  # type: ignore[attr-defined]
    assert any(e.action == "Add PS to the evaluation panel" for e in w.db.audit_entries(REF))  # type: ignore[union-attr]

    # --- declarations, through the dialog's own widgets ------------------------------------------------------
    def fill(initials: str, conflict: bool) -> object:
        def answer(dlg: object) -> bool:
            assert isinstance(dlg, DeclarationDialog)
            dlg.on.setText("2026-12-01")
            if conflict:
                dlg.conflict.setChecked(True)
                dlg.details.setPlainText("Her partner is a director of Cobalt.")
                item = dlg.bidders.findItems("Cobalt Ltd", Qt.MatchFlag.MatchExactly)[0]
                item.setCheckState(Qt.CheckState.Checked)
                dlg.mitigation.setCurrentIndex(dlg.mitigation.findData("does_not_mark"))
            else:
                dlg.none.setChecked(True)
            dlg._on_box_accepted()
            return dlg.result() == 1
        return answer

    for row, (who, conflict) in enumerate((("PS", True), ("KT", False), ("JM", False))):
        box.table.selectRow(row)
        dialog_log.on_dialog = fill(who, conflict)
        box.declare_button.click()
    ps = stored(w).panel.member("PS")  # type: ignore[attr-defined]
    assert ps.declaration.bidders == ("Cobalt Ltd",) and ps.declaration.mitigation is P.Mitigation.DOES_NOT_MARK
    assert box.model.data(box.model.index(0, 2)) == "Conflict (Cobalt Ltd): mitigated"

    # --- the officer pastes in a bidder's answer (the evaluators read it in their packs) ----------------------
    def paste(dlg: object) -> bool:
        assert isinstance(dlg, AnswersDialog)
        dlg.supplier.setCurrentText("Cobalt Ltd")
        dlg.criterion.setCurrentIndex(dlg.criterion.findData("sv1"))
        assert dlg.text.toPlainText() == ""
        dlg.text.setPlainText("Apprentices from the town's college.")
        return True

    dialog_log.on_dialog = paste
    box.answers_button.click()
    assert stored(w).bid("Cobalt Ltd").responses == {"sv1": "Apprentices from the town's college."}  # type: ignore[attr-defined]

    # --- File → Send to evaluator… for each member -------------------------------------------------------
    box.table.clearSelection()
    paths = {}
    for i, who in enumerate(("PS", "KT", "JM")):
        paths[who] = tmp_path / f"{who}.svpack"
        dialog_log.picks.append(i)
        dialog_log.files.append(str(paths[who]))
        w.send_pack_action.trigger()
        assert paths[who].exists()
    assert [c for c in dialog_log.choices[-1]] == ["PS", "KT", "JM"]
    assert box.model.data(box.model.index(1, 4)) == "waiting"
    assert "Waiting for returns from PS, KT, JM" in box.status.text()
    g = guide(ws.doc.tender)
    assert "waiting for the evaluators' returns (PS, KT, JM)" in g.stands and g.step == 4

    # --- each member marks in their own window: no database, every mark saved at once ----------------------
    marks = {"PS": [("Acme Ltd", "q1", "4", "Clear plan"), ("Bramble CIC", "q1", "2", "Thin evidence")],
             "KT": [("Acme Ltd", "q1", "5", "Named engineers"), ("Cobalt Ltd", "sv1", "7", "Local apprentices")],
             "JM": [("Acme Ltd", "q1", "3", "Second look: migration thin")]}
    for who, rows in marks.items():
        mw = MarkingWindow(paths[who])
        qtbot.addWidget(mw)
        mw.show()
        assert mw.windowTitle().startswith(f"You are marking {REF} as {who}")
        assert PackMarksModel.rowCount(mw.model) == (2 if who == "PS" else 3)       # PS does not mark Cobalt
        mw.select("Acme Ltd", "q1")
        assert mw.answer.toPlainText().startswith("We migrate site by site")
        for supplier, cid, score, reason in rows:
            mw.select(supplier, cid)
            mw.score.clear()
            qtbot.keyClicks(mw.score, score)
            mw.reason.setPlainText(reason)
            qtbot.mouseClick(mw.save_button, Qt.MouseButton.LeftButton)
        assert packs.read_return(mw.return_path).marks[(rows[0][0], rows[0][1])][0] == D(rows[0][2])
        mw.select("Acme Ltd", "sv1")
        mw.score.setText("11")
        mw.save_button.click()
        assert "between 0 and 10" in mw.status.text()                              # refused, nothing saved
        assert ("Acme Ltd", "sv1") not in packs.read_return(mw.return_path).marks
        mw.close()
    again = MarkingWindow(paths["KT"])                                             # marks in progress come back
    qtbot.addWidget(again)
    assert again.marks[("Cobalt Ltd", "sv1")] == (D(7), "Local apprentices")
    assert "2 of 6 marks given" in again.status.text()

    # --- a tampered return is refused with one message; nothing changes -------------------------------------
    before = stored(w)
    ret_kt = tmp_path / "KT-return.svpack"
    doc = json.loads(ret_kt.read_text("utf-8"))
    doc["marks"][0][2] = "1"
    bad = tmp_path / "bad.svpack"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    dialog_log.files.append(str(bad))
    w.import_return_action.trigger()
    assert dialog_log.errors[-1][0] == "The return was not merged"
    assert "changed after svdesk wrote it" in dialog_log.errors[-1][1]
    assert stored(w) == before

    # --- File → Import evaluator's return…: the preview, then Merge ------------------------------------------
    seen: list[list[str]] = []

    def accept(dlg: object) -> bool:
        assert isinstance(dlg, MergePreviewDialog)
        seen.append([dlg.changes.item(i).text() for i in range(dlg.changes.count())])
        return True

    dialog_log.on_dialog = accept
    for who in ("PS", "KT", "JM"):
        dialog_log.files.append(str(tmp_path / f"{who}-return.svpack"))
        w.import_return_action.trigger()
    assert seen[0] == ["Acme Ltd / Service delivery: (no mark) → 4 “Clear plan”",
                       "Bramble CIC / Service delivery: (no mark) → 2 “Thin evidence”"]
    assert seen[2] == ["Acme Ltd / Service delivery: 2 “OTHER-MEMBER-REASON” → 3 “Second look: migration thin”"]
    t = stored(w)
    assert t.bid("Acme Ltd").evaluator_scores["q1"] == {"JM": D(3), "PS": D(4), "KT": D(5)}  # type: ignore[attr-defined]
    assert t.bid("Cobalt Ltd").evaluator_scores == {"sv1": {"KT": D(7)}}  # type: ignore[attr-defined]
    merges = [e for e in w.db.audit_entries(REF) if e.action.startswith("Merged")]  # type: ignore[union-attr]
    assert [e.who for e in merges] == ["PS", "KT", "JM"]
    assert packs.read_return(tmp_path / "KT-return.svpack").sha256 in merges[1].action
    assert box.model.data(box.model.index(0, 5)) == "2 of 4"
    assert box.model.data(box.model.index(1, 4)) not in ("waiting", "—")
    assert "no return is outstanding" in box.status.text()
    assert "waiting for the evaluators' returns" not in guide(ws.doc.tender).stands

    # undo takes the last merge back (the audit log keeps both)
    ws.doc.undo_stack.undo()
    assert stored(w).bid("Acme Ltd").evaluator_scores["q1"]["JM"] == D(2)  # type: ignore[attr-defined]


def test_going_on_without_every_return_is_recorded(window: MainWindow, tmp_path: Path,
                                                   dialog_log: DialogLog) -> None:
    ws = window.open_tender(REF)
    assert ws is not None
    box = ws.show_page("scoring").panel  # type: ignore[attr-defined]
    assert box.add_member("KT")
    box.table.selectRow(0)
    dialog_log.on_dialog = lambda dlg: (dlg.none.setChecked(True), True)[1]  # type: ignore[attr-defined]
    box.declare_button.click()
    box.send_pack("KT", tmp_path / "KT.svpack")
    assert "waiting for the evaluators' returns (KT)" in guide(ws.doc.tender).stands
    assert box.proceed_button.isVisibleTo(box)
    dialog_log.texts.append("KT is on leave; the moderation meeting cannot move")
    box.proceed_button.click()
    assert stored(window).panel.proceed_reason.startswith("KT is on leave")  # type: ignore[attr-defined]
    assert "waiting for the evaluators' returns" not in guide(ws.doc.tender).stands
    assert "Going on anyway: KT is on leave" in box.status.text()


def test_a_pack_for_an_unmitigated_conflict_is_refused_in_the_app(window: MainWindow, tmp_path: Path,
                                                                 dialog_log: DialogLog) -> None:
    ws = window.open_tender(REF)
    assert ws is not None
    box = ws.show_page("scoring").panel  # type: ignore[attr-defined]
    box.add_member("KT")
    box.declare("KT", P.Declaration(date(2026, 12, 1), True, "Was at Acme until May.", ("Acme Ltd",)))
    box.table.selectRow(0)
    dialog_log.files.append(str(tmp_path / "KT.svpack"))
    box.send_button.click()
    assert dialog_log.errors[-1][0] == "No pack was made"
    assert "not mitigated" in dialog_log.errors[-1][1]
    assert not (tmp_path / "KT.svpack").exists()
    assert box.model.data(box.model.index(0, 2)) == "Conflict: NOT MITIGATED"


def test_the_panel_models_pass_the_model_tester(window: MainWindow, qtmodeltester, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = window.open_tender(REF)
    assert ws is not None
    box = ws.show_page("scoring").panel  # type: ignore[attr-defined]
    box.add_member("KT")
    box.declare("KT", P.Declaration(date(2026, 12, 1)))
    box.send_pack("KT", tmp_path / "KT.svpack")
    qtmodeltester.check(PanelModel(ws.doc))
    qtmodeltester.check(PackMarksModel(packs.read_pack(tmp_path / "KT.svpack")))


def test_file_import_takes_a_return_into_the_open_tender(window: MainWindow, tmp_path: Path,
                                                         dialog_log: DialogLog) -> None:
    ws = window.open_tender(REF)
    assert ws is not None
    box = ws.show_page("scoring").panel  # type: ignore[attr-defined]
    box.add_member("KT")
    box.declare("KT", P.Declaration(date(2026, 12, 1)))
    box.send_pack("KT", tmp_path / "KT.svpack")
    pack = packs.read_pack(tmp_path / "KT.svpack")
    data, _ = packs.make_return(pack, {("Cobalt Ltd", "q1"): (D(4), "Sound")})
    (tmp_path / "KT-return.svpack").write_bytes(data)
    dialog_log.files.append(str(tmp_path / "KT-return.svpack"))
    dialog_log.on_dialog = lambda dlg: isinstance(dlg, MergePreviewDialog)
    window.import_action.trigger()
    assert stored(window).bid("Cobalt Ltd").evaluator_scores == {"q1": {"KT": D(4)}}  # type: ignore[attr-defined]


def test_the_executable_opens_a_pack_for_marking_without_a_database(monkeypatch: pytest.MonkeyPatch, qtbot,  # type: ignore[no-untyped-def]
                                                                    tmp_path: Path, _private_home: Path) -> None:
    import sys

    import ui.__main__ as entry
    import ui.panel

    t = P.declare(P.add_member(panel_tender(), "KT"), "KT", P.Declaration(date(2026, 12, 1)))
    data, _ = packs.make_pack(t, "KT", audit_head="")
    pack = tmp_path / "KT.svpack"
    pack.write_bytes(data)
    opened: list[str] = []
    monkeypatch.setattr(ui.panel, "run_marking", lambda path: opened.append(path) or 0)
    monkeypatch.setattr(sys, "argv", ["svdesk", str(pack)])
    assert entry.main() == 0 and opened == [str(pack)]
    mw = MarkingWindow(pack)
    qtbot.addWidget(mw)
    mw.set_mark("Acme Ltd", "q1", D(3), "Adequate")
    assert (tmp_path / "KT-return.svpack").exists()
    assert not list(_private_home.rglob("*.sqlite3"))            # nothing was set up: no database anywhere


def test_the_marking_grid_keeps_a_member_from_a_bidder_they_declared(window: MainWindow) -> None:
    ws = window.open_tender(REF)
    assert ws is not None
    scoring = ws.show_page("scoring")
    box = scoring.panel  # type: ignore[attr-defined]
    box.add_member("PS")
    box.declare("PS", P.Declaration(date(2026, 12, 1), True, "Partner at Cobalt", ("Cobalt Ltd",),
                                    P.Mitigation.DOES_NOT_MARK))
    model = scoring.marks_model  # type: ignore[attr-defined]
    scoring.set_evaluator("PS")  # type: ignore[attr-defined]
    cobalt, acme = model.cell_of("Cobalt Ltd", "q1"), model.cell_of("Acme Ltd", "q1")
    assert not model.flags(cobalt) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(acme) & Qt.ItemFlag.ItemIsEditable
    assert "PS declared a conflict of interest with Cobalt Ltd" in model.data(cobalt, Qt.ItemDataRole.ToolTipRole)
    assert not model.setData(cobalt, "4")                    # refused by the domain even if typed
    assert "PS" not in stored(window).bid("Cobalt Ltd").evaluator_scores.get("q1", {})  # type: ignore[attr-defined]


def test_svdesk_pack_shows_the_marking_window_and_quits_for_the_smoke_test(tmp_path: Path) -> None:
    """``svdesk PACK`` for real (a new process, no monkeypatching): run_marking shows the window and, with the
    packaging hook set, says what it marks and quits; the frozen build's smoke step reads these lines."""
    import os
    import subprocess
    import sys

    t = P.declare(P.add_member(panel_tender(), "KT"), "KT", P.Declaration(date(2026, 12, 1)))
    data, _ = packs.make_pack(t, "KT", audit_head="")
    pack = tmp_path / "Zoë – KT.svpack"
    pack.write_bytes(data)
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SVDESK_HOME": str(tmp_path / "home"),
           "SVDESK_SMOKE_QUIT_AFTER_MS": "100"}
    p = subprocess.run([sys.executable, "-m", "ui", str(pack)], capture_output=True, text=True, env=env,
                       cwd=root, timeout=60)
    assert p.returncode == 0, p.stderr
    said = [line for line in p.stdout.splitlines() if line.startswith("svdesk-smoke: ")]
    assert said == ["svdesk-smoke: marking window shown: You are marking PANEL-2026-01 as KT — svdesk",
                    "svdesk-smoke: marking 3 bids on 2 criteria, return file Zoë – KT-return.svpack"], p.stdout
    assert "Traceback" not in p.stderr
    assert not (tmp_path / "home").exists() or not list((tmp_path / "home").rglob("*.sqlite3"))  # no database
    bad = tmp_path / "cut.svpack"
    bad.write_bytes(data[: len(data) // 2])
    p = subprocess.run([sys.executable, "-m", "ui", str(bad)], capture_output=True, text=True, env=env,
                       cwd=root, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "svdesk-smoke: marking window shown" not in p.stdout
    assert "svdesk-smoke: the pack cannot be opened: " in p.stdout and "cut.svpack" in p.stdout  # names the file


def test_the_merge_preview_speaks_the_apps_language_and_shows_the_warnings(qtbot) -> None:  # type: ignore[no-untyped-def]
    change = packs.MarkChange("Acme Ltd", "q1", (None, None), (D(4), "Clear"), moderated=True)
    preview = packs.MergePreview("/home/officer/Downloads/KT-return.svpack", "PANEL-2026-01", "KT", "ab" * 32,
                                 (change,), 2, {"q1": "Service delivery"},
                                 ("This return was merged already, on 03 Dec 2026 06:35 UTC.",))
    dlg = MergePreviewDialog(preview)
    qtbot.addWidget(dlg)
    dlg.show()
    line = dlg.changes.item(0).text()
    assert line == "Acme Ltd / Service delivery: (no mark) → 4 “Clear”  (moderation began)"
    assert "--include" not in line and dlg.include_moderated.isVisible()
    assert dlg.warnings.isVisible() and "merged already" in dlg.warnings.text()


def test_the_marking_window_shows_the_scale_its_words_and_the_minimum_score(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    t = panel_tender()
    t = replace(t, criteria=tuple(replace(c, threshold=D(2)) if c.id == "sv1" else c for c in t.criteria))
    t = P.declare(P.add_member(t, "KT"), "KT", P.Declaration(date(2026, 12, 1)))
    pack = tmp_path / "KT.svpack"
    pack.write_bytes(packs.make_pack(t, "KT", audit_head="")[0])
    mw = MarkingWindow(pack)
    qtbot.addWidget(mw)
    col = [c.id for c in mw.pack.criteria].index("sv1")
    mw.table.setCurrentIndex(mw.model.index(0, col))
    shown = mw.criterion.text()
    assert "Social value approach (0 to 10)" in shown and "Minimum score: 2" in shown
    assert "10: 10 of 10" in shown                                     # the scale's preset, as the officer sees it
    assert mw.model.headerData(col, Qt.Orientation.Horizontal) == "Social value approach (0–10)"
