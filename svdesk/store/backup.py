"""Backups: verified copies made with SQLite's online backup API, kept in rotation.

A backup is never a plain copy of the live file (that can tear a transaction in half). It is made by
:func:`make_backup`: SQLite's backup API copies the pages from the open connection into a temporary file,
the copy is switched to a single-file journal, fsync'd and checked with ``PRAGMA integrity_check``; only then
is it renamed into place (atomic), followed by its manifest (``.json``: when, why, the audit head, SHA-256).
A failure at any point leaves the earlier backups untouched and no half-written file behind.

Backups live in ``paths.backups_dir(database)``, named ``<file name>-YYYYmmdd-HHMMSS-<reason>.sqlite3``
(``council.sqlite3-20261122-0900-daily.sqlite3``): the whole file name, so that ``council.sqlite3`` and
``council.db`` in one folder never see each other's backups. Backups made before were named after the stem
(``council-…``); they are still found for their own database, told apart by the database their manifest
names. :func:`keep` decides which to keep (Anki-style thinning, with a date-driven test).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePath, PureWindowsPath

from svdesk import __version__, paths
from svdesk.store.errors import StoreError
from svdesk.store.migrate import KNOWN

MANIFEST_FORMAT = "svdesk-backup/1"
#: Why a backup was made.
REASONS = ("manual", "daily", "award", "before-upgrade", "before-restore")
_SPECIAL = ("award", "before-upgrade", "before-restore")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file and what its manifest says about it.

    Attributes:
        path: the backup file.
        created: when it was made.
        reason: one of :data:`REASONS`.
        audit_seq, audit_hash: the audit log's newest entry at the time (an anchor for verification).
        audit_first: the hash of the audit log's first entry: which database (history) this is a backup of.
        sha256: the file's SHA-256 as recorded ("" when there is no manifest).
        tenders: how many tenders it holds (-1 when unknown).
    """

    path: Path
    created: datetime
    reason: str
    audit_seq: int = 0
    audit_hash: str = ""
    sha256: str = ""
    tenders: int = -1
    audit_first: str = ""

    @property
    def manifest(self) -> Path:
        """The manifest file beside the backup."""
        return manifest_of(self.path)

    def label(self) -> str:
        """``the backup of 21 Nov 2026 18:00 (daily)``."""
        when = self.created.astimezone().strftime("%d %b %Y %H:%M").lstrip("0")
        return f"the backup of {when} ({self.reason})"


def manifest_of(backup: Path) -> Path:
    """``x.sqlite3`` → ``x.json``."""
    return backup.with_suffix(".json")


def folder_for(database: Path) -> Path:
    """Where a database's backups are kept."""
    return paths.backups_dir(database)


