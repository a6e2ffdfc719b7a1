"""Screenshots of an officer's first day (issue 14), step by step, at 1366 × 768 — the walk that
``tests/ui/test_first_day.py`` asserts — and, with ``--pages``, of every page of the demo database.

Run under Xvfb (the real X11 platform), e.g.::

    xvfb-run -a -s '-screen 0 1366x768x24' .venv/bin/python scripts/screenshots.py docs/screenshots/day
    xvfb-run -a -s '-screen 0 1280x800x24' .venv/bin/python scripts/screenshots.py docs/screenshots --pages

The day starts from a fresh database: set-up → a tender from a template → the checklist → two supplier
meetings → three bids → three evaluators → moderation → results → papers → undo, close, reopen. Keys and
clicks are real (QTest); only the modal dialogs are shown without blocking, filled in the same way, and shot.

Without a display it falls back to Qt's offscreen platform. Everything happens in a temporary svdesk folder
(``SVDESK_HOME``) with a fresh database holding the example tenders: no real profile is touched.

To check large fonts and high DPI (e.g. a laptop at 150% with a 14 pt system font)::

    QT_SCALE_FACTOR=1.5 xvfb-run -a -s '-screen 0 1920x1080x24' .venv/bin/python scripts/screenshots.py \
        /tmp/large --font-size 14

The window is made 1280 × 800 (or as much of that as the screen holds).
"""

from __future__ import annotations

import datetime
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Screenshots of every page, from the demo database.")
    parser.add_argument("out", nargs="?", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--font-size", type=float, help="the application font's size in points (large fonts)")
    parser.add_argument("--pages", action="store_true", help="every page of the demo database (not the day)")
    args = parser.parse_args(argv[1:])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="svdesk-shots-"))
    os.environ["SVDESK_HOME"] = str(home)
    os.environ.pop("SVDESK_DB", None)
    if not os.environ.get("DISPLAY") and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"

    from decimal import Decimal

    from PySide6.QtWidgets import QApplication

    from svdesk.store.api import open_database  # type: ignore[attr-defined]
    from ui import settings
    from ui.demo import import_demo

    app = QApplication(sys.argv[:1])
    if args.font_size:
        font = app.font()
        font.setPointSizeF(args.font_size)
        app.setFont(font)
    from ui.focus_ring import FocusRings

    FocusRings(app)
    if not args.pages:
        return first_day(app, out, home)
    settings.save_setup(authority="Ashbourne District Council", user="Priya Shah",
                        weights=(Decimal(40), Decimal(40), Decimal(20)), logo=None, database=None)
    from ui.main_window import MainWindow

    shots: list[Path] = []
    with open_database(home / "demo.sqlite3") as db:
        import_demo(db, "Priya Shah")
        w = MainWindow()
        room = app.primaryScreen().availableGeometry()
        w.resize(min(1280, room.width()), min(800, room.height()))
        w.show()
        w.set_database(db)

        def shot(name: str) -> None:
            for _ in range(3):
                app.processEvents()
            path = out / f"{name}.png"
            w.grab().save(str(path))
            shots.append(path)

        shot("01-register")
        net = w.open_tender("NET-2026-01")
        assert net is not None
        net.show_page("overview")
        shot("02-overview")
        net.show_page("evaluation")
        shot("03-evaluation-model")
        others = [s.reference for s in db.list_tenders() if s.reference != "NET-2026-01"]
        wifi = w.open_tender(others[0]) if others else None
        if wifi is not None:
            page = wifi.show_page("negotiation")
            shot("04-negotiation")
            page.set_meeting_mode(True)  # type: ignore[attr-defined]
            shot("05-negotiation-meeting-mode")
            page.set_meeting_mode(False)  # type: ignore[attr-defined]
        w.open_tender("NET-2026-01")
        net.show_page("bids")
        shot("06-bids")
        scoring = net.show_page("scoring")
        scoring.set_evaluator("JM")  # type: ignore[attr-defined]
        scoring.marks.setCurrentIndex(scoring.marks_model.cell_of("Dales Digital CIC", "sv1"))  # type: ignore[attr-defined]
        shot("07-scoring-evaluator")
        scoring.show_target({"mode": "moderate", "supplier": "Dales Digital CIC", "criterion": "sv1"})
        shot("08-scoring-moderation")
        net.show_page("results")
        shot("09-results")
        net.show_page("reports")
        shot("10-reports")

        # Importing bids from a spreadsheet: the preview shown before anything changes (a dialog of its own).
        from svdesk.io.bids_import import preview_bids_file
        from ui.files import BidsPreviewDialog

        sheet = home / "bids-from-the-portal.csv"
        sheet.write_text("Supplier,Price (£),Service delivery and migration score,"
                         "Service delivery and migration reason\n"
                         "Acme Networks Ltd,530000.00,5,Named migration lead and a tested rollback (section 3.2).\n"
                         "Harbour Fibre Ltd,600000,3,\n", encoding="utf-8")
        dialog = BidsPreviewDialog(preview_bids_file(net.doc.tender, sheet), w)
        dialog.show()
        for _ in range(3):
            app.processEvents()
        path = out / "11-import-bids-preview.png"
        dialog.grab().save(str(path))
        shots.append(path)
        dialog.close()
        _settings_and_in_use(app, w, db, home, out, shots)
        w.close()
    for p in shots:
        print(p)
    return 0


