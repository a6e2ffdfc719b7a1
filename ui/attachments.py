"""Files attached to bids, in the app: the officer's Attachments… dialog (Bids page) and the member's list of a
bid's files in the marking window.

Adding and removing a file is saved at once and audited by the database, but is **not** on the undo stack:
the bytes would have to be kept in the undo history, and an undo must never be what removes the only copy of
a bidder's document. The dialog says so. Opening a file writes its bytes, checked against its SHA-256 first,
to a private temporary folder (readable only by this user) under the file's own name, and hands it to the
computer's viewer (``QDesktopServices.openUrl``).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain import limits
from svdesk.domain.attachments import ALLOWED_TEXT, TYPES, Attachment, AttachmentKind, check_name, sha256_hex, size_text
from svdesk.domain.rules import frozen_reason
from svdesk.errors import SvdeskError
from svdesk.io.packs import PackAttachment
from ui import dialogs
from ui.document import TenderDocument

#: The file dialog's filter: every type svdesk attaches.
FILE_FILTER = (f"Documents ({' '.join('*' + e for e in TYPES)});;"
               + ";;".join(f"{label} (*{ext})" for ext, (_, label) in TYPES.items()))
UNDO_NOTE = ("Adding or removing a file is saved at once and recorded in the audit log; Undo does not take it "
             "back. Response files are sent in the evaluators' packs; pricing files never are.")

_private: Path | None = None


#: Opened copies older than this, left by an earlier session (a viewer held them open), are removed.
STALE_SECONDS = 24 * 3600


def private_folder() -> Path:
    """This session's private temporary folder for opened files (made readable by this user only).

    The bidders' documents are copies for reading: the folder is removed when svdesk closes (what a viewer still
    holds open on Windows stays, and goes at a later start once a day old).
    """
    global _private
    if _private is None or not _private.is_dir():
        remove_stale_copies()
        _private = Path(tempfile.mkdtemp(prefix="svdesk-files-"))
        with contextlib.suppress(OSError):
            os.chmod(_private, 0o700)
        atexit.register(shutil.rmtree, _private, True)
    return _private


def remove_stale_copies(now: float | None = None) -> int:
    """Remove this user's opened-file folders a day old or more; how many went."""
    gone = 0
    moment = time.time() if now is None else now
    for old in Path(tempfile.gettempdir()).glob("svdesk-files-*"):
        with contextlib.suppress(OSError):
            if old.is_dir() and not old.is_symlink() and moment - old.stat().st_mtime >= STALE_SECONDS:
                shutil.rmtree(old, ignore_errors=True)
                gone += not old.exists()
    return gone


def open_bytes(name: str, data: bytes, sha256: str) -> Path:
    """Write a file's bytes (checked against ``sha256`` first) to the private folder and open it in its viewer.

    Raises:
        SvdeskError: the bytes do not match their SHA-256, or the name is not a safe file name.
    """
    if sha256_hex(data) != sha256:
        raise SvdeskError(f"{name} does not match its SHA-256: it was damaged, so it was not opened")
    check_name(name)
    folder = Path(tempfile.mkdtemp(prefix="f-", dir=private_folder()))   # one folder a file: names never clash
    path = folder / name
    with open(path, "xb") as fh:
        fh.write(data)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return path


def _criterion_text(names: Mapping[str, str], cid: str | None) -> str:
    """What a file answers, as the reader sees the criteria: its name (the id when it is gone)."""
    if cid is None:
        return "the bid as a whole"
    return names.get(cid) or cid


