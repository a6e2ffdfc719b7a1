"""Start the desktop application: ``svdesk`` with no arguments calls :func:`run`.

The window paints first. On the first pass of the event loop the register is filled from a read-only first look
at the database file (:func:`svdesk.store.register.peek_register`, standard library only, a few milliseconds),
painted, and only then is the database opened properly (SQLAlchemy, the exclusive lock, ``quick_check``,
migrations: about half a second), before any input is handled, so nothing can be opened or changed from the
first look. On an empty database the first run asks a few setup questions and loads the example tenders.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QTimer, Slot
from PySide6.QtWidgets import QApplication

from svdesk.errors import SvdeskError
from ui import dialogs, settings, smoke
from ui.demo import import_demo
from ui.errors import install_excepthook, log
from ui.main_window import MainWindow, backup_text
from ui.store_port import BackupLike, DatabaseLike, open_real_database


def _in_use(e: SvdeskError) -> bool:
    """Whether another copy of svdesk holds the database (the store's DatabaseInUseError)."""
    try:
        from svdesk.store.errors import DatabaseInUseError
    except ImportError:
        return "in use" in str(e).lower()
    return isinstance(e, DatabaseInUseError)


def _default_location() -> str:
    from svdesk import paths

    return str(paths.default_database())


class Application:
    """Owns the database for the life of the window (the caller owns the session: STYLE.md rule 7).

    ``on_register_shown(n)`` is called once, when the register's first screen (``n`` tenders) has been painted:
    the start-up benchmark and the smoke test use it.
    """

    def __init__(self, window: MainWindow, db_path: str | None,
                 on_register_shown: Callable[[int], None] | None = None) -> None:
        self.window = window
        self.db_path = db_path
        self.stack = ExitStack()
        self.db: DatabaseLike | None = None
        self.on_register_shown = on_register_shown
        self._register_reported = False
        #: The database last asked for (the in-use screen's Retry tries it again).
        self.target: str | None = None
        #: The newest backup of a database in use (opened read-only from the in-use screen).
        self.backup: BackupLike | None = None
        window.in_use.retry_requested.connect(self.retry)
        window.in_use.other_requested.connect(self.open_other)
        window.in_use.backup_requested.connect(self.open_backup)
        window.read_only_banner.clicked.connect(self.retry)

    def database_path(self) -> str | None:
        """``--db`` / ``SVDESK_DB`` first, then the place chosen in setup, else the store's default."""
        return self.db_path or settings.database_choice()

    def open(self, path: str | None = None, *, read_only: bool = False, quiet: bool = False) -> bool:
        """Open the database and show it; plain-English dialogs for every failure, and the in-use screen when
        another copy holds it (``quiet``: update that screen without the dialog, for Retry)."""
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
                # another copy writes): the in-use screen says who and offers the ways on.
                if not quiet:
                    dialogs.show_error(self.window, "The database is in use", str(e))
                self._show_in_use(e, target)
                return False
            dialogs.show_error(self.window, "The database could not be opened", str(e))
            return False
        self.target = target
        self.db = db
        self.window.set_database(db)
        return True

    def _show_in_use(self, e: SvdeskError, target: str | None) -> None:
        from ui.store_port import newest_backup

        self.target = target
        self.backup = newest_backup(target)
        self.window.show_in_use(user=str(getattr(e, "user", "") or ""), host=str(getattr(e, "host", "") or ""),
                                since=getattr(e, "since", None), location=str(target or _default_location()),
                                backup=backup_text(self.backup) if self.backup is not None else None,
                                message=str(e))

    def _close_current(self) -> None:
        self.window.set_database(None)
        self.stack.close()
        self.stack = ExitStack()
        self.db = None

    @Slot()
    def retry(self) -> bool:
        """Try the database again (from the in-use screen, or from a backup being looked at)."""
        if self.db is not None:
            self._close_current()
        if self.open(self.target, quiet=True):
            self.carry_on()
            return True
        self.window.in_use.tried_again()
        return False

    @Slot()
    def open_other(self) -> bool:
        """Choose another database file and open it (for this session; setup's choice is unchanged)."""
        path = dialogs.open_file(self.window, "Open another database", str(Path.home()),
                                 "svdesk database (*.sqlite3 *.db);;All files (*)")
        if not path:
            return False
        if self.db is not None:
            self._close_current()
        return self.open(path)

    @Slot()
    def open_backup(self) -> bool:
        """Open the newest backup of the database in use, read-only and clearly marked, to look things up."""
        backup = self.backup
        if backup is None:
            return False
        try:
            db = self.stack.enter_context(open_real_database(str(backup.path), read_only=True))
        except SvdeskError as e:
            dialogs.show_error(self.window, "The backup could not be opened", str(e))
            return False
        self.db = db
        self.window.set_database(db, backup_of=f"made {backup_text(backup)}")
        self.window.tabs.setCurrentIndex(0)
        return True

    def peek(self) -> bool:
        """Show the register at once from a read-only first look at the file, while the store loads.

        The look declines (returns False) whenever it could differ from what the proper open shows: the file is
        in use or was not closed cleanly, is on a network drive or a server, or has another schema version.
        """
        from svdesk.store.register import peek_register

        rows = peek_register(self.database_path())
        if rows is None:
            return False
        self.window.register.model.show_rows(rows)
        self._register_shown()
        return True

    def _register_shown(self) -> None:
        """Paint the register now (the proper open keeps the event loop busy) and say so, once."""
        if self._register_reported:
            return
        self._register_reported = True
        self.window.repaint()
        if self.on_register_shown is not None:
            self.on_register_shown(self.window.register.model.total())

    def start(self) -> None:
        """Show the register, open the database, run the first-run setup when needed, reopen the last tenders."""
        self.peek()
        if not self.open():
            self.window.register.model.set_database(None)   # the first look's rows go: nothing is open
            self.window.register.count.setText("No database open")
            return
        self._register_shown()
        self.carry_on()

    def carry_on(self) -> None:
        """Once the database is open (at start, or after Retry on the in-use screen): the first-run setup
        when needed, else reopen the tenders that were open last time."""
        db = self.db
        assert db is not None
        if not settings.setup_done() and not db.read_only and not db.list_tenders():
            self.first_run()
        else:
            reopen = settings.settings().value("window/open", []) if settings.reopen_tenders() else []
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
        self._store_setup_answers(dlg.authority.text(), dlg.chosen_weights())
        if dlg.demo.isChecked() and self.db is not None:
            try:
                import_demo(self.db, settings.user_name())
            except SvdeskError as e:
                dialogs.show_error(self.window, "The example tenders were not loaded", str(e))
            self.window.refresh_register()

    def _store_setup_answers(self, authority: str, weights: tuple[Decimal, Decimal, Decimal]) -> None:
        """The council's name and default weights from setup go into the database's council settings (where
        Tools → Council settings… changes them later), unless they are set there already."""
        db = self.db
        if db is None or db.read_only:
            return
        try:
            council = db.council_settings()
            if authority.strip() and not council.name:
                db.set_council_setting("council.name", authority, who=settings.user_name())
            if council.default_weights is None:
                db.set_council_setting("weights.default", ",".join(str(w) for w in weights), who=settings.user_name())
        except SvdeskError as e:
            dialogs.show_error(self.window, "The council's settings were not saved", str(e))
        self.window.reload_council()

    def close(self) -> None:
        """Close the database."""
        self.stack.close()


def run(db_path: str | None) -> int:
    """Run the desktop application until its window closes; returns the exit status."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    from ui.icon import window_icon

    app.setWindowIcon(window_icon())     # every window and dialog, and the taskbar button
    app.setApplicationName("svdesk")
    app.setOrganizationName("svdesk")
    app.setApplicationDisplayName("svdesk")
    install_excepthook()
    from ui.focus_ring import FocusRings

    FocusRings(app)   # a visible keyboard-focus outline in every window and dialog
    window = MainWindow()
    window.show()
    smoke_ms = smoke.quit_after_ms()
    owner = Application(window, db_path, None if smoke_ms is None else
                        lambda n: smoke.say(f"register populated {n} row{'s' if n != 1 else ''}"))
    shown_at: list[float] = []
    if smoke_ms is not None:  # before owner.start: reports the window shown on the first pass of the loop
        QTimer.singleShot(0, lambda: _smoke_window_shown(window, shown_at))

    def start() -> None:
        owner.start()
        if smoke_ms is not None:  # after the start-up work: whether the database opened, then quit
            smoke.say("database opened" if owner.db is not None else "no database")
            waited = int((time.monotonic() - shown_at[0]) * 1000) if shown_at else 0
            QTimer.singleShot(max(0, smoke_ms - waited), app.quit)

    _when_exposed(window, start)
    try:
        return int(app.exec())
    finally:
        window.save_layout()
        owner.close()


# --- the smoke test and start-up benchmark hook: ui/smoke.py ------------------------------------------------------


def _when_exposed(window: MainWindow, then: Callable[[], None], tries: int = 50) -> None:
    """Call ``then`` once the window is on screen and painted (at most 0.5 s later if the system never says so).

    The start-up work keeps the event loop busy; on a real display the window is mapped a little after
    ``show()``, so starting at the first pass of the loop could leave the officer looking at nothing.
    """
    handle = window.windowHandle()
    if tries <= 0 or (handle is not None and handle.isExposed()):
        QTimer.singleShot(0, then)      # one more pass of the loop: the first paint lands before the work
        return
    QTimer.singleShot(10, lambda: _when_exposed(window, then, tries - 1))


def _smoke_window_shown(window: MainWindow, shown_at: list[float]) -> None:
    smoke.say(f"window shown: {window.windowTitle()}")
    shown_at.append(time.monotonic())
