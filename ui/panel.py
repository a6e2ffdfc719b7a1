"""The evaluation panel in the app: members and declarations, packs sent and returns merged, and marking a pack.

- :class:`PanelBox` (on the Scoring page): per member, the declaration, pack sent (when), returned (when) and
  marks done of marks due; Add member…, Declaration…, Send pack…, Import return…, Go on without all returns….
- :class:`DeclarationDialog`, :class:`MergePreviewDialog`: the declaration of interest, and the preview of every
  mark and reason a return changes (nothing applies until Merge).
- :class:`MarkingWindow`: an evaluator's pack opened in their own svdesk with no database ("You are marking
  NET-2026-01 as KT"); every mark is saved at once into the return file beside the pack.

The rules are the core's (:mod:`svdesk.domain.panel`, :mod:`svdesk.io.packs`); this module only shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain import panel as P  # noqa: N812  (reads like the domain: P.declare, P.Role)
from svdesk.domain.tender import Tender
from svdesk.errors import SvdeskError
from svdesk.io import packs
from ui import dialogs, smoke
from ui.attachments import PackFilesBox
from ui.commands import EditCommand, TenderEdit
from ui.document import EVERYTHING, TenderDocument

PACK_FILTER = "Evaluator packs and returns (*.svpack)"
Index = QModelIndex | QPersistentModelIndex
NO_INDEX = QModelIndex()
YELLOW = QColor("#fff3c4")
AMBER = QColor("#ffe0b3")


def _when(at: datetime | None) -> str:
    return "—" if at is None else at.astimezone().strftime("%d %b %Y %H:%M").lstrip("0")


def return_path_for(pack_path: Path) -> Path:
    """Where a pack's return is saved as the member marks: beside the pack, ``KT.svpack`` → ``KT-return.svpack``."""
    stem = pack_path.stem.removesuffix("-pack")
    return pack_path.with_name(f"{stem}-return.svpack")


# ---------------------------------------------------------------------------------------------------------
# Edits (undoable commands)
# ---------------------------------------------------------------------------------------------------------


def PanelEdit(doc: TenderDocument, edit: Callable[[Tender], Tender], text: str) -> TenderEdit:
    """A change to the panel (a member, a declaration, an answer, the reason to go on): a pure domain edit,
    undone by putting the tender back as it was."""
    return TenderEdit(doc, text, edit, EVERYTHING)


class MergeReturn(EditCommand):
    """Merge a previewed return, saved (and audited) under the member's initials; undo puts the tender back."""

    def __init__(self, doc: TenderDocument, preview: packs.MergePreview, include_moderated: bool) -> None:
        super().__init__(doc, f"Merge {preview.initials}'s return")
        self._preview = preview
        self._include = include_moderated
        self._before: Tender | None = None

    def apply(self) -> None:
        before = self._doc.tender
        merged = packs.apply_merge(before, self._preview, include_moderated=self._include)
        self._doc.commit_edit(merged, packs.merge_action(self._preview, self._doc.who), EVERYTHING,
                              who=self._preview.initials)
        self._before = before

    def revert(self) -> None:
        assert self._before is not None, "undo before the merge was applied"
        self._doc.commit_edit(self._before, f"Undo: {self.text()}", EVERYTHING)


# ---------------------------------------------------------------------------------------------------------
# The panel's status (Scoring page)
# ---------------------------------------------------------------------------------------------------------


