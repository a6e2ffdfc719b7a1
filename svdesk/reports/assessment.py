"""The assessment summary for one bidder (Procurement Act 2023 s.50; Procurement Regulations 2024 reg. 31).

Section 50(4) defines an assessment summary as the authority's assessment of the tender and, if different, of
the most advantageous tender. So each supplier that submitted an assessed tender gets its own summary: its name
and address, the award criteria and how they were scored, its score for each criterion with the explanation by
reference to its tender, and its total (reg. 31(2)). An unsuccessful bidder's summary adds why its tender did
not win and the assessment of the most advantageous tender (reg. 31(3)): the winner's name, its score for each
criterion with the moderated explanation, and its total, followed by a plain criterion-by-criterion statement
(lower, the same, higher) of how the two compare.

Nothing else about another bidder is printed: not the winner's price, commitment values, address or private
notes, no evaluator-level marks or negotiation notes, and nothing at all about any other unsuccessful bidder
(nor the scoring warnings, which name suppliers).

Printing is refused, with the list of what is missing (:class:`AssessmentIncompleteError`), until every
assessed criterion of every assessed tender has a moderated score and an explanation, and exactly one tender
is ranked first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, NextPageTemplate

from svdesk.domain.money import format_gbp, format_points
from svdesk.domain.scoring import BidResult, Results
from svdesk.domain.tender import Bid, Criterion, CriterionKind, PriceMethod, Tender, TieBreak, descriptors_for
from svdesk.reports.award import how_scored, num
from svdesk.reports.base import Renderer, long_date, rank_words, text
from svdesk.reports.flow import Paragraph
from svdesk.reports.options import ReportOptions
from svdesk.reports.readiness import check_assessment_ready


def safe_filename(name: str, limit: int = 60) -> str:
    """A file-name-safe version of a supplier name (ASCII letters, digits and dashes; may be empty)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")[:limit].strip("-")


