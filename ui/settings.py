"""Where the desktop application keeps its settings: one INI file in svdesk's data folder.

The file lives in :func:`svdesk.paths.home`, so ``SVDESK_HOME`` moves it (tests never touch a real profile)
and a one-file executable never writes beside itself. It holds UI state (window layout, last page) and the
first-run choices that the database has no place for yet (authority name, logo, default weights, the
database location chosen in setup, the user's name for the audit log).
"""

from __future__ import annotations

import getpass
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import QSettings

from svdesk import paths

#: The default split of marks for a new tender: price, quality, social value (percentage points).
DEFAULT_WEIGHTS = (Decimal(40), Decimal(40), Decimal(20))


def settings() -> QSettings:
    """The application's settings (an INI file under ``SVDESK_HOME`` or the user's data folder)."""
    home = paths.home()
    home.mkdir(parents=True, exist_ok=True)
    return QSettings(str(home / "svdesk-ui.ini"), QSettings.Format.IniFormat)


def _text(key: str, default: str = "") -> str:
    value = settings().value(key, default)
    return str(value) if value is not None else default


def setup_done() -> bool:
    """Whether the first-run setup has been completed."""
    return _text("setup/done") == "true"


def authority_name() -> str:
    """The council's name, used as the buyer of new tenders."""
    return _text("setup/authority")


def logo_path() -> Path | None:
    """The council's logo chosen in setup (a copy kept in the data folder), if any."""
    text = _text("setup/logo")
    return Path(text) if text and Path(text).is_file() else None


def user_name() -> str:
    """Who is using svdesk, as written in the audit log (the setup's answer, else the login name)."""
    name = _text("setup/user")
    if name:
        return name
    try:
        return getpass.getuser()
    except Exception:  # no login name (some sandboxes): the audit log still needs someone
        return "svdesk user"


def default_weights() -> tuple[Decimal, Decimal, Decimal]:
    """Price, quality and social-value weights for a new tender."""
    raw = _text("setup/weights")
    try:
        parts = tuple(Decimal(p) for p in raw.split(","))
    except InvalidOperation:
        return DEFAULT_WEIGHTS
    if len(parts) != 3 or sum(parts) != 100:
        return DEFAULT_WEIGHTS
    return parts[0], parts[1], parts[2]


def database_choice() -> str | None:
    """The database file chosen in setup, unless ``--db``, ``SVDESK_DB`` or a server URL says otherwise."""
    if os.environ.get("SVDESK_DB") or os.environ.get("SVDESK_DATABASE_URL"):
        return None
    text = _text("database/path")
    return text or None


def save_setup(*, authority: str, user: str, weights: tuple[Decimal, Decimal, Decimal], logo: Path | None,
               database: str | None) -> None:
    """Remember the first-run answers."""
    s = settings()
    s.setValue("setup/authority", authority)
    s.setValue("setup/user", user)
    s.setValue("setup/weights", ",".join(str(w) for w in weights))
    s.setValue("setup/logo", str(logo) if logo else "")
    if database:
        s.setValue("database/path", database)
    s.setValue("setup/done", "true")
    s.sync()
