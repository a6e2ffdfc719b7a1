"""Files attached to bids: add, remove and read one (each add and remove one audited transaction).

One part of :class:`~svdesk.store.api.Database`. The tender carries the files' metadata only
(:class:`~svdesk.domain.attachments.Attachment`, loaded by :func:`load_attachments` with the tender); the bytes
are read one file at a time by :meth:`AttachmentRecords.attachment_bytes`, which checks them against the
SHA-256 recorded when the file was added, so damaged or altered bytes are never handed out. The rules (the
freeze, the types, the limits, the same file twice) are :mod:`svdesk.domain.rules`'; the triggers of revision
0011 stay as the last line of defence for the freeze.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from svdesk.domain import rules
from svdesk.domain.attachments import Attachment, AttachmentKind, sha256_hex
from svdesk.domain.tender import Tender
from svdesk.domain.text import excerpt
from svdesk.domain.values import check_text
from svdesk.errors import ValidationError
from svdesk.store import audit
from svdesk.store import repository as repo
from svdesk.store.attachment_rows import load_attachments
from svdesk.store.errors import StoreError, TenderNotFoundError
from svdesk.store.models import BidAttachmentRow, BidRow

if TYPE_CHECKING:
    from svdesk.store.part import DatabaseCore


def _details(a: Attachment) -> dict[str, object]:
    return {"bid": a.supplier, "name": a.name, "kind": a.kind.value, "sha256": a.sha256, "size": a.size,
            "criterion": a.criterion, "label": a.label, "media_type": a.media_type}


class AttachmentRecords:
    """The files attached to the bids of one database."""

    def __init__(self, db: DatabaseCore) -> None:
        self._db = db

    def _tender(self, s: Session, reference: str) -> tuple[int, Tender]:
        stored = repo.find(s, reference)
        if stored is None:
            raise TenderNotFoundError(f"There is no tender {reference!r} in {self._db.location}.")
        return stored.id, repo.load(s, stored.id)

    def add_attachment(self, reference: str, supplier: str, name: str, data: bytes, *, who: str,
                       kind: AttachmentKind = AttachmentKind.RESPONSE, criterion: str | None = None,
                       label: str = "") -> Attachment:
        """Attach a file to a bid (one transaction, audited); returns what was stored.

        Raises:
            FrozenError: the tender is awarded or closed.
            ValidationError: any rule of :func:`svdesk.domain.rules.check_add_attachment` (nothing is stored).
        """
        who = check_text(who, "who", required=True, limit=200)
        with self._db._session("attach the file", write=True) as s:
            tid, t = self._tender(s, reference)
            a = rules.check_add_attachment(t, supplier, name, data, kind=kind, criterion=criterion, label=label,
                                           added_by=who, added_at=datetime.now(UTC).replace(microsecond=0))
            bid_id = s.execute(select(BidRow.id).where(BidRow.tender_id == tid, BidRow.supplier == a.supplier)
                               ).scalar_one()
            s.execute(insert(BidAttachmentRow).values(
                bid_id=bid_id, name=a.name, name_key=a.name.casefold(), label=a.label, kind=a.kind.value,
                criterion=a.criterion, size=a.size, sha256=a.sha256, media_type=a.media_type, content=bytes(data),
                added_by=a.added_by, added_at=a.added_at))
            audit.append(s, who=who, action=rules.attachment_action("Attached", a), tender=t.reference,
                         details={"attached": _details(a)})
        return a

    def remove_attachment(self, reference: str, supplier: str, name: str, *, who: str) -> Attachment:
        """Remove a file from a bid (one transaction, audited); returns what was removed.

        Raises:
            FrozenError: the tender is awarded or closed.
            ValidationError: no such bid or file.
        """
        who = check_text(who, "who", required=True, limit=200)
        with self._db._session("remove the file", write=True) as s:
            tid, t = self._tender(s, reference)
            a = rules.check_remove_attachment(t, supplier, name)
            bid_id = s.execute(select(BidRow.id).where(BidRow.tender_id == tid, BidRow.supplier == a.supplier)
                               ).scalar_one()
            s.execute(delete(BidAttachmentRow).where(BidAttachmentRow.bid_id == bid_id,
                                                     BidAttachmentRow.name_key == a.name.casefold()))
            audit.append(s, who=who, action=rules.attachment_action("Removed", a), tender=t.reference,
                         details={"removed": _details(a)})
        return a

    def attachment_bytes(self, reference: str, supplier: str, name: str) -> bytes:
        """The bytes of one attached file, checked against the SHA-256 recorded when it was added.

        Raises:
            ValidationError: no such tender, bid or file.
            StoreError: the stored bytes do not match their SHA-256 (damaged, or changed outside svdesk).
        """
        with self._db._session("read the attached file", write=False) as s:
            stored = repo.find(s, reference)
            if stored is None:
                raise TenderNotFoundError(f"There is no tender {reference!r} in {self._db.location}.")
            row = s.execute(
                select(BidAttachmentRow.name, BidAttachmentRow.sha256, BidAttachmentRow.size, BidAttachmentRow.content)
                .join(BidRow, BidRow.id == BidAttachmentRow.bid_id)
                .where(BidRow.tender_id == stored.id, BidRow.supplier == supplier,
                       BidAttachmentRow.name_key == name.strip().casefold())).first()
        if row is None:
            raise ValidationError("name", f"no file named {excerpt(name)} is attached to {supplier}'s bid on "
                                          f"{reference}")
        data = bytes(row.content)
        if len(data) != row.size or sha256_hex(data) != row.sha256:
            raise StoreError(f"The attached file {row.name} of {supplier}'s bid on {reference} does not match the "
                             f"SHA-256 recorded when it was added: the database was damaged or changed outside "
                             f"svdesk, so the file was not opened (run 'svdesk check', and restore a backup).")
        return data


__all__ = ["AttachmentRecords", "load_attachments"]
