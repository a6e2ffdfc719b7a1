"""PySide6 6.12.0 on Python 3.11 drops a reference to None for every invalid QVariant it returns to Python
(toolchain.md pitfall 1) and the interpreter aborts with "none_dealloc". svdesk pins 6.11.2: this test calls
the affected APIs 10,000 times each and checks None's reference count does not fall."""

from __future__ import annotations

import sys

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtGui import QStandardItemModel

from ui.models.register import RegisterModel

CALLS = 10_000


def test_invalid_qvariants_do_not_leak_none(qtbot) -> None:  # type: ignore[no-untyped-def]
    std = QStandardItemModel(1, 1)
    obj = QObject()
    ours = RegisterModel()
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        # the base-class call a model makes with super().headerData(...)
        std.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.UserRole + 7)
        std.data(std.index(0, 0), Qt.ItemDataRole.UserRole)
        obj.property("missing")
        ours.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.UserRole)
        ours.data(QModelIndex(), Qt.ItemDataRole.DisplayRole)
    after = sys.getrefcount(None)
    # A leak would take about CALLS × 3 references; allow a little noise from the interpreter.
    assert after >= before - 100, f"None lost {before - after} references: is PySide6 6.12.0 installed?"


def test_the_pinned_version_is_installed() -> None:
    import PySide6

    assert PySide6.__version__ == "6.11.2" or sys.version_info >= (3, 12), PySide6.__version__
