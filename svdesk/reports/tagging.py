"""A small tagging layer on ReportLab's canvas: tagged, accessible PDF (PDF/UA-1 structure) for every paper.

ReportLab's open-source edition writes no structure tree, so a screen reader gets an untagged jumble. This module
adds what a tagged PDF needs, and nothing else:

* marked content: every paragraph, heading, list item, table cell and chart is wrapped in ``/Tag <</MCID n>> BDC
  … EMC`` in the page's content stream; everything else on the page (running header and footer, page numbers,
  rules, backgrounds, the DRAFT mark, repeated table headers) is wrapped in ``/Artifact BMC … EMC``, so a
  screen reader skips it;
* the structure tree: ``Document`` with ``H1``–``H3``, ``P``, ``L``/``LI``/``LBody``, ``Table``/``TR``/``TH``
  (with ``/Scope``)/``TD`` and ``Figure`` (with ``/Alt``: every chart, and the council's logo) in reading order,
  the ``ParentTree`` mapping each page's MCIDs back to their elements, ``/StructParents`` on every page;
* in the catalog: ``StructTreeRoot``, ``MarkInfo /Marked true``, ``/Lang``, ``ViewerPreferences
  /DisplayDocTitle true``, XMP metadata with the title and ``pdfuaid:part 1``, and a bookmark (outline entry)
  for every heading.

How it hooks in: :class:`TaggedFrame` marks each flowable the frame draws (by its kind and paragraph style);
tables are marked cell by cell through ReportLab's table render callback (:class:`TableTags`, carried over to
every part of a split table); :class:`TaggingCanvas` (the numbered canvas of :mod:`svdesk.reports.base`) keeps
the marks per page and, when the document is saved, turns everything between them into artifacts and writes
the tree. Content drawn inside a tagged cell (a table inside a table) belongs to that cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFString,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format
from reportlab.platypus import Frame, Paragraph, Table
from reportlab.platypus.flowables import Flowable

#: Paragraph styles that are headings, by the structure tag they get.
HEADING_STYLES = {"CoverTitle": "H1", "DocTitle": "H1", "H1": "H1", "H2": "H2", "H3": "H3"}
#: Flowables that draw nothing a reader needs (spacing, page breaks, actions).
_SILENT = ("Spacer", "CondPageBreak", "PageBreak", "NextPageTemplate", "ActionFlowable", "_TableChunk",
           "KeepTogether", "NullActionFlowable")


class _Mark(str):
    """A BDC/EMC operator that the tagging layer put into a page's content stream (told apart at save)."""

    __slots__ = ()


@dataclass
class Node:
    """One structure element: its tag, attributes and children (elements, or ``(page, mcid)`` content)."""

    tag: str
    attrs: dict[str, Any] = field(default_factory=dict)
    kids: list[Node | tuple[int, int]] = field(default_factory=list)

    def add(self, tag: str, **attrs: Any) -> Node:
        """A new child element."""
        node = Node(tag, dict(attrs))
        self.kids.append(node)
        return node


@dataclass
class Outline:
    """A bookmark to write when its page is written."""

    page: int
    top: float
    title: str
    level: int


class Tagger:
    """The structure tree of one document and the bookkeeping of its marked content."""

    def __init__(self) -> None:
        self.root = Node("Document")
        self.mcids: dict[int, list[Node]] = {}      # page index -> element of each MCID on it
        self.depth = 0                               # open tagged sequences (content inside one is not re-tagged)
        self.outlines: list[Outline] = []
        self._list: Node | None = None               # the list the last list item went into

    def begin(self, canv: Any, node: Node) -> bool:
        """Open marked content for ``node`` on the canvas's current page (``False`` if inside another)."""
        if self.depth:
            return False
        page = canv.getPageNumber() - 1
        mcids = self.mcids.setdefault(page, [])
        node.kids.append((page, len(mcids)))
        canv._code.append(_Mark(f"/{node.tag} <</MCID {len(mcids)}>> BDC"))
        mcids.append(node)
        self.depth += 1
        return True

    def end(self, canv: Any) -> None:
        """Close the marked content opened by :meth:`begin`."""
        canv._code.append(_Mark("EMC"))
        self.depth -= 1

    def list_item(self) -> tuple[Node, Node]:
        """A new list item and its body, in the list the previous item went into if nothing came between."""
        if self._list is None or not self.root.kids or self.root.kids[-1] is not self._list:
            self._list = self.root.add("L")
        item = self._list.add("LI")
        return item, item.add("LBody")

    def undo(self, canv: Any, code_len: int, node: Node, item: Node | None) -> None:
        """Forget a flowable that the frame did not draw after all (it did not fit)."""
        for kid in node.kids:
            if isinstance(kid, tuple):
                self.mcids[kid[0]].pop()
        del canv._code[code_len:]
        if item is None:
            if self.root.kids and self.root.kids[-1] is node:
                self.root.kids.pop()
            return
        lst = self._list
        if lst is not None and lst.kids and lst.kids[-1] is item:
            lst.kids.pop()
            if not lst.kids and self.root.kids and self.root.kids[-1] is lst:
                self.root.kids.pop()
                self._list = None


