"""Reports: preview, save and print the award papers (PDFs rendered by ``svdesk.reports``).

Rendering runs off the GUI thread with progress and cancel. Qt's PDF viewer (QtPdf) is not part of
PySide6-Essentials, so "Preview" opens the PDF in the computer's own PDF viewer, and "Print" sends it to the
printer chosen in the system print dialog (through the operating system's print service).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from svdesk.domain.tender import Tender
from svdesk.errors import SvdeskError
from svdesk.reports.papers import PAPERS, Paper, paper
from ui import dialogs, settings
from ui.document import TenderDocument
from ui.pages.base import Page
from ui.widgets import Banner, heading, note
from ui.workers import Progress, run_task

if TYPE_CHECKING:
    from svdesk.reports.options import ReportOptions

#: The papers the officer can print (the core's catalogue).
KINDS = PAPERS


def report_options(tender: Tender, audit_head: str = "") -> ReportOptions:
    """The papers' options: the council's name, address and logo from its settings (the name else from setup
    when the tender names no buyer), the audit head. The logo file is read here: build the options once per
    printing, and tell the officer ``logo_problem`` when it is set."""
    from svdesk.domain.council import CouncilSettings
    from svdesk.reports.options import ReportOptions, with_council

    authority = "" if tender.buyer else settings.authority_name()
    council = settings.council()
    setup_logo = None if council.get("council.logo") else settings.logo_path()     # the set-up's answer
    if setup_logo is not None:
        council = CouncilSettings.from_stored({**council.values, "council.logo": str(setup_logo)})
    return with_council(ReportOptions(authority=authority, audit_head=audit_head), council)


Render = Callable[[Tender, str | None, str], bytes]


def renderer_for(kind: str) -> Render | None:
    """A function ``(tender, supplier, audit_head) -> PDF bytes`` for this kind of paper, or ``None`` when there
    is no such paper."""
    try:
        chosen = paper(kind)
    except KeyError:
        return None

    def render(t: Tender, supplier: str | None, head: str) -> bytes:
        return chosen.render(t, report_options(t, head), supplier)

    return render


def suggested_name(tender: Tender, kind: str, supplier: str | None) -> str:
    """A file name for a report."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in (supplier or ""))[:40].strip("-")
    try:
        ext = paper(kind).extension
    except KeyError:
        ext = ".pdf"
    return f"{tender.reference}-{kind}{'-' + safe if safe else ''}{ext}"


