"""Tenders for the report tests: the demo, the demo after negotiation (with canaries in private notes), and
big generated tenders. Also used by ``docs/reports/make_images.py``."""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

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
            email=f"bids{i + 1}@supplier{i + 1}.example",
            cdp_id=f"PGEN-{i + 1:04d}-BIDS",
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


#: An 80-character word without a space or hyphen: the longest a supplier may write without a break.
LONG_WORD = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch" + "Broadbandcooperativefibre"[:22]


def huge(n_bids: int = 100, n_criteria: int = 30, n_evaluators: int = 5, *, long_names: bool = True) -> Tender:
    """A generated tender at the size item 1 of issue 13 names: up to 100 bids × 30 criteria × 5 evaluators,
    160-character supplier names and 80-character unbroken words in names, criteria, reasons and commitments.

    Criteria: price (30), social value commitments (10) and ``n_criteria - 2`` quality and qualitative social
    value questions sharing the other 60 marks. Deterministic; every bid is complete, so every paper prints.
    """
    assert n_criteria >= 3
    n_q = n_criteria - 2
    each = (D(60) / n_q).quantize(D("0.001"))
    weights = [each] * (n_q - 1) + [D(60) - each * (n_q - 1)]
    word = LONG_WORD[:80]
    assert len(word) == 80 and " " not in word
    criteria = [Criterion("price", "Price (whole-life cost of the contract over its term)", CriterionKind.PRICE,
                          D(30), method="lowest_price")]
    for k in range(n_q):
        kind = CriterionKind.SOCIAL_VALUE if k % 5 == 4 else CriterionKind.QUALITY
        name = (f"{word} resilience and support question {k + 1}" if k == 0 else
                f"Question {k + 1}: service delivery, resilience, staffing and continuity arrangements")
        criteria.append(Criterion(f"q{k + 1}", name, kind, weights[k], scale_max=D(5), threshold=D(1)))
    criteria.append(Criterion("sv", "Social value commitments (£, quantity × unit value)", CriterionKind.COMMITMENTS,
                              D(10), method="highest_value"))
    evaluators = [f"Evaluator {chr(65 + e)}{chr(66 + e)}" for e in range(n_evaluators)]
    bids = []
    for i in range(n_bids):
        base = f"{_NAMES[i % len(_NAMES)]} {i + 1:03d} "
        if long_names:
            name = (base + (word if i % 2 == 0 else "Community Broadband and Digital Inclusion") +
                    " Networks and Infrastructure Services Community Interest Company Limited")
            name = (name + " Holdings Group Trading as Regional Fibre")[:160]
        else:
            name = f"{base}Networks Ltd"
        scores = {c.id: D(1 + (i * 3 + k) % 5) for k, c in enumerate(criteria) if c.is_assessed}
        marks = {cid: {ev: min(D(5), max(D(0), s + (e % 3) - 1)) for e, ev in enumerate(evaluators)}
                 for cid, s in scores.items()}
        reason = (f"The answer to this question ({word}) showed evidence in section {i % 9 + 1}.{i % 7 + 1} "
                  "of a tested plan with named staff, a clear timetable and measurable service levels.")
        bids.append(Bid(
            supplier=name,
            price=D(400000) + D((i * 7919) % 250000) + D("0.99"),
            sme=i % 2 == 0,
            vcse=i % 7 == 0,
            locality=(Locality.LOCAL, Locality.REGIONAL, Locality.NATIONAL)[i % 3],
            address=f"Unit {i + 1}, {word}, Town {i + 1}",
            email=f"bids{i + 1}@supplier{i + 1}.example",
            cdp_id=f"PGEN-{i + 1:04d}-BIDS",
            scores=scores,
            explanations={cid: reason for cid in scores},
            evaluator_scores=marks,
            commitments=(Commitment("jobs", D(1 + i % 3), D(5000 + 1234 * i) + D("0.56"),
                                    description=f"Apprenticeships: {word}", theme=list(Theme)[i % 5],
                                    locality=(Locality.LOCAL, Locality.NATIONAL)[i % 2]),
                         Commitment("spend", D(1), D(123456) + D(i), description="Local spend with small firms",
                                    theme=list(Theme)[(i + 1) % 5], locality=Locality.LOCAL)),
        ))
    t = demo()
    return replace(t, reference="BIG-2026-99", title=f"Corporate network {word} and broadband",
                   criteria=tuple(criteria), bids=tuple(bids))


# ---- glyph boxes and structure (pdfplumber, pikepdf) -----------------------------------------------------


