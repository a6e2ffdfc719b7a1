"""The negotiation checklist and the agreed-commitments schedule."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from svdesk.domain.money import format_gbp
from svdesk.domain.negotiation import commitments_schedule
from svdesk.reports.negotiation import CommitmentsSchedule, NegotiationChecklist
from svdesk.reports.options import ReportOptions
from tests.reports.fixtures import CANARIES, decompressed, demo, negotiated, pdf_text

OPTIONS = ReportOptions(deterministic=True)


def flat(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).split())


def test_checklist_has_every_ask_question_and_tick_boxes() -> None:
    t = negotiated()
    text = flat(pdf_text(NegotiationChecklist(t, OPTIONS).render()))
    for ask in t.checklist.asks:
        assert flat(ask.title) in text
        assert flat(ask.question) in text
    assert text.count("☐ Asked") == len(t.checklist.asks)
    assert "Offer, in the supplier's words" in text
    # A blank checklist shows no supplier's offers.
    assert "10% off broadband" not in text
    assert "Acme Networks Ltd" not in text


def test_checklist_for_one_supplier_shows_only_their_progress() -> None:
    t = negotiated()
    data = NegotiationChecklist(t, OPTIONS, supplier="acme networks ltd").render()
    text = flat(pdf_text(data))
    assert "Acme Networks Ltd" in text
    assert "10% off broadband for residents on low incomes" in text
    assert "☒ Agreed" in text and "☒ Declined" in text
    assert "Weekly digital skills drop-ins" not in text          # Dales's offer
    assert "Dales Digital CIC" not in text
    for canary in CANARIES:
        assert canary not in text and canary.encode() not in decompressed(data)


def test_commitments_schedule_lists_agreed_benefits_with_kpi_value_and_reporting() -> None:
    t = negotiated()
    data = CommitmentsSchedule(t, OPTIONS).render()
    text = flat(pdf_text(data))
    rows = commitments_schedule(t, "Acme Networks Ltd")
    assert len(rows) == 2
    assert "Schedule for Acme Networks Ltd" in text
    for r in rows:
        assert flat(r.commitment) in text
        assert flat(r.kpi) in text
        assert r.reporting.label in text
        assert f"£{r.value_per_year:,.2f} a year" in text
    assert "£69,120.00 a year" in text
    assert "Dales Digital CIC" not in text
    for canary in CANARIES:
        assert canary not in text and canary.encode() not in decompressed(data)


def test_empty_checklist_and_no_agreements_say_so() -> None:
    assert "no asks on its checklist yet" in flat(pdf_text(NegotiationChecklist(demo(), OPTIONS).render()))
    text = flat(pdf_text(CommitmentsSchedule(demo(), OPTIONS).render()))
    # The winner agreed no asks, but its tender's own commitments are still part of the contract (issue 13).
    assert "Schedule for Acme Networks Ltd Social value commitments made in the tender" in text
    acme = demo().bid("Acme Networks Ltd")
    assert acme.commitments and format_gbp(acme.commitments_value()) in text
    for c in acme.commitments:
        assert flat(c.description or c.measure) in text and format_gbp(c.value) in text
    assert "No asks from the council's checklist were agreed with this supplier" in text
    assert "has not agreed any asks" not in text
    blank = demo()
    blank = replace(blank, bids=())
    assert "nothing to schedule" in flat(pdf_text(CommitmentsSchedule(blank, OPTIONS).render()))


def test_an_offer_of_the_longest_allowed_length_is_printed_whole() -> None:
    """A 10,000-character offer makes an ask's block taller than a page: it continues on the next one."""
    from svdesk.domain import negotiation as N
    from tests.reports.fixtures import long_text, missing_words

    t = negotiated()
    t = N.update_outcome(t, t.checklist.items[0].ask.id, "Acme Networks Ltd", offer=long_text("off"))
    for paper in (NegotiationChecklist(t, OPTIONS, supplier="Acme Networks Ltd"),
                  CommitmentsSchedule(t, OPTIONS, supplier="Acme Networks Ltd")):
        assert missing_words(pdf_text(paper.render()), "off") == [], type(paper).__name__
