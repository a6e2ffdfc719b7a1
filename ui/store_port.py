"""What the desktop application needs from the store (docs/contracts.md, ``svdesk.store.api``).

A :class:`typing.Protocol`, so the window works with the real :class:`svdesk.store.api.Database` and with the
in-memory fake the UI tests use, and so importing the UI never imports SQLAlchemy before the first paint.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from svdesk.domain.tender import Tender, TenderStatus


class TenderSummaryLike(Protocol):
    """One row of the register (``TenderSummary``)."""

    reference: str
    title: str
    category: str
    status: TenderStatus
    annual_value: Decimal | None
    bid_count: int
    updated_at: datetime | None


class DatabaseLike(Protocol):
    """The store's ``Database`` as the desktop application uses it."""

    location: str
    read_only: bool
    notices: list[str]          # tell the officer once (network drive, a backup that failed …)

    def list_tenders(self, search: str = "", status: TenderStatus | None = None,
                     category: str | None = None) -> list[Any]: ...
    def load_tender(self, reference: str) -> Tender: ...
    def create_tender(self, tender: Tender, *, who: str) -> None: ...
    def save_tender(self, tender: Tender, *, previous: Tender, who: str, action: str) -> None: ...
    def delete_tender(self, reference: str, *, who: str, reason: str) -> None: ...
    def audit_entries(self, reference: str | None = None) -> list[Any]: ...
    def backup(self) -> Path: ...
    def backups(self) -> list[Any]: ...                      # BackupInfo, newest first
    def last_backup(self) -> datetime | None: ...
    def backup_if_due(self) -> Path | None: ...               # failures go to ``notices``
    def plan_restore(self, backup: Path | None = None) -> Any: ...   # RestorePlan
    def restore(self, plan: Any, *, who: str) -> Path: ...
    def close(self) -> None: ...


def open_real_database(path: str | None, *, read_only: bool = False) -> AbstractContextManager[DatabaseLike]:
    """``svdesk.store.api.open_database`` (imported here, after the window has painted: SQLAlchemy is slow)."""
    from svdesk.store import api

    cm: AbstractContextManager[DatabaseLike] = api.open_database(path, read_only=read_only)
    return cm


def iter_summaries(db: DatabaseLike, search: str = "", status: TenderStatus | None = None,
                   category: str | None = None) -> Iterator[Any]:
    """The register's rows (one query)."""
    yield from db.list_tenders(search, status, category)
