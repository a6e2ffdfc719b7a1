"""Readable at any size (issue 13, item 1): every paper for up to 100 bidders × 30 criteria × 5 evaluators,
with 160-character names and 80-character words without spaces, keeps every glyph inside the page's frame and
never splits an amount, score or rank across lines; headings are never broken inside a word; long tables repeat
their header and say "(continued)"; nothing half-done is printed (item 6)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest

from svdesk.domain import negotiation as N
from svdesk.domain.money import format_gbp, format_points
from svdesk.domain.scoring import Results, score_tender
from svdesk.domain.tender import Tender, exclude_bid
from svdesk.io.asks_library import suggested_asks
from svdesk.reports.assessment import AssessmentSummary
from svdesk.reports.award import MODERATION_ROWS_IN_REPORT, AwardReport, ModerationRecord
from svdesk.reports.base import Renderer
from svdesk.reports.negotiation import CommitmentsSchedule, NegotiationChecklist
from svdesk.reports.options import ReportOptions
from tests.builders import bid, price, quality, tender
from tests.reports.fixtures import (
    LONG_WORD,
    PageRead,
    demo,
    glyphs_outside,
    huge,
    negotiated,
    outline_pages,
    page_count,
    page_texts,
    page_words,
    pdf_text,
    read_pages,
)

D = Decimal
OPTIONS = ReportOptions(authority="Ashbourne District Council", deterministic=True)
LEFT, RIGHT = Renderer.margin_left, Renderer.margin_right


def flat(s: str) -> str:
    return " ".join(s.split())


@dataclass(frozen=True)
class Largest:
    tender: Tender
    results: Results
    data: bytes
    appendix: int                 # 0-based page of the moderation appendix
    pages: list[PageRead]         # every page before it, its first pages and the last page
    record: list[PageRead]        # the moderation record paper: its first five pages and the last


@pytest.fixture(scope="module")
def largest() -> Largest:
    """The award report of 100 bidders × 30 criteria × 5 evaluators, 160-character names, 80-character words."""
    t = huge(100, 30, 5)
    assert max(len(b.supplier) for b in t.bids) == 160 and LONG_WORD[:80] in t.bids[0].supplier
    res = score_tender(t)
    data = AwardReport(t, res, OPTIONS).render()
    appendix = outline_pages(data)["Appendix A. Moderation record"]
    last = page_count(data) - 1
    sample = sorted({*range(min(appendix + 4, last)), last})
    # The full record (3,000 marks, more than the award report prints) is its own paper; it repeats one row
    # layout 2,800 times over ~400 pages: its first pages and the last one are read.
    record = ModerationRecord(t, res, OPTIONS).render()
    record_pages = read_pages(record, LEFT, RIGHT, pages=[*range(5), page_count(record) - 1])
    return Largest(t, res, data, appendix, read_pages(data, LEFT, RIGHT, pages=sample), record_pages)


def with_checklist(t: Tender, supplier: str) -> Tender:
    """``t`` with the ICT asks on its checklist, two agreed by ``supplier`` with long offers."""
    asks = suggested_asks("ict")[:5]
    t = N.set_checklist(t, N.Checklist(items=tuple(N.ChecklistItem(a) for a in asks)))
    for a in asks[:2]:
        t = N.set_ask_status(t, a.id, supplier, N.AskStatus.AGREED, on=date(2026, 10, 20))
        t = N.update_outcome(t, a.id, supplier, offer=f"We offer {LONG_WORD[:80]} to every library in the district.")
    return t


def test_the_largest_award_report_stays_inside_the_frame(largest: Largest) -> None:
    assert [g for p in largest.pages for g in p.outside] == []
    assert [g for p in largest.record for g in p.outside] == []


def test_a_long_moderation_record_is_its_own_paper_and_the_report_keeps_the_marks_that_differ() -> None:

    t = huge(60, 25, 3)
    c = next(c for c in t.criteria if c.is_assessed)
    # Three tenders on which the evaluators disagreed widely on one criterion; every other mark agrees.
    split = {c.id: {"AA": D(0), "BB": c.scale_max, "CC": c.scale_max}}
    t = replace(t, bids=tuple(replace(b, evaluator_scores={**b.evaluator_scores, **split}) if i < 3 else b
                              for i, b in enumerate(t.bids)))
    res = score_tender(t)
    marks = len(res.results) * sum(1 for x in t.criteria if x.is_assessed)
    assert marks > MODERATION_ROWS_IN_REPORT
    data = AwardReport(t, res, OPTIONS).render()
    appendix = flat(" ".join(page_texts(data)[outline_pages(data)["Appendix A. Moderation record"]:]))
    assert f"This tender has {marks:,} moderated marks" in appendix and "moderation record" in appendix
    assert "Listed below are the 3 marks on which the evaluators differed widely" in appendix
    assert appendix.count("(differ)") == 3 and appendix.count("AA 0") == 3
    record = ModerationRecord(t, res, OPTIONS).render()
    text = flat(" ".join(page_texts(record)))
    assert text.count("(differ)") == 3 + 1       # the three rows, and the explanation of the mark
    assert text.count(f"CC {c.scale_max.normalize():f}") >= 3 and "Moderation record" in text
    assert f"for {len(t.bids)} tenders" in text
    # The full record has a row for every mark: far longer than the award report's appendix.
    assert page_count(record) > page_count(data)


def test_the_largest_award_report_splits_no_amount_score_or_rank(largest: Largest) -> None:
    words: set[str] = set().union(*(p.words for p in largest.pages[:largest.appendix]))
    missing = []
    for r in largest.results.results:
        wanted = [format_gbp(r.price)] + [format_points(v) for v in r.criteria.values()]
        if r.ranked:
            wanted.append(format_points(r.total))
        missing += [f"{r.supplier[:20]}: {w}" for w in wanted if w not in words]
    assert missing == []
    # Thirty criteria do not fit across a page: codes C1…C30, each whole, with a key giving the names.
    assert {f"C{k}" for k in range(1, 31)} <= words
    text = flat(" ".join(p.text for p in largest.pages))
    assert "Scores by criterion" in text and "Criteria C21 to C30" in text


def test_long_tables_repeat_their_header_and_say_continued(largest: Largest) -> None:
    moderation = [p.text for p in largest.record[2:5]]
    assert len(moderation) == 3 and all("Evaluators'" in p and "Reason" in p for p in moderation)   # the header
    # 28 criteria of one supplier fill more than a page, so most pages start inside a supplier's rows.
    assert sum("(continued)" in p for p in moderation) >= 2
    results = [p for p in largest.pages[:largest.appendix] if "Price Notes" in flat(p.text)]
    assert len(results) >= 3                                                  # the results table's header repeats


@pytest.mark.parametrize("kind", ["assessment", "exclusion", "checklist", "commitments"])
def test_every_other_paper_stays_inside_the_frame_at_the_largest_size(kind: str) -> None:
    t = huge(100, 30, 5)
    res = score_tender(t)
    winner = res.winners[0].supplier
    loser = next(r.supplier for r in res.results if r.supplier != winner and r.ranked)
    if kind == "assessment":
        data = AssessmentSummary(t, res, loser, OPTIONS).render()
    elif kind == "exclusion":
        t = exclude_bid(t, loser, f"Mandatory exclusion ground: {LONG_WORD[:80]} insurance not evidenced.")
        data = AssessmentSummary(t, score_tender(t), loser, OPTIONS).render()
    elif kind == "checklist":
        data = NegotiationChecklist(with_checklist(t, winner), OPTIONS, supplier=winner).render()
    else:
        data = CommitmentsSchedule(with_checklist(t, winner), OPTIONS).render()
    assert glyphs_outside(data, LEFT, RIGHT) == []
    words: set[str] = set().union(*page_words(data))
    if kind == "assessment":
        r = res.for_supplier(loser)
        assert [format_points(v) for v in r.criteria.values() if format_points(v) not in words] == []
    if kind == "commitments":
        assert format_gbp(t.bid(winner).commitments_value()) in words


def test_criterion_names_break_only_between_words() -> None:
    from tests.reports.fixtures import many_criteria

    t = many_criteria()
    data = AwardReport(t, score_tender(t), OPTIONS).render()
    assert glyphs_outside(data, LEFT, RIGHT) == []
    words: set[str] = set().union(*page_words(data))
    for c in t.criteria:
        assert [w for w in c.name.split() if w not in words] == [], c.name


def test_the_demo_papers_stay_inside_the_frame() -> None:
    t = negotiated()
    res = score_tender(t)
    for data in (AwardReport(t, res, OPTIONS).render(),
                 AssessmentSummary(t, res, "Dales Digital CIC", OPTIONS).render(),
                 NegotiationChecklist(t, OPTIONS, supplier="Acme Networks Ltd").render(),
                 CommitmentsSchedule(t, OPTIONS).render()):
        assert glyphs_outside(data, LEFT, RIGHT) == []


# ---- nothing half-done (item 6) ------------------------------------------------------------------------


def every_paper(t: Tender) -> dict[str, bytes]:
    res = score_tender(t)
    out = {"award": AwardReport(t, res, OPTIONS).render(),
           "checklist": NegotiationChecklist(t, OPTIONS).render(),
           "commitments": CommitmentsSchedule(t, OPTIONS).render()}
    for b in t.bids:
        out[f"checklist {b.supplier}"] = NegotiationChecklist(t, OPTIONS, supplier=b.supplier).render()
        out[f"summary {b.supplier}"] = AssessmentSummary(t, res, b.supplier, OPTIONS).render()
    return out


def test_no_paper_prints_an_unfilled_placeholder_or_any_brace() -> None:
    t = negotiated()
    # An agreed ask whose contract wording needs a number nobody entered ({sessions} in the library).
    skills = next(i.ask for i in t.checklist.items if "{sessions}" in i.ask.clause)
    t = N.set_ask_status(t, skills.id, "Acme Networks Ltd", N.AskStatus.AGREED, on=date(2026, 10, 21))
    t = N.update_outcome(t, skills.id, "Acme Networks Ltd", inputs={})
    papers = every_paper(t)
    for name, data in papers.items():
        text = pdf_text(data)
        assert not re.search(r"[{}]", text), (name, re.findall(r".{30}[{}].{30}", text))
    assert "[to be completed: " in flat(pdf_text(papers["commitments"]))


def test_the_commitments_schedule_carries_the_winners_own_commitments() -> None:
    t = negotiated()
    winner = score_tender(t).winners[0].supplier
    text = flat(pdf_text(CommitmentsSchedule(t, OPTIONS).render()))
    bid_ = t.bid(winner)
    assert bid_.commitments
    for c in bid_.commitments:
        assert flat(c.description or c.measure) in text and format_gbp(c.value) in text
    assert format_gbp(bid_.commitments_value()) in text
    assert "Citizen benefits agreed in negotiation" in text


def test_a_paper_with_nothing_ranked_first_is_a_draft_without_ranking_comparisons() -> None:
    t = demo()
    for b in t.bids:
        t = exclude_bid(t, b.supplier, "Did not provide the insurance certificate.")
    data = AwardReport(t, score_tender(t), OPTIONS).render()
    pages = page_texts(data)
    assert all("DRAFT" in p for p in pages)
    text = flat(pdf_text(data))
    assert "ranks first under every price formula" not in text
    assert "Sensitivity to the price formula" not in text
    assert "Of the top three" not in text
    assert "Signature" not in text
    winner_pages = page_texts(AwardReport(demo(), score_tender(demo()), OPTIONS).render())
    assert not any("DRAFT" in p for p in winner_pages)


def test_shared_ranks_read_joint_and_formulas_by_their_names() -> None:
    bids = (bid("Alpha Ltd", 100, scores={"q1": D(5)}, explanations={"q1": "Best."}),
            bid("Beta Ltd", 120, scores={"q1": D(4)}, explanations={"q1": "Good."}),
            bid("Gamma Ltd", 120, scores={"q1": D(4)}, explanations={"q1": "Good."}))
    t = replace(tender(price(50), quality("q1", 50), bids=bids), notice_id="T-1-ITT")
    t = replace(t, bids=tuple(replace(b, email="x@y.example", cdp_id="PABC-1234-XYZ") for b in t.bids))
    res = score_tender(t)
    assert [r.rank for r in res.results] == [1, 2, 2]
    award = flat(pdf_text(AwardReport(t, res, OPTIONS).render()))
    assert "joint 2" in award and "ranked joint 2nd" in award
    summary = flat(pdf_text(AssessmentSummary(t, res, "Beta Ltd", OPTIONS).render()))
    assert "Your tender was ranked joint 2nd" in summary and "Ranked joint 2nd of 3" in summary
    assert "ranked 2nd" not in summary
    for text in (award, summary):
        assert "deviation_from_lowest" not in text and "lowest_price" not in text and "relative_to_mean" not in text


def test_text_contrast_is_at_least_4_5_to_1() -> None:
    """Every character's colour against white (white text only sits on the dark header fill)."""
    import io

    import pdfplumber

    def luminance(rgb: tuple[float, ...]) -> float:
        def lin(c: float) -> float:
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (rgb * 3)[:3] if len(rgb) == 1 else rgb[:3]
        return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)

    navy = luminance((0x1F / 255, 0x3A / 255, 0x5F / 255))
    t = demo()
    t = exclude_bid(t, "Budget Links Ltd", "Did not provide the insurance certificate.")
    for name, data in every_paper(negotiated()).items() | {"excluded": AwardReport(
            t, score_tender(t), OPTIONS).render()}.items():
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for c in page.chars:
                    colour = tuple(c["non_stroking_color"] or (0,))
                    lum = luminance(colour)
                    # Against the lightest ground it sits on (white), or against the navy header for white text.
                    ratio = (1.05 / (lum + 0.05)) if lum < 0.9 else (lum + 0.05) / (navy + 0.05)
                    assert ratio >= 4.5, (name, page.page_number, c["text"], colour, round(ratio, 2))