class AttachmentsDialog(QDialog):
    """The files attached to one bid: list, Add…, Remove, Open."""

    COLUMNS = ("Name", "What it is", "Kind", "Answers", "Size", "Added")

    def __init__(self, doc: TenderDocument, supplier: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.supplier = supplier
        self.setWindowTitle(f"Files attached to {supplier}'s bid")
        lay = QVBoxLayout(self)
        self.note = QLabel(UNDO_NOTE)
        self.note.setWordWrap(True)
        lay.addWidget(self.note)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setAccessibleName("Attached files")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)   # a long file name takes what is left
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)        # … and keeps its extension in view
        self.table.setWordWrap(False)                                    # (wrapping would elide its end)
        self.table.itemSelectionChanged.connect(self._update)
        self.table.doubleClicked.connect(lambda _ix: self.open_selected())
        lay.addWidget(self.table, 1)
        bar = QHBoxLayout()                 # what the buttons under the list do: to the selected file
        self.open_button = QPushButton("Open")
        self.open_button.setAccessibleName("Open the selected file")
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the selected file")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        bar.addWidget(QLabel("Selected file:"))
        for b in (self.open_button, self.remove_button):
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        adding = QGroupBox("Add a file to this bid")   # the fields are for the next file, not the selected one
        form = QFormLayout(adding)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of file to add")
        for k in AttachmentKind:
            self.kind.addItem(k.label, k.value)
        self.criterion = QComboBox()
        self.criterion.setAccessibleName("Criterion the file answers")
        self.criterion.addItem("The bid as a whole", None)
        for c in doc.tender.criteria:
            self.criterion.addItem(f"{c.name} ({c.id})", c.id)
        self.label = QLineEdit()
        self.label.setAccessibleName("What the file is")
        self.label.setPlaceholderText("optional, e.g. Method statement, section 3")
        form.addRow("Kind:", self.kind)
        form.addRow("Answers:", self.criterion)
        form.addRow("What it is:", self.label)
        self.add_button = QPushButton("Choose the file and add it…")
        self.add_button.setAccessibleName("Add a file to this bid")
        self.add_button.clicked.connect(self._on_add_clicked)
        form.addRow("", self.add_button)
        lay.addWidget(adding)
        self.status = QLabel()
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.stale = QLabel()               # which members' packs no longer show the bid's files as they are
        self.stale.setWordWrap(True)
        self.stale.setAccessibleName("Packs to send again")
        self.stale.setStyleSheet("QLabel { background: #FFF4D6; border: 1px solid #C98A00; padding: 4px; }")
        self.stale.setVisible(False)
        lay.addWidget(self.stale)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.resize(940, 440)
        self.refresh()

    @property
    def files(self) -> tuple[Attachment, ...]:
        """The bid's files as the document holds them."""
        return self.doc.tender.attachments_of(self.supplier)

    def refresh(self) -> None:
        """Show the bid's files again."""
        files = self.files
        names = {c.id: c.name for c in self.doc.tender.criteria}
        self.table.setRowCount(len(files))
        for row, a in enumerate(files):
            added = "" if a.added_at is None else a.added_at.astimezone().strftime("%d %b %Y %H:%M")
            for col, text in enumerate((a.name, a.label, a.kind.value.capitalize(), _criterion_text(names, a.criterion),
                                        size_text(a.size), f"{added} {a.added_by}".strip())):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        if files and not self.table.selectedItems():
            self.table.selectRow(0)
        self._update()

    def frozen(self) -> str | None:
        """Why files cannot be added or removed (``None``: they can)."""
        if self.doc.read_only:
            return "The database is open read-only, so files cannot be added or removed."
        return frozen_reason(self.doc.tender, "attachments")

    def selected(self) -> Attachment | None:
        """The selected file."""
        rows = self.table.selectionModel().selectedRows()
        files = self.files
        return files[rows[0].row()] if rows and rows[0].row() < len(files) else None

    def _update(self) -> None:
        why = self.frozen()
        chosen = self.selected() is not None
        for w in (self.add_button, self.kind, self.criterion, self.label):
            w.setEnabled(why is None)
            w.setToolTip(why or "")
        self.remove_button.setEnabled(why is None and chosen)
        self.remove_button.setToolTip(why or "")
        self.open_button.setEnabled(chosen)
        n = len(self.files)
        text = f"{n} of at most {limits.MAX_ATTACHMENTS_PER_BID} files"
        self.status.setText(f"{why} {text}." if why else f"{text}; at most {size_text(limits.MAX_ATTACHMENT_BYTES)} "
                                                          f"each ({ALLOWED_TEXT}).")

    def add_file(self, path: str | Path) -> Attachment | None:
        """Attach a file with the kind, criterion and label chosen; a refusal is shown as one message."""
        p = Path(path)
        kind = AttachmentKind(self.kind.currentData())
        try:
            size = p.stat().st_size
            if size > limits.MAX_ATTACHMENT_BYTES:
                raise SvdeskError(f"'{p.name}' is too large ({size:,} bytes; the limit is "
                                  f"{limits.MAX_ATTACHMENT_BYTES:,} bytes a file)")
            data = p.read_bytes()
        except OSError as e:
            dialogs.show_error(self, "The file was not attached", f"{p.name} cannot be read ({e.strerror or e}).")
            return None
        except SvdeskError as e:
            dialogs.show_error(self, "The file was not attached", str(e))
            return None
        try:
            a = self.doc.database.add_attachment(self.doc.reference, self.supplier, p.name, data, who=self.doc.who,
                                                 kind=kind, criterion=self.criterion.currentData(),
                                                 label=self.label.text())
        except SvdeskError as e:
            dialogs.show_error(self, "The file was not attached", getattr(e, "message", None) or str(e))
            return None
        self.doc.set_attachments((*self.doc.tender.attachments, a), self.supplier)
        self.label.clear()
        self.refresh()
        self.table.selectRow(len(self.files) - 1)
        self._tell_stale(a, "this file is not in")
        return a

    def _tell_stale(self, a: Attachment, change: str) -> None:
        from svdesk.io.packs import stale_pack_note

        note = stale_pack_note(self.doc.tender, a.supplier, change) if a.kind is AttachmentKind.RESPONSE else None
        self.stale.setText(note or "")
        self.stale.setVisible(bool(note))

    def remove(self, a: Attachment) -> bool:
        """Remove a file after the officer confirms."""
        if not dialogs.confirm(self, "Remove the file?", f"Remove {a.name} from {self.supplier}'s bid? It is "
                               f"recorded in the audit log, and Undo does not bring it back.", "Remove"):
            return False
        try:
            gone = self.doc.database.remove_attachment(self.doc.reference, self.supplier, a.name, who=self.doc.who)
        except SvdeskError as e:
            dialogs.show_error(self, "The file was not removed", str(e))
            return False
        self.doc.set_attachments(tuple(x for x in self.doc.tender.attachments if x != gone), self.supplier)
        self.refresh()
        self._tell_stale(gone, "they still have this file in")
        return True

    @Slot()
    def _on_add_clicked(self) -> None:
        path = dialogs.open_file(self, f"Attach a file to {self.supplier}'s bid", "", FILE_FILTER)
        if path:
            self.add_file(path)

    @Slot()
    def _on_remove_clicked(self) -> None:
        a = self.selected()
        if a is not None:
            self.remove(a)

    @Slot()
    def open_selected(self) -> Path | None:
        """Open the selected file in the computer's viewer (its bytes checked by SHA-256 first)."""
        a = self.selected()
        if a is None:
            return None
        try:
            data = self.doc.database.attachment_bytes(self.doc.reference, self.supplier, a.name)
            return open_bytes(a.name, data, a.sha256)
        except (SvdeskError, OSError) as e:
            dialogs.show_error(self, "The file was not opened", str(e))
            return None


