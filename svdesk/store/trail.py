"""The database's audit trail: its head, its entries, and the verification of the chain against the heads the
backups recorded.

One part of :class:`~svdesk.store.api.Database` (which keeps its methods as a thin face).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from svdesk.store import audit
from svdesk.store.audit import AuditEntry, ChainReport

if TYPE_CHECKING:
    from svdesk.store.part import DatabaseCore

#: The audit-entry key under which a restore lists the backup heads it superseded.
ANCHOR_KEY = "superseded_anchors"


class AuditTrail:
    """The audit log of one database."""

    def __init__(self, db: DatabaseCore) -> None:
        self._db = db

    def audit_head(self) -> str:
        """Hex SHA-256 of the newest audit entry (print it on award papers)."""
        with self._db._session("read the audit log", write=False) as s:
            return audit.head(s)[1]

    def audit_head_entry(self) -> tuple[int, str]:
        """``(seq, hash)`` of the newest audit entry."""
        with self._db._session("read the audit log", write=False) as s:
            return audit.head(s)

    def audit_entries(self, reference: str | None = None) -> list[AuditEntry]:
        """Audit entries, oldest first: all, or those about one tender."""
        with self._db._session("read the audit log", write=False) as s:
            return audit.entries(s, reference)

    def verify_audit(self) -> ChainReport:
        """Verify the audit chain, and the heads recorded in this database's backup manifests."""
        with self._db._session("verify the audit log", write=False) as s:
            rows = audit.raw_entries(s)
            superseded = _superseded(audit.entries(s)) if self._db.kind == "sqlite" else set()
        first_hash, first_at = (str(rows[0][8]), datetime.fromisoformat(str(rows[0][1]))) if rows else ("", None)
        anchors = []
        for b in self._db.backups():
            if not b.audit_hash or (b.audit_seq, b.audit_hash) in superseded:
                continue
            if b.audit_first and b.audit_first != first_hash and first_at is not None and b.created < first_at:
                continue  # a backup of an earlier database at the same path, made before this one existed
            anchors.append((b.audit_seq, b.audit_hash))
        return audit.verify(rows, anchors)


def _superseded(entries: list[AuditEntry]) -> set[tuple[int, str]]:
    out: set[tuple[int, str]] = set()
    for e in entries:
        for a in e.details.get(ANCHOR_KEY, []) if isinstance(e.details, Mapping) else []:
            if isinstance(a, list) and len(a) == 2:
                out.add((int(a[0]), str(a[1])))
    return out
