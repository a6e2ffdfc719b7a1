"""svdesk — Social Value Desk: the headless core.

Nothing below this package imports Qt (a test enforces it). The desktop face lives in ``ui/``.
"""

from __future__ import annotations

__version__ = "0.1.0"
