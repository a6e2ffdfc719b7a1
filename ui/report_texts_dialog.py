"""The committee report's own sections, written by the officer (purpose, background, implications …).

A dialog with one box per section, in report order, each saying what to write; OK commits every changed section
as one undoable edit. A section left empty prints as "[to be completed: …]" in the committee report.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from svdesk.domain.report_texts import SECTIONS
from ui.commands import SetReportTexts
from ui.document import TenderDocument


class ReportTextsDialog(QDialog):
    """Write the committee report's sections for the open tender (keyboard: Tab between boxes)."""

    def __init__(self, doc: TenderDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("The committee report's sections")
        self._doc = doc
        outer = QVBoxLayout(self)
        intro = QLabel("svdesk writes the recommendation, the evaluation and the procedure. Write the rest here; a "
                       "section left empty is printed as “[to be completed: …]”.")
        intro.setWordWrap(True)
        outer.addWidget(intro)
        inner = QWidget()
        form = QFormLayout(inner)
        self.edits: dict[str, QPlainTextEdit] = {}
        texts = doc.tender.report
        for name, title, hint in SECTIONS:
            box = QPlainTextEdit(texts.text_of(name))
            box.setAccessibleName(title)
            box.setPlaceholderText(hint)
            box.setTabChangesFocus(True)
            box.setFixedHeight(box.fontMetrics().lineSpacing() * 3 + 14)
            form.addRow(f"{title}:", box)
            self.edits[name] = box
        self.publish = QCheckBox("Publish the unsuccessful bidders' prices and scores in the public report "
                                 "(otherwise they go into the exempt appendix)")
        self.publish.setChecked(texts.publish_bidder_details)
        form.addRow(self.publish)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.resize(720, 560)

    def changes(self) -> dict[str, str | bool]:
        """The sections (and the publish choice) that differ from the tender's."""
        texts = self._doc.tender.report
        out: dict[str, str | bool] = {name: e.toPlainText() for name, e in self.edits.items()
                                      if e.toPlainText().strip() != texts.text_of(name).strip()}
        if self.publish.isChecked() != texts.publish_bidder_details:
            out["publish_bidder_details"] = self.publish.isChecked()
        return out

    def accept(self) -> None:
        """Commit every changed section as one edit; stay open (with the reason shown) if it is refused."""
        changes = self.changes()
        if changes and not self._doc.push(SetReportTexts(self._doc, changes)):
            return
        super().accept()