def glyphs_outside(data: bytes, left: float, right: float, *, pages: list[int] | None = None,
                   edge: float = 8.5) -> list[str]:
    """Every glyph drawn outside the frame: left of ``left``, right of ``page width - right`` or within ``edge``
    points of the top or bottom edge (pdfplumber's box of each character). ``pages``: 0-based, default all."""
    import pdfplumber

    out: list[str] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i in pages if pages is not None else range(len(pdf.pages)):
            page = pdf.pages[i]
            for c in page.chars:
                if (c["x0"] < left - 0.5 or c["x1"] > page.width - right + 0.5 or c["top"] < edge
                        or c["bottom"] > page.height - edge):
                    out.append(f"page {i + 1}: {c['text']!r} at x {c['x0']:.1f}-{c['x1']:.1f}, top {c['top']:.1f}")
            page.close()
    return out


@dataclass(frozen=True)
class PageRead:
    """What one pass of pdfplumber over a page finds: glyphs outside the frame, its words and its text."""

    number: int
    outside: tuple[str, ...]
    words: frozenset[str]
    text: str


def read_pages(data: bytes, left: float, right: float, *, pages: list[int] | None = None,
               edge: float = 8.5) -> list[PageRead]:
    """One pdfplumber pass: for each page (0-based ``pages``, default all), the glyphs outside the frame (see
    :func:`glyphs_outside`), the words (a number split over two lines is two words) and the text."""
    import pdfplumber

    out: list[PageRead] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i in pages if pages is not None else range(len(pdf.pages)):
            page = pdf.pages[i]
            outside = tuple(
                f"page {i + 1}: {c['text']!r} at x {c['x0']:.1f}-{c['x1']:.1f}, top {c['top']:.1f}"
                for c in page.chars
                if (c["x0"] < left - 0.5 or c["x1"] > page.width - right + 0.5 or c["top"] < edge
                    or c["bottom"] > page.height - edge))
            words = frozenset(w["text"].strip("(),;:") for w in page.extract_words(use_text_flow=True))
            out.append(PageRead(i + 1, outside, words, page.extract_text() or ""))
            page.close()
    return out


def page_count(data: bytes) -> int:
    """The number of pages (pikepdf: quick even for 500 pages)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def page_words(data: bytes, *, pages: list[int] | None = None) -> list[set[str]]:
    """The words on each page as pdfplumber reads them (a number split over two lines is two words)."""
    import pdfplumber

    out: list[set[str]] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for i in pages if pages is not None else range(len(pdf.pages)):
            page = pdf.pages[i]
            out.append({w["text"].strip("(),;:") for w in page.extract_words(keep_blank_chars=False,
                                                                              use_text_flow=True)})
            page.close()
    return out


def outline_pages(data: bytes) -> dict[str, int]:
    """Each bookmark's title and its 0-based page (pikepdf)."""
    import pikepdf

    out: dict[str, int] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {p.objgen: i for i, p in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop(0)
                dest = item.destination
                if dest is not None and len(dest):
                    out[str(item.title)] = pages.get(dest[0].objgen, -1)
                stack.extend(item.children)
    return out


def structure(data: bytes) -> list[dict[str, object]]:
    """The structure tree as pdfplumber reads it (``type``, ``children``, ``mcids``, ``page_number`` …)."""
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return list(pdf.structure_tree)


def walk(nodes: list[dict[str, object]]) -> list[dict[str, object]]:
    """Every element of a structure tree, in document (reading) order."""
    out: list[dict[str, object]] = []
    for n in nodes:
        out.append(n)
        out += walk(n.get("children", []))  # type: ignore[arg-type]
    return out


def marked_text(data: bytes) -> dict[tuple[int, int], str]:
    """The text of every marked-content sequence, by (1-based page, MCID)."""
    import pdfplumber

    out: dict[tuple[int, int], str] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for c in page.chars:
                if c.get("mcid") is not None:
                    key = (page.page_number, c["mcid"])
                    out[key] = out.get(key, "") + c["text"]
            page.close()
    return out


def text_in_structure_order(data: bytes) -> list[tuple[str, str]]:
    """(tag, text) of every element that marks content, in structure order."""
    texts = marked_text(data)
    out: list[tuple[str, str]] = []
    for n in walk(structure(data)):
        mcids = n.get("mcids") or []
        if mcids:
            page = n.get("page_number")
            out.append((str(n["type"]), "".join(texts.get((page, m), "") for m in mcids)))  # type: ignore[arg-type]
    return out


def make_logo(path: Path, size: tuple[int, int] = (400, 160), fmt: str = "PNG", **save: object) -> Path:
    """A small council logo (navy with a gold disc, transparent corners) written to ``path``."""
    from PIL import Image, ImageDraw

    w, h = size
    im = Image.new("RGBA", size, (255, 255, 255, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([2, 2, w - 3, h - 3], radius=h // 6, fill=(31, 58, 95, 255))
    d.ellipse([h // 5, h // 5, h - h // 5, h - h // 5], fill=(242, 209, 107, 255))
    if fmt == "JPEG":
        im = im.convert("RGB")
    im.save(path, format=fmt, **save)
    return path


#: The council's address as set with ``svdesk settings set council.address``.
ADDRESS = "Town Hall\nMarket Place\nAshbourne DE6 1ES"
