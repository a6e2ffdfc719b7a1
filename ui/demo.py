"""The example tenders shipped with svdesk (``resources/demo``), loaded into a database on request, and told
apart from the officer's own tenders in the register (issue 14: marked, and removable in one step).

Its own module so that the window (:mod:`ui.main_window`) and the start-up (:mod:`ui.app`) both use it without
importing each other; the work is the core's (:mod:`svdesk.io.demo`), shared with ``svdesk demo``.
"""

from __future__ import annotations

import functools
import json

from ui.store_port import DatabaseLike


@functools.cache
def example_keys() -> frozenset[tuple[str, str]]:
    """The (reference, title) of every example tender: how the register tells an example from a real tender."""
    from svdesk.io.demo import demo_files

    keys = set()
    for path in demo_files():
        try:
            t = json.loads(path.read_text(encoding="utf-8"))["tender"]
            keys.add((str(t["reference"]), str(t["title"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue      # a damaged example file is simply not an example
    return frozenset(keys)


def is_example(reference: str, title: str) -> bool:
    """Whether a tender in the register is one of the shipped examples (its reference and title match)."""
    return (reference, title) in example_keys()


def examples_in(db: DatabaseLike) -> list[str]:
    """The references of the example tenders in a database."""
    return [s.reference for s in db.list_tenders() if is_example(s.reference, s.title)]


def import_demo(db: DatabaseLike, who: str) -> int:
    """Add the example tenders that are not in the database yet; returns how many were added."""
    from svdesk.io.demo import add_demo_tenders

    return len(add_demo_tenders(db, who).added)
