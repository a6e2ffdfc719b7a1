"""The store's public face: open a database, load and save tenders, audit, back up, check, restore.

Everything an officer does is one call here and one transaction in the database: a save returns only after
COMMIT, and a failure leaves the database exactly as it was, with one clear sentence saying why (disk full,
read-only, in use, changed by someone else, frozen by award). See ``docs/contracts.md`` for the contract.

Local file: one exclusive SQLite connection per process (:mod:`svdesk.store.engine`), an owner sidecar
(:mod:`svdesk.store.lock`), ``quick_check`` at every open, a verified backup before any upgrade and once a
day, and on award. Server: the same code over PostgreSQL (``SVDESK_DATABASE_URL``), where several officers
may work at once and optimistic concurrency (a version per tender) turns a lost update into a conflict.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from svdesk import paths
from svdesk.domain.negotiation import Checklist, check_checklist
from svdesk.domain.tender import TRANSITIONS, Tender, TenderStatus, check_tender, check_text, evaluated_part
from svdesk.errors import SvdeskError, ValidationError
from svdesk.store import audit, lock, migrate
from svdesk.store import backup as backups
from svdesk.store import repository as repo
from svdesk.store.audit import AuditEntry, ChainReport, jsonable
from svdesk.store.backup import BackupInfo
from svdesk.store.engine import (
    LOCAL,
    NETWORK,
    Profile,
    connect_sqlite,
    is_network_location,
    safe_url,
    server_engine,
    sqlite_engine,
)
from svdesk.store.errors import (
    ConflictError,
    DatabaseDamagedError,
    DatabaseInUseError,
    DatabaseTooNewError,
    DuplicateTenderError,
    FrozenError,
    NotADatabaseError,
    ReadOnlyError,
    StoreError,
    TenderNotFoundError,
)
from svdesk.store.models import FROZEN_STATUSES
from svdesk.store.register import TenderSummary

__all__ = [
    "AuditEntry",
    "BackupInfo",
    "ChainReport",
    "CheckItem",
    "CheckReport",
    "ConflictError",
    "Database",
    "DatabaseDamagedError",
    "DatabaseInUseError",
    "DatabaseTooNewError",
    "DuplicateTenderError",
    "FrozenError",
    "NotADatabaseError",
    "ReadOnlyError",
    "RestorePlan",
    "StoreError",
    "TenderNotFoundError",
    "TenderSummary",
    "list_backups",
    "open_database",
    "plan_recovery",
    "recover_database",
]

DAILY = timedelta(hours=24)
_ANCHOR_KEY = "superseded_anchors"


# ---------------------------------------------------------------------------------------------------------
# Errors from the database → one sentence
# ---------------------------------------------------------------------------------------------------------


def _short(e: BaseException) -> str:
    orig = getattr(e, "orig", None)
    text_ = str(orig if orig is not None else e).strip().splitlines()
    return text_[0] if text_ else type(e).__name__


def translate(e: BaseException, location: str, doing: str, *, server: bool = False) -> SvdeskError:
    """Turn a database failure into one sentence an officer can act on."""
    short = _short(e)
    low = short.lower()
    if "svdesk: frozen" in low and "tie-break" in low:
        return FrozenError(f"Could not {doing}: an awarded tender's tie-break rule is frozen with its scores, as it "
                           f"decides who won a tie. Nothing was changed.")
    if "svdesk: frozen" in low:
        return FrozenError(f"Could not {doing}: an awarded tender's criteria, bids and scores are frozen as the "
                           f"committee saw them (record a correction instead). Nothing was changed.")
    if "append-only" in low:
        return StoreError("The audit log is append-only: its entries cannot be changed or removed.")
    if isinstance(e, StatementError) and isinstance(e.orig, ValueError) and str(e.orig).startswith("svdesk: "):
        return ValidationError("", str(e.orig)[len("svdesk: "):])
    if "uq_tender_reference" in low or ("unique" in low and "tender.reference" in low):
        return DuplicateTenderError(f"Could not {doing}: another tender already has that reference.")
    if "database is locked" in low or "database table is locked" in low:
        return DatabaseInUseError(f"Could not {doing}: {location} is in use by another program. Nothing was changed.")
    if "disk is full" in low or "no space" in low or "file too large" in low:
        return StoreError(f"Could not {doing}: the disk holding {location} is full. Nothing was changed; your last "
                          f"saved work is safe. Free some space and try again.")
    if "readonly" in low or "read-only" in low or "read only" in low:
        return ReadOnlyError(f"Could not {doing}: {location} cannot be written (it is read-only). Nothing was "
                             f"changed.")
    if "i/o error" in low or "disk i/o" in low:
        return StoreError(f"Could not {doing}: the disk reported an error while writing {location}. Nothing was "
                          f"changed; your last saved work is safe.")
    if "unique" in low or "duplicate key" in low:
        return ValidationError("", f"could not {doing}: two records would have the same name ({short})")
    if server:
        return StoreError(f"Could not {doing}: the database server reported a problem ({short}). Reload to see "
                          f"what was saved.")
    return StoreError(f"Could not {doing} ({short}). Nothing was changed.")


# ---------------------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckItem:
    """One line of ``svdesk check``."""

    name: str
    ok: bool
    detail: str


@dataclass(frozen=True)
class CheckReport:
    """Everything ``svdesk check`` found."""

    location: str
    items: tuple[CheckItem, ...]

    @property
    def ok(self) -> bool:
        """Every check passed."""
        return all(i.ok for i in self.items)


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


# ---------------------------------------------------------------------------------------------------------
# The database
# ---------------------------------------------------------------------------------------------------------


class Database:
    """An open svdesk database (a local file or a server). Use :func:`open_database`.

    Attributes:
        location: the file path or the server URL without its password.
        read_only: nothing can be saved (opened read-only, or the file cannot be written).
        kind: ``"sqlite"`` or ``"postgresql"``.
        path: the database file (``None`` for a server).
        network_drive: the file is on a network drive (rollback journal; flagged in ``notices``).
        notices: things the officer should be told once (previous session not closed, network drive,
            a backup that failed); the GUI shows them, the CLI prints them.
    """

    def __init__(self, *, engine: Engine, location: str, read_only: bool, kind: str, path: Path | None = None,
                 raw: sqlite3.Connection | None = None, owner: lock.Owner | None = None,
                 profile: Profile | None = None, notices: list[str] | None = None) -> None:
        self._engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)
        self._raw = raw
        #: The driver's own error class (psycopg's or sqlite3's), in case one escapes SQLAlchemy unwrapped.
        self._dbapi_error: type[Exception] = getattr(engine.dialect.loaded_dbapi, "Error", sqlite3.Error)
        self._owner = owner
        self._lock = threading.RLock()
        self._known: dict[str, tuple[int, Tender]] = {}
        self._closed = False
        self.location = location
        self.read_only = read_only
        self.kind = kind
        self.path = path
        self.profile = profile
        self.network_drive = profile is NETWORK
        self.notices: list[str] = list(notices or [])

    # --- transactions -------------------------------------------------------------------------------------

    def _require_writable(self, doing: str) -> None:
        if self._closed:
            raise StoreError(f"Could not {doing}: the database is closed.")
        if self.read_only:
            raise ReadOnlyError(f"Could not {doing}: {self.location} is open read-only. Nothing was changed.")

    @contextmanager
    def _session(self, doing: str, *, write: bool) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any failure (translated to one sentence)."""
        if write:
            self._require_writable(doing)
        elif self._closed:
            raise StoreError(f"Could not {doing}: the database is closed.")
        with self._lock:
            session = self._sessions()
            try:
                with session.begin():
                    yield session
            except SvdeskError:
                raise
            except (SQLAlchemyError, sqlite3.Error, self._dbapi_error) as e:
                raise translate(e, self.location, doing, server=self.kind != "sqlite") from None
            finally:
                session.close()

    # --- tenders ------------------------------------------------------------------------------------------

    def list_tenders(self, search: str = "", status: TenderStatus | None = None,
                     category: str | None = None) -> list[TenderSummary]:
        """The register: tenders whose reference or title contains ``search``, newest change first."""
        with self._session("list the tenders", write=False) as s:
            return repo.summaries(s, search, status, category)

    def load_tender(self, reference: str) -> Tender:
        """The whole tender.

        Raises:
            TenderNotFoundError: no tender has this reference.
        """
        with self._session("load the tender", write=False) as s:
            stored = repo.find(s, reference)
            if stored is None:
                raise TenderNotFoundError(f"There is no tender {reference!r} in {self.location}.")
            tender = repo.load(s, stored.id)
        self._known[reference] = (stored.version, tender)
        return tender

    def create_tender(self, tender: Tender, *, who: str) -> None:
        """Add a new tender (one transaction, audited).

        Raises:
            DuplicateTenderError: a tender with this reference exists.
            ValidationError: the tender is not valid.
        """
        check_tender(tender)
        who = _who(who)
        with self._session("create the tender", write=True) as s:
            if repo.find(s, tender.reference) is not None:
                raise DuplicateTenderError(f"A tender with the reference {tender.reference!r} already exists in "
                                           f"{self.location}.")
            repo.insert_tender(s, tender, repo.now_utc())
            # The entry records the tender as it arrived, its real status included (an awarded one says so).
            status = f" (already {tender.status.value})" if tender.status.value in FROZEN_STATUSES else ""
            audit.append(s, who=who, action=f"Created tender {tender.reference}{status}", tender=tender.reference,
                         details={"after": jsonable(tender)})
        self._known[tender.reference] = (1, tender)

    def save_tender(self, tender: Tender, *, previous: Tender, who: str, action: str) -> None:
        """Save one user action: write only what differs from ``previous``, audited as ``action``.

        Returns only after COMMIT (nothing may say "saved" before).

        Raises:
            ConflictError: the stored tender is no longer ``previous`` (someone else saved in between).
            FrozenError: the tender is awarded and the edit would change its criteria, bids or scores.
            ValidationError: the edited tender is not valid (nothing was written).
        """
        if tender is previous or tender == previous:
            return
        check_edit(previous, tender)
        who = _who(who)
        action = check_text(action, "action", required=True, limit=500)
        ref = previous.reference
        with self._session(f"save “{action}”", write=True) as s:
            stored = repo.find(s, ref)
            if stored is None:
                raise ConflictError(f"{ref} is no longer in the database (someone deleted it). Your change was "
                                    f"not saved.")
            known = self._known.get(ref)
            if known is not None and (known[1] is previous or known[1] == previous):
                expected = known[0]
            elif repo.load(s, stored.id) == previous:
                expected = stored.version
            else:
                raise ConflictError(self._conflict_message(s, ref))
            if stored.version != expected:
                raise ConflictError(self._conflict_message(s, ref))
            if stored.status in FROZEN_STATUSES:
                regress = tender.status.value not in FROZEN_STATUSES
                if previous.criteria != tender.criteria or regress or (
                        previous.bids != tender.bids
                        and [evaluated_part(b) for b in previous.bids] != [evaluated_part(b) for b in tender.bids]):
                    raise FrozenError(f"{ref} is {stored.status}: its criteria, bids and scores are frozen as the "
                                      f"committee saw them (record a correction instead). Nothing was changed.")
                if previous.tie_break != tender.tie_break:  # it decides the winner of a tie
                    raise FrozenError(f"{ref} is {stored.status}: its tie-break rule is frozen with the scores, as "
                                      f"it decides who won a tie (record a correction instead). Nothing was "
                                      f"changed.")
            if not repo.touch(s, stored, repo.now_utc()):
                raise ConflictError(self._conflict_message(s, ref))
            changes = repo.write_changes(s, stored.id, previous, tender)
            audit.append(s, who=who, action=action, tender=tender.reference, details={"changes": changes})
        if tender.reference != ref:
            self._known.pop(ref, None)
        self._known[tender.reference] = (expected + 1, tender)
        if tender.status is TenderStatus.AWARDED and previous.status is not TenderStatus.AWARDED:
            self._backup_quietly("award")

    def _conflict_message(self, s: Session, ref: str) -> str:
        e = audit.last_entry(s, ref)
        by = "" if e is None else f" by {e.who} at {lock.since_text(e.at)}"
        return (f"{ref} was changed{by} since you opened it. Your change was not saved: reload the tender "
                f"and make it again.")

    def delete_tender(self, reference: str, *, who: str, reason: str) -> None:
        """Delete a tender (audited with the reason; the audit log keeps its history).

        Raises:
            FrozenError: an awarded tender is a record that must be kept.
        """
        who = _who(who)
        reason = check_text(reason, "reason", required=True)
        with self._session("delete the tender", write=True) as s:
            stored = repo.find(s, reference)
            if stored is None:
                raise TenderNotFoundError(f"There is no tender {reference!r} in {self.location}.")
            if stored.status in FROZEN_STATUSES:
                raise FrozenError(f"{reference} is {stored.status}: its records must be kept (Procurement Act 2023, "
                                  f"s.98) and cannot be deleted.")
            before = repo.load(s, stored.id)
            repo.delete_tender(s, stored.id)
            audit.append(s, who=who, action=f"Deleted tender {reference}", tender=reference,
                         details={"before": jsonable(before), "reason": reason})
        self._known.pop(reference, None)

    def record_correction(self, reference: str, *, who: str, correction: str, reason: str) -> None:
        """Record a correction to an (awarded) tender as a new audit entry with its reason.

        Frozen scores stay as the committee saw them; award papers and exports show corrections beside them.
        """
        who = _who(who)
        correction = check_text(correction, "correction", required=True)
        reason = check_text(reason, "reason", required=True)
        with self._session("record the correction", write=True) as s:
            if repo.find(s, reference) is None:
                raise TenderNotFoundError(f"There is no tender {reference!r} in {self.location}.")
            audit.append(s, who=who, action="Correction recorded", tender=reference,
                         details={"correction": correction, "reason": reason})

    # --- audit --------------------------------------------------------------------------------------------

    def audit_head(self) -> str:
        """Hex SHA-256 of the newest audit entry (print it on award papers)."""
        with self._session("read the audit log", write=False) as s:
            return audit.head(s)[1]

    def audit_head_entry(self) -> tuple[int, str]:
        """``(seq, hash)`` of the newest audit entry."""
        with self._session("read the audit log", write=False) as s:
            return audit.head(s)

    def audit_entries(self, reference: str | None = None) -> list[AuditEntry]:
        """Audit entries, oldest first: all, or those about one tender."""
        with self._session("read the audit log", write=False) as s:
            return audit.entries(s, reference)

    def verify_audit(self) -> ChainReport:
        """Verify the audit chain, and the heads recorded in this database's backup manifests."""
        with self._session("verify the audit log", write=False) as s:
            rows = audit.raw_entries(s)
            superseded = _superseded(audit.entries(s)) if self.kind == "sqlite" else set()
        first_hash, first_at = (str(rows[0][8]), datetime.fromisoformat(str(rows[0][1]))) if rows else ("", None)
        anchors = []
        for b in self.backups():
            if not b.audit_hash or (b.audit_seq, b.audit_hash) in superseded:
                continue
            if b.audit_first and b.audit_first != first_hash and first_at is not None and b.created < first_at:
                continue  # a backup of an earlier database at the same path, made before this one existed
            anchors.append((b.audit_seq, b.audit_hash))
        return audit.verify(rows, anchors)

    # --- backups ------------------------------------------------------------------------------------------

    def backup(self) -> Path:
        """Make a verified backup now; returns its path.

        Raises:
            StoreError: it could not be made (the earlier backups are untouched), or the database is on a
                server, where backups are the server's job.
        """
        return self._backup("manual").path

    def _backup(self, reason: str) -> BackupInfo:
        if self._raw is None or self.path is None:
            raise StoreError("A server database is backed up on the server (pg_dump); ask whoever runs it.")
        if self._closed:
            raise StoreError("Could not make a backup: the database is closed.")
        with self._lock:
            info = backups.make_backup(self._raw, self.path, reason)
            backups.rotate(self.path)
        return info

    def _backup_quietly(self, reason: str) -> None:
        if self._raw is None:
            return
        try:
            self._backup(reason)
        except StoreError as e:
            self.notices.append(str(e))

    def backups(self) -> list[BackupInfo]:
        """This database's backups, newest first (empty for a server)."""
        return [] if self.path is None else backups.list_backups(self.path)

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
        if self.read_only or self.path is None or self._closed:
            return None
        last = self.last_backup()
        if last is not None and datetime.now(UTC) - last < DAILY:
            return None
        with self._session("check for tenders", write=False) as s:
            if not repo.summaries(s):
                return None
        try:
            return self._backup("daily").path
        except StoreError as e:
            self.notices.append(str(e))
            return None

    def _daily_backup(self) -> None:
        self.backup_if_due()

    # --- check --------------------------------------------------------------------------------------------

    def check(self) -> CheckReport:
        """Full check: file structure, links between records, every tender's rules, the audit chain."""
        items: list[CheckItem] = []
        if self._raw is not None:
            with self._lock:
                cur = self._raw.cursor()
                try:
                    found = [r[0] for r in cur.execute("PRAGMA integrity_check").fetchall()]
                    items.append(CheckItem("file structure", found == ["ok"],
                                           "intact (integrity_check)" if found == ["ok"] else "; ".join(found[:5])))
                    fk = cur.execute("PRAGMA foreign_key_check").fetchall()
                    items.append(CheckItem("links between records", not fk,
                                           "intact (foreign_key_check)" if not fk
                                           else f"{len(fk)} broken, first in table {fk[0][0]}"))
                finally:
                    cur.close()
        items.append(self._check_tenders())
        report = self.verify_audit()
        if report.ok:
            detail = f"{report.entries} entries, chain intact; head {report.head_hash[:16]}…"
        else:
            detail = "; ".join(report.problems[:5]) + ("" if len(report.problems) <= 5 else " …")
        items.append(CheckItem("audit trail", report.ok, detail))
        return CheckReport(self.location, tuple(items))

    def _check_tenders(self) -> CheckItem:
        problems: list[str] = []
        count = 0
        with self._session("check the tenders", write=False) as s:
            for sql, what in _INVARIANTS:
                n = s.execute(text(sql)).scalar_one()
                if n:
                    problems.append(f"{n} {what}")
            keys = s.execute(text("SELECT supplier, supplier_key FROM bid")).all()
            bad_keys = sum(1 for supplier, key in keys if repo.supplier_key(str(supplier)) != key)
            if bad_keys:
                problems.append(f"{bad_keys} bids have a supplier key that does not match the supplier's name")
            for summary in repo.summaries(s):
                count += 1
                stored = repo.find(s, summary.reference)
                if stored is None:  # pragma: no cover - listed a moment ago in the same transaction
                    continue
                try:
                    check_tender(repo.load(s, stored.id))
                except (SvdeskError, ValueError, KeyError) as e:
                    problems.append(f"{summary.reference}: {e}")
        detail = f"{count} tender{'s' if count != 1 else ''}, every rule holds" if not problems else "; ".join(
            problems[:5])
        return CheckItem("tenders", not problems, detail)

    # --- restore ------------------------------------------------------------------------------------------

    def plan_restore(self, backup: Path | None = None) -> RestorePlan:
        """What restoring ``backup`` (default: the newest good one) would undo.

        Raises:
            StoreError: no usable backup, or a server database.
        """
        if self.path is None:
            raise StoreError("A server database is restored on the server; ask whoever runs it.")
        info = _choose_backup(self.path, backup)
        seq, digest, b_tenders = _backup_contents(info)
        with self._session("read the audit log", write=False) as s:
            entries = audit.entries(s)
            versions: dict[str, int] = {str(r[0]): int(r[1]) for r in s.execute(
                text("SELECT reference, version FROM tender"))}
        here = {e.seq: e.hash for e in entries}
        diverged = seq > 0 and here.get(seq) != digest
        lost = tuple(entries if diverged else [e for e in entries if e.seq > seq])
        return RestorePlan(
            database=self.location, backup=info, lost=lost, diverged=diverged,
            tenders_gone=tuple(sorted(set(versions) - set(b_tenders))),
            tenders_changed=tuple(sorted(r for r, v in versions.items() if r in b_tenders and b_tenders[r] != v)),
            tenders_back=tuple(sorted(set(b_tenders) - set(versions))),
        )

    def restore(self, plan: RestorePlan, *, who: str) -> Path:
        """Replace the database's contents with the plan's backup; returns the safety backup made first.

        The live file is never replaced on disk: SQLite's backup API writes the backup's pages into it
        through this connection, as one transaction.
        """
        self._require_writable("restore the backup")
        who = _who(who)
        if self._raw is None or self.path is None:
            raise StoreError("A server database is restored on the server; ask whoever runs it.")
        with self._lock:
            info = backups.verify_backup(plan.backup)
            safety = self._backup("before-restore")
            superseded = _anchors_missing_from(info, self.backups())
            try:
                backups.restore_file(info, self._raw)
                _reassert_journal(self._raw, self.profile or LOCAL)
            except sqlite3.Error as e:
                raise StoreError(f"Could not restore {info.path} ({e}). The database is as it was; a copy of it "
                                 f"is in {safety.path}.") from None
            self._known.clear()
            self._prepare_schema(backup_first=False)
            self._record_restore(info, who=who, undone=len(plan.lost), safety=safety.path, superseded=superseded)
        return safety.path

    def _record_restore(self, info: BackupInfo, *, who: str, undone: int, safety: Path | None,
                        superseded: list[tuple[int, str]], aside: Path | None = None) -> None:
        details: dict[str, Any] = {"backup": str(info.path), "backup_made": info.created.isoformat(),
                                   "undone_changes": undone, _ANCHOR_KEY: [list(a) for a in superseded]}
        if safety is not None:
            details["safety_backup"] = str(safety)
        if aside is not None:
            details["damaged_file_kept_as"] = str(aside)
        with self._session("record the restore", write=True) as s:
            audit.append(s, who=who, action=f"Restored {info.label()}", tender=None, details=details)

    # --- schema -------------------------------------------------------------------------------------------

    def _prepare_schema(self, *, backup_first: bool = True) -> None:
        """Create or upgrade the schema if needed (Alembic imported only then)."""
        try:
            self._upgrade_if_needed(backup_first)
        except SvdeskError:
            raise
        except (SQLAlchemyError, sqlite3.Error, self._dbapi_error) as e:
            raise translate(e, self.location, "open the database", server=self.kind != "sqlite") from None

    def _upgrade_if_needed(self, backup_first: bool) -> None:
        with self._lock, self._engine.connect() as conn:
            revision = migrate.stored_revision(conn, self.location)
            conn.rollback()
        migrate.check_known(revision, self.location)
        if revision == migrate.HEAD:
            return
        if self.read_only:
            raise ReadOnlyError(f"{self.location} was made by an older version of svdesk and must be upgraded; "
                                f"open it normally (not read-only) once. Nothing was changed.")
        if revision is not None and backup_first and self._raw is not None:
            self._backup("before-upgrade")
        who = lock.this_user()

        def record(conn: Connection, before: str | None) -> None:
            with Session(bind=conn) as s:
                if before is None:
                    action = f"Database created (schema {migrate.HEAD})"
                    details: dict[str, Any] = {"schema": migrate.HEAD}
                else:
                    action = f"Database upgraded from schema {before} to {migrate.HEAD}"
                    details = {"from": before, "to": migrate.HEAD}
                audit.append(s, who=who, action=action, tender=None, details=details)

        with self._lock:
            migrate.upgrade(self._engine, inside=record)

    # --- closing ------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the database (releases the lock and removes the owner sidecar). Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        with self._lock:
            if self._raw is not None and not self.read_only and self.profile is LOCAL:
                # Leave the closed file as one self-contained file (rollback journal): it can then be opened
                # read-only, and a copy of it is complete. The next open switches back to WAL.
                with contextlib.suppress(sqlite3.Error):
                    self._raw.execute("PRAGMA journal_mode=DELETE").fetchone()
            self._engine.dispose()
            if self._raw is not None:
                self._raw.close()
            if self._owner is not None and self.path is not None:
                lock.remove_owner(self.path, self._owner)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def check_edit(previous: Tender, tender: Tender) -> Tender:
    """Validate an edited tender, re-checking only what the edit touched (a 500-bid tender stays fast).

    The criteria are the measure for every score, so an edit to them re-checks everything. A status change
    must follow the lifecycle (:data:`~svdesk.domain.tender.TRANSITIONS`): a cancelled tender cannot be awarded.

    Raises:
        FrozenError: an awarded or closed tender's status would go back.
        ValidationError: anything else that is not allowed, the status change included.
    """
    _check_status_change(previous, tender)
    if previous.criteria != tender.criteria:
        return check_tender(tender)
    old = {b.supplier: b for b in previous.bids}
    touched = tuple(b for b in tender.bids if old.get(b.supplier) is not b and old.get(b.supplier) != b)
    check_tender(replace(tender, bids=touched, checklist=Checklist()))
    if len(tender.bids) != len(previous.bids) or touched:
        seen: set[str] = set()
        for i, b in enumerate(tender.bids):
            key = b.supplier.casefold()
            if key in seen:
                raise ValidationError(f"bids[{i}].supplier", f"{b.supplier!r} has two bids")
            seen.add(key)
    if tender.checklist != previous.checklist or len(tender.bids) != len(previous.bids) or touched:
        check_checklist(tender.checklist, (b.supplier for b in tender.bids))
    return tender


