"""The main window: the tender register, a workspace per open tender, menus, shortcuts and autosave status.

It is shown before the database is opened (SQLAlchemy takes a while to import), so the window paints at once;
:meth:`MainWindow.set_database` then fills the register.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSize, Qt, QTime, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from svdesk import __version__
from svdesk.domain.tender import Tender, TenderStatus
from svdesk.errors import SvdeskError
from ui import dialogs, settings
from ui.backups import BackupKeeper
from ui.guide import PAGE_TITLES, PAGES
from ui.in_use import InUsePage
from ui.register import RegisterPage
from ui.store_port import BackupLike, DatabaseLike, RestorePlanLike
from ui.widgets import Banner
from ui.workers import Progress, Task, run_task

if TYPE_CHECKING:     # imported when first needed: not for the window's first paint
    from svdesk.io.formats import TenderFromFile
    from ui.pages.bids import BidsPage
    from ui.panel import MarkingWindow, PanelBox
    from ui.workspace import TenderWorkspace

APP_TITLE = "svdesk"
READ_ONLY_TEXT = "This database is open read-only: you can look at everything, but nothing can be changed."


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
        self.read_only_banner = Banner(READ_ONLY_TEXT, "warn")
        self.backup_of = ""
        self.read_only_banner.hide()
        layout.addWidget(self.read_only_banner)
        self.notices_banner = Banner("", "warn", "Dismiss")
        self.notices_banner.hide()
        self.notices_banner.clicked.connect(self._on_notices_banner_clicked)
        layout.addWidget(self.notices_banner)
        self.notices: list[str] = []            # what the banner says (the store's notices, each once)
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
        self.in_use = InUsePage()
        self.in_use.hide()
        layout.addWidget(self.in_use, 1)
        self.setCentralWidget(central)

        self.register.open_requested.connect(self.open_tender)
        self.register.new_requested.connect(self.new_tender)
        self.register.demo_requested.connect(self.load_demo)
        self.register.delete_requested.connect(self.delete_tender)
        self.register.import_requested.connect(self.import_tender)
        self.register.model.set_database(None)
        self.register.count.setText("Opening the database…")

        self.saved_label = QLabel()
        self.saved_label.setAccessibleName("Save status")
        self.statusBar().addPermanentWidget(self.saved_label)
        self.backups = BackupKeeper(self)
        self.backups.notices_added.connect(self._on_backups_notices_added)
        self.backups.checked.connect(self._on_backups_checked)
        self._closing = False
        self._build_menus()
        self._restore_layout()
        self._update_title()

    # --- menus and shortcuts ----------------------------------------------------------------------------

    def _action(self, text: str, slot: Callable[[], object],
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
        self.import_action = self._action("&Import tender file or OCDS notice…", self.import_tender, "Ctrl+I",
                                          "Add a tender from a svdesk tender file or a Contracts Finder (OCDS) "
                                          "notice (.json)")
        file.addAction(self.import_action)
        self.export_action = self._action("&Export…", self.export_tender, "Ctrl+E",
                                          "Save the open tender as a tender file, a spreadsheet or an OCDS "
                                          "award release")
        file.addAction(self.export_action)
        file.addSeparator()
        self.import_bids_action = self._action("Import &bids…", self.import_bids, "Ctrl+Shift+I",
                                               "Bids, prices and scores from a CSV or Excel file into the open "
                                               "tender")
        file.addAction(self.import_bids_action)
        self.template_action = self._action("Save bids &template…", self.save_bids_template, None,
                                            "The spreadsheet to fill in with the open tender's bids and scores")
        file.addAction(self.template_action)
        file.addSeparator()
        self.send_pack_action = self._action("Send to e&valuator…", self.send_to_evaluator, None,
                                             "Save an evaluator's pack of the open tender to mark offline")
        file.addAction(self.send_pack_action)
        self.import_return_action = self._action("Import evaluator's &return…", self.import_return, None,
                                                 "Merge an evaluator's marked return into the open tender, "
                                                 "after a preview")
        file.addAction(self.import_return_action)
        self.open_pack_action = self._action("Open an evaluator pack to &mark…", self.open_pack, None,
                                             "Mark a pack the officer sent you (no database needed)")
        file.addAction(self.open_pack_action)
        file.addSeparator()
        self.print_action = self._action("&Print…", self.print_current, QKeySequence.StandardKey.Print,
                                         "Print the paper of the page in view (on Negotiation, the checklist)")
        file.addAction(self.print_action)
        file.addSeparator()
        self.backup_action = self._action("&Back up now", self.backup_now, None,
                                          "Make a verified copy of the database")
        file.addAction(self.backup_action)
        self.restore_action = self._action("&Restore from a backup…", self.restore_backup, None,
                                           "Put the database back as it was when a backup was made")
        file.addAction(self.restore_action)
        file.addSeparator()
        self.delete_action = self._action("&Delete tender…", self.delete_selected, None,
                                          "Delete the tender selected in the register (a backup is made first)")
        file.addAction(self.delete_action)
        self.remove_examples_action = self._action("Remove the e&xample tenders…", self.remove_examples, None,
                                                   "Take every example tender out of the register in one step")
        file.addAction(self.remove_examples_action)
        self.close_action = self._action("&Close tender", self.close_current, QKeySequence.StandardKey.Close)
        file.addAction(self.close_action)
        file.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        edit = m.addMenu("&Edit")
        self.undo_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, "&Redo")
        # Ctrl+Y and the platform's own redo keys, each once: on Windows (and here) the platform's first redo key
        # *is* Ctrl+Y, and the same key twice on one action is "ambiguous", so neither fired.
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        if QKeySequence("Ctrl+Y") not in redo_keys:
            redo_keys.insert(0, QKeySequence("Ctrl+Y"))
        self.redo_action.setShortcuts(redo_keys)
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
            a = self._action(f"&{i + 1} {PAGE_TITLES[key]}", partial(self.show_page, key), f"Ctrl+{i + 1}")
            go.addAction(a)
            self.page_actions.append(a)
        go.addSeparator()
        go.addAction(self._action("Next tab", lambda: self._cycle_tab(1), "Ctrl+Tab"))
        go.addAction(self._action("Previous tab", lambda: self._cycle_tab(-1), "Ctrl+Shift+Tab"))

        tools = m.addMenu("&Tools")
        self.council_action = self._action("Council &settings…", self.show_settings, None,
                                           "The council's name, address, logo, default weights and panel, report "
                                           "template and ocid prefix (kept in the database)")
        tools.addAction(self.council_action)
        self.options_action = self._action("&Options…", self.show_options, None,
                                           "Your own preferences: your name, initials, reopening tenders")
        tools.addAction(self.options_action)
        tools.addSeparator()
        self.verify_action = self._action("&Verify a printed paper…", self.verify_paper, None,
                                          "Say whether the database still holds exactly what a paper (PDF) "
                                          "from svdesk shows, or what changed since, by whom and when")
        tools.addAction(self.verify_action)

        help_menu = m.addMenu("&Help")
        help_menu.addAction(self._action("&About svdesk", self.show_about, None))

    def _cycle_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    # --- the database -----------------------------------------------------------------------------------

    def set_database(self, db: DatabaseLike | None, *, backup_of: str = "") -> None:
        """Show this database's tenders.

        Args:
            backup_of: when ``db`` is a backup opened read-only to look things up, what it is a backup of and
                when it was made: the window says so in its banner and title.
        """
        self.db = db
        self.backup_of = backup_of if db is not None else ""
        read_only = bool(db is not None and db.read_only)
        if self.backup_of:
            self.read_only_banner.set_message(
                f"You are looking at a BACKUP ({self.backup_of}), read-only: nothing can be changed here, and it may "
                "be older than the database itself.", "bad", "Open the database itself")
        else:
            self.read_only_banner.set_message(READ_ONLY_TEXT, "warn")
        self.read_only_banner.setVisible(read_only)
        for a in (self.new_action, self.import_action, self.restore_action, self.delete_action,
                  self.remove_examples_action):
            a.setEnabled(db is not None and not read_only)
        self.backup_action.setEnabled(db is not None and not self.backup_of)
        self.register.new_button.setEnabled(db is not None and not read_only)
        self.register.import_button.setEnabled(db is not None and not read_only)
        self.register.delete_button.setVisible(not read_only)
        if db is not None:
            self.hide_in_use()
        self.register.model.set_database(db)
        self.reload_council()
        self.saved_label.setText(f"Database: {db.location}" if db is not None else "")
        self.saved_label.setToolTip(db.location if db is not None else "")
        self.notices = []
        self.notices_banner.hide()
        self.backups.set_database(None if self.backup_of else db)
        self._update_title()

    def show_in_use(self, *, user: str, host: str, since: datetime | None, location: str,
                    backup: str | None, message: str = "") -> None:
        """Another copy holds the database: show who and since when, Retry, Open another, the newest backup
        (its label; ``None``: there is none) — never an empty register."""
        self.in_use.show_holder(user=user, host=host, since=since, location=location, backup=backup,
                                message=message)
        self.tabs.hide()
        self.read_only_banner.hide()
        self.in_use.show()
        self.in_use.retry_button.setFocus()
        self.setWindowTitle(f"Database in use — {APP_TITLE}")

    def hide_in_use(self) -> None:
        """A database is open again: back to the register."""
        if self.in_use.isVisible() or self.tabs.isHidden():
            self.in_use.hide()
            self.tabs.show()

    def reload_council(self) -> None:
        """Read the council's settings from the open database (papers and new tenders use them)."""
        council = None
        if self.db is not None:
            try:
                council = self.db.council_settings()
            except SvdeskError as e:
                self.statusBar().showMessage(f"The council settings could not be read: {e}", 10000)
        settings.set_council(council)
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
        return next((ws for ws in self.workspaces.values() if ws is w), None)

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
        from ui.document import TenderDocument
        from ui.workspace import TenderWorkspace

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
        from svdesk.domain.panel import with_default_panel

        try:
            tender = with_default_panel(tender, self.db.council_settings().default_panel)
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
        w = next((ws for ws in self.workspaces.values() if ws is self.tabs.widget(index)), None)
        if w is None:
            return
        self.undo_group.removeStack(w.doc.undo_stack)
        self.workspaces.pop(w.doc.reference, None)
        self.tabs.removeTab(index)
        w.deleteLater()
        self.refresh_register()

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        ws = self.current_workspace()
        # Qt takes no stack (nullptr) for "none active"; PySide6's stub leaves out the None.
        self.undo_group.setActiveStack(ws.doc.undo_stack if ws else None)  # type: ignore[arg-type]
        for a in (*self.page_actions, self.export_action, self.print_action, self.close_action,
                  self.template_action):
            a.setEnabled(ws is not None)
        self.import_bids_action.setEnabled(ws is not None and not ws.doc.read_only)
        for a in (self.send_pack_action, self.import_return_action):
            a.setEnabled(ws is not None and not ws.doc.read_only)
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
        """Print the paper of the page in view (Ctrl+P): the negotiation checklist from Negotiation, the paper
        selected on Reports, the award recommendation elsewhere. The officer stays on the page."""
        ws = self.current_workspace()
        if ws is None:
            return
        kind, supplier = ws.page(ws.current_page()).paper()
        from ui.pages.reports import ReportsPage

        reports = ws.page("reports")
        if isinstance(reports, ReportsPage):
            reports.select(kind, supplier)
            if reports.print_button.isEnabled():
                reports.print_selected()

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
        if self.backup_of:
            ro = " (BACKUP, read-only)"
        # Every edit is committed before the window shows it, so there is never unsaved work to flag.
        self.setWindowModified(False)
        self.setWindowTitle(f"{where}{ro} — {APP_TITLE}")

    # --- files in and out ------------------------------------------------------------------------------

    @Slot()
    def import_tender(self) -> None:
        """Add a tender from a tender file or an OCDS notice (read off the GUI thread)."""
        if self.db is None or self.db.read_only:
            return
        from ui.files import TENDER_FILTER

        path = dialogs.open_file(self, "Import a tender file or OCDS notice", str(Path.home()),
                                 TENDER_FILTER.replace(";;All files", ";;Evaluators' returns (*.svpack);;All files"))
        if path and path.lower().endswith(".svpack"):   # an evaluator's return goes into the open tender
            panel = self._scoring_panel()
            if panel is not None:
                panel.import_return(path)
        elif path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> Task:
        """Read a tender file or OCDS notice in the background, then add it to the database and open it."""
        from ui.files import read_tender

        def work(progress: Progress) -> TenderFromFile:
            progress.report(20, f"Reading {path.name}…")
            return read_tender(str(path))

        return run_task(self, "Importing a tender", work, lambda got: self._on_tender_read(path, got),
                        lambda msg: dialogs.show_error(self, "The file was not imported", msg))

    def _on_tender_read(self, path: Path, got: TenderFromFile) -> None:
        from dataclasses import replace

        assert self.db is not None
        tender = got.tender
        taken = {s.reference for s in self.db.list_tenders()}
        while tender.reference in taken:
            ref = dialogs.ask_text(self, "That reference is taken",
                                   f"{tender.reference} is already in the register. Give the imported tender "
                                   "another reference:", f"{tender.reference}-2")
            if not ref or not ref.strip():
                return
            tender = replace(tender, reference=ref.strip())
        if self.create_tender(tender) is None:
            return
        if got.ocds or got.warnings:
            lines = [f"{tender.reference} was created from the {got.what} {path.name}."]
            if got.ocds:
                lines.append("It is a draft: set the criteria and weights, and check the values and dates "
                             "before you go on.")
            if got.warnings:
                lines.append("\nWhat svdesk had to work round in the file:")
                lines.extend(f"• {w}" for w in got.warnings)
            dialogs.show_info(self, "Tender imported", "\n".join(lines))

    def _scoring_panel(self) -> PanelBox | None:
        from ui.pages.scoring import ScoringPage

        ws = self.current_workspace()
        if ws is None:
            dialogs.show_info(self, "Open a tender first", "Open the tender in the register first.")
            return None
        page = ws.page("scoring")
        assert isinstance(page, ScoringPage)
        return page.panel

    @Slot()
    def send_to_evaluator(self) -> None:
        """File → Send to evaluator…: the Scoring page's Send pack…."""
        panel = self._scoring_panel()
        if panel is not None:
            panel.on_send_clicked()

    @Slot()
    def import_return(self) -> None:
        """File → Import evaluator's return…: preview, then merge into the open tender."""
        panel = self._scoring_panel()
        if panel is not None:
            panel.on_import_clicked()

    @Slot()
    def verify_paper(self) -> None:
        """Tools → Verify a printed paper…: the same check as ``svdesk verify PAPER.pdf``."""
        path = dialogs.open_file(self, "Verify a printed paper", str(Path.home()), "svdesk papers (*.pdf)")
        if path:
            self.verify_file(Path(path))

    def verify_file(self, path: Path) -> tuple[bool, str] | None:
        """Verify one paper against the open database and show the verdict; returns (holds, the message shown)."""
        from svdesk.reports.verify import read_paper
        from svdesk.reports.verify import verify_paper as verify

        title = "Verify a printed paper"
        try:
            paper = read_paper(path)        # a file that is not an svdesk paper is refused before anything else
        except SvdeskError as e:
            dialogs.show_error(self, title, str(e))
            return None
        if self.db is None:
            dialogs.show_error(self, title, "Open a database first: a paper is verified against the database "
                                            "it was printed from.")
            return None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            verdict = verify(paper, self.db)
        except SvdeskError as e:
            QGuiApplication.restoreOverrideCursor()
            dialogs.show_error(self, title, str(e))
            return None
        QGuiApplication.restoreOverrideCursor()
        message = "\n".join(verdict.lines)
        if verdict.holds:
            dialogs.show_info(self, title, message)
        else:
            dialogs.show_error(self, title, message)
        return verdict.holds, message

    def open_pack(self) -> MarkingWindow | None:
        """File → Open an evaluator pack to mark…: a marking window of its own (no database)."""
        from ui.panel import PACK_FILTER, MarkingWindow

        path = dialogs.open_file(self, "Open an evaluator pack", str(Path.home()), PACK_FILTER)
        if not path:
            return None
        try:
            window = MarkingWindow(path)
        except SvdeskError as e:
            dialogs.show_error(self, "The pack cannot be opened", str(e))
            return None
        self._marking_windows: list[MarkingWindow] = [*getattr(self, "_marking_windows", []), window]
        window.show()
        return window

    @Slot()
    def export_tender(self) -> Task | None:
        """Save the open tender as a tender file, a CSV table, an Excel workbook or an OCDS award release."""
        from ui.files import ExportDialog

        ws = self.current_workspace()
        if ws is None:
            return None
        dlg = ExportDialog(ws.doc.tender, self)
        if not dialogs.run_dialog(dlg):
            return None
        choice = dlg.options()
        path = dialogs.save_file(self, "Export the tender", str(Path.home() / choice.default_name(ws.doc.reference)),
                                 choice.filter())
        if not path:
            return None
        from ui.files import export_tender

        tender = ws.doc.tender

        def work(progress: Progress) -> tuple[list[str], Tender]:
            progress.report(20, f"Writing {Path(path).name}…")
            return export_tender(tender, path, choice)

        def done(result: tuple[list[str], Tender]) -> None:
            notes, published = result
            if published != tender and self.db is not None and not self.db.read_only:
                from svdesk.io.ocds import recorded_identities
                from ui.document import Change

                # The published ocid and party ids are kept (not an undoable edit: once out, they never change).
                now = recorded_identities(ws.doc.tender, published)
                if now != ws.doc.tender:
                    try:
                        ws.doc.commit_edit(now, "Record the published ocid", Change(details=True))
                    except SvdeskError as e:
                        notes = [*notes, f"The ocid could not be recorded: {e}"]
            self.statusBar().showMessage(f"Exported {tender.reference} to {path}", 10000)
            if notes:
                dialogs.show_info(self, "Exported", f"{tender.reference} was saved to {path}.\n\n"
                                  + "\n".join(notes))

        return run_task(self, "Exporting", work, done,
                        lambda msg: dialogs.show_error(self, "The tender was not exported", msg))

    def _bids_page(self) -> BidsPage | None:
        from ui.pages.bids import BidsPage

        ws = self.current_workspace()
        page = ws.show_page("bids") if ws is not None else None
        return page if isinstance(page, BidsPage) else None

    @Slot()
    def import_bids(self) -> None:
        """Import bids and scores from a spreadsheet into the open tender (on its Bids page)."""
        page = self._bids_page()
        if page is not None:
            page.import_bids()

    @Slot()
    def save_bids_template(self) -> None:
        """Save the bids template for the open tender."""
        page = self._bids_page()
        if page is not None:
            page.save_template()

    @Slot()
    def load_demo(self) -> None:
        """Import the example tenders (``resources/demo``)."""
        if self.db is None or self.db.read_only:
            return
        from ui.demo import import_demo

        n = import_demo(self.db, self.who())
        self.refresh_register()
        self.statusBar().showMessage(f"Loaded {n} example tender{'s' if n != 1 else ''}", 8000)

    @Slot()
    def remove_examples(self) -> int:
        """Take every example tender out of the register in one step (after asking; a backup is made first).
        Returns how many were removed."""
        db = self.db
        if db is None or db.read_only:
            return 0
        from svdesk.domain import rules
        from ui.demo import examples_in

        refs = examples_in(db)
        if not refs:
            dialogs.show_info(self, "No example tenders", "The register holds no example tenders.")
            return 0
        kept = [r for r in refs if any(s.reference == r and rules.can_delete(TenderStatus(s.status), r)
                                       for s in db.list_tenders(r))]
        refs = [r for r in refs if r not in kept]
        names = ", ".join(refs)
        if not refs or not dialogs.confirm(
                self, "Remove the example tenders?",
                f"Remove the {len(refs)} example tender{'s' if len(refs) != 1 else ''} ({names}) from the register? "
                "Your own tenders stay as they are. A backup is made first."
                + (f"\n\n{', '.join(kept)} must be kept (awarded)." if kept else ""), "Remove the examples"):
            return 0
        for r in refs:
            if r in self.workspaces:
                self._on_tabs_tab_close_requested(self.tabs.indexOf(self.workspaces[r]))
        try:
            if getattr(db, "kind", "sqlite") == "sqlite" and hasattr(db, "backup"):
                db.backup()
            for r in refs:
                db.delete_tender(r, who=self.who(), reason="Example tender removed")
        except SvdeskError as e:
            dialogs.show_error(self, "The examples were not all removed", str(e))
        self.refresh_register()
        self.statusBar().showMessage(f"Removed {len(refs)} example tender{'s' if len(refs) != 1 else ''}", 8000)
        return len(refs)

    # --- deleting a tender --------------------------------------------------------------------------------

    @Slot()
    def delete_selected(self) -> None:
        """Delete the tender selected in the register (or the one in view)."""
        ref = self.register.selected_reference() if self.current_workspace() is None else None
        if ref is None and self.current_workspace() is not None:
            ref = self.current_workspace().doc.reference  # type: ignore[union-attr]
        if ref is None:
            dialogs.show_info(self, "Which tender?", "Select the tender to delete in the register first.")
            return
        self.delete_tender(ref)

    @Slot(str)
    def delete_tender(self, reference: str) -> Task | None:
        """Ask why, make a backup, then delete the tender (audited with the reason). Not undoable: says so."""
        db = self.db
        if db is None or db.read_only:
            return None
        summary = next((s for s in db.list_tenders(reference) if s.reference == reference), None)
        if summary is None:
            dialogs.show_error(self, "The tender was not deleted", f"There is no tender {reference} any more.")
            self.refresh_register()
            return None
        from svdesk.domain import rules

        status = TenderStatus(summary.status)
        refused = rules.can_delete(status, reference)
        if refused:
            dialogs.show_error(self, "This tender must be kept", " ".join(refused))
            return None
        server = getattr(db, "kind", "sqlite") != "sqlite"
        bids = f"{summary.bid_count} bid{'s' if summary.bid_count != 1 else ''}"
        message = (f"Delete {reference} “{summary.title}” ({status.label.lower()}, {bids}) from the register?\n\n"
                   + ("This cannot be undone. Only the server's own backups can bring it back."
                      if server else
                      "This cannot be undone; a backup is made first, so File → Restore from a backup… can "
                      "bring it back."))
        if reference in self.workspaces:
            message += "\n\nIts tab will be closed."
        reason = dialogs.ask_reason(self, f"Delete {reference}?", message, "Delete tender")
        if reason is None:
            return None
        if reference in self.workspaces:
            self._on_tabs_tab_close_requested(self.tabs.indexOf(self.workspaces[reference]))
        who = self.who()

        def work(progress: Progress) -> Path | None:
            backup = None
            if not server:
                progress.report(10, "Making a backup first…")
                backup = db.backup()
            progress.report(70, f"Deleting {reference}…")
            progress.point_of_no_return()
            db.delete_tender(reference, who=who, reason=reason)
            return backup

        def done(backup: Path | None) -> None:
            self.refresh_register()
            where = f" (a backup was made first: {backup})" if backup else ""
            self.statusBar().showMessage(f"Deleted {reference}{where}", 15000)

        return run_task(self, f"Deleting {reference}", work, done,
                        lambda msg: dialogs.show_error(self, "The tender was not deleted", msg))

    # --- backups and restore ------------------------------------------------------------------------------

    @Slot()
    def backup_now(self) -> Task | None:
        """Back the database up, off the GUI thread."""
        db = self.db
        if db is None:
            return None

        def work(progress: Progress) -> Path:
            progress.report(10, "Copying and checking the database…")
            return db.backup()

        return run_task(self, "Backing up", work,
                        lambda p: self.statusBar().showMessage(f"Backed up to {p}", 10000),
                        lambda msg: dialogs.show_error(self, "The backup failed", msg))

    @Slot()
    def restore_backup(self) -> Task | None:
        """Choose a backup, see what restoring it would undo, and restore it (off the GUI thread)."""
        db = self.db
        if db is None:
            return None
        if db.read_only:
            dialogs.show_error(self, "Nothing can be restored",
                               "This database is open read-only. Open it normally to restore a backup.")
            return None
        if getattr(db, "kind", "sqlite") != "sqlite":
            dialogs.show_info(self, "Backups are kept on the server",
                              "A server database is backed up and restored on the server: ask whoever runs it.")
            return None
        try:
            found = db.backups()
        except SvdeskError as e:
            dialogs.show_error(self, "The backups could not be listed", str(e))
            return None
        if not found:
            dialogs.show_info(self, "No backups yet",
                              "svdesk makes a backup every day you use it, and before an award. There is none for "
                              "this database yet: File → Back up now makes one.")
            return None
        i = dialogs.choose(self, "Restore from a backup", "Which backup? (newest first)",
                           [backup_text(b) for b in found])
        if i is None:
            return None
        chosen = found[i]

        def work(progress: Progress) -> RestorePlanLike:
            progress.report(20, "Comparing the backup with the database…")
            return db.plan_restore(chosen.path)

        return run_task(self, "Restoring", work, self._on_restore_planned,
                        lambda msg: dialogs.show_error(self, "The backup cannot be restored", msg))

    def _on_restore_planned(self, plan: RestorePlanLike) -> Task | None:
        db = self.db
        if db is None:
            return None
        lines = list(plan.describe())
        if self.workspaces:
            lines.append("The open tenders will be closed first.")
        if not dialogs.confirm(self, "Restore the backup?", "\n".join(lines), "Restore"):
            return None
        for ws in list(self.workspaces.values()):   # their documents would no longer match the database
            self._on_tabs_tab_close_requested(self.tabs.indexOf(ws))
        who = self.who()

        def work(progress: Progress) -> Path:
            progress.report(10, "Backing up the database as it is now, then restoring…")
            progress.point_of_no_return()
            return db.restore(plan, who=who)

        def done(safety: Path) -> None:
            self.refresh_register()
            self.backups.pass_on_notices()
            self.statusBar().showMessage(f"Restored {plan.backup.label()}", 15000)
            dialogs.show_info(self, "Backup restored",
                              f"The database is back as it was at {plan.backup.label()}.\n\nA copy of it as it "
                              f"was just before is kept in {safety}: File → Restore from a backup… brings that "
                              "back if you need it.")

        def failed(message: str) -> None:
            self.refresh_register()
            dialogs.show_error(self, "The backup was not restored", message)

        return run_task(self, "Restoring", work, done, failed)

    @Slot(object)
    def _on_backups_checked(self, path: Path | None) -> None:
        if path:
            self.statusBar().showMessage(f"Daily backup made: {path}", 10000)

    @Slot(list)
    def _on_backups_notices_added(self, notices: list[str]) -> None:
        new = [n for n in dict.fromkeys(notices) if n not in self.notices]   # a failure that recurs hourly: once
        if not new:
            return
        self.notices.extend(new)
        text = self.notices[0] if len(self.notices) == 1 else "\n".join(f"• {n}" for n in self.notices)
        self.notices_banner.set_message(text, "warn", "Dismiss")
        self.notices_banner.button.setAccessibleName("Dismiss these messages")
        self.notices_banner.show()

    @Slot()
    def _on_notices_banner_clicked(self) -> None:
        self.notices = []
        self.notices_banner.hide()

    # --- settings -----------------------------------------------------------------------------------------

    @Slot()
    def show_settings(self, personal_only: bool = False) -> bool:
        """Tools → Council settings… (both tabs) or Tools → Options… (the officer's own); whether saved."""
        from ui.settings_dialog import SettingsDialog

        dlg = SettingsDialog(self.db, self.who(), personal_only=personal_only, parent=self)
        if not dialogs.run_dialog(dlg):
            return False
        if dlg.saved:
            self.reload_council()
            self.statusBar().showMessage(f"Saved the council settings: {', '.join(dlg.saved)}", 8000)
        else:
            self.statusBar().showMessage("Saved your options" if personal_only else "Saved", 5000)
        return True

    @Slot()
    def show_options(self) -> bool:
        """Tools → Options…: the officer's own preferences."""
        return self.show_settings(personal_only=True)

    # --- about --------------------------------------------------------------------------------------------

    def about_text(self) -> str:
        """What Help → About says: the version, the database, its last backup, who is signed in."""
        from ui.formatting import when

        db = self.db
        if db is None:
            where, last_text = "not open", "no database open"
        else:
            where = db.location
            if getattr(db, "kind", "sqlite") != "sqlite":
                last_text = "made on the server (ask whoever runs it)"
            else:
                try:
                    last = db.last_backup()
                except SvdeskError:
                    last = None
                last_text = when(last) if last else "none yet (File → Back up now makes one)"
        return (f"svdesk {__version__} — Social Value Desk\n\n"
                f"Database: {where}\n"
                f"Last backup: {last_text}\n"
                f"Signed in as: {self.who()}\n"
                f"Authority: {settings.authority_name() or 'not set'}")

    @Slot()
    def show_about(self) -> None:
        """Version, database location and the last backup."""
        dialogs.show_info(self, "About svdesk", self.about_text())

    # --- layout -----------------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        """Open where this screen's size and place were remembered, else 1280×800 or less: always within the
        screen's available area (issue 14 item 6). Kept per screen: a laptop on and off its docking monitor
        gets back the layout of each."""
        s = settings.settings()
        area = available_geometry(self)
        key = screen_key(area)
        remembered = s.value(f"window/place/{key}")
        if isinstance(remembered, QRect) and remembered.isValid():
            self.setGeometry(remembered)
        else:
            legacy = s.value("window/geometry")          # before issue 14: one layout for every screen
            if isinstance(legacy, QByteArray) and not legacy.isEmpty():
                self.restoreGeometry(legacy)
            else:
                self.resize(1280, 800)
        fit_window(self, area)
        if s.value(f"window/maximized/{key}") == "true":
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def save_layout(self) -> None:
        """Remember the window's size and place for the screen it is on, and the open tenders (UI state only)."""
        s = settings.settings()
        key = screen_key(available_geometry(self))
        s.setValue(f"window/place/{key}", self.normalGeometry() if self.isMaximized() else self.geometry())
        s.setValue(f"window/maximized/{key}", "true" if self.isMaximized() else "false")
        s.setValue("window/state", self.saveState())
        s.setValue("window/open", list(self.workspaces))
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:       # closed again while the last backup runs: it is already closing
            event.ignore()
            return
        self._closing = True
        self.save_layout()
        if self.db is not None and not self.db.read_only:
            self.statusBar().showMessage("Making the daily backup, if it is due, before closing…")
        self.backups.finish()   # the database closes after this window: never in the middle of a backup
        self._closing = False
        super().closeEvent(event)


