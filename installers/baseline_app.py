"""The floor svdesk's start-up is measured against: a bare PySide6 window (QMainWindow + one QTableView).

``installers/bench_startup.py`` freezes this file the same way as svdesk (one file, the same slim recipe) and
times both. Like ``ui/app.py`` it honours ``SVDESK_SMOKE_QUIT_AFTER_MS``: once the window is shown and the event
loop has run once it prints ``svdesk-smoke: window shown: <title>`` and quits that many milliseconds later.
Without the variable it stays open like any window.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

ROWS, COLUMNS = 10_000, 6
Index = QModelIndex | QPersistentModelIndex


class NumbersModel(QAbstractTableModel):
    """A virtual table: the row count does not change the start time (toolchain.md §1)."""

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        return 0 if parent.isValid() else ROWS

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return f"{index.row() * COLUMNS + index.column()}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # return None ourselves rather than calling super().headerData() (toolchain.md §4 pitfall 1)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"Column {section + 1}" if orientation == Qt.Orientation.Horizontal else str(section + 1)
        return None


def main() -> int:
    """Show the window; with SVDESK_SMOKE_QUIT_AFTER_MS, report it shown and quit."""
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("baseline")
    view = QTableView()
    model = NumbersModel(view)
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1000, 700)
    window.show()
    delay = os.environ.get("SVDESK_SMOKE_QUIT_AFTER_MS")
    if delay is not None:
        def shown() -> None:
            sys.stdout.write(f"svdesk-smoke: window shown: {window.windowTitle()}\n")
            sys.stdout.flush()
            QTimer.singleShot(int(delay), app.quit)

        QTimer.singleShot(0, shown)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
