"""Rows ↔ the metadata of the files attached to bids (``Tender.attachments``; the bytes stay in the table).

Like :mod:`svdesk.store.repository`, every function takes the caller's session and never commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from svdesk.domain.attachments import Attachment, AttachmentKind
from svdesk.store.models import BidAttachmentRow, BidRow


def load_attachments(session: Session, tender_id: int) -> tuple[Attachment, ...]:
    """Every attachment of the tender's bids, without the bytes, by bid then in the order added."""
    rows = session.execute(
        select(BidRow.supplier, BidAttachmentRow.name, BidAttachmentRow.kind, BidAttachmentRow.size,
               BidAttachmentRow.sha256, BidAttachmentRow.media_type, BidAttachmentRow.label,
               BidAttachmentRow.criterion, BidAttachmentRow.added_by, BidAttachmentRow.added_at)
        .join(BidRow, BidRow.id == BidAttachmentRow.bid_id).where(BidRow.tender_id == tender_id)
        .order_by(BidRow.position, BidRow.id, BidAttachmentRow.id))
    return tuple(Attachment(supplier=r.supplier, name=r.name, kind=AttachmentKind(r.kind), size=r.size,
                            sha256=r.sha256, media_type=r.media_type, label=r.label, criterion=r.criterion,
                            added_by=r.added_by, added_at=r.added_at) for r in rows)


__all__ = ["load_attachments"]
