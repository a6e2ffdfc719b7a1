"""The audit log: append-only, each entry chained to the one before by SHA-256.

Each entry records who did what, when, to which tender, with the details (before/after values) as canonical
JSON. ``hash = sha256(canonical JSON of seq, at, who, action, tender, payload_sha256, prev_hash)``; the first
entry's ``prev_hash`` is 64 zeros. Changing, deleting, inserting or swapping any entry breaks the chain
(:func:`verify`). The chain alone cannot notice the *newest* entries being cut off or the whole log being
rewritten, so the head (``seq``, ``hash``) is also printed on award papers and written into every backup's
manifest, and :func:`verify` checks it against such anchors.

Entries are appended in the same transaction as the change they describe: a crash can never leave one
without the other. Triggers in the database refuse UPDATE and DELETE on the table.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from svdesk.store.models import AuditRow
from svdesk.store.types import decimal_text, utc_text

GENESIS = "0" * 64
#: Any constant: serialises appends on PostgreSQL, where several officers may save at once.
_PG_AUDIT_LOCK = 0x5F5D_E5C0


def jsonable(value: Any) -> Any:
    """A JSON-ready copy of a domain value (decimals as exact text, dates ISO, enums by value)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (tuple, list, set, frozenset)):
        return [jsonable(v) for v in value]
    raise TypeError(f"cannot record {type(value).__name__} in the audit log")


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text_value: str) -> str:
    """Hex SHA-256 of UTF-8 text."""
    return hashlib.sha256(text_value.encode("utf-8")).hexdigest()


def entry_hash(seq: int, at: str, who: str, action: str, tender: str | None, payload_sha256: str,
               prev_hash: str) -> str:
    """The chain hash of one entry."""
    return sha256_text(canonical({"seq": seq, "at": at, "who": who, "action": action, "tender": tender,
                                  "payload_sha256": payload_sha256, "prev_hash": prev_hash}))


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit log.

    Attributes:
        seq: 1, 2, 3 … in the order things happened.
        at: when (UTC).
        who: who did it.
        action: what, in the officer's words ("Set Acme's score for q1").
        tender: the tender's reference (``None`` for database-wide entries).
        details: the recorded details, e.g. ``{"changes": [{"what", "before", "after"}, …]}``.
        hash: this entry's chain hash (hex SHA-256).
    """

    seq: int
    at: datetime
    who: str
    action: str
    tender: str | None
    details: Mapping[str, Any]
    hash: str

    @property
    def changes(self) -> list[Mapping[str, Any]]:
        """The ``what``/``before``/``after`` records of an edit (empty for other entries)."""
        value = self.details.get("changes", [])
        return list(value) if isinstance(value, list) else []


def append(session: Session, *, who: str, action: str, tender: str | None, details: Mapping[str, Any],
           at: datetime | None = None) -> str:
    """Append an entry inside the caller's transaction; returns its hash."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    last = session.execute(select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)).first()
    seq, prev = (1, GENESIS) if last is None else (last.seq + 1, last.hash)
    moment = (at or datetime.now(UTC)).astimezone(UTC)
    at_text = utc_text(moment)
    payload = canonical(details)
    payload_sha = sha256_text(payload)
    digest = entry_hash(seq, at_text, who, action, tender, payload_sha, prev)
    session.execute(insert(AuditRow).values(seq=seq, at=moment, who=who, action=action, tender=tender,
                                            payload=payload, payload_sha256=payload_sha, prev_hash=prev,
                                            hash=digest))
    return digest


def head(session: Session) -> tuple[int, str]:
    """``(seq, hash)`` of the newest entry (``(0, GENESIS)`` for an empty log)."""
    last = session.execute(select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)).first()
    return (0, GENESIS) if last is None else (int(last.seq), str(last.hash))


