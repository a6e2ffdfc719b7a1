"""The assessment summary for one bidder (Procurement Act 2023 s.50; Procurement Regulations 2024 reg. 31).

Each supplier that submitted an assessed tender gets its own summary: its name and address, the award criteria
and how they were scored, its score for each criterion with the explanation by reference to its tender, its
total, and, if it did not win, why not. A summary says nothing that identifies another bidder: it never
prints another supplier's name, price or score, nor the scoring warnings (which name suppliers). Where it
explains why a tender did not win, it compares it with "the most advantageous tender" criterion by criterion
in words (lower, the same, higher), without that tender's figures.

Printing is refused, with the list of what is missing (:class:`AssessmentIncompleteError`), until every
assessed criterion of every assessed tender has a moderated score and an explanation, and one tender is ranked
first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from reportlab.platypus import Flowable, NextPageTemplate, Paragraph

from svdesk.domain.money import format_gbp, format_points
from svdesk.domain.scoring import BidResult, Results
from svdesk.domain.tender import Bid, Criterion, CriterionKind, PriceMethod, Tender
from svdesk.reports.award import descriptors_for, how_scored, num
from svdesk.reports.base import Renderer, long_date, ordinal, text
from svdesk.reports.options import ReportOptions
from svdesk.reports.readiness import check_assessment_ready

_PRICE_EXPLAINED = {
    PriceMethod.LOWEST_PRICE: "the lowest price among the tenders scored received full marks and every other "
                              "price marks in proportion (lowest price ÷ your price × {w})",
    PriceMethod.DEVIATION_FROM_LOWEST: "the lowest price received full marks; marks fall by the percentage your "
                                       "price is above the lowest",
    PriceMethod.RELATIVE_TO_MEAN: "a price at the mean of the tendered prices received half the marks, with one "
                                  "percentage point more for each 1% below the mean (less for each 1% above)",
}


def safe_filename(name: str, limit: int = 60) -> str:
    """A file-name-safe version of a supplier name (ASCII letters, digits and dashes; may be empty)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")[:limit].strip("-")


