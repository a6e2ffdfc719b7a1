"""What a part of the database (:mod:`~svdesk.store.tenders`, :mod:`~svdesk.store.trail`,
:mod:`~svdesk.store.safekeeping`, :mod:`~svdesk.store.health`) needs of the :class:`~svdesk.store.api.Database`
it belongs to.

A protocol, so that the parts never import :mod:`svdesk.store.api` (which imports them): no import circle, and
each part states exactly what it touches.
"""

from __future__ import annotations

import sqlite3
import threading
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session

from svdesk.store.audit import ChainReport
from svdesk.store.backup import BackupInfo
from svdesk.store.engine import Profile


class ForgetsTenders(Protocol):
    """The tender records' cache of what was last loaded (emptied after a restore)."""

    def forget(self) -> None: ...


class BacksUpQuietly(Protocol):
    """A backup that never stops the action that asked for it."""

    def backup_quietly(self, reason: str) -> None: ...


class DatabaseCore(Protocol):
    """The open database as its parts see it."""

    location: str
    read_only: bool
    kind: str
    path: Path | None
    profile: Profile | None
    notices: list[str]
    _raw: sqlite3.Connection | None
    _lock: threading.RLock
    _closed: bool

    @property
    def records(self) -> ForgetsTenders: ...

    @property
    def safekeeping(self) -> BacksUpQuietly: ...

    def _session(self, doing: str, *, write: bool, witness: str = "write") -> AbstractContextManager[Session]: ...

    def _require_writable(self, doing: str) -> None: ...

    def _prepare_schema(self, *, backup_first: bool = True) -> None: ...

    def backups(self) -> list[BackupInfo]: ...

    def verify_audit(self) -> ChainReport: ...
