"""Errors of the database layer, each one plain sentence an officer can act on.

Kept apart from :mod:`svdesk.store.api` so that the GUI and the CLI can catch them without importing
SQLAlchemy. All subclass :class:`~svdesk.errors.SvdeskError` (the CLI prints one line, exit status 2).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from svdesk.errors import FrozenError as FrozenError  # the domain's rule (svdesk.domain.rules), named here too
from svdesk.errors import SvdeskError


class StoreError(SvdeskError):
    """The database could not do what was asked; nothing was changed."""


class DatabaseInUseError(StoreError):
    """Another copy of svdesk holds the database.

    Attributes:
        user: who holds it, if known.
        host: on which computer, if known.
        since: since when, if known.
    """

    def __init__(self, message: str, *, user: str = "", host: str = "", since: datetime | None = None) -> None:
        super().__init__(message)
        self.user = user
        self.host = host
        self.since = since


class ConflictError(StoreError):
    """Someone else changed the tender since it was loaded: reload it and apply the edit again."""


class TenderNotFoundError(StoreError):
    """There is no tender with that reference."""


class DuplicateTenderError(StoreError):
    """A tender with that reference already exists."""


class ReadOnlyError(StoreError):
    """The database was opened read-only (or the file cannot be written)."""


class DatabaseTooNewError(StoreError):
    """The database was written by a newer version of svdesk; this version must not touch it."""


class NotADatabaseError(StoreError):
    """The file is not an svdesk database."""


class DatabaseDamagedError(StoreError):
    """The database file is damaged. Nothing was changed or deleted.

    Attributes:
        path: the damaged file.
        detail: what SQLite reported.
        backup: the newest verified backup, if there is one (offer to restore it).
    """

    def __init__(self, message: str, *, path: Path, detail: str, backup: Path | None) -> None:
        super().__init__(message)
        self.path = path
        self.detail = detail
        self.backup = backup