def send_to_printer(path: Path, printer: QPrinter) -> None:
    """Hand a PDF to the operating system's print service for the chosen printer."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        Path(printer.outputFileName()).write_bytes(path.read_bytes())
        return
    if sys.platform == "win32":
        os.startfile(str(path), "print")  # type: ignore[attr-defined]  # Windows only
        return
    cmd = ["lp", "-n", str(max(1, printer.copyCount()))]
    if printer.printerName():
        cmd += ["-d", printer.printerName()]
    subprocess.run([*cmd, str(path)], check=True, capture_output=True, timeout=60)


class ReportsPage(Page):
    """Pick a paper, then preview, save or print it."""

    key = "reports"
    title = "Reports"

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent)
        layout = self.page_layout()
        layout.addWidget(heading("Reports"))
        layout.addWidget(note("Each paper is made from the tender as it is now. Preview opens it in your PDF "
                              "viewer; Save keeps a copy; Print sends it to a printer."))
        self.banner = Banner()
        layout.addWidget(self.banner)
        row = QHBoxLayout()
        self.kinds = QListWidget()
        self.kinds.setAccessibleName("Kinds of report")
        self.kinds.setStyleSheet("QListWidget::item { padding: 10px 8px; }")
        for k in KINDS:
            item = QListWidgetItem(k.name)
            item.setToolTip(k.what)
            self.kinds.addItem(item)
        # As wide as the longest name in the font in use (8 px padding each side, the frame, a little air).
        widest = max(self.kinds.fontMetrics().horizontalAdvance(k.name) for k in KINDS)
        self.kinds.setFixedWidth(max(240, widest + 2 * 8 + 24))
        self.kinds.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.kinds.currentRowChanged.connect(self._on_kinds_current_row_changed)
        row.addWidget(self.kinds)
        box = QGroupBox("The paper")
        form = QFormLayout(box)
        self._what = QLabel()
        self._what.setWordWrap(True)
        self.bidder = QComboBox()
        self.bidder.setAccessibleName("Bidder")
        form.addRow(self._what)
        form.addRow("Bidder:", self.bidder)
        self._form = form
        buttons = QHBoxLayout()
        self.preview = QPushButton("Preview")
        self.save = QPushButton("Save as PDF…")
        self.print_button = QPushButton("Print…")
        for b, slot in ((self.preview, self._on_preview_clicked), (self.save, self._on_save_clicked),
                        (self.print_button, self._on_print_clicked)):
            b.setMinimumHeight(34)
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        form.addRow(buttons)
        # Every bidder's assessment summary in one go (the Act wants each of them told, at the same time).
        every = QHBoxLayout()
        self.save_all = QPushButton("Save every bidder's summary…")
        self.save_all.setAccessibleName("Save every bidder's assessment summary into a folder")
        self.print_all = QPushButton("Print every bidder's summary…")
        self.print_all.setAccessibleName("Print every bidder's assessment summary")
        for b, slot in ((self.save_all, self._on_save_all_clicked), (self.print_all, self._on_print_all_clicked)):
            b.setMinimumHeight(34)
            b.clicked.connect(slot)
            every.addWidget(b)
        every.addStretch(1)
        self._every = QWidget()
        self._every.setLayout(every)
        every.setContentsMargins(0, 0, 0, 0)
        form.addRow(self._every)
        self.write_texts = QPushButton("Write the report's sections…")
        self.write_texts.setToolTip("Purpose, background, options, implications, wards, contact officer …")
        self.write_texts.clicked.connect(self._on_write_texts_clicked)
        self._gaps = QLabel()
        self._gaps.setWordWrap(True)
        form.addRow(self.write_texts)
        form.addRow(self._gaps)
        self.last = QLabel()
        self.last.setWordWrap(True)
        form.addRow(self.last)
        row.addWidget(box, 1)
        layout.addLayout(row, 1)
        self._printer: QPrinter | None = None       # kept referenced: see toolchain.md pitfall 5
        self._dialog: QPrintDialog | None = None
        self.last_pdf: bytes | None = None
        #: What was last done with each kind of paper ("Saved: …"), so one paper never shows another's file.
        self._last_by_kind: dict[str, str] = {}
        doc.changed.connect(self._on_doc_changed)
        self.kinds.setCurrentRow(0)

    def kind(self) -> Paper:
        """The kind of report selected."""
        return KINDS[max(0, self.kinds.currentRow())]

    def select(self, key: str, supplier: str | None = None) -> None:
        """Choose a kind of report (and bidder)."""
        self.kinds.setCurrentRow(next(i for i, k in enumerate(KINDS) if k.key == key))
        if supplier:
            self.bidder.setCurrentText(supplier)

    def paper(self) -> tuple[str, str | None]:
        k = self.kind()
        return k.key, (self.bidder.currentText() or None) if k.key != "award" else None

    def _refresh(self) -> None:
        k = self.kind()
        self._what.setText(k.what)
        current = self.bidder.currentText()
        self.bidder.clear()
        self.bidder.addItems([b.supplier for b in self.doc.tender.bids])
        if current:
            self.bidder.setCurrentText(current)
        self._form.setRowVisible(self.bidder, k.per_bidder or k.by_supplier)
        self._form.setRowVisible(self._every, k.per_bidder)
        self.last.setText(self._last_by_kind.get(k.key, ""))
        available = renderer_for(k.key) is not None
        for b in (self.preview, self.save, self.print_button):
            b.setEnabled(available)
        self.print_button.setEnabled(available and k.extension == ".pdf")     # Word is saved, not printed
        self._show_gaps(k.key.startswith("committee"))
        for b in (self.save_all, self.print_all):
            b.setEnabled(available and bool(self.doc.tender.bids))
        if not available:
            self.banner.set_message(f"The “{k.name}” paper is not available in this version of svdesk yet.", "info")
        else:
            self.banner.set_message("Ready. The paper reflects every change saved so far.", "good")

    @Slot(int)
    def _on_kinds_current_row_changed(self, _row: int) -> None:
        self._refresh()

    @Slot()
    def _on_doc_changed(self) -> None:
        self._refresh()

    # --- rendering off the GUI thread ---------------------------------------------------------------------

    def make_pdf(self, then: Callable[[bytes], None]) -> None:
        """Render the selected paper in the background, then call ``then`` with the PDF bytes."""
        k = self.kind()
        fn = renderer_for(k.key)
        if fn is None:
            return
        tender = self.doc.tender             # an immutable snapshot: safe to hand to another thread
        supplier = (self.bidder.currentText() or None) if k.per_bidder or k.by_supplier else None
        if k.per_bidder and not supplier:
            dialogs.show_error(self, "Choose a bidder", "Choose which bidder's summary to make.")
            return

        options = self._options(tender)     # here, once: it reads the council's logo file

        def work(progress: Progress) -> bytes:
            progress.report(10, f"Making the {k.name.lower()}…")
            pdf = k.render(tender, options, supplier)
            progress.report(100, "Done")
            return pdf

        def done(pdf: bytes) -> None:
            self.last_pdf = pdf
            then(pdf)
            self._say_logo_problem(options)

        def failed(message: str) -> None:
            dialogs.show_error(self, "The paper could not be made", message)

        run_task(self, f"Making the {k.name.lower()}", work, done, failed)

    def _tell(self, text: str) -> None:
        self._last_by_kind[self.kind().key] = text
        self.last.setText(text)

    def _options(self, tender: Tender) -> ReportOptions:
        return report_options(tender, self._audit_head())

    def _say_logo_problem(self, options: ReportOptions) -> None:
        """One line on the banner when the council's logo could not be used (the paper was made without it)."""
        if options.logo_problem:
            self.banner.set_message(f"{options.logo_problem}. Choose another logo in Tools → Council settings.",
                                    "warn")

    def _audit_head(self) -> str:
        audit_head = getattr(self.doc.database, "audit_head", None)
        if audit_head is None:
            return ""
        try:
            return str(audit_head())
        except SvdeskError:
            return ""

    def make_all_summaries(self, then: Callable[[list[tuple[str, bytes]]], None]) -> None:
        """Render every bidder's assessment summary in the background (all or none), then call ``then`` with
        ``(supplier, PDF bytes)`` for each, in the order of the bids."""
        fn = renderer_for("assessment")
        if fn is None or not self.doc.tender.bids:
            return
        tender = self.doc.tender
        options = self._options(tender)
        summary = paper("assessment")

        def work(progress: Progress) -> list[tuple[str, bytes]]:
            out = []
            n = len(tender.bids)
            for i, b in enumerate(tender.bids):
                progress.report(int(100 * i / n), f"Making the summary for {b.supplier} ({i + 1} of {n})…")
                out.append((b.supplier, summary.render(tender, options, b.supplier)))
            progress.report(100, "Done")
            return out

        def done(pdfs: list[tuple[str, bytes]]) -> None:
            then(pdfs)
            self._say_logo_problem(options)

        def failed(message: str) -> None:
            dialogs.show_error(self, "The summaries could not be made", message)

        run_task(self, "Making every bidder's assessment summary", work, done, failed)

    def save_all_to(self, folder: Path) -> None:
        """Save every bidder's assessment summary into ``folder`` (each file never half-written), then say where,
        with a button to open the folder."""
        def write(pdfs: list[tuple[str, bytes]]) -> None:
            from svdesk.atomic import write_bytes_atomic

            try:
                folder.mkdir(parents=True, exist_ok=True)
                paths = []
                for supplier, pdf in pdfs:
                    path = folder / suggested_name(self.doc.tender, "assessment", supplier)
                    write_bytes_atomic(path, pdf)
                    paths.append(path)
            except (OSError, SvdeskError) as e:
                dialogs.show_error(self, "The summaries were not saved", str(e))
                return
            n = len(paths)
            self._tell(f"Saved {n} assessment summar{'ies' if n != 1 else 'y'} in {folder}")
            dialogs.show_saved(self, "Summaries saved",
                               f"Saved {n} assessment summar{'ies' if n != 1 else 'y'}, one for each bidder, in "
                               f"{folder}:\n\n" + "\n".join(p.name for p in paths), folder)

        self.make_all_summaries(write)

    @Slot()
    def _on_save_all_clicked(self) -> None:
        folder = dialogs.choose_folder(self, "Save every bidder's summary into", str(Path.home()))
        if folder:
            self.save_all_to(Path(folder))

    @Slot()
    def _on_print_all_clicked(self) -> None:
        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._dialog = QPrintDialog(self._printer, self)
        self._dialog.setWindowTitle("Print every bidder's summary")
        if self._dialog.exec() != QDialog.DialogCode.Accepted:
            return
        printer = self._printer

        def send(pdfs: list[tuple[str, bytes]]) -> None:
            folder = Path(tempfile.gettempdir()) / "svdesk-print"
            folder.mkdir(exist_ok=True)
            for supplier, pdf in pdfs:
                path = folder / suggested_name(self.doc.tender, "assessment", supplier)
                path.write_bytes(pdf)
                try:
                    send_to_printer(path, printer)
                except (OSError, subprocess.SubprocessError) as e:
                    dialogs.show_error(self, "Not printed",
                                       f"The printer could not be reached ({e}). The summaries were saved in "
                                       f"{folder}; open them and print from your PDF viewer.")
                    return
            self._tell(f"Sent {len(pdfs)} summaries to {printer.printerName() or 'the printer'}.")

        self.make_all_summaries(send)

    def _file_name(self) -> str:
        k = self.kind()
        supplier = self.bidder.currentText() if k.per_bidder or k.by_supplier else None
        return suggested_name(self.doc.tender, k.key, supplier)

    @Slot()
    def _on_write_texts_clicked(self) -> None:
        from ui.report_texts_dialog import ReportTextsDialog

        ReportTextsDialog(self.doc, self).exec()
        self._refresh()

    def _show_gaps(self, committee: bool) -> None:
        from svdesk.reports.readiness import committee_sections_to_write

        self.write_texts.setVisible(committee)
        self.write_texts.setEnabled(not self.doc.read_only)
        missing = committee_sections_to_write(self.doc.tender) if committee else ()
        self._gaps.setVisible(bool(missing))
        self._gaps.setText("Still to write: " + ", ".join(missing) + "." if missing else "")

    @Slot()
    def _on_preview_clicked(self) -> None:
        def show(pdf: bytes) -> None:
            folder = Path(tempfile.gettempdir()) / "svdesk-preview"
            folder.mkdir(exist_ok=True)
            path = folder / self._file_name()
            path.write_bytes(pdf)
            self._tell(f"Preview: {path} ({len(pdf) // 1024 + 1} KB)")
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        self.make_pdf(show)

    @Slot()
    def _on_save_clicked(self) -> None:
        default = str(Path.home() / self._file_name())
        kinds = "Word documents (*.docx)" if self.kind().extension == ".docx" else "PDF files (*.pdf)"
        path = dialogs.save_file(self, "Save the paper", default, kinds)
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Render and save the selected paper to ``path`` (never half-written)."""
        def write(pdf: bytes) -> None:
            from svdesk.atomic import write_bytes_atomic

            try:
                write_bytes_atomic(path, pdf)
            except (OSError, SvdeskError) as e:
                dialogs.show_error(self, "The paper was not saved", str(e))
                return
            self._tell(f"Saved: {path}")
            dialogs.show_saved(self, "Paper saved", f"Saved the {self.kind().name.lower()}:\n\n{path}", path)

        self.make_pdf(write)

    @Slot()
    def _on_print_clicked(self) -> None:
        self.print_selected()

    def print_selected(self) -> None:
        """Ask for a printer, then print the selected paper (Ctrl+P on this page)."""
        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._dialog = QPrintDialog(self._printer, self)
        self._dialog.setWindowTitle("Print the paper")
        if self._dialog.exec() != QDialog.DialogCode.Accepted:
            return
        printer = self._printer

        def send(pdf: bytes) -> None:
            folder = Path(tempfile.gettempdir()) / "svdesk-print"
            folder.mkdir(exist_ok=True)
            path = folder / self._file_name()
            path.write_bytes(pdf)
            try:
                send_to_printer(path, printer)
            except (OSError, subprocess.SubprocessError) as e:
                dialogs.show_error(self, "Not printed",
                                   f"The printer could not be reached ({e}). The paper was saved at {path}; "
                                   "open it and print from your PDF viewer.")
                return
            self._tell(f"Sent to {printer.printerName() or 'the printer'}.")

        self.make_pdf(send)
