"""The screen a second copy of svdesk shows (issue 14 item 5): who holds the database since when, and what to do.

Instead of an empty register (which looks as if the tenders were wiped), the window says plainly that another
copy has the database open, and offers Retry, Open another database…, and a look at the newest backup,
read-only, to look things up meanwhile.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.widgets import heading, note


def holder_text(user: str, host: str, since: datetime | None) -> str:
    """``Kate Thomas on LAPTOP-12 has had it open since 09:14`` (as much as is known)."""
    from ui.formatting import when

    who = user or "Another copy of svdesk"
    where = f" on {host}" if host else ""
    started = f" since {when(since)}" if since is not None else ""
    if not user and not host:
        return f"Another copy of svdesk (or another program) has it open{started}."
    return f"{who}{where} has it open{started}."


class InUsePage(QWidget):
    """The database is held by another copy: who, since when, and the three ways on.

    Signals:
        retry_requested(): try to open the database again.
        other_requested(): choose another database file.
        backup_requested(): open the newest backup read-only, to look things up.
    """

    retry_requested = Signal()
    other_requested = Signal()
    backup_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("InUsePage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addStretch(1)
        self.title = heading("This database is in use", 1.3)
        layout.addWidget(self.title)
        self.holder = QLabel()
        self.holder.setWordWrap(True)
        self.holder.setAccessibleName("Who has the database open")
        self.holder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.holder)
        self.location = note("")
        self.location.setAccessibleName("Which database")
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.location)
        layout.addWidget(note("Only one copy of svdesk can change a database at a time, so that no change is lost. "
                              "Your tenders are safe. Ask them to close svdesk, then press Retry."))
        self.checked = note("")
        self.checked.setAccessibleName("Last tried")
        layout.addWidget(self.checked)
        row = QHBoxLayout()
        self.retry_button = QPushButton("&Retry")
        self.retry_button.setAccessibleName("Try to open the database again")
        self.retry_button.setDefault(True)
        self.retry_button.clicked.connect(self.retry_requested)
        self.other_button = QPushButton("Open &another database…")
        self.other_button.clicked.connect(self.other_requested)
        self.backup_button = QPushButton("Look at the newest &backup (read-only)")
        self.backup_button.clicked.connect(self.backup_requested)
        for b in (self.retry_button, self.other_button, self.backup_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.backup_note = note("")
        self.backup_note.setAccessibleName("The newest backup")
        layout.addWidget(self.backup_note)
        layout.addStretch(2)

    def show_holder(self, *, user: str, host: str, since: datetime | None, location: str,
                    backup: str | None, message: str = "") -> None:
        """Say who holds ``location`` and offer the newest backup (``backup``: its label; ``None``: none)."""
        self.holder.setText(holder_text(user, host, since) if (user or host or since) else
                            (message or holder_text("", "", None)))
        self.location.setText(f"Database: {location}")
        self.checked.setText("")
        self.backup_button.setEnabled(backup is not None)
        if backup is None:
            self.backup_note.setText("There is no backup of this database yet to look at.")
        else:
            self.backup_note.setText(f"Newest backup: {backup}. It opens read-only and clearly marked; "
                                     "it may be a little older than the database.")
        self.backup_button.setToolTip(self.backup_note.text())

    def tried_again(self) -> None:
        """Say that Retry found it still in use."""
        from ui.formatting import when

        self.checked.setText(f"Still in use when tried again at {when(datetime.now().astimezone())}.")
