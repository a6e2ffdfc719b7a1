"""The renderer every svdesk paper is built on: A4 geometry, header and footer, "Page x of y", metadata.

A renderer is a class whose :meth:`Renderer.render` returns the PDF as bytes (pretix's invoice renderer is the
model): geometry as class attributes, the content from ``_story()``, the page furniture from ``_on_page()``.
Subclasses set ``kind`` and write ``_story``.

Leak rules (research/reliability.md §5.4) are enforced here for every paper: the PDF's metadata is set
explicitly (title, author = the authority, subject, creator, producer, keywords) and nothing comes from the
operating system (no user name, host or path); nothing is embedded but font subsets and the council's logo (its
pixels only, re-encoded without the file's metadata: :mod:`svdesk.reports.letterhead`); no annotations, links,
JavaScript or actions are created. What goes on the page is chosen by each renderer from domain values, and
no renderer reads ``Bid.notes``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypeAlias
from xml.sax.saxutils import escape, unescape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Image,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
)

from svdesk import __version__
from svdesk.domain.scoring import BidResult, Results
from svdesk.domain.tender import Tender
from svdesk.reports import paper_id, styles, tagging
from svdesk.reports.bidi import visual
from svdesk.reports.flow import Paragraph
from svdesk.reports.letterhead import Logo
from svdesk.reports.options import ReportOptions

#: Table rows built as one ReportLab ``Table`` at most; longer tables are built in chunks of this size
#: (research/toolchain.md §3.4: one 10,000-row table took 5.3 s, 50-row chunks 2.1 s).
CHUNK_ROWS = 40
#: The least height (points) of either part of a table row split across pages: two lines of a cell.
MIN_ROW_PART = 24
#: The same for "label: value" blocks and note boxes, which split a row whenever their first row does not fit
#: (ReportLab's own ``splitInRow``): only a value of more than about ten lines is ever split.
MIN_FACT_PART = 60


@dataclass(frozen=True)
class Num:
    """A table cell holding one short number, amount or rank, drawn as plain text rather than a paragraph.

    It is never wrapped, so it can never be split across lines (:func:`fit_widths` makes its column wide
    enough), and it costs a fraction of a paragraph to lay out: a 500-bid × 60-criterion award paper has
    tens of thousands of them. ``text`` is plain text, not markup (no escaping, no tags).
    """

    text: str
    align: str = "right"        # "right" | "centre" | "left"
    bold: bool = False
    muted: bool = False
    #: Text that may be too wide for its column (a supplier's name): drawn plain when it fits on one line,
    #: as a wrapping paragraph when it does not. ``text`` is then user text in visual order (:func:`name_cell`).
    may_wrap: bool = False


def name_cell(value: str, *, bold: bool = False, muted: bool = False) -> Num:
    """A cell for a name: one plain line when it fits its column, a wrapped paragraph when it does not."""
    return Num(visual(value), "left", bold=bold, muted=muted, may_wrap=True)


#: What a house table's cell may be: a flowable, markup (wrapped in a paragraph), or a plain number.
Cell: TypeAlias = "Flowable | str | Num"


def text(value: object) -> str:
    """User text made safe for a ReportLab paragraph: markup escaped, right-to-left runs put in visual order."""
    return escape(visual(str(value)))


def long_date(d: date | None) -> str:
    """``10 December 2026`` (or "Not dated")."""
    if d is None:
        return "Not dated"
    return f"{d.day} {d:%B %Y}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 tender`` / ``3 tenders``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th`` …"""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_words(results: Results, r: BidResult) -> str:
    """``3rd``, or ``joint 33rd`` when another tender shares the rank."""
    if r.rank is None:
        return "not ranked"
    shared = sum(1 for x in results.results if x.rank == r.rank) > 1
    return f"joint {ordinal(r.rank)}" if shared else ordinal(r.rank)


_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


#: A word that must never be broken across lines: an amount, score, rank, percentage or date part.
_UNBREAKABLE = re.compile(r"[£$€+\-–−]?[0-9][0-9,.:%/\u00a0]*[0-9%)]?|joint\u00a0[0-9]+|[A-Z][0-9]{1,3}")
#: The widest a breakable word (a supplier's 80-character name part) may make a column, as a share of the frame.
SOFT_SHARE = 0.22


