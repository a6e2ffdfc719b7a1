"""The committee report as a Word document (issue 13, item 3): real Heading styles, numbered paragraphs,
tables with a repeating header row, en-GB, title and author; on the council's template with {{placeholders}};
opened by python-docx and converted by LibreOffice; bad templates refused in one line naming the file."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from svdesk.domain.scoring import score_tender
from svdesk.reports.docx import TemplateError, render_committee_docx
from tests.reports.fixtures import negotiated
from tests.reports.test_committee_report import OPTIONS, TEXTS


def render(template: Path | None = None) -> bytes:
    t = replace(negotiated(), report=TEXTS)
    return render_committee_docx(t, score_tender(t), OPTIONS, template)


def open_docx(data: bytes):  # type: ignore[no-untyped-def]
    from docx import Document

    return Document(io.BytesIO(data))


def test_structure_styles_tables_and_properties() -> None:
    from docx.oxml.ns import qn

    doc = open_docx(render())
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["1. Purpose of the report", "2. Recommendations", "3. Reasons for the recommendation",
                            "4. Background"]
    assert "Appendix 2. Tender prices and scores (exempt)" in headings
    texts = [p.text for p in doc.paragraphs]
    assert "1.1  To seek approval to award the contract." in texts
    assert any(t.startswith("(1)  approves the award of the contract") for t in texts)
    assert any("[to be completed: options considered and rejected]" in t for t in texts)
    assert doc.core_properties.title.startswith("Committee report: NET-2026-01")
    assert doc.core_properties.author == "Ashbourne District Council"
    assert doc.core_properties.language == "en-GB"
    lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"
    criteria = next(t for t in doc.tables if t.rows[0].cells[0].text == "Criterion")
    assert [c.text for c in criteria.rows[0].cells] == ["Criterion", "Kind", "Weight"]
    assert criteria.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None      # repeats on every page
    assert len(criteria.rows) == 1 + len(negotiated().criteria)


def make_template(tmp_path: Path, body: list[str], *, macros: bool = False) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("ASHBOURNE DISTRICT COUNCIL — {{committee}} — {{meeting_date}}")
    for line in body:
        doc.add_paragraph(line)
    path = tmp_path / "template.docx"
    doc.save(path)
    if macros:
        with zipfile.ZipFile(path, "a") as z:
            z.writestr("word/vbaProject.bin", b"\x00macro")
    return path


def test_the_councils_template_with_placeholders(tmp_path: Path) -> None:
    template = make_template(tmp_path, ["Subject: {{title}} ({{reference}})", "{{report}}", "End of report."])
    doc = open_docx(render(template))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == ("ASHBOURNE DISTRICT COUNCIL — Policy and Resources Committee — "
                        "[to be completed: date of meeting]")
    assert texts[1] == "Subject: Corporate network and broadband (NET-2026-01)"
    assert texts[-1] == "End of report."
    assert "1. Purpose of the report" in texts and not any("{{" in t for t in texts)


@pytest.mark.parametrize(("kind", "says"), [
    ("no placeholder", "has no {{report}} placeholder"),
    ("unknown", "unknown placeholders: {{budget}}"),
    ("broken", "not a Word document (.docx)"),
    ("macros", "contains macros"),
])
def test_a_bad_template_is_one_line_naming_the_file(tmp_path: Path, kind: str, says: str) -> None:
    if kind == "broken":
        template = tmp_path / "template.docx"
        template.write_bytes(b"PK\x03\x04 not really a zip")
    else:
        body = {"no placeholder": ["Dear members"], "unknown": ["{{report}}", "{{budget}}"],
                "macros": ["{{report}}"]}[kind]
        template = make_template(tmp_path, body, macros=kind == "macros")
    with pytest.raises(TemplateError) as e:
        render(template)
    message = str(e.value)
    assert message.startswith(str(template)) and says in message and "\n" not in message


def test_the_cli_writes_word_by_extension_and_leaves_nothing_on_a_bad_template(tmp_path: Path) -> None:
    from svdesk.cli.main import main

    out = tmp_path / "paper.docx"
    demo_file = Path(__file__).resolve().parents[2] / "resources" / "demo" / "network-tender.json"
    assert main(["report", str(demo_file), "--kind", "award", "--out", str(out)]) == 0
    assert open_docx(out.read_bytes()).paragraphs
    bad = tmp_path / "bad.docx"
    bad.write_text("not a document")
    out2 = tmp_path / "paper2.docx"
    assert main(["report", str(demo_file), "--kind", "award", "--out", str(out2), "--template", str(bad)]) == 2
    assert not out2.exists()


def test_libreoffice_converts_it_to_pdf(tmp_path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (./run-tests installs libreoffice-writer-nogui on Debian; "
                    "it could not here)")
    docx_path = tmp_path / "committee.docx"
    docx_path.write_bytes(render())
    profile = tmp_path / "lo-profile"
    subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx_path)], check=True, capture_output=True, timeout=240)
    from tests.reports.fixtures import pdf_text

    text = " ".join(pdf_text((tmp_path / "committee.pdf").read_bytes()).split())
    assert "1. Purpose of the report" in text and "That the Committee:" in text
