"""The guide: where a tender stands, the next step and what is missing, step by step through its life."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from svdesk.domain.tender import Tender, TenderStatus
from ui.guide import STEPS, guide

D = Decimal


def test_a_finished_evaluation_points_to_the_papers(demo_tender: Tender) -> None:
    g = guide(demo_tender)
    assert g.step_name == "Award papers" and g.next is not None and g.next.page == "results"
    assert g.missing == ()


def test_weights_off_100_come_first_and_name_the_gap(demo_tender: Tender) -> None:
    c = demo_tender.criteria[0]
    t = replace(demo_tender, criteria=(replace(c, weight=D(35)), *demo_tender.criteria[1:]))
    g = guide(t)
    assert g.step == 0 and g.next is not None and "Weights total 95" in g.next.text and "add 5" in g.next.text


def test_marks_without_agreed_scores_need_moderation(demo_tender: Tender) -> None:
    b = demo_tender.bids[0]
    t = replace(demo_tender, bids=(replace(b, scores={}, explanations={}), *demo_tender.bids[1:]))
    g = guide(t)
    assert g.step_name == "Moderate" and g.next is not None
    assert g.next.target == {"supplier": b.supplier, "criterion": "q1", "mode": "moderate"}


def test_a_zero_price_must_be_resolved(demo_tender: Tender) -> None:
    b = demo_tender.bids[0]
    t = replace(demo_tender, bids=(replace(b, price=D(0)), *demo_tender.bids[1:]))
    g = guide(t)
    assert g.next is not None and g.next.page == "bids" and "£0" in g.next.text


def test_unmarked_bids_are_listed(demo_tender: Tender) -> None:
    b = demo_tender.bids[1]
    t = replace(demo_tender, bids=(demo_tender.bids[0], replace(b, scores={}, explanations={},
                                                                evaluator_scores={}), *demo_tender.bids[2:]))
    g = guide(t)
    assert g.step_name == "Score" and len(g.missing) == 3 and g.next is not None and g.next.page == "scoring"


def test_draft_without_bids_suggests_the_asks_then_negotiation(demo_tender: Tender) -> None:
    t = replace(demo_tender, status=TenderStatus.DRAFT, bids=())
    assert guide(t).step_name == "Prepare asks"
    assert guide(replace(t, status=TenderStatus.NEGOTIATION)).next.page == "bids"  # type: ignore[union-attr]


def test_awarded_closed_cancelled(demo_tender: Tender) -> None:
    assert guide(replace(demo_tender, status=TenderStatus.AWARDED)).next.page == "reports"  # type: ignore[union-attr]
    assert guide(replace(demo_tender, status=TenderStatus.CLOSED)).next is None
    g = guide(replace(demo_tender, status=TenderStatus.CANCELLED))
    assert g.next is not None and g.next.status == "draft" and len(STEPS) == 7


def test_the_papers_step_lists_the_committee_sections_nobody_has_written(demo_tender: Tender) -> None:
    from svdesk.domain.report_texts import SECTIONS, ReportTexts, unwritten

    g = guide(demo_tender)
    assert g.missing == ()                   # printing is still allowed: they print as "[to be completed: …]"
    assert [a.target["section"] for a in g.to_write] == list(unwritten(demo_tender.report))
    assert len(g.to_write) == len(SECTIONS) and g.to_write[2].text == "Committee report: write “Purpose of the report”"
    assert all(a.page == "reports" and a.target["kind"] == "committee" for a in g.to_write)
    some = replace(demo_tender, report=ReportTexts(purpose="To award the contract.", wards="All wards"))
    titles = [a.target["section"] for a in guide(some).to_write]
    assert "Purpose of the report" not in titles and "Wards affected" not in titles and len(titles) == 14
    everything = replace(demo_tender, report=ReportTexts(**{name: "Written." for name, _, _ in SECTIONS}))
    assert guide(everything).to_write == ()
    assert len(guide(replace(demo_tender, status=TenderStatus.AWARDED)).to_write) == len(SECTIONS)
    # Before the papers are the step, the guide does not bring them up.
    c = demo_tender.criteria[0]
    assert guide(replace(demo_tender, criteria=(replace(c, weight=D(35)), *demo_tender.criteria[1:]))).to_write == ()
