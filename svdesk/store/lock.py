"""The owner sidecar ``<database>.svdesk-lock``: who holds a database, so a second copy can say so.

SQLite's exclusive lock is what actually keeps a second copy out; this small JSON file only names the holder
(user, computer, process, since when) for the message "This database is in use by NAME on HOST since 09:14".
A sidecar left by a session that ended without closing (a crash, a pulled plug) is noticed and replaced.
The database file itself is never opened here (closing any descriptor of a locked SQLite file would drop
its POSIX locks).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import secrets
import socket
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SUFFIX = ".svdesk-lock"


@dataclass(frozen=True)
class Owner:
    """Who holds a database."""

    user: str
    host: str
    pid: int
    started: datetime
    token: str

    def to_json(self) -> str:
        """The sidecar's text."""
        return json.dumps({"user": self.user, "host": self.host, "pid": self.pid,
                           "started": self.started.isoformat(timespec="seconds"), "token": self.token}) + "\n"

    @property
    def is_this_computer(self) -> bool:
        """The holder runs on this computer."""
        return self.host.casefold() == this_host().casefold()

    def alive(self) -> bool:
        """Whether the holding process still runs (only knowable on this computer)."""
        return self.is_this_computer and pid_alive(self.pid)


def sidecar(database: Path) -> Path:
    """The sidecar file of a database."""
    return database.with_name(database.name + SUFFIX)


def this_host() -> str:
    """This computer's name (no network involved)."""
    return socket.gethostname() or "this computer"


def this_user() -> str:
    """The logged-in user's name."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (a service): still say something useful
        return "another user"


def me() -> Owner:
    """An owner record for this process, starting now."""
    return Owner(this_user(), this_host(), os.getpid(), datetime.now(UTC).astimezone(), secrets.token_hex(8))


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs on this computer."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_owner(database: Path) -> Owner | None:
    """The recorded owner, or ``None`` when there is no (readable) sidecar."""
    try:
        data = json.loads(sidecar(database).read_text(encoding="utf-8"))
        started = datetime.fromisoformat(str(data["started"]))
        if started.tzinfo is None:
            started = started.replace(tzinfo=UTC)
        return Owner(str(data["user"]), str(data["host"]), int(data["pid"]), started, str(data.get("token", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_owner(database: Path, owner: Owner) -> None:
    """Record ``owner`` (temporary file + rename, so a reader never sees half a file)."""
    target = sidecar(database)
    for stale in target.parent.glob(f".{target.name}.*"):  # left by a crash between write and rename
        with contextlib.suppress(OSError):
            stale.unlink()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:  # no fsync: after a power cut a stale or missing
            fh.write(owner.to_json())                      # sidecar is harmless (SQLite's lock decides)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def remove_owner(database: Path, owner: Owner) -> None:
    """Remove the sidecar if it is still ours."""
    current = read_owner(database)
    if current is not None and current.token == owner.token:
        with contextlib.suppress(OSError):
            sidecar(database).unlink()


def since_text(moment: datetime, now: datetime | None = None) -> str:
    """``09:14`` today, ``21 Nov 09:14`` on another day (local time)."""
    local = moment.astimezone()
    today = (now or datetime.now(UTC)).astimezone().date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d %b %Y %H:%M").lstrip("0")


def in_use_message(owner: Owner | None, database: Path) -> str:
    """The sentence a second copy of svdesk shows."""
    if owner is None:
        who = "This database is in use by another copy of svdesk (or another program)"
    else:
        who = f"This database is in use by {owner.user} on {owner.host} since {since_text(owner.started)}"
    return f"{who} ({database}). Close svdesk there first, then try again."
