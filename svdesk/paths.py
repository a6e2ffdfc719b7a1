"""Where svdesk keeps its files: one module, overridable by ``SVDESK_HOME`` so tests never touch a profile.

Nothing is ever written beside the executable (a one-file build runs from a temporary folder).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

APP_NAME = "svdesk"
APP_AUTHOR = "svdesk"


def home() -> Path:
    """The folder for svdesk's data: ``$SVDESK_HOME`` or the user's data folder (platformdirs)."""
    override = os.environ.get("SVDESK_HOME")
    if override:
        return Path(override)
    import platformdirs  # imported here: not needed when SVDESK_HOME is set (tests, portable use)

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def default_database() -> Path:
    """The database file used when neither ``--db`` nor ``SVDESK_DB`` names one."""
    env = os.environ.get("SVDESK_DB")
    if env:
        return Path(env)
    return home() / "svdesk.sqlite3"


def backups_dir(database: Path) -> Path:
    """Backups of a database live in a ``backups`` folder beside the data folder, never beside the exe."""
    return home() / "backups" if database.parent == home() else database.parent / "svdesk-backups"


def folder_problem(e: OSError, folder: Path) -> str:
    """Why ``folder`` could not be made or written, in words an officer can act on (for one-line errors)."""
    for part in (folder, *folder.parents):
        try:
            in_the_way = part.exists() and not part.is_dir()
        except OSError:
            break
        if in_the_way:
            return "a file of that name is in the way" if part == folder else f"{part} is a file, not a folder"
    if e.errno == errno.EROFS:
        return "the drive is read-only"
    if isinstance(e, PermissionError):
        return "permission denied"
    return (e.strerror or str(e)).lower()


def resources_dir() -> Path:
    """Read-only data shipped with svdesk (asks library, fonts, demo data)."""
    import resources

    return Path(resources.__file__).parent
