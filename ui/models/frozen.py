"""What the award froze, as a table shows it: not editable, greyed, and the reason on hover.

The rule itself is the domain's (:func:`svdesk.domain.rules.frozen_reason`); a model asks here for its cells.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from svdesk.domain import rules
from svdesk.domain.tender import Tender

FROZEN_COLOUR = QColor("#757575")


def is_locked(tender: Tender, part: str = "scores") -> bool:
    """Whether ``part`` of the tender is frozen (its cells must not be editable)."""
    return rules.frozen_reason(tender, part) is not None


def frozen_hint(tender: Tender, role: int, part: str = "scores") -> str | QColor | None:
    """The frozen cell's tooltip (the reason) or foreground (grey); ``None`` when not frozen or another role."""
    if role not in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole):
        return None
    reason = rules.frozen_reason(tender, part)
    if reason is None:
        return None
    return reason if role == Qt.ItemDataRole.ToolTipRole else FROZEN_COLOUR
