"""Charts for the award papers, drawn with ``reportlab.graphics`` (vector in the PDF; the Word committee report
takes the same drawing as a PNG made by :mod:`svdesk.reports.raster`)."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics import shapes
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from svdesk.domain.money import format_points
from svdesk.domain.scoring import BidResult, Results
from svdesk.domain.tender import CriterionKind, Tender
from svdesk.reports import styles
from svdesk.reports.bidi import visual

MAX_BARS = 15


class _HouseDrawing(Drawing):  # type: ignore[misc]  # ReportLab ships no type hints
    """A drawing whose initial graphics state uses the house font.

    ReportLab starts every drawing in Helvetica, which would put an unembedded font into the PDF even though
    every string we draw names its font. The default is swapped only while this drawing renders.
    """

    def draw(self) -> None:
        saved = shapes.STATE_DEFAULTS["fontName"]
        shapes.STATE_DEFAULTS["fontName"] = styles.FONT
        try:
            super().draw()
        finally:
            shapes.STATE_DEFAULTS["fontName"] = saved


def _short(name: str, width: float, size: float = 7, font: str = styles.FONT) -> str:
    """``name`` cut (with an ellipsis) to fit ``width`` points."""
    if stringWidth(name, font, size) <= width:
        return name
    while name and stringWidth(name + "…", font, size) > width:
        name = name[:-1]
    return name + "…"


def _weight(value: object) -> str:
    from decimal import Decimal

    return f"{Decimal(str(value)).normalize():f}"


@dataclass(frozen=True)
class Series:
    """One stacked part of the bars: a code printed on the bar and in the legend, so colour is not the only cue."""

    code: str
    label: str
    ids: tuple[str, ...]
    fill: Color
    ink: Color


#: Fill and the text colour that reads on it (at least 4.5:1), light and dark alternating so that neighbouring
#: parts of a bar differ in lightness as well as hue.
_PALETTE = [("#1f3a5f", "#ffffff"), ("#9ecae1", "#1b1b1b"), ("#b5541c", "#ffffff"), ("#f2d16b", "#1b1b1b"),
            ("#3b6e3b", "#ffffff"), ("#d9d9d9", "#1b1b1b")]

_KIND_CODES = {CriterionKind.PRICE: "P", CriterionKind.QUALITY: "Q", CriterionKind.SOCIAL_VALUE: "S",
               CriterionKind.COMMITMENTS: "C"}


def chart_series(tender: Tender) -> list[Series]:
    """One series per criterion (codes C1…) for up to six criteria, else one per kind of criterion (P, Q, S, C)."""
    crit = list(tender.criteria)
    out: list[Series] = []
    if len(crit) <= len(_PALETTE):
        for i, c in enumerate(crit):
            fill, ink = _PALETTE[i]
            out.append(Series(f"C{i + 1}", f"{c.name} ({_weight(c.weight)})", (c.id,), HexColor(fill), HexColor(ink)))
        return out
    for i, kind in enumerate(k for k in CriterionKind if any(c.kind is k for c in crit)):
        members = [c for c in crit if c.kind is kind]
        weight = sum((c.weight for c in members), start=members[0].weight * 0)
        fill, ink = _PALETTE[i]
        count = f"{len(members)} criterion" if len(members) == 1 else f"{len(members)} criteria"
        out.append(Series(_KIND_CODES[kind], f"{kind.label}: {count} ({_weight(weight)})",
                          tuple(c.id for c in members), HexColor(fill), HexColor(ink)))
    return out


def score_chart(tender: Tender, results: Results, width: float, max_bars: int = MAX_BARS) -> Drawing:
    """Stacked horizontal bars: each ranked tender's total score split by criterion, best at the top.

    Only the first ``max_bars`` ranked tenders are drawn (the table beside it has them all). Each part of a bar
    carries its series code where it is wide enough, and the legend (inside the drawing, wrapped to its width)
    gives each code's meaning, so the chart reads without telling colours apart. The drawing's ``alt_text`` says
    in words what it shows (the Figure's alternative text in the tagged PDF).
    """
    ranked = [r for r in results.results if r.ranked][:max_bars]
    series = chart_series(tender)
    bar = 5.2 * mm
    label_w = 46 * mm
    row_h = 4.6 * mm
    legend_rows = (len(series) + 1) // 2
    legend_h = legend_rows * row_h + 2 * mm
    plot_h = max(1, len(ranked)) * bar * 1.45
    height = plot_h + legend_h + 12 * mm
    d = _HouseDrawing(width, height)
    plot_x, plot_y = label_w, legend_h + 8 * mm
    plot_w = width - label_w - 14 * mm
    step = plot_h / max(1, len(ranked))
    # Grid and axis.
    for v in range(0, 101, 10):
        x = plot_x + plot_w * v / 100
        d.add(Line(x, plot_y, x, plot_y + plot_h, strokeColor=styles.STRIPE if v else styles.RULE, strokeWidth=0.5))
        d.add(String(x, plot_y - 3.5 * mm, str(v), fontName=styles.FONT, fontSize=7, fillColor=styles.MUTED,
                     textAnchor="middle"))
    for i, r in enumerate(ranked):
        y = plot_y + plot_h - step * (i + 1) + (step - bar) / 2          # best at the top
        d.add(String(plot_x - 3, y + bar / 2 - 2.5, visual(_short(r.supplier, label_w - 6)), fontName=styles.FONT,
                     fontSize=7, fillColor=styles.INK, textAnchor="end"))
        x = plot_x
        for sr in series:
            # Floats only here, at the edge: drawing coordinates, never money or a score that is reported.
            value = float(sum((r.criteria.get(cid, 0) for cid in sr.ids), start=0))
            w = plot_w * value / 100
            if w <= 0:
                continue
            d.add(Rect(x, y, w, bar, fillColor=sr.fill, strokeColor=colors.white, strokeWidth=0.4))
            if w >= stringWidth(sr.code, styles.FONT_BOLD, 6.5) + 3:
                d.add(String(x + w / 2, y + bar / 2 - 2.2, sr.code, fontName=styles.FONT_BOLD, fontSize=6.5,
                             fillColor=sr.ink, textAnchor="middle"))
            x += w
        d.add(String(plot_x + plot_w * float(r.total) / 100 + 2, y + bar / 2 - 2.5, format_points(r.total),
                     fontName=styles.FONT_BOLD, fontSize=7, fillColor=styles.INK))
    d.add(String(plot_x + plot_w / 2, plot_y - 7.5 * mm, "Weighted score (out of 100)", fontName=styles.FONT,
                 fontSize=7, fillColor=styles.MUTED, textAnchor="middle"))
    # The legend: two columns inside the drawing; each label cut to its column.
    col_w = (width - 4) / 2
    for k, sr in enumerate(series):
        cx = 2 + col_w * (k % 2)
        cy = legend_h - row_h * (k // 2 + 1) + 1.5 * mm
        d.add(Rect(cx, cy - 1, 9 * mm, 3.6 * mm, fillColor=sr.fill, strokeColor=None))
        d.add(String(cx + 4.5 * mm, cy + 0.2 * mm, sr.code, fontName=styles.FONT_BOLD, fontSize=6.5, fillColor=sr.ink,
                     textAnchor="middle"))
        d.add(String(cx + 10.5 * mm, cy + 0.2 * mm, visual(_short(sr.label, col_w - 12 * mm)), fontName=styles.FONT,
                     fontSize=7, fillColor=styles.INK))
    d.__dict__["alt_text"] = chart_description(tender, results, ranked, series)   # past ReportLab's attribute check
    return d


def chart_description(tender: Tender, results: Results, ranked: list[BidResult], series: list[Series]) -> str:
    """The chart in words, for its alternative text."""
    if not ranked:
        return "Bar chart of weighted scores: no tender is ranked."
    parts = "; ".join(f"{s.code} is {s.label}" for s in series)
    tops = "; ".join(f"{r.supplier}: {format_points(r.total)}" for r in ranked[:5])
    more = f" and {len(ranked) - 5} more" if len(ranked) > 5 else ""
    return (f"Stacked bar chart of the weighted scores out of 100 of {len(ranked)} ranked tenders, best first, "
            f"each bar split into {parts}. Totals: {tops}{more}. The results table gives every figure.")
