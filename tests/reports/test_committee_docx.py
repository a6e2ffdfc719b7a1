"""The committee report as a Word document (issue 13, item 3): real Heading styles, paragraphs numbered by Word
itself (numbering.xml and w:numPr, read back here), tables with a repeating header row, the chart as a picture
with alternative text, en-GB, title and author; on the council's template with {{placeholders}}; opened by
python-docx and converted by LibreOffice; bad templates refused in one line naming the file."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from svdesk.domain.scoring import score_tender
from svdesk.reports.docx import TemplateError, render_committee_docx
from svdesk.reports.options import ReportOptions
from tests.reports.fixtures import negotiated
from tests.reports.test_committee_report import OPTIONS, TEXTS


def render(template: Path | None = None, options: ReportOptions = OPTIONS, **texts: Any) -> bytes:
    t = replace(negotiated(), report=replace(TEXTS, **texts))
    return render_committee_docx(t, score_tender(t), options, template)


def open_docx(data: bytes):  # type: ignore[no-untyped-def]
    from docx import Document

    return Document(io.BytesIO(data))


def numbered(doc: Any) -> list[tuple[str, str, str]]:
    """``(number, text, style)`` of every body paragraph, the number worked out as Word does from the document's
    numbering definitions (numbering.xml) and each paragraph's w:numPr (``""``: not numbered)."""
    from docx.oxml.ns import qn

    root = doc.part.numbering_part.element
    abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
    nums = {n.get(qn("w:numId")): n.find(qn("w:abstractNumId")).get(qn("w:val")) for n in root.findall(qn("w:num"))}
    counters: dict[str, list[int]] = {}
    out = []
    for p in doc.paragraphs:
        num_pr = p._p.pPr.numPr if p._p.pPr is not None else None
        if num_pr is None:
            out.append(("", p.text, p.style.name))
            continue
        definition = abstract[nums[str(num_pr.numId.val)]]
        level = int(num_pr.ilvl.val)
        lvl = next(x for x in definition.findall(qn("w:lvl")) if int(x.get(qn("w:ilvl"))) == level)
        assert lvl.find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
        count = counters.setdefault(definition.get(qn("w:abstractNumId")), [0] * 9)
        count[level] += 1
        count[level + 1:] = [0] * (8 - level)
        label = lvl.find(qn("w:lvlText")).get(qn("w:val"))
        for k in range(level + 1):
            label = label.replace(f"%{k + 1}", str(count[k]))
        out.append((label, p.text, p.style.name))
    return out


def test_structure_styles_tables_and_properties() -> None:
    from docx.oxml.ns import qn

    doc = open_docx(render())
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:4] == ["Purpose of the report", "Recommendations", "Reasons for the recommendation",
                            "Background"]
    assert "Appendix 2. Tender prices and scores (exempt)" in headings
    texts = [p.text for p in doc.paragraphs]
    assert "To seek approval to award the contract." in texts
    assert any(t.startswith("approves the award of the contract") for t in texts)
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


def test_sections_paragraphs_and_the_resolution_are_numbered_by_word() -> None:
    rows = numbered(open_docx(render()))
    by_text = {text: number for number, text, _ in rows}
    heads = [(n, t) for n, t, style in rows if style == "Heading 1" and n]
    assert heads[:4] == [("1.", "Purpose of the report"), ("2.", "Recommendations"),
                         ("3.", "Reasons for the recommendation"), ("4.", "Background")]
    assert heads[-1] == ("11.", "Appendices")
    assert by_text["To seek approval to award the contract."] == "1.1"
    assert by_text["The current contract ends on 31 March 2027."] == "4.1"   # restarts under each heading
    assert by_text["It was let in 2021."] == "4.2"
    assert by_text["[to be completed: options considered and rejected]"] == "5.1"
    resolution = [(n, t) for n, t, _ in rows if n.startswith("(")]
    assert [n for n, _ in resolution] == ["(1)", "(2)"]
    assert resolution[0][1].startswith("approves the award of the contract for Corporate network")
    assert resolution[1][1].startswith("delegates authority to the Director of Resources")
    # No number is typed into the text: Word's numbering is the only one.
    typed = [t for n, t, _ in rows if re.match(r"^(\d+\.(\d+)?|\(\d+\))\s", t)]
    assert typed == []
    # The appendices' own headings are not numbered as sections.
    assert ("", "Appendix 1. Conflicts of interest of the evaluation panel", "Heading 1") in rows


