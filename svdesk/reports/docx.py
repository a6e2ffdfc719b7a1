"""The committee report as a Word document (python-docx), on the council's own template or a clean built-in one.

The content is the PDF's: the committee report's story (:class:`~svdesk.reports.committee.CommitteeReport`) is
walked flowable by flowable, so the two never say different things. Headings become Word's own Heading 1–3
styles (the navigation pane and a screen reader see them); the sections and their paragraphs are numbered by
Word itself (a multilevel list in ``numbering.xml``: sections ``1.``, paragraphs ``1.1``, ``1.2`` …, and the
resolution's ``(1)``, ``(2)``), so a clerk who adds or moves a paragraph gets the numbers right; tables become
Word tables whose header row repeats on every page; the chart is a picture (painted by
:mod:`svdesk.reports.raster`) with its alternative text; a page break stays a page break. The document's
language is en-GB and its title and author are in the document properties.

On the built-in template the page is A4 and the first page carries the council's letterhead as the PDF does (its
logo, with "<council> logo" as alternative text, and its address). A council's own template has its own
letterhead, so svdesk adds none: ``{{address}}`` puts the address where the template wants it.

A council template is a ``.docx`` with its own styles and these placeholders, each alone in a paragraph or
inside one run of text:

``{{report}}`` (required)
    where the report's body goes (a paragraph of its own);
``{{title}}``, ``{{reference}}``, ``{{authority}}``, ``{{address}}``, ``{{committee}}``, ``{{meeting_date}}``,
``{{report_date}}``, ``{{author}}``
    single values, anywhere in the body, header or footer.

A template that is not a Word document, has no ``{{report}}``, uses a placeholder svdesk does not know, or
carries macros is refused with one line naming the file and what is wrong (:class:`TemplateError`); nothing is
written.
"""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar
from xml.sax.saxutils import unescape

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Table

from svdesk.domain.scoring import Results
from svdesk.domain.tender import Tender
from svdesk.errors import SvdeskError
from svdesk.reports.base import LogoImage, _TableChunk, long_date
from svdesk.reports.committee import CommitteeReport
from svdesk.reports.flow import Paragraph
from svdesk.reports.options import ReportOptions

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
VALUES = ("title", "reference", "authority", "address", "committee", "meeting_date", "report_date", "author")
_HEADINGS = {"H1": "Heading 1", "H2": "Heading 2", "H3": "Heading 3", "DocTitle": "Title", "CoverTitle": "Title"}
#: Twips (1/20 pt): where a numbered paragraph's text starts, and the number's room before it.
_INDENT = 851          # 1.5 cm


class TemplateError(SvdeskError):
    """The council's Word template cannot be used (one line: the file and what is wrong)."""


def _plain(markup: str) -> str:
    text = re.sub(r"<br\s*/?>", "\n", markup)
    return unescape(re.sub(r"<[^>]+>", "", text)).replace("\u00a0", " ")


def _cell_text(value: Any) -> str:
    if isinstance(value, Paragraph):
        return _plain(value.text)
    if isinstance(value, (list, tuple)):
        return "\n".join(_cell_text(v) for v in value)
    if isinstance(value, Table):
        return "\n".join(" ".join(_cell_text(c) for c in row) for row in value._cellvalues)
    return "" if value is None else str(value)


