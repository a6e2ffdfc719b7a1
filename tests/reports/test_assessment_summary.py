"""Assessment summaries: one per bidder, complete; an unsuccessful bidder's also reports the most advantageous
tender (Procurement Act 2023 s.50(4)(b), Procurement Regulations 2024 reg. 31(3)) but nothing about any other
unsuccessful bidder nor the winner's price, address or notes; refused while incomplete or without a single winner."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from decimal import Decimal

import pytest

from svdesk.domain.money import format_gbp
from svdesk.domain.scoring import score_tender
from svdesk.domain.tender import Tender, TieBreak, exclude_bid, set_consensus_score
from svdesk.errors import SvdeskError
from svdesk.reports.assessment import AssessmentSummary, render_assessments, safe_filename
from svdesk.reports.options import ReportOptions
from svdesk.reports.readiness import AssessmentIncompleteError, assessment_gaps
from tests.reports.fixtures import CANARIES, big, decompressed, demo, negotiated, pdf_text, with_private_notes

OPTIONS = ReportOptions(authority="Ashbourne District Council", deterministic=True)
WINNER = "Acme Networks Ltd"


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


def test_no_summary_names_another_unsuccessful_bidder(summaries: dict[str, bytes]) -> None:
    names = [b.supplier for b in demo().bids]
    assert score_tender(demo()).winners[0].supplier == WINNER
    for supplier, data in summaries.items():
        text = flat(pdf_text(data))
        raw = decompressed(data)
        for other in names:
            if other not in (supplier, WINNER):
                assert other not in text, (supplier, other)
                assert other.encode() not in raw, (supplier, other)
                assert other.split()[0] not in text, (supplier, other)   # not even a first word


def test_the_winners_summary_names_no_other_bidder(summaries: dict[str, bytes]) -> None:
    text = flat(pdf_text(summaries[WINNER]))
    raw = decompressed(summaries[WINNER])
    assert "The most advantageous tender was submitted by" not in text
    for other in (b.supplier for b in demo().bids if b.supplier != WINNER):
        assert other not in text and other.encode() not in raw and other.split()[0] not in text, other


def test_every_unsuccessful_summary_reports_the_most_advantageous_tender(summaries: dict[str, bytes]) -> None:
    t = demo()
    w = score_tender(t).for_supplier(WINNER)
    acme = t.bid(WINNER)
    for supplier, data in summaries.items():
        if supplier == WINNER:
            continue
        text = flat(pdf_text(data))
        assert "section 50(4)" in text and "regulation 31(3)" in text
        assert f"The most advantageous tender was submitted by {WINNER}" in text, supplier
        assert f"award the contract to {WINNER}" in text, supplier
        for c in t.criteria:
            assert f"{w.criteria[c.id].quantize(Decimal('0.01'))} of {c.weight.normalize():f}" in text, (supplier, c.id)
            if c.is_assessed:
                assert f"{acme.scores[c.id].normalize():f} of {c.scale_max.normalize():f}" in text, (supplier, c.id)
        for reason in acme.explanations.values():
            assert flat(reason) in text, supplier
        assert f"{w.total.quantize(Decimal('0.01'))} of 100" in text, supplier


def test_the_winners_price_address_and_notes_stay_out_of_other_summaries(summaries: dict[str, bytes]) -> None:
    acme = demo().bid(WINNER)
    assert acme.price is not None
    price = format_gbp(acme.price)                       # £540,000.00
    for supplier, data in summaries.items():
        if supplier == WINNER:
            continue
        text, raw = flat(pdf_text(data)), decompressed(data)
        for secret in (price, price.lstrip("£"), price.lstrip("£").split(".")[0], f"{acme.price:f}",
                       acme.address, acme.address.split(",")[0], format_gbp(acme.commitments_value())):
            assert secret not in text, (supplier, secret)
            assert secret.encode() not in raw, (supplier, secret)
        for canary in CANARIES:
            assert canary.encode() not in raw, supplier


def test_negotiation_notes_and_offers_stay_out_of_summaries() -> None:
    t = with_private_notes(negotiated(demo()))
    data = AssessmentSummary(t, score_tender(t), "Dales Digital CIC", OPTIONS).render()
    text, raw = flat(pdf_text(data)), decompressed(data)
    assert WINNER in text
    for secret in (*CANARIES, "10% off broadband for residents on low incomes", "Two sessions a month"):
        assert secret not in text and secret.encode() not in raw, secret


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


def _tied() -> Tender:
    t = demo()
    t = replace(t, bids=tuple(b for b in t.bids if b.supplier in ("Acme Networks Ltd", "Dales Digital CIC")))
    return replace(t, bids=tuple(replace(b, price=Decimal(500000), scores={"q1": Decimal(4), "q2": Decimal(4),
                                                                           "sv1": Decimal(4)}, commitments=())
                                 for b in t.bids))


def test_a_tie_for_first_place_blocks_summaries() -> None:
    t = _tied()
    gaps = assessment_gaps(t, score_tender(t))
    assert any("tied for first place" in g for g in gaps)


def test_a_tie_for_first_place_refuses_every_summary_in_plain_english() -> None:
    t = _tied()
    res = score_tender(t)
    assert len(res.winners) == 2
    expected = ("Two bids are tied for first place (Acme Networks Ltd, Dales Digital CIC): break the tie before "
                "issuing assessment summaries")
    assert any(g.startswith(expected) for g in assessment_gaps(t, res))
    for supplier in ("Acme Networks Ltd", "Dales Digital CIC"):
        with pytest.raises(AssessmentIncompleteError) as err:
            AssessmentSummary(t, res, supplier, OPTIONS).render()
        assert isinstance(err.value, SvdeskError)
        assert expected in str(err.value)
    with pytest.raises(AssessmentIncompleteError):
        render_assessments(t, res, OPTIONS)


def test_a_tie_broken_by_the_tie_break_lets_summaries_through() -> None:
    t = replace(_tied(), tie_break=TieBreak.QUALITY)     # equal totals, Acme ahead on quality (34 against 32)
    marks = {"Acme Networks Ltd": (5, 3, 3), "Dales Digital CIC": (4, 4, 4)}
    t = replace(t, bids=tuple(replace(b, scores=dict(zip(("q1", "q2", "sv1"), map(Decimal, marks[b.supplier]),
                                                         strict=True))) for b in t.bids))
    res = score_tender(t)
    assert [r.supplier for r in res.winners] == [WINNER]
    assert res.for_supplier("Dales Digital CIC").total == res.winners[0].total
    out = render_assessments(t, res, OPTIONS)
    text = flat(pdf_text(out["Dales Digital CIC"]))
    assert f"The most advantageous tender was submitted by {WINNER}" in text
    assert "Your tender was ranked 2nd. It had the same total score as the most advantageous tender" in text
    assert "the tie was broken in that tender's favour by its higher quality score" in text


def test_no_ranked_tender_refuses_summaries() -> None:
    t = demo()
    for b in t.bids:
        t = exclude_bid(t, b.supplier, "Did not meet the insurance requirement.")
    res = score_tender(t)
    gaps = assessment_gaps(t, res)
    assert len(gaps) == 1 and gaps[0].startswith("no tender is ranked first")
    with pytest.raises(AssessmentIncompleteError):
        AssessmentSummary(t, res, "Dales Digital CIC", OPTIONS).render()


def test_big_tender_missing_explanation_is_refused() -> None:
    t = big(12, missing_explanation=True)
    gaps = assessment_gaps(t, score_tender(t))
    assert gaps == (f"{t.bids[3].supplier}: no explanation for the Resilience and support score",)


def test_safe_filename() -> None:
    assert safe_filename("Acme Networks Ltd") == "Acme-Networks-Ltd"
    assert safe_filename("Café & Co. (UK)") == "Cafe-Co-UK"
    assert safe_filename("شركة") == ""


def test_reasons_and_address_of_the_longest_allowed_length_are_printed_whole() -> None:
    """10,000 characters (the domain's limit) in an explanation, the address and an exclusion reason."""
    from tests.reports.fixtures import missing_words, page_texts, with_long_reasons

    t = with_long_reasons()
    res = score_tender(t)
    runner_up = AssessmentSummary(t, res, "Dales Digital CIC", OPTIONS).render()
    text = pdf_text(runner_up)
    for tag in ("run", "adr", "win"):                 # its own reason and address, the winner's reason
        assert missing_words(text, tag) == [], tag
    continued = [p for p in page_texts(runner_up) if "run0700" in p or "win0700" in p]
    assert continued and all("Why (by reference to" in flat(p) for p in continued)
    assert missing_words(pdf_text(AssessmentSummary(t, res, "Budget Links Ltd", OPTIONS).render()), "exc") == []
    winner = pdf_text(AssessmentSummary(t, res, WINNER, OPTIONS).render())
    assert missing_words(winner, "win") == [] and "run0001" not in winner and "adr0001" not in winner