#: Room for the title bar and borders the window system adds, while the window is not yet shown (Windows 10/11
#: at 100 %: about 31 px of title bar and 8 px borders).
FRAME_ALLOWANCE = QSize(16, 40)


def available_geometry(window: QWidget) -> QRect:
    """The part of the window's screen not taken by the taskbar or dock (logical pixels; tests replace this)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)


def screen_key(area: QRect) -> str:
    """The settings key for a screen: its available size and place, so each screen keeps its own layout."""
    return f"{area.width()}x{area.height()}@{area.x()},{area.y()}"


def fit_window(window: QWidget, area: QRect) -> None:
    """Shrink and move the window so that all of it, frame included, is within ``area``."""
    frame = window.frameGeometry()
    inner = window.geometry()
    extra = QSize(frame.width() - inner.width(), frame.height() - inner.height())
    if extra.width() <= 0 and extra.height() <= 0:     # not shown yet: the window system has not framed it
        extra = FRAME_ALLOWANCE
    width = max(min(inner.width(), area.width() - extra.width()), 200)
    height = max(min(inner.height(), area.height() - extra.height()), 200)
    window.resize(width, height)
    # The frame's top-left corner is what move() places; keep the whole frame inside the area.
    x = max(area.x(), min(frame.x(), area.x() + area.width() - width - extra.width()))
    y = max(area.y(), min(frame.y(), area.y() + area.height() - height - extra.height()))
    if (x, y) != (frame.x(), frame.y()):     # moving an unframed window would shift it by its frame once shown
        window.move(x, y)


#: A backup's reason, in the officer's words.
BACKUP_REASONS = {
    "manual": "made with Back up now",
    "daily": "daily backup",
    "award": "made when a tender was awarded",
    "before-upgrade": "made before svdesk was upgraded",
    "before-restore": "made before a restore",
}


def backup_text(b: BackupLike) -> str:
    """One backup in the restore list: when, why, how many tenders."""
    from ui.formatting import when

    tenders = f", {b.tenders} tender{'s' if b.tenders != 1 else ''}" if b.tenders >= 0 else ""
    return f"{when(b.created)} — {BACKUP_REASONS.get(b.reason, b.reason)}{tenders}"
