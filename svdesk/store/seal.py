"""The award seal: a hash of a frozen tender's whole evaluation, kept in the audit entry that froze it.

When a tender is awarded (or arrives already awarded, or is edited while frozen), the audit entry of that save
carries ``"seal"``: SHA-256 of the canonical JSON of its criteria, bids (prices, consensus and evaluators'
marks with their reasons, commitments, exclusions, notes; not the email address and identifiers, which may
still be corrected) and tie-break rule, read back from the database in the
same transaction. The entry is part of the hash chain, so the seal cannot be changed without breaking the
chain (or, if the whole chain is recomputed, without contradicting the outside witnesses:
:mod:`svdesk.store.witness`, backups, printed papers).

:func:`check` recomputes every frozen tender's seal from what the database holds now. Dropping the freeze
triggers, changing a score or a price and putting the triggers back is then found, and so is a status set back
from awarded, or an awarded tender deleted. No schema change: the seal lives in the entry's payload.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from svdesk.domain.tender import Tender, evaluated_part
from svdesk.store import repository as repo
from svdesk.store.audit import canonical, sha256_text
from svdesk.store.models import FROZEN_STATUSES

#: The key of the seal in an audit entry's details.
KEY = "seal"


def parts(tender: Tender) -> dict[str, Any]:
    """The hashes a seal is made of: the criteria, the tie-break rule and each bid (by supplier, in order)."""
    return {
        "criteria": sha256_text(canonical(tender.criteria)),
        "tie_break": tender.tie_break.value,
        # What an award freezes: a bid's email address and identifiers may still be corrected (evaluated_part).
        "bids": [[b.supplier, sha256_text(canonical(evaluated_part(b)))] for b in tender.bids],
    }


def of(tender: Tender) -> dict[str, Any]:
    """The seal of a tender's evaluation: ``{"hash", "parts", "reference"}``."""
    p = parts(tender)
    return {"hash": sha256_text(canonical(p)), "parts": p, "reference": tender.reference}


def stamp(session: Session, tender_id: int, details: MutableMapping[str, Any], *, was: str | None = None) -> None:
    """Add the seal to an audit entry's ``details`` when the tender (as now written) is frozen.

    Args:
        tender_id: the tender's row id; it is read back in the caller's transaction, after the writes.
        was: the tender's reference before this save, when the save renamed it (so the old name's seal is
            known to have moved).
    """
    status = session.execute(text("SELECT status FROM tender WHERE id = :i"), {"i": tender_id}).scalar()
    if status not in FROZEN_STATUSES:
        return
    session.expire_all()
    seal = of(repo.load(session, tender_id))
    if was is not None and was != seal["reference"]:
        seal["was"] = was
    details[KEY] = seal


@dataclass(frozen=True)
class Sealed:
    """The newest seal recorded for one tender."""

    seq: int
    at: str
    who: str
    seal: Mapping[str, Any]


def recorded(session: Session) -> dict[str, Sealed]:
    """The newest seal per reference, from the audit log (entries whose details hold a seal)."""
    out: dict[str, Sealed] = {}
    rows = session.execute(text(
        "SELECT seq, \"at\", who, payload FROM audit_log WHERE payload LIKE '%\"seal\":{%' ORDER BY seq"))
    for seq, at, who, payload in rows:
        try:
            details = json.loads(payload)
        except ValueError:
            continue   # the chain check names an unreadable entry
        seal = details.get(KEY) if isinstance(details, dict) else None
        if not isinstance(seal, dict) or not isinstance(seal.get("reference"), str):
            continue
        if isinstance(seal.get("was"), str):
            out.pop(seal["was"], None)
        out[seal["reference"]] = Sealed(int(seq), str(at), str(who), seal)
    return out


def _differences(sealed: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """What differs between two seals' parts, in words."""
    before, after = sealed.get("parts", {}), now["parts"]
    if not isinstance(before, dict):
        return ["the seal is unreadable"]
    found = []
    if before.get("criteria") != after["criteria"]:
        found.append("the criteria")
    if before.get("tie_break") != after["tie_break"]:
        found.append("the tie-break rule")
    old = {str(s): h for s, h in before.get("bids", []) if isinstance(s, str)}
    new = {s: h for s, h in after["bids"]}
    for supplier, digest in new.items():
        if supplier not in old:
            found.append(f"a bid from {supplier} that was not there")
        elif old[supplier] != digest:
            found.append(f"the bid of {supplier} (price, marks, scores, commitments or exclusion)")
    found += [f"the bid of {s}, now missing" for s in old if s not in new]
    if not found and [s for s, _ in before.get("bids", [])] != [s for s, _ in after["bids"]]:
        found.append("the order of the bids")
    return found or ["its evaluation"]


def check(session: Session) -> tuple[bool, str]:
    """Every frozen tender still holds what its award sealed; ``(ok, detail)`` for ``svdesk check``."""
    seals = recorded(session)
    tenders = {str(ref): (int(tid), str(status)) for tid, ref, status in session.execute(
        text("SELECT id, reference, status FROM tender"))}
    problems: list[str] = []
    checked = 0
    for ref, sealed in seals.items():
        when = f"entry {sealed.seq}, by {sealed.who} on {sealed.at[:16].replace('T', ' ')}"
        if ref not in tenders:
            problems.append(f"awarded tender {ref} (sealed in {when}) is no longer in the database")
            continue
        tid, status = tenders[ref]
        if status not in FROZEN_STATUSES:
            problems.append(f"{ref} was awarded ({when}) but its status now says {status!r}")
        now = of(repo.load(session, tid))
        checked += 1
        if now["hash"] != sealed.seal.get("hash"):
            what = "; ".join(_differences(sealed.seal, now)[:3])
            problems.append(f"{ref} differs from what its award sealed ({when}): {what} changed")
    unsealed = sorted(ref for ref, (_, status) in tenders.items() if status in FROZEN_STATUSES and ref not in seals)
    if problems:
        return False, "; ".join(problems[:5]) + ("" if len(problems) <= 5 else " …")
    detail = (f"{checked} awarded tender{'s' if checked != 1 else ''} hold exactly what their award sealed"
              if checked else "no awarded tenders")
    if unsealed:
        detail += (f"; {len(unsealed)} awarded before seals were recorded, not covered "
                   f"({', '.join(unsealed[:3])}{' …' if len(unsealed) > 3 else ''})")
    return True, detail