def test_the_chart_is_a_picture_with_alternative_text() -> None:
    from docx.oxml.ns import qn
    from PIL import Image

    doc = open_docx(render())
    shapes = doc.inline_shapes
    assert len(shapes) == 1
    pr = shapes[0]._inline.find(qn("wp:docPr"))
    assert pr.get("descr").startswith("Stacked bar chart of the weighted scores out of 100 of 3 ranked tenders")
    assert "Acme Networks Ltd: 84.89" in pr.get("descr") and pr.get("title") == "Chart"
    blip = shapes[0]._inline.graphic.graphicData.pic.blipFill.blip
    image = doc.part.related_parts[blip.embed]
    assert image.content_type == "image/png"
    png = Image.open(io.BytesIO(image.blob)).convert("RGB")
    assert png.width >= 1200                                  # 200 dpi over the chart's width
    colours = {c for _, c in png.getcolors(1 << 20)}
    assert (0x1F, 0x3A, 0x5F) in colours and (0xB5, 0x54, 0x1C) in colours     # the series' fills
    # By default the chart names the unsuccessful bidders, so it sits in the exempt appendix, after its heading.
    texts = [p.text for p in doc.paragraphs]
    picture_at = next(i for i, p in enumerate(doc.paragraphs) if p._p.xpath(".//wp:docPr"))
    assert texts.index("Appendix 2. Tender prices and scores (exempt)") < picture_at


def test_the_pages_of_the_built_in_template_are_a4() -> None:
    section = open_docx(render()).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


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
    assert "Purpose of the report" in texts and not any("{{" in t for t in texts)
    assert ("1.1", "To seek approval to award the contract.") in [(n, t) for n, t, _ in numbered(doc)]


def _without_numbering(path: Path) -> None:
    """Take numbering.xml (and every reference to it) out of a .docx, as some councils' templates are."""
    parts = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            parts[name] = z.read(name)
    del parts["word/numbering.xml"]
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    parts["word/_rels/document.xml.rels"] = re.sub(r"<Relationship [^>]*numbering\.xml\"/>", "", rels).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = re.sub(r"<Override [^>]*numbering\.xml\"[^>]*/>", "", types).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_template_without_numbering_gets_its_own(tmp_path: Path) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    template = make_template(tmp_path, ["{{report}}"])
    _without_numbering(template)
    with pytest.raises(KeyError):
        open_docx(template.read_bytes()).part.part_related_by(RT.NUMBERING)
    doc = open_docx(render(template))
    rows = numbered(doc)
    assert ("1.", "Purpose of the report") in [(n, t) for n, t, _ in rows]
    assert tuple(n for n, t, _ in rows if t.startswith("delegates authority")) == ("(2)",)


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
    from svdesk.reports.letterhead import load_logo
    from tests.reports.fixtures import ADDRESS, make_logo

    logo, _ = load_logo(make_logo(tmp_path / "logo.png"))
    docx_path = tmp_path / "committee.docx"
    docx_path.write_bytes(render(options=replace(OPTIONS, logo=logo, address=ADDRESS)))
    profile = tmp_path / "lo-profile"
    subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx_path)], check=True, capture_output=True, timeout=240)
    from tests.reports.fixtures import pdf_text

    converted = (tmp_path / "committee.pdf").read_bytes()
    text = " ".join(pdf_text(converted).split())
    assert "1. Purpose of the report" in text and "That the Committee:" in text
    # Word's numbering, as another Word-compatible reader draws it; and the chart picture is on the page.
    assert "1.1 To seek approval to award the contract." in text
    assert "(1) approves the award of the contract" in text and "(2) delegates authority" in text
    assert "4.2 It was let in 2021." in text
    import pikepdf

    with pikepdf.open(io.BytesIO(converted)) as pdf:
        sizes = [{(int(im.Width), int(im.Height)) for im in page.get_images().values()} for page in pdf.pages]
    assert (400, 160) in sizes[0]                                     # the council's logo, on the first page
    assert any(w >= 1200 for page in sizes[1:] for w, _ in page)      # and the chart
    assert "Town Hall, Market Place, Ashbourne DE6 1ES" in text


