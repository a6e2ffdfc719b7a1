"""Whether the papers are ready, and if not, exactly what is missing.

Pure Python (no ReportLab): the UI calls :func:`assessment_gaps` to show the officer the list before they
try to print, and the renderer raises :class:`AssessmentIncompleteError` with the same list. For the committee
report, :func:`committee_gaps` lists what is still to be written or settled; printing is still allowed (an
unwritten section prints as "[to be completed: …]"), and the app's guide, its Reports page and
``svdesk report --kind committee`` all show the same list.
"""

from __future__ import annotations

from collections.abc import Sequence

from svdesk.domain.report_texts import unwritten
from svdesk.domain.scoring import FLAG_ZERO_PRICE, Results
from svdesk.domain.tender import CriterionKind, Tender, TieBreak
from svdesk.errors import SvdeskError


class AssessmentIncompleteError(SvdeskError):
    """Assessment summaries cannot be printed: a score or an explanation is missing, or there is no single
    most advantageous tender (none is ranked first, or two or more share first place).

    Attributes:
        missing: one plain-English line per missing item, e.g.
            ``"Acme Networks Ltd: no explanation for the Resilience and support score"``.
    """

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        count = len(self.missing)
        listed = "; ".join(self.missing)
        super().__init__(
            f"assessment summaries cannot be printed until {count} "
            f"{'thing is' if count == 1 else 'things are'} put right: {listed}"
        )


def assessment_gaps(tender: Tender, results: Results) -> tuple[str, ...]:
    """Everything that must be put right before any bidder's assessment summary is printed.

    The tender needs its notice (documents) reference, and every bid the supplier's email address and central
    digital platform identifier (Procurement Regulations 2024 reg. 31(2)(b)-(c)).

    Every bid that was assessed (all bids except those the officer excluded before scoring) needs a moderated
    (consensus) score and a written explanation for every assessed criterion; any score recorded for an
    excluded bid needs its explanation too. Prices must be resolved and exactly one tender must be ranked
    first: an unsuccessful bidder's summary must report the assessment of *the* most advantageous tender
    (Procurement Act 2023 s.50(4)(b); Procurement Regulations 2024 reg. 31(3)), so a tie for first place that the
    tender's tie-break did not settle blocks every summary.
    """
    gaps: list[str] = []
    if not tender.notice_id.strip():
        gaps.append(f"{tender.reference}: no tender notice or documents reference (notice_id): every summary must "
                    "name the tender documents it was assessed against")
    for bid in tender.bids:
        # reg. 31(2)(b)-(c): the supplier's email address and its unique identifier on the central digital
        # platform; an excluded supplier's exclusion notice is addressed the same way.
        if not bid.email.strip():
            gaps.append(f"{bid.supplier}: no email address")
        if not bid.cdp_id.strip():
            gaps.append(f"{bid.supplier}: no central digital platform identifier (PPON)")
    assessed = [c for c in tender.criteria if c.is_assessed]
    has_price = any(c.kind is CriterionKind.PRICE for c in tender.criteria)
    for bid in tender.bids:
        for c in assessed:
            score = bid.scores.get(c.id)
            reason = bid.explanations.get(c.id, "").strip()
            if score is None:
                if not bid.excluded:
                    gaps.append(f"{bid.supplier}: no moderated (consensus) score for {c.name}")
                continue
            if not reason:
                gaps.append(f"{bid.supplier}: no explanation for the {c.name} score")
        if has_price and not bid.excluded:
            if bid.price is None:
                gaps.append(f"{bid.supplier}: no price entered")
            elif FLAG_ZERO_PRICE in _flags(results, bid.supplier):
                gaps.append(f"{bid.supplier}: the £0 price is unresolved (correct it or exclude the bid)")
    winners = results.winners
    if not winners and not gaps:
        gaps.append("no tender is ranked first (every tender was excluded or could not be scored), so there is no "
                    "most advantageous tender to report against")
    elif len(winners) > 1:
        names = ", ".join(r.supplier for r in winners)
        how = ("set a tie-break for the tender or review the scores" if tender.tie_break is TieBreak.NONE
               else "the tie-break left them level, so review the scores")
        gaps.append(f"{_count(len(winners))} bids are tied for first place ({names}): break the tie before issuing "
                    f"assessment summaries ({how}), because each unsuccessful bidder's summary must describe the "
                    f"one most advantageous tender")
    return tuple(gaps)


def _count(n: int) -> str:
    words = ("Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten")
    return words[n - 2] if 2 <= n <= 10 else str(n)


def _flags(results: Results, supplier: str) -> tuple[str, ...]:
    try:
        return results.for_supplier(supplier).flags
    except KeyError:
        return ()


def check_assessment_ready(tender: Tender, results: Results) -> None:
    """Raise :class:`AssessmentIncompleteError` listing every gap, or return quietly when none."""
    gaps = assessment_gaps(tender, results)
    if gaps:
        raise AssessmentIncompleteError(gaps)


def committee_sections_to_write(tender: Tender) -> tuple[str, ...]:
    """The titles of the committee report's sections nobody has written yet (they print as "[to be completed:
    …]"), in the report's order."""
    return tuple(unwritten(tender.report))


def committee_gaps(tender: Tender, results: Results) -> tuple[str, ...]:
    """What is still to be written or settled before the committee report can go into an agenda pack."""
    gaps = [f"section not written: {title}" for title in committee_sections_to_write(tender)]
    if len(results.winners) != 1:
        gaps.append("no single tender is ranked first, so there is no recommendation (the report prints as a "
                    "DRAFT)")
    return tuple(gaps)
