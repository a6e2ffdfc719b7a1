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
