"""``svdesk verify PAPER.pdf``: does the database still hold exactly the state a printed paper came from?

A paper records the audit-log head it was printed at and a fingerprint of everything it shows
(:mod:`svdesk.reports.paper_id`). Verifying finds that head in the audit chain, recomputes the fingerprint
from the tender as the database holds it now, and lists every audit entry about the tender since: who
changed what, and when. The database's own tamper checks (:meth:`Database.check`) run too, since an answer
from a tampered database proves nothing.

What a "yes" proves: the paper's fingerprint and head match this database, whose audit chain, award seals,
schema and this computer's witness are all intact; so the content shown on the paper is what the database
holds, and every recorded change since (none, or only ones the paper does not show) is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from svdesk.errors import SvdeskError
from svdesk.reports.options import fingerprint
from svdesk.reports.paper_id import MAX_PAPER_BYTES, PaperId, read


@dataclass(frozen=True)
class Verdict:
    """The answer, in sentences.

    Attributes:
        holds: the database holds exactly the content the paper was printed from, and passes its checks.
        lines: what to tell the reader, first the answer, then the details.
    """

    holds: bool
    lines: tuple[str, ...] = field(default=())


def read_paper(path: Path) -> PaperId:
    """The identity printed into a paper's PDF.

    Raises:
        SvdeskError: unreadable, too large, not a PDF, or not an svdesk paper.
    """
    try:
        size = path.stat().st_size
        if size > MAX_PAPER_BYTES:
            raise SvdeskError(f"{path}: {size:,} bytes is more than any svdesk paper "
                              f"({MAX_PAPER_BYTES // 1024 // 1024} MB at most)")
        data = path.read_bytes()
    except OSError as e:
        raise SvdeskError(f"{path}: could not read the paper ({(e.strerror or str(e)).lower()})") from None
    return read(data, str(path))


def _when(at: object) -> str:
    from datetime import datetime

    if isinstance(at, datetime):
        return at.astimezone().strftime("%d %b %Y %H:%M").lstrip("0")
    return str(at)


def _short(value: object, limit: int = 60) -> str:
    """A value as one short line (never a whole description or a long list)."""
    text = "none" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def verify_paper(paper: PaperId, db: object) -> Verdict:
    """Compare the paper with the database (an open :class:`~svdesk.store.api.Database`)."""
    from svdesk.store import api

    assert isinstance(db, api.Database)
    ref, lines = paper.reference, []
    if not paper.audit_head:
        return Verdict(False, (f"This {paper.kind} paper for {ref} was printed from a tender file, not from a "
                               f"database: there is no database state to compare it with.",))
    report = db.check()
    problems = [f"  {i.name}: {i.detail}" for i in report.items if not i.ok]
    entries = db.audit_entries()
    at = next((e for e in entries if e.hash == paper.audit_head), None)
    if at is None:
        lines.append(f"NOT VERIFIED: {db.location} does not hold the audit entry this paper was printed at "
                     f"(head {paper.audit_head[:16]}…). The paper comes from another database, or this one's "
                     f"audit log was cut or rewritten since it was printed.")
        return Verdict(False, tuple(lines + (["The database's check found:", *problems] if problems else [])))
    printed = f"audit entry {at.seq}, made {_when(at.at)} by {at.who}"
    later = [e for e in entries if e.seq > at.seq and e.tender == ref]
    try:
        tender = db.load_tender(ref)
    except api.TenderNotFoundError:
        gone = next((e for e in reversed(later) if e.action.startswith("Deleted tender")), None)
        how = f" It was deleted on {_when(gone.at)} by {gone.who}." if gone else ""
        return Verdict(False, (f"NOT VERIFIED: {ref} is no longer in {db.location}.{how}",))
    now = fingerprint(paper.kind, tender, paper.options, paper.extra)
    same = now == paper.fingerprint
    if same and not problems:
        lines.append(f"VERIFIED: {db.location} still holds exactly what this {paper.kind} paper for {ref} shows; "
                     f"it was printed at {printed}, and its fingerprint {paper.fingerprint[:16]}… matches.")
        if later:
            lines.append(f"Since then {len(later)} entr{'y' if len(later) == 1 else 'ies'} about {ref} "
                         f"changed nothing the paper shows:")
    elif same:
        lines.append(f"NOT VERIFIED: the fingerprint matches, but the database fails its own checks, so it "
                     f"cannot vouch for this paper (printed at {printed}):")
        lines += problems
    else:
        lines.append(f"CHANGED: {ref} in {db.location} no longer holds what this {paper.kind} paper shows "
                     f"(printed at {printed}).")
        if later:
            lines.append(f"Changes recorded since then ({len(later)}):")
        else:
            lines.append("No audit entry records a change since then: the data was changed outside svdesk.")
        if problems:
            lines += ["The database's check found:", *problems]
    for e in later[-20:]:
        whats = [f"{_short(c.get('what'))}: {_short(c.get('before'))} → {_short(c.get('after'))}"
                 for c in e.changes if c.get("what")]
        more = f"; and {len(whats) - 3} more" if len(whats) > 3 else ""
        lines.append(f"  {_when(e.at)}  {e.who}: {e.action}" + (f" ({'; '.join(whats[:3])}{more})" if whats else ""))
    if len(later) > 20:
        lines.insert(-20, f"  … {len(later) - 20} earlier ones not shown")
    return Verdict(same and not problems, tuple(lines))