def _check_status_change(previous: Tender, tender: Tender) -> None:
    old, new = previous.status, tender.status
    if new is old or new in TRANSITIONS[old]:
        return
    allowed = ", ".join(s.value for s in TenderStatus if s in TRANSITIONS[old])
    can = f"it can become: {allowed}" if allowed else "its status cannot change any more"
    if old.value in FROZEN_STATUSES:
        raise FrozenError(f"{previous.reference} is {old.value} and cannot become {new.value}: an award cannot be "
                          f"taken back ({can}). Nothing was changed.")
    raise ValidationError("status", f"{previous.reference} is {old.value} and cannot become {new.value} ({can}). "
                                    f"Nothing was changed.")


_INVARIANTS = (
    ("SELECT count(*) FROM consensus_score cs JOIN bid b ON b.id = cs.bid_id "
     "JOIN criterion c ON c.id = cs.criterion_id WHERE b.tender_id <> c.tender_id",
     "consensus scores point at another tender's criterion"),
    ("SELECT count(*) FROM evaluator_score es JOIN bid b ON b.id = es.bid_id "
     "JOIN criterion c ON c.id = es.criterion_id WHERE b.tender_id <> c.tender_id",
     "evaluator scores point at another tender's criterion"),
    ("SELECT count(*) FROM negotiation_outcome o JOIN bid b ON b.id = o.bid_id "
     "JOIN negotiation_ask a ON a.id = o.ask_id WHERE b.tender_id <> a.tender_id",
     "negotiation outcomes point at another tender's bid"),
)


