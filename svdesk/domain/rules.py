"""The tender's rules in one room: which edits each status allows, the lifecycle and its readiness, the freeze
after award, and when a tender may be deleted.

Pure functions over :class:`~svdesk.domain.tender.Tender`. The store calls them before it writes (its SQL
triggers stay as the last line of defence), the tender-file import and the CLI through the store, and the app
to grey out and explain what cannot be changed — so all three refuse alike, with the same reasons.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from svdesk.domain import limits
from svdesk.domain.attachments import Attachment, AttachmentKind, check_name, sha256_hex, sniff
from svdesk.domain.checklist import Checklist, check_checklist
from svdesk.domain.scoring import HUNDRED, WEIGHT_TOLERANCE
from svdesk.domain.tender import TRANSITIONS, CriterionKind, Tender, TenderStatus, check_tender, evaluated_part
from svdesk.domain.text import excerpt, lookalike_key
from svdesk.errors import FrozenError, StatusChangeError, ValidationError

#: An awarded or closed tender's criteria, bids, scores and tie-break stay as the committee saw them.
FROZEN: frozenset[TenderStatus] = frozenset({TenderStatus.AWARDED, TenderStatus.CLOSED})

#: What each move does, in the officer's words (the app's confirmation says it before the move).
EFFECTS: dict[TenderStatus, str] = {
    TenderStatus.DRAFT: "The tender goes back to draft: the evaluation model and the asks can be changed again.",
    TenderStatus.NEGOTIATION: "The tender moves to negotiation: you meet suppliers and record what they offer.",
    TenderStatus.EVALUATION: "The tender moves to evaluation: the bids are scored and moderated.",
    TenderStatus.AWARDED: "Every criterion, bid, score and the tie-break are frozen as the committee saw them; "
                          "afterwards the tender can only be closed (a mistake is recorded as a correction).",
    TenderStatus.CLOSED: "The tender is closed: nothing more can be changed and it cannot be reopened.",
    TenderStatus.CANCELLED: "The tender is marked cancelled; you can reopen it as a draft later.",
}


# ---------------------------------------------------------------------------------------------------------
# The freeze
# ---------------------------------------------------------------------------------------------------------


def is_frozen(t: Tender | TenderStatus) -> bool:
    """Whether the tender (or a tender in this status) is awarded or closed."""
    return (t if isinstance(t, TenderStatus) else t.status) in FROZEN


def frozen_reason(t: Tender, part: str = "scores") -> str | None:
    """Why ``part`` of the tender cannot change (``None``: it can).

    ``part`` is one of ``"criteria"``, ``"bids"``, ``"scores"``, ``"tie-break"``, ``"attachments"``; key
    dates, details, the checklist and the bidders' email addresses and identifiers stay editable after award.
    """
    if not is_frozen(t):
        return None
    if part == "attachments":
        return (f"{t.reference} is {t.status.value}: its bids' attached files are frozen with the bids as the "
                f"committee saw them.")
    if part == "tie-break":
        return (f"{t.reference} is {t.status.value}: its tie-break rule is frozen with the scores, as it decides "
                f"who won a tie.")
    return (f"{t.reference} is {t.status.value}: its criteria, bids and scores are frozen as the committee saw "
            f"them.")


def check_frozen_edit(previous: Tender, tender: Tender) -> None:
    """Refuse an edit that would change what the award froze.

    Raises:
        FrozenError: ``previous`` is awarded or closed and the edit changes its criteria, bids, scores or
            tie-break.
    """
    if not is_frozen(previous):
        return
    if previous.criteria != tender.criteria or (
            previous.bids != tender.bids
            and [evaluated_part(b) for b in previous.bids] != [evaluated_part(b) for b in tender.bids]):
        raise FrozenError(f"{frozen_reason(previous)} Nothing was changed.")
    if previous.tie_break != tender.tie_break:
        raise FrozenError(f"{frozen_reason(previous, 'tie-break')} Nothing was changed.")


# ---------------------------------------------------------------------------------------------------------
# The lifecycle and its readiness rules
# ---------------------------------------------------------------------------------------------------------


def weight_gap(t: Tender) -> Decimal | None:
    """How far the weights are from 100 (positive: to add), or ``None`` when they total 100."""
    gap = HUNDRED - t.weight_total
    return None if abs(gap) <= WEIGHT_TOLERANCE else gap


def weight_advice(gap: Decimal) -> str:
    """What to do about a :func:`weight_gap`: ``"add 5"`` or ``"take off 10"``."""
    return f"add {gap.normalize():f}" if gap > 0 else f"take off {(-gap).normalize():f}"


def readiness(t: Tender, status: TenderStatus) -> list[str]:
    """What must be put right before the tender may be in ``status`` (empty: nothing).

    Evaluation and award need an evaluation model whose weights total 100 and bids to score (for the award,
    one that is not excluded); the guide (``ui/guide.py``) shows the same gaps as the next step.
    """
    if status not in (TenderStatus.EVALUATION, TenderStatus.AWARDED):
        return []
    out: list[str] = []
    gap = weight_gap(t)
    if not t.criteria:
        out.append("there are no award criteria yet (add price, quality and social value)")
    elif gap is not None:
        out.append(f"the weights total {t.weight_total.normalize():f}, not 100 ({weight_advice(gap)})")
    if not t.bids:
        out.append("no bids are recorded yet")
    elif status is TenderStatus.AWARDED and all(b.excluded for b in t.bids):
        out.append("every bid is excluded, so there is no tender to award")
    return out


def can_change_status(t: Tender, new: TenderStatus) -> list[str]:
    """Why the tender cannot move to ``new``, one plain-English reason a line (empty: it can)."""
    if new is t.status:
        return []
    if new not in TRANSITIONS[t.status]:
        allowed = ", ".join(s.value for s in TenderStatus if s in TRANSITIONS[t.status])
        can = f"it can become: {allowed}" if allowed else "its status cannot change any more"
        award = ": an award cannot be taken back" if is_frozen(t) else ""
        return [f"{_a(t.status)} tender cannot become {new.value}{award} ({can})"]
    return readiness(t, new)


def _a(status: TenderStatus) -> str:
    return f"{'an' if status.value[0] in 'aeiou' else 'a'} {status.value}"


def status_change_effects(t: Tender, new: TenderStatus) -> str:
    """Exactly what the move does, in a few sentences (the app's confirmation shows it)."""
    old = t.status
    said = [f"{t.reference} moves from {old.value} to {new.value}.", EFFECTS[new]]
    if old is TenderStatus.DRAFT and new is TenderStatus.EVALUATION:
        said.append("Negotiation is skipped.")
    if old not in TRANSITIONS[new]:
        later = ", ".join(s.value for s in TenderStatus if s in TRANSITIONS[new])
        said.append(f"This cannot be undone: {_a(new)} tender cannot become {old.value} again"
                    + (f" (it can become: {later})." if later else "."))
    return " ".join(said)


def check_status_change(previous: Tender, tender: Tender) -> None:
    """Refuse a status change the lifecycle or the readiness rules do not allow.

    Raises:
        FrozenError: an awarded or closed tender's status would go back.
        StatusChangeError: anything else (field ``status``; ``reasons`` lists each).
    """
    old, new = previous.status, tender.status
    if new is old:
        return
    ref = previous.reference
    if new not in TRANSITIONS[old]:
        allowed = ", ".join(s.value for s in TenderStatus if s in TRANSITIONS[old])
        can = f"it can become: {allowed}" if allowed else "its status cannot change any more"
        if is_frozen(old):
            raise FrozenError(f"{ref} is {old.value} and cannot become {new.value}: an award cannot be taken back "
                              f"({can}). Nothing was changed.")
        raise StatusChangeError("status", f"{ref} is {old.value} and cannot become {new.value} ({can}). Nothing "
                                          f"was changed.", tuple(can_change_status(previous, new)))
    reasons = tuple(readiness(tender, new))
    if reasons:
        raise StatusChangeError("status", f"{ref} cannot become {new.value} yet: {'; '.join(reasons)}. Nothing was "
                                          f"changed.", reasons)


def check_arrival(t: Tender) -> None:
    """Refuse a whole tender (from a tender file) whose status it is not ready for.

    Raises:
        StatusChangeError: e.g. a file says ``evaluation`` but its weights total 95.
    """
    reasons = tuple(readiness(t, t.status))
    if reasons:
        raise StatusChangeError("status", f"{t.reference} is marked {t.status.value} but is not ready for it: "
                                          f"{'; '.join(reasons)}", reasons)


# ---------------------------------------------------------------------------------------------------------
# Edits and deletes
# ---------------------------------------------------------------------------------------------------------


def check_edit(previous: Tender, tender: Tender) -> Tender:
    """Validate an edited tender, re-checking only what the edit touched (a 500-bid tender stays fast).

    The criteria are the measure for every score, so an edit to them re-checks everything. A status change
    must follow the lifecycle (:data:`~svdesk.domain.tender.TRANSITIONS`) and its readiness rules
    (:func:`readiness`); an awarded tender's criteria, bids, scores and tie-break are frozen.

    Raises:
        FrozenError: the edit changes what the award froze, or an awarded or closed tender's status would go back.
        StatusChangeError: the status change is not allowed, with its reasons.
        ValidationError: anything else that is not valid.
    """
    check_status_change(previous, tender)
    check_frozen_edit(previous, tender)
    if previous.criteria != tender.criteria:
        return check_tender(tender)
    old = {b.supplier: b for b in previous.bids}
    touched = tuple(b for b in tender.bids if old.get(b.supplier) is not b and old.get(b.supplier) != b)
    check_tender(replace(tender, bids=touched, checklist=Checklist()))
    if len(tender.bids) != len(previous.bids) or touched:
        seen: set[str] = set()
        for i, b in enumerate(tender.bids):
            key = lookalike_key(b.supplier)   # the one text rule: look-alike names are two bids too
            if key in seen:
                raise ValidationError(f"bids[{i}].supplier", f"{excerpt(b.supplier)} has two bids (or looks the "
                                      f"same as another bid's supplier)")
            seen.add(key)
    if tender.checklist != previous.checklist or len(tender.bids) != len(previous.bids) or touched:
        check_checklist(tender.checklist, (b.supplier for b in tender.bids))
    return tender


def can_delete(t: Tender | TenderStatus, reference: str = "") -> list[str]:
    """Why the tender cannot be deleted (empty: it can). ``reference`` names it when only a status is given."""
    status = t if isinstance(t, TenderStatus) else t.status
    ref = reference or (t.reference if isinstance(t, Tender) else "this tender")
    if is_frozen(status):
        return [f"{ref} is {status.value}: its records must be kept (Procurement Act 2023, s.98) and cannot be "
                f"deleted."]
    return []


def check_delete(t: Tender | TenderStatus, reference: str = "") -> None:
    """Raise :class:`~svdesk.errors.FrozenError` when :func:`can_delete` gives a reason."""
    reasons = can_delete(t, reference)
    if reasons:
        raise FrozenError(" ".join(reasons))


# ---------------------------------------------------------------------------------------------------------
# Files attached to bids
# ---------------------------------------------------------------------------------------------------------


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def check_add_attachment(t: Tender, supplier: str, name: str, data: bytes, *,
                         kind: AttachmentKind = AttachmentKind.RESPONSE, criterion: str | None = None,
                         label: str = "", added_by: str = "", added_at: datetime | None = None) -> Attachment:
    """The metadata of a file the officer attaches to a bid, once every rule allows it.

    Raises:
        FrozenError: the tender is awarded or closed.
        ValidationError: no such bid or criterion; a bad name; an empty, too large or refused type of file
            (by extension and by content, :func:`svdesk.domain.attachments.sniff`); the bid has
            :data:`~svdesk.domain.limits.MAX_ATTACHMENTS_PER_BID` files already; the tender's response files
            would exceed what a pack may carry; or the same file (SHA-256) or name is attached to the bid already.
    """
    from svdesk.domain.values import check_text

    reason = frozen_reason(t, "attachments")
    if reason:
        raise FrozenError(f"{reason} Nothing was attached.")
    b = t.bid(supplier)
    name = check_name(check_text(name, "name", required=True, limit=limits.MAX_ATTACHMENT_NAME + 1,
                                 one_line=True))
    label = check_text(label, "label", limit=500, one_line=True)
    if criterion is not None:
        criterion = criterion.strip() or None
    if criterion is not None and criterion not in {c.id for c in t.criteria}:
        raise ValidationError("criterion", f"{t.reference} has no criterion {criterion!r} "
                                           f"(its criteria: {', '.join(c.id for c in t.criteria) or 'none'})")
    if (criterion is not None and kind is AttachmentKind.RESPONSE
            and t.criterion(criterion).kind is CriterionKind.PRICE):
        raise ValidationError("kind", f"{excerpt(name)} answers the price criterion, so it is a pricing file "
                                      f"(which is never sent to evaluators): attach it as pricing")
    media_type = sniff(name, data)
    sha = sha256_hex(data)
    mine = t.attachments_of(b.supplier)
    for a in mine:
        if a.sha256 == sha:
            raise ValidationError("file", f"{excerpt(name)} is already attached to {b.supplier}'s bid as "
                                          f"{excerpt(a.name)} (the same SHA-256 {sha[:12]}…): it was not stored twice")
        if a.name.casefold() == name.casefold():
            raise ValidationError("name", f"a file named {excerpt(a.name)} is already attached to {b.supplier}'s "
                                          f"bid: remove it first, or rename the new file")
    if len(mine) >= limits.MAX_ATTACHMENTS_PER_BID:
        raise ValidationError("file", f"{b.supplier}'s bid has {len(mine)} attached files already (the limit is "
                                      f"{limits.MAX_ATTACHMENTS_PER_BID}): {excerpt(name)} was not attached")
    if kind is AttachmentKind.RESPONSE:
        total = sum(a.size for a in t.attachments if a.kind is AttachmentKind.RESPONSE)
        if total + len(data) > limits.MAX_PACK_ATTACHMENT_BYTES:
            cap = _mb(limits.MAX_PACK_ATTACHMENT_BYTES)
            raise ValidationError("file", f"{excerpt(name)} would bring {t.reference}'s response files to "
                                          f"{_mb(total + len(data))}, more than the {cap} an evaluator pack can "
                                          f"carry: it was not attached")
    return Attachment(supplier=b.supplier, name=name, kind=kind, size=len(data), sha256=sha, media_type=media_type,
                      label=label, criterion=criterion, added_by=added_by, added_at=added_at)


def check_remove_attachment(t: Tender, supplier: str, name: str) -> Attachment:
    """The attachment to remove.

    Raises:
        FrozenError: the tender is awarded or closed.
        ValidationError: no such bid, or no file of that name attached to it.
    """
    reason = frozen_reason(t, "attachments")
    if reason:
        raise FrozenError(f"{reason} Nothing was removed.")
    b = t.bid(supplier)
    for a in t.attachments_of(b.supplier):
        if a.name == name or a.name.casefold() == name.strip().casefold():
            return a
    names = ", ".join(a.name for a in t.attachments_of(b.supplier)) or "none"
    raise ValidationError("name", f"no file named {excerpt(name)} is attached to {b.supplier}'s bid "
                                  f"(its files: {names})")


def attachment_action(verb: str, a: Attachment) -> str:
    """The audit log's words for adding or removing a file (``verb``: ``"Attached"`` / ``"Removed"``)."""
    where = "to" if verb == "Attached" else "from"
    return (f"{verb} {a.kind.value} file {a.name} {where} {a.supplier}'s bid (SHA-256 {a.sha256})")[:500]