def _settings_and_in_use(app: object, w: object, db: object, home: Path, out: Path, shots: list[Path]) -> None:
    """Tools → Council settings…, Tools → Options…, and what a second copy shows while this one holds the
    database: the in-use screen, then the newest backup opened read-only (issue 14 items 3 and 5)."""
    from PySide6.QtWidgets import QApplication, QWidget

    from ui import dialogs
    from ui.app import Application
    from ui.main_window import MainWindow
    from ui.settings_dialog import SettingsDialog

    assert isinstance(app, QApplication) and isinstance(w, MainWindow)
    w.db.set_council_setting("council.name", "Ashbourne District Council", who="Priya Shah")  # type: ignore[union-attr]
    w.db.set_council_setting("council.address", "Town Hall\nMarket Place\nAshbourne DE6 1AB",  # type: ignore[union-attr]
                             who="Priya Shah")
    w.db.set_council_setting("panel.default", "KT, PS, JM", who="Priya Shah")  # type: ignore[union-attr]
    w.db.set_council_setting("ocds.prefix", "ocds-b5fd17", who="Priya Shah")  # type: ignore[union-attr]

    def grab(widget: QWidget, name: str) -> None:
        for _ in range(3):
            app.processEvents()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        shots.append(path)

    for personal, name in ((False, "council-settings"), (True, "options")):
        dlg = SettingsDialog(w.db, "Priya Shah", personal_only=personal, parent=w)
        dlg.show()
        grab(dlg, name)
        dlg.close()

    db.backup()  # type: ignore[attr-defined]
    dialogs.show_error = lambda *_a: None  # the in-use message box would wait for a click
    second = MainWindow()
    second.show()
    owner = Application(second, str(home / "demo.sqlite3"))
    owner.open()
    grab(second, "in-use")
    owner.open_backup()
    grab(second, "in-use-backup-read-only")
    owner.close()
    second.close()


