"""Render the award papers from the demo tenders and a generated large tender and save pages as small PNGs
(needs pdftoppm; the Word committee report's pages also need LibreOffice, and are left out without it).

Run from the repository root: ``.venv/bin/python docs/reports/make_images.py``. The checklist and the
commitments schedule use the demo after a sample negotiation (tests/reports/fixtures.py), because the demo
tender file has no checklist yet. The large tender is ``tests.reports.fixtures.huge(40, 12, 3)``: 40 bidders,
12 criteria, 3 evaluators, 160-character names with 80-character words; its award report is about 75 pages,
of which the first eight and the first page of the moderation appendix are saved.

Every paper carries a sample council letterhead, as ``svdesk settings set council.logo`` and ``council.address``
give it: a generated logo (``tests.reports.fixtures.make_logo``) and an address. The committee report has a few
of the officer's sections written, the rest show "[to be completed: …]"; its contract award notice is dated
Thursday 17 December 2026, so the standstill's dates step over Christmas and Boxing Day.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from svdesk.domain import panel  # noqa: E402
from svdesk.domain.report_texts import ReportTexts  # noqa: E402
from svdesk.domain.scoring import score_tender  # noqa: E402
from svdesk.domain.tender import Tender, exclude_bid  # noqa: E402
from svdesk.io.tender_file import read_tender_file  # noqa: E402
from svdesk.reports.assessment import AssessmentSummary  # noqa: E402
from svdesk.reports.award import AwardReport  # noqa: E402
from svdesk.reports.committee import CommitteeReport  # noqa: E402
from svdesk.reports.docx import render_committee_docx  # noqa: E402
from svdesk.reports.letterhead import load_logo  # noqa: E402
from svdesk.reports.negotiation import CommitmentsSchedule, NegotiationChecklist  # noqa: E402
from svdesk.reports.options import ReportOptions  # noqa: E402
from svdesk.reports.panel import ConflictsRecord  # noqa: E402
from tests.reports.fixtures import ADDRESS, demo, huge, make_logo, negotiated, outline_pages  # noqa: E402

OUT = Path(__file__).resolve().parent


#: The officer's sections of the sample committee report (the others print as "[to be completed: …]").
TEXTS = ReportTexts(
    committee="Policy and Resources Committee", meeting_date="14 January 2027",
    purpose="To seek approval to award the contract for the council's corporate network and broadband.",
    delegation="the Director of Resources", wards="All wards",
    background="The current contract ends on 31 March 2027 and cannot be extended.\n\nThe new contract adds public "
               "Wi-Fi in the libraries and community centres.",
    contact_officer="Priya Shah, Procurement Officer, 01335 300 000, procurement@ashbourne.example.gov.uk",
    background_papers="The tender documents (NET-2026-01-ITT) and the evaluation record.",
)


def committee_tender() -> Tender:
    """The negotiated demo with the sample sections, its declared panel and officer, and the award notice's date."""
    t = negotiated(demo())
    day = date(2026, 12, 1)
    # the demo's evaluators (PS, JM) are on its panel and declared; the officer declares too
    t = panel.declare(panel.add_member(t, "SH", "Priya Shah", panel.Role.OFFICER), "SH", panel.Declaration(day))
    return replace(t, report=TEXTS, key_dates={**t.key_dates, "award_notice": date(2026, 12, 17)})


def word_pages(docx: bytes, tmp: Path) -> Path | None:
    """The .docx converted to PDF by LibreOffice (``None`` when it is not installed)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        print("LibreOffice is not installed: the Word committee report's pages are left out", file=sys.stderr)
        return None
    src = tmp / "committee-word.docx"
    src.write_bytes(docx)
    subprocess.run([office, f"-env:UserInstallation=file://{tmp / 'lo-profile'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp), str(src)], check=True, capture_output=True, timeout=240)
    return tmp / "committee-word.pdf"


def main() -> None:
    t = negotiated(demo())
    res = score_tender(t)
    with tempfile.TemporaryDirectory() as tmp:
        logo, problem = load_logo(make_logo(Path(tmp) / "logo.png"))
    assert logo is not None, problem
    base = ReportOptions(deterministic=True, address=ADDRESS, logo=logo)
    o = replace(base, exempt_paragraph=3)
    parks = read_tender_file(ROOT / "resources" / "demo" / "parks-wifi-tender.json")
    excluded = exclude_bid(t, "Budget Links Ltd", "Mandatory exclusion ground: the insurance certificate required "
                                                  "by the tender documents (section 2.4) was not provided.")
    large = huge(40, 12, 3)
    large_res = score_tender(large)
    large_award = AwardReport(large, large_res, base).render()
    appendix = outline_pages(large_award)["Appendix A. Moderation record"] + 1
    large_c = replace(large, report=TEXTS)
    large_committee = CommitteeReport(large_c, score_tender(large_c), base).render()
    large_pages = outline_pages(large_committee)
    exempt = large_pages["Appendix 2. Tender prices and scores (exempt)"] + 1
    figure = next(p for title, p in large_pages.items() if title.startswith("Figure 1")) + 1
    ct = committee_tender()
    cres = score_tender(ct)
    papers: dict[str, tuple[bytes, int | tuple[int, ...]]] = {
        "award": (AwardReport(t, res, o).render(), 3),
        # Fenwick's tender: printed without Ashbourne's letterhead
        "award-parks-wifi": (AwardReport(parks, score_tender(parks), ReportOptions(deterministic=True)).render(), 2),
        "committee": (CommitteeReport(ct, cres, base).render(), 5),
        "conflicts": (ConflictsRecord(ct, base).render(), 1),
        "exclusion-notice": (AssessmentSummary(excluded, score_tender(excluded), "Budget Links Ltd", base).render(), 1),
        "large-40x12-award": (large_award, (*range(1, 9), appendix)),
        "large-40x12-committee": (large_committee, (1, 2, exempt, figure)),
        "large-40x12-assessment": (AssessmentSummary(large, large_res, large.bids[5].supplier, base).render(), 2),
        "assessment-unsuccessful": (AssessmentSummary(t, res, "Dales Digital CIC", base).render(), 2),
        "checklist": (NegotiationChecklist(t, base, supplier="Acme Networks Ltd").render(), 2),
        "commitments": (CommitmentsSchedule(t, base).render(), 1),
    }
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        converted = word_pages(render_committee_docx(ct, cres, base), Path(tmp))
        if converted is not None:
            papers["committee-word"] = (converted.read_bytes(), 5)
        for name, (data, pages) in papers.items():
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(data)
            for first, last in ([(1, pages)] if isinstance(pages, int) else [(p, p) for p in pages]):
                subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(first), "-l", str(last), str(pdf),
                                str(OUT / name)], check=True)
    print("\n".join(sorted(p.name for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
