"""Tenders for the report tests: the demo, the demo after negotiation (with canaries in private notes), and
big generated tenders. Also used by ``docs/reports/make_images.py``."""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import replace
from datetime import date
from decimal import Decimal

from svdesk.domain import checklist as C
from svdesk.domain import negotiation as N
from svdesk.domain.tender import Bid, Criterion, CriterionKind, Tender
from svdesk.domain.values import Commitment, Locality, Theme
from svdesk.io.asks_library import suggested_asks
from svdesk.io.tender_file import read_tender_file
from tests.conftest import ROOT

D = Decimal
DEMO = ROOT / "resources" / "demo" / "network-tender.json"

#: Strings that must never appear in any PDF: they sit only in private notes.
CANARY_BID = "CANARY-BIDNOTE-7Q2X"
CANARY_OUTCOME = "CANARY-OUTCOMENOTE-K9P4"
CANARY_HISTORY = "CANARY-HISTORYNOTE-M3V8"
CANARIES = (CANARY_BID, CANARY_OUTCOME, CANARY_HISTORY)


def demo() -> Tender:
    """The scored demo tender (network and broadband)."""
    return read_tender_file(DEMO)


def with_private_notes(t: Tender) -> Tender:
    """Every bid carries a private note with a canary."""
    return replace(t, bids=tuple(replace(b, notes=f"{CANARY_BID} {b.supplier} said off the record …")
                                 for b in t.bids))


def negotiated(t: Tender | None = None) -> Tender:
    """The demo after negotiation: five ICT asks put to suppliers, some agreed, notes holding canaries."""
    t = t or demo()
    asks = suggested_asks("ict")[:5]
    t = N.set_checklist(t, C.Checklist(items=tuple(C.ChecklistItem(a) for a in asks)))
    day = date(2026, 10, 20)
    acme, dales, northern = "Acme Networks Ltd", "Dales Digital CIC", "Northern Telecom plc"
    discount, community, skills, wifi, onboard = (a.id for a in asks)
    t = N.set_ask_status(t, discount, acme, C.AskStatus.AGREED, on=day, note=CANARY_HISTORY)
    t = N.update_outcome(t, discount, acme, offer="10% off broadband for residents on low incomes",
                         inputs={"discount_pct": D(10), "households": D(1800), "monthly_bill": D(30)},
                         beneficiaries=1800, notes=CANARY_OUTCOME)
    t = N.set_ask_status(t, community, acme, C.AskStatus.AGREED, on=day)
    t = N.update_outcome(t, community, acme, offer="Free 1 Gbps lines for 6 libraries and community centres",
                         inputs={"sites": D(6), "monthly_cost": D(60)})
    t = N.set_ask_status(t, skills, acme, C.AskStatus.OFFERED, on=day)
    t = N.update_outcome(t, skills, acme, offer="Two sessions a month in the central library")
    t = N.set_ask_status(t, wifi, acme, C.AskStatus.DECLINED, on=day, note=CANARY_HISTORY)
    t = N.set_ask_status(t, onboard, acme, C.AskStatus.ASKED, on=day)
    t = N.set_ask_status(t, skills, dales, C.AskStatus.AGREED, on=day)
    t = N.update_outcome(t, skills, dales, offer="Weekly digital skills drop-ins run by our digital champions",
                         inputs={"sessions": D(48), "cost_per_session": D(250)}, notes=CANARY_OUTCOME)
    t = N.set_ask_status(t, discount, northern, C.AskStatus.DECLINED, on=day)
    return t


_NAMES = ("Abbey", "Beacon", "Castle", "Dale", "Eden", "Fell", "Garth", "Heath", "Ings", "Jubilee", "Kirk", "Lowther")


