"""``svdesk report``: files written atomically, one PDF per bidder, clear refusals, ReportLab loaded lazily."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from svdesk.cli.main import main
from svdesk.io.tender_file import dumps, tender_to_document, write_tender_file
from tests.conftest import ROOT
from tests.reports.fixtures import DEMO, demo, negotiated, pdf_text


def test_award_report_is_written_and_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (a, b):
        assert main(["report", str(DEMO), "--kind", "award", "--out", str(out), "--deterministic",
                     "--authority", "Test Council", "--exempt", "3"]) == 0
    assert a.read_bytes() == b.read_bytes()
    text = pdf_text(a.read_bytes())
    assert "Test Council" in text and "NOT FOR PUBLICATION" in text
    assert not list(tmp_path.glob("*.part"))


def test_assessment_writes_one_pdf_per_bidder(tmp_path: Path, capsys: object) -> None:
    out = tmp_path / "summaries"
    assert main(["report", str(DEMO), "--kind", "assessment", "--out", str(out), "--deterministic"]) == 0
    files = sorted(p.name for p in out.iterdir())
    assert files == [
        "NET-2026-01-assessment-1-Acme-Networks-Ltd.pdf",
        "NET-2026-01-assessment-2-Dales-Digital-CIC.pdf",
        "NET-2026-01-assessment-3-Northern-Telecom-plc.pdf",
        "NET-2026-01-assessment-4-Budget-Links-Ltd.pdf",
    ]


def test_incomplete_assessment_is_refused_with_the_list_and_writes_nothing(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    doc = json.loads(DEMO.read_text(encoding="utf-8"))
    del doc["bids"][1]["explanations"]["q2"]
    src = tmp_path / "t.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "summaries"
    assert main(["report", str(src), "--kind", "assessment", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "assessment summaries cannot be printed" in err
    assert "Dales Digital CIC: no explanation for the Resilience and support score" in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_checklist_and_commitments(tmp_path: Path) -> None:
    src = tmp_path / "negotiated.json"
    write_tender_file(negotiated(), src)
    for kind in ("checklist", "commitments"):
        out = tmp_path / f"{kind}.pdf"
        assert main(["report", str(src), "--kind", kind, "--out", str(out), "--supplier", "Acme Networks Ltd"]) == 0
        assert "Acme Networks Ltd" in pdf_text(out.read_bytes())


def test_bad_arguments_give_one_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["report", str(DEMO), "--kind", "award", "--out", str(tmp_path / "no" / "x.pdf")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["report", str(DEMO), "--kind", "award", "--out", str(tmp_path / "x.pdf"), "--date", "soon"]) == 2
    assert "--date" in capsys.readouterr().err
    assert main(["report", str(DEMO), "--kind", "checklist", "--out", str(tmp_path / "x.pdf"),
                 "--supplier", "Nobody"]) == 2
    assert "no bid from 'Nobody'" in capsys.readouterr().err


def test_reportlab_is_not_imported_until_a_report_is_printed() -> None:
    code = ("import sys, svdesk.cli.main\nsvdesk.cli.main.build_parser()\n"
            "print(sorted(m for m in sys.modules if m.startswith('reportlab')))\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "[]"


def test_private_notes_are_not_in_the_fingerprint_input() -> None:
    from tests.reports.fixtures import CANARY_BID, with_private_notes

    assert CANARY_BID not in dumps(tender_to_document(with_private_notes(demo()), private=False))


def test_an_assessment_folder_that_cannot_be_made_is_one_clear_line(tmp_path: Path, capsys,  # type: ignore[no-untyped-def]
                                                                   monkeypatch) -> None:
    import errno

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    out = blocker / "summaries"
    assert main(["report", str(DEMO), "--kind", "assessment", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(out) in err and f"{blocker} is a file, not a folder" in err, err

    def refuse(self: Path, *args: object, **kw: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    out = tmp_path / "read-only" / "summaries"
    assert main(["report", str(DEMO), "--kind", "assessment", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(out) in err and "the drive is read-only" in err, err


def test_the_committee_report_says_in_one_line_which_sections_nobody_has_written(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from svdesk.domain.report_texts import SECTIONS, ReportTexts, unwritten

    titles = ", ".join(unwritten(demo().report))
    note = (f"svdesk: note: the committee report has {len(SECTIONS)} sections nobody has written yet, printed as "
            f"\"[to be completed: …]\": {titles}")
    assert titles.startswith("Committee, Date of meeting, Purpose of the report, Delegation, Background")
    for kind, name in (("committee", "c.pdf"), ("committee", "c.docx"), ("committee-word", "w.docx"),
                       ("award", "a.docx")):
        out = tmp_path / name
        assert main(["report", str(DEMO), "--kind", kind, "--out", str(out)]) == 0
        got = capsys.readouterr()
        assert got.err.splitlines() == [note], (kind, name)
        assert got.out.startswith(f"Wrote {out}")                 # printed all the same
    assert "[to be completed: purpose of the report]" in " ".join(pdf_text((tmp_path / "c.pdf").read_bytes()).split())
    # The award recommendation has no such sections; a report with everything written has nothing to say.
    assert main(["report", str(DEMO), "--kind", "award", "--out", str(tmp_path / "a.pdf")]) == 0
    assert capsys.readouterr().err == ""
    some = tmp_path / "some.json"
    write_tender_file(replace(demo(), report=ReportTexts(purpose="To award.", wards="All wards")), some)
    assert main(["report", str(some), "--kind", "committee", "--out", str(tmp_path / "s.pdf")]) == 0
    err = capsys.readouterr().err
    assert "has 14 sections" in err and "Purpose of the report" not in err and "Wards affected" not in err
    written = tmp_path / "written.json"
    write_tender_file(replace(demo(), report=ReportTexts(**{n: "Written." for n, _, _ in SECTIONS})), written)
    assert main(["report", str(written), "--kind", "committee", "--out", str(tmp_path / "w.pdf")]) == 0
    assert capsys.readouterr().err == ""