def _who(who: str) -> str:
    return check_text(who, "who", required=True, limit=200)


def _superseded(entries: list[AuditEntry]) -> set[tuple[int, str]]:
    out: set[tuple[int, str]] = set()
    for e in entries:
        for a in e.details.get(_ANCHOR_KEY, []) if isinstance(e.details, Mapping) else []:
            if isinstance(a, list) and len(a) == 2:
                out.add((int(a[0]), str(a[1])))
    return out


def _backup_contents(info: BackupInfo) -> tuple[int, str, dict[str, int]]:
    conn = sqlite3.connect(f"{info.path.resolve().as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None)
    try:
        row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
        tenders = {str(r[0]): int(r[1]) for r in conn.execute("SELECT reference, version FROM tender")}
    finally:
        conn.close()
    return (0, "", tenders) if row is None else (int(row[0]), str(row[1]), tenders)


def _anchors_missing_from(info: BackupInfo, known: list[BackupInfo]) -> list[tuple[int, str]]:
    """Heads recorded by other backups that the restored history does not contain (no longer anchors)."""
    conn = sqlite3.connect(f"{info.path.resolve().as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None)
    try:
        chain = {(int(r[0]), str(r[1])) for r in conn.execute("SELECT seq, hash FROM audit_log")}
    finally:
        conn.close()
    return sorted({(b.audit_seq, b.audit_hash) for b in known if b.audit_hash} - chain)


def _reassert_journal(raw: sqlite3.Connection, profile: Profile) -> None:
    mode = raw.execute(f"PRAGMA journal_mode={profile.journal_mode}").fetchone()[0]
    if mode != profile.journal_mode:
        raise sqlite3.OperationalError(f"journal_mode is {mode} after the restore")


def _choose_backup(database: Path, chosen: Path | None) -> BackupInfo:
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


# ---------------------------------------------------------------------------------------------------------
# Opening
# ---------------------------------------------------------------------------------------------------------


@contextmanager
def open_database(path: str | Path | None = None, *, url: str | None = None,
                  read_only: bool = False) -> Iterator[Database]:
    """Open (creating and upgrading when needed) a database, and close it afterwards.

    ``path`` None → ``$SVDESK_DATABASE_URL`` (a server) or ``$SVDESK_DB`` or the default file in the user's
    data folder.

    Raises:
        DatabaseInUseError: "This database is in use by NAME on HOST since 09:14".
        DatabaseDamagedError: the file fails its check (nothing is changed; the newest good backup is named).
        DatabaseTooNewError: written by a newer svdesk.
        StoreError: any other reason it cannot be opened, in one sentence.
    """
    db = connect(path, url=url, read_only=read_only)
    try:
        yield db
    finally:
        db.close()


def connect(path: str | Path | None = None, *, url: str | None = None, read_only: bool = False) -> Database:
    """Like :func:`open_database`, for callers that keep the database open (the GUI); call ``close()``."""
    if path is None and url is None:
        url = os.environ.get("SVDESK_DATABASE_URL") or None
        if url is None:
            path = paths.default_database()
    if url is not None and path is None:
        return _open_server(url, read_only=read_only)
    assert path is not None
    return _open_file(Path(path), read_only=read_only)


def _open_server(url: str, *, read_only: bool) -> Database:
    location = safe_url(url)
    engine = server_engine(url, read_only=read_only)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as e:
        engine.dispose()
        raise StoreError(f"Could not connect to the database server {location} ({_short(e)}).") from None
    db = Database(engine=engine, location=location, read_only=read_only, kind="postgresql")
    try:
        db._prepare_schema()
    except BaseException:
        db.close()
        raise
    return db


def _damaged(path: Path, detail: str) -> DatabaseDamagedError:
    good = backups.newest_verified(path)
    if good is not None:
        offer = (f"The newest good backup is {good.label()}: run 'svdesk restore' to use it (the damaged file is "
                 f"kept aside, never deleted).")
    else:
        offer = "No good backup was found: keep the file and ask for help."
    return DatabaseDamagedError(f"{path} is damaged ({detail}). Nothing was changed or deleted. {offer}",
                                path=path, detail=detail, backup=None if good is None else good.path)


def _open_file(given: Path, *, read_only: bool) -> Database:
    path = given.expanduser().absolute()
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file.")
    created = False
    if not path.exists():
        if read_only:
            raise StoreError(f"There is no database at {path}.")
        folder = path.parent
        if not folder.is_dir():
            if folder == paths.home().absolute():
                try:
                    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
                except OSError as e:
                    where = " (SVDESK_HOME)" if os.environ.get("SVDESK_HOME") else ""
                    raise StoreError(f"Could not create svdesk's data folder {folder}{where}: "
                                     f"{paths.folder_problem(e, folder)}. Nothing was changed.") from None
            else:
                raise StoreError(f"{path}: the folder {folder} does not exist.")
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            created = True
        except FileExistsError:
            pass
        except OSError as e:
            raise StoreError(f"Could not create {path} ({e.strerror}).") from None
    profile = NETWORK if is_network_location(path) else LOCAL
    notices: list[str] = []
    if profile is NETWORK:
        notices.append(
            f"{path} is on a network drive. svdesk uses the safer rollback journal there, but a dropped connection "
            f"can still damage the file and only one person can use it at a time. Keep it on this computer, or "
            f"ask for a PostgreSQL server (SVDESK_DATABASE_URL)."
        )
    raw, read_only = _connect_file(path, profile, read_only, notices, created)
    owner = None
    if not read_only:
        prior = lock.read_owner(path)
        if prior is not None:
            if profile is NETWORK and not prior.is_this_computer:
                raw.close()
                raise DatabaseInUseError(
                    lock.in_use_message(prior, path) + f" If you are sure nobody is using it, delete "
                    f"{lock.sidecar(path)}.", user=prior.user, host=prior.host, since=prior.started)
            notices.append(f"svdesk was not closed properly last time ({prior.user} on {prior.host}, since "
                           f"{lock.since_text(prior.started)}). The database was checked and is in order.")
        owner = lock.me()
        try:
            lock.write_owner(path, owner)
        except OSError as e:
            owner = None
            notices.append(f"Could not write {lock.sidecar(path)} ({e.strerror}); others will not see who has the "
                           f"database open.")
    db = Database(engine=sqlite_engine(raw, read_only=read_only), location=str(path), read_only=read_only,
                  kind="sqlite", path=path, raw=raw, owner=owner, profile=profile, notices=notices)
    try:
        db._prepare_schema()
        db._daily_backup()
    except BaseException:
        db.close()
        raise
    return db


def _connect_file(path: Path, profile: Profile, read_only: bool, notices: list[str],
                  created: bool) -> tuple[sqlite3.Connection, bool]:
    """The locked connection, and whether it is read-only (asked for, or the file cannot be written)."""
    def inspect(conn: sqlite3.Connection) -> None:
        """Before anything is written: the file is whole (quick_check) and of a schema this svdesk knows."""
        if not created:
            found = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            if found != ["ok"]:
                raise _damaged(path, "; ".join(found[:3]))
        migrate.check_known(migrate.file_revision(conn, str(path)), str(path))

    try:
        raw = connect_sqlite(path, profile, read_only=read_only, inspect=inspect)
    except sqlite3.OperationalError as e:
        msg = str(e).lower()
        if created:
            _remove_if_empty(path)
        if "locked" in msg or "busy" in msg:
            owner = lock.read_owner(path)
            raise DatabaseInUseError(lock.in_use_message(owner, path), user=owner.user if owner else "",
                                     host=owner.host if owner else "",
                                     since=owner.started if owner else None) from None
        if read_only and "i/o error" in msg and path.with_name(path.name + "-wal").exists():
            raise StoreError(f"{path} was not closed properly last time: open it normally (not read-only) once, "
                             f"so that svdesk can finish its last save. Nothing was changed.") from None
        if "readonly" in msg and not read_only:
            result = _connect_file(path, profile, True, notices, False)
            notices.append(f"{path} cannot be written (a read-only file or drive): it was opened read-only, and "
                           f"changes cannot be saved.")
            return result
        raise StoreError(f"Could not open {path} ({e}).") from None
    except sqlite3.DatabaseError as e:
        if created:
            _remove_if_empty(path)
        raise _damaged(path, str(e)) from None
    return raw, read_only


def _remove_if_empty(path: Path) -> None:
    try:
        if path.stat().st_size == 0:
            path.unlink()
    except OSError:
        pass


# ---------------------------------------------------------------------------------------------------------
# Damaged databases
# ---------------------------------------------------------------------------------------------------------


def list_backups(path: str | Path | None = None) -> list[BackupInfo]:
    """The backups of a database file (default: ``$SVDESK_DB`` or the default file), newest first."""
    return backups.list_backups(Path(path).absolute() if path is not None else paths.default_database().absolute())


def plan_recovery(path: str | Path | None = None, backup: Path | None = None,
                  detail: str = "") -> RestorePlan:
    """The plan for replacing a damaged database file by a backup (newest good one by default)."""
    target = Path(path).absolute() if path is not None else paths.default_database().absolute()
    return RestorePlan(database=str(target), backup=_choose_backup(target, backup), damaged=True, detail=detail)


def recover_database(plan: RestorePlan, *, who: str) -> Path:
    """Move the damaged file aside (never deleted) and put the plan's backup in its place.

    Returns:
        Where the damaged file now is.

    Raises:
        DatabaseInUseError: svdesk still has the file open somewhere.
    """
    path = Path(plan.database)
    owner = lock.read_owner(path)
    if owner is not None and owner.alive() and owner.pid != os.getpid():
        raise DatabaseInUseError(lock.in_use_message(owner, path), user=owner.user, host=owner.host,
                                 since=owner.started)
    _refuse_if_locked(path)
    info = backups.verify_backup(plan.backup)
    superseded = _anchors_missing_from(info, backups.list_backups(path))
    try:
        aside = backups.move_aside(path)
    except OSError as e:
        raise StoreError(f"Could not move the damaged {path} aside ({e.strerror}); nothing was changed.") from None
    backups.copy_into_place(info, path)
    if owner is not None:
        lock.sidecar(path).unlink(missing_ok=True)
    db = connect(path)
    try:
        db._record_restore(info, who=_who(who), undone=0, safety=None, superseded=superseded, aside=aside)
    finally:
        db.close()
    return aside


def _refuse_if_locked(path: Path) -> None:
    """Another process holding the file's SQLite lock means it is still open somewhere."""
    if not path.exists():
        return
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.OperationalError as e:
        if "locked" in str(e).lower() or "busy" in str(e).lower():
            raise DatabaseInUseError(lock.in_use_message(lock.read_owner(path), path)) from None
    except sqlite3.DatabaseError:
        pass  # damaged beyond reading: that is why it is being replaced
    finally:
        conn.close()