def _plain(markup: str) -> str:
    import re
    from xml.sax.saxutils import unescape

    return " ".join(unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<br\s*/?>", " ", markup))).split())


class TaggedFrame(Frame):  # type: ignore[misc]  # ReportLab ships no type hints
    """A frame that tags each flowable it draws (headings also get a bookmark)."""

    def add(self, flowable: Flowable, canv: Any, trySplit: int = 0) -> int:  # noqa: N803  (ReportLab's name)
        tagger: Tagger | None = getattr(canv, "tagger", None)
        name = type(flowable).__name__
        if tagger is None or name in _SILENT or tagger.depth:
            if isinstance(flowable, Table) and getattr(flowable, "_renderCB", None) is None and tagger:
                flowable._renderCB = TableTags("layout")
            return int(Frame.add(self, flowable, canv, trySplit))
        if isinstance(flowable, Table):
            if getattr(flowable, "_renderCB", None) is None:
                flowable._renderCB = TableTags("layout")
            return int(Frame.add(self, flowable, canv, trySplit))
        heading = ""
        item: Node | None = None          # the list item, for a bullet
        if isinstance(flowable, Paragraph):
            heading = HEADING_STYLES.get(flowable.style.name, "")
            if heading:
                node = tagger.root.add(heading)
            elif getattr(flowable, "bulletText", None):
                item, node = tagger.list_item()
            else:
                node = tagger.root.add("P")
        elif isinstance(flowable, Drawing):
            node = tagger.root.add("Figure", Alt=getattr(flowable, "alt_text", "") or "Chart")
        elif getattr(flowable, "alt_text", ""):          # an image (the council's logo) with alternative text
            node = tagger.root.add("Figure", Alt=flowable.alt_text)
        else:
            node = tagger.root.add("P")
        before = len(canv._code)
        top = self._y
        opened = tagger.begin(canv, node)
        done = int(Frame.add(self, flowable, canv, trySplit))
        if opened:
            tagger.end(canv)
        if not done:
            tagger.undo(canv, before, node, item)
            return done
        if node.tag == "Figure":
            width = getattr(flowable, "drawWidth", None) or flowable.width
            node.attrs["BBox"] = (self._x, self._y, self._x + width, top)
        if heading:
            level = int(heading[1]) - 1
            tagger.outlines.append(Outline(canv.getPageNumber() - 1, top, _plain(flowable.text), level))
        return done


class TableTags:
    """ReportLab's table render callback: tags one logical table cell by cell (all its split parts share it).

    Args:
        role: ``"data"`` (rows under ``repeatRows`` header rows are ``TH Scope=Column``; header rows repeated on
            later pages are artifacts), ``"facts"`` (a label column: ``TH Scope=Row``, then ``TD``), or
            ``"layout"`` (a box or block whose cells are paragraphs).
    """

    def __init__(self, role: str = "data") -> None:
        self.tagger = Tagger()      # replaced by the canvas's own when the table is drawn
        self.role = role
        self.node: Node | None = None
        self.header_done = False
        self._row: Node | None = None
        self._active = False
        self._open = False
        self._in_header = False

    def __call__(self, table: Table, event: str, *args: Any) -> None:
        canv = table.canv
        tagger = getattr(canv, "tagger", None)
        if tagger is None:
            return
        self.tagger = tagger
        handler: Callable[..., None] | None = getattr(self, "_" + event, None)
        if handler is not None:
            handler(table, canv, *args)

    def _startTable(self, table: Table, canv: Any) -> None:
        self._active = not self.tagger.depth
        if self._active and self.node is None:
            self.node = self.tagger.root.add("Div" if self.role == "layout" else "Table")

    def _startRow(self, table: Table, canv: Any, row: int) -> None:
        self._row = None
        if not self._active or self.node is None:
            return
        header_rows = int(getattr(table, "repeatRows", 0) or 0) if self.role == "data" else 0
        self._in_header = row < header_rows
        if self._in_header and self.header_done:
            return                                   # a header repeated on a later page: an artifact
        if self.role != "layout":
            self._row = self.node.add("TR")
        else:
            self._row = self.node

    def _startCell(self, table: Table, canv: Any, row: int, col: int, *rest: Any) -> None:
        if self._row is None:
            return
        if self.role == "layout":
            cell = self._row.add("P")
        elif self._in_header:
            cell = self._row.add("TH", Scope="Column")
        elif self.role == "facts" and col == 0:
            cell = self._row.add("TH", Scope="Row")
        else:
            cell = self._row.add("TD")
        self._open = self.tagger.begin(canv, cell)

    def _endCell(self, table: Table, canv: Any) -> None:
        if self._open:
            self.tagger.end(canv)
            self._open = False

    def _endRow(self, table: Table, canv: Any) -> None:
        if self._in_header and self._row is not None:
            self.header_done = True
        self._row = None


def _artifacts(code: list[str]) -> list[str]:
    """The page's content with everything outside tagged sequences wrapped as artifacts."""
    out = ["/Artifact BMC"]
    for op in code:
        if isinstance(op, _Mark):
            if op.endswith("BDC"):
                out += ["EMC", op]
            else:
                out += [op, "/Artifact BMC"]
        else:
            out.append(op)
    out.append("EMC")
    return out


def page_content(canv: Any) -> None:
    """Turn the canvas's current page content into artifacts-and-tags (just before the page is written)."""
    canv._code = _artifacts(canv._code)


def write_outlines(canv: Any, tagger: Tagger, page: int) -> None:
    """Bookmarks for the headings on ``page`` (the page being written), nested by heading level."""
    for k, o in enumerate(tagger.outlines):
        if o.page != page:
            continue
        key = f"h{k}"
        canv.bookmarkPage(key, fit="XYZ", left=0, top=o.top)
        level = 0 if k == 0 else min(o.level, _previous_level(tagger.outlines, k) + 1)
        o.level = level
        canv.addOutlineEntry(o.title or "Section", key, level=level, closed=None)


def _previous_level(outlines: list[Outline], k: int) -> int:
    return outlines[k - 1].level


class _StructElem(PDFObject):  # type: ignore[misc]  # ReportLab ships no type hints
    """One structure element, written straight to bytes.

    A long paper has tens of thousands of elements (one per table cell); as ReportLab dictionaries they took
    a quarter of the paper's time to write, most of it in generic formatting of names and references.
    """

    __slots__ = ("extra", "kids", "page", "parent", "tag")

    def __init__(self, tag: bytes, parent: PDFObjectReference) -> None:
        self.tag, self.parent = tag, parent
        self.page: PDFObjectReference | None = None
        self.kids: list[Any] = []          # MCIDs, references to child elements, MCR dictionaries
        self.extra: list[tuple[bytes, Any]] = []

    def format(self, document: Any) -> bytes:
        ids = document.idToObjectNumberAndVersion

        def one(kid: Any) -> bytes:
            if isinstance(kid, int):
                return b"%d" % kid
            if isinstance(kid, PDFObjectReference):
                return b"%d %d R" % ids[kid.name]
            return bytes(pdf_format(kid, document))

        out = [b"<<\n/Type /StructElem /S ", self.tag, b" /P %d %d R" % ids[self.parent.name]]
        if self.page is not None:
            out.append(b" /Pg %d %d R" % ids[self.page.name])
        # A single kid is written as itself, not as a one-item array (both are valid; the PDF/UA checker
        # used in the tests reads only the first form in headings).
        if len(self.kids) == 1:
            out += [b"\n/K ", one(self.kids[0])]
        else:
            out += [b"\n/K [", b" ".join(one(k) for k in self.kids), b"]"]
        for key, value in self.extra:
            out += [b"\n", key, b" ", bytes(pdf_format(value, document))]
        out.append(b"\n>>")
        return b"".join(out)


def write_tree(canv: Any, tagger: Tagger, title: str, author: str, lang: str) -> None:
    """The structure tree, parent tree, MarkInfo, XMP metadata and viewer preferences, into the catalog."""
    doc = canv._doc
    catalog = doc.Catalog
    root_dict = PDFDictionary({"Type": PDFName("StructTreeRoot")})
    root_ref = doc.Reference(root_dict)
    refs: dict[int, PDFObjectReference] = {}

    def page_ref(page: int) -> PDFObjectReference:
        return PDFObjectReference(f"Page{page + 1}")

    names: dict[str, bytes] = {}        # each tag's name, escaped once

    def build(node: Node, parent_ref: PDFObjectReference) -> PDFObjectReference:
        tag = names.get(node.tag) or names.setdefault(node.tag, bytes(pdf_format(PDFName(node.tag), doc)))
        e = _StructElem(tag, parent_ref)
        ref = doc.Reference(e)
        refs[id(node)] = ref
        pages = [k[0] for k in node.kids if isinstance(k, tuple)]
        if pages:
            e.page = page_ref(pages[0])
        for kid in node.kids:
            if isinstance(kid, tuple):
                page, mcid = kid
                if page == pages[0]:
                    e.kids.append(mcid)
                else:
                    e.kids.append(PDFDictionary({"Type": PDFName("MCR"), "Pg": page_ref(page), "MCID": mcid}))
            else:
                e.kids.append(build(kid, ref))
        attrs = node.attrs
        if "Alt" in attrs:
            e.extra.append((b"/Alt", PDFString(attrs["Alt"])))
        if "Scope" in attrs:
            e.extra.append((b"/A", PDFDictionary({"O": PDFName("Table"), "Scope": PDFName(attrs["Scope"])})))
        if "BBox" in attrs:
            e.extra.append((b"/A", PDFDictionary({"O": PDFName("Layout"),
                                                  "BBox": PDFArray([round(v, 2) for v in attrs["BBox"]])})))
        return ref

    doc_ref = build(tagger.root, root_ref)
    nums: list[Any] = []
    for page in sorted(tagger.mcids):
        nums += [page, PDFArray([refs[id(n)] for n in tagger.mcids[page]])]
    root_dict["K"] = doc_ref
    root_dict["ParentTree"] = doc.Reference(PDFDictionary({"Nums": PDFArray(nums)}))
    root_dict["ParentTreeNextKey"] = max(tagger.mcids, default=-1) + 1
    catalog.StructTreeRoot = root_dict
    catalog.MarkInfo = PDFDictionary({"Marked": "true"})
    catalog.Lang = PDFString(lang)
    canv.setViewerPreference("DisplayDocTitle", "true")
    meta = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}),
                     xmp(title, author, lang).encode("utf-8"), filters=[])
    catalog.Metadata = meta


def set_struct_parents(page: Any, index: int) -> None:
    """``/StructParents`` on a page object, and tab order following the structure."""
    page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
    page.StructParents = index
    page.Tabs = PDFName("S")


def xmp(title: str, author: str, lang: str) -> str:
    """XMP metadata: the title (as the viewer shows it), the author and the PDF/UA-1 identification."""
    t, a = escape(title), escape(author)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{t}</rdf:li></rdf:Alt></dc:title>\n'
        f'<dc:creator><rdf:Seq><rdf:li>{a}</rdf:li></rdf:Seq></dc:creator>\n'
        f'<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>\n'
        '<pdf:Producer>svdesk</pdf:Producer>\n'
        '<xmp:CreatorTool>svdesk</xmp:CreatorTool>\n'
        '<pdfuaid:part>1</pdfuaid:part>\n'
        '</rdf:Description>\n'
        '</rdf:RDF>\n'
        '</x:xmpmeta>\n'
        '<?xpacket end="w"?>'
    )
