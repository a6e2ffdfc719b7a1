"""Tagged, accessible PDFs (issue 13, item 4): every paper has a structure tree a screen reader can follow.

Read back with pdfplumber (the structure tree and each character's marked content), pikepdf (the catalog,
pages and XMP) and poppler's ``pdfinfo``; checked with the PyPI ``pdfua`` checker, which runs offline on
pikepdf (it covers 16 of the 106 machine-checkable PDF/UA-1 rules; it is not veraPDF).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from svdesk.domain.scoring import score_tender
from svdesk.domain.tender import exclude_bid
from svdesk.reports.assessment import AssessmentSummary
from svdesk.reports.award import AwardReport, ModerationRecord
from svdesk.reports.negotiation import CommitmentsSchedule, NegotiationChecklist
from svdesk.reports.options import ReportOptions
from tests.reports.fixtures import demo, negotiated, outline_pages, structure, text_in_structure_order, walk

OPTIONS = ReportOptions(authority="Ashbourne District Council", deterministic=True)


def papers() -> dict[str, bytes]:
    """One of each paper (and the exclusion notice) from the negotiated demo."""
    t = negotiated()
    res = score_tender(t)
    excluded = exclude_bid(t, "Budget Links Ltd", "Did not provide the insurance certificate.")
    return {
        "award": AwardReport(t, res, OPTIONS).render(),
        "assessment": AssessmentSummary(t, res, "Dales Digital CIC", OPTIONS).render(),
        "exclusion": AssessmentSummary(excluded, score_tender(excluded), "Budget Links Ltd", OPTIONS).render(),
        "checklist": NegotiationChecklist(t, OPTIONS, supplier="Acme Networks Ltd").render(),
        "commitments": CommitmentsSchedule(t, OPTIONS).render(),
        "moderation": ModerationRecord(t, res, OPTIONS).render(),
    }


@pytest.fixture(scope="module")
def all_papers() -> dict[str, bytes]:
    return papers()


KINDS = ["award", "assessment", "exclusion", "checklist", "commitments", "moderation"]


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is not installed")
@pytest.mark.parametrize("kind", KINDS)
def test_pdfinfo_says_tagged(all_papers: dict[str, bytes], kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(all_papers[kind])
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "Metadata Stream: yes" in info


@pytest.mark.parametrize("kind", KINDS)
def test_the_pdfua_checker_finds_nothing(all_papers: dict[str, bytes], kind: str, tmp_path: Path) -> None:
    from pdfua import validate

    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(all_papers[kind])
    report = validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert report.exit_code == 0


@pytest.mark.parametrize("kind", KINDS)
def test_catalog_pages_and_metadata(all_papers: dict[str, bytes], kind: str) -> None:
    import pikepdf

    with pikepdf.open(io.BytesIO(all_papers[kind])) as pdf:
        root = pdf.Root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert root.StructTreeRoot.Type == pikepdf.Name.StructTreeRoot
        assert pikepdf.Name.Document == root.StructTreeRoot.K.S
        assert [int(p.StructParents) for p in pdf.pages] == list(range(len(pdf.pages)))
        with pdf.open_metadata() as meta:
            assert meta["dc:title"] == str(pdf.docinfo.Title)
            assert meta["pdfuaid:part"] == "1"


def test_headings_come_in_order_with_a_bookmark_each(all_papers: dict[str, bytes]) -> None:
    data = all_papers["award"]
    headings = [(tag, text) for tag, text in text_in_structure_order(data) if tag in ("H1", "H2", "H3")]
    h1 = [text for tag, text in headings if tag == "H1"]
    assert h1 == [
        "Corporate network and broadband",
        "1. Recommendation", "2. How the tenders were evaluated", "3. Results",
        "4. Sensitivity to the price formula", "5. Social value",
        "6. Who bid: small firms and the voluntary sector", "7. Citizen benefits negotiated",
        "8. Decision and sign-off", "Appendix A. Moderation record", "Appendix B. Conflicts of interest record",
    ]
    assert ("H2", "Summary") in headings
    outline = outline_pages(data)
    assert [t for _, t in headings if t in outline] == [t for _, t in headings]        # a bookmark for each


def test_every_table_has_header_cells_with_a_scope(all_papers: dict[str, bytes]) -> None:
    texts = dict(text_in_structure_order(all_papers["award"]))       # not used for order: a sanity check
    assert texts
    tree = structure(all_papers["award"])
    tables = [n for n in walk(tree) if n["type"] == "Table"]
    assert len(tables) >= 8
    for table in tables:
        rows = [r for r in table["children"] if r["type"] == "TR"]  # type: ignore[union-attr,index]
        assert rows
        first = rows[0]["children"]  # type: ignore[index]
        assert all(c["type"] == "TH" for c in first) or all(  # type: ignore[index]
            r["children"][0]["type"] == "TH" for r in rows)          # a column header row, or a label column
        for cell in walk([table]):
            if cell["type"] == "TH":
                assert cell["attributes"]["Scope"] in ("Column", "Row")  # type: ignore[index]
    # The results table's header cells read as its column titles; repeated headers are not read again.
    order = text_in_structure_order(all_papers["award"])
    heads = [text for tag, text in order if tag == "TH"]
    assert "Rank" in heads and "Supplier" in heads
    assert heads.count("Evaluators'marks") + heads.count("Evaluators' marks") <= 1


def test_the_chart_is_a_figure_with_alternative_text(all_papers: dict[str, bytes]) -> None:
    figures = [n for n in walk(structure(all_papers["award"])) if n["type"] == "Figure"]
    assert len(figures) == 1
    alt = str(figures[0]["alt_text"])
    assert "Acme Networks Ltd: 84.89" in alt and "C1 is Price (40)" in alt


def test_text_in_structure_order_reads_in_order_and_skips_page_furniture(all_papers: dict[str, bytes]) -> None:
    order = text_in_structure_order(all_papers["award"])
    text = " ".join(t for _, t in order)
    marks = ["1. Recommendation", "That the contract for", "2. How the tenders were evaluated", "3. Results",
             "Figure 1", "5. Social value", "8. Decision and sign-off", "Appendix A. Moderation record"]
    positions = [text.find(m) for m in marks]
    assert -1 not in positions and positions == sorted(positions)
    # Running header and footer, page numbers: artifacts, not in the structure.
    assert "Document fingerprint (SHA-256)" not in text and "Page 2 of" not in text
    assert "Award recommendation report · NET-2026-01" not in text


def test_bullets_are_list_items(all_papers: dict[str, bytes]) -> None:
    nodes = walk(structure(all_papers["award"]))
    lists = [n for n in nodes if n["type"] == "L"]
    assert lists and all(c["type"] == "LI" for n in lists for c in n["children"])  # type: ignore[union-attr,index]


def test_a_draft_is_tagged_too() -> None:
    t = demo()
    for b in t.bids:
        t = exclude_bid(t, b.supplier, "Did not provide the insurance certificate.")
    data = AwardReport(t, score_tender(t), OPTIONS).render()
    text = " ".join(x for _, x in text_in_structure_order(data))
    assert "1. Recommendation" in text and "DRAFT" not in text      # the DRAFT mark is page furniture
