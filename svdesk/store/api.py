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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError, StatementError
from sqlalchemy.orm import Session, sessionmaker

from svdesk import paths
from svdesk.domain.attachments import Attachment, AttachmentKind
from svdesk.domain.council import CouncilSettings
from svdesk.domain.tender import Tender, TenderStatus
from svdesk.errors import SvdeskError, ValidationError
from svdesk.store import audit, lock, migrate, tamper
from svdesk.store import backup as backups
from svdesk.store.attachments import AttachmentRecords
from svdesk.store.audit import AuditEntry, ChainReport
from svdesk.store.backup import BackupInfo
from svdesk.store.council import CouncilRecords
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
from svdesk.store.health import CheckItem, CheckReport, HealthCheck
from svdesk.store.register import TenderSummary
from svdesk.store.safekeeping import RestorePlan, Safekeeping, anchors_missing_from, choose_backup
from svdesk.store.tenders import TenderRecords, checked_who
from svdesk.store.trail import AuditTrail

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
                           f"committee saw them. Nothing was changed.")
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
# The database
# ---------------------------------------------------------------------------------------------------------


class Database:
    """An open svdesk database (a local file or a server). Use :func:`open_database`.

    This class opens the connection, runs one transaction at a time, upgrades the schema and closes; the rest is
    done by its parts, one job each (as Fava's ledger is made of modules): :attr:`records` (the tenders),
    :attr:`trail` (the audit log), :attr:`safekeeping` (backups and restore) and :attr:`health` (the full
    check). Its public methods are a thin face over them, so callers need not know the parts.

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
        self._closed = False
        self.location = location
        self.read_only = read_only
        self.kind = kind
        self.path = path
        self.profile = profile
        self.network_drive = profile is NETWORK
        self.notices: list[str] = list(notices or [])
        self.records = TenderRecords(self)
        self.trail = AuditTrail(self)
        self.safekeeping = Safekeeping(self)
        self.health = HealthCheck(self)
        self.council = CouncilRecords(self)
        self.attachments = AttachmentRecords(self)

    # --- transactions -------------------------------------------------------------------------------------

    def _require_writable(self, doing: str) -> None:
        if self._closed:
            raise StoreError(f"Could not {doing}: the database is closed.")
        if self.read_only:
            raise ReadOnlyError(f"Could not {doing}: {self.location} is open read-only. Nothing was changed.")

    @contextmanager
    def _session(self, doing: str, *, write: bool, witness: str = "write") -> Iterator[Session]:
        """One transaction: commit on success, roll back on any failure (translated to one sentence).

        After a committed write the audit head is noted in this computer's witness file (``witness`` names
        the kind of write: ``"restore"`` for a restore; :mod:`svdesk.store.tamper`).
        """
        if write:
            self._require_writable(doing)
        elif self._closed:
            raise StoreError(f"Could not {doing}: the database is closed.")
        with self._lock:
            session = self._sessions()
            try:
                with session.begin():
                    yield session
                    head = tamper.witnessed_head(session) if write else None
                if head is not None:
                    notice = tamper.note_head(head, location=self.location, who=lock.this_user(), event=witness)
                    if notice and notice not in self.notices:
                        self.notices.append(notice)
            except SvdeskError:
                raise
            except (SQLAlchemyError, sqlite3.Error, self._dbapi_error) as e:
                raise translate(e, self.location, doing, server=self.kind != "sqlite") from None
            finally:
                session.close()

    # --- the parts' methods, as callers know them ---------------------------------------------------------

    def list_tenders(self, search: str = "", status: TenderStatus | None = None,
                     category: str | None = None) -> list[TenderSummary]:
        """The register (:meth:`TenderRecords.list_tenders`)."""
        return self.records.list_tenders(search, status, category)

    def load_tender(self, reference: str) -> Tender:
        """The whole tender (:meth:`TenderRecords.load_tender`)."""
        return self.records.load_tender(reference)

    def create_tender(self, tender: Tender, *, who: str) -> None:
        """Add a new tender (:meth:`TenderRecords.create_tender`)."""
        self.records.create_tender(tender, who=who)

    def save_tender(self, tender: Tender, *, previous: Tender, who: str, action: str) -> None:
        """Save one user action (:meth:`TenderRecords.save_tender`)."""
        self.records.save_tender(tender, previous=previous, who=who, action=action)

    def delete_tender(self, reference: str, *, who: str, reason: str) -> None:
        """Delete a tender (:meth:`TenderRecords.delete_tender`)."""
        self.records.delete_tender(reference, who=who, reason=reason)

    def record_correction(self, reference: str, *, who: str, correction: str, reason: str) -> None:
        """Record a correction (:meth:`TenderRecords.record_correction`)."""
        self.records.record_correction(reference, who=who, correction=correction, reason=reason)

    def add_attachment(self, reference: str, supplier: str, name: str, data: bytes, *, who: str,
                       kind: AttachmentKind = AttachmentKind.RESPONSE, criterion: str | None = None,
                       label: str = "") -> Attachment:
        """Attach a file to a bid, audited (:meth:`AttachmentRecords.add_attachment`)."""
        return self.attachments.add_attachment(reference, supplier, name, data, who=who, kind=kind,
                                               criterion=criterion, label=label)

    def remove_attachment(self, reference: str, supplier: str, name: str, *, who: str) -> Attachment:
        """Remove a file from a bid, audited (:meth:`AttachmentRecords.remove_attachment`)."""
        return self.attachments.remove_attachment(reference, supplier, name, who=who)

    def attachment_bytes(self, reference: str, supplier: str, name: str) -> bytes:
        """One attached file's bytes, checked by SHA-256 (:meth:`AttachmentRecords.attachment_bytes`)."""
        return self.attachments.attachment_bytes(reference, supplier, name)

    def council_settings(self) -> CouncilSettings:
        """The council-wide settings (:meth:`CouncilRecords.council_settings`)."""
        return self.council.council_settings()

    def set_council_setting(self, key: str, value: str, *, who: str) -> str:
        """Change one council setting, audited (:meth:`CouncilRecords.set_council_setting`)."""
        return self.council.set_council_setting(key, value, who=who)

    def audit_head(self) -> str:
        """Hex SHA-256 of the newest audit entry (:meth:`AuditTrail.audit_head`)."""
        return self.trail.audit_head()

    def audit_head_entry(self) -> tuple[int, str]:
        """``(seq, hash)`` of the newest audit entry (:meth:`AuditTrail.audit_head_entry`)."""
        return self.trail.audit_head_entry()

    def audit_entries(self, reference: str | None = None) -> list[AuditEntry]:
        """Audit entries, oldest first (:meth:`AuditTrail.audit_entries`)."""
        return self.trail.audit_entries(reference)

    def verify_audit(self) -> ChainReport:
        """Verify the audit chain (:meth:`AuditTrail.verify_audit`)."""
        return self.trail.verify_audit()

    def backup(self) -> Path:
        """Make a verified backup now (:meth:`Safekeeping.backup`)."""
        return self.safekeeping.backup()

    def backups(self) -> list[BackupInfo]:
        """This database's backups, newest first (:meth:`Safekeeping.backups`)."""
        return self.safekeeping.backups()

    def last_backup(self) -> datetime | None:
        """When the newest backup was made (:meth:`Safekeeping.last_backup`)."""
        return self.safekeeping.last_backup()

    def backup_if_due(self) -> Path | None:
        """The daily backup, if due (:meth:`Safekeeping.backup_if_due`)."""
        return self.safekeeping.backup_if_due()

    def plan_restore(self, backup: Path | None = None) -> RestorePlan:
        """What restoring a backup would undo (:meth:`Safekeeping.plan_restore`)."""
        return self.safekeeping.plan_restore(backup)

    def restore(self, plan: RestorePlan, *, who: str) -> Path:
        """Restore the plan's backup (:meth:`Safekeeping.restore`)."""
        return self.safekeeping.restore(plan, who=who)

    def check(self) -> CheckReport:
        """The full check (:meth:`HealthCheck.check`)."""
        return self.health.check()

    def _daily_backup(self) -> None:
        self.backup_if_due()

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
            self.safekeeping.make("before-upgrade")
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


