"""The award recommendation report: complete, correct, private, deterministic."""

from __future__ import annotations

import getpass
import io
import os
import socket
import unicodedata
from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PdfReader

from svdesk.domain.scoring import results_as_json, score_tender
from svdesk.reports.award import FLAG_LABELS, AwardReport
from svdesk.reports.options import ReportOptions
from tests.builders import bid, price, quality, tender
from tests.reports.fixtures import (
    CANARIES,
    big,
    decompressed,
    demo,
    many_criteria,
    negotiated,
    page_texts,
    pdf_text,
    with_private_notes,
)

D = Decimal
OPTIONS = ReportOptions(authority="Ashbourne District Council", deterministic=True)


def flat(s: str) -> str:
    """Whitespace (including no-break spaces and line breaks inside table cells) collapsed to one space."""
    return " ".join(unicodedata.normalize("NFKC", s).split())


def render(t=None, options: ReportOptions = OPTIONS) -> bytes:  # type: ignore[no-untyped-def]
    t = t or demo()
    return AwardReport(t, score_tender(t), options).render()


@pytest.fixture(scope="module")
def demo_pdf() -> bytes:
    return render(with_private_notes(negotiated()))


def test_every_bidder_score_rank_and_reason_from_score_json_appears(demo_pdf: bytes) -> None:
    t = negotiated()
    doc = results_as_json(score_tender(t))
    text = flat(pdf_text(demo_pdf))
    order = [c.id for c in t.criteria]
    for r in doc["results"]:  # type: ignore[attr-defined]
        assert r["supplier"] in text
        for reason in r["reasons"]:
            assert flat(reason) in text
        if r["rank"] is not None:
            # The results-table row: rank, supplier, each criterion's weighted score in order, total.
            row = " ".join([str(r["rank"]), r["supplier"], *(r["criteria"][c] for c in order), r["total"]])
            assert row in text, row
        for f in r["flags"]:
            assert FLAG_LABELS[f][0] in text
    for c in t.criteria:
        assert f"{c.name} ({c.weight.normalize():f})" in text          # results header: name (weight)
    for w in doc["warnings"]:  # type: ignore[attr-defined]
        assert flat(w) in text


def test_recommendation_names_the_winner_and_summary_figures(demo_pdf: bytes) -> None:
    text = flat(pdf_text(demo_pdf))
    assert "is awarded to Acme Networks Ltd" in text
    assert "84.89 out of 100" in text
    assert "£540,000.00" in text
    assert "£0.00: the supplier bears the whole cost" in text
    assert "2 of the 5 asks put to them agreed, worth £69,120.00 a year" in text
    assert "Page 1 of" in text


def test_no_private_note_reaches_the_pdf(demo_pdf: bytes) -> None:
    raw = decompressed(demo_pdf)
    text = pdf_text(demo_pdf)
    for canary in CANARIES:
        assert canary not in text
        assert canary.encode() not in raw
        assert canary.encode("utf-16-be") not in raw


def test_metadata_is_set_explicitly_and_says_nothing_about_this_computer(demo_pdf: bytes) -> None:
    info = PdfReader(io.BytesIO(demo_pdf)).metadata
    assert info is not None
    assert set(info) <= {"/Title", "/Author", "/Subject", "/Creator", "/Producer", "/Keywords", "/CreationDate",
                         "/ModDate", "/Trapped"}
    assert info["/Author"] == "Ashbourne District Council"
    assert info["/Title"] == "Award recommendation report: NET-2026-01 Corporate network and broadband"
    assert info["/Producer"] == "svdesk" and info["/Creator"] == "svdesk"
    raw = decompressed(demo_pdf)
    for secret in {getpass.getuser(), socket.gethostname(), os.getcwd(), os.path.expanduser("~")}:
        if len(secret) >= 4:
            assert secret.encode() not in raw, secret


def test_no_active_content_and_fonts_are_embedded(demo_pdf: bytes) -> None:
    raw = decompressed(demo_pdf)
    for key in (b"/JavaScript", b"/JS", b"/EmbeddedFiles", b"/OpenAction", b"/Annots", b"/URI", b"/Launch"):
        assert key not in raw
    assert b"/FontFile2" in raw
    assert b"/BaseFont /Helvetica" not in raw


def test_deterministic_output_is_byte_identical() -> None:
    assert render() == render()
    a = render(options=replace(OPTIONS, deterministic=False))
    assert b"D:2000" not in a       # a normal paper carries its real creation date


def test_footer_carries_fingerprint_and_audit_head_on_every_page() -> None:
    head = "ab" * 32
    t = demo()
    report = AwardReport(t, score_tender(t), replace(OPTIONS, audit_head=head))
    pages = page_texts(report.render())
    assert len(pages) >= 4
    for i, page in enumerate(pages, 1):
        assert report.fingerprint in page
        assert head in page
        assert f"Page {i} of {len(pages)}" in page


def test_fingerprint_follows_content_not_private_notes() -> None:
    t = demo()
    fp = AwardReport(t, score_tender(t), OPTIONS).fingerprint
    assert AwardReport(with_private_notes(t), score_tender(t), OPTIONS).fingerprint == fp
    changed = replace(t, title="Something else")
    assert AwardReport(changed, score_tender(changed), OPTIONS).fingerprint != fp


def test_exempt_marking_on_every_page() -> None:
    pages = page_texts(render(options=replace(OPTIONS, exempt_paragraph=3)))
    for page in pages:
        assert "NOT FOR PUBLICATION" in page
    assert "financial or business affairs" in flat(pages[0])


