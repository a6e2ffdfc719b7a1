"""What the desktop application needs from the store (docs/contracts.md, ``svdesk.store.api``).

A :class:`typing.Protocol`, so the window works with the real :class:`svdesk.store.api.Database` and with the
in-memory fake the UI tests use, and so importing the UI never imports SQLAlchemy before the first paint.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from svdesk.domain.attachments import Attachment, AttachmentKind
from svdesk.domain.council import CouncilSettings
from svdesk.domain.tender import Tender, TenderStatus
from svdesk.errors import SvdeskError

# The store's values are frozen dataclasses, so the protocols read them through properties (read-only members).

class TenderSummaryLike(Protocol):
    """One row of the register (``svdesk.store.register.TenderSummary``)."""

    @property
    def reference(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def status(self) -> TenderStatus: ...
    @property
    def annual_value(self) -> Decimal | None: ...
    @property
    def bid_count(self) -> int: ...
    @property
    def updated_at(self) -> datetime | None: ...


class AuditEntryLike(Protocol):
    """One entry of the audit log (``svdesk.store.audit.AuditEntry``)."""

    @property
    def at(self) -> datetime: ...
    @property
    def who(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def tender(self) -> str | None: ...


class BackupLike(Protocol):
    """One backup file (``svdesk.store.backup.BackupInfo``)."""

    @property
    def path(self) -> Path: ...
    @property
    def created(self) -> datetime: ...
    @property
    def reason(self) -> str: ...
    @property
    def tenders(self) -> int: ...          # -1 when unknown
    def label(self) -> str: ...


class RestorePlanLike(Protocol):
    """What restoring a backup will do (``RestorePlan``), for the officer to confirm first."""

    @property
    def backup(self) -> BackupLike: ...
    def describe(self) -> list[str]: ...


class DatabaseLike(Protocol):
    """The store's ``Database`` as the desktop application uses it."""

    location: str
    read_only: bool
    notices: list[str]          # tell the officer once (network drive, a backup that failed …)

    def list_tenders(self, search: str = "", status: TenderStatus | None = None,
                     category: str | None = None) -> Sequence[TenderSummaryLike]: ...
    def load_tender(self, reference: str) -> Tender: ...
    def create_tender(self, tender: Tender, *, who: str) -> None: ...
    def save_tender(self, tender: Tender, *, previous: Tender, who: str, action: str) -> None: ...
    def delete_tender(self, reference: str, *, who: str, reason: str) -> None: ...
    def audit_entries(self, reference: str | None = None) -> Sequence[AuditEntryLike]: ...
    def council_settings(self) -> CouncilSettings: ...
    # Files attached to bids: immediate and audited (not undoable); refusals are SvdeskError.
    def add_attachment(self, reference: str, supplier: str, name: str, data: bytes, *, who: str,
                       kind: AttachmentKind = ..., criterion: str | None = None, label: str = "") -> Attachment: ...
    def remove_attachment(self, reference: str, supplier: str, name: str, *, who: str) -> Attachment: ...
    def attachment_bytes(self, reference: str, supplier: str, name: str) -> bytes: ...   # checked by SHA-256
    def set_council_setting(self, key: str, value: str, *, who: str) -> str: ...   # audited; ValidationError
    def backup(self) -> Path: ...
    def backups(self) -> Sequence[BackupLike]: ...               # newest first
    def last_backup(self) -> datetime | None: ...
    def backup_if_due(self) -> Path | None: ...               # failures go to ``notices``
    def plan_restore(self, backup: Path | None = None) -> RestorePlanLike: ...
    # The store takes back only the plan it made (its own RestorePlan), which a Protocol cannot say otherwise.
    def restore(self, plan: Any, *, who: str) -> Path: ...
    def close(self) -> None: ...


def open_real_database(path: str | None, *, read_only: bool = False) -> AbstractContextManager[DatabaseLike]:
    """``svdesk.store.api.open_database`` (imported here, after the window has painted: SQLAlchemy is slow)."""
    from svdesk.store import api

    cm: AbstractContextManager[DatabaseLike] = api.open_database(path, read_only=read_only)
    return cm


def newest_backup(path: str | None) -> BackupLike | None:
    """The newest backup of the database file ``path`` (``None`` for the default file), if there is one.

    For the in-use screen: the file itself is held by another copy, its backups are not.
    """
    from svdesk.store import api

    try:
        found = api.list_backups(path)
    except SvdeskError:
        return None
    return found[0] if found else None


def iter_summaries(db: DatabaseLike, search: str = "", status: TenderStatus | None = None,
                   category: str | None = None) -> Iterator[TenderSummaryLike]:
    """The register's rows (one query)."""
    yield from db.list_tenders(search, status, category)