class AssessmentSummary(Renderer):
    """One bidder's assessment summary.

    The winner's summary reports its own assessment only. Every other bidder's summary also reports the
    assessment of the most advantageous tender (s.50(4)(b); reg. 31(3)(d)) and why its own tender did not win.

    Args:
        tender: the tender.
        results: ``score_tender(tender)``.
        supplier: the bidder the summary is for (exactly as in the tender).
        options: authority, officer, date, marking, audit head, deterministic flag.

    Raises:
        AssessmentIncompleteError: (from :meth:`render`) a score or an explanation is missing, or there is no
            single most advantageous tender (none ranked, or a tie for first place).
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
        """The PDF, or :class:`AssessmentIncompleteError` listing what is missing.

        A supplier the officer excluded did not submit an assessed tender, so it gets an exclusion notice
        (:class:`ExclusionNotice`) instead of an assessment summary.
        """
        check_assessment_ready(self.tender, self.results)
        if self.bid.excluded and type(self) is AssessmentSummary:
            return ExclusionNotice(self.tender, self.results, self.bid.supplier, self.options).render()
        return super().render()

    def _identity(self) -> list[tuple[str, str]]:
        """Who the paper is addressed to, as reg. 31(2)(b)-(c) requires: name, address, email, identifiers."""
        b = self.bid
        address = text(b.address).replace("\n", "<br/>") if b.address.strip() else "Not recorded"
        out = [
            ("Supplier", f"<b>{text(b.supplier)}</b>"),
            ("Address", address),
            ("Email address", text(b.email)),
            ("Central digital platform identifier", text(b.cdp_id)),
        ]
        if b.companies_house:
            out.append(("Companies House number", text(b.companies_house)))
        if b.charity_number:
            out.append(("Charity number", text(b.charity_number)))
        return out

    def _documents(self) -> str:
        t = self.tender
        return f"{text(t.title)} (reference {text(t.reference)}; tender notice and documents {text(t.notice_id)})"

    # ---- the story --------------------------------------------------------------------------------------

    @property
    def _winner(self) -> BidResult:
        return self.results.winners[0]

    @property
    def _winner_bid(self) -> Bid:
        return self.tender.bid(self._winner.supplier)

    @property
    def successful(self) -> bool:
        """This bidder's tender is the most advantageous tender."""
        return self._winner.supplier == self.bid.supplier

    def _story(self) -> list[Flowable]:
        o = self.options
        out: list[Flowable] = [
            NextPageTemplate("body"),          # page 1 carries the title block; later pages the running header
            *self.letterhead(),
            self.p(self.kind, "DocTitle"),
            self.p(self._statute(), "Muted"),
            self.gap(2),
            self.facts([*self._identity(), ("Contract", self._documents()), ("Date", long_date(o.report_date))],
                       label_width=58 * mm),
            self.gap(4),
        ]
        out += self._outcome()
        out += self._criteria()
        out += self._scores()
        if not self.successful:
            out += self._most_advantageous()
            out += self._why_not()
        out += self._next_steps()
        return out

    def _statute(self) -> str:
        if self.successful:
            return ("Given under section 50(3) of the Procurement Act 2023: the council's assessment of your tender "
                    "(section 50(4)), with the information required by regulation 31(2) of the Procurement "
                    "Regulations 2024.")
        return ("Given under section 50(3) of the Procurement Act 2023. As section 50(4) requires, it sets out the "
                "council's assessment of your tender and of the most advantageous tender, with the information "
                "required by regulation 31(3) of the Procurement Regulations 2024.")

    def _outcome(self) -> list[Flowable]:
        out: list[Flowable] = [self.p("The outcome", "H1")]
        if self.successful:
            out.append(self.p(
                "<b>Your tender is the most advantageous tender.</b> The council intends to award the contract to "
                "you, subject to the standstill period described at the end of this summary.", "Recommendation"))
        else:
            out.append(self.p(
                f"<b>Your tender was not successful.</b> The council intends to award the contract to "
                f"<b>{text(self._winner.supplier)}</b>, which submitted the most advantageous tender. This summary "
                f"explains how your tender was assessed, how the most advantageous tender was assessed, and why "
                f"yours was not the most advantageous.", "Recommendation"))
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
            f"{text(t.reference)} (tender notice and documents {text(t.notice_id)}).", "Small"))
        return out

    def _scores(self) -> list[Flowable]:
        r = self.result
        ranked = len([x for x in self.results.results if x.ranked])
        note = f"Ranked {rank_words(self.results, r)} of {ranked} ranked tenders." if r.rank is not None else ""
        return [self.p("How your tender was scored", "H1"),
                *self._score_table(r, self._mark_and_reason, "Your mark", "your tender", note)]

    def _most_advantageous(self) -> list[Flowable]:
        w = self._winner
        return [
            self.p("The most advantageous tender", "H1"),
            self.p(f"The most advantageous tender was submitted by <b>{text(w.supplier)}</b>. This is how the "
                   f"council assessed it against the same award criteria, with the agreed explanation for each "
                   f"score. Its price and the value of its commitments are not given."),
            *self._score_table(w, self._winner_mark_and_reason, "Its mark", "that tender",
                               "Ranked 1st: the most advantageous tender."),
        ]

    def _score_table(self, r: BidResult, reason: Callable[[Criterion], tuple[str, str]], mark_label: str,
                     whose: str, total_note: str) -> list[Flowable]:
        rows: list[list[Flowable | str]] = []
        for c in self.tender.criteria:
            mark, explanation = reason(c)
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
                     Paragraph(total_note, self.style["Cell"])])
        header: list[str | tuple[str, str]] = ["Criterion", (mark_label, "centre"), ("Score", "right"),
                                               f"Why (by reference to {whose})"]
        return self.table(header, rows, [36, 16, 20, 98])

    def _mark_and_reason(self, c: Criterion) -> tuple[str, str]:
        b, r = self.bid, self.result
        if c.kind is CriterionKind.PRICE:
            if b.price is None:
                return "—", "No price was tendered."
            if c.id not in r.criteria:
                return format_gbp(b.price), "Your price was not scored because your tender was excluded."
            how = c.price_method.explained.format(w=num(c.weight))
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
        return _assessed_mark_and_reason(c, b)

    def _winner_mark_and_reason(self, c: Criterion) -> tuple[str, str]:
        """The most advantageous tender's mark and why, without its price, commitment values or anything private.

        Price and commitments are explained by where the tender stood (lowest, above the lowest, …), which its
        score already shows; assessed criteria quote the moderated (consensus) explanation.
        """
        score = self._winner.criteria.get(c.id)
        if c.kind is CriterionKind.PRICE:
            if score is None:
                return "—", "Not scored."
            return "—", _winner_price_reason(c, score)
        if c.kind is CriterionKind.COMMITMENTS:
            if score is None:
                return "—", "Not scored."
            if score == c.weight and score > 0:
                return "—", "Its commitments had the highest value of the tenders scored, so they received full marks."
            if score == 0:
                return "—", "It made no £-valued commitments that counted for this criterion, so it received no marks."
            return "—", ("Its commitments were valued below the highest of the tenders scored, so they received marks "
                         "in proportion.")
        return _assessed_mark_and_reason(c, self._winner_bid)

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
        if r.total == w.total:
            how = "higher quality score" if t.tie_break is TieBreak.QUALITY else "lower price"
            standing = (f"It had the same total score as the most advantageous tender ({format_points(w.total)}); the "
                        f"tie was broken in that tender's favour by its {how}.")
        else:
            standing = (f"It scored {format_points(r.total)} out of 100, against {format_points(w.total)} for the "
                        f"most advantageous tender.")
        out.append(self.p(
            f"Your tender was ranked {rank_words(self.results, r)}. {standing} Compared criterion by criterion with "
            f"the "
            f"most advantageous tender, your tender scored:"))
        items = []
        if lower:
            items.append(f"<b>lower</b> on {', '.join(lower)}")
        if same:
            items.append(f"<b>the same</b> on {', '.join(same)}")
        if higher:
            items.append(f"<b>higher</b> on {', '.join(higher)}")
        out += self.bullets(items)
        out.append(self.p("The explanations above say, criterion by criterion, what in each tender led to its mark "
                          "and, where your mark was not the highest available, what held it back.", "Small"))
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


