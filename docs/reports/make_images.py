"""Render the award papers from the demo tenders and a generated large tender and save pages as small PNGs
(needs pdftoppm).

Run from the repository root: ``.venv/bin/python docs/reports/make_images.py``. The checklist and the
commitments schedule use the demo after a sample negotiation (tests/reports/fixtures.py), because the demo
tender file has no checklist yet. The large tender is ``tests.reports.fixtures.huge(40, 12, 3)``: 40 bidders,
12 criteria, 3 evaluators, 160-character names with 80-character words; its award report is about 75 pages,
of which the first eight and the first page of the moderation appendix are saved.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from svdesk.domain.scoring import score_tender  # noqa: E402
from svdesk.reports.assessment import AssessmentSummary  # noqa: E402
from svdesk.reports.award import AwardReport  # noqa: E402
from svdesk.reports.negotiation import CommitmentsSchedule, NegotiationChecklist  # noqa: E402
from svdesk.reports.options import ReportOptions  # noqa: E402
from svdesk.domain.tender import exclude_bid  # noqa: E402
from svdesk.io.tender_file import read_tender_file  # noqa: E402
from tests.reports.fixtures import demo, huge, negotiated, outline_pages  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> None:
    t = negotiated(demo())
    res = score_tender(t)
    o = ReportOptions(deterministic=True, exempt_paragraph=3)
    parks = read_tender_file(ROOT / "resources" / "demo" / "parks-wifi-tender.json")
    excluded = exclude_bid(t, "Budget Links Ltd", "Mandatory exclusion ground: the insurance certificate required "
                                                  "by the tender documents (section 2.4) was not provided.")
    large = huge(40, 12, 3)
    large_res = score_tender(large)
    large_award = AwardReport(large, large_res, ReportOptions(deterministic=True)).render()
    appendix = outline_pages(large_award)["Appendix A. Moderation record"] + 1
    papers: dict[str, tuple[bytes, int | tuple[int, ...]]] = {
        "award": (AwardReport(t, res, o).render(), 3),
        "award-parks-wifi": (AwardReport(parks, score_tender(parks), ReportOptions(deterministic=True)).render(), 2),
        "exclusion-notice": (AssessmentSummary(excluded, score_tender(excluded), "Budget Links Ltd",
                                               ReportOptions(deterministic=True)).render(), 1),
        "large-40x12-award": (large_award, (*range(1, 9), appendix)),
        "large-40x12-assessment": (AssessmentSummary(large, large_res, large.bids[5].supplier,
                                                     ReportOptions(deterministic=True)).render(), 2),
        "assessment-unsuccessful": (AssessmentSummary(t, res, "Dales Digital CIC", ReportOptions(
            deterministic=True)).render(), 2),
        "checklist": (NegotiationChecklist(t, ReportOptions(deterministic=True),
                                           supplier="Acme Networks Ltd").render(), 2),
        "commitments": (CommitmentsSchedule(t, ReportOptions(deterministic=True)).render(), 1),
    }
    for old in OUT.glob("*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for name, (data, pages) in papers.items():
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(data)
            for first, last in ([(1, pages)] if isinstance(pages, int) else [(p, p) for p in pages]):
                subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", str(first), "-l", str(last), str(pdf),
                                str(OUT / name)], check=True)
    print("\n".join(sorted(p.name for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
