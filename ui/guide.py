"""Guide, don't just store (DESIGN.md): where a tender stands, the next step, and what is still missing.

Pure Python over the domain (no Qt), so it is tested on its own; the overview page and the banner above every
page show it, each item with one click to the place that fixes it.

The steps: set weights → prepare asks → negotiate → record bids → score → moderate → award papers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from svdesk.domain.tender import Bid, Criterion, CriterionKind, Tender, TenderStatus

#: The workspace pages, in order (Ctrl+1 … Ctrl+7).
PAGES = ("overview", "evaluation", "negotiation", "bids", "scoring", "results", "reports")
PAGE_TITLES = {
    "overview": "Overview",
    "evaluation": "Evaluation model",
    "negotiation": "Negotiation",
    "bids": "Bids",
    "scoring": "Scoring",
    "results": "Results",
    "reports": "Reports",
}
STEPS = ("Set weights", "Prepare asks", "Negotiate", "Record bids", "Score", "Moderate", "Award papers")


@dataclass(frozen=True)
class Action:
    """Something to do, and where: a page and, optionally, what to select there."""

    text: str
    page: str
    target: dict[str, str] = field(default_factory=dict)
    status: str | None = None         # a lifecycle move to offer instead of a page (e.g. "evaluation")


@dataclass(frozen=True)
class Guidance:
    """The guide for one tender."""

    step: int                          # index into STEPS of the current step (len(STEPS) when done)
    stands: str                        # where it stands, one sentence
    next: Action | None                # the next step, or None when nothing is left
    missing: tuple[Action, ...]        # what must be resolved before the next step is safe
    #: Once the papers are the step: the committee report's sections nobody has written (the core's readiness
    #: check, :func:`svdesk.reports.readiness.committee_sections_to_write`). Printing is still allowed: they
    #: print as "[to be completed: …]".
    to_write: tuple[Action, ...] = ()

    @property
    def step_name(self) -> str:
        """The current step's name."""
        return STEPS[self.step] if self.step < len(STEPS) else "Done"


def _checklist_size(t: Tender) -> int:
    return len(t.checklist.items)


def _weights(t: Tender) -> list[Action]:
    from svdesk.domain.rules import weight_advice, weight_gap  # here: the window's first paint needs PAGES only

    out: list[Action] = []
    if not t.criteria:
        out.append(Action("Add award criteria (price, quality, social value)", "evaluation"))
        return out
    gap = weight_gap(t)  # the rule evaluation and award are held to (svdesk.domain.rules.readiness)
    if gap is not None:
        out.append(Action(f"Weights total {t.weight_total.normalize():f}, not 100: {weight_advice(gap)}",
                          "evaluation"))
    return out


def _bids(t: Tender) -> list[Action]:
    out: list[Action] = []
    has_price = any(c.kind is CriterionKind.PRICE for c in t.criteria)
    for b in t.bids:
        if b.excluded:
            continue
        if has_price and b.price is None:
            out.append(Action(f"{b.supplier} has no price", "bids", {"supplier": b.supplier}))
        elif has_price and b.price == 0:
            out.append(Action(f"{b.supplier}'s price is £0: correct it or exclude the bid with a reason", "bids",
                              {"supplier": b.supplier}))
    return out


def _returns_awaited(t: Tender) -> list[str]:
    """Members whose pack went out and whose return is not merged, unless the officer recorded why to go on."""
    from svdesk.domain.panel import returns_outstanding

    if t.panel.proceed_reason:
        return []
    return [m.initials for m in returns_outstanding(t)]


def _scores(t: Tender) -> tuple[list[Action], list[Action], list[Action]]:
    """(unmarked cells, marks without reasons, cells needing moderation)."""
    global _by_bid
    unmarked: list[Action] = []
    no_reason: list[Action] = []
    moderate: list[Action] = []
    from svdesk.domain.scoring import SPREAD_LIMIT

    # This runs after every edit, over every bid × criterion; an edit replaces one bid, so each bid's part is
    # kept (by identity: bids are immutable values) and only new bids are looked at again.
    assessed = [(c.id, c.name, SPREAD_LIMIT * c.scale_max) for c in t.criteria if c.is_assessed]
    kept, _by_bid = _by_bid, {}
    for b in t.bids:
        if b.excluded:
            continue
        hit = kept.get(id(b))
        fresh = hit is not None and hit[0] is b and hit[1] is t.criteria
        part = hit[2] if fresh and hit is not None else _bid_scores(b, assessed)
        _by_bid[id(b)] = (b, t.criteria, part)
        unmarked += part[0]
        no_reason += part[1]
        moderate += part[2]
    return unmarked, no_reason, moderate


#: Each bid's part of :func:`_scores` for the tender guided last: ``id(bid) → (bid, criteria, part)``.
_by_bid: dict[int, tuple[Bid, tuple[Criterion, ...], tuple[list[Action], list[Action], list[Action]]]] = {}