def _words(markup: str) -> list[str]:
    plain = unescape(_TAG.sub("", _BREAK.sub(" ", markup)))     # <b>84.89</b> of 100 is one run of text
    # Split on breaking spaces only: a no-break space (U+00A0) keeps "79.11 of 100" on one line.
    return [w for w in re.split(r"[ \t\n]+", plain) if w]


def _longest_word(markup: str, font: str, size: float) -> float:
    return max((stringWidth(word, font, size) for word in _words(markup)), default=0.0)


def _needs(markup: str, font: str, size: float, soft_cap: float) -> tuple[float, float]:
    """(hard, soft): the widest word that must not break (numbers), and the widest other word, capped."""
    hard = soft = 0.0
    for word in _words(markup):
        w = stringWidth(word, font, size)
        if _UNBREAKABLE.fullmatch(word.strip("();,")):
            hard = max(hard, w)
        else:
            soft = max(soft, min(w, soft_cap))
    return hard, soft


def fit_widths(
    widths: Sequence[float],
    headers: Sequence[str],
    total: float,
    head_size: float,
    body: Sequence[Sequence[Flowable]] = (),
    cell_size: float = 8,
) -> list[float]:
    """Column widths scaled to ``total``, each wide enough for the longest word in it (header or cells).

    Without this a narrow column breaks "Resilience" into "Resilien-ce" or "£540,000.00" over two lines; the
    room is taken from the columns with the most to spare (usually supplier names and reasons). Numbers and the
    words of a heading are never broken; a very long word in a cell (an 80-character name) may be, so it does
    not widen its column beyond a fair share of the frame (:data:`SOFT_SHARE`).
    """
    scale = total / sum(widths)
    out = [w * scale for w in widths]
    cap = total * SOFT_SHARE
    need = [_longest_word(h, styles.FONT_BOLD, head_size) + 7 for h in headers]
    for row in body[:400]:          # enough rows to see every kind of value; keeps a 10,000-row table fast
        for i, cell in enumerate(row[: len(need)]):
            markup = getattr(cell, "text", None)
            if isinstance(markup, str) and markup:
                hard, soft = _needs(markup, styles.FONT_BOLD, cell_size, cap)
                need[i] = max(need[i], hard + 7, soft + 7)
    for _ in range(len(out)):
        short = sum(max(0.0, n - w) for n, w in zip(need, out, strict=True))
        if short <= 0.01:
            break
        spare = [max(0.0, w - n) for n, w in zip(need, out, strict=True)]
        room = sum(spare)
        if room <= 0:
            break
        take = min(short, room)
        out = [max(w, n) if n > w else w - take * sp / room for n, w, sp in zip(need, out, spare, strict=True)]
    if sum(out) > total + 0.01:       # more columns than the frame holds: keep the table inside the frame
        out = [w * total / sum(out) for w in out]
    return out


