"""Screenshots of every page of the desktop application, taken from the demo database.

Run under Xvfb (the real X11 platform), e.g.::

    xvfb-run -a -s '-screen 0 1280x800x24' .venv/bin/python scripts/screenshots.py docs/screenshots

Without a display it falls back to Qt's offscreen platform. Everything happens in a temporary svdesk folder
(``SVDESK_HOME``) with a fresh database holding the example tenders: no real profile is touched.

To check large fonts and high DPI (e.g. a laptop at 150% with a 14 pt system font)::

    QT_SCALE_FACTOR=1.5 xvfb-run -a -s '-screen 0 1920x1080x24' .venv/bin/python scripts/screenshots.py \
        /tmp/large --font-size 14

The window is made 1280 × 800 (or as much of that as the screen holds).
"""

from __future__ import annotations

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
        w.close()
    for p in shots:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