class AssessmentSummary(Renderer):
    """One bidder's assessment summary.

    Args:
        tender: the tender.
        results: ``score_tender(tender)``.
        supplier: the bidder the summary is for (exactly as in the tender).
        options: authority, officer, date, marking, audit head, deterministic flag.

    Raises:
        AssessmentIncompleteError: (from :meth:`render`) a score, an explanation or the winner is missing.
        KeyError: no bid from ``supplier``.
    """

    kind = "Assessment summary"
    kind_id = "assessment"

    def __init__(self, tender: Tender, results: Results, supplier: str, options: ReportOptions) -> None:
        super().__init__(tender, options)
        self.results = results
        self.bid: Bid = next(b for b in tender.bids if b.supplier == supplier) if any(
            b.supplier == supplier for b in tender.bids) else _missing(supplier)
        self.result: BidResult = results.for_supplier(supplier)

    @property
    def title(self) -> str:
        """The PDF's title names the bidder it is addressed to (and no other)."""
        return f"{self.kind}: {self.tender.reference} {self.tender.title} — {self.bid.supplier}"

    def _fingerprint_extra(self) -> dict[str, Any]:
        return {"supplier": self.bid.supplier}

    def render(self) -> bytes:
        """The PDF, or :class:`AssessmentIncompleteError` listing what is missing."""
        check_assessment_ready(self.tender, self.results)
        return super().render()

    # ---- the story --------------------------------------------------------------------------------------

    @property
    def _winner(self) -> BidResult:
        return self.results.winners[0]

    @property
    def successful(self) -> bool:
        """This bidder's tender is the most advantageous tender."""
        return self._winner.supplier == self.bid.supplier

    def _story(self) -> list[Flowable]:
        t, o, b = self.tender, self.options, self.bid
        address = text(b.address).replace("\n", "<br/>") if b.address.strip() else "Not recorded"
        out: list[Flowable] = [
            NextPageTemplate("body"),          # page 1 carries the title block; later pages the running header
            self.p(text(o.authority), "DocAuthority"),
            self.p(self.kind, "DocTitle"),
            self.p("Given under section 50 of the Procurement Act 2023, with the information required by "
                   "regulation 31 of the Procurement Regulations 2024.", "Muted"),
            self.gap(2),
            self.facts([
                ("Supplier", f"<b>{text(b.supplier)}</b>"),
                ("Address", address),
                ("Contract", f"{text(t.title)} (reference {text(t.reference)})"),
                ("Date", long_date(o.report_date)),
            ]),
            self.gap(4),
        ]
        out += self._outcome()
        out += self._criteria()
        out += self._scores()
        if not self.successful:
            out += self._why_not()
        out += self._next_steps()
        return out

    def _outcome(self) -> list[Flowable]:
        out: list[Flowable] = [self.p("The outcome", "H1")]
        if self.successful:
            out.append(self.p(
                "<b>Your tender is the most advantageous tender.</b> The council intends to award the contract to "
                "you, subject to the standstill period described at the end of this summary.", "Recommendation"))
        else:
            out.append(self.p(
                "<b>Your tender was not successful.</b> The council intends to award the contract to the supplier "
                "that submitted the most advantageous tender. This summary explains how your tender was assessed "
                "and why it was not the most advantageous.", "Recommendation"))
        return out

    def _criteria(self) -> list[Flowable]:
        t = self.tender
        out: list[Flowable] = [self.p("The award criteria and how they were scored", "H1")]
        rows = [[text(c.name), Paragraph(num(c.weight), self.style["CellRight"]),
                 Paragraph(how_scored(c), self.style["Cell"])] for c in t.criteria]
        out += self.table(["Criterion", ("Weight (marks)", "right"), "How it was scored"], rows, [42, 18, 110])
        seen: set[tuple[Any, ...]] = set()
        for c in t.criteria:
            if not c.is_assessed:
                continue
            descs = descriptors_for(c)
            key = (c.scale_max, descs)
            if key in seen or not descs:
                continue
            seen.add(key)
            users = ", ".join(text(x.name) for x in t.criteria if x.is_assessed and (x.scale_max, descriptors_for(x))
                              == key)
            out.append(self.keep(
                self.p(f"Marking scale 0 to {num(c.scale_max)} ({users})", "H2"),
                *self.table(["Mark", "What the mark means"],
                            [[Paragraph(num(d.score), self.style["CellCentre"]), text(d.text)] for d in descs],
                            [14, 156]),
            ))
        out.append(self.p(
            f"The award criteria and assessment method are set out in full in the tender documents for "
            f"{text(t.reference)}.", "Small"))
        return out

    def _scores(self) -> list[Flowable]:
        t, r = self.tender, self.result
        out: list[Flowable] = [self.p("How your tender was scored", "H1")]
        rows: list[list[Flowable | str]] = []
        for c in t.criteria:
            mark, explanation = self._mark_and_reason(c)
            score = r.criteria.get(c.id)
            rows.append([
                Paragraph(f"<b>{text(c.name)}</b>", self.style["Cell"]),
                Paragraph(mark, self.style["CellCentre"]),
                Paragraph(f"{format_points(score)}\u00a0of\u00a0{num(c.weight)}" if score is not None
                          else "Not scored",
                          self.style["CellRight"]),
                Paragraph(explanation, self.style["Cell"]),
            ])
        total = f"<b>{format_points(r.total)}</b>\u00a0of\u00a0100" if r.ranked else "Not ranked"
        rows.append([Paragraph("<b>Total</b>", self.style["Cell"]), "", Paragraph(total, self.style["CellRight"]),
                     Paragraph(f"Ranked {ordinal(r.rank)} of {len([x for x in self.results.results if x.ranked])} "
                               f"ranked tenders." if r.rank is not None else "", self.style["Cell"])])
        header: list[str | tuple[str, str]] = ["Criterion", ("Your mark", "centre"), ("Score", "right"),
                                               "Why (by reference to your tender)"]
        out += self.table(header, rows, [36, 16, 20, 98])
        return out

    def _mark_and_reason(self, c: Criterion) -> tuple[str, str]:
        b, r = self.bid, self.result
        if c.kind is CriterionKind.PRICE:
            if b.price is None:
                return "—", "No price was tendered."
            if c.id not in r.criteria:
                return format_gbp(b.price), "Your price was not scored because your tender was excluded."
            how = _PRICE_EXPLAINED[c.price_method].format(w=num(c.weight))
            return format_gbp(b.price), f"Your tendered price was {format_gbp(b.price)}; {how}."
        if c.kind is CriterionKind.COMMITMENTS:
            value = b.commitments_value(c.scope)
            listed = "; ".join(text(x.description or x.measure) + f" ({format_gbp(x.value)})" for x in b.commitments)
            what = f" Your commitments: {listed}." if listed else " Your tender made no £-valued commitments."
            if c.id not in r.criteria:
                return format_gbp(value), f"Not scored because your tender was excluded.{what}"
            return (format_gbp(value),
                    f"Your commitments were valued at {format_gbp(value)}; the highest-valued commitments received "
                    f"full marks and others marks in proportion.{what}")
        score = b.scores.get(c.id)
        reason = b.explanations.get(c.id, "").strip()
        if score is None:
            return "—", "Not assessed."
        mark = f"{num(score)}\u00a0of\u00a0{num(c.scale_max)}"
        meaning = next((d.text for d in descriptors_for(c) if d.score == score), "")
        out = text(reason)
        if meaning:
            out += f" <font color='#5a5a5a'>(Mark {num(score)}: {text(meaning)}.)</font>"
        if c.threshold is not None and score < c.threshold:
            out += f" <b>This is below the minimum mark of {num(c.threshold)}, so the tender was excluded.</b>"
        return mark, out

    def _why_not(self) -> list[Flowable]:
        t, r, w = self.tender, self.result, self._winner
        out: list[Flowable] = [self.p("Why your tender was not the most advantageous", "H1")]
        if r.excluded or not r.ranked:
            out.append(self.p("Your tender could not be ranked, for the following reasons:"))
            out += self.bullets([text(x) for x in r.reasons])
            return out
        lower: list[str] = []
        same: list[str] = []
        higher: list[str] = []
        for c in t.criteria:
            mine, theirs = r.criteria.get(c.id), w.criteria.get(c.id)
            if mine is None or theirs is None:
                continue
            (lower if mine < theirs else higher if mine > theirs else same).append(text(c.name))
        out.append(self.p(
            f"Your tender was ranked {ordinal(r.rank or 0)}. The most advantageous tender had a higher total score. "
            f"Compared criterion by criterion with the most advantageous tender, your tender scored:"))
        items = []
        if lower:
            items.append(f"<b>lower</b> on {', '.join(lower)}")
        if same:
            items.append(f"<b>the same</b> on {', '.join(same)}")
        if higher:
            items.append(f"<b>higher</b> on {', '.join(higher)}")
        out += self.bullets(items)
        out.append(self.p("The explanations above say, criterion by criterion, what in your tender led to each mark "
                          "and, where the mark was not the highest available, what held it back.", "Small"))
        return out

    def _next_steps(self) -> list[Flowable]:
        o = self.options
        contact = f" Questions about this summary may be sent to {text(o.officer)}." if o.officer else ""
        return [
            self.p("What happens next", "H1"),
            self.p("The council will publish a contract award notice. The standstill period, of at least eight "
                   "working days, starts on the day that notice is published; the contract will not be entered "
                   f"into before it ends.{contact}"),
        ]


def _missing(supplier: str) -> Bid:
    raise KeyError(f"there is no bid from {supplier!r}")


def render_assessments(tender: Tender, results: Results, options: ReportOptions) -> dict[str, bytes]:
    """Every bidder's assessment summary, by supplier name.

    Raises:
        AssessmentIncompleteError: before anything is rendered, listing everything that is missing.
    """
    check_assessment_ready(tender, results)
    return {b.supplier: AssessmentSummary(tender, results, b.supplier, options).render() for b in tender.bids}


__all__: Sequence[str] = ["AssessmentSummary", "render_assessments", "safe_filename"]
