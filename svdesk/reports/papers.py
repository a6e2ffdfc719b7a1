"""The award papers, as one catalogue both faces loop over: ``svdesk report --kind`` and the app's Reports page.

A new paper is one :class:`Paper` here (plus its test): the CLI's choices, the help text, the app's list and
the README table follow. ReportLab is imported inside the renderers, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from svdesk.domain.tender import Tender
from svdesk.errors import SvdeskError
from svdesk.reports.options import ReportOptions

#: ``render(tender, options, supplier) -> PDF bytes``; ``supplier`` is the bidder (per-bidder papers) or the
#: only supplier to include (``None``: every supplier).
PaperRenderer = Callable[[Tender, ReportOptions, str | None], bytes]


@dataclass(frozen=True)
class Paper:
    """One kind of paper the officer can print.

    Attributes:
        key: the ``--kind`` value (and part of the suggested file name).
        name: its name in the officer's words.
        what: what it is for, in one sentence.
        render: the renderer.
        per_bidder: one paper per bidder (the supplier must be given).
        by_supplier: may be limited to one supplier (``--supplier``).
        aliases: other ``--kind`` values accepted for it on the command line.
        extension: the file it makes (``.pdf``; ``.docx`` for the Word committee report, saved, not printed).
    """

    key: str
    name: str
    what: str
    render: PaperRenderer
    per_bidder: bool = False
    by_supplier: bool = False
    aliases: tuple[str, ...] = ()
    extension: str = ".pdf"


def _award(t: Tender, options: ReportOptions, _supplier: str | None) -> bytes:
    from svdesk.domain.scoring import score_tender
    from svdesk.reports.award import render_award

    return render_award(t, score_tender(t), options)


def _moderation(t: Tender, options: ReportOptions, _supplier: str | None) -> bytes:
    from svdesk.domain.scoring import score_tender
    from svdesk.reports.award import render_moderation

    return render_moderation(t, score_tender(t), options)


def _committee(t: Tender, options: ReportOptions, _supplier: str | None) -> bytes:
    from svdesk.domain.scoring import score_tender
    from svdesk.reports.committee import render_committee

    return render_committee(t, score_tender(t), options)


def _committee_word(t: Tender, options: ReportOptions, _supplier: str | None) -> bytes:
    from svdesk.domain.scoring import score_tender
    from svdesk.reports.docx import render_committee_docx

    return render_committee_docx(t, score_tender(t), options)


def _assessment(t: Tender, options: ReportOptions, supplier: str | None) -> bytes:
    from svdesk.domain.scoring import score_tender
    from svdesk.reports.assessment import AssessmentSummary

    if supplier is None:
        raise SvdeskError("choose which bidder's summary to make")
    pdf: bytes = AssessmentSummary(t, score_tender(t), supplier, options).render()
    return pdf


def _checklist(t: Tender, options: ReportOptions, supplier: str | None) -> bytes:
    from svdesk.reports.negotiation import NegotiationChecklist

    pdf: bytes = NegotiationChecklist(t, options, supplier=supplier).render()
    return pdf


def _commitments(t: Tender, options: ReportOptions, supplier: str | None) -> bytes:
    from svdesk.reports.negotiation import CommitmentsSchedule

    pdf: bytes = CommitmentsSchedule(t, options, supplier=supplier).render()
    return pdf


def _conflicts(t: Tender, options: ReportOptions, _supplier: str | None) -> bytes:
    from svdesk.reports.panel import ConflictsRecord

    pdf: bytes = ConflictsRecord(t, options).render()
    return pdf


PAPERS: tuple[Paper, ...] = (
    Paper("award", "Award recommendation", "The committee paper: how the bids were evaluated, the ranking, the "
          "reasons, and the recommendation.", _award),
    Paper("committee", "Committee report", "The award as a council committee report: numbered paragraphs, the "
          "resolution, the implications, and the exempt appendix.", _committee),
    Paper("committee-word", "Committee report (Word)", "The same committee report as a Word document, to edit and "
          "file in the agenda pack.", _committee_word, extension=".docx"),
    Paper("assessment", "Assessment summary for a bidder", "What the Procurement Act 2023 requires each bidder to "
          "receive: their scores and reasons, and the winner's.", _assessment, per_bidder=True),
    Paper("checklist", "Negotiation checklist", "The asks to put to a supplier, to print and take into the "
          "meeting.", _checklist, by_supplier=True),
    Paper("commitments", "Agreed commitments schedule", "What the winning supplier agreed, for the contract.",
          _commitments, by_supplier=True, aliases=("schedule",)),
    Paper("moderation", "Moderation record", "Every evaluator's mark, the moderated mark and its reason, for the "
          "evaluation file (the award report's Appendix A, on its own; a long record is printed only here).",
          _moderation),
    Paper("conflicts", "Conflicts of interest record", "Every panel member's declaration of interest for this "
          "tender, with the bidders concerned and the mitigation (also an appendix of the award report).",
          _conflicts),
)


def paper(key: str) -> Paper:
    """The paper with this key or alias.

    Raises:
        KeyError: no such paper.
    """
    for p in PAPERS:
        if key == p.key or key in p.aliases:
            return p
    raise KeyError(key)
