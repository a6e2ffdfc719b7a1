"""An in-memory stand-in for ``svdesk.store.api.Database`` (docs/contracts.md), for fast UI tests.

It keeps the contract's promises that the window relies on: ``save_tender`` refuses a stale ``previous``,
``create_tender`` refuses a duplicate reference, the domain's rules (:mod:`svdesk.domain.rules`) refuse
what the store refuses, every write is audited, and a read-only database refuses
writes. ``fail_next_save`` makes the next save fail, to test what the window does then.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from svdesk.domain import rules
from svdesk.domain.attachments import Attachment, AttachmentKind
from svdesk.domain.council import CouncilSettings, check_setting
from svdesk.domain.tender import Tender, TenderStatus
from svdesk.errors import SvdeskError


class FakeConflictError(SvdeskError):
    """The stored tender no longer matches ``previous``."""


@dataclass(frozen=True)
class Summary:
    reference: str
    title: str
    category: str
    status: TenderStatus
    annual_value: Decimal | None
    bid_count: int
    updated_at: datetime | None


@dataclass(frozen=True)
class Entry:
    reference: str
    who: str
    action: str


class FakeDatabase:
    """A Database that lives in a dict."""

    def __init__(self, tenders: list[Tender] | None = None, *, read_only: bool = False) -> None:
        self.location = "memory://fake"
        self.read_only = read_only
        self.tenders: dict[str, Tender] = {t.reference: t for t in tenders or []}
        self.updated: dict[str, datetime] = {r: datetime.now(UTC) for r in self.tenders}
        self.audit: list[Entry] = []
        self.files: dict[tuple[str, str, str], bytes] = {}
        self.saves = 0
        self.list_calls = 0
        self.fail_next_save: SvdeskError | None = None
        self.closed = False
        self.kind = "sqlite"
        self.notices: list[str] = []
        self.made: list[Path] = []              # every backup made, oldest first
        self.last: datetime | None = None
        self.due = True                          # backup_if_due makes one when this is set
        self.fail_backup: str | None = None      # backup_if_due notes this failure instead
        self.due_checks = 0
        self.backup_threads: list[str] = []      # the thread each backup_if_due ran on
        self.events: list[str] = []              # "backup", "delete REF": in the order they happened
        self.council: dict[str, str] = {}        # the council settings as stored

    def _writable(self) -> None:
        if self.read_only:
            raise SvdeskError("this database is open read-only")

    def list_tenders(self, search: str = "", status: TenderStatus | None = None,
                     category: str | None = None) -> list[Summary]:
        self.list_calls += 1
        s = search.casefold().strip()
        out = []
        for t in self.tenders.values():
            if s and s not in t.reference.casefold() and s not in t.title.casefold():
                continue
            if status is not None and t.status is not status:
                continue
            if category is not None and t.category != category:
                continue
            out.append(Summary(t.reference, t.title, t.category, t.status, t.annual_value, len(t.bids),
                               self.updated.get(t.reference)))
        return sorted(out, key=lambda x: x.reference)

    def load_tender(self, reference: str) -> Tender:
        try:
            return self.tenders[reference]
        except KeyError:
            raise SvdeskError(f"there is no tender {reference!r}") from None

    def create_tender(self, tender: Tender, *, who: str) -> None:
        self._writable()
        if tender.reference in self.tenders:
            raise SvdeskError(f"a tender with reference {tender.reference!r} already exists")
        self.tenders[tender.reference] = tender
        self.updated[tender.reference] = datetime.now(UTC)
        self.audit.append(Entry(tender.reference, who, "Create tender"))

    def save_tender(self, tender: Tender, *, previous: Tender, who: str, action: str) -> None:
        self._writable()
        if self.fail_next_save is not None:
            err, self.fail_next_save = self.fail_next_save, None
            raise err
        if self.tenders.get(previous.reference) != previous:
            raise FakeConflictError("this tender was changed elsewhere since you opened it")
        rules.check_edit(previous, tender)  # the store's rules: lifecycle, readiness, the freeze
        # Attached files are not saved with the tender (their own calls add and remove them); a bid removed takes
        # its files with it, as the database's ON DELETE CASCADE does.
        kept = {b.supplier for b in tender.bids}
        tender = replace(tender, attachments=tuple(a for a in self.tenders[previous.reference].attachments
                                                   if a.supplier in kept))
        self.tenders[tender.reference] = tender
        self.updated[tender.reference] = datetime.now(UTC)
        self.audit.append(Entry(tender.reference, who, action))
        self.saves += 1

    def delete_tender(self, reference: str, *, who: str, reason: str) -> None:
        self._writable()
        rules.check_delete(self.load_tender(reference))
        del self.tenders[reference]
        self.events.append(f"delete {reference}")
        self.audit.append(Entry(reference, who, f"Delete tender: {reason}"))

    def add_attachment(self, reference: str, supplier: str, name: str, data: bytes, *, who: str,
                       kind: AttachmentKind = AttachmentKind.RESPONSE, criterion: str | None = None,
                       label: str = "") -> Attachment:
        self._writable()
        t = self.load_tender(reference)
        a = rules.check_add_attachment(t, supplier, name, data, kind=kind, criterion=criterion, label=label,
                                       added_by=who, added_at=datetime.now(UTC))
        self.tenders[reference] = replace(t, attachments=(*t.attachments, a))
        self.files[(reference, a.supplier, a.name)] = bytes(data)
        self.audit.append(Entry(reference, who, rules.attachment_action("Attached", a)))
        return a

    def remove_attachment(self, reference: str, supplier: str, name: str, *, who: str) -> Attachment:
        self._writable()
        t = self.load_tender(reference)
        a = rules.check_remove_attachment(t, supplier, name)
        self.tenders[reference] = replace(t, attachments=tuple(x for x in t.attachments if x != a))
        self.files.pop((reference, a.supplier, a.name), None)
        self.audit.append(Entry(reference, who, rules.attachment_action("Removed", a)))
        return a

    def attachment_bytes(self, reference: str, supplier: str, name: str) -> bytes:
        try:
            return self.files[(reference, supplier, name)]
        except KeyError:
            raise SvdeskError(f"no file named {name!r} is attached to {supplier}'s bid") from None

    def council_settings(self) -> CouncilSettings:
        return CouncilSettings.from_stored(self.council)

    def set_council_setting(self, key: str, value: str, *, who: str) -> str:
        self._writable()
        stored = check_setting(key, value)
        if self.council.get(key, "") != stored:
            self.council[key] = stored
            self.audit.append(Entry("", who, f"Council setting {key} {'set' if stored else 'cleared'}"))
        return stored

    def audit_head(self) -> str:
        return f"{len(self.audit):064x}"

    def audit_entries(self, reference: str | None = None) -> list[Entry]:
        return [e for e in self.audit if reference is None or e.reference == reference]

    def backup(self) -> Path:
        p = Path(f"/tmp/fake-backup-{len(self.made)}.sqlite3")
        self.made.append(p)
        self.last = datetime.now(UTC)
        self.events.append("backup")
        return p

    def backups(self) -> list[Path]:
        return list(reversed(self.made))

    def last_backup(self) -> datetime | None:
        return self.last

    def backup_if_due(self) -> Path | None:
        import threading

        self.due_checks += 1
        self.backup_threads.append(threading.current_thread().name)
        if self.read_only or not self.due:
            return None
        if self.fail_backup is not None:
            self.notices.append(self.fail_backup)
            return None
        self.due = False
        return self.backup()

    def close(self) -> None:
        self.closed = True
