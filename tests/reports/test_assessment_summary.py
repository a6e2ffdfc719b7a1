"""Assessment summaries: one per bidder, complete, nothing about any other bidder, refused while incomplete."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from decimal import Decimal

import pytest

from svdesk.domain.scoring import score_tender
from svdesk.domain.tender import set_consensus_score
from svdesk.reports.assessment import AssessmentSummary, render_assessments, safe_filename
from svdesk.reports.options import ReportOptions
from svdesk.reports.readiness import AssessmentIncompleteError, assessment_gaps
from tests.reports.fixtures import CANARIES, big, decompressed, demo, pdf_text, with_private_notes

OPTIONS = ReportOptions(authority="Ashbourne District Council", deterministic=True)


def flat(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).split())


@pytest.fixture(scope="module")
def summaries() -> dict[str, bytes]:
    t = with_private_notes(demo())
    return render_assessments(t, score_tender(t), OPTIONS)


def test_one_summary_per_bidder_with_its_own_scores_and_explanations(summaries: dict[str, bytes]) -> None:
    t = demo()
    res = score_tender(t)
    assert set(summaries) == {b.supplier for b in t.bids}
    for b in t.bids:
        text = flat(pdf_text(summaries[b.supplier]))
        r = res.for_supplier(b.supplier)
        assert b.supplier in text
        assert flat(b.address) in text
        for c in t.criteria:
            assert c.name in text
            if c.id in r.criteria:
                assert f"{r.criteria[c.id].quantize(Decimal('0.01'))} of {c.weight.normalize():f}" in text
        for reason in b.explanations.values():
            assert flat(reason) in text
        if r.ranked:
            assert f"{r.total.quantize(Decimal('0.01'))} of 100" in text


def test_no_summary_names_another_bidder(summaries: dict[str, bytes]) -> None:
    names = [b.supplier for b in demo().bids]
    for supplier, data in summaries.items():
        text = flat(pdf_text(data))
        raw = decompressed(data)
        for other in names:
            if other != supplier:
                assert other not in text, (supplier, other)
                assert other.encode() not in raw, (supplier, other)
                assert other.split()[0] not in text, (supplier, other)   # not even a first word


def test_winner_and_losers_are_told_the_outcome(summaries: dict[str, bytes]) -> None:
    assert "Your tender is the most advantageous tender" in flat(pdf_text(summaries["Acme Networks Ltd"]))
    dales = flat(pdf_text(summaries["Dales Digital CIC"]))
    assert "Your tender was not successful" in dales
    assert "Your tender was ranked 2nd" in dales
    assert "lower on Price, Resilience and support, Social value commitments" in dales
    budget = flat(pdf_text(summaries["Budget Links Ltd"]))
    assert "Scored 1 on Service delivery and migration, below the minimum of 2" in budget


def test_private_notes_never_reach_a_summary(summaries: dict[str, bytes]) -> None:
    for data in summaries.values():
        for canary in CANARIES:
            assert canary.encode() not in decompressed(data)
            assert canary not in pdf_text(data)


def test_a_missing_explanation_blocks_every_summary_and_is_listed() -> None:
    t = demo()
    t = replace(t, bids=tuple(
        replace(b, explanations={k: v for k, v in b.explanations.items() if k != "q2"})
        if b.supplier == "Dales Digital CIC" else b for b in t.bids))
    t = set_consensus_score(t, "Northern Telecom plc", "sv1", None, "")
    res = score_tender(t)
    gaps = assessment_gaps(t, res)
    assert "Dales Digital CIC: no explanation for the Resilience and support score" in gaps
    assert "Northern Telecom plc: no moderated (consensus) score for Social value approach" in gaps
    with pytest.raises(AssessmentIncompleteError) as err:
        AssessmentSummary(t, res, "Acme Networks Ltd", OPTIONS).render()
    assert err.value.missing == gaps
    assert "Dales Digital CIC: no explanation" in str(err.value)
    with pytest.raises(AssessmentIncompleteError):
        render_assessments(t, res, OPTIONS)


def test_a_tie_for_first_place_blocks_summaries() -> None:
    t = demo()
    t = replace(t, bids=tuple(b for b in t.bids if b.supplier in ("Acme Networks Ltd", "Dales Digital CIC")))
    t = replace(t, bids=tuple(replace(b, price=Decimal(500000), scores={"q1": Decimal(4), "q2": Decimal(4),
                                                                        "sv1": Decimal(4)}, commitments=())
                              for b in t.bids))
    gaps = assessment_gaps(t, score_tender(t))
    assert any("tied for first place" in g for g in gaps)


def test_big_tender_missing_explanation_is_refused() -> None:
    t = big(12, missing_explanation=True)
    gaps = assessment_gaps(t, score_tender(t))
    assert gaps == (f"{t.bids[3].supplier}: no explanation for the Resilience and support score",)


def test_safe_filename() -> None:
    assert safe_filename("Acme Networks Ltd") == "Acme-Networks-Ltd"
    assert safe_filename("Café & Co. (UK)") == "Cafe-Co-UK"
    assert safe_filename("شركة") == ""
