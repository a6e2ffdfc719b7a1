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
    QFileDialog,
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
    """The papers' options: the council's name from setup when the tender names no buyer, the audit head."""
    from svdesk.reports.options import ReportOptions

    authority = "" if tender.buyer else settings.authority_name()
    return ReportOptions(authority=authority, audit_head=audit_head)


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
    return f"{tender.reference}-{kind}{'-' + safe if safe else ''}.pdf"


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
        self.last = QLabel()
        self.last.setWordWrap(True)
        form.addRow(self.last)
        row.addWidget(box, 1)
        layout.addLayout(row, 1)
        self._printer: QPrinter | None = None       # kept referenced: see toolchain.md pitfall 5
        self._dialog: QPrintDialog | None = None
        self.last_pdf: bytes | None = None
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

    def _refresh(self) -> None:
        k = self.kind()
        self._what.setText(k.what)
        current = self.bidder.currentText()
        self.bidder.clear()
        self.bidder.addItems([b.supplier for b in self.doc.tender.bids])
        if current:
            self.bidder.setCurrentText(current)
        self._form.setRowVisible(self.bidder, k.per_bidder or k.by_supplier)
        available = renderer_for(k.key) is not None
        for b in (self.preview, self.save, self.print_button):
            b.setEnabled(available)
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
        supplier = (self.bidder.currentText() or None) if k.key != "award" else None
        if k.per_bidder and not supplier:
            dialogs.show_error(self, "Choose a bidder", "Choose which bidder's summary to make.")
            return

        head = ""
        audit_head = getattr(self.doc.database, "audit_head", None)
        if audit_head is not None:
            try:
                head = str(audit_head())
            except SvdeskError:
                head = ""

        def work(progress: Progress) -> bytes:
            progress.report(10, f"Making the {k.name.lower()}…")
            pdf = fn(tender, supplier, head)
            progress.report(100, "Done")
            return pdf

        def done(pdf: bytes) -> None:
            self.last_pdf = pdf
            then(pdf)

        def failed(message: str) -> None:
            dialogs.show_error(self, "The paper could not be made", message)

        run_task(self, f"Making the {k.name.lower()}", work, done, failed)

    def _file_name(self) -> str:
        k = self.kind()
        supplier = self.bidder.currentText() if k.key != "award" else None
        return suggested_name(self.doc.tender, k.key, supplier)

    @Slot()
    def _on_preview_clicked(self) -> None:
        def show(pdf: bytes) -> None:
            folder = Path(tempfile.gettempdir()) / "svdesk-preview"
            folder.mkdir(exist_ok=True)
            path = folder / self._file_name()
            path.write_bytes(pdf)
            self.last.setText(f"Preview: {path} ({len(pdf) // 1024 + 1} KB)")
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        self.make_pdf(show)

    @Slot()
    def _on_save_clicked(self) -> None:
        default = str(Path.home() / self._file_name())
        path, _ = QFileDialog.getSaveFileName(self, "Save the paper", default, "PDF files (*.pdf)")
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> None:
        """Render and save the selected paper to ``path`` (never half-written)."""
        def write(pdf: bytes) -> None:
            from svdesk.atomic import write_bytes_atomic

            write_bytes_atomic(path, pdf)
            self.last.setText(f"Saved: {path}")

        self.make_pdf(write)

    @Slot()
    def _on_print_clicked(self) -> None:
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
            self.last.setText(f"Sent to {printer.printerName() or 'the printer'}.")

        self.make_pdf(send)
