"""Start the desktop application: ``svdesk`` with no arguments calls :func:`run`.

The window paints first; the database (SQLAlchemy) is opened on the first pass of the event loop. On an empty
database the first run asks a few setup questions and loads the example tenders.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from svdesk.errors import SvdeskError
from ui import dialogs, settings
from ui.errors import install_excepthook, log
from ui.main_window import MainWindow
from ui.store_port import DatabaseLike, open_real_database


def demo_files() -> list[Path]:
    """The example tender files shipped with svdesk."""
    from svdesk.paths import resources_dir

    return sorted((resources_dir() / "demo").glob("*.json"))


def import_demo(db: DatabaseLike, who: str) -> int:
    """Add the example tenders that are not in the database yet; returns how many were added."""
    from svdesk.io.tender_file import read_tender_file

    have = {s.reference for s in db.list_tenders()}
    added = 0
    for path in demo_files():
        tender = read_tender_file(path)
        if tender.reference in have:
            continue
        db.create_tender(tender, who=who)
        added += 1
    return added


def _in_use(e: SvdeskError) -> bool:
    """Whether another copy of svdesk holds the database (the store's DatabaseInUseError)."""
    try:
        from svdesk.store.errors import DatabaseInUseError
    except ImportError:
        return "in use" in str(e).lower()
    return isinstance(e, DatabaseInUseError)


class Application:
    """Owns the database for the life of the window (the caller owns the session: STYLE.md rule 7)."""

    def __init__(self, window: MainWindow, db_path: str | None) -> None:
        self.window = window
        self.db_path = db_path
        self.stack = ExitStack()
        self.db: DatabaseLike | None = None

    def database_path(self) -> str | None:
        """``--db`` / ``SVDESK_DB`` first, then the place chosen in setup, else the store's default."""
        return self.db_path or settings.database_choice()

    def open(self, path: str | None = None, *, read_only: bool = False) -> bool:
        """Open the database and show it; plain-English dialogs for every failure."""
        target = path or self.database_path()
        try:
            db = self.stack.enter_context(open_real_database(target, read_only=read_only))
        except ImportError:
            log.exception("store not available")
            dialogs.show_error(self.window, "svdesk cannot open its database",
                               "This copy of svdesk is missing its storage part, so it cannot open any database. "
                               "Please reinstall svdesk.")
            return False
        except SvdeskError as e:
            if _in_use(e):
                # The store refuses a second copy even read-only (it cannot promise a consistent view while
                # another copy writes), so the message is all there is to say.
                dialogs.show_error(self.window, "The database is in use", str(e))
                return False
            dialogs.show_error(self.window, "The database could not be opened", str(e))
            return False
        self.db = db
        self.window.set_database(db)
        return True

    def start(self) -> None:
        """Open the database, run the first-run setup when needed, and reopen the last tenders."""
        if not self.open():
            self.window.register.count.setText("No database open")
            return
        db = self.db
        assert db is not None
        if not settings.setup_done() and not db.read_only and not db.list_tenders():
            self.first_run()
        else:
            reopen = settings.settings().value("window/open", [])
            for ref in reopen if isinstance(reopen, list) else [reopen] if reopen else []:
                if any(s.reference == ref for s in db.list_tenders(str(ref))):
                    self.window.open_tender(str(ref))
            self.window.tabs.setCurrentIndex(0)

    def first_run(self) -> None:
        """Ask the setup questions; load the example tenders if wanted."""
        from ui.setup_dialog import SetupDialog

        assert self.db is not None
        dlg = SetupDialog(self.db.location, database_fixed=bool(self.db_path or os.environ.get("SVDESK_DB")
                                                                or os.environ.get("SVDESK_DATABASE_URL")),
                          parent=self.window)
        if dlg.exec() != SetupDialog.DialogCode.Accepted:
            return
        chosen = dlg.database.text()
        if chosen and chosen != self.db.location:
            self.stack.close()
            self.stack = ExitStack()
            if not self.open(chosen):
                return
        if dlg.demo.isChecked() and self.db is not None:
            try:
                import_demo(self.db, settings.user_name())
            except SvdeskError as e:
                dialogs.show_error(self.window, "The example tenders were not loaded", str(e))
            self.window.refresh_register()

    def close(self) -> None:
        """Close the database."""
        self.stack.close()


def run(db_path: str | None) -> int:
    """Run the desktop application until its window closes; returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("svdesk")
    app.setOrganizationName("svdesk")
    app.setApplicationDisplayName("svdesk")
    install_excepthook()
    window = MainWindow()
    window.show()
    owner = Application(window, db_path)
    smoke_ms = os.environ.get("SVDESK_SMOKE_QUIT_AFTER_MS")
    if smoke_ms is not None:  # before owner.start: reports the window shown on the first pass of the loop
        QTimer.singleShot(0, lambda: _smoke_window_shown(app, window, int(smoke_ms)))
    QTimer.singleShot(0, owner.start)
    if smoke_ms is not None:  # after owner.start: reports whether the database opened
        QTimer.singleShot(0, lambda: _smoke_say("database opened" if owner.db is not None else "no database"))
    try:
        return int(app.exec())
    finally:
        window.save_layout()
        owner.close()


# --- smoke test and start-up benchmark hook (installers/smoke_test.py, installers/bench_startup.py) ---------------
# With SVDESK_SMOKE_QUIT_AFTER_MS=N the app prints "svdesk-smoke: window shown: TITLE" once the main window is shown
# and the event loop has run once, "svdesk-smoke: database opened" (or "no database") after the start-up work, and
# quits N ms after the window was shown, so run() returns 0.


def _smoke_say(line: str) -> None:
    sys.stdout.write(f"svdesk-smoke: {line}\n")
    sys.stdout.flush()


def _smoke_window_shown(app: QApplication, window: MainWindow, quit_after_ms: int) -> None:
    _smoke_say(f"window shown: {window.windowTitle()}")
    QTimer.singleShot(quit_after_ms, app.quit)
