"""The conflicts-of-interest record: an appendix of the award report, and a paper of its own."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from pathlib import Path

from svdesk.cli.main import main
from svdesk.domain import panel as P
from svdesk.domain.scoring import score_tender
from svdesk.domain.tender import Tender
from svdesk.io.tender_file import write_tender_file
from svdesk.reports.award import AwardReport
from svdesk.reports.options import ReportOptions
from svdesk.reports.panel import ConflictsRecord
from tests.reports.fixtures import demo, page_texts, pdf_text

OPTIONS = ReportOptions(authority="Ashbourne District Council", officer="Alex Officer", deterministic=True)
DAY = date(2026, 12, 1)


def flat(s: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", s).split())


def unlisted() -> Tender:
    """The demo as an older tender file has it: its evaluators marked, but nobody is on the panel."""
    return replace(demo(), panel=P.Panel())


def declared() -> Tender:
    t = unlisted()
    t = P.add_member(P.add_member(P.add_member(t, "PS", "Priya Shah"), "JM", "Jo Mills"), "AO", "Alex Officer",
                     P.Role.OFFICER)
    t = P.declare(t, "PS", P.Declaration(DAY))
    t = P.declare(t, "AO", P.Declaration(DAY))
    return P.declare(t, "JM", P.Declaration(DAY, True, "Her brother is a director of Budget Links.",
                                            ("Budget Links Ltd",), P.Mitigation.DOES_NOT_MARK))


def test_the_award_report_ends_with_every_members_declaration() -> None:
    t = declared()
    pages = page_texts(AwardReport(t, score_tender(t), OPTIONS).render())
    start = next(i for i, p in enumerate(pages) if "Appendix B. Conflicts of interest record" in p)
    text = flat(" ".join(pages[start:]))
    assert "Everyone on the evaluation panel declared, for this tender" in text
    for needle in ("PS (Priya Shah)", "JM (Jo Mills)", "AO (Alex Officer)", "Procurement officer",
                   "No conflict of interest", "Her brother is a director of Budget Links.",
                   "Does not mark Budget Links Ltd", "1 December 2026"):
        assert needle in text, needle
    assert "Declarations still needed" not in text


def test_missing_and_unmitigated_declarations_are_pointed_out() -> None:
    t = P.add_member(unlisted(), "KT")
    t = P.declare(t, "KT", P.Declaration(DAY, True, "Former employee of Acme.", ("Acme Networks Ltd",)))
    text = flat(pdf_text(ConflictsRecord(t, OPTIONS).render()))
    assert "Each member of the evaluation panel declares" in text
    assert "Not yet mitigated" in text and "KT declared a conflict of interest with no mitigation recorded" in text
    # the demo's evaluators marked without being on the panel: their declarations are missing
    assert "PS has no declaration of interest on record" in text and "JM has no declaration of interest" in text


def test_the_record_prints_on_its_own_from_the_command_line(tmp_path: Path) -> None:
    src = write_tender_file(declared(), tmp_path / "t.json")
    out = tmp_path / "conflicts.pdf"
    assert main(["report", str(src), "--kind", "conflicts", "--out", str(out), "--officer", "Alex Officer"]) == 0
    data = out.read_bytes()
    pages = page_texts(data)
    assert len(pages) == 1
    text = flat(pages[0])
    assert "Conflicts of interest record" in text and "Declarations of interest" in text
    assert "Her brother is a director of Budget Links." in text and "Record kept by" in text
