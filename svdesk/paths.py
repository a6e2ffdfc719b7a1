"""Where svdesk keeps its files: one module, overridable by ``SVDESK_HOME`` so tests never touch a profile.

Nothing is ever written beside the executable (a one-file build runs from a temporary folder).
"""

from __future__ import annotations

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


def resources_dir() -> Path:
    """Read-only data shipped with svdesk (asks library, fonts, demo data)."""
    import resources

    return Path(resources.__file__).parent
