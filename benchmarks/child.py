"""Measurements that need a process of their own (a fresh QApplication, their own peak memory).

    python -m benchmarks.child register DB      figure 3: open the register of DB and paint its first screen
    python -m benchmarks.child edit DB REF      figure 6: edits in the scoring grid, committed and repainted

Each prints one JSON object on stdout. Run offscreen, in a private SVDESK_HOME (benchmarks/run.py sees to it).
"""

from __future__ import annotations

import json
import statistics
import sys
import time


def register(db: str) -> dict[str, object]:
    """Window shown, then: the register's first screen painted, and the database fully open (idle)."""
    from PySide6.QtWidgets import QApplication

    from ui.app import Application
    from ui.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    first: list[float] = []
    rows: list[int] = []
    t0 = time.perf_counter()

    def shown(n: int) -> None:
        first.append(time.perf_counter() - t0)
        rows.append(n)

    owner = Application(window, db, shown)
    owner.start()
    opened = time.perf_counter() - t0
    app.processEvents()
    ok = owner.db is not None
    owner.close()
    return {"first_screen_s": first[0] if first else None, "rows": rows[0] if rows else 0, "open_s": opened,
            "database_opened": ok, "visible_rows": window.register.model.rowCount()}


def edit(db: str, reference: str, edits: int) -> dict[str, object]:
    """Open the tender in the main window, show its scoring grid, and time ``edits`` marks typed into it.

    Each edit goes through the real path: the grid's model ``setData`` → an undo command → the document →
    ``Database.save_tender`` (one transaction, COMMIT) → the change signals (every page of the workspace) → the
    work they leave for the event loop (including the grid's own repaint of what changed) → the edited cell
    painted once more, synchronously, so the timing never ends before the mark is on screen.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.app import Application
    from ui.main_window import MainWindow
    from ui.pages.scoring import ScoringPage

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    owner = Application(window, db)
    owner.start()
    assert owner.db is not None
    sync = owner.db._raw.execute("PRAGMA synchronous").fetchone()[0]  # type: ignore[attr-defined]
    journal = owner.db._raw.execute("PRAGMA journal_mode").fetchone()[0]  # type: ignore[attr-defined]
    ws = window.open_tender(reference)
    assert ws is not None
    window.show_page("scoring")
    app.processEvents()
    page = next(p for p in ws.findChildren(ScoringPage))
    view, model = page.marks, page.marks_model
    assert model.evaluator, "the scoring grid has no evaluator selected"
    times = []
    for i in range(edits):
        ix = model.index(i % model.rowCount(), (i * 7) % model.columnCount())
        old = model.data(ix, Qt.ItemDataRole.EditRole)
        new = "2" if old != "2" else "4"
        view.scrollTo(ix)
        app.processEvents()
        t0 = time.perf_counter()
        assert model.setData(ix, new, Qt.ItemDataRole.EditRole), f"edit {i} refused"
        app.processEvents()               # what the edit left for the event loop: layouts, the grid's update …
        view.viewport().repaint(view.visualRect(ix))   # … and the edited cell certainly painted
        times.append(time.perf_counter() - t0)
        assert model.data(ix, Qt.ItemDataRole.EditRole) == new
    app.processEvents()
    saved = owner.db.load_tender(reference)
    owner.close()
    return {"median_s": statistics.median(times), "max_s": max(times), "edits": edits, "synchronous": sync,
            "journal_mode": journal, "bids": len(saved.bids),
            "criteria": sum(1 for c in saved.criteria if c.is_assessed)}


def main(argv: list[str]) -> int:
    """Run one measurement and print its JSON."""
    if argv[0] == "register":
        out = register(argv[1])
    elif argv[0] == "edit":
        out = edit(argv[1], argv[2], int(argv[3]) if len(argv) > 3 else 50)
    else:
        raise SystemExit(f"unknown measurement {argv[0]!r}")
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