def test_formula_sensitivity_note_when_another_formula_changes_the_winner() -> None:
    t = tender(price(60), quality("q1", 40), bids=(
        bid("Able Ltd", 100, scores={"q1": D(2)}, explanations={"q1": "x"}),
        bid("Brook Ltd", 130, scores={"q1": D(4)}, explanations={"q1": "x"}),
        bid("Crest Ltd", 200, scores={"q1": D(1)}, explanations={"q1": "x"}),
    ), buyer="Test Council")
    text = flat(pdf_text(render(t)))
    assert "The winner depends on the price formula" in text
    assert "would be Able Ltd instead of Brook Ltd" in text


def test_tie_for_first_place_makes_no_recommendation() -> None:
    t = tender(price(100), bids=(bid("Able Ltd", 100), bid("Brook Ltd", 100)))
    text = flat(pdf_text(render(t)))
    assert "No recommendation can be made yet" in text
    assert "Able Ltd, Brook Ltd are tied for first place" in text


def test_zero_price_is_shown_unranked_with_its_reason() -> None:
    t = tender(price(100), bids=(bid("Able Ltd", 100), bid("Nil Ltd", 0)))
    text = flat(pdf_text(render(t)))
    assert "£0 price" in text
    assert "Price is £0 (nil)" in text


def test_right_to_left_names_render_and_extract() -> None:
    names = {"Acme Networks Ltd": "שירותי רשת בע״מ", "Dales Digital CIC": "شركة الاتصالات الرقمية"}
    t = demo()
    t = replace(t, bids=tuple(replace(b, supplier=names.get(b.supplier, b.supplier)) for b in t.bids))
    text = unicodedata.normalize("NFKC", pdf_text(render(t)))
    for name in names.values():
        assert name in text


def test_sixty_bidders_split_tables_across_pages_with_headers_repeated() -> None:
    t = big(60)
    pages = page_texts(render(t))
    assert 8 <= len(pages) <= 40
    results_pages = [p for p in pages if "Networks 0" in p and "Resilience" in p and "Notes" in p]
    assert len(results_pages) >= 2, "the results table should run over more than one page"
    moderation = [p for p in pages if "Support answer point" in p]
    assert len(moderation) >= 3
    for p in moderation:
        assert "Evaluators'" in p and "Moderated" in p, "every page of the moderation record has its header"
    text = flat("\n".join(pages))
    for b in t.bids:
        assert b.supplier in text


def test_hundred_bidders_render() -> None:
    """A 100-bidder award report renders whole (its speed against plain ReportLab is a ./run-bench figure)."""
    t = big(100)
    results = score_tender(t)
    data = AwardReport(t, results, OPTIONS).render()
    assert len(PdfReader(io.BytesIO(data)).pages) >= 10


def test_many_criteria_fit_the_page() -> None:
    text = flat(pdf_text(render(many_criteria())))
    assert "Extra quality question 6 (5)" in text


def test_without_a_checklist_says_so() -> None:
    text = flat(pdf_text(render(demo())))
    assert "No negotiation checklist was used for this tender" in text


def test_reasons_of_the_longest_allowed_length_are_printed_whole() -> None:
    """A 10,000-character moderation reason is taller than a page: its row continues under the header."""
    from tests.reports.fixtures import missing_words, with_long_reasons

    t = with_long_reasons()
    data = AwardReport(t, score_tender(t), OPTIONS).render()
    text = pdf_text(data)
    for tag in ("win", "run", "exc", "dsc"):
        assert missing_words(text, tag) == [], tag
    pages = page_texts(data)
    continued = [p for p in pages if "win0700" in p or "run0700" in p]    # mid-reason: a continuation page
    assert continued and all("Evaluators'" in p and "Reason" in p for p in continued)
    assert len(pages) < 30


def test_long_reasons_deep_in_a_long_table_are_printed_once_and_whole() -> None:
    """Rows after the first 40 are built in chunks without a header mid-page: a tall row there still splits
    cleanly, and no part of it is lost or printed twice."""
    import re

    from tests.reports.fixtures import long_text

    t = big(60)
    bids = list(t.bids)
    for i, tag in ((27, "zc"), (44, "ze")):
        bids[i] = replace(bids[i], explanations={**bids[i].explanations, "q2": long_text(tag, 6000)})
    t = replace(t, bids=tuple(bids))
    text = pdf_text(AwardReport(t, score_tender(t), OPTIONS).render())
    for tag in ("zc", "ze"):
        counts = [len(re.findall(rf"\b{w}\b", text)) for w in long_text(tag, 6000).split()]
        assert counts == [1] * len(counts), tag


def test_participation_shares_round_half_up() -> None:
    """1 SME of 8 tenders is 12.5%: printed 13% (half up, like every figure), not 12% (half to even)."""
    from svdesk.domain.values import Locality

    bids = tuple(bid(f"Supplier {i}", 100_000 + i, sme=i == 0, vcse=i in (0, 1, 2),
                     locality=Locality.LOCAL if i < 5 else Locality.NATIONAL) for i in range(8))
    t = tender(price(), bids=bids)
    text = flat(pdf_text(AwardReport(t, score_tender(t), OPTIONS).render()))
    assert "1 of 8 (13%)" in text and "3 of 8 (38%)" in text and "5 of 8 (63%)" in text
    assert "(12%)" not in text and "(62%)" not in text