def read_council_settings(path: str | None = None) -> CouncilSettings:
    """The council's settings from the database (``--db``, ``$SVDESK_DATABASE_URL``, ``$SVDESK_DB`` or the
    default file), opened read-only; none at all when that database file does not exist yet.

    For the CLI: papers and exports printed from a tender file still carry the council's name and prefix.
    """
    if path is None and os.environ.get("SVDESK_DATABASE_URL"):
        target = None
    else:
        target = Path(path) if path else paths.default_database()
    if target is not None and not target.exists():
        return CouncilSettings.from_stored({})
    with open_database(target, read_only=True) as db:
        return db.council_settings()


def list_backups(path: str | Path | None = None) -> list[BackupInfo]:
    """The backups of a database file (default: ``$SVDESK_DB`` or the default file), newest first."""
    return backups.list_backups(Path(path).absolute() if path is not None else paths.default_database().absolute())


def plan_recovery(path: str | Path | None = None, backup: Path | None = None,
                  detail: str = "") -> RestorePlan:
    """The plan for replacing a damaged database file by a backup (newest good one by default)."""
    target = Path(path).absolute() if path is not None else paths.default_database().absolute()
    return RestorePlan(database=str(target), backup=choose_backup(target, backup), damaged=True, detail=detail)


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
    superseded = anchors_missing_from(info, backups.list_backups(path))
    try:
        aside = backups.move_aside(path)
    except OSError as e:
        raise StoreError(f"Could not move the damaged {path} aside ({e.strerror}); nothing was changed.") from None
    backups.copy_into_place(info, path)
    if owner is not None:
        lock.sidecar(path).unlink(missing_ok=True)
    db = connect(path)
    try:
        db.safekeeping.record_restore(info, who=checked_who(who), undone=0, safety=None, superseded=superseded,
                                      aside=aside)
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
