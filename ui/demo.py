"""The example tenders shipped with svdesk (``resources/demo``), loaded into a database on request.

Its own module so that the window (:mod:`ui.main_window`) and the start-up (:mod:`ui.app`) both use it without
importing each other; the work is the core's (:mod:`svdesk.io.demo`), shared with ``svdesk demo``.
"""

from __future__ import annotations

from ui.store_port import DatabaseLike


def import_demo(db: DatabaseLike, who: str) -> int:
    """Add the example tenders that are not in the database yet; returns how many were added."""
    from svdesk.io.demo import add_demo_tenders

    return len(add_demo_tenders(db, who).added)