class PackFilesBox(QWidget):
    """The marking window's list of the current bid's files, with Open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._files: tuple[PackAttachment, ...] = ()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel("The bidder's files:")
        lay.addWidget(self.title)
        row = QHBoxLayout()
        self.list = QComboBox()
        self.list.setAccessibleName("The bidder's files")
        self.list.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.open_button = QPushButton("Open")
        self.open_button.setAccessibleName("Open the bidder's file")
        self.open_button.clicked.connect(self.open_current)
        row.addWidget(self.list, 1)
        row.addWidget(self.open_button)
        lay.addLayout(row)
        self.set_files(())

    def set_files(self, files: tuple[PackAttachment, ...], cid: str | None = None,
                  names: Mapping[str, str] | None = None) -> None:
        """Show a bid's files, those answering criterion ``cid`` first (``names``: the criteria's, by id)."""
        self._files = tuple(sorted(files, key=lambda f: (f.criterion != cid, f.criterion is not None)))
        self.list.clear()
        for f in self._files:
            about = f" — {f.label}" if f.label else ""
            self.list.addItem(f"{f.name} ({size_text(f.size)}, {_criterion_text(names or {}, f.criterion)}){about}")
            self.list.setItemData(self.list.count() - 1, f.label or f.name, Qt.ItemDataRole.ToolTipRole)
        if not self._files:
            self.list.addItem("No files attached to this bid")
        self.list.setEnabled(bool(self._files))
        self.open_button.setEnabled(bool(self._files))

    @property
    def files(self) -> tuple[PackAttachment, ...]:
        """The files shown, in order."""
        return self._files

    @Slot()
    def open_current(self) -> Path | None:
        """Extract the chosen file to the private folder (SHA-256 checked) and open it."""
        i = self.list.currentIndex()
        if not self._files or i < 0:
            return None
        f = self._files[i]
        try:
            return open_bytes(f.name, f.read(), f.sha256)
        except (SvdeskError, OSError) as e:
            dialogs.show_error(self, "The file was not opened", str(e))
            return None