def big(n: int, *, missing_explanation: bool = False) -> Tender:
    """A generated tender with ``n`` bids over the demo's criteria (deterministic, every field varied)."""
    t = demo()
    bids = []
    for i in range(n):
        name = f"{_NAMES[i % len(_NAMES)]} {'Networks' if i % 3 else 'Digital'} {i + 1:03d} Ltd"
        q1, q2, sv1 = D(2 + i % 4), D(2 + (i * 7) % 4), D((i * 3) % 6)
        bids.append(Bid(
            supplier=name,
            price=D(400000 + (i * 7919) % 250000),
            sme=i % 2 == 0,
            vcse=i % 7 == 0,
            locality=(Locality.LOCAL, Locality.REGIONAL, Locality.NATIONAL)[i % 3],
            address=f"{i + 1} High Street, Town {i + 1}",
            scores={"q1": q1, "q2": q2, "sv1": sv1},
            explanations={
                "q1": f"Migration plan point {i + 1}.",
                "q2": "" if missing_explanation and i == 3 else f"Support answer point {i + 1}.",
                "sv1": f"Social value point {i + 1}.",
            },
            evaluator_scores={"q1": {"AB": q1, "CD": q1}, "q2": {"AB": q2, "CD": q2}, "sv1": {"AB": sv1}},
            commitments=(Commitment("jobs", D(1 + i % 3), D(5000 + 100 * i), description=f"Jobs {i + 1}",
                                    theme=list(Theme)[i % 5], locality=(Locality.LOCAL, Locality.NATIONAL)[i % 2]),),
            notes=f"{CANARY_BID} {i}",
        ))
    return replace(t, bids=tuple(bids))


def many_criteria() -> Tender:
    """The demo with eight criteria (narrow columns in the results table)."""
    t = demo()
    extra = tuple(
        Criterion(f"q{k}", f"Extra quality question {k}", CriterionKind.QUALITY, D(5), scale_max=D(5))
        for k in range(3, 7)
    )
    crit = tuple(replace(c, weight=c.weight - 5) if c.id in ("price", "q1", "q2", "sv1") else c for c in t.criteria)
    bids = tuple(replace(b, scores={**b.scores, **{c.id: D(3) for c in extra}},
                         explanations={**b.explanations, **{c.id: "Adequate." for c in extra}}) for b in t.bids)
    return replace(t, criteria=crit + extra, bids=bids)


def long_text(tag: str, limit: int = 10_000) -> str:
    """Numbered words (``tag0000 tag0001 …``) up to ``limit`` characters: the domain's longest free text."""
    words: list[str] = []
    while len(" ".join(words)) + 1 + len(tag) + 4 <= limit:
        words.append(f"{tag}{len(words):04d}")
    return " ".join(words)


def missing_words(text: str, tag: str, limit: int = 10_000) -> list[str]:
    """The words of :func:`long_text` that a PDF's extracted text lacks."""
    return [w for w in long_text(tag, limit).split() if w not in text]


def with_long_reasons(t: Tender | None = None) -> Tender:
    """The demo with 10,000-character texts: the winner's and a runner-up's moderation reasons, an address, an
    exclusion reason and the description (tags ``win``, ``run``, ``adr``, ``exc``, ``dsc``)."""
    t = t or demo()
    bids = []
    for b in t.bids:
        if b.supplier == "Acme Networks Ltd":
            b = replace(b, explanations={**b.explanations, "q1": long_text("win")})
        elif b.supplier == "Dales Digital CIC":
            b = replace(b, explanations={**b.explanations, "q2": long_text("run")}, address=long_text("adr"))
        elif b.supplier == "Budget Links Ltd":
            b = replace(b, excluded=True, exclusion_reason=long_text("exc"))
        bids.append(b)
    return replace(t, bids=tuple(bids), description=long_text("dsc"))


# ---- reading PDFs back ----------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str:
    """All text pypdf extracts, pages joined by form feeds."""
    from pypdf import PdfReader

    return "\f".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def page_texts(data: bytes) -> list[str]:
    """The extracted text of each page."""
    from pypdf import PdfReader

    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages]


def decompressed(data: bytes) -> bytes:
    """The raw PDF with every Flate stream inflated, so a search sees what compression hides."""
    out = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:
            continue
        chunk = data[start:end]
        for cut in (chunk, chunk.rstrip(b"\r\n")):
            try:
                out.append(zlib.decompress(cut))
                break
            except zlib.error:
                continue
    return b"\n".join(out)