class PanelModel(QAbstractTableModel):
    """One row per panel member: declaration, pack sent, returned, marks done of due."""

    HEADERS = ("Member", "Role", "Declaration", "Pack sent", "Returned", "Marks")

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._doc = doc
        self._rows: list[P.MemberStatus] = P.status(doc.tender)
        doc.changed.connect(self._on_doc_changed)

    @Slot()
    def _on_doc_changed(self) -> None:
        self.beginResetModel()
        self._rows = P.status(self._doc.tender)
        self.endResetModel()

    def member(self, row: int) -> P.Member:
        """The member on this row."""
        return self._rows[row].member

    def rowCount(self, parent: Index = NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        s = self._rows[index.row()]
        m, col = s.member, index.column()
        d = m.declaration
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return m.label
            if col == 1:
                return m.role.label
            if col == 2:
                if d is None:
                    return "Not declared yet"
                if not d.conflict:
                    return "No conflict"
                return "Conflict: NOT MITIGATED" if d.unmitigated else f"Conflict ({', '.join(d.bidders)}): mitigated"
            if m.role is not P.Role.EVALUATOR:
                return "—"
            if col == 3:
                return _when(m.pack_sent)
            if col == 4:
                return "waiting" if m.awaiting_return else _when(m.returned)
            return f"{s.marks_done} of {s.marks_due}"
        if role == Qt.ItemDataRole.ToolTipRole and col == 2 and d is not None:
            return d.summary()
        if role == Qt.ItemDataRole.BackgroundRole:
            if col == 2 and (d is None or d.unmitigated):
                return QBrush(AMBER)
            if col == 4 and m.awaiting_return:
                return QBrush(YELLOW)
        return None


class PanelBox(QGroupBox):
    """The evaluation panel on the Scoring page.

    Signals:
        evaluator_added(str): a member was put on the panel (the page marks as them).
    """

    evaluator_added = Signal(str)

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__("Evaluation panel", parent)
        self.doc = doc
        self.model = PanelModel(doc, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Evaluation panel")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(150)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add member…")
        self.declare_button = QPushButton("Declaration…")
        self.send_button = QPushButton("Send pack…")
        self.import_button = QPushButton("Import return…")
        self.proceed_button = QPushButton("Go on without all returns…")
        self.answers_button = QPushButton("Bidders' answers…")
        self.answers_button.setToolTip("Paste each bidder's answer to each question: the evaluators read them "
                                       "in their packs")
        for b, slot in ((self.add_button, self._on_add_clicked), (self.declare_button, self._on_declare_clicked),
                        (self.answers_button, self._on_answers_clicked),
                        (self.send_button, self.on_send_clicked), (self.import_button, self.on_import_clicked),
                        (self.proceed_button, self._on_proceed_clicked)):
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addLayout(buttons)
        lay.addWidget(self.status)
        doc.changed.connect(self._on_doc_changed)
        self._on_doc_changed()

    # --- what the buttons do (also called by tests and the File menu) -------------------------------------

    def add_member(self, initials: str, name: str = "", role: P.Role = P.Role.EVALUATOR) -> bool:
        """Put someone on the panel (stored at once, undoable)."""
        who = initials.strip()
        ok = self.doc.push(PanelEdit(self.doc, lambda t: P.add_member(t, who, name, role),
                                     f"Add {who} to the evaluation panel"))
        if ok and role is P.Role.EVALUATOR:
            self.evaluator_added.emit(self.doc.tender.panel.member(who).initials)
        return ok

    def declare(self, initials: str, declaration: P.Declaration) -> bool:
        """Record a member's declaration of interest."""
        return self.doc.push(PanelEdit(self.doc, lambda t: P.declare(t, initials, declaration),
                                       f"Record {initials}'s declaration of interest"))

    def set_answer(self, supplier: str, cid: str, text: str) -> bool:
        """Record a bidder's answer to a question (what evaluators read in their packs)."""
        from svdesk.domain.tender import set_response

        return self.doc.push(PanelEdit(self.doc, lambda t: set_response(t, supplier, cid, text),
                                       f"Record {supplier}'s answer to {self.doc.criterion(cid).name}"))

    def proceed(self, reason: str) -> bool:
        """Go on to moderation with returns still out, recording why."""
        return self.doc.push(PanelEdit(self.doc, lambda t: P.proceed_without_returns(t, reason),
                                       "Go on to moderation before every return is in"))

    def send_pack(self, initials: str, path: str | Path) -> str:
        """Write a member's pack and record it on the panel; returns its fingerprint.

        Not on the undo stack: once the file has gone out, the record of it must stay (a return answers it).

        Raises:
            SvdeskError: the member may not be sent a pack (no declaration, an unmitigated conflict …).
        """
        t = self.doc.tender
        head = ""
        audit_head = getattr(self.doc.database, "audit_head", None)
        if callable(audit_head):
            head = str(audit_head())
        now = datetime.now(UTC)
        db = self.doc.database
        ref = t.reference

        def read(supplier: str, name: str) -> bytes:     # the bids' response files, checked by SHA-256
            return db.attachment_bytes(ref, supplier, name)

        data, sha = packs.make_pack(t, initials, audit_head=head, now=now, attachments=read)
        member = t.panel.member(initials)
        target = packs.write_file(path, data)
        try:
            self.doc.commit_edit(P.record_pack_sent(t, member.initials, now, sha),
                                 f"Evaluator pack sent to {member.initials} (SHA-256 {sha})", EVERYTHING)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        return sha

    def preview_return(self, path: str | Path) -> packs.MergePreview:
        """Read a return and check it against the tender (raises :class:`packs.PackError` when refused)."""
        return packs.preview_merge(self.doc.tender, packs.read_return(path))

    def merge(self, preview: packs.MergePreview, include_moderated: bool = False) -> bool:
        """Merge a previewed return (one undoable step, audited under the member's initials)."""
        return self.doc.push(MergeReturn(self.doc, preview, include_moderated))

    def import_return(self, path: str | Path) -> bool:
        """Preview a return in a dialog and merge it when the officer confirms."""
        try:
            preview = self.preview_return(path)
        except SvdeskError as e:
            dialogs.show_error(self, "The return was not merged", str(e))
            return False
        dlg = MergePreviewDialog(preview, self)
        if not dialogs.run_dialog(dlg):
            return False
        return self.merge(preview, dlg.include_moderated.isChecked())

    # --- slots --------------------------------------------------------------------------------------------

    def selected(self) -> str | None:
        """The initials of the selected member (``None`` when no row is selected)."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.member(rows[0].row()).initials if rows else None

    def _pick(self, title: str, only_evaluators: bool = False) -> str | None:
        chosen = self.selected()
        if chosen is not None:
            return chosen
        names = [m.initials for m in self.doc.tender.panel.members
                 if not only_evaluators or m.role is P.Role.EVALUATOR]
        if not names:
            dialogs.show_info(self, title, "Add the panel's members first.")
            return None
        i = dialogs.choose(self, title, "Member:", names)
        return None if i is None else names[i]

    @Slot()
    def _on_add_clicked(self) -> None:
        text = dialogs.ask_text(self, "Add to the evaluation panel", "Initials (and, after a comma, the full name):")
        if text:
            initials, _, name = text.partition(",")
            self.add_member(initials, name.strip())

    @Slot()
    def _on_declare_clicked(self) -> None:
        who = self._pick("Declaration of interest")
        if who is None:
            return
        m = self.doc.tender.panel.member(who)
        dlg = DeclarationDialog(self.doc.tender, m, self)
        if dialogs.run_dialog(dlg):
            self.declare(who, dlg.declaration())

    @Slot()
    def on_send_clicked(self) -> None:
        who = self._pick("Send an evaluator pack", only_evaluators=True)
        if who is None:
            return
        default = str(Path.home() / f"{self.doc.reference}-{who}.svpack".replace("/", "-"))
        path = dialogs.save_file(self, f"Save {who}'s evaluator pack", default, PACK_FILTER)
        if not path:
            return
        try:
            self.send_pack(who, path)
        except SvdeskError as e:
            dialogs.show_error(self, "No pack was made", str(e))
            return
        note = packs.moderation_note(self.doc.tender, who)
        dialogs.show_info(self, "Evaluator pack saved", f"{who}'s pack is in {path}. Send it to {who}; they open it "
                          "in svdesk, mark, and send back the return file." + (f"\n\n{note}" if note else ""))

    @Slot()
    def on_import_clicked(self) -> None:
        path = dialogs.open_file(self, "Import an evaluator's return", str(Path.home()), PACK_FILTER)
        if path:
            self.import_return(path)

    @Slot()
    def _on_answers_clicked(self) -> None:
        dlg = AnswersDialog(self.doc.tender, self)
        if dialogs.run_dialog(dlg):
            supplier, cid, text = dlg.answer()
            self.set_answer(supplier, cid, text)

    @Slot()
    def _on_proceed_clicked(self) -> None:
        reason = dialogs.ask_multiline(self, "Go on without all returns",
                                       "Why go on to moderation before every return is in? (recorded)",
                                       self.doc.tender.panel.proceed_reason)
        if reason is not None and reason.strip():
            self.proceed(reason)

    @Slot()
    def _on_doc_changed(self) -> None:
        t = self.doc.tender
        out = P.returns_outstanding(t)
        if not t.panel.members:
            text = "Put the panel's members on here, even before they mark; each declares any conflict of interest."
        elif out:
            text = f"Waiting for returns from {', '.join(m.initials for m in out)}."
            if t.panel.proceed_reason:
                text += f" Going on anyway: {t.panel.proceed_reason}"
        else:
            undeclared = [m.initials for m in t.panel.members if m.declaration is None]
            text = (f"Declarations still needed from {', '.join(undeclared)}." if undeclared
                    else "Every member has declared; no return is outstanding.")
        self.status.setText(text)
        read_only = self.doc.read_only
        for b in (self.add_button, self.declare_button, self.send_button, self.import_button, self.proceed_button,
                  self.answers_button):
            b.setEnabled(not read_only)
        self.proceed_button.setVisible(bool(out))


# ---------------------------------------------------------------------------------------------------------
# Dialogs
# ---------------------------------------------------------------------------------------------------------


class DeclarationDialog(QDialog):
    """A member's declaration of interest: no conflict, or the conflict, the bidders, the mitigation, a date."""

    def __init__(self, tender: Tender, member: P.Member, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Declaration of interest: {member.initials}")
        d = member.declaration
        self.none = QRadioButton(f"{member.initials} has no conflict of interest with any bidder")
        self.conflict = QRadioButton(f"{member.initials} declares a conflict of interest")
        self.details = QPlainTextEdit(d.details if d else "")
        self.details.setAccessibleName("The conflict")
        self.bidders = QListWidget()
        self.bidders.setAccessibleName("Bidders concerned")
        for b in tender.bids:
            item = QListWidgetItem(b.supplier)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if d and b.supplier in d.bidders else Qt.CheckState.Unchecked)
            self.bidders.addItem(item)
        self.mitigation = QComboBox()
        self.mitigation.setAccessibleName("Mitigation")
        for m in P.Mitigation:
            self.mitigation.addItem(m.label, m.value)
        if d is not None:
            self.mitigation.setCurrentIndex(list(P.Mitigation).index(d.mitigation))
        self.measure = QLineEdit(d.mitigation_text if d else "")
        self.measure.setAccessibleName("The measure taken")
        self.on = QLineEdit((d.declared_on if d else date.today()).isoformat())
        self.on.setAccessibleName("Declared on")
        (self.conflict if d is not None and d.conflict else self.none).setChecked(True)
        form = QFormLayout()
        form.addRow(self.none)
        form.addRow(self.conflict)
        form.addRow("The conflict:", self.details)
        form.addRow("Bidders concerned:", self.bidders)
        form.addRow("Mitigation:", self.mitigation)
        form.addRow("Measure (for other):", self.measure)
        form.addRow("Declared on (YYYY-MM-DD):", self.on)
        self.error = QLabel()
        self.error.setStyleSheet("color:#a61b1b")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self._on_box_accepted)
        box.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(box)
        self.conflict.toggled.connect(self._on_conflict_toggled)
        self._on_conflict_toggled(self.conflict.isChecked())

    @Slot(bool)
    def _on_conflict_toggled(self, on: bool) -> None:
        for w in (self.details, self.bidders, self.mitigation, self.measure):
            w.setEnabled(on)

    def declaration(self) -> P.Declaration:
        """The declaration as entered (validated by the domain when it is recorded)."""
        try:
            on = date.fromisoformat(self.on.text().strip())
        except ValueError:
            raise SvdeskError(f"Declared on: {self.on.text()!r} is not a date (use YYYY-MM-DD)") from None
        if not self.conflict.isChecked():
            return P.Declaration(on)
        bidders = tuple(self.bidders.item(i).text() for i in range(self.bidders.count())
                        if self.bidders.item(i).checkState() == Qt.CheckState.Checked)
        return P.Declaration(on, True, self.details.toPlainText(), bidders,
                             P.Mitigation(self.mitigation.currentData()), self.measure.text())

    @Slot()
    def _on_box_accepted(self) -> None:
        try:
            self.declaration()
        except SvdeskError as e:
            self.error.setText(str(e))
            return
        self.accept()


