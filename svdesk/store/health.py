"""The full check of a database (``svdesk check``): file structure, links between records, every tender's
rules, and the audit chain.

One part of :class:`~svdesk.store.api.Database` (which keeps its methods as a thin face).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text

from svdesk.domain.tender import check_tender
from svdesk.errors import SvdeskError
from svdesk.store import repository as repo
from svdesk.store import tamper

if TYPE_CHECKING:
    from svdesk.store.part import DatabaseCore


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


class HealthCheck:
    """Checks one database."""

    def __init__(self, db: DatabaseCore) -> None:
        self._db = db

    def check(self) -> CheckReport:
        """Full check: file structure, links between records, every tender's rules, the audit chain."""
        items: list[CheckItem] = []
        if self._db._raw is not None:
            with self._db._lock:
                cur = self._db._raw.cursor()
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
        items.append(self._check_attachments())
        report = self._db.verify_audit()
        if report.ok:
            detail = f"{report.entries} entries, chain intact; head {report.head_hash[:16]}…"
        else:
            detail = "; ".join(report.problems[:5]) + ("" if len(report.problems) <= 5 else " …")
        items.append(CheckItem("audit trail", report.ok, detail))
        with self._db._session("check for tampering", write=False) as s:   # svdesk/store/tamper.py
            items += [CheckItem(*found) for found in tamper.check_items(s, self._db.location)]
        return CheckReport(self._db.location, tuple(items))

    def _check_tenders(self) -> CheckItem:
        problems: list[str] = []
        count = 0
        with self._db._session("check the tenders", write=False) as s:
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


    def _check_attachments(self) -> CheckItem:
        """Every attached file's bytes against the size and SHA-256 recorded when it was added (one at a time)."""
        from svdesk.domain.attachments import sha256_hex, size_text

        bad: list[str] = []
        count = total = 0
        with self._db._session("check the attached files", write=False) as s:
            if not inspect(s.connection()).has_table("bid_attachment"):    # a schema before 0011
                return CheckItem("attached files", True, "none (this database's schema has no attached files)")
            ids = s.execute(text("SELECT a.id, t.reference, b.supplier, a.name FROM bid_attachment a "
                                 "JOIN bid b ON b.id = a.bid_id JOIN tender t ON t.id = b.tender_id "
                                 "ORDER BY t.reference, b.supplier, a.name")).all()
            for row_id, reference, supplier, name in ids:   # one file in memory at a time, not them all
                size, sha, content = s.execute(text("SELECT size, sha256, content FROM bid_attachment WHERE id = :i"),
                                               {"i": row_id}).one()
                data = bytes(content)
                count += 1
                total += len(data)
                if len(data) != size or sha256_hex(data) != sha:
                    bad.append(f"{reference}: {name} of {supplier}'s bid does not match the SHA-256 recorded when "
                               "it was added")
        if bad:
            more = "" if len(bad) <= 3 else f" (and {len(bad) - 3} more)"
            return CheckItem("attached files", False, "; ".join(bad[:3]) + more + ": restore a backup")
        if not count:
            return CheckItem("attached files", True, "none attached")
        return CheckItem("attached files", True, f"{count} file{'s' if count != 1 else ''} "
                                                  f"({size_text(total)}), each matching its SHA-256")


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