def check_template(path: Path) -> bytes:
    """The template's bytes after checking it; raises :class:`TemplateError` naming the file."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise TemplateError(f"{path}: the Word template cannot be read ({e.strerror or e})") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            types = z.read("[Content_Types].xml").decode("utf-8", "replace") if "[Content_Types].xml" in names \
                else ""
    except zipfile.BadZipFile:
        raise TemplateError(f"{path}: not a Word document (.docx): the file is damaged or of another kind") from None
    if "word/document.xml" not in names:
        raise TemplateError(f"{path}: not a Word document (.docx): it has no word/document.xml")
    if any(n.lower().endswith("vbaproject.bin") for n in names) or "macroEnabled" in types:
        raise TemplateError(f"{path}: the Word template contains macros; save it as a plain .docx without macros")
    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises many kinds for a broken part
        raise TemplateError(f"{path}: the Word document cannot be opened ({type(e).__name__})") from None
    found = set()
    for p in _all_paragraphs(doc):
        found.update(PLACEHOLDER.findall(p.text))
    if "report" not in found:
        raise TemplateError(f"{path}: the Word template has no {{{{report}}}} placeholder (where the report goes)")
    unknown = sorted(found - {"report", *VALUES})
    if unknown:
        raise TemplateError(f"{path}: the Word template has unknown placeholders: "
                            + ", ".join(f"{{{{{u}}}}}" for u in unknown))
    return data


def _all_paragraphs(doc: Any) -> Iterable[Any]:
    yield from doc.paragraphs
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in doc.sections:
        for part in (section.header, section.footer):
            # Only a header or footer the document has: reading one it lacks makes python-docx add it, from a
            # template file it finds through ``docx/parts/..``, a folder a one-file executable does not have.
            if not part.is_linked_to_previous:
                yield from part.paragraphs


class CommitteeDocx:
    """Build the committee report's ``.docx``.

    Args:
        tender, results, options: as for :class:`CommitteeReport`.
        template: a Word template named for this paper; ``None``: the council's (``options.word_template``),
            else the built-in one.
    """

    def __init__(self, tender: Tender, results: Results, options: ReportOptions,
                 template: Path | None = None) -> None:
        self.report = CommitteeReport(tender, results, options)
        #: the council's own template from its settings when none is named for this paper
        self.from_settings = template is None and bool(options.word_template)
        self.template = Path(options.word_template) if self.from_settings else template

    def render(self) -> bytes:
        """The ``.docx`` bytes (or :class:`TemplateError` for a template that cannot be used)."""
        from docx import Document

        try:
            data = check_template(self.template) if self.template is not None else None
        except TemplateError as e:
            if not self.from_settings:
                raise
            raise TemplateError(f"{e} (the council's committee report template: change it in Tools → Council "
                                "settings, or clear it with: svdesk settings set report.template \"\")") from None
        doc = Document(io.BytesIO(data)) if data is not None else Document()
        if data is None:
            _a4(doc)
        r, o, t = self.report, self.report.options, self.report.tender
        values = {"title": t.title, "reference": t.reference, "authority": o.authority,
                  "address": ", ".join(line for line in o.address.splitlines() if line.strip()),
                  "committee": t.report.committee or "[to be completed: committee]",
                  "meeting_date": t.report.meeting_date or "[to be completed: date of meeting]",
                  "report_date": long_date(o.report_date), "author": o.officer}
        story = r._story()
        # The {{report}} paragraph of a template: the body goes just before it, then it is removed.
        anchor = None if data is None else next(
            (p for p in doc.paragraphs if "{{report}}" in p.text.replace(" ", "")), None)
        if data is not None and anchor is None:
            raise TemplateError(f"{self.template}: the {{{{report}}}} placeholder must be a paragraph of the "
                                "document's body (not in a table, header or footer)")
        self._fill_values(doc, values)
        self._write(doc, story, anchor)
        if anchor is not None:
            anchor._element.getparent().remove(anchor._element)
        props = doc.core_properties
        props.title = r.title
        props.author = o.authority
        props.subject = r.kind
        props.language = "en-GB"
        props.keywords = t.reference
        _set_language(doc, "en-GB")
        buf = io.BytesIO()
        doc.save(buf)
        return buf.getvalue()

    def _fill_values(self, doc: Any, values: dict[str, str]) -> None:
        for p in _all_paragraphs(doc):
            if "{{" not in p.text:
                continue
            for run in p.runs:
                run.text = PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), run.text)

    def _write(self, doc: Any, story: Sequence[Flowable], anchor: Any) -> None:
        tables: dict[int, Any] = {}          # one Word table per logical table (all chunks of it)
        lists = Numbering(doc)
        text_width = _text_width(doc)

        def paragraph(text: str, style: str | None) -> Any:
            if anchor is not None:
                p = anchor.insert_paragraph_before(text)
                if style:
                    with contextlib.suppress(KeyError):        # a template without that style: its Normal
                        p.style = doc.styles[style]
                return p
            return doc.add_paragraph(text, style=style)

        def picture(png: bytes, width_pt: float, alt: str, title: str) -> None:
            from docx.shared import Pt

            p = paragraph("", None)
            run = p.add_run()
            run.add_picture(io.BytesIO(png), width=Pt(min(width_pt, text_width)))
            for pr in run._r.xpath(".//wp:docPr"):
                pr.set("descr", alt)
                pr.set("title", title)

        def table(rows: list[list[str]], header: bool, key: int | None) -> None:
            word = tables.get(key) if key is not None else None
            if word is None:
                word = doc.add_table(rows=0, cols=len(rows[0]))
                with contextlib.suppress(KeyError):
                    word.style = doc.styles["Table Grid"]
                if anchor is not None:
                    anchor._element.addprevious(word._element)
                if key is not None:
                    tables[key] = word
            else:
                rows = rows[1:] if header else rows     # a chunk's repeated header
                header = False
            for i, values in enumerate(rows):
                cells = word.add_row().cells
                for cell, value in zip(cells, values, strict=False):
                    cell.text = value
                if header and i == 0:
                    _repeat_header(word.rows[-1])

        def walk(items: Iterable[Flowable]) -> None:
            for f in items:
                if isinstance(f, KeepTogether):
                    walk(f._content)
                elif isinstance(f, PageBreak):
                    if anchor is None:
                        doc.add_page_break()
                elif isinstance(f, LogoImage):
                    if anchor is None:                 # a council template carries its own letterhead
                        picture(f.logo.png, f.drawWidth, f.alt_text, "Logo")
                elif isinstance(f, Paragraph):
                    if anchor is not None and f.style.name in ("DocAddress", "CoverAddress"):
                        continue                       # the letterhead's address: {{address}} in a template
                    number = getattr(f, "svdesk_numbering", None)
                    if number is None:
                        paragraph(_plain(f.text), _HEADINGS.get(f.style.name))
                    else:
                        series, level, body = number
                        lists.number(paragraph(_plain(body), _HEADINGS.get(f.style.name)), series, level)
                elif isinstance(f, Drawing):
                    from svdesk.reports.raster import drawing_png

                    picture(drawing_png(f), f.width, getattr(f, "alt_text", "") or "Chart", "Chart")
                elif isinstance(f, _TableChunk):
                    t = f._make(f._start, f._stop, f._first, None)
                    table([[_cell_text(c) for c in row] for row in t._cellvalues], f._first,
                          id(getattr(t, "_renderCB", None)))
                elif isinstance(f, Table):
                    rows = [[_cell_text(c) for c in row] for row in f._cellvalues]
                    if rows:
                        table(rows, bool(getattr(f, "repeatRows", 0)), None)

        walk(story)


class Numbering:
    """Word's own paragraph numbering for one document: two numbering definitions added to ``numbering.xml``
    (made if the template has none), and ``w:numPr`` on each numbered paragraph.

    * ``report``: level 0 ``1.`` for the section headings, level 1 ``1.1`` for their paragraphs (restarting
      under each heading), the text at 1.5 cm with the number in the room before it;
    * ``resolution``: ``(1)``, ``(2)`` … for the items of the resolution.
    """

    LEVELS: ClassVar[dict[str, tuple[tuple[str, int], ...]]] = {
        "report": (("%1.", _INDENT), ("%1.%2", _INDENT)),
        "resolution": (("(%1)", _INDENT),),
    }

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self._ids: dict[str, int] = {}

    def number(self, p: Any, series: str, level: int) -> None:
        """Number paragraph ``p`` at ``level`` of ``series`` (its own numbering wins over any a template's
        heading style carries, and the list's indents over the style's)."""
        num = self._ids.get(series)
        if num is None:
            num = self._ids[series] = self._define(self.LEVELS[series])
        p_pr = p._p.get_or_add_pPr()
        num_pr = p_pr.get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = level
        num_pr.get_or_add_numId().val = num

    def _root(self) -> Any:
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls
        from docx.parts.numbering import NumberingPart

        part = self.doc.part
        try:
            return part.part_related_by(RT.NUMBERING).element
        except KeyError:                               # a template without numbering: python-docx cannot make one
            numbering = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING,
                                      parse_xml(f"<w:numbering {nsdecls('w')}/>"), part.package)
            part.relate_to(numbering, RT.NUMBERING)
            return numbering.element

    def _define(self, levels: Sequence[tuple[str, int]]) -> int:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls, qn

        root = self._root()
        abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in root.findall(qn("w:abstractNum"))]
        num_ids = [int(n.get(qn("w:numId"))) for n in root.findall(qn("w:num"))]
        abstract_id, num_id = max(abstract_ids, default=-1) + 1, max(num_ids, default=0) + 1
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="{text}"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:tabs><w:tab w:val="num" w:pos="{indent}"/></w:tabs>'
            f'<w:ind w:left="{indent}" w:hanging="{indent}"/></w:pPr></w:lvl>'
            for i, (text, indent) in enumerate(levels))
        abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                             f'<w:multiLevelType w:val="{"multilevel" if len(levels) > 1 else "singleLevel"}"/>'
                             f'{lvls}</w:abstractNum>')
        num = parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                        f'</w:num>')
        # The schema's order: w:abstractNum before every w:num, and w:numIdMacAtCleanup last.
        first_num = root.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            root.append(abstract)
        cleanup = root.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(num)
        else:
            root.append(num)
        return num_id


def _a4(doc: Any) -> None:
    """The built-in template's pages: A4 with 2 cm margins (python-docx's own template is US Letter)."""
    from docx.shared import Mm

    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)


def _text_width(doc: Any) -> float:
    """The width (points) between the last section's margins."""
    section = doc.sections[-1]
    try:
        return float((section.page_width - section.left_margin - section.right_margin) / 12700)
    except TypeError:                                  # a template section without a page size
        return 450.0


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _set_language(doc: Any, lang: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    el = OxmlElement("w:lang")
    el.set(qn("w:val"), lang)
    el.set(qn("w:eastAsia"), lang)
    el.set(qn("w:bidi"), "ar-SA")
    rpr.append(el)


def render_committee_docx(tender: Tender, results: Results, options: ReportOptions,
                          template: Path | None = None) -> bytes:
    """Convenience: the committee report's ``.docx`` bytes."""
    return CommitteeDocx(tender, results, options, template).render()


__all__: Sequence[str] = ["CommitteeDocx", "TemplateError", "check_template", "render_committee_docx"]