def _fsync_path(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY if directory else os.O_RDWR
    try:
        fd = os.open(path, flags)
    except OSError:
        if directory:  # not every platform can open a folder (Windows): its rename is durable anyway
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not directory:
            raise
    finally:
        os.close(fd)


def file_sha256(path: Path) -> str:
    """SHA-256 of a (backup) file. Never called on the live database."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None)


@dataclass(frozen=True)
class Facts:
    """What a (backup) database holds: its audit head and first entry, tender count and schema."""

    seq: int
    hash: str
    first: str
    tenders: int
    schema: str | None


def _facts(conn: sqlite3.Connection) -> Facts:
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    first = conn.execute("SELECT hash FROM audit_log ORDER BY seq LIMIT 1").fetchone()
    tenders = int(conn.execute("SELECT count(*) FROM tender").fetchone()[0])
    rev = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return Facts(0 if row is None else int(row[0]), "" if row is None else str(row[1]),
                 "" if first is None else str(first[0]), tenders, None if rev is None else str(rev[0]))


def _problem(e: BaseException) -> str:
    if isinstance(e, OSError):
        return e.strerror or str(e)
    return str(e)


def make_backup(source: sqlite3.Connection, database: Path, reason: str, *,
                now: datetime | None = None) -> BackupInfo:
    """Back up the open database ``source`` (the live connection, between transactions).

    Raises:
        StoreError: the backup could not be made or did not verify; earlier backups are untouched.
    """
    if reason not in REASONS:
        raise ValueError(reason)
    moment = (now or datetime.now(UTC)).astimezone()
    folder = folder_for(database)
    stem = f"{database.name}-{moment.strftime('%Y%m%d-%H%M%S')}-{reason}"
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Left by a crash mid-backup (only this process holds the database, so none is in progress).
        for stale in folder.glob(f".{glob.escape(database.name)}-*.part"):
            stale.unlink(missing_ok=True)
        final = folder / f"{stem}.sqlite3"
        n = 1
        while final.exists() or manifest_of(final).exists():
            n += 1
            final = folder / f"{stem}-{n}.sqlite3"
        tmp = folder / f".{final.name}.part"
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        dst = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            source.backup(dst)
            mode = dst.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
            if mode != "delete":
                raise StoreError(f"the copy kept journal mode {mode!r}")
            check = [r[0] for r in dst.execute("PRAGMA integrity_check").fetchall()]
            if check != ["ok"]:
                raise StoreError(f"the copy did not verify ({'; '.join(check[:3])})")
            facts = _facts(dst)
        finally:
            dst.close()
        _fsync_path(tmp)
        sha = file_sha256(tmp)
        info = BackupInfo(final, moment, reason, facts.seq, facts.hash, sha, facts.tenders, facts.first)
        manifest = {
            "format": MANIFEST_FORMAT, "database": str(database), "created": moment.isoformat(timespec="microseconds"),
            "reason": reason, "schema": facts.schema,
            "audit": {"seq": facts.seq, "hash": facts.hash, "first": facts.first},
            "sha256": sha, "tenders": facts.tenders, "integrity": "ok", "svdesk": __version__,
        }
        os.replace(tmp, final)
        tmp = None
        from svdesk.atomic import write_text_atomic

        write_text_atomic(manifest_of(final), json.dumps(manifest, indent=2) + "\n")
        _fsync_path(folder, directory=True)
    except (OSError, sqlite3.Error, StoreError) as e:
        raise StoreError(f"Could not make a backup in {folder} ({_problem(e)}). The earlier backups are "
                         f"untouched.") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return info


def _parse_name(path: Path, prefix: str) -> tuple[datetime, str] | None:
    rest = path.name[len(prefix) + 1:-len(".sqlite3")]
    parts = rest.split("-", 2)
    if len(parts) < 3:
        return None
    try:
        created = datetime.strptime(f"{parts[0]}-{parts[1]}", "%Y%m%d-%H%M%S").astimezone()
    except ValueError:
        return None
    reason = parts[2]
    for r in REASONS:
        if reason == r or reason.startswith(r + "-"):
            return created, r
    return None


def _names_other_database(manifest: object, database: Path) -> bool | None:
    """Whether a manifest says it backs up another database file (``None``: it does not say).

    Compared by file name: backups are found in the database's own backups folder. The name is read as this
    system's path and as a Windows one (a file copied from a council laptop), and either may match.
    """
    if not isinstance(manifest, dict) or not isinstance(manifest.get("database"), str) or not manifest["database"]:
        return None
    named = manifest["database"]
    return database.name not in (PurePath(named).name, PureWindowsPath(named).name)


def _stem_shared(database: Path) -> bool:
    """Another database beside this one has the same stem (``council.db`` beside ``council.sqlite3``)."""
    with contextlib.suppress(OSError):
        for p in database.parent.glob(f"{glob.escape(database.stem)}.*"):
            if p.name != database.name and not p.name.startswith(database.name) and p.stem == database.stem:
                return True
    return False


def list_backups(database: Path) -> list[BackupInfo]:
    """The database's backups, newest first (not verified: see :func:`verify_backup`).

    A backup whose manifest names another database file is not this one's. Backups named the old way (after
    the stem) count when their manifest names this file, or, without a readable manifest, when no other
    database beside this one shares the stem.
    """
    folder = folder_for(database)
    if not folder.is_dir():
        return []
    candidates = {p: database.name for p in folder.glob(f"{glob.escape(database.name)}-*.sqlite3")}
    if database.stem != database.name:
        for p in folder.glob(f"{glob.escape(database.stem)}-*.sqlite3"):
            candidates.setdefault(p, database.stem)
    shared: bool | None = None
    out = []
    for p, prefix in candidates.items():
        parsed = _parse_name(p, prefix)
        if parsed is None or not p.is_file():
            continue
        created, reason = parsed
        info = BackupInfo(p, created, reason)
        try:
            m = json.loads(manifest_of(p).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            m = None
        other = _names_other_database(m, database)
        if other:
            continue                       # another database's backup (same stem, or a name like ours)
        if other is None and prefix != database.name:
            if shared is None:
                shared = _stem_shared(database)
            if shared:
                continue                   # an old-style backup with no word on whose it is: not ours to use
        if isinstance(m, dict):
            with contextlib.suppress(ValueError, KeyError, TypeError):
                info = BackupInfo(p, datetime.fromisoformat(m["created"]), str(m["reason"]),
                                  int(m["audit"]["seq"]), str(m["audit"]["hash"]), str(m["sha256"]),
                                  int(m.get("tenders", -1)), str(m["audit"].get("first", "")))
        out.append(info)
    out.sort(key=lambda b: (b.created, b.path.name), reverse=True)
    return out


def verify_backup(info: BackupInfo) -> BackupInfo:
    """Check a backup before trusting it: its SHA-256 (when recorded), integrity and schema.

    Returns:
        The backup's info, completed from the file itself.

    Raises:
        StoreError: the backup is damaged, incomplete or from a newer svdesk.
    """
    where = info.path
    try:
        if info.sha256 and file_sha256(info.path) != info.sha256:
            raise StoreError("its contents changed since it was made")
        conn = _read_only(info.path)
        try:
            check = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            if check != ["ok"]:
                raise StoreError(f"it is damaged ({'; '.join(check[:3])})")
            facts = _facts(conn)
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as e:
        raise StoreError(f"The backup {where} cannot be used ({_problem(e)})") from None
    except StoreError as e:
        raise StoreError(f"The backup {where} cannot be used: {e}") from None
    if facts.schema not in KNOWN:
        raise StoreError(f"The backup {where} was made by a newer version of svdesk (schema {facts.schema})")
    if info.audit_hash and (facts.seq, facts.hash) != (info.audit_seq, info.audit_hash):
        raise StoreError(f"The backup {where} cannot be used: its audit log differs from its manifest")
    return BackupInfo(info.path, info.created, info.reason, facts.seq, facts.hash, info.sha256, facts.tenders,
                      facts.first)


def newest_verified(database: Path) -> BackupInfo | None:
    """The newest backup that verifies, or ``None``."""
    for info in list_backups(database):
        try:
            return verify_backup(info)
        except StoreError:
            continue
    return None


def keep(backups: Sequence[BackupInfo], now: datetime) -> set[Path]:
    """Which backups rotation keeps.

    The newest 10; the newest of each day for two weeks; the newest of each month for a year; and backups
    made on award, before an upgrade or before a restore: the newest 5 of each kind and all from the last
    90 days.
    """
    ordered = sorted(backups, key=lambda b: b.created, reverse=True)
    kept = {b.path for b in ordered[:10]}
    days: set[object] = set()
    months: set[object] = set()
    per_reason: dict[str, int] = {}
    for b in ordered:
        age = now - b.created
        day = b.created.astimezone().date()
        if age <= timedelta(days=14) and day not in days:
            days.add(day)
            kept.add(b.path)
        month = (day.year, day.month)
        if age <= timedelta(days=366) and month not in months:
            months.add(month)
            kept.add(b.path)
        if b.reason in _SPECIAL:
            per_reason[b.reason] = per_reason.get(b.reason, 0) + 1
            if per_reason[b.reason] <= 5 or age <= timedelta(days=90):
                kept.add(b.path)
    return kept


def rotate(database: Path, now: datetime | None = None) -> list[Path]:
    """Delete backups that :func:`keep` does not keep; returns what was removed."""
    moment = (now or datetime.now(UTC)).astimezone()
    infos = list_backups(database)
    wanted = keep(infos, moment)
    removed = []
    for b in infos:
        if b.path in wanted:
            continue
        with contextlib.suppress(OSError):
            b.path.unlink()
            manifest_of(b.path).unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def restore_file(backup: BackupInfo, target: sqlite3.Connection) -> None:
    """Copy a verified backup into the open, locked live connection (one transaction on the target)."""
    src = _read_only(backup.path)
    try:
        src.backup(target)
    finally:
        src.close()


def copy_into_place(backup: BackupInfo, database: Path) -> None:
    """Make ``database`` (which must not exist) a copy of the backup: temporary file, verify, rename."""
    tmp = database.with_name(f".{database.name}.restoring")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
        dst = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            restore_file(backup, dst)
            if [r[0] for r in dst.execute("PRAGMA integrity_check").fetchall()] != ["ok"]:
                raise StoreError("the restored copy did not verify")
        finally:
            dst.close()
        _fsync_path(tmp)
        os.replace(tmp, database)
        _fsync_path(database.parent, directory=True)
    except (OSError, sqlite3.Error) as e:
        raise StoreError(f"Could not restore {backup.path} to {database} ({_problem(e)})") from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def move_aside(database: Path, now: datetime | None = None) -> Path:
    """Rename a damaged database (and its journal files) out of the way; nothing is ever deleted.

    Returns:
        The damaged file's new name (``svdesk.sqlite3.damaged-YYYYmmdd-HHMMSS``); its ``-wal`` and
        ``-journal`` travel with it so that it can still be opened for salvage.
    """
    stamp = (now or datetime.now(UTC)).astimezone().strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = database.with_name(f"{database.name}.damaged-{stamp}-{n}")
    for suffix in ("-wal", "-journal", "-shm"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + suffix))
    os.replace(database, aside)
    _fsync_path(database.parent, directory=True)
    return aside
