"""The award recommendation report: the committee paper that recommends who wins and shows why.

Sections, in the order a councillor reads them: cover; recommendation and summary; how tenders were evaluated;
results (table and chart); sensitivity to the price formula; social value; who bid (SME and VCSE
participation); citizen benefits negotiated; moderation record; decision and sign-off. Every bidder's name,
score, rank, weight and reason comes from :class:`~svdesk.domain.scoring.Results`; nothing is recomputed here
except sums of commitments for display. Private notes are never read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreak, Table

from svdesk.domain.money import format_gbp, format_points
from svdesk.domain.negotiation import commitments_schedule, supplier_totals, tender_totals
from svdesk.domain.scoring import (
    FLAG_INCOMPLETE,
    FLAG_LOW,
    FLAG_PROVISIONAL,
    FLAG_SPREAD,
    FLAG_TIE,
    FLAG_ZERO_PRICE,
    BidResult,
    Results,
)
from svdesk.domain.tender import (
    KEY_DATES,
    Bid,
    CommitmentScope,
    Criterion,
    CriterionKind,
    Tender,
    descriptors_for,
)
from svdesk.domain.values import Commitment, Locality, Theme
from svdesk.reports import styles
from svdesk.reports.base import Cell, Num, Renderer, long_date, name_cell, plural, rank_words, text
from svdesk.reports.flow import Paragraph
from svdesk.reports.options import SCHEDULE_12A, ReportOptions
from svdesk.reports.panel import conflicts_section

#: How each flag reads in the results table, and what it means (the legend under the table).
FLAG_LABELS: dict[str, tuple[str, str]] = {
    FLAG_TIE: ("Tied", "the total is equal to another tender's total"),
    FLAG_PROVISIONAL: ("Provisional", "no moderated score yet for a criterion: the evaluators' average is used"),
    FLAG_SPREAD: ("Marks differ", "the evaluators' marks differed by more than 40% of the scale"),
    FLAG_LOW: ("Abnormally low", "the price is more than 15% below the average of the other prices "
                                 "(excluding the highest): the supplier must be asked to explain it"),
    FLAG_ZERO_PRICE: ("£0 price", "a nil price cannot be scored by the price formula until it is resolved"),
    FLAG_INCOMPLETE: ("Incomplete", "a score or the price is missing, so the tender cannot be ranked yet"),
}

#: More criteria than this and the results table shows totals only; scores by criterion follow under codes.
WIDE_CRITERIA = 6
#: Criterion columns in one table of scores by criterion.
CODES_PER_TABLE = 10
#: The award report prints the whole moderation record up to this many marks (a 100-bid × 12-criterion tender
#: has 1,200); a longer record is its own paper (:class:`ModerationRecord`) and the report lists the marks on
#: which the evaluators differed widely, at most this many. Keeps the report of the largest allowed tender
#: (500 bids × 60 criteria: 30,000 marks, 1,500 pages) readable and within seconds (``./run-bench``).
MODERATION_ROWS_IN_REPORT = 1_200


def num(value: Decimal) -> str:
    """A weight or mark without trailing zeros: ``40``, ``12.5``."""
    return f"{value.normalize():f}"


def how_scored(c: Criterion) -> str:
    """How one criterion is scored, in words (markup)."""
    w = num(c.weight)
    if c.kind is CriterionKind.PRICE:
        return (f"{c.price_method.formula.capitalize()}. The lowest price is taken among tenders still in "
                f"the running; a £0 price is never scored.")
    if c.kind is CriterionKind.COMMITMENTS:
        scope = " Only commitments whose benefit lands locally count." if c.scope is CommitmentScope.LOCAL else ""
        return ("Commitments are valued in £ (quantity × unit value); the highest value gets full marks and the "
                f"others in proportion: score = {w} × value ÷ highest value.{scope}")
    out = f"Marked 0 to {num(c.scale_max)} against the descriptors; score = mark ÷ {num(c.scale_max)} × {w}."
    if c.threshold is not None:
        out += f" A mark below {num(c.threshold)} excludes the tender."
    return out


def locality_label(c: Commitment) -> str:
    """Local, or wider (regional, national or not stated)."""
    return "Local" if c.locality is Locality.LOCAL else "Wider"


class AwardReport(Renderer):
    """The award recommendation report for a committee (or a delegated decision).

    Args:
        tender: the tender, with its bids and checklist.
        results: ``score_tender(tender)``.
        options: authority, officer, date, exempt marking, audit head, deterministic flag.
    """

    kind = "Award recommendation report"
    kind_id = "award"

    def __init__(self, tender: Tender, results: Results, options: ReportOptions) -> None:
        super().__init__(tender, options)
        self.results = results
        self._bids = {b.supplier: b for b in tender.bids}
        self._rank_counts: Counter[int] | None = None

    def _fingerprint_extra(self) -> dict[str, Any]:
        return {}

    # ---- helpers ----------------------------------------------------------------------------------------

    def bid(self, r: BidResult) -> Bid:
        """The bid behind a result."""
        return self._bids[r.supplier]

    @property
    def ranked(self) -> list[BidResult]:
        """Results with a rank, best first."""
        return [r for r in self.results.results if r.ranked]

    @property
    def unranked(self) -> list[BidResult]:
        """Results without a rank (excluded or not yet scorable)."""
        return [r for r in self.results.results if not r.ranked]

    @property
    def winner(self) -> BidResult | None:
        """The single tender ranked first, or ``None`` (no ranked tender, or a tie for first place)."""
        w = self.results.winners
        return w[0] if len(w) == 1 else None

    @property
    def draft(self) -> str:
        """A paper with no single first-ranked tender is a draft: there is nothing to recommend yet."""
        if self.winner is not None:
            return ""
        return "no tender is ranked first, so nothing can be recommended yet"

    def _negotiated(self, bid: Bid) -> list[Commitment]:
        return [c for c in bid.commitments if c.from_ask]

    # ---- the story --------------------------------------------------------------------------------------

    def _story(self) -> list[Flowable]:
        story: list[Flowable] = []
        story += self._cover()
        story += [NextPageTemplate("body"), PageBreak()]
        story += self._recommendation()
        story += self._method()
        story += self._results_section()
        story += self._sensitivity()
        story += self._social_value()
        story += self._participation()
        story += self._citizen_benefits()
        story += self._sign_off()
        story += self._moderation()        # long detail: an appendix after the decision
        story += conflicts_section(self, "Appendix B. Conflicts of interest record")
        return story

    def _cover(self) -> list[Flowable]:
        t, o = self.tender, self.options
        out: list[Flowable] = [self.gap(18)]
        if o.marking:
            box = Table([[self.p(text(o.marking), "Marking")],
                         [self.p(text(SCHEDULE_12A[o.exempt_paragraph or 3]), "Small")]],
                        colWidths=[self.frame_width])
            box.setStyle(styles.table_style([("BOX", (0, 0), (-1, -1), 1.2, styles.MARKING),
                                     ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
            out += [box, self.gap(10)]
        out += [
            *self.letterhead("CoverAuthority"),
            self.p(self.kind, "CoverKind"),
            self.p(text(t.title), "CoverTitle"),
            self.p(f"Tender reference {text(t.reference)}", "CoverRef"),
        ]
        facts = [
            ("Date of report", long_date(o.report_date)),
            ("Report author", text(o.officer) if o.officer else "—"),
            ("Contract value", self._value_text()),
            ("Tenders received", str(len(t.bids))),
            ("Status", text(t.status.label)),
        ]
        for key, label in KEY_DATES.items():
            if key in t.key_dates and key in ("bids_due", "award_decision", "contract_start"):
                facts.append((label, long_date(t.key_dates[key])))
        out.append(self.facts(facts))
        if t.description:
            out += [self.gap(6), self.p(text(t.description), "Muted")]
        return out

    def _value_text(self) -> str:
        t = self.tender
        if t.annual_value is None:
            return "Not stated"
        years = plural(t.term_years, "year")
        ext = f" plus up to {plural(t.extension_years, 'year')} extension" if t.extension_years else ""
        whole = t.whole_life_value
        total = f"; up to {format_gbp(whole)} over the whole term" if whole is not None else ""
        return f"{format_gbp(t.annual_value)} a year for {years}{ext}{total}"

    def _recommendation(self) -> list[Flowable]:
        out: list[Flowable] = [self.p("1. Recommendation", "H1")]
        w = self.winner
        n_ranked = len(self.ranked)
        if w is None:
            tied = self.results.winners
            if tied:
                names = ", ".join(text(r.supplier) for r in tied)
                out.append(self.p(
                    f"<b>No recommendation can be made yet.</b> {names} are tied for first place with "
                    f"{format_points(tied[0].total)} points. Resolve the tie (using the tie-break set out in the "
                    f"tender documents) before the committee decides.", "Recommendation"))
            else:
                out.append(self.p(
                    "<b>No recommendation can be made yet.</b> No tender can be ranked: see section 3 for what "
                    "is missing or why tenders were excluded.", "Recommendation"))
        else:
            bid = self.bid(w)
            out.append(self.p(
                f"That the contract for <b>{text(self.tender.title)}</b> (reference {text(self.tender.reference)}) "
                f"is awarded to <b>{text(w.supplier)}</b>, whose tender is the most advantageous: it scored "
                f"<b>{format_points(w.total)}</b> out of 100 and was ranked first of "
                f"{plural(n_ranked, 'ranked tender')}.", "Recommendation"))
            out += [self.p("Summary", "H2"), self.facts(self._summary_facts(w, bid))]
        notes = self._points_to_note()
        if notes:
            out += [self.gap(3), self.note_box("Points for the committee to note", notes)]
        return out

    def _summary_facts(self, w: BidResult, bid: Bid) -> list[tuple[str, str]]:
        second = next((r for r in self.ranked if r.rank is not None and r.rank > 1), None)
        margin = (f"{format_points(w.total - second.total)} points ahead of the tender ranked "
                  f"{rank_words(self.results, second)}" if second else "the only ranked tender")
        sv_scores = [
            f"{text(c.name)}: {num(w.raw[c.id])} of {num(c.scale_max)}"
            for c in self.tender.criteria
            if c.kind is CriterionKind.SOCIAL_VALUE and c.id in w.raw
        ]
        local = sum((c.value for c in bid.commitments if c.locality is Locality.LOCAL), Decimal(0))
        secured = f"{format_gbp(bid.commitments_value())} of commitments ({format_gbp(local)} landing locally)"
        if sv_scores:
            secured += "; quality of approach: " + "; ".join(sv_scores)
        benefits = self._benefits_text(w.supplier)
        who = [x for x, flag in (("SME", bid.sme), ("VCSE", bid.vcse)) if flag]
        return [
            ("Recommended supplier", f"<b>{text(w.supplier)}</b>" + (f" ({', '.join(who)})" if who else "")),
            ("Total score", f"{format_points(w.total)} out of 100, {margin}"),
            ("Tendered price", format_gbp(w.price)),
            ("Social value secured", secured),
            ("Citizen benefits negotiated", benefits),
            ("Cost to the council of those benefits", self._benefit_cost_text()),
        ]

    def _benefits_text(self, supplier: str) -> str:
        """The negotiated benefits of one supplier in a sentence (from the checklist, else from commitments)."""
        t = self.tender
        if t.checklist.items:
            tot = supplier_totals(t, supplier)
            if not tot.put:
                return "No asks were put to this supplier"
            out = (f"{tot.agreed} of the {plural(tot.put, 'ask')} put to them agreed, worth "
                   f"{format_gbp(tot.value_per_year)} a year to residents ({format_gbp(tot.value_over_term)} over "
                   f"{plural(t.term_years, 'year')})")
            if tot.beneficiaries:
                out += f", reaching {tot.beneficiaries:,} residents"
            if tot.unvalued:
                out += f"; {tot.unvalued} agreed {'benefit is' if tot.unvalued == 1 else 'benefits are'} not valued yet"
            return out
        negotiated = self._negotiated(self._bids[supplier])
        if negotiated:
            return (f"{plural(len(negotiated), 'benefit')} agreed, worth "
                    f"{format_gbp(sum((c.value for c in negotiated), Decimal(0)))} to residents")
        return "None recorded (no negotiation checklist for this tender)"

    def _benefit_cost_text(self) -> str:
        w = self.winner
        if w is None or not self.tender.checklist.items:
            return "Not recorded (no negotiation checklist for this tender)"
        tot = supplier_totals(self.tender, w.supplier)
        if not tot.agreed:
            return "Nothing (no benefits agreed)"
        if tot.cost_per_year == 0:
            return "£0.00: the supplier bears the whole cost of the agreed benefits"
        return f"{format_gbp(tot.cost_per_year)} a year ({format_gbp(tot.cost_over_term)} over the term)"

    def _points_to_note(self) -> list[str]:
        return [text(w) for w in self.results.warnings]

    # ---- method -----------------------------------------------------------------------------------------

    def _method(self) -> list[Flowable]:
        t = self.tender
        out: list[Flowable] = [
            CondPageBreak(60),
            self.p("2. How the tenders were evaluated", "H1"),
            self.p("Tenders were evaluated against the published award criteria below. Each criterion's weight is "
                   "its share of the 100 marks available."),
        ]
        rows = [[text(c.name), text(c.kind.label), Paragraph(num(c.weight), self.style["CellRight"]),
                 Paragraph(how_scored(c), self.style["Cell"])] for c in t.criteria]
        rows.append([Paragraph("<b>Total</b>", self.style["Cell"]), "",
                     Paragraph(f"<b>{num(t.weight_total)}</b>", self.style["CellRight"]), ""])
        out += self.table(["Criterion", "Kind", ("Weight", "right"), "How it is scored"], rows, [40, 30, 14, 90])
        # Scales: criteria sharing the same descriptors share one table.
        groups: dict[tuple[Any, ...], list[Criterion]] = defaultdict(list)
        for c in t.criteria:
            if c.is_assessed:
                groups[(c.scale_max, descriptors_for(c))].append(c)
        for (scale, descs), members in groups.items():
            names = ", ".join(text(c.name) for c in members)
            out.append(self.keep(
                self.p(f"Marking scale 0 to {num(scale)}", "H2"),
                self.p(f"Used for: {names}.", "Small"),
                *(self.table(["Mark", "What the mark means"],
                             [[Paragraph(num(d.score), self.style["CellCentre"]), text(d.text)] for d in descs],
                             [14, 160]) if descs else [self.p("No descriptors were set for this scale.", "Small")]),
            ))
        thresholds = [c for c in t.criteria if c.threshold is not None]
        if thresholds:
            items = [f"{text(c.name)}: a mark below {num(c.threshold or Decimal(0))} of {num(c.scale_max)} "
                     f"excludes the tender" for c in thresholds]
            out += [self.p("Minimum marks", "H2"), *self.bullets(items)]
        out.append(self.p(
            "Moderation: each assessed criterion was marked by the evaluators separately, then a moderated "
            "(consensus) mark was agreed with a written reason; that mark counts. Totals are exact and shown "
            "rounded to two decimal places.", "Small"))
        return out

    # ---- results ----------------------------------------------------------------------------------------

    def _results_section(self) -> list[Flowable]:
        t = self.tender
        out: list[Flowable] = [CondPageBreak(80), self.p("3. Results", "H1")]
        n = len(t.bids)
        out.append(self.p(
            f"{plural(n, 'tender was', 'tenders were')} received; {len(self.ranked)} ranked and "
            f"{len(self.unranked)} not ranked. Scores are weighted points; the total is out of 100."))
        coded = len(t.criteria) > WIDE_CRITERIA
        header: list[str | tuple[str, str]] = ["Rank", "Supplier"]
        if not coded:
            header += [(f"{c.name}\n({num(c.weight)})", "right") for c in t.criteria]
        header += [("Total", "right"), ("Price", "right"), "Notes"]
        widths = [11, 50] + ([] if coded else [15] * len(t.criteria)) + [14, 22, 20]
        rows: list[list[Cell]] = []
        backgrounds: list[Any] = []
        flags_seen: set[str] = set()
        winner = self.winner
        for r in self.results.results:
            cell = "CellMuted" if not r.ranked else "Cell"
            notes = [FLAG_LABELS.get(f, (f, ""))[0] for f in r.flags]
            flags_seen.update(r.flags)
            if r.excluded:
                notes.insert(0, "Excluded")
            elif not r.ranked:
                notes.insert(0, "Not ranked")
            row = self._rank_and_name(r)
            muted = not r.ranked
            if not coded:
                row += [Num(format_points(r.criteria[c.id]) if c.id in r.criteria else "—", muted=muted)
                        for c in t.criteria]
            row += [
                Num(format_points(r.total), bold=True) if r.ranked else Num("—", muted=muted),
                Num(format_gbp(r.price), muted=muted),
                Paragraph(text(", ".join(notes)), self.style[cell]),
            ]
            rows.append(row)
            backgrounds.append(styles.WINNER_BG if winner is r else None)
        out += self.table(header, rows, widths, backgrounds=backgrounds)
        legend = [f"<b>{FLAG_LABELS[f][0]}</b>: {FLAG_LABELS[f][1]}" for f in FLAG_LABELS if f in flags_seen]
        if legend:
            out += [self.gap(1.5), self.p("Notes: " + "; ".join(legend) + ".", "Muted")]
        if self.unranked:
            rows2: list[list[Flowable | str]] = [
                [text(r.supplier), Paragraph("<br/>".join(text(x) for x in r.reasons) or "—", self.style["Cell"])]
                for r in self.unranked
            ]
            out += [self.p("Tenders not ranked, and why", "H2"),
                    *self.table(["Supplier", "Reason"], rows2, [50, 124])]
        if coded:
            out += self._scores_by_criterion()
        if self.ranked:
            from svdesk.reports.charts import MAX_BARS, score_chart

            caption = "Figure 1: weighted scores of the ranked tenders, by criterion"
            if len(self.ranked) > MAX_BARS:
                caption += f" (the first {MAX_BARS} of {len(self.ranked)}; the table above has them all)"
            out += [CondPageBreak(120), self.p(caption, "H2"),
                    score_chart(t, self.results, self.frame_width)]
        return out

    def code(self, c: Criterion) -> str:
        """The criterion's short code in wide tables: ``C1`` … ``C30`` in the tender's order."""
        return f"C{[x.id for x in self.tender.criteria].index(c.id) + 1}"

    def _rank_and_name(self, r: BidResult) -> list[Cell]:
        if self._rank_counts is None:
            self._rank_counts = Counter(x.rank for x in self.results.results if x.rank is not None)
        joint = r.rank is not None and self._rank_counts[r.rank] > 1
        rank = "–" if r.rank is None else f"joint\u00a0{r.rank}" if joint else str(r.rank)
        return [Num(rank, "centre", muted=not r.ranked),
                name_cell(r.supplier, bold=self.winner is r, muted=not r.ranked)]

    @property
    def _h3_loose(self) -> Any:
        from reportlab.lib.styles import ParagraphStyle

        return ParagraphStyle("H3", parent=self.style["H3"], keepWithNext=0)

    def _scores_by_criterion(self) -> list[Flowable]:
        """Weighted scores per criterion, under criterion codes with a key, a few criteria to a table."""
        t = self.tender
        key = [[Paragraph(f"<b>{self.code(c)}</b>", self.style["Cell"]), text(f"{c.name} ({num(c.weight)})"),
                text(c.kind.label)] for c in t.criteria]
        out: list[Flowable] = [
            self.p("Scores by criterion", "H2"),
            self.p(f"With {len(t.criteria)} criteria the scores are shown under short codes, "
                   f"{CODES_PER_TABLE} criteria to a table; the key below gives each code's criterion and weight.",
                   "Small"),
            *self.table(["Code", "Criterion (weight)", "Kind"], key, [12, 126, 32]),
        ]
        crit = list(t.criteria)
        for g in range(0, len(crit), CODES_PER_TABLE):
            part = crit[g:g + CODES_PER_TABLE]
            header: list[str | tuple[str, str]] = ["Rank", "Supplier"]
            header += [(f"{self.code(c)}\n({num(c.weight)})", "right") for c in part]
            rows: list[list[Cell]] = []
            for r in self.results.results:
                rows.append([*self._rank_and_name(r), *(
                    Num(format_points(r.criteria[c.id]) if c.id in r.criteria else "—", muted=not r.ranked)
                    for c in part)])
            # Not kept with the whole table (a long one would leave the rest of the page blank): the heading
            # starts a page only when less than a few rows' room is left.
            out += [self.gap(2), CondPageBreak(90),
                    Paragraph(f"Criteria {self.code(part[0])} to {self.code(part[-1])}", self._h3_loose),
                    *self.table(header, rows, [11, 48] + [12] * len(part))]
        return out

    def _sensitivity(self) -> list[Flowable]:
        comp = self.results.comparison
        if not comp or self.winner is None:       # a comparison of winners needs one
            return []
        price = next((c for c in self.tender.criteria if c.kind is CriterionKind.PRICE), None)
        used = price.price_method if price else None
        out: list[Flowable] = [CondPageBreak(60), self.p("4. Sensitivity to the price formula", "H1")]
        current = self.results.winners
        current_names = {r.supplier for r in current}
        changed = [m for m in comp if m.winner and set(m.winner) != current_names]
        if changed and current:
            items = [
                f"Under the “{text(m.method.label)}” formula the first-ranked tender would be "
                f"<b>{text(', '.join(m.winner))}</b> instead of {text(', '.join(r.supplier for r in current))}."
                for m in changed
            ]
            out += [self.note_box("The winner depends on the price formula", items), self.gap(2),
                    self.p("The formula was fixed in the tender documents and cannot be changed after tenders "
                           "were opened; this is shown so the committee knows how close the result is.", "Small")]
        else:
            out.append(self.p("The same tender ranks first under every price formula svdesk knows, so the "
                              "recommendation does not depend on the choice of formula."))
        rows: list[list[Flowable | str]] = []
        for m in comp:
            top = [(s, total) for s, rank, total in m.ranking if rank == 1]
            label = text(m.method.label) + (" <b>(used)</b>" if m.method is used else "")
            rows.append([Paragraph(label, self.style["Cell"]),
                         text(", ".join(s for s, _ in top) or "—"),
                         Paragraph(format_points(top[0][1]) if top else "—", self.style["CellRight"])])
        out += self.table(["Price formula", "Ranked first", ("Total", "right")], rows, [80, 70, 20])
        if self.results.local_only_changes_ranking:
            who = ", ".join(self.results.local_only_winner)
            extra = f" (ranked first: {text(who)})" if who else ""
            out += [self.gap(2), self.note_box("Counting only local commitments", [
                f"If only commitments whose benefit lands locally were counted, the ranking would change{extra}. "
                "Suppliers based further away, often small firms and charities, can offer real social value "
                "that a local-only rule would not see."])]
        return out

    # ---- social value -----------------------------------------------------------------------------------

    def _social_value(self) -> list[Flowable]:
        t = self.tender
        out: list[Flowable] = [CondPageBreak(80), self.p("5. Social value", "H1")]
        out.append(self.p(
            "Social value is scored two ways: the quality of each supplier's approach (marked like quality), and "
            "the commitments they put a £ value on. “Local” commitments benefit the district; “wider” ones are "
            "regional, national or not placed."))
        w = self.winner
        if w is not None:
            bid = self.bid(w)
            out.append(self.p(f"What the recommended supplier offers ({text(w.supplier)})", "H2"))
            qual = [c for c in t.criteria if c.kind is CriterionKind.SOCIAL_VALUE]
            for c in qual:
                if c.id in w.raw:
                    reason = bid.explanations.get(c.id, "")
                    out.append(self.p(f"<b>{text(c.name)}</b>: marked {num(w.raw[c.id])} of {num(c.scale_max)}."
                                      + (f" {text(reason)}" if reason else "")))
            if bid.commitments:
                by_theme: dict[Theme | None, list[Commitment]] = defaultdict(list)
                for cm in bid.commitments:
                    by_theme[cm.theme].append(cm)
                rows: list[list[Flowable | str]] = []
                order = [*Theme, None]
                for theme in order:
                    for cm in by_theme.get(theme, []):
                        rows.append([text(theme.label if theme else "Not themed"),
                                     text(cm.description or cm.measure), locality_label(cm),
                                     Paragraph(format_gbp(cm.value), self.style["CellRight"])])
                local = sum((c.value for c in bid.commitments if c.locality is Locality.LOCAL), Decimal(0))
                total = bid.commitments_value()
                rows.append([Paragraph("<b>Total</b>", self.style["Cell"]),
                             Paragraph(f"local {format_gbp(local)}; wider {format_gbp(total - local)}",
                                       self.style["Cell"]), "",
                             Paragraph(f"<b>{format_gbp(total)}</b>", self.style["CellRight"])])
                out += self.table(["Theme", "Commitment", "Where", ("Value", "right")], rows, [48, 80, 16, 26])
            else:
                out.append(self.p("The recommended supplier made no £-valued commitments.", "Small"))
        # Every tender, side by side.
        qual = [c for c in t.criteria if c.kind is CriterionKind.SOCIAL_VALUE]
        out.append(self.p("Social value offered in every tender", "H2"))
        header: list[str | tuple[str, str]] = ["Supplier"]
        header += [(f"{c.name}\n(mark of {num(c.scale_max)})", "right") for c in qual]
        header += [("Commitments", "right"), ("Local", "right"), ("Wider", "right"), "Main themes"]
        rows2: list[list[Cell]] = []
        for r in self.results.results:
            bid = self.bid(r)
            local = sum((c.value for c in bid.commitments if c.locality is Locality.LOCAL), Decimal(0))
            total = bid.commitments_value()
            themes = sorted({c.theme.label for c in bid.commitments if c.theme}, key=str)
            row: list[Cell] = [name_cell(r.supplier)]
            row += [Num(num(r.raw[c.id]) if c.id in r.raw else "—") for c in qual]
            row += [Num(format_gbp(total)), Num(format_gbp(local)), Num(format_gbp(total - local)),
                    text("; ".join(themes) or "—")]
            rows2.append(row)
        out += self.table(header, rows2, [42] + [18] * len(qual) + [22, 20, 20, 48])
        # Totals by theme across all tenders.
        theme_rows: list[list[Flowable | str]] = []
        for theme in [*Theme, None]:
            items = [c for b in t.bids for c in b.commitments if c.theme is theme]
            if not items:
                continue
            loc = sum((c.value for c in items if c.locality is Locality.LOCAL), Decimal(0))
            tot = sum((c.value for c in items), Decimal(0))
            offering = len({b.supplier for b in t.bids for c in b.commitments if c.theme is theme})
            theme_rows.append([text(theme.label if theme else "Not themed"),
                               Paragraph(str(offering), self.style["CellRight"]),
                               Paragraph(format_gbp(loc), self.style["CellRight"]),
                               Paragraph(format_gbp(tot - loc), self.style["CellRight"])])
        if theme_rows:
            out += [self.p("Commitments offered across all tenders, by theme", "H2"),
                    *self.table(["Theme", ("Tenders offering", "right"), ("Local", "right"), ("Wider", "right")],
                                theme_rows, [80, 26, 34, 34])]
        return out

    def _participation(self) -> list[Flowable]:
        bids = self.tender.bids
        n = len(bids)
        out: list[Flowable] = [CondPageBreak(60), self.p("6. Who bid: small firms and the voluntary sector", "H1")]
        if not n:
            return [*out, self.p("No tenders were received.")]

        def share(k: int) -> str:
            # Half up, as every figure on the papers (a format spec would round 12.5% to even: 12%).
            percent = (Decimal(k * 100) / n).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            return f"{k} of {n} ({percent}%)"

        top3 = [self.bid(r) for r in self.ranked if r.rank is not None and r.rank <= 3]
        rows: list[list[Flowable | str]] = [
            ["Small and medium-sized enterprises (SMEs)", share(sum(b.sme for b in bids)),
             str(sum(b.sme for b in top3))],
            ["Voluntary, community and social enterprises (VCSEs)", share(sum(b.vcse for b in bids)),
             str(sum(b.vcse for b in top3))],
        ]
        for loc in Locality:
            k = sum(b.locality is loc for b in bids)
            rows.append([f"Based {'locally' if loc is Locality.LOCAL else loc.value}", share(k),
                         str(sum(b.locality is loc for b in top3))])
        unknown = sum(b.locality is None for b in bids)
        if unknown:
            rows.append(["Location not recorded", share(unknown), str(sum(b.locality is None for b in top3))])
        if not self.ranked:        # "of the top three" needs a ranking
            return [*out, *self.table(["", "Tenders received"], [r[:2] for r in rows], [90, 45])]
        out += self.table(["", "Tenders received", "Of the top three"], rows, [90, 45, 35])
        return out

    def _citizen_benefits(self) -> list[Flowable]:
        t = self.tender
        out: list[Flowable] = [CondPageBreak(60), self.p("7. Citizen benefits negotiated", "H1")]
        if not t.checklist.items:
            rows: list[list[Flowable | str]] = []
            for r in self.results.results:
                for c in self._negotiated(self.bid(r)):
                    rows.append([text(r.supplier), text(c.description or c.measure), locality_label(c),
                                 Paragraph(format_gbp(c.value), self.style["CellRight"])])
            if not rows:
                return [*out, self.p("No negotiation checklist was used for this tender, so no negotiated citizen "
                                     "benefits are recorded.")]
            return [*out, *self.table(["Supplier", "Benefit agreed", "Where", ("Value to residents", "right")],
                                      rows, [45, 85, 16, 28])]
        totals = tender_totals(t)
        out.append(self.p(
            f"The council put up to {plural(len(t.checklist.items), 'ask')} from its checklist to each supplier: "
            "benefits for residents beyond the contract itself, ideally at no cost to the council. Values count "
            "agreed asks only."))
        rows2: list[list[Flowable | str]] = []
        for name, tot in totals.suppliers:
            rows2.append([
                text(name),
                Paragraph(str(tot.put), self.style["CellRight"]),
                Paragraph(str(tot.agreed), self.style["CellRight"]),
                Paragraph(str(tot.declined), self.style["CellRight"]),
                Paragraph(format_gbp(tot.value_per_year), self.style["CellRight"]),
                Paragraph(format_gbp(tot.cost_per_year), self.style["CellRight"]),
            ])
        out += self.table(["Supplier", ("Asks put", "right"), ("Agreed", "right"), ("Declined", "right"),
                           ("Value to residents a year", "right"), ("Cost to council a year", "right")],
                          rows2, [60, 16, 16, 18, 32, 30])
        w = self.winner
        if w is not None:
            sched = commitments_schedule(t, w.supplier)
            out.append(self.p(f"Benefits agreed by the recommended supplier ({text(w.supplier)})", "H2"))
            if not sched:
                out.append(self.p("None.", "Small"))
            else:
                rows3: list[list[Flowable | str]] = []
                for row in sched:
                    what = f"<b>{text(row.commitment)}</b>" + (f"<br/>{text(row.offer)}" if row.offer else "")
                    rows3.append([
                        Paragraph(what, self.style["Cell"]), text(row.theme.label),
                        Paragraph(format_gbp(row.value_per_year) if row.value_per_year is not None
                                  else "Not valued", self.style["CellRight"]),
                        Paragraph(format_gbp(row.cost_to_council), self.style["CellRight"]),
                    ])
                out += self.table(["Benefit and offer", "Theme", ("Value a year", "right"),
                                   ("Cost to council", "right")], rows3, [90, 44, 22, 20])
                out.append(self.p("The full schedule, with contract wording, KPIs and reporting, is printed "
                                  "separately as the agreed-commitments schedule.", "Small"))
        return out

    # ---- moderation -------------------------------------------------------------------------------------

    def _moderation(self) -> list[Flowable]:
        assessed = [c for c in self.tender.criteria if c.is_assessed]
        out: list[Flowable] = [CondPageBreak(80), self.p("Appendix A. Moderation record", "H1")]
        if not assessed:
            return [*out, self.p("No criterion was marked by evaluators.")]
        out.append(self.p(
            "Each evaluator marked every tender on their own; the panel then agreed a moderated mark with a "
            "reason. Where the moderated mark differs from an evaluator's mark, the reason explains why."))
        everything = [(r, c) for r in self.results.results for c in assessed]
        if len(everything) <= MODERATION_ROWS_IN_REPORT:
            return out + self.moderation_table(everything)
        # A long record is a paper of its own: the committee's copy keeps the marks that needed discussion.
        differ = [(r, c) for r, c in everything if self._spread(self.bid(r), c)]
        shown = differ[:MODERATION_ROWS_IN_REPORT]
        out.append(self.p(
            f"This tender has {len(everything):,} moderated marks ({plural(len(self.results.results), 'tender')} "
            f"× {plural(len(assessed), 'marked criterion', 'marked criteria')}), too many to print here. The "
            "full record, every mark with its reason, is a paper of its own: the <b>moderation record</b> "
            "(Reports page, or <i>svdesk report</i> with <i>--kind moderation</i>). Listed below are the "
            f"{len(differ):,} marks on which the evaluators differed widely (by more than 40% of the scale)"
            + (f"; the first {len(shown):,} of them, in rank order" if len(shown) < len(differ) else "")
            + "."))
        if not shown:
            return out
        return out + self.moderation_table(shown)

    @staticmethod
    def _spread(bid: Bid, c: Criterion) -> bool:
        marks = bid.evaluator_scores.get(c.id, {})
        return bool(marks) and (max(marks.values()) - min(marks.values())) > Decimal("0.4") * c.scale_max

    def moderation_table(self, items: Sequence[tuple[BidResult, Criterion]]) -> list[Flowable]:
        """The moderation record's table for these (tender, criterion) pairs, a supplier's rows together."""
        rows: list[list[Cell]] = []
        groups: list[str] = []      # the supplier of each row: a page starting inside one says "(continued)"
        band: list[Any] = []        # one stripe per supplier, not per row, so a supplier's rows read together
        k = -1
        previous: BidResult | None = None
        for r, c in items:
            first = r is not previous
            if first:
                k += 1
                previous = r
            bid = self.bid(r)
            marks = bid.evaluator_scores.get(c.id, {})
            marks_text = ", ".join(f"{text(ev)} {num(v)}" for ev, v in sorted(marks.items())) or "—"
            consensus = bid.scores.get(c.id)
            cons = num(consensus) if consensus is not None else "none yet"
            reason = bid.explanations.get(c.id, "")
            rows.append([
                Paragraph(f"<b>{text(r.supplier)}</b>" if first else "", self.style["Cell"]),
                text(c.name),
                Paragraph(marks_text + (" <b>(differ)</b>" if self._spread(bid, c) else ""), self.style["Cell"]),
                Num(cons, "centre", bold=True),
                Paragraph(text(reason) if reason else "<i>No reason recorded</i>", self.style["Cell"]),
            ])
            band.append(styles.STRIPE if k % 2 else colors.white)
            groups.append(f"<b>{text(r.supplier)}</b>")
        return self.table(["Supplier", "Criterion", "Evaluators' marks", ("Moderated", "centre"), "Reason"],
                          rows, [36, 32, 24, 16, 66], backgrounds=band, groups=groups)

    # ---- sign-off ---------------------------------------------------------------------------------------

    def _sign_off(self) -> list[Flowable]:
        o = self.options
        out: list[Flowable] = [CondPageBreak(120), self.p("8. Decision and sign-off", "H1")]
        if self.draft:
            return [*out, self.p("This is a draft: no tender is ranked first, so there is no decision to sign. "
                                 "Print the report again once the evaluation is complete."),
                    self.p(f"Printed on {long_date(o.report_date)}; fingerprint "
                           f"<font size=7>{self.fingerprint}</font>.", "Small")]
        out.append(self.p(
            "The officers below confirm that the evaluation followed the published criteria and method, that "
            "every evaluator declared any conflict of interest, and that the figures in this report match the "
            "evaluation record."))
        out.append(self.sign_off_table([
            ("Report prepared by", o.officer),
            ("Checked by (procurement or legal)", ""),
            ("Decision by (committee or delegated officer)", ""),
        ]))
        out += [self.gap(4), self.p(
            f"This report was printed on {long_date(o.report_date)}. Its fingerprint (SHA-256 of everything it "
            f"was printed from) is <font size=7>{self.fingerprint}</font>; the audit log head is "
            f"<font size=7>{o.audit_head or 'not recorded (printed from a tender file)'}</font>. A copy with the "
            "same fingerprint was printed from the same evaluation record.", "Small")]
        return out


class ModerationRecord(AwardReport):
    """The full moderation record on its own: every mark of every evaluator, the moderated mark and its reason.

    The award report carries it as Appendix A when it is short; for a long one (more than
    :data:`MODERATION_ROWS_IN_REPORT` marks) this is the paper to keep with the evaluation file.
    """

    kind = "Moderation record"
    kind_id = "moderation"

    @property
    def draft(self) -> str:
        return ""

    def _story(self) -> list[Flowable]:
        t = self.tender
        assessed = [c for c in t.criteria if c.is_assessed]
        story: list[Flowable] = [*self._cover(), NextPageTemplate("body"), PageBreak(),
                                 self.p("Moderation record", "H1")]
        if not assessed:
            return [*story, self.p("No criterion was marked by evaluators.")]
        story.append(self.p(
            f"Every mark of every evaluator for {plural(len(t.bids), 'tender')} and "
            f"{plural(len(assessed), 'marked criterion', 'marked criteria')}, in rank order, with the moderated "
            "mark the panel agreed and its reason. Where the moderated mark differs from an evaluator's mark, "
            "the reason explains why; <b>(differ)</b> marks the evaluators' marks that differed by more than "
            "40% of the scale."))
        return story + self.moderation_table([(r, c) for r in self.results.results for c in assessed])


def render_moderation(tender: Tender, results: Results, options: ReportOptions) -> bytes:
    """The full moderation record as PDF bytes."""
    return ModerationRecord(tender, results, options).render()


def render_award(tender: Tender, results: Results, options: ReportOptions) -> bytes:
    """Convenience: the award report's PDF bytes."""
    return AwardReport(tender, results, options).render()


__all__: Sequence[str] = ["FLAG_LABELS", "MODERATION_ROWS_IN_REPORT", "AwardReport", "ModerationRecord",
                         "render_award", "render_moderation"]