def first_day(app: object, out: Path, home: Path) -> int:
    """Walk the officer's first day in the real window and shoot each step (see the module docstring)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

    from svdesk.domain.checklist import AskStatus
    from svdesk.domain.tender import TenderStatus
    from svdesk.store.api import open_database  # type: ignore[attr-defined]
    from ui import dialogs
    from ui.main_window import MainWindow
    from ui.new_tender import NewTenderDialog
    from ui.setup_dialog import SetupDialog

    assert isinstance(app, QApplication)
    ctrl = Qt.KeyboardModifier.ControlModifier
    shots: list[Path] = []
    answers: list[str] = []
    folder_for: list[Path] = []
    saved: list[tuple[str, str, Path]] = []
    # Modal dialogs would wait for a person: answer them as the officer would (and keep what was said).
    dialogs.confirm = lambda *_a, **_k: True  # type: ignore[assignment]
    dialogs.ask_text = lambda *_a, **_k: answers.pop(0) if answers else None  # type: ignore[assignment]
    dialogs.save_file = lambda *_a, **_k: str(folder_for.pop(0)) if folder_for else None  # type: ignore[assignment]
    dialogs.choose_folder = lambda *_a, **_k: str(folder_for.pop(0)) if folder_for else None  # type: ignore[assignment]
    dialogs.show_saved = lambda _p, title, msg, path: saved.append((title, msg, path))  # type: ignore[assignment]
    errors: list[str] = []
    dialogs.show_error = lambda _p, title, msg: errors.append(f"{title}: {msg}")  # type: ignore[assignment]

    def settle() -> None:
        for _ in range(4):
            app.processEvents()
        QTest.qWait(30)

    def front(widget: QWidget) -> None:
        # Keys go to the active window: make the one being used active (Xvfb has no window manager to do it).
        widget.activateWindow()
        widget.raise_()
        QTest.qWaitForWindowActive(widget, 2000)

    def grab(widget: QWidget, name: str) -> None:
        settle()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        shots.append(path)

    def typed(widget: QWidget, text: str, then: Qt.Key | None = Qt.Key.Key_Tab) -> None:
        widget.setFocus()
        settle()
        QTest.keyClick(widget, Qt.Key.Key_A, ctrl)
        QTest.keyClicks(widget, text)
        if then is not None:
            QTest.keyClick(widget, then)

    def ok(dlg: QWidget) -> None:
        box = dlg.findChild(QDialogButtonBox)
        assert box is not None
        QTest.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    db_path = home / "council.sqlite3"
    with open_database(db_path) as db:
        w = MainWindow()
        w.resize(1366, 768)
        w.show()
        w.set_database(db)
        # 1. set-up
        setup = SetupDialog(str(db_path), database_fixed=True, parent=w)
        setup.show()
        front(setup)
        typed(setup.authority, "Ashbourne District Council")
        typed(setup.user, "Priya Shah")
        if setup.demo.isChecked():
            QTest.mouseClick(setup.demo, Qt.MouseButton.LeftButton)
        grab(setup, "01-set-up")
        ok(setup)
        front(w)
        grab(w, "02-empty-register")
        # 2. a tender from the ICT template
        dlg = NewTenderDialog(set(), w)
        dlg.show()
        front(dlg)
        typed(dlg.reference, "NET-2027-01")
        typed(dlg.title, "Corporate network and broadband")
        typed(dlg.category, "ict")
        typed(dlg.annual, "200,000")
        grab(dlg, "03-new-tender-from-template")
        ok(dlg)
        assert dlg.result_tender is not None
        ws = w.create_tender(dlg.result_tender)
        assert ws is not None
        front(w)
        ws.show_page("evaluation")
        grab(w, "04-evaluation-from-template")
        # 3. three bids, prices typed into the table
        bids = ws.show_page("bids")
        prices = (("Acme Networks Ltd", "540000"), ("Dales Digital CIC", "585000"), ("Northern Telecom plc", "398000"))
        for n, (supplier, _p) in enumerate(prices):
            ids = {"email": f"bids{n}@example.org", "cdp_id": f"PABC-{n}23{n}-DEFG"}
            bids.add_bid(supplier, None, **ids)  # type: ignore[attr-defined]
        m = bids.model  # type: ignore[attr-defined]
        for supplier, amount in prices:
            row = bids.proxy.mapFromSource(m.index(m.row_of(supplier), 0)).row()  # type: ignore[attr-defined]
            bids.table.setFocus()  # type: ignore[attr-defined]
            bids.table.setCurrentIndex(bids.proxy.index(row, m.PRICE))  # type: ignore[attr-defined]
            QTest.keyClick(bids.table, Qt.Key.Key_F2)  # type: ignore[attr-defined]
            editor = QApplication.focusWidget()
            if editor is not None:
                QTest.keyClick(editor, Qt.Key.Key_A, ctrl)
                QTest.keyClicks(editor, amount)
                QTest.keyClick(editor, Qt.Key.Key_Return)
            settle()
        bids.table.selectRow(0)  # type: ignore[attr-defined]
        grab(w, "05-three-bids")
        # 4. the checklist
        ws.request_status(TenderStatus.NEGOTIATION)
        neg = ws.show_page("negotiation")
        QTest.mouseClick(neg.suggest, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        neg.table.selectRow(0)  # type: ignore[attr-defined]
        grab(w, "06-checklist")
        # 5. two supplier meetings
        for n, supplier in enumerate(("Dales Digital CIC", "Acme Networks Ltd")):
            neg.set_supplier(supplier)  # type: ignore[attr-defined]
            neg.table.selectRow(0)  # type: ignore[attr-defined]
            neg.set_meeting_mode(True)  # type: ignore[attr-defined]
            view = neg.meeting_view  # type: ignore[attr-defined]
            for st in (AskStatus.ASKED, AskStatus.AGREED):
                QTest.mouseClick(view.buttons[st], Qt.MouseButton.LeftButton)
            f = view.form
            typed(f.offer, f"Free connections for {4 + n} community centres and the library")
            typed(f.value, f"{6000 + 1000 * n}")
            typed(f.beneficiaries, "1200")
            f.delivered_by.setFocus()
            QTest.keyClick(f.delivered_by, Qt.Key.Key_Down)
            QTest.keyClicks(f.partner, "Peak Wireless Ltd")
            QTest.keyClick(f.partner, Qt.Key.Key_Return)
            typed(f.notes, "Ask for the list of sites by Friday", then=None)
            grab(w, f"{7 + n:02d}-meeting-{supplier.split()[0].lower()}")
            QTest.mouseClick(view.next, Qt.MouseButton.LeftButton)
            QTest.keyClick(view, Qt.Key.Key_Escape)
            QTest.mouseClick(neg.apply, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        neg.table.selectRow(0)  # type: ignore[attr-defined]
        grab(w, "09-after-the-meetings")
        # 6. three evaluators
        ws.request_status(TenderStatus.EVALUATION)
        from ui.commands import SetDetails  # the tender documents the summaries will name (reg. 31)

        ws.doc.push(SetDetails(ws.doc, {"notice_id": "ITT NET-2027-01 (1 Sept 2026)"}))
        scoring = ws.show_page("scoring")
        assessed = [c for c in ws.doc.tender.criteria if c.is_assessed]
        marks = {"Acme Networks Ltd": 3, "Dales Digital CIC": 5, "Northern Telecom plc": 2}
        panel = scoring.mark_panel  # type: ignore[attr-defined]
        for who, nudge in (("PS", 0), ("JM", 0), ("KT", -1)):
            answers.append(who)
            QTest.mouseClick(scoring._add_evaluator, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
            for supplier, mark in marks.items():
                for c in assessed:
                    ix = scoring.marks_model.cell_of(supplier, c.id)  # type: ignore[attr-defined]
                    scoring.marks.setCurrentIndex(ix)  # type: ignore[attr-defined]
                    typed(panel.mark, str(max(0, mark + (nudge if c.id == "q2" else 0))))
                    typed(panel.reason, f"{who}: see section {mark} of the bid", then=None)
                    QTest.keyClick(panel.reason, Qt.Key.Key_Return, ctrl)
        from svdesk.domain.panel import Declaration  # each member declares for this tender (Procurement Act s. 83)

        for who in ("PS", "JM", "KT"):
            scoring.panel.declare(who, Declaration(datetime.date.today()))  # type: ignore[attr-defined]
        grab(w, "10-three-evaluators")
        # 7. moderation
        QTest.mouseClick(scoring._moderate_mode, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        scoring.moderation.selectRow(0)  # type: ignore[attr-defined]
        agree = scoring.agree_panel  # type: ignore[attr-defined]
        mod = scoring.moderation_model  # type: ignore[attr-defined]
        for _ in range(mod.rowCount() - 1):
            x = mod.row(scoring._moderation_row())  # type: ignore[attr-defined]
            if not agree.mark.text():
                typed(agree.mark, str(marks[x.supplier]))
            typed(agree.reason, f"Agreed at moderation: {x.supplier}", then=None)
            QTest.keyClick(agree.reason, Qt.Key.Key_Return, ctrl)
        grab(w, "11-moderation")
        x = mod.row(scoring._moderation_row())  # type: ignore[attr-defined]
        typed(agree.reason, f"Agreed at moderation: {x.supplier}", then=None)
        QTest.keyClick(agree.reason, Qt.Key.Key_Return, ctrl)
        # 8. results
        ws.show_page("results")
        grab(w, "12-results")
        # 9. papers
        reports = ws.show_page("reports")
        reports.select("award")  # type: ignore[attr-defined]
        folder_for.append(home / "NET-2027-01-award.pdf")
        QTest.mouseClick(reports.save, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        for _ in range(600):
            if saved or errors:
                break
            QTest.qWait(50)
        if saved:
            title, message, path = saved[-1]
            box = dialogs.saved_box(w, title, message, path)
            box.show()
            grab(box, "13-paper-saved-open-folder")
            box.close()
        reports.select("assessment")  # type: ignore[attr-defined]
        folder_for.append(home / "summaries")
        QTest.mouseClick(reports.save_all, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
        for _ in range(600):
            if len(saved) >= 2 or errors:
                break
            QTest.qWait(50)
        grab(w, "14-every-bidders-summary")
        # 10. undo brings the change into view
        ws.show_page("overview")
        w.activateWindow()
        settle()
        w.undo_action.trigger()
        grab(w, "15-undo-brings-it-into-view")
        w.redo_action.trigger()
        w.close()
    # 11. close and reopen
    with open_database(db_path) as db:
        w2 = MainWindow()
        w2.resize(1366, 768)
        w2.show()
        w2.set_database(db)
        grab(w2, "16-reopened-register")
        ws2 = w2.open_tender("NET-2027-01")
        if ws2 is not None:
            ws2.show_page("overview")
        grab(w2, "17-reopened-overview")
        w2.close()
    for p in shots:
        print(p)
    for e in errors:
        print("error shown:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
