"""The tenders in the database: the register, loading, creating, saving one user action, deleting, corrections.

One part of :class:`~svdesk.store.api.Database` (which keeps its methods as a thin face). Every write checks the
domain's rules first (:mod:`svdesk.domain.rules`); the SQL triggers stay as the last line of defence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from svdesk.domain import rules
from svdesk.domain.tender import Tender, TenderStatus, check_tender
from svdesk.domain.values import check_text
from svdesk.store import audit, lock, seal
from svdesk.store import repository as repo
from svdesk.store.audit import jsonable
from svdesk.store.errors import ConflictError, DuplicateTenderError, TenderNotFoundError
from svdesk.store.models import FROZEN_STATUSES
from svdesk.store.register import TenderSummary

if TYPE_CHECKING:
    from svdesk.store.part import DatabaseCore


def checked_who(who: str) -> str:
    """Who did it, as the audit log records it (required, at most 200 characters)."""
    return check_text(who, "who", required=True, limit=200)


class TenderRecords:
    """The tenders of one database, and the version of each as last loaded or saved here."""

    def __init__(self, db: DatabaseCore) -> None:
        self._db = db
        self._known: dict[str, tuple[int, Tender]] = {}

    def forget(self) -> None:
        """Forget every known version (after a restore replaced the contents)."""
        self._known.clear()

    def list_tenders(self, search: str = "", status: TenderStatus | None = None,
                     category: str | None = None) -> list[TenderSummary]:
        """The register: tenders whose reference or title contains ``search``, newest change first."""
        with self._db._session("list the tenders", write=False) as s:
            return repo.summaries(s, search, status, category)

    def load_tender(self, reference: str) -> Tender:
        """The whole tender.

        Raises:
            TenderNotFoundError: no tender has this reference.
        """
        with self._db._session("load the tender", write=False) as s:
            stored = repo.find(s, reference)
            if stored is None:
                raise TenderNotFoundError(f"There is no tender {reference!r} in {self._db.location}.")
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
        who = checked_who(who)
        with self._db._session("create the tender", write=True) as s:
            if repo.find(s, tender.reference) is not None:
                raise DuplicateTenderError(f"A tender with the reference {tender.reference!r} already exists in "
                                           f"{self._db.location}.")
            tid = repo.insert_tender(s, tender, repo.now_utc())
            # The entry records the tender as it arrived, its real status included (an awarded one says so).
            status = f" (already {tender.status.value})" if tender.status.value in FROZEN_STATUSES else ""
            details: dict[str, Any] = {"after": jsonable(tender)}
            seal.stamp(s, tid, details)   # an awarded tender's evaluation, sealed (svdesk/store/seal.py)
            audit.append(s, who=who, action=f"Created tender {tender.reference}{status}", tender=tender.reference,
                         details=details)
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
        rules.check_edit(previous, tender)  # the freeze too: ``previous`` is the stored tender (checked below)
        who = checked_who(who)
        action = check_text(action, "action", required=True, limit=500)
        ref = previous.reference
        with self._db._session(f"save “{action}”", write=True) as s:
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
            if not repo.touch(s, stored, repo.now_utc()):
                raise ConflictError(self._conflict_message(s, ref))
            changes = repo.write_changes(s, stored.id, previous, tender)
            details: dict[str, Any] = {"changes": changes}
            seal.stamp(s, stored.id, details, was=ref)   # the award's seal (svdesk/store/seal.py)
            audit.append(s, who=who, action=action, tender=tender.reference, details=details)
        if tender.reference != ref:
            self._known.pop(ref, None)
        self._known[tender.reference] = (expected + 1, tender)
        if tender.status is TenderStatus.AWARDED and previous.status is not TenderStatus.AWARDED:
            self._db.safekeeping.backup_quietly("award")

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
        who = checked_who(who)
        reason = check_text(reason, "reason", required=True)
        with self._db._session("delete the tender", write=True) as s:
            stored = repo.find(s, reference)
            if stored is None:
                raise TenderNotFoundError(f"There is no tender {reference!r} in {self._db.location}.")
            rules.check_delete(TenderStatus(stored.status), reference)
            before = repo.load(s, stored.id)
            repo.delete_tender(s, stored.id)
            audit.append(s, who=who, action=f"Deleted tender {reference}", tender=reference,
                         details={"before": jsonable(before), "reason": reason})
        self._known.pop(reference, None)

    def record_correction(self, reference: str, *, who: str, correction: str, reason: str) -> None:
        """Record a correction to an (awarded) tender as a new audit entry with its reason.

        Frozen scores stay as the committee saw them. Only the audit log holds the correction: no paper, export or
        screen shows it yet.
        """
        who = checked_who(who)
        correction = check_text(correction, "correction", required=True)
        reason = check_text(reason, "reason", required=True)
        with self._db._session("record the correction", write=True) as s:
            if repo.find(s, reference) is None:
                raise TenderNotFoundError(f"There is no tender {reference!r} in {self._db.location}.")
            audit.append(s, who=who, action="Correction recorded", tender=reference,
                         details={"correction": correction, "reason": reason})
