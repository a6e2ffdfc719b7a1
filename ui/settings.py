"""Where the desktop application keeps its settings: the council's in the database, the officer's in an INI file.

The council-wide settings (name, address, logo, default weights and panel, report template, ocid prefix) live in
the database (:mod:`svdesk.domain.council`); :func:`set_council` holds those of the database open in the window,
and :func:`authority_name`, :func:`logo_path` and :func:`default_weights` answer from them first. The INI file
lives in :func:`svdesk.paths.home`, so ``SVDESK_HOME`` moves it (tests never touch a real profile) and a one-file
executable never writes beside itself. It holds UI state (window layout per screen, last page), the officer's
own preferences (name for the audit log, initials, reopening tenders) and the first-run answers, which stand in
until the council's settings say otherwise.
"""

from __future__ import annotations

import getpass
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import QSettings

from svdesk import paths
from svdesk.domain.council import CouncilSettings

#: The default split of marks for a new tender: price, quality, social value (percentage points).
DEFAULT_WEIGHTS = (Decimal(40), Decimal(40), Decimal(20))


_council: list[CouncilSettings] = [CouncilSettings.from_stored({})]


def set_council(council: CouncilSettings | None) -> None:
    """The council settings of the database now open in the window (``None``: none open)."""
    _council[0] = council if council is not None else CouncilSettings.from_stored({})


def council() -> CouncilSettings:
    """The council settings of the database open in the window (all empty when none is open)."""
    return _council[0]


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
    """The council's name, used as the buyer of new tenders (the database's setting, else the setup's answer)."""
    return council().name or _text("setup/authority")


def logo_path() -> Path | None:
    """The council's logo (the database's setting, else the copy chosen in setup), if the file is there."""
    text = council().get("council.logo") or _text("setup/logo")
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
    """Price, quality and social-value weights for a new tender (the council's setting first)."""
    stored = council().default_weights
    if stored is not None:
        return stored
    raw = _text("setup/weights")
    try:
        parts = tuple(Decimal(p) for p in raw.split(","))
    except InvalidOperation:
        return DEFAULT_WEIGHTS
    if len(parts) != 3 or sum(parts) != 100:
        return DEFAULT_WEIGHTS
    return parts[0], parts[1], parts[2]


def initials() -> str:
    """The officer's initials (Tools → Options), for marking as an evaluator; ``""`` when not given."""
    return _text("user/initials")


def reopen_tenders() -> bool:
    """Whether the tenders open at closing are opened again at start (Tools → Options; default yes)."""
    return _text("user/reopen", "true") != "false"


def save_personal(*, user: str, initials: str, reopen: bool) -> None:
    """Remember the officer's own preferences (Tools → Options)."""
    s = settings()
    s.setValue("setup/user", user)
    s.setValue("user/initials", initials)
    s.setValue("user/reopen", "true" if reopen else "false")
    s.sync()


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
