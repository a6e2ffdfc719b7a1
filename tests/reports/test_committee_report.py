"""The committee report (issue 13, item 2): an English district council report with numbered paragraphs, a
resolution, the officer's own sections (or a visible "[to be completed: …]"), and the named unsuccessful
bidders' prices and scores in an exempt appendix unless the officer chose to publish them."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest

from svdesk.domain.money import format_gbp
from svdesk.domain.report_texts import ReportTexts
from svdesk.domain.scoring import score_tender
from svdesk.domain.tender import Tender
from svdesk.reports.base import Renderer
from svdesk.reports.committee import CommitteeReport, committee_gaps
from svdesk.reports.options import ReportOptions
from tests.reports.fixtures import glyphs_outside, huge, negotiated, page_texts, pdf_text

OPTIONS = ReportOptions(authority="Ashbourne District Council", deterministic=True)
TEXTS = ReportTexts(committee="Policy and Resources Committee", purpose="To seek approval to award the contract.",
                    delegation="the Director of Resources", wards="All wards",
                    background="The current contract ends on 31 March 2027.\n\nIt was let in 2021.")


def flat(s: str) -> str:
    return " ".join(s.split())


def tender(texts: ReportTexts = TEXTS) -> Tender:
    return replace(negotiated(), report=texts)


def render(t: Tender) -> bytes:
    return CommitteeReport(t, score_tender(t), OPTIONS).render()


def test_laid_out_as_a_council_report_with_a_resolution() -> None:
    text = flat(pdf_text(render(tender())))
    for heading in ("1. Purpose of the report", "2. Recommendations", "3. Reasons for the recommendation",
                    "4. Background", "5. Options considered and rejected", "6. The evaluation",
                    "7. Social value and negotiated citizen benefits", "8. Implications", "9. Contact officer",
                    "10. Background papers", "11. Appendices"):
        assert heading in text
    assert ("That the Committee: (1) approves the award of the contract for Corporate network and broadband "
            "(reference NET-2026-01) to Acme Networks Ltd") in text
    assert "(2) delegates authority to the Director of Resources to conclude the contract" in text
    assert "1.1 To seek approval to award the contract." in text
    assert "4.1 The current contract ends on 31 March 2027. 4.2 It was let in 2021." in text
    assert "Report to Policy and Resources Committee" in text and "Wards affected All wards" in text


def test_unwritten_sections_are_marked_and_listed() -> None:
    t = tender()
    text = flat(pdf_text(render(t)))
    assert "[to be completed: options considered and rejected]" in text
    assert "[to be completed: equalities implications]" in text
    gaps = committee_gaps(t, score_tender(t))
    assert "section not written: Options considered and rejected" in gaps
    assert "section not written: Purpose of the report" not in gaps
    assert not re.search(r"[{}]", text)


def test_unsuccessful_bidders_prices_and_scores_go_to_the_exempt_appendix_by_default() -> None:
    t = tender()
    res = score_tender(t)
    pages = page_texts(render(t))
    appendix = next(i for i, p in enumerate(pages) if "Appendix 2. Tender prices and scores" in p)
    public, exempt = flat(" ".join(pages[:appendix])), flat(" ".join(pages[appendix:]))
    for r in res.results[1:]:
        assert r.supplier not in public and format_gbp(r.price) not in public
        assert r.supplier in exempt and format_gbp(r.price) in exempt
    assert "NOT FOR PUBLICATION: exempt information under paragraph 3 of Part 1 of Schedule 12A" in exempt
    assert "Appendix 2 is not for publication" in public


def test_the_officer_can_choose_to_publish_them() -> None:
    t = tender(replace(TEXTS, publish_bidder_details=True))
    res = score_tender(t)
    text = flat(pdf_text(render(t)))
    assert "Appendix 2" not in text and "NOT FOR PUBLICATION" not in text
    for r in res.results:
        assert r.supplier in text and format_gbp(r.price) in text


def test_body_is_at_least_11_pt_tagged_and_inside_the_frame(tmp_path: Path) -> None:
    import pdfplumber

    data = render(tender())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        words = pdf.pages[0].extract_words(extra_attrs=["size"])
    purpose = [w for w in words if w["text"] in ("seek", "approval")]
    assert purpose and all(w["size"] >= 11 for w in purpose)
    assert glyphs_outside(data, Renderer.margin_left, Renderer.margin_right) == []
    from pdfua import validate

    path = tmp_path / "committee.pdf"
    path.write_bytes(data)
    assert list(validate(str(path)).findings) == []


@pytest.mark.parametrize("publish", [False, True])
def test_the_largest_committee_report_stays_inside_the_frame(publish: bool) -> None:
    t = replace(huge(100, 30, 5), report=replace(TEXTS, publish_bidder_details=publish))
    data = CommitteeReport(t, score_tender(t), OPTIONS).render()
    assert glyphs_outside(data, Renderer.margin_left, Renderer.margin_right) == []


def test_the_legal_section_prints_the_calendars_dates_with_bank_holidays_in_the_standstill() -> None:
    """A contract award notice published on Thursday 2 April 2026: Good Friday and Easter Monday fall in the
    standstill, which therefore ends on Wednesday 15 April (eight weekdays would end on Monday 13 April)."""
    from datetime import date

    from svdesk.domain import calendar
    from svdesk.reports.base import long_date
    from svdesk.reports.docx import render_committee_docx

    notice, signed = date(2026, 4, 2), date(2026, 4, 20)
    t = replace(tender(), key_dates={**tender().key_dates, "award_notice": notice, "contract_signed": signed})
    nation = t.publication.nation
    dates = calendar.notice_dates(t, nation)
    assert dates.standstill_end == date(2026, 4, 15) == calendar.standstill_end(notice, nation)
    assert dates.earliest_contract == date(2026, 4, 16)
    assert dates.contract_details_due == date(2026, 5, 19) == calendar.contract_details_notice_due(signed)
    expected = [
        f"The contract award notice was published on Thursday {long_date(notice)}. The standstill period ends at "
        f"the end of Wednesday {long_date(dates.standstill_end)} (the 8th working day, not counting Good Friday "
        "on 3 April 2026 and Easter Monday on 6 April 2026), so the contract may be entered into from Thursday "
        f"{long_date(dates.earliest_contract)}.",
        f"The contract was entered into on Monday {long_date(signed)}; the council publishes the contract details "
        f"notice (and, above £5 million, the contract itself) by Tuesday {long_date(dates.contract_details_due)}.",
    ]
    text = flat(pdf_text(render(t)))
    legal = text[text.index("Legal 8."):text.index("[to be completed: legal implications]")]
    for line in expected:
        assert line in legal
    assert "13 April 2026" not in text and "bank holidays of England and Wales" in legal
    from docx import Document

    words = flat(" ".join(p.text for p in Document(io.BytesIO(render_committee_docx(t, score_tender(t),
                                                                                   OPTIONS))).paragraphs))
    for line in expected:                              # the Word version says the same
        assert line in words


def test_before_the_notice_the_legal_section_gives_the_rule_without_dates() -> None:
    t = tender()
    assert "award_notice" not in t.key_dates
    text = flat(pdf_text(render(t)))
    assert "The contract award notice has not been published yet: the standstill's end follows from the day it " \
           "is." in text
    assert "Within 30 days beginning with the day the contract is entered into" in text


def test_appendix_1_is_the_panels_conflicts_of_interest_record() -> None:
    from svdesk.reports.docx import render_committee_docx
    from tests.reports.fixtures import outline_pages
    from tests.reports.test_conflicts_record import declared

    t = replace(declared(), report=TEXTS)
    data = render(t)
    pages = page_texts(data)
    start = outline_pages(data)["Appendix 1. Conflicts of interest of the evaluation panel"]
    appendix = flat(" ".join(pages[start:]))
    appendix = appendix[:appendix.index("Appendix 2. Tender prices and scores")]
    for needle in ("Everyone on the evaluation panel declared, for this tender", "PS (Priya Shah)", "JM (Jo Mills)",
                   "AO (Alex Officer)", "No conflict of interest", "Her brother is a director of Budget Links.",
                   "Does not mark Budget Links Ltd", "1 December 2026"):
        assert needle in appendix, needle
    assert "[to be completed" not in appendix
    from docx import Document

    doc = Document(io.BytesIO(render_committee_docx(t, score_tender(t), OPTIONS)))
    texts = [p.text for p in doc.paragraphs]
    assert "Appendix 1. Conflicts of interest of the evaluation panel" in texts
    cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
    assert "Her brother is a director of Budget Links." in cells and "Does not mark Budget Links Ltd" in cells
    # A panel with a member still to declare says so, in both.
    from svdesk.domain import panel as P

    t2 = replace(P.add_member(tender(), "KT", "Kim Taylor"), report=TEXTS)
    assert "KT has no declaration of interest on record for this tender." in flat(pdf_text(render(t2)))


@pytest.mark.parametrize("publish", [False, True])
def test_the_chart_goes_where_the_bidders_scores_go(publish: bool) -> None:
    from tests.reports.fixtures import outline_pages, structure, walk

    t = tender(replace(TEXTS, publish_bidder_details=publish))
    data = render(t)
    figures = [n for n in walk(structure(data)) if n["type"] == "Figure"]
    assert len(figures) == 1
    assert str(figures[0].get("alt_text", "")).startswith("Stacked bar chart of the weighted scores")
    page = figures[0]["page_number"]
    pages = outline_pages(data)
    caption = "Figure 1: weighted scores of the ranked tenders, by criterion"
    if publish:
        assert page - 1 < pages["Appendix 1. Conflicts of interest of the evaluation panel"]
    else:
        assert page - 1 >= pages["Appendix 2. Tender prices and scores (exempt)"]
    assert pages[caption] == page - 1