class ExclusionNotice(AssessmentSummary):
    """The notice for a supplier the officer excluded: the ground and the recorded reason, and nothing else.

    An excluded supplier's tender is not an assessed tender, so section 50 of the Procurement Act 2023 (the
    assessment summary) does not apply to it: it gets no scores, and nothing about the most advantageous tender.
    """

    kind = "Exclusion notice"
    kind_id = "exclusion"

    def _story(self) -> list[Flowable]:
        o, b = self.options, self.bid
        contact = f" Questions about this notice may be sent to {text(o.officer)}." if o.officer else ""
        return [
            NextPageTemplate("body"),
            *self.letterhead(),
            self.p(self.kind, "DocTitle"),
            self.p("Your tender was excluded from the procurement before it was assessed. An excluded supplier's "
                   "tender is not an assessed tender, so this is not an assessment summary under section 50 of "
                   "the Procurement Act 2023: it records why your tender was excluded.", "Muted"),
            self.gap(2),
            self.facts([*self._identity(), ("Contract", self._documents()), ("Date", long_date(o.report_date))],
                       label_width=58 * mm),
            self.gap(4),
            self.p("The ground and the reason recorded", "H1"),
            self.p("The council recorded the following ground and reason for excluding your tender:"),
            self.p(text(b.exclusion_reason).replace("\n", "<br/>"), "Recommendation"),
            self.p("Your tender was therefore not scored against the award criteria, and it was not compared with "
                   "any other tender.", "Small"),
            self.p("What happens next", "H1"),
            self.p("If you believe the exclusion was wrong, you may write to the council before the contract is "
                   f"entered into; the standstill period is described in the contract award notice.{contact}"),
        ]


def _assessed_mark_and_reason(c: Criterion, b: Bid) -> tuple[str, str]:
    """A bid's mark on the scale for an assessed criterion, with the moderated explanation and the descriptor."""
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


def _winner_price_reason(c: Criterion, score: Decimal) -> str:
    """Why the most advantageous tender got its price score, in words that do not give its price."""
    w = num(c.weight)
    if c.price_method is PriceMethod.RELATIVE_TO_MEAN:
        half = c.weight / 2
        if score == half:
            return "Its price was at the mean of the tendered prices, so it received half the marks."
        where, more = ("below", "more") if score > half else ("above", "fewer")
        return (f"Its price was {where} the mean of the tendered prices, so it received {more} than half the marks "
                f"(one percentage point for each 1% {where} the mean).")
    if score == c.weight:
        return "Its price was the lowest of the tenders scored, so it received full marks."
    if c.price_method is PriceMethod.LOWEST_PRICE:
        return (f"Its price was above the lowest of the tenders scored, so it received marks in proportion "
                f"(lowest price ÷ its price × {w}).")
    return ("Its price was above the lowest of the tenders scored; its marks fell by the percentage its price was "
            "above the lowest.")


def _missing(supplier: str) -> Bid:
    raise KeyError(f"there is no bid from {supplier!r}")


def render_assessments(tender: Tender, results: Results, options: ReportOptions) -> dict[str, bytes]:
    """Every bidder's assessment summary, by supplier name.

    Raises:
        AssessmentIncompleteError: before anything is rendered, listing everything that is missing.
    """
    check_assessment_ready(tender, results)
    return {b.supplier: AssessmentSummary(tender, results, b.supplier, options).render() for b in tender.bids}


__all__: Sequence[str] = ["AssessmentSummary", "ExclusionNotice", "rank_words", "render_assessments", "safe_filename"]