class AnswersDialog(QDialog):
    """A bidder's answer to one quality or social-value question, pasted in (shown to evaluators in packs)."""

    def __init__(self, tender: Tender, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("A bidder's answer")
        self._tender = tender
        self.supplier = QComboBox()
        self.supplier.setAccessibleName("Bidder")
        self.supplier.addItems([b.supplier for b in tender.bids])
        self.criterion = QComboBox()
        self.criterion.setAccessibleName("Question")
        for c in tender.criteria:
            if c.is_assessed:
                self.criterion.addItem(c.name, c.id)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("The answer")
        form = QFormLayout()
        form.addRow("Bidder:", self.supplier)
        form.addRow("Question:", self.criterion)
        form.addRow("Their answer:", self.text)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(box)
        self.supplier.currentIndexChanged.connect(self._on_choice_changed)
        self.criterion.currentIndexChanged.connect(self._on_choice_changed)
        self._on_choice_changed()
        self.resize(640, 420)

    @Slot()
    def _on_choice_changed(self) -> None:
        if self.supplier.currentIndex() < 0 or self.criterion.currentIndex() < 0:
            return
        b = self._tender.bid(self.supplier.currentText())
        self.text.setPlainText(b.responses.get(str(self.criterion.currentData()), ""))

    def answer(self) -> tuple[str, str, str]:
        """``(supplier, criterion id, text)`` as entered."""
        return self.supplier.currentText(), str(self.criterion.currentData()), self.text.toPlainText()


class MergePreviewDialog(QDialog):
    """Every mark and reason a return will change; nothing applies until Merge."""

    def __init__(self, preview: packs.MergePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(f"Merge {preview.initials}'s return")
        lines = preview.summary(command_line=False)
        n = len(preview.changes)
        head = QLabel(f"{preview.initials}'s return for {preview.reference} ({Path(preview.source).name}): "
                      f"{n} mark{'s' if n != 1 else ''} to change, {preview.unchanged} unchanged.")
        head.setWordWrap(True)
        head.setToolTip(f"{preview.source}\nSHA-256 {preview.sha256}")
        self.warnings = QLabel("\n".join(preview.warnings))
        self.warnings.setWordWrap(True)
        self.warnings.setAccessibleName("Before you merge")
        self.warnings.setStyleSheet("QLabel { background: #FFF4D6; border: 1px solid #C98A00; padding: 6px; }")
        self.warnings.setVisible(bool(preview.warnings))
        self.changes = QListWidget()
        self.changes.setAccessibleName("Changes")
        for c, line in zip(preview.changes, lines[2:], strict=True):
            item = QListWidgetItem(line.strip())
            if c.moderated:
                item.setBackground(QBrush(AMBER))
            self.changes.addItem(item)
        self.include_moderated = QCheckBox(f"Also apply the {len(preview.flagged)} mark(s) changed after "
                                           f"moderation began (highlighted)")
        self.include_moderated.setVisible(bool(preview.flagged))
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = box.addButton("Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.warnings)
        lay.addWidget(self.changes, 1)
        lay.addWidget(self.include_moderated)
        lay.addWidget(box)
        self.resize(720, 420)


# ---------------------------------------------------------------------------------------------------------
# Marking a pack (the evaluator's svdesk, no database)
# ---------------------------------------------------------------------------------------------------------


class PackMarksModel(QAbstractTableModel):
    """The pack's bids (rows) × criteria (columns): the member's marks; yellow where a reason is missing."""

    def __init__(self, pack: packs.Pack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack = pack
        self.marks: dict[packs.MarkKey, packs.MarkValue] = dict(pack.marks)

    def key(self, index: Index) -> packs.MarkKey:
        """``(supplier, criterion id)`` of a cell."""
        return self.pack.bids[index.row()].supplier, self.pack.criteria[index.column()].id

    def set_marks(self, marks: dict[packs.MarkKey, packs.MarkValue], changed: packs.MarkKey | None = None) -> None:
        """Show these marks (one cell announced, or all)."""
        self.marks = marks
        if changed is None:
            self.beginResetModel()
            self.endResetModel()
            return
        row = [b.supplier for b in self.pack.bids].index(changed[0])
        col = [c.id for c in self.pack.criteria].index(changed[1])
        ix = self.index(row, col)
        self.dataChanged.emit(ix, ix)

    def rowCount(self, parent: Index = NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.pack.bids)

    def columnCount(self, parent: Index = NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self.pack.criteria)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            c = self.pack.criteria[section]
            return f"{c.name} (0–{packs._num(c.scale_max)})"
        return self.pack.bids[section].supplier

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, QAbstractTableModel.CheckIndexOption.IndexIsValid):
            return None
        mark = self.marks.get(self.key(index))
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if mark is None else packs._num(mark[0])
        if role == Qt.ItemDataRole.ToolTipRole and mark is not None:
            return mark[1] or "No reason yet"
        if role == Qt.ItemDataRole.BackgroundRole and mark is not None and not mark[1]:
            return QBrush(YELLOW)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class MarkingWindow(QWidget):
    """A pack opened for marking: every saved mark is written at once into the return file beside the pack.

    Signals:
        return_saved(str): the return file was written (its path).
    """

    return_saved = Signal(str)

    def __init__(self, pack_path: str | Path, return_path: str | Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pack_path = Path(pack_path)
        self.pack = packs.read_pack(self.pack_path)
        self.return_path = Path(return_path) if return_path is not None else return_path_for(self.pack_path)
        self.model = PackMarksModel(self.pack, self)
        resumed = self._resume()
        self.setWindowTitle(f"{self.pack.greeting} — svdesk")
        greeting = QLabel(f"<b>{escape(self.pack.greeting)}</b>")
        greeting.setAccessibleName("Greeting")
        files = sum(len(b.attachments) for b in self.pack.bids)
        sub = QLabel(f"{self.pack.title}. Mark each bid on each criterion with a reason"
                     + (f" ({files} of the bidders' files are in the pack: Open shows one)" if files else "")
                     + ". Prices and the other evaluators' marks are not in this pack. Every mark is saved at once "
                     f"in {self.return_path.name}"
                     + (" (your marks so far were loaded from it)." if resumed else "."))
        sub.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Marks")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().currentChanged.connect(self._on_table_current_changed)
        # As on the officer's Scoring page: the criteria share the width, their titles wrap whole (with the scale)
        from ui.widgets import ShareColumns, fit_header_height

        self._share = ShareColumns(self.table, list(range(self.model.columnCount())), whole_cells=True,
                                   wrap_titles=True)
        fit_header_height(self.table)
        self.criterion = QLabel()
        self.criterion.setWordWrap(True)
        self.answer = QPlainTextEdit()
        self.answer.setReadOnly(True)
        self.answer.setAccessibleName("The bidder's answer")
        self.answer.setPlaceholderText("The officer put no answer to this question in the pack: read it in the "
                                       "tender documents.")
        self.files = PackFilesBox()
        self.score = QLineEdit()
        self.score.setAccessibleName("Mark")
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName("Reason")
        self.save_button = QPushButton("Save mark")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.clear_button = QPushButton("Clear mark")
        self.clear_button.clicked.connect(self._on_clear_clicked)
        self.save_as_button = QPushButton("Save the return as…")
        self.save_as_button.clicked.connect(self._on_save_as_clicked)
        self.status = QLabel()
        self.status.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(self.criterion)
        side.addWidget(QLabel("The bidder's answer:"))
        side.addWidget(self.answer, 2)
        side.addWidget(self.files)
        side.addWidget(QLabel("Mark:"))
        side.addWidget(self.score)
        side.addWidget(QLabel("Reason:"))
        side.addWidget(self.reason, 1)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.clear_button)
        side.addLayout(row)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(side, 2)
        lay = QVBoxLayout(self)
        lay.addWidget(greeting)
        lay.addWidget(sub)
        lay.addLayout(body, 1)
        foot = QHBoxLayout()
        foot.addWidget(self.status, 1)
        foot.addWidget(self.save_as_button)
        lay.addLayout(foot)
        self.resize(1000, 620)
        self._show_status()
        if self.pack.bids and self.pack.criteria:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def _resume(self) -> bool:
        """Marks in progress: the return beside the pack, if it answers this pack."""
        if not self.return_path.exists():
            return False
        try:
            ret = packs.read_return(self.return_path)
        except SvdeskError:
            return False
        if ret.pack_sha256 != self.pack.sha256:
            return False
        self.model.set_marks(dict(ret.marks))
        return True

    @property
    def marks(self) -> dict[packs.MarkKey, packs.MarkValue]:
        """The marks given so far."""
        return self.model.marks

    def select(self, supplier: str, cid: str) -> None:
        """Show one bid and criterion in the mark panel."""
        row = [b.supplier for b in self.pack.bids].index(supplier)
        col = [c.id for c in self.pack.criteria].index(cid)
        self.table.setCurrentIndex(self.model.index(row, col))

    def set_mark(self, supplier: str, cid: str, score: Decimal | None, reason: str = "") -> None:
        """Give (or with ``None`` clear) a mark and save the return at once.

        Raises:
            SvdeskError: out of scale, not in the pack, or the return could not be written (nothing changed).
        """
        marks = packs.set_mark(self.pack, self.marks, supplier, cid, score, reason)
        self._write(marks)
        self.model.set_marks(marks, (supplier, cid))
        self._show_status()

    def _write(self, marks: dict[packs.MarkKey, packs.MarkValue], path: Path | None = None) -> None:
        data, _ = packs.make_return(self.pack, marks)
        target = packs.write_file(path or self.return_path, data)
        self.return_saved.emit(str(target))

    def _current(self) -> packs.MarkKey | None:
        ix = self.table.currentIndex()
        return self.model.key(ix) if ix.isValid() else None

    @Slot(QModelIndex, QModelIndex)
    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        supplier, cid = self.model.key(current)
        c = self.pack.criterion(cid)
        lines = [f"<b>{escape(supplier)}</b> — {escape(c.name)} (0 to {packs._num(c.scale_max)})"]
        if c.threshold is not None:
            lines.append(f"Minimum score: {packs._num(c.threshold)} (a bid whose agreed score is below it is "
                         "excluded)")
        if c.description:
            lines.append(escape(c.description))
        lines += [f"{packs._num(d.score)}: {escape(d.text)}" for d in c.descriptors]
        self.criterion.setText("<br>".join(lines))
        bid = self.pack.bids[current.row()]
        self.answer.setPlainText(bid.responses.get(cid, ""))
        self.files.set_files(bid.attachments, cid, {c.id: c.name for c in self.pack.criteria})
        mark = self.marks.get((supplier, cid))
        self.score.setText("" if mark is None else packs._num(mark[0]))
        self.reason.setPlainText("" if mark is None else mark[1])

    @Slot()
    def _on_save_clicked(self) -> None:
        key = self._current()
        if key is None:
            return
        text = self.score.text().strip()
        try:
            value = None if not text else Decimal(text)
        except InvalidOperation:
            self.status.setText(f"“{text}” is not a mark: type a number.")
            return
        try:
            self.set_mark(*key, value, self.reason.toPlainText())
        except SvdeskError as e:
            self.status.setText(str(e))

    @Slot()
    def _on_clear_clicked(self) -> None:
        key = self._current()
        if key is not None:
            try:
                self.set_mark(*key, None)
            except SvdeskError as e:
                self.status.setText(str(e))

    def save_as(self, path: str | Path) -> None:
        """Write the return somewhere else too (e.g. to e-mail it)."""
        self._write(self.marks, Path(path))

    @Slot()
    def _on_save_as_clicked(self) -> None:
        path = dialogs.save_file(self, "Save the return", str(self.return_path), PACK_FILTER)
        if path:
            try:
                self.save_as(path)
            except SvdeskError as e:
                dialogs.show_error(self, "The return was not saved", str(e))

    def _show_status(self) -> None:
        done = len(self.marks)
        missing = sum(1 for _, reason in self.marks.values() if not reason)
        text = f"{done} of {self.pack.marks_due} marks given"
        if missing:
            text += f"; {missing} without a reason yet"
        self.status.setText(text + f". Send {self.return_path.name} to the officer when you have finished.")


def run_marking(pack_path: str) -> int:
    """The app opened on a pack (``svdesk KT.svpack``): the marking window alone, no database."""
    import sys

    from PySide6.QtWidgets import QApplication

    from ui.icon import window_icon

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("svdesk")
    app.setWindowIcon(window_icon())
    try:
        window = MarkingWindow(pack_path)
    except SvdeskError as e:
        if smoke.quit_after_ms() is not None:   # unattended: a message box would wait for nobody
            smoke.say(f"the pack cannot be opened: {e}")
        else:
            dialogs.show_error(None, "The pack cannot be opened", str(e))
        return 2
    window.show()
    criteria = len(window.pack.criteria)
    smoke.report_shown_then_quit(window, "marking window", f"marking {len(window.pack.bids)} bids on {criteria} "
                                 f"criteria, return file {window.return_path.name}")
    return int(app.exec())
