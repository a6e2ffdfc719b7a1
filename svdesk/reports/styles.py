"""The house style of every svdesk paper: fonts, colours, paragraph and table styles, in one place.

``HOUSE`` is the one named stylesheet. Fonts are DejaVu Sans, shipped in ``resources/fonts/`` (Bitstream Vera
licence, see ``LICENSE-DejaVu.txt`` there) and embedded as subsets, so £, accents, Hebrew and Arabic render the
same on every computer. ReportLab's optional HarfBuzz shaping is switched off for our fonts: right-to-left text
is prepared by :mod:`svdesk.reports.bidi`, and the output must not depend on what else is installed.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

from svdesk.paths import resources_dir

FONT = "svdesk-Sans"
FONT_BOLD = "svdesk-Sans-Bold"
FONT_ITALIC = "svdesk-Sans-Oblique"   # no Arabic glyphs: only for our own English wording, never user text
_FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf", FONT_ITALIC: "DejaVuSans-Oblique.ttf"}

# Colours: dark blue headings, light stripes, amber for points to note, red for the exempt marking.
INK = colors.HexColor("#1b1b1b")
NAVY = colors.HexColor("#1f3a5f")
MUTED = colors.HexColor("#5a5a5a")
RULE = colors.HexColor("#b8c2cc")
HEAD_BG = colors.HexColor("#1f3a5f")
STRIPE = colors.HexColor("#f1f4f7")
WINNER_BG = colors.HexColor("#e3f1e6")
NOTE_BG = colors.HexColor("#fff6e0")
NOTE_RULE = colors.HexColor("#d9a21b")
EXCLUDED_INK = colors.HexColor("#595959")     # 7:1 on white (#7a7a7a was 4.3:1)
MARKING = colors.HexColor("#b00020")
#: One colour per criterion in charts (enough for ten criteria; they repeat after that).
SERIES = [colors.HexColor(c) for c in ("#1f3a5f", "#4f81bd", "#9bbb59", "#f2a541", "#8064a2", "#4bacc6",
                                       "#c0504d", "#7f7f7f", "#2e8b57", "#b8860b")]


def register_fonts() -> None:
    """Register the house fonts with ReportLab once per process."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = resources_dir() / "fonts"
    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file), shapable=False))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)