def _bid_scores(b: Bid, assessed: list[tuple[str, str, Decimal]]
                ) -> tuple[list[Action], list[Action], list[Action]]:
    unmarked: list[Action] = []
    no_reason: list[Action] = []
    moderate: list[Action] = []
    supplier = b.supplier
    for cid, name, limit in assessed:
        marks = b.evaluator_scores.get(cid, {})
        agreed = b.scores.get(cid)
        if agreed is None and not marks:
            unmarked.append(Action(f"{supplier} – {name}: not marked yet", "scoring",
                                   {"supplier": supplier, "criterion": cid}))
            continue
        if agreed is None:
            reasons = b.evaluator_reasons.get(cid, {})
            for who in marks:
                if not reasons.get(who, "").strip():
                    no_reason.append(Action(f"{supplier} – {name}: {who}'s mark has no reason", "scoring",
                                            {"supplier": supplier, "criterion": cid, "evaluator": who}))
            spread = (max(marks.values()) - min(marks.values())) if len(marks) >= 2 else Decimal(0)
            wide = " (marks differ widely)" if spread > limit else ""
            moderate.append(Action(f"{supplier} – {name}: agree a score{wide}", "scoring",
                                   {"supplier": supplier, "criterion": cid, "mode": "moderate"}))
        elif not b.explanations.get(cid, "").strip():
            no_reason.append(Action(f"{supplier} – {name}: the agreed score has no reason", "scoring",
                                    {"supplier": supplier, "criterion": cid, "mode": "moderate"}))
    return unmarked, no_reason, moderate


#: The last tender guided and its guidance: after an edit the workspace header and the overview both ask about
#: the same (immutable) tender, and on a 500-bid tender one answer takes tens of milliseconds.
_last: tuple[Tender, Guidance] | None = None


def guide(t: Tender) -> Guidance:
    """Where the tender stands, its next step and what is missing before that step is safe."""
    global _last
    if _last is not None and _last[0] is t:
        return _last[1]
    found = _guide(t)
    _last = (t, found)
    return found


def _guide(t: Tender) -> Guidance:
    if t.status is TenderStatus.CANCELLED:
        return Guidance(len(STEPS), "This tender was cancelled.",
                        Action("Reopen it as a draft", "overview", status=TenderStatus.DRAFT.value), ())
    if t.status is TenderStatus.CLOSED:
        return Guidance(len(STEPS), "This tender is closed: the contract was awarded and the file is complete.",
                        None, ())
    if t.status is TenderStatus.AWARDED:
        return Guidance(len(STEPS) - 1, "Awarded. The scores are frozen as the committee saw them.",
                        Action("Print each bidder's assessment summary", "reports"), (), _to_write(t))

    weights = _weights(t)
    if weights:
        return Guidance(0, "Setting up: the evaluation model is not complete.",
                        weights[0], tuple(weights))

    active = [b for b in t.bids if not b.excluded]
    if not t.bids:
        if t.status is TenderStatus.DRAFT and _checklist_size(t) == 0:
            return Guidance(1, "The evaluation model is ready. No bids yet.",
                            Action("Prepare the asks to put to suppliers", "negotiation"), ())
        if t.status is TenderStatus.DRAFT:
            return Guidance(2, "The asks are ready for the supplier meetings.",
                            Action("Start negotiation", "overview", status=TenderStatus.NEGOTIATION.value), ())
        if t.status is TenderStatus.NEGOTIATION:
            return Guidance(2, "In negotiation with suppliers. No bids recorded yet.",
                            Action("Record the bids as they arrive", "bids"), ())
        return Guidance(3, "No bids recorded yet.", Action("Record the bids", "bids"), ())

    bid_problems = _bids(t)
    unmarked, no_reason, moderate = _scores(t)
    n = len(active)
    if t.status in (TenderStatus.DRAFT, TenderStatus.NEGOTIATION):
        return Guidance(3, f"{n} bid{'s' if n != 1 else ''} recorded; the tender is still in "
                           f"{t.status.value}.",
                        Action("Move to evaluation to score the bids", "overview",
                               status=TenderStatus.EVALUATION.value), tuple(bid_problems))
    if bid_problems:
        return Guidance(3, f"Evaluating {n} bids, but some bids are not ready to score.",
                        bid_problems[0], tuple(bid_problems))
    waiting = _returns_awaited(t)
    if waiting:
        who = ", ".join(waiting)
        return Guidance(4, f"Evaluating {n} bids: waiting for the evaluators' returns ({who}).",
                        Action("Import the returns, or go on with a recorded reason", "scoring"),
                        tuple(Action(f"{w}: pack sent, return not yet merged", "scoring") for w in waiting))
    if unmarked:
        return Guidance(4, f"Evaluating {n} bids: {len(unmarked)} mark{'s' if len(unmarked) != 1 else ''} "
                           f"still to give.",
                        Action("Score the bids", "scoring", unmarked[0].target), tuple(unmarked + no_reason))
    if moderate:
        return Guidance(5, f"Every bid is marked; {len(moderate)} score{'s' if len(moderate) != 1 else ''} "
                           f"still to agree in moderation.",
                        Action("Moderate: agree the scores", "scoring", {**moderate[0].target, "mode": "moderate"}),
                        tuple(moderate + no_reason))
    if no_reason:
        return Guidance(5, "Scores are agreed, but some have no reason (the bidders' summaries quote them).",
                        no_reason[0], tuple(no_reason))
    return Guidance(6, "Every bid is scored and moderated. The results are final.",
                    Action("Check the results, then print the award papers", "results"), (), _to_write(t))


def _to_write(t: Tender) -> tuple[Action, ...]:
    """The committee report's unwritten sections, each pointing at the Reports page's committee report."""
    from svdesk.reports.readiness import committee_sections_to_write

    return tuple(Action(f"Committee report: write “{title}”", "reports", {"kind": "committee", "section": title})
                 for title in committee_sections_to_write(t))
