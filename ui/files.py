"""Files in and out, as the window offers them: bids from CSV/XLSX with a preview, the bids template, a tender
file or OCDS notice as a new tender, and export as a tender file, CSV, XLSX or an OCDS award release.

The reading and writing is :mod:`svdesk.io`'s; this module holds the dialogs that show a preview or the
problems found, and small functions the window runs off the GUI thread (:mod:`ui.workers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain.tender import Tender
from svdesk.errors import FileFormatError
from svdesk.io import formats
from svdesk.io.formats import (
    CSV_TABLES,
    EXPORT_FORMATS,
    ExportOptions,
    TenderFromFile,
    export_format,
    import_kind,
    recognise_file,
)

if TYPE_CHECKING:
    from svdesk.io.bids_import import BidsImport

#: What a spreadsheet of bids may be.
BIDS_FILTER = "Spreadsheets (*.xlsx *.csv);;Excel workbooks (*.xlsx);;CSV files (*.csv)"
#: What may become a new tender.
TENDER_FILTER = "Tender files and OCDS notices (*.json);;All files (*)"

_WHERE = re.compile(r"^row (\d+)(?:, column (.+))?$")


def plural(n: int, word: str, many: str = "") -> str:
    """``1 bid``, ``2 bids``."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


# --- bids: the preview ----------------------------------------------------------------------------------


def preview_bids(tender: Tender, path: str) -> BidsImport | FileFormatError:
    """Read a sheet of bids and preview importing it (run off the GUI thread).

    Returns the ``BidsImport`` preview, or the ``FileFormatError`` that refused it (an
    ``ImportRejectedError`` lists every problem): the caller shows either in a dialog.
    """
    from svdesk.io.bids_import import preview_bids_file

    try:
        return preview_bids_file(tender, path)
    except FileFormatError as e:
        return e


class BidsPreviewDialog(QDialog):
    """What a bids import will change, before anything changes: new bids, values before → after, warnings."""

    def __init__(self, preview: BidsImport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        name = Path(preview.source).name
        self.setWindowTitle(f"Import bids from {name}")
        self.setAccessibleName(self.windowTitle())
        self.resize(1060, 560)
        layout = QVBoxLayout(self)
        new, changed = preview.new_bids, preview.changed_bids
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        if preview.has_changes:
            self.summary.setText(
                f"<b>{name}</b> adds {plural(len(new), 'new bid')} and changes {plural(len(changed), 'bid')}"
                f" ({len(preview.unchanged)} unchanged). Nothing has changed yet: check the values below, then "
                "press Import. Edit → Undo takes the whole import back.")
        else:
            self.summary.setText(f"<b>{name}</b> changes nothing: every value in it is already recorded.")
        layout.addWidget(self.summary)

        self.changes = QTreeWidget()
        self.changes.setAccessibleName("What the import changes")
        self.changes.setColumnCount(3)
        self.changes.setHeaderLabels(["Bid and value", "Before", "After"])
        self.changes.setAlternatingRowColors(True)
        self.changes.setWordWrap(True)
        for bc in preview.changes:
            top = QTreeWidgetItem([f"{'New bid' if bc.new else 'Changed'}: {bc.supplier} (row {bc.row})", "", ""])
            f = top.font(0)
            f.setBold(True)
            top.setFont(0, f)
            for fc in bc.changes:
                child = QTreeWidgetItem([fc.field, "—" if bc.new else fc.before, fc.after])
                for col in (1, 2):
                    child.setToolTip(col, child.text(col))      # a long reason, whole
                top.addChild(child)
            self.changes.addTopLevelItem(top)
        self.changes.expandAll()
        # Before and after share the width, so both are always in view (values are at most about 60 characters;
        # with a large font they are cut short here and whole in their tooltips).
        h = self.changes.header()
        h.setStretchLastSection(False)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.changes, 3)

        self.warnings = QListWidget()
        self.warnings.setAccessibleName("Things to check")
        self.warnings.setWordWrap(True)
        for w in preview.warnings:
            self.warnings.addItem(w)
        self.warnings_label = QLabel(f"Check {'this' if len(preview.warnings) == 1 else 'these'} (they do not stop "
                                     "the import):")
        self.warnings_label.setBuddy(self.warnings)
        has_warnings = bool(preview.warnings)
        self.warnings_label.setVisible(has_warnings)
        self.warnings.setVisible(has_warnings)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.warnings, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Import")
        self.ok.setEnabled(preview.has_changes)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def lines(self) -> list[str]:
        """Everything the change list shows, one line per row (bids and their values)."""
        out = []
        for i in range(self.changes.topLevelItemCount()):
            top = self.changes.topLevelItem(i)
            if top is None:
                continue
            out.append(top.text(0))
            for j in range(top.childCount()):
                c = top.child(j)
                if c is not None:
                    out.append(f"  {c.text(0)}: {c.text(1)} → {c.text(2)}")
        return out


# --- any import: the problems ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One problem found in a file, split for the table: row, column, what is wrong."""

    row: str
    column: str
    reason: str


def problems_of(error: FileFormatError) -> list[Problem]:
    """Every problem an import was refused for, with its row and column where the file has them."""
    out = []
    for p in getattr(error, "problems", None) or (error,):
        m = _WHERE.match(p.where or "")
        if m:
            out.append(Problem(m.group(1), (m.group(2) or "").strip('"'), p.message))
        else:
            out.append(Problem("", p.where, p.message))
    return out


