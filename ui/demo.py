"""The example tenders shipped with svdesk (``resources/demo``), loaded into a database on request.

Its own module so that the window (:mod:`ui.main_window`) and the start-up (:mod:`ui.app`) both use it without
importing each other.
"""

from __future__ import annotations

from pathlib import Path

from ui.store_port import DatabaseLike


def demo_files() -> list[Path]:
    """The example tender files shipped with svdesk."""
    from svdesk.paths import resources_dir

    return sorted((resources_dir() / "demo").glob("*.json"))


def import_demo(db: DatabaseLike, who: str) -> int:
    """Add the example tenders that are not in the database yet; returns how many were added."""
    from svdesk.io.tender_file import read_tender_file

    have = {s.reference for s in db.list_tenders()}
    added = 0
    for path in demo_files():
        tender = read_tender_file(path)
        if tender.reference in have:
            continue
        db.create_tender(tender, who=who)
        added += 1
    return added