class _NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab ships no type hints
    """A canvas that holds every page until the end, so each can say "Page x of y"; it also carries the
    document's structure tree (:mod:`svdesk.reports.tagging`) and writes it, with the bookmarks, at the end."""

    def __init__(self, *args: Any, renderer: Renderer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._renderer = renderer
        self._pages: list[dict[str, Any]] = []
        self.tagger = tagging.Tagger()

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def _setAnnotations(self, page: Any) -> None:
        super()._setAnnotations(page)
        tagging.set_struct_parents(page, self._pageNumber - 1)

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._renderer._draw_page_number(self, self._pageNumber, total)
            tagging.page_content(self)
            tagging.write_outlines(self, self.tagger, self._pageNumber - 1)
            super().showPage()
        r = self._renderer
        tagging.write_tree(self, self.tagger, r.title, r.options.authority, "en-GB")
        if self.tagger.outlines:
            self.showOutline()
        super().save()


class Renderer:
    """Base class of every paper: takes domain values and options, returns PDF bytes.

    Class attributes give the geometry (points; A4 portrait) and the paper's name. Subclasses implement
    :meth:`_story` and may add to :meth:`_on_page`.
    """

    kind: ClassVar[str] = "Paper"
    kind_id: ClassVar[str] = "paper"
    page_size: ClassVar[tuple[float, float]] = A4
    margin_left: ClassVar[float] = 18 * mm
    margin_right: ClassVar[float] = 18 * mm
    margin_top: ClassVar[float] = 24 * mm
    margin_bottom: ClassVar[float] = 25 * mm
    header_gap: ClassVar[float] = 8 * mm       # from the top edge to the header text
    footer_gap: ClassVar[float] = 15 * mm      # from the bottom edge to the footer's first line

    def __init__(self, tender: Tender, options: ReportOptions) -> None:
        self.tender = tender
        self.options = options.for_tender(tender)
        self.style = styles.house()
        self._fingerprint = ""

    # ---- what subclasses provide ------------------------------------------------------------------------

    def _story(self) -> list[Flowable]:
        raise NotImplementedError

    @property
    def draft(self) -> str:
        """Why this paper is only a draft (printed as a DRAFT mark on every page), or ``""`` when it is not."""
        return ""

    def _fingerprint_extra(self) -> dict[str, Any]:
        """Content beyond the tender and options that this paper is printed from (for the fingerprint)."""
        return {}

    @property
    def title(self) -> str:
        """The PDF's title."""
        return f"{self.kind}: {self.tender.reference} {self.tender.title}"

    # ---- building ---------------------------------------------------------------------------------------

    @property
    def frame_width(self) -> float:
        """Width of the text frame."""
        return self.page_size[0] - self.margin_left - self.margin_right

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the content inputs (printed in the footer)."""
        if not self._fingerprint:
            from svdesk.reports.options import fingerprint

            self._fingerprint = fingerprint(self.kind_id, self.tender, self.options, self._fingerprint_extra())
        return self._fingerprint

    def render(self) -> bytes:
        """Build the paper and return the PDF bytes."""
        buf = io.BytesIO()
        doc = BaseDocTemplate(
            buf,
            pagesize=self.page_size,
            leftMargin=self.margin_left,
            rightMargin=self.margin_right,
            topMargin=self.margin_top,
            bottomMargin=self.margin_bottom,
            title=self.title,
            author=self.options.authority,
            subject=self.kind,
            creator="svdesk",
            producer="svdesk",
            # The fingerprint, audit head and options again, for 'svdesk verify' (svdesk/reports/paper_id.py).
            keywords=paper_id.keywords(self.kind_id, self.tender.reference, self.fingerprint, self.options,
                                       self._fingerprint_extra()),
            lang="en-GB",
            invariant=1 if self.options.deterministic else 0,
            initialFontName=styles.FONT,
        )
        frame = tagging.TaggedFrame(
            self.margin_left, self.margin_bottom, self.frame_width,
            self.page_size[1] - self.margin_top - self.margin_bottom,
            leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
        )
        doc.addPageTemplates([
            PageTemplate(id="cover", frames=[frame], onPage=self._on_cover_page),
            PageTemplate(id="body", frames=[frame], onPage=self._on_page),
        ])
        story = self._story()

        def canvasmaker(*args: Any, **kwargs: Any) -> _NumberedCanvas:
            return _NumberedCanvas(*args, renderer=self, **kwargs)

        doc.build(story, canvasmaker=canvasmaker)
        return buf.getvalue()

    # ---- page furniture ---------------------------------------------------------------------------------

    def _marking_line(self, canv: Canvas) -> None:
        w, h = self.page_size
        if self.draft:
            canv.setFillColor(styles.MARKING)
            canv.setFont(styles.FONT_BOLD, 11)
            canv.drawCentredString(w / 2, h - 11 * mm if self.options.marking else h - 6.5 * mm,
                                   f"DRAFT: {self.draft}")
        if not self.options.marking:
            return
        canv.setFillColor(styles.MARKING)
        canv.setFont(styles.FONT_BOLD, 7.5)
        canv.drawCentredString(w / 2, h - 5 * mm,
                               f"NOT FOR PUBLICATION · exempt information under Schedule 12A to the Local "
                               f"Government Act 1972, paragraph {self.options.exempt_paragraph}")

    def _on_cover_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        self._marking_line(canv)
        self._footer(canv)
        canv.restoreState()

    def _on_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Header (authority, paper and reference) and footer (fingerprint, audit head) on every page."""
        w, h = self.page_size
        canv.saveState()
        self._marking_line(canv)
        y = h - self.header_gap - 4 * mm
        canv.setFont(styles.FONT_BOLD, self.style.header_size)
        canv.setFillColor(styles.NAVY)
        canv.drawString(self.margin_left, y, visual(self.options.authority))
        canv.setFont(styles.FONT, self.style.header_size)
        canv.setFillColor(styles.MUTED)
        canv.drawRightString(w - self.margin_right, y, visual(f"{self.kind} · {self.tender.reference}"))
        canv.setStrokeColor(styles.RULE)
        canv.setLineWidth(0.5)
        canv.line(self.margin_left, y - 2.2 * mm, w - self.margin_right, y - 2.2 * mm)
        self._footer(canv)
        canv.restoreState()

    def _footer(self, canv: Canvas) -> None:
        w, _ = self.page_size
        y = self.footer_gap
        canv.setStrokeColor(styles.RULE)
        canv.setLineWidth(0.5)
        canv.line(self.margin_left, y + 3.5 * mm, w - self.margin_right, y + 3.5 * mm)
        canv.setFont(styles.FONT, self.style.footer_size)
        canv.setFillColor(styles.MUTED)
        label = f"{self.tender.reference} · {self.tender.title}"
        if len(label) > 80:
            label = label[:79] + "…"
        canv.drawString(self.margin_left, y, visual(label))
        canv.setFont(styles.FONT, self.style.hash_size)
        canv.drawString(self.margin_left, y - 3.4 * mm, f"Document fingerprint (SHA-256): {self.fingerprint}")
        head = self.options.audit_head or "not recorded (printed from a tender file, not the database)"
        canv.drawString(self.margin_left, y - 6.6 * mm, f"Audit log head: {head}")

    def _draw_page_number(self, canv: Canvas, page: int, total: int) -> None:
        w, _ = self.page_size
        canv.saveState()
        canv.setFont(styles.FONT_BOLD, self.style.footer_size)
        canv.setFillColor(styles.INK)
        canv.drawRightString(w - self.margin_right, self.footer_gap, f"Page {page} of {total}")
        canv.setFont(styles.FONT, self.style.hash_size)
        canv.setFillColor(styles.MUTED)
        canv.drawRightString(w - self.margin_right, self.footer_gap - 3.4 * mm, f"svdesk {__version__}")
        canv.restoreState()

    # ---- building blocks for subclasses -----------------------------------------------------------------

    def letterhead(self, style: str = "DocAuthority") -> list[Flowable]:
        """The top of a paper's first page: the council's logo (if set), its name in ``style`` and its address
        (if set) under the name."""
        from svdesk.reports.letterhead import address_line

        o = self.options
        out: list[Flowable] = []
        if o.logo is not None:
            out += [LogoImage(o.logo, f"{o.authority} logo"), self.gap(3)]
        named = self.style[style]
        address = address_line(o.address)
        if not address:
            return [*out, Paragraph(text(o.authority), named)]
        tight = ParagraphStyle(named.name, parent=named, spaceAfter=1)
        return [*out, Paragraph(text(o.authority), tight),
                Paragraph(text(address), self.style["CoverAddress" if style == "CoverAuthority" else "DocAddress"])]

    def p(self, markup: str, style: str = "Body") -> Paragraph:
        """A paragraph of our own markup (user text inside must already be passed through :func:`text`)."""
        return Paragraph(markup, self.style[style])

    def bullets(self, items: Sequence[str], style: str = "Bullet") -> list[Flowable]:
        """Bulleted paragraphs (markup, user text already escaped)."""
        return [Paragraph(i, self.style[style], bulletText="•") for i in items]

    def facts(self, pairs: Sequence[tuple[str, str]], label_width: float = 48 * mm) -> Table:
        """A two-column "label: value" block (values are markup)."""
        rows = [[Paragraph(escape(k), self.style["Label"]), Paragraph(v, self.style["Value"])] for k, v in pairs]
        # splitInRow: a long address or description continues on the next page.
        t = Table(rows, colWidths=[label_width, self.frame_width - label_width], hAlign="LEFT",
                  splitInRow=MIN_FACT_PART, renderCB=tagging.TableTags("facts"))
        t.setStyle(styles.table_style([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, styles.RULE),
        ]))
        return t

    def note_box(self, title: str, items: Sequence[str]) -> Flowable:
        """An amber box of points to note (markup items)."""
        cells: list[list[Flowable]] = [[Paragraph(f"<b>{escape(title)}</b>", self.style["Note"])]]
        cells += [[Paragraph(i, self.style["Note"], bulletText="•")] for i in items]
        t = Table(cells, colWidths=[self.frame_width], splitInRow=MIN_FACT_PART)
        t.setStyle(styles.table_style([
            ("BACKGROUND", (0, 0), (-1, -1), styles.NOTE_BG),
            ("LINEBEFORE", (0, 0), (0, -1), 2.5, styles.NOTE_RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ("TOPPADDING", (0, 0), (-1, 0), 5),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
        ]))
        return t

    def table(
        self,
        header: Sequence[str | tuple[str, str]],
        rows: Sequence[Sequence[Cell]],
        widths: Sequence[float],
        *,
        backgrounds: Sequence[colors.Color | None] | None = None,
        chunk: int = CHUNK_ROWS,
        groups: Sequence[str] | None = None,
    ) -> list[Flowable]:
        """A house table: dark header row repeated on every page, striped rows, built in chunks for speed.

        Args:
            header: column titles (plain text), or ``(text, "right"|"centre")`` to align a title.
            rows: cells: flowables, or markup strings (user text inside must already be passed through
                :func:`text`, exactly once).
            widths: column widths in points; they are scaled to the frame width.
            backgrounds: a colour per row to override the stripe (``None`` keeps it).
            chunk: rows per ReportLab ``Table``.
            groups: the group each row belongs to (markup, e.g. the supplier's name in a moderation record); a
                page that starts inside a group shows "<group> (continued)" in its first cell.
        """
        labels = [h if isinstance(h, str) else h[0] for h in header]
        body = [[c if isinstance(c, Flowable | Num) else Paragraph(c, self.style["Cell"]) for c in r] for r in rows]
        col_widths = fit_widths(widths, labels, self.frame_width, self.style["Head"].fontSize, body,
                                self.style["Cell"].fontSize)
        cell_size = self.style["Cell"].fontSize
        head_cells: list[Flowable] = []
        for h in header:
            label, align = (h, "") if isinstance(h, str) else h
            name = {"right": "HeadRight", "centre": "HeadCentre"}.get(align, "Head")
            head_cells.append(Paragraph(escape(label).replace("\n", "<br/>"), self.style[name]))
        bgs = list(backgrounds or [None] * len(body))
        tags = tagging.TableTags("data")       # one logical table: every chunk and split part shares it

        def make(start: int, stop: int, with_header: bool, lead: Sequence[Any] | None = None) -> Table:
            rows_: list[list[Any]] = list(body[start:stop])
            if lead is not None and rows_:
                rows_[0] = list(lead)         # the rest of a row split across pages
            if (groups is not None and with_header and rows_ and 0 < start < len(groups)
                    and groups[start] == groups[start - 1]):
                rows_[0] = [Paragraph(f"{groups[start]} <i>(continued)</i>", self.style["Cell"]), *rows_[0][1:]]
            offset = 1 if with_header else 0
            plain: list[tuple[Any, ...]] = []
            for r, row in enumerate(rows_, start=offset):
                if any(isinstance(c, Num) for c in row):
                    row = rows_[r - offset] = list(row)
                    for k, c in enumerate(row):
                        if isinstance(c, Num):
                            if c.may_wrap and stringWidth(c.text, styles.FONT_BOLD if c.bold else styles.FONT,
                                                          cell_size) > col_widths[k] - 6.5:
                                markup = f"<b>{escape(c.text)}</b>" if c.bold else escape(c.text)
                                row[k] = Paragraph(markup, self.style["CellMuted" if c.muted else "Cell"])
                                continue
                            row[k] = c.text
                            if c.align != "left":
                                plain.append(("ALIGN", (k, r), (k, r), "CENTRE" if c.align == "centre" else "RIGHT"))
                            if c.bold:
                                plain.append(("FONT", (k, r), (k, r), styles.FONT_BOLD, self.style["Cell"].fontSize))
                            if c.muted:
                                plain.append(("TEXTCOLOR", (k, r), (k, r), self.style["CellMuted"].textColor))
            data: list[list[Any]] = ([head_cells] if with_header else []) + rows_
            cmds: list[tuple[Any, ...]] = [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LINEBELOW", (0, offset), (-1, -1), 0.25, styles.RULE),
            ]
            if with_header:
                cmds += [("BACKGROUND", (0, 0), (-1, 0), styles.HEAD_BG), ("VALIGN", (0, 0), (-1, 0), "BOTTOM")]
            for i in range(start, stop):
                bg = bgs[i] if bgs[i] is not None else (styles.STRIPE if i % 2 else None)
                if bg is not None:
                    r = i - start + offset
                    cmds.append(("BACKGROUND", (0, r), (-1, r), bg))
            cmds += plain
            return Table(data, colWidths=col_widths, repeatRows=1 if with_header else 0, style=styles.table_style(cmds),
                         hAlign="LEFT", renderCB=tags)

        if not body:
            return [make(0, 0, True)]
        out: list[Flowable] = []
        for start in range(0, len(body), chunk):
            stop = min(start + chunk, len(body))
            out.append(_TableChunk(make, start, stop, first=start == 0))
        return out

    def sign_off_table(self, roles: Sequence[tuple[str, str]]) -> Table:
        """Rows to sign: role, name (pre-filled where known), signature and date, with room to write."""
        cell, head = self.style["Cell"], self.style["Head"]
        data: list[list[Flowable | str]] = [[Paragraph(h, head) for h in ("Role", "Name", "Signature", "Date")]]
        data += [[Paragraph(escape(role), cell), Paragraph(text(name), cell) if name else "", "", ""]
                 for role, name in roles]
        widths = [w * self.frame_width / 170 for w in (50, 46, 46, 28)]
        t = Table(data, colWidths=widths, rowHeights=[None] + [13 * mm] * len(roles), hAlign="LEFT", repeatRows=1,
                  renderCB=tagging.TableTags("data"))
        t.setStyle(styles.table_style([
            ("BACKGROUND", (0, 0), (-1, 0), styles.HEAD_BG),
            ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
            ("LINEBELOW", (1, 1), (-1, -1), 0.6, styles.INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 2),
        ]))
        return t

    def keep(self, *flowables: Flowable) -> KeepTogether:
        """Keep a heading with what follows it."""
        return KeepTogether(list(flowables))

    def gap(self, height_mm: float = 3) -> Spacer:
        """Vertical space."""
        return Spacer(1, height_mm * mm)


class LogoImage(Image):  # type: ignore[misc]  # ReportLab ships no type hints
    """The council's logo: at most 18 mm high and 70 mm wide, its shape kept, at the left of the frame; tagged
    as a Figure whose alternative text is ``alt_text`` ("<council> logo")."""

    def __init__(self, logo: Logo, alt_text: str) -> None:
        from svdesk.reports.letterhead import logo_size

        width, height = logo_size(logo)
        super().__init__(io.BytesIO(logo.png), width=width, height=height, hAlign="LEFT")
        self.logo = logo
        self.alt_text = alt_text


class _TableChunk(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """Rows ``start:stop`` of a long table, with the header row only where a reader needs it.

    The first chunk always starts with the header. A later chunk shows the header only when it begins at the
    top of a page, so consecutive chunks on one page read as one table; wherever a chunk breaks across pages
    the rest starts with the header again.

    A row too tall for a whole page (a 10,000-character moderation reason) is split inside the row
    (ReportLab 5.1's ``splitInRow``) where the page ends; the rest of its cells (``lead``) continue at the top
    of the next page under the header. Only such a row is split: a row that fits on a page moves to the next
    page whole, as before.

    Measuring a table wraps every cell's paragraph, so it is done once per place: the table measured by ``wrap``
    is kept for ``split`` and ``draw`` (ReportLab asks them at the same size), and in the sliver of height left
    at the foot of a page only the first row is measured, to find that nothing fits there.
    """

    #: Below this height (points) the first row is measured on its own before the whole chunk.
    SLIVER = 100.0

    def __init__(self, make: Callable[..., Table], start: int, stop: int, *, first: bool,
                 lead: Sequence[Any] | None = None) -> None:
        super().__init__()
        self._make = make
        self._start, self._stop, self._first = start, stop, first
        self._lead = lead
        self._table: Table | None = None
        self._with_header = False
        self._measured: tuple[float, float, bool] | None = None   # (width, height, header) self._size is for
        self._size = (0.0, 0.0)
        self._nothing_fits = False

    def _current_frame(self) -> Any:
        template = getattr(getattr(self, "canv", None), "_doctemplate", None)
        return getattr(template, "frame", None)

    def _at_top(self) -> bool:
        return bool(getattr(self._current_frame(), "_atTop", False))

    def _build(self, with_header: bool) -> Table:
        return self._make(self._start, self._stop, with_header, self._lead)

    def _choose(self) -> Table:
        with_header = self._first or self._at_top()
        if self._table is None or self._with_header != with_header:
            self._table = self._build(with_header)
            self._with_header = with_header
            self._measured = None
        return self._table

    def _measure(self, t: Table, avail_width: float, avail_height: float) -> tuple[float, float]:
        """``t`` wrapped at this size (again only if the size or the table changed)."""
        key = (avail_width, avail_height, self._with_header)
        if self._measured != key:
            self._size = t.wrapOn(getattr(self, "canv", None), avail_width, avail_height)
            self._measured = key
        return self._size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._nothing_fits = False
        if avail_height < self.SLIVER and self._stop - self._start > 1:
            first = self._make(self._start, self._start + 1, self._first or self._at_top(), self._lead)
            w, h = first.wrapOn(getattr(self, "canv", None), avail_width, avail_height)
            if h > avail_height:       # not even the first row: the frame moves the chunk to the next page
                self._nothing_fits = True
                self.width, self.height = w, h
                return w, h
        t = self._choose()
        w, h = self._measure(t, avail_width, avail_height)
        self.width, self.height = w, h
        return w, h

    def _row_never_fits(self, t: Table, avail_height: float) -> bool:
        """The first row that does not fit here would not fit on an empty page either (under the header)."""
        frame = self._current_frame()
        height = getattr(frame, "_height", None)
        heights: list[float] = list(getattr(t, "_rowHeights", None) or [])
        if height is None or not heights:
            return False
        page = float(height) - getattr(frame, "_topPadding", 0) - getattr(frame, "_bottomPadding", 0)
        offset = 1 if self._with_header else 0
        head = heights[0] if offset else 0.0
        used = sum(heights[:offset])
        for h in heights[offset:]:
            if used + h > avail_height:
                return head + h > page
            used += h
        return False

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        canv = getattr(self, "canv", None)
        if self._nothing_fits and avail_height <= self.height:
            return []
        t = self._choose()
        self._measure(t, avail_width, avail_height)
        if self._row_never_fits(t, avail_height):
            if self._lead is not None and not self._at_top():
                return []          # the rest of a split row starts on a new page, under the header
            return self._split_in_row(avail_width, avail_height)
        parts: list[Flowable] = t.splitOn(canv, avail_width, avail_height)
        self._measured = None          # splitting re-measures the table at its own pace
        if len(parts) != 2:
            return parts
        # Split between rows: the part that moves to the next page is a chunk again, starting with the header.
        done = len(parts[0]._cellvalues) - (1 if self._with_header else 0)
        return [parts[0], _TableChunk(self._make, self._start + done, self._stop, first=True)]

    def _split_in_row(self, avail_width: float, avail_height: float) -> list[Flowable]:
        canv = getattr(self, "canv", None)
        t = self._build(self._with_header)
        t.splitByRow, t.splitInRow = 0, MIN_ROW_PART      # split inside the row that does not fit
        parts: list[Flowable] = t.splitOn(canv, avail_width, avail_height)
        if len(parts) != 2:
            return parts
        here, rest = parts
        kept = len(here._cellvalues) - (1 if self._with_header else 0)
        rest_rows = rest._cellvalues[1 if self._with_header else 0:]
        if kept + len(rest_rows) == self._stop - self._start:
            # No room for a part of the row here, so ReportLab split between rows: the rest is whole rows.
            return [here, _TableChunk(self._make, self._start + kept, self._stop, first=True)]
        # The last row here was split in two (it is in both parts): the rest of its cells lead the next chunk.
        return [here, _TableChunk(self._make, self._start + kept - 1, self._stop, first=True, lead=rest_rows[0])]

    def draw(self) -> None:
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)
