"""Keeping the database safe: verified backups (on demand, daily, on award, before an upgrade), and restoring
one with a plan of what it undoes.

One part of :class:`~svdesk.store.api.Database` (which keeps its methods as a thin face). A server database is
backed up and restored on the server.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from svdesk.store import audit
from svdesk.store import backup as backups
from svdesk.store import repository as repo
from svdesk.store.audit import AuditEntry
from svdesk.store.backup import BackupInfo
from svdesk.store.engine import LOCAL, Profile
from svdesk.store.errors import StoreError
from svdesk.store.tenders import checked_who
from svdesk.store.trail import ANCHOR_KEY

if TYPE_CHECKING:
    from svdesk.store.part import DatabaseCore

DAILY = timedelta(hours=24)


@dataclass(frozen=True)
class RestorePlan:
    """What restoring a backup will do, for the officer to confirm first.

    Attributes:
        database: the database's location.
        backup: the (verified) backup to restore.
        damaged: the live database is damaged (it is moved aside, never deleted).
        lost: audit entries for changes made since the backup, which restoring undoes (oldest first).
        diverged: the backup is not an earlier state of this database (everything now is replaced).
        tenders_gone: tenders there now that the backup does not have.
        tenders_changed: tenders changed since the backup.
        tenders_back: tenders deleted since the backup, which come back.
    """

    database: str
    backup: BackupInfo
    damaged: bool = False
    lost: tuple[AuditEntry, ...] = ()
    diverged: bool = False
    tenders_gone: tuple[str, ...] = ()
    tenders_changed: tuple[str, ...] = ()
    tenders_back: tuple[str, ...] = ()
    detail: str = ""

    @property
    def loses_anything(self) -> bool:
        """Restoring undoes recorded work (or cannot know, for a damaged database)."""
        return self.damaged or self.diverged or bool(self.lost or self.tenders_gone or self.tenders_changed)

    def describe(self) -> list[str]:
        """The plan in sentences, for the confirmation prompt or dialog."""
        label = self.backup.label()
        if self.damaged:
            return [
                f"{self.database} is damaged ({self.detail or 'it fails its check'}).",
                f"It will be moved aside (kept, never deleted) and replaced by {label}.",
                "Changes made after that backup are not in it; svdesk cannot recover them from the damaged file.",
            ]
        lines = []
        if self.diverged:
            lines.append(f"{label} is not an earlier state of this database: everything in {self.database} "
                         f"will be replaced by it.")
        if self.lost:
            n = len(self.lost)
            lines.append(f"Restoring {label} undoes {n} change{'s' if n != 1 else ''} made since then:")
            for e in self.lost[-10:]:
                when = e.at.astimezone().strftime("%d %b %H:%M").lstrip("0")
                about = f" ({e.tender})" if e.tender else ""
                lines.append(f"  {when}  {e.who}: {e.action}{about}")
            if n > 10:
                lines.insert(1, f"  … {n - 10} earlier ones not shown")
        elif not self.diverged:
            lines.append(f"Nothing was recorded since {label}: restoring it changes nothing.")
        if self.tenders_gone:
            lines.append(f"Tenders created since then disappear: {', '.join(self.tenders_gone)}.")
        if self.tenders_changed:
            lines.append(f"Tenders that go back to how they were: {', '.join(self.tenders_changed)}.")
        if self.tenders_back:
            lines.append(f"Tenders deleted since then come back: {', '.join(self.tenders_back)}.")
        lines.append("A backup of the database as it is now is made first, so this can be undone.")
        return lines


class Safekeeping:
    """The backups of one database file, and restoring them."""

    def __init__(self, db: DatabaseCore) -> None:
        self._db = db

    def backup(self) -> Path:
        """Make a verified backup now; returns its path.

        Raises:
            StoreError: it could not be made (the earlier backups are untouched), or the database is on a
                server, where backups are the server's job.
        """
        return self.make("manual").path

    def make(self, reason: str) -> BackupInfo:
        if self._db._raw is None or self._db.path is None:
            raise StoreError("A server database is backed up on the server (pg_dump); ask whoever runs it.")
        if self._db._closed:
            raise StoreError("Could not make a backup: the database is closed.")
        with self._db._lock:
            info = backups.make_backup(self._db._raw, self._db.path, reason)
            backups.rotate(self._db.path)
        return info

    def backup_quietly(self, reason: str) -> None:
        if self._db._raw is None:
            return
        try:
            self.make(reason)
        except StoreError as e:
            self._db.notices.append(str(e))

    def backups(self) -> list[BackupInfo]:
        """This database's backups, newest first (empty for a server)."""
        return [] if self._db.path is None else backups.list_backups(self._db.path)

    def last_backup(self) -> datetime | None:
        """When the newest backup was made (``None``: never, or a server)."""
        found = self.backups()
        return found[0].created if found else None

    def backup_if_due(self) -> Path | None:
        """The daily backup, if the newest backup is more than a day old (the GUI calls this now and then).

        Made at every open too. A failure is added to ``notices`` instead of raised.

        Returns:
            The new backup, or ``None`` (not due, nothing to back up, a server, or it failed).
        """
        if self._db.read_only or self._db.path is None or self._db._closed:
            return None
        last = self.last_backup()
        if last is not None and datetime.now(UTC) - last < DAILY:
            return None
        with self._db._session("check for tenders", write=False) as s:
            if not repo.summaries(s):
                return None
        try:
            return self.make("daily").path
        except StoreError as e:
            self._db.notices.append(str(e))
            return None

    def plan_restore(self, backup: Path | None = None) -> RestorePlan:
        """What restoring ``backup`` (default: the newest good one) would undo.

        Raises:
            StoreError: no usable backup, or a server database.
        """
        if self._db.path is None:
            raise StoreError("A server database is restored on the server; ask whoever runs it.")
        info = choose_backup(self._db.path, backup)
        seq, digest, b_tenders = backup_contents(info)
        with self._db._session("read the audit log", write=False) as s:
            entries = audit.entries(s)
            versions: dict[str, int] = {str(r[0]): int(r[1]) for r in s.execute(
                text("SELECT reference, version FROM tender"))}
        here = {e.seq: e.hash for e in entries}
        diverged = seq > 0 and here.get(seq) != digest
        lost = tuple(entries if diverged else [e for e in entries if e.seq > seq])
        return RestorePlan(
            database=self._db.location, backup=info, lost=lost, diverged=diverged,
            tenders_gone=tuple(sorted(set(versions) - set(b_tenders))),
            tenders_changed=tuple(sorted(r for r, v in versions.items() if r in b_tenders and b_tenders[r] != v)),
            tenders_back=tuple(sorted(set(b_tenders) - set(versions))),
        )

    def restore(self, plan: RestorePlan, *, who: str) -> Path:
        """Replace the database's contents with the plan's backup; returns the safety backup made first.

        The live file is never replaced on disk: SQLite's backup API writes the backup's pages into it
        through this connection, as one transaction.
        """
        self._db._require_writable("restore the backup")
        who = checked_who(who)
        if self._db._raw is None or self._db.path is None:
            raise StoreError("A server database is restored on the server; ask whoever runs it.")
        with self._db._lock:
            info = backups.verify_backup(plan.backup)
            safety = self.make("before-restore")
            superseded = anchors_missing_from(info, self.backups())
            try:
                backups.restore_file(info, self._db._raw)
                reassert_journal(self._db._raw, self._db.profile or LOCAL)
            except sqlite3.Error as e:
                raise StoreError(f"Could not restore {info.path} ({e}). The database is as it was; a copy of it "
                                 f"is in {safety.path}.") from None
            self._db.records.forget()
            self._db._prepare_schema(backup_first=False)
            self.record_restore(info, who=who, undone=len(plan.lost), safety=safety.path, superseded=superseded)
        return safety.path

    def record_restore(self, info: BackupInfo, *, who: str, undone: int, safety: Path | None,
                        superseded: list[tuple[int, str]], aside: Path | None = None) -> None:
        details: dict[str, Any] = {"backup": str(info.path), "backup_made": info.created.isoformat(),
                                   "undone_changes": undone, ANCHOR_KEY: [list(a) for a in superseded]}
        if safety is not None:
            details["safety_backup"] = str(safety)
        if aside is not None:
            details["damaged_file_kept_as"] = str(aside)
        with self._db._session("record the restore", write=True, witness="restore") as s:
            audit.append(s, who=who, action=f"Restored {info.label()}", tender=None, details=details)


