"""The ``asks`` section of the tender file: the negotiation checklist (owned by the negotiation work).

Placeholder: an absent or empty section reads as an empty checklist.
"""

from __future__ import annotations

from svdesk.domain.negotiation import Checklist
from svdesk.errors import ValidationError


def read_asks(value: object, where: str) -> Checklist:
    """Read the ``asks`` section (``where`` is its JSON path, for error messages)."""
    if value is None or value == []:
        return Checklist()
    raise ValidationError(where, "the asks section is not supported by this version of svdesk")


def write_asks(checklist: Checklist) -> list[object] | None:
    """The ``asks`` section for a checklist, or ``None`` when there is nothing to write."""
    return None
