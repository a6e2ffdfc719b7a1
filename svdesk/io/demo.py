"""The example tenders shipped in ``resources/demo``: read them, and add the missing ones to a database.

Both faces use this: ``svdesk demo`` and the app's *Load the example tenders*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from svdesk.domain.tender import Tender
from svdesk.paths import resources_dir


class TenderSummaryLike(Protocol):
    """What a register row offers: the tender's reference."""

    @property
    def reference(self) -> str: ...


class DemoTarget(Protocol):
    """The part of a database the demo needs (the store's ``Database`` and the UI's store port have it)."""

    def list_tenders(self) -> Sequence[TenderSummaryLike]: ...

    def create_tender(self, tender: Tender, *, who: str) -> object: ...


@dataclass(frozen=True)
class DemoOutcome:
    """What adding the example tenders did: those added, and those already there (left as they are)."""

    added: tuple[Tender, ...]
    kept: tuple[Tender, ...]


def demo_files() -> list[Path]:
    """The example tender files shipped with svdesk, in name order."""
    return sorted((resources_dir() / "demo").glob("*.json"))


def add_demo_tenders(db: DemoTarget, who: str) -> DemoOutcome:
    """Add the example tenders that are not in the database yet.

    Every file is read and checked before anything is written, so a broken file adds nothing.

    Raises:
        FileFormatError: an example file is broken (a damaged install).
    """
    from svdesk.io.tender_file import read_tender_file

    tenders = [read_tender_file(f) for f in demo_files()]
    have = {s.reference for s in db.list_tenders()}
    added: list[Tender] = []
    kept: list[Tender] = []
    for t in tenders:
        if t.reference in have:
            kept.append(t)
            continue
        db.create_tender(t, who=who)
        added.append(t)
    return DemoOutcome(tuple(added), tuple(kept))