def backup_contents(info: BackupInfo) -> tuple[int, str, dict[str, int]]:
    conn = sqlite3.connect(f"{info.path.resolve().as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None)
    try:
        row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        tenders = {str(r[0]): int(r[1]) for r in conn.execute("SELECT reference, version FROM tender")}
    finally:
        conn.close()
    return (0, "", tenders) if row is None else (int(row[0]), str(row[1]), tenders)


def anchors_missing_from(info: BackupInfo, known: list[BackupInfo]) -> list[tuple[int, str]]:
    """Heads recorded by other backups that the restored history does not contain (no longer anchors)."""
    conn = sqlite3.connect(f"{info.path.resolve().as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None)
    try:
        chain = {(int(r[0]), str(r[1])) for r in conn.execute("SELECT seq, hash FROM audit_log")}
    finally:
        conn.close()
    return sorted({(b.audit_seq, b.audit_hash) for b in known if b.audit_hash} - chain)


def reassert_journal(raw: sqlite3.Connection, profile: Profile) -> None:
    mode = raw.execute(f"PRAGMA journal_mode={profile.journal_mode}").fetchone()[0]
    if mode != profile.journal_mode:
        raise sqlite3.OperationalError(f"journal_mode is {mode} after the restore")


def choose_backup(database: Path, chosen: Path | None) -> BackupInfo:
    found = backups.list_backups(database)
    if chosen is None:
        for info in found:
            try:
                return backups.verify_backup(info)
            except StoreError:
                continue
        raise StoreError(f"There is no usable backup of {database} in {backups.folder_for(database)}.")
    target = Path(chosen).absolute()
    if not target.is_file():
        raise StoreError(f"{chosen}: no such backup file")
    for info in found:
        if info.path.absolute() == target:
            return backups.verify_backup(info)
    made = datetime.fromtimestamp(target.stat().st_mtime, UTC)
    return backups.verify_backup(BackupInfo(target, made, "manual"))
