"""Render the award papers from the demo tender and save their first pages as small PNGs (needs pdftoppm).

Run from the repository root: ``.venv/bin/python docs/reports/make_images.py``. The checklist and the
commitments schedule use the demo after a sample negotiation (tests/reports/fixtures.py), because the demo
tender file has no checklist yet.
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
from tests.reports.fixtures import demo, negotiated  # noqa: E402

OUT = Path(__file__).resolve().parent


def main() -> None:
    t = negotiated(demo())
    res = score_tender(t)
    o = ReportOptions(deterministic=True, exempt_paragraph=3)
    papers = {
        "award": (AwardReport(t, res, o).render(), 3),
        "assessment-unsuccessful": (AssessmentSummary(t, res, "Dales Digital CIC", ReportOptions(
            deterministic=True)).render(), 2),
        "checklist": (NegotiationChecklist(t, ReportOptions(deterministic=True),
                                           supplier="Acme Networks Ltd").render(), 2),
        "commitments": (CommitmentsSchedule(t, ReportOptions(deterministic=True)).render(), 1),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for name, (data, pages) in papers.items():
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(data)
            subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", str(pages), str(pdf),
                            str(OUT / name)], check=True)
    print("\n".join(sorted(p.name for p in OUT.glob("*.png"))))


if __name__ == "__main__":
    main()
