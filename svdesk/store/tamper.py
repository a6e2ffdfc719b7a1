"""The tamper checks of ``svdesk check`` beyond the chain itself, and the witness kept after every change.

Three lines of the check come from here: the schema against its version (:mod:`svdesk.store.schema_check`),
awarded tenders against their seals (:mod:`svdesk.store.seal`) and the audit chain against this computer's
witness (:mod:`svdesk.store.witness`). :func:`witnessed_head` and :func:`note_head` are what the database calls
around each committed write.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from svdesk.store import schema_check, seal, witness
from svdesk.store.audit import raw_entries

#: ``(first entry's hash, head seq, head hash)`` of a database's audit log.
Head = tuple[str, int, str]


def witnessed_head(session: Session) -> Head:
    """What the witness records about the log: which database (its first entry) and its head."""
    first = session.execute(text("SELECT hash FROM audit_log WHERE seq = 1")).scalar()
    last = session.execute(text("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")).first()
    if first is None or last is None:
        return ("", 0, "")
    return (str(first), int(last[0]), str(last[1]))


def note_head(head: Head, *, location: str, who: str, event: str = "write") -> str | None:
    """Append the head to this computer's witness; a sentence for the officer if that failed."""
    first, seq, digest = head
    if not first:
        return None
    return witness.record(database=first, location=location, seq=seq, digest=digest, who=who, event=event)


def check_items(session: Session, location: str) -> list[tuple[str, bool, str]]:
    """``(name, ok, detail)`` for the schema, the award seals and the witness."""
    items = [("schema", *schema_check.check(session)), ("awarded tenders", *seal.check(session))]
    rows = raw_entries(session)
    chain = {int(r[0]): str(r[8]) for r in rows if isinstance(r[0], int)}
    first_at = str(rows[0][1]) if rows else ""
    items.append(("outside witness", *witness.check(chain, first_at=first_at, location=location)))
    return items