def _stylesheet() -> StyleSheet1:
    ss = StyleSheet1()
    base = ParagraphStyle("Body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, spaceAfter=5,
                          bulletFontName=FONT)
    ss.add(base)
    ss.add(ParagraphStyle("Small", parent=base, fontSize=8, leading=10.5, spaceAfter=3))
    ss.add(ParagraphStyle("Muted", parent=base, fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=3))
    ss.add(ParagraphStyle("CoverAuthority", parent=base, fontName=FONT_BOLD, fontSize=13, leading=17,
                          textColor=NAVY, spaceAfter=36))
    ss.add(ParagraphStyle("CoverKind", parent=base, fontSize=12, leading=16, textColor=MUTED, spaceAfter=6))
    ss.add(ParagraphStyle("CoverTitle", parent=base, fontName=FONT_BOLD, fontSize=22, leading=28,
                          textColor=NAVY, spaceAfter=10))
    ss.add(ParagraphStyle("CoverRef", parent=base, fontSize=12, leading=16, spaceAfter=24))
    ss.add(ParagraphStyle("DocAuthority", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14,
                          textColor=NAVY, spaceAfter=8))
    # The council's address under its name (the letterhead): the name's own space below goes under the address.
    ss.add(ParagraphStyle("CoverAddress", parent=base, fontSize=9.5, leading=13, textColor=MUTED, spaceAfter=36))
    ss.add(ParagraphStyle("DocAddress", parent=base, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=8))
    ss.add(ParagraphStyle("DocTitle", parent=base, fontName=FONT_BOLD, fontSize=18, leading=22,
                          textColor=NAVY, spaceAfter=4))
    ss.add(ParagraphStyle("DocRef", parent=base, fontSize=10.5, leading=14, spaceAfter=10))
    ss.add(ParagraphStyle("H1", parent=base, fontName=FONT_BOLD, fontSize=14, leading=18, textColor=NAVY,
                          spaceBefore=10, spaceAfter=6, keepWithNext=1))
    ss.add(ParagraphStyle("H2", parent=base, fontName=FONT_BOLD, fontSize=11, leading=14, textColor=NAVY,
                          spaceBefore=8, spaceAfter=4, keepWithNext=1))
    ss.add(ParagraphStyle("H3", parent=base, fontName=FONT_BOLD, fontSize=9.5, leading=12.5, textColor=NAVY,
                          spaceBefore=6, spaceAfter=3, keepWithNext=1))
    ss.add(ParagraphStyle("Bullet", parent=base, leftIndent=12, bulletIndent=2, spaceAfter=2))
    ss.add(ParagraphStyle("Recommendation", parent=base, fontSize=11, leading=15, spaceAfter=8))
    ss.add(ParagraphStyle("Note", parent=base, fontSize=8.5, leading=11.5, spaceAfter=2))
    ss.add(ParagraphStyle("Marking", parent=base, fontName=FONT_BOLD, fontSize=9.5, leading=12.5,
                          textColor=MARKING, alignment=TA_CENTER, spaceAfter=0))
    ss.add(ParagraphStyle("Cell", parent=base, fontSize=8, leading=10, spaceAfter=0))
    ss.add(ParagraphStyle("CellBold", parent=base, fontName=FONT_BOLD, fontSize=8, leading=10, spaceAfter=0))
    ss.add(ParagraphStyle("CellMuted", parent=base, fontSize=8, leading=10, textColor=EXCLUDED_INK,
                          spaceAfter=0))
    ss.add(ParagraphStyle("CellMutedRight", parent=base, fontSize=8, leading=10, textColor=EXCLUDED_INK,
                          alignment=TA_RIGHT, spaceAfter=0))
    ss.add(ParagraphStyle("CellRight", parent=base, fontSize=8, leading=10, alignment=TA_RIGHT, spaceAfter=0))
    ss.add(ParagraphStyle("CellCentre", parent=base, fontSize=8, leading=10, alignment=TA_CENTER,
                          spaceAfter=0))
    ss.add(ParagraphStyle("Head", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9.5,
                          textColor=colors.white, spaceAfter=0))
    ss.add(ParagraphStyle("HeadRight", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9.5,
                          textColor=colors.white, alignment=TA_RIGHT, spaceAfter=0))
    ss.add(ParagraphStyle("HeadCentre", parent=base, fontName=FONT_BOLD, fontSize=7.5, leading=9.5,
                          textColor=colors.white, alignment=TA_CENTER, spaceAfter=0))
    ss.add(ParagraphStyle("Label", parent=base, fontName=FONT_BOLD, fontSize=8.5, leading=11, textColor=NAVY,
                          spaceAfter=0, alignment=TA_LEFT))
    ss.add(ParagraphStyle("Value", parent=base, fontSize=9, leading=12, spaceAfter=0))
    ss.add(ParagraphStyle("Write", parent=base, fontSize=8, leading=10, textColor=MUTED, spaceAfter=0))
    return ss


class HouseStyle:
    """The house stylesheet (``HOUSE``): named paragraph styles plus the fonts and page furniture sizes.

    Use ``HOUSE["Body"]``, ``HOUSE["H1"]``, ``HOUSE["Cell"]`` … Creating it registers the fonts.
    """

    header_size = 8.0
    footer_size = 8.0
    hash_size = 7.0       # was 5.6 pt: too small to read (issue 13)

    def __init__(self) -> None:
        register_fonts()
        self.sheet = _stylesheet()

    def __getitem__(self, name: str) -> ParagraphStyle:
        style: ParagraphStyle = self.sheet[name]
        return style


_HOUSE: HouseStyle | None = None


def house() -> HouseStyle:
    """The one house stylesheet (built on first use, so importing this module stays cheap)."""
    global _HOUSE
    if _HOUSE is None:
        _HOUSE = HouseStyle()
    return _HOUSE


def table_style(commands: list[tuple[object, ...]]) -> TableStyle:
    """A ``TableStyle`` whose plain-text cells use the house font (ReportLab's default would pull in an
    unembedded Helvetica even for an empty cell)."""
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8), *commands])