def test_the_chart_painter_paints_groups_and_refuses_what_it_cannot_paint() -> None:
    from PIL import Image
    from reportlab.graphics.shapes import Drawing, Group, Rect, Wedge
    from reportlab.lib import colors

    from svdesk.reports.raster import drawing_png

    d = Drawing(72, 36)                                      # one inch by half an inch
    g = Group(Rect(0, 0, 9, 9, fillColor=colors.HexColor("#b5541c"), strokeColor=None))
    g.translate(36, 9)
    d.add(g)
    png = Image.open(io.BytesIO(drawing_png(d, dpi=100))).convert("RGB")
    assert png.size == (100, 50)
    assert png.getpixel((56, 34)) == (0xB5, 0x54, 0x1C)       # moved by its group; y counted from the bottom
    assert png.getpixel((10, 10)) == (255, 255, 255)
    d.add(Wedge(10, 10, 5, 0, 90))
    with pytest.raises(TypeError, match="cannot paint a Wedge"):
        drawing_png(d)


def test_headers_and_footers_are_filled_where_there_are_some_and_never_added(tmp_path: Path) -> None:
    """Reading a header the document lacks makes python-docx add one from a template file it finds through
    ``docx/parts/..``, which a one-file executable does not have (the frozen Linux build failed so)."""
    from docx import Document

    names = zipfile.ZipFile(io.BytesIO(render())).namelist()
    assert not [n for n in names if "header" in n or "footer" in n]
    doc = Document()
    doc.add_paragraph("{{report}}")
    doc.sections[0].header.paragraphs[0].text = "{{authority}} · {{reference}}"
    template = tmp_path / "with-header.docx"
    doc.save(template)
    out = open_docx(render(template))
    assert out.sections[0].header.paragraphs[0].text == "Ashbourne District Council · NET-2026-01"


def test_the_councils_template_setting_is_used_by_the_cli_and_a_broken_one_says_where_it_is_set(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``report.template`` in the council's settings: every Word committee report is built on it (a template named
    with ``--template`` wins); a broken one is refused, saying it is the council's setting and how to change it."""
    from svdesk.cli.main import main

    db = tmp_path / "council.sqlite3"
    demo_file = Path(__file__).resolve().parents[2] / "resources" / "demo" / "network-tender.json"
    assert main(["--db", str(db), "import", str(demo_file)]) == 0
    template = make_template(tmp_path, ["Subject: {{title}}", "{{report}}", "Ashbourne template ends."])
    assert main(["--db", str(db), "settings", "set", "report.template", str(template)]) == 0
    out = tmp_path / "paper.docx"
    assert main(["--db", str(db), "report", "NET-2026-01", "--kind", "committee", "--out", str(out)]) == 0
    texts = [p.text for p in open_docx(out.read_bytes()).paragraphs]
    assert texts[0].startswith("ASHBOURNE DISTRICT COUNCIL") and texts[-1] == "Ashbourne template ends."
    other = tmp_path / "other"
    other.mkdir()
    named = make_template(other, ["{{report}}", "Named for this paper."])
    out2 = tmp_path / "paper2.docx"
    assert main(["--db", str(db), "report", "NET-2026-01", "--kind", "committee", "--out", str(out2),
                 "--template", str(named)]) == 0
    assert [p.text for p in open_docx(out2.read_bytes()).paragraphs][-1] == "Named for this paper."
    template.write_bytes(b"PK\x03\x04 damaged")          # the council's file is damaged since it was chosen
    capsys.readouterr()
    out3 = tmp_path / "paper3.docx"
    assert main(["--db", str(db), "report", "NET-2026-01", "--kind", "committee", "--out", str(out3)]) == 2
    err = capsys.readouterr().err.strip()
    assert str(template) in err and "council's committee report template" in err and "\n" not in err
    assert not out3.exists()
    # the PDF papers do not need the template: they still print
    assert main(["--db", str(db), "report", "NET-2026-01", "--kind", "committee",
                 "--out", str(tmp_path / "c.pdf")]) == 0