def entries(session: Session, tender: str | None = None) -> list[AuditEntry]:
    """Entries in order, all or those about one tender."""
    q = select(AuditRow).order_by(AuditRow.seq)
    if tender is not None:
        q = q.where(AuditRow.tender == tender)
    out = []
    for r in session.scalars(q):
        try:
            details = json.loads(r.payload)
        except ValueError:
            details = {"unreadable": r.payload}
        out.append(AuditEntry(r.seq, r.at, r.who, r.action, r.tender,
                              details if isinstance(details, dict) else {"value": details}, r.hash))
    return out


def last_entry(session: Session, tender: str) -> AuditEntry | None:
    """The newest entry about one tender."""
    seq = session.execute(select(AuditRow.seq).where(AuditRow.tender == tender)
                          .order_by(AuditRow.seq.desc()).limit(1)).scalar()
    if seq is None:
        return None
    r = session.get_one(AuditRow, seq)
    return AuditEntry(r.seq, r.at, r.who, r.action, r.tender, {}, r.hash)


@dataclass(frozen=True)
class ChainReport:
    """The result of verifying the audit chain.

    Attributes:
        entries: how many entries were read.
        head_seq, head_hash: the newest entry.
        problems: what is wrong, one sentence each (empty when the chain is intact).
    """

    entries: int
    head_seq: int
    head_hash: str
    problems: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """The chain is intact (and matches every anchor given)."""
        return not self.problems


RawEntry = tuple[Any, Any, Any, Any, Any, Any, Any, Any, Any]


def raw_entries(session: Session) -> Sequence[RawEntry]:
    """Every entry's stored columns as text, exactly as on disk (no type conversion)."""
    rows = session.execute(text(
        'SELECT seq, "at", who, action, tender, payload, payload_sha256, prev_hash, hash FROM audit_log ORDER BY seq'
    )).all()
    return [tuple(r) for r in rows]


def verify(rows: Iterable[RawEntry], anchors: Iterable[tuple[int, str]] = ()) -> ChainReport:
    """Check the chain: numbering without gaps, each entry linked to the one before, hashes recomputed.

    Args:
        rows: ``(seq, at, who, action, tender, payload, payload_sha256, prev_hash, hash)`` by ``seq``.
        anchors: ``(seq, hash)`` pairs recorded elsewhere (backup manifests, award papers): each must still
            be in the chain, which catches the newest entries being cut off or the log rewritten.
    """
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS
    by_seq: dict[int, str] = {}
    count = 0
    for seq, at, who, action, tender, payload, payload_sha, prev_hash, digest in rows:
        count += 1
        if not isinstance(seq, int):
            problems.append(f"entry {seq!r} has an invalid number")
            continue
        if seq != expected_seq:
            problems.append(f"entries {expected_seq}–{seq - 1} are missing" if seq > expected_seq
                            else f"entry {seq} is out of order")
        if prev_hash != prev:
            problems.append(f"entry {seq} does not follow on from the entry before it")
        if not isinstance(payload, str) or sha256_text(payload) != payload_sha:
            problems.append(f"the details of entry {seq} were altered")
        texts = (at, who, action, payload_sha, prev_hash)
        if not all(isinstance(x, str) for x in texts) or not (tender is None or isinstance(tender, str)):
            problems.append(f"entry {seq} holds a value of the wrong type")
        elif entry_hash(seq, at, who, action, tender, payload_sha, prev_hash) != digest:
            problems.append(f"entry {seq} was altered")
        by_seq[seq] = str(digest)
        prev = str(digest)
        expected_seq = seq + 1
    head_seq = expected_seq - 1
    for a_seq, a_hash in anchors:
        if a_seq <= 0:
            continue
        if a_seq not in by_seq:
            problems.append(f"entry {a_seq}, recorded in a backup or award paper, is missing: "
                            f"the newest entries were removed")
        elif by_seq[a_seq] != a_hash:
            problems.append(f"entry {a_seq} differs from the copy recorded in a backup or award paper: "
                            f"the log was rewritten")
    return ChainReport(count, head_seq, prev, tuple(problems))
