"""The main window: the tender register, a workspace per open tender, menus, shortcuts and autosave status.

It is shown before the database is opened (SQLAlchemy takes a while to import), so the window paints at once;
:meth:`MainWindow.set_database` then fills the register.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QTime, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from svdesk import __version__
from svdesk.domain.tender import Tender
from svdesk.errors import SvdeskError
from ui import dialogs, settings
from ui.document import TenderDocument
from ui.guide import PAGE_TITLES, PAGES
from ui.register import RegisterPage
from ui.store_port import DatabaseLike
from ui.widgets import Banner
from ui.workers import Progress, run_task
from ui.workspace import TenderWorkspace

APP_TITLE = "svdesk"


class MainWindow(QMainWindow):
    """The register and the open tenders, one tab each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_TITLE} — opening…")
        self.setObjectName("MainWindow")
        self.db: DatabaseLike | None = None
        self.workspaces: dict[str, TenderWorkspace] = {}
        self.undo_group = QUndoGroup(self)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.read_only_banner = Banner(
            "This database is open read-only: you can look at everything, but nothing can be changed.", "warn")
        self.read_only_banner.hide()
        layout.addWidget(self.read_only_banner)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(False)
        self.tabs.setAccessibleName("Open tenders")
        self.register = RegisterPage()
        self.tabs.addTab(self.register, "Tenders")
        bar = self.tabs.tabBar()
        for side in (bar.ButtonPosition.RightSide, bar.ButtonPosition.LeftSide):
            button = bar.tabButton(0, side)
            if button is not None:
                button.resize(0, 0)
                button.hide()
        self.tabs.tabCloseRequested.connect(self._on_tabs_tab_close_requested)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.register.open_requested.connect(self.open_tender)
        self.register.new_requested.connect(self.new_tender)
        self.register.demo_requested.connect(self.load_demo)
        self.register.model.set_database(None)
        self.register.count.setText("Opening the database…")

        self.saved_label = QLabel()
        self.saved_label.setAccessibleName("Save status")
        self.statusBar().addPermanentWidget(self.saved_label)
        self._build_menus()
        self._restore_layout()
        self._update_title()

    # --- menus and shortcuts ----------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], Any],
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setStatusTip(tip)
        a.triggered.connect(lambda _checked=False: slot())
        return a

    def _build_menus(self) -> None:
        m = self.menuBar()
        file = m.addMenu("&File")
        self.new_action = self._action("&New tender…", self.new_tender, QKeySequence.StandardKey.New,
                                       "Create a tender")
        file.addAction(self.new_action)
        file.addAction(self._action("&Import tender file…", self.import_tender, "Ctrl+I",
                                    "Add a tender from a svdesk tender file (.json)"))
        self.export_action = self._action("&Export tender file…", self.export_tender, "Ctrl+E",
                                          "Save the open tender as a svdesk tender file")
        file.addAction(self.export_action)
        file.addSeparator()
        self.print_action = self._action("&Print…", self.print_current, QKeySequence.StandardKey.Print,
                                         "Print the award papers")
        file.addAction(self.print_action)
        file.addSeparator()
        file.addAction(self._action("&Back up now", self.backup_now, None, "Make a verified copy of the database"))
        file.addSeparator()
        self.close_action = self._action("&Close tender", self.close_current, QKeySequence.StandardKey.Close)
        file.addAction(self.close_action)
        file.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        edit = m.addMenu("&Edit")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Y")])
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        self.find_action = self._action("&Find tender", self.focus_search, QKeySequence.StandardKey.Find,
                                        "Search the register")
        edit.addAction(self.find_action)

        go = m.addMenu("&Go")
        go.addAction(self._action("Tender &register", lambda: self.tabs.setCurrentIndex(0), "Ctrl+0"))
        self.page_actions: list[QAction] = []
        for i, key in enumerate(PAGES):
            a = self._action(f"&{i + 1} {PAGE_TITLES[key]}", lambda k=key: self.show_page(k), f"Ctrl+{i + 1}")
            go.addAction(a)
            self.page_actions.append(a)
        go.addSeparator()
        go.addAction(self._action("Next tab", lambda: self._cycle_tab(1), "Ctrl+Tab"))
        go.addAction(self._action("Previous tab", lambda: self._cycle_tab(-1), "Ctrl+Shift+Tab"))

        help_menu = m.addMenu("&Help")
        help_menu.addAction(self._action("&About svdesk", self.show_about, None))

    def _cycle_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    # --- the database -----------------------------------------------------------------------------------

    def set_database(self, db: DatabaseLike | None) -> None:
        """Show this database's tenders."""
        self.db = db
        read_only = bool(db is not None and db.read_only)
        self.read_only_banner.setVisible(read_only)
        self.new_action.setEnabled(not read_only)
        self.register.new_button.setEnabled(not read_only)
        self.register.model.set_database(db)
        self.saved_label.setText(f"Database: {db.location}" if db is not None else "")
        self._update_title()

    def refresh_register(self) -> None:
        """Re-run the register's query (after a change)."""
        if self.db is not None:
            self.register.apply_filter()

    def who(self) -> str:
        """The name written in the audit log."""
        return settings.user_name()

    # --- tenders ----------------------------------------------------------------------------------------

    def current_workspace(self) -> TenderWorkspace | None:
        """The workspace in view (``None`` on the register)."""
        w = self.tabs.currentWidget()
        return w if isinstance(w, TenderWorkspace) else None

    @Slot(str)
    def open_tender(self, reference: str) -> TenderWorkspace | None:
        """Open a tender in its own tab (or switch to it)."""
        if reference in self.workspaces:
            self.tabs.setCurrentWidget(self.workspaces[reference])
            return self.workspaces[reference]
        if self.db is None:
            return None
        try:
            tender = self.db.load_tender(reference)
        except SvdeskError as e:
            dialogs.show_error(self, "The tender could not be opened", str(e))
            return None
        doc = TenderDocument(self.db, tender, self.who(), self)
        ws = TenderWorkspace(doc)
        self.workspaces[reference] = ws
        self.undo_group.addStack(doc.undo_stack)
        doc.saved.connect(self._on_doc_saved)
        doc.reloaded.connect(self._on_doc_reloaded)
        ws.page_changed.connect(self._on_workspace_page_changed)
        i = self.tabs.addTab(ws, reference)
        self.tabs.setTabToolTip(i, f"{reference}: {tender.title}")
        self.tabs.setCurrentIndex(i)
        last = settings.settings().value(f"tenders/{reference}/page", "")
        if last in PAGES:
            ws.show_page(str(last))
        return ws

    @Slot()
    def new_tender(self) -> TenderWorkspace | None:
        """Ask for a new tender's details, create it, and open it."""
        from ui.new_tender import NewTenderDialog

        if self.db is None or self.db.read_only:
            return None
        existing = {s.reference for s in self.db.list_tenders()}
        dlg = NewTenderDialog(existing, self)
        if dlg.exec() != NewTenderDialog.DialogCode.Accepted or dlg.result_tender is None:
            return None
        return self.create_tender(dlg.result_tender)

    def create_tender(self, tender: Tender) -> TenderWorkspace | None:
        """Store a new tender and open it."""
        if self.db is None:
            return None
        try:
            self.db.create_tender(tender, who=self.who())
        except SvdeskError as e:
            dialogs.show_error(self, "The tender was not created", str(e))
            return None
        self.refresh_register()
        self.statusBar().showMessage(f"Created {tender.reference}", 5000)
        return self.open_tender(tender.reference)

    @Slot()
    def close_current(self) -> None:
        """Close the tender in view (everything is already saved)."""
        i = self.tabs.currentIndex()
        if i > 0:
            self._on_tabs_tab_close_requested(i)

    @Slot(int)
    def _on_tabs_tab_close_requested(self, index: int) -> None:
        w = self.tabs.widget(index)
        if not isinstance(w, TenderWorkspace):
            return
        self.undo_group.removeStack(w.doc.undo_stack)
        self.workspaces.pop(w.doc.reference, None)
        self.tabs.removeTab(index)
        w.deleteLater()
        self.refresh_register()

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        ws = self.current_workspace()
        self.undo_group.setActiveStack(ws.doc.undo_stack if ws else None)
        for a in (*self.page_actions, self.export_action, self.print_action, self.close_action):
            a.setEnabled(ws is not None)
        if ws is None:
            self.refresh_register()
        self._update_title()

    def show_page(self, key: str) -> None:
        """Show a page of the tender in view."""
        ws = self.current_workspace()
        if ws is not None:
            ws.show_page(key)

    @Slot()
    def focus_search(self) -> None:
        """Go to the register's search box."""
        self.tabs.setCurrentIndex(0)
        self.register.search.setFocus()
        self.register.search.selectAll()

    @Slot()
    def print_current(self) -> None:
        """Open the Reports page of the tender in view and print the selected paper."""
        ws = self.current_workspace()
        if ws is None:
            return
        page = ws.show_page("reports")
        button = getattr(page, "print_button", None)
        if button is not None and button.isEnabled():
            button.click()

    @Slot(str)
    def _on_workspace_page_changed(self, key: str) -> None:
        ws = self.current_workspace()
        if ws is not None:
            settings.settings().setValue(f"tenders/{ws.doc.reference}/page", key)

    # --- autosave status --------------------------------------------------------------------------------

    @Slot(str)
    def _on_doc_saved(self, action: str) -> None:
        self.saved_label.setText(f"Saved: {action} · {QTime.currentTime().toString('HH:mm:ss')}")
        self.saved_label.setToolTip("Every change is saved the moment you make it.")
        self._update_title()

    @Slot()
    def _on_doc_reloaded(self) -> None:
        self.statusBar().showMessage("The tender was re-read from the database; the undo history was cleared.",
                                     10000)

    def _update_title(self) -> None:
        ws = self.current_workspace()
        where = f"{ws.doc.reference} {ws.doc.tender.title}" if ws else "Tenders"
        ro = " (read-only)" if self.db is not None and self.db.read_only else ""
        # Every edit is committed before the window shows it, so there is never unsaved work to flag.
        self.setWindowModified(False)
        self.setWindowTitle(f"{where}{ro} — {APP_TITLE}")

    # --- files, backups ---------------------------------------------------------------------------------

    @Slot()
    def import_tender(self) -> None:
        """Add a tender from a tender file (read off the GUI thread)."""
        if self.db is None or self.db.read_only:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Import a tender file", str(Path.home()),
                                              "svdesk tender files (*.json)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Read a tender file in the background, then add it to the database."""
        from svdesk.io.tender_file import read_tender_file

        def work(progress: Progress) -> Tender:
            progress.report(20, f"Reading {path.name}…")
            return read_tender_file(path)

        def done(tender: object) -> None:
            assert isinstance(tender, Tender)
            self.create_tender(tender)

        run_task(self, "Importing a tender", work, done,
                 lambda msg: dialogs.show_error(self, "The file was not imported", msg))

    @Slot()
    def export_tender(self) -> None:
        """Save the open tender as a tender file."""
        ws = self.current_workspace()
        if ws is None:
            return
        default = str(Path.home() / f"{ws.doc.reference}.json")
        path, _ = QFileDialog.getSaveFileName(self, "Export the tender", default, "svdesk tender files (*.json)")
        if not path:
            return
        from svdesk.io.tender_file import write_tender_file

        try:
            write_tender_file(ws.doc.tender, path)
        except (SvdeskError, OSError) as e:
            dialogs.show_error(self, "The tender was not exported", str(e))
            return
        self.statusBar().showMessage(f"Exported to {path}", 8000)

    @Slot()
    def load_demo(self) -> None:
        """Import the example tenders (``resources/demo``)."""
        if self.db is None or self.db.read_only:
            return
        from ui.app import import_demo

        n = import_demo(self.db, self.who())
        self.refresh_register()
        self.statusBar().showMessage(f"Loaded {n} example tender{'s' if n != 1 else ''}", 8000)

    @Slot()
    def backup_now(self) -> None:
        """Back the database up, off the GUI thread."""
        db = self.db
        if db is None:
            return

        def work(progress: Progress) -> Path:
            progress.report(10, "Copying and checking the database…")
            return db.backup()

        run_task(self, "Backing up", work,
                 lambda p: self.statusBar().showMessage(f"Backed up to {p}", 10000),
                 lambda msg: dialogs.show_error(self, "The backup failed", msg))

    @Slot()
    def show_about(self) -> None:
        """Version, database location and the last backup."""
        where = self.db.location if self.db is not None else "not open"
        last = None
        if self.db is not None:
            try:
                last = self.db.last_backup()
            except SvdeskError:
                last = None
        from ui.formatting import when

        dialogs.show_info(
            self, "About svdesk",
            f"svdesk {__version__} — Social Value Desk\n\n"
            f"Database: {where}\n"
            f"Last backup: {when(last) if last else 'none yet'}\n"
            f"Signed in as: {self.who()}\n"
            f"Authority: {settings.authority_name() or 'not set'}",
        )

    # --- layout -----------------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        s = settings.settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def save_layout(self) -> None:
        """Remember the window's size, place and open tenders (UI state only)."""
        s = settings.settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/open", list(self.workspaces))
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
