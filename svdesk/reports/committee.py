"""The committee report: the award laid out as an English district council report a clerk files as it is.

Numbered sections and paragraphs (1.1, 1.2 …): purpose; recommendations as a resolution ("That the Committee:
(1) approves …; (2) delegates …"); reasons; background; options considered and rejected; the evaluation
(method, result, formula sensitivity, moderation); social value and negotiated citizen benefits; implications
(financial, legal, equalities, risk, climate, data protection); wards; key decision; contact officer;
background papers; appendices. svdesk writes what it knows from the evaluation; the officer's own sections come
from :class:`~svdesk.domain.report_texts.ReportTexts`, and a section nobody wrote is printed as a visible
"[to be completed: …]" (and listed by :func:`committee_gaps`).

Public report and exempt appendix: by default the named unsuccessful bidders' prices and scores are not in the
public report but in an exempt appendix marked "not for publication — Schedule 12A, paragraph 3"; the officer
can choose otherwise, explicitly (``ReportTexts.publish_bidder_details``). The body text is 11 pt.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, NextPageTemplate, PageBreak

from svdesk.domain import calendar
from svdesk.domain.money import format_gbp, format_points
from svdesk.domain.negotiation import supplier_totals
from svdesk.domain.report_texts import SECTION_TITLES
from svdesk.domain.scoring import FLAG_PROVISIONAL, FLAG_SPREAD, Results
from svdesk.domain.tender import Tender
from svdesk.reports import styles
from svdesk.reports.award import AwardReport, num
from svdesk.reports.base import long_date, plural, rank_words, text
from svdesk.reports.flow import Paragraph
from svdesk.reports.options import SCHEDULE_12A, ReportOptions
from svdesk.reports.panel import conflicts_section
from svdesk.reports.readiness import committee_gaps

#: The exempt appendix's paragraph of Part 1 of Schedule 12A (financial or business affairs).
EXEMPT_PARAGRAPH = 3
#: The conflicts-of-interest record's appendix heading.
CONFLICTS_APPENDIX = "Appendix 1. Conflicts of interest of the evaluation panel"


def numbered(p: Paragraph, series: str, level: int, body: str) -> Paragraph:
    """Mark ``p`` as a numbered paragraph for the Word version (:mod:`svdesk.reports.docx`), which numbers it
    with Word's own numbering instead of the number typed here for the PDF.

    Args:
        series: ``"report"`` (sections ``1.`` at level 0, paragraphs ``1.1`` at level 1) or ``"resolution"``
            (``(1)``, ``(2)`` at level 0).
        body: the paragraph's markup without its number.
    """
    p.__dict__["svdesk_numbering"] = (series, level, body)
    return p


def _day(d: date) -> str:
    """``Wednesday 15 April 2026``."""
    return f"{d:%A} {long_date(d)}"


class CommitteeReport(AwardReport):
    """The committee report for an award, with its exempt appendix.

    Args:
        tender: the tender, with its bids, checklist and the officer's report texts (``tender.report``).
        results: ``score_tender(tender)``.
        options: authority, officer, date, audit head, deterministic flag (the exempt marking applies to the
            appendix only: the report itself is public).
    """

    kind = "Committee report"
    kind_id = "committee"

    def __init__(self, tender: Tender, results: Results, options: ReportOptions) -> None:
        super().__init__(tender, results, options)
        body = self.style["Body"]
        self._body = ParagraphStyle("CBody", parent=body, fontSize=11, leading=15, spaceAfter=7)
        # No hanging indent: ReportLab measures an unbreakable word against the first line's width, so a long
        # word under a negative first-line indent could run past the frame.
        self._para = ParagraphStyle("CPara", parent=self._body)
        self._gap_style = ParagraphStyle("CGap", parent=self._body, textColor=styles.MARKING,
                                         fontName=styles.FONT_BOLD)
        self._section = 0
        self._paragraph = 0

    # ---- numbered paragraphs ----------------------------------------------------------------------------

    def _heading(self, title: str) -> list[Flowable]:
        self._section += 1
        self._paragraph = 0
        return [CondPageBreak(70), numbered(self.p(f"{self._section}. {text(title)}", "H1"), "report", 0,
                                            text(title))]

    def _num(self, markup: str) -> Paragraph:
        self._paragraph += 1
        return numbered(Paragraph(f"{self._section}.{self._paragraph}\u00a0\u00a0{markup}", self._para),
                        "report", 1, markup)

    def _written(self, name: str) -> list[Flowable]:
        """The officer's text for a section, a paragraph per blank-line block, or "[to be completed: …]"."""
        value = self.tender.report.text_of(name).strip()
        if not value:
            return [self._num(f"<font color='#b00020'><b>[to be completed: "
                              f"{text(SECTION_TITLES[name].lower())}]</b></font>")]
        return [self._num(text(block).replace("\n", "<br/>")) for block in value.split("\n\n") if block.strip()]

    def _or_gap(self, name: str) -> str:
        value = self.tender.report.text_of(name).strip()
        return text(value) if value else f"[to be completed: {text(SECTION_TITLES[name].lower())}]"

    # ---- the story --------------------------------------------------------------------------------------

    def _story(self) -> list[Flowable]:
        t, o, r = self.tender, self.options, self.tender.report
        publish = r.publish_bidder_details
        story: list[Flowable] = [
            NextPageTemplate("body"),
            *self.letterhead(),
            self.p(f"Report to {self._or_gap('committee')}", "DocTitle"),
            self.facts([
                ("Date of meeting", self._or_gap("meeting_date")),
                ("Report of", text(o.officer) if o.officer else "[to be completed: report author]"),
                ("Subject", f"Award of the contract for {text(t.title)} (reference {text(t.reference)})"),
                ("Wards affected", self._or_gap("wards")),
                ("Key decision", self._or_gap("key_decision")),
                ("Exempt information", "None in this report" if publish else
                 f"Appendix 2 is not for publication: exempt information under paragraph {EXEMPT_PARAGRAPH} of "
                 f"Part 1 of Schedule 12A to the Local Government Act 1972"),
                ("Date of report", long_date(o.report_date)),
            ], label_width=42 * 2.83465),
        ]
        story += self._heading("Purpose of the report") + self._written("purpose")
        story += self._heading("Recommendations") + self._resolution()
        story += self._heading("Reasons for the recommendation") + self._reasons()
        story += self._heading("Background") + self._written("background")
        story += self._heading("Options considered and rejected") + self._written("options")
        story += self._heading("The evaluation") + self._evaluation(publish)
        story += self._heading("Social value and negotiated citizen benefits") + self._benefits()
        story += self._heading("Implications") + self._implications()
        story += self._heading("Contact officer") + self._written("contact_officer")
        story += self._heading("Background papers") + self._written("background_papers")
        story += self._heading("Appendices") + [self._num(a) for a in self._appendix_list(publish)]
        story += [PageBreak(), *conflicts_section(self, CONFLICTS_APPENDIX)]
        if not publish:
            story += self._exempt_appendix()
        return story

    def _resolution(self) -> list[Flowable]:
        t, w = self.tender, self.winner
        if w is None:
            return [self._num("<b>No recommendation can be made yet:</b> no single tender is ranked first. This "
                              "report is a draft.")]
        delegate = self._or_gap("delegation")
        value = f" at a tendered price of {format_gbp(w.price)}" if w.price is not None else ""
        items = [f"approves the award of the contract for {text(t.title)} (reference {text(t.reference)}) to "
                 f"<b>{text(w.supplier)}</b>{value}, whose tender is the most advantageous tender under the "
                 "published award criteria; and",
                 f"delegates authority to {delegate} to conclude the contract once the standstill period has "
                 "ended without challenge."]
        return [Paragraph("That the Committee:", self._body),
                *(numbered(Paragraph(f"({k})\u00a0\u00a0{item}", self._para), "resolution", 0, item)
                  for k, item in enumerate(items, 1))]

    def _reasons(self) -> list[Flowable]:
        w = self.winner
        if w is None:
            return [self._num("There is no single most advantageous tender yet (see section 6).")]
        second = next((r for r in self.ranked if r.rank is not None and r.rank > 1), None)
        margin = (f", {format_points(w.total - second.total)} points ahead of the tender ranked "
                  f"{rank_words(self.results, second)}" if second else "")
        return [
            self._num(f"{text(w.supplier)} submitted the most advantageous tender: it scored "
                      f"{format_points(w.total)} out of 100{margin}, against the award criteria and weights "
                      "published in the tender documents."),
            self._num("The evaluation followed the procedure and method set out in the tender documents; the "
                      "Procurement Act 2023 requires the contract to be awarded to the most advantageous tender."),
        ]

    def _evaluation(self, publish: bool) -> list[Flowable]:
        t = self.tender
        out: list[Flowable] = [self._num(
            f"{plural(len(t.bids), 'tender was', 'tenders were')} received and {len(self.ranked)} ranked. Each "
            "was scored against these award criteria (weights out of 100):")]
        rows = [[text(c.name), text(c.kind.label), Paragraph(num(c.weight), self.style["CellRight"])]
                for c in t.criteria]
        out += self.table(["Criterion", "Kind", ("Weight", "right")], rows, [100, 50, 20])
        w = self.winner
        if w is not None:
            out.append(self._num(f"The recommended tender scored {format_points(w.total)} out of 100."
                                 + (" The scores of every tender are in the table below." if publish else
                                    f" The scores and prices of the other named bidders are in Appendix 2, which "
                                    f"is exempt (Schedule 12A, paragraph {EXEMPT_PARAGRAPH}).")))
        if publish:
            out += self._scores_table() + self._chart()
        changed = [m for m in self.results.comparison
                   if w is not None and m.winner and set(m.winner) != {w.supplier}]
        if w is not None and self.results.comparison:
            out.append(self._num(
                "The result does not depend on the price formula: the same tender ranks first under every "
                "formula svdesk compares." if not changed else
                f"Under {plural(len(changed), 'other price formula', 'other price formulas')} a different tender "
                "would rank first; the formula was fixed in the tender documents and cannot change now."))
        assessed = [c for c in t.criteria if c.is_assessed]
        moderated = sum(1 for b in t.bids for c in assessed if c.id in b.scores)
        spread = sum(1 for r in self.results.results if FLAG_SPREAD in r.flags)
        provisional = sum(1 for r in self.results.results if FLAG_PROVISIONAL in r.flags)
        line = (f"Moderation: the evaluators marked each tender separately and agreed {moderated} moderated "
                f"{'mark' if moderated == 1 else 'marks'}, each with a written reason.")
        if spread:
            line += f" On {plural(spread, 'tender')} the evaluators' marks differed widely before moderation."
        if provisional:
            line += f" {plural(provisional, 'tender has', 'tenders have')} provisional marks still to moderate."
        out.append(self._num(line))
        return out

    def _scores_table(self) -> list[Flowable]:
        rows = [[*self._rank_and_name(r),
                 Paragraph(format_points(r.total) if r.ranked else "—", self.style["CellRight"]),
                 Paragraph(format_gbp(r.price), self.style["CellRight"])] for r in self.results.results]
        return self.table(["Rank", "Supplier", ("Total", "right"), ("Price", "right")], rows, [14, 100, 24, 32])

    def _benefits(self) -> list[Flowable]:
        w = self.winner
        if w is None:
            return [self._num("To follow once a tender is ranked first.")]
        bid = self.bid(w)
        out = [self._num(f"The recommended supplier's tender commits {format_gbp(bid.commitments_value())} of "
                         "social value over the contract, to be written into the contract schedule.")]
        if self.tender.checklist.items:
            tot = supplier_totals(self.tender, w.supplier)
            cost = "at no cost to the council" if tot.cost_per_year == 0 else \
                f"at a cost to the council of {format_gbp(tot.cost_per_year)} a year"
            out.append(self._num(f"In negotiation it agreed {tot.agreed} of the {plural(tot.put, 'ask')} put to it, "
                                 f"worth {format_gbp(tot.value_per_year)} a year to residents, {cost}."))
        return out

    def _implications(self) -> list[Flowable]:
        t = self.tender
        out: list[Flowable] = [self.p("Financial", "H2")]
        if t.annual_value is not None:
            out.append(self._num(f"The contract is valued at {self._value_text()}."))
        out += self._written("financial")
        out += [self.p("Legal", "H2"), *self._procedure(), *self._written("legal")]
        for name, title in (("equalities", "Equalities"), ("risk", "Risk"), ("climate", "Climate and environment"),
                            ("data_protection", "Data protection")):
            out += [self.p(title, "H2"), *self._written(name)]
        return out

    def _procedure(self) -> list[Flowable]:
        """The Procurement Act 2023 steps after the decision, with the dates :mod:`svdesk.domain.calendar` gives
        for this tender (the Overview shows the same): the standstill's end counted in working days of the
        council's nation, and the contract details notice's deadline."""
        t = self.tender
        nation = t.publication.nation
        dates = calendar.notice_dates(t, nation)
        notice, signed = t.key_dates.get("award_notice"), t.key_dates.get("contract_signed")
        out = [self._num(
            "The procurement was run under the Procurement Act 2023 and the Procurement Regulations 2024. After "
            "the decision the council sends every bidder its assessment summary and publishes a contract award "
            f"notice; the standstill period of {calendar.STANDSTILL_WORKING_DAYS} working days (not counting "
            f"weekends and the bank holidays of {nation.label}) begins with the day the notice is published, and "
            "the contract is not entered into before it ends.")]
        if notice is None or dates.standstill_end is None or dates.earliest_contract is None:
            out.append(self._num("The contract award notice has not been published yet: the standstill's end "
                                 "follows from the day it is."))
        else:
            end = dates.standstill_end
            off = [f"{name} on {long_date(day)}" for year in range(notice.year, end.year + 1)
                   for day, name in calendar.bank_holidays(year, nation).items()
                   if notice <= day <= end and day.weekday() < 5]
            listed = ", ".join(off[:-1]) + f" and {off[-1]}" if len(off) > 1 else "".join(off)
            skipped = f", not counting {listed}" if off else ""
            out.append(self._num(
                f"The contract award notice was published on {_day(notice)}. The standstill period ends at the "
                f"end of {_day(end)} (the {calendar.STANDSTILL_WORKING_DAYS}th working day{text(skipped)}), so the "
                f"contract may be entered into from {_day(dates.earliest_contract)}."))
        due = dates.contract_details_due
        if signed is None or due is None:
            out.append(self._num(
                f"Within {calendar.CONTRACT_DETAILS_DAYS} days beginning with the day the contract is entered into, "
                "the council publishes a contract details notice (and, above £5 million, the contract itself)."))
        else:
            out.append(self._num(
                f"The contract was entered into on {_day(signed)}; the council publishes the contract details "
                f"notice (and, above £5 million, the contract itself) by {_day(due)}."))
        return out

    def _appendix_list(self, publish: bool) -> list[str]:
        out = ["Appendix 1: record of the evaluation panel's declarations of conflicts of interest."]
        if not publish:
            out.append(f"Appendix 2 (not for publication: Schedule 12A, paragraph {EXEMPT_PARAGRAPH}): the tender "
                       "prices and scores of every named bidder, and the chart of their scores.")
        return out

    def _chart(self) -> list[Flowable]:
        """The chart of weighted scores (Figure 1), when a tender is ranked: it names every ranked bidder, so it
        goes where their scores go (the public report or the exempt appendix)."""
        if not self.ranked:
            return []
        from svdesk.reports.charts import MAX_BARS, score_chart

        caption = "Figure 1: weighted scores of the ranked tenders, by criterion"
        if len(self.ranked) > MAX_BARS:
            caption += f" (the first {MAX_BARS} of {len(self.ranked)}; the table above has them all)"
        return [CondPageBreak(120), self.p(caption, "H2"), score_chart(self.tender, self.results, self.frame_width)]

    def _exempt_appendix(self) -> list[Flowable]:
        box = self.note_box(f"NOT FOR PUBLICATION: exempt information under paragraph {EXEMPT_PARAGRAPH} of Part 1 "
                            f"of Schedule 12A to the Local Government Act 1972",
                            [text(SCHEDULE_12A[EXEMPT_PARAGRAPH])])
        return [PageBreak(), self.p("Appendix 2. Tender prices and scores (exempt)", "H1"), box, self.gap(3),
                *self._scores_table(), *self._chart()]


def render_committee(tender: Tender, results: Results, options: ReportOptions) -> bytes:
    """Convenience: the committee report's PDF bytes."""
    return CommitteeReport(tender, results, options).render()


__all__: Sequence[str] = ["CommitteeReport", "committee_gaps", "render_committee"]