class ImportProblemsDialog(QDialog):
    """Why nothing was imported: every problem, with its row and column, to fix in the file."""

    def __init__(self, error: FileFormatError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nothing was imported")
        self.setAccessibleName(self.windowTitle())
        self.resize(820, 440)
        self.problems = problems_of(error)
        more = int(getattr(error, "more", 0) or 0)
        total = len(self.problems) + more
        name = Path(error.path).name if error.path else "The file"
        layout = QVBoxLayout(self)
        self.intro = QLabel(
            f"<b>{name}</b> was not imported because of {plural(total, 'problem')}. Nothing was changed. Fix "
            f"{'it' if total == 1 else 'them'} in the file and import it again."
            + (f" Only the first {len(self.problems)} are listed." if more else ""))
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QTableWidget(len(self.problems), 3)
        self.table.setAccessibleName("Problems found")
        self.table.setHorizontalHeaderLabels(["Row", "Column", "Problem"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        for r, p in enumerate(self.problems):
            for c, text in enumerate((p.row, p.column, p.reason)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 220)
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)


# --- a new tender from a file ---------------------------------------------------------------------------


def read_tender(path: str, reference: str | None = None) -> TenderFromFile:
    """Read a tender file or an OCDS notice (run off the GUI thread); checked before it is offered.

    Raises:
        FileFormatError: not a file svdesk reads, or a tender that breaks a rule (named by field).
    """
    if import_kind(recognise_file(path)).bids:
        raise FileFormatError(path, "", "is a spreadsheet: import bids into an open tender (Bids → Import bids…)")
    return formats.read_tender(path, reference)


# --- export ---------------------------------------------------------------------------------------------

class ExportDialog(QDialog):
    """Choose what to export the tender as."""

    def __init__(self, tender: Tender, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Export {tender.reference}")
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Save the tender as:"))
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for i, f in enumerate(EXPORT_FORMATS):
            key, label, why = f.key, f.label, f.purpose
            b = QRadioButton(label)
            b.setAccessibleName(label)
            b.setAccessibleDescription(why)
            b.setToolTip(why)
            self.group.addButton(b, i)
            self.buttons[key] = b
            layout.addWidget(b)
            hint = QLabel(why)
            hint.setWordWrap(True)
            hint.setIndent(24)
            hint.setStyleSheet("color: palette(placeholder-text);")
            layout.addWidget(hint)
            if key == "json":
                self.private = QCheckBox("Include officers' private notes")
                self.private.setChecked(True)
                self.private.setToolTip("Untick when the file goes outside the council")
                row = QHBoxLayout()
                row.addSpacing(24)
                row.addWidget(self.private)
                row.addStretch(1)
                layout.addLayout(row)
            if key == "csv":
                row = QHBoxLayout()
                row.addSpacing(24)
                label_w = QLabel("&Table:")
                self.table = QComboBox()
                self.table.setAccessibleName("Which table")
                for value, text in CSV_TABLES:
                    self.table.addItem(text, value)
                label_w.setBuddy(self.table)
                row.addWidget(label_w)
                row.addWidget(self.table)
                row.addStretch(1)
                layout.addLayout(row)
        self.buttons["json"].setChecked(True)
        self.group.idToggled.connect(lambda _i, _on: self._update())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose where to save…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update()

    def _update(self) -> None:
        self.private.setEnabled(self.fmt() == "json")
        self.table.setEnabled(self.fmt() == "csv")

    def fmt(self) -> str:
        """The format chosen (json, xlsx, csv or ocds)."""
        return EXPORT_FORMATS[max(0, self.group.checkedId())].key

    def choose(self, fmt: str, table: str = "results", private: bool = True) -> None:
        """Set the choices (what the officer would click)."""
        self.buttons[fmt].setChecked(True)
        self.table.setCurrentIndex(max(0, self.table.findData(table)))
        self.private.setChecked(private)

    def options(self) -> ExportChoice:
        """What to write."""
        return ExportChoice(self.fmt(), str(self.table.currentData()), self.private.isChecked())


@dataclass(frozen=True)
class ExportChoice:
    """What to export: the format, the CSV table, and whether private notes go in a tender file."""

    fmt: str
    table: str = "results"
    private: bool = True

    def default_name(self, reference: str) -> str:
        """A file name to offer."""
        return export_format(self.fmt).default_name(reference, ExportOptions(table=self.table))

    def filter(self) -> str:
        """The save dialog's filter."""
        f = export_format(self.fmt)
        return f"{f.label.split(' (')[0]} (*.{f.extension})"


def export_tender(tender: Tender, path: str, choice: ExportChoice) -> tuple[list[str], Tender]:
    """Write the tender (run off the GUI thread); returns anything to tell the officer afterwards, and the tender
    as published (an OCDS export assigns its ocid and party ids: save them back, so they never change).

    Raises:
        SvdeskError: it cannot be written (e.g. a tender that cannot be scored yet, for results).
    """
    from svdesk.io.ocds import published_form
    from ui import settings

    prefix = settings.council().ocid_prefix or None      # the council's setting, before $SVDESK_OCID_PREFIX
    published = published_form(tender, choice.fmt, prefix)
    notes = export_format(choice.fmt).write(published, path, ExportOptions(table=choice.table,
                                                                           private=choice.private,
                                                                           ocid_prefix=prefix))
    return notes, published
