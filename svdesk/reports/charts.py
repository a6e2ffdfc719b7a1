"""Charts for the award papers, drawn with ``reportlab.graphics`` (vector, no image files)."""

from __future__ import annotations

from reportlab.graphics import shapes
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import mm

from svdesk.domain.money import format_points
from svdesk.domain.scoring import Results
from svdesk.domain.tender import Tender
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


def _short(name: str, limit: int = 30) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _weight(value: object) -> str:
    from decimal import Decimal

    return f"{Decimal(str(value)).normalize():f}"


def score_chart(tender: Tender, results: Results, width: float, max_bars: int = MAX_BARS) -> Drawing:
    """Stacked horizontal bars: each ranked tender's total score split by criterion, best at the top.

    Only the first ``max_bars`` ranked tenders are drawn (the table beside it has them all).
    """
    ranked = [r for r in results.results if r.ranked][:max_bars]
    ranked.reverse()                                        # the chart draws its first category at the bottom
    criteria = list(tender.criteria)
    bar = 5.2 * mm
    label_w = 46 * mm
    legend_rows = (len(criteria) + 1) // 2
    legend_h = legend_rows * 4.2 * mm + 2 * mm
    plot_h = max(1, len(ranked)) * bar * 1.45
    height = plot_h + legend_h + 12 * mm
    d = _HouseDrawing(width, height)
    bc = HorizontalBarChart()
    bc.x = label_w
    bc.y = legend_h + 8 * mm
    bc.width = width - label_w - 14 * mm
    bc.height = plot_h
    # Floats only here, at the edge: they are drawing coordinates, never money or a score that is reported.
    bc.data = [[float(r.criteria.get(c.id, 0)) for r in ranked] for c in criteria] or [[0.0]]
    bc.categoryAxis.categoryNames = [visual(_short(r.supplier)) for r in ranked]
    bc.categoryAxis.style = "stacked"
    bc.categoryAxis.labels.fontName = styles.FONT
    bc.categoryAxis.labels.fontSize = 7
    bc.categoryAxis.labels.dx = -3
    bc.categoryAxis.labels.boxAnchor = "e"
    bc.categoryAxis.strokeColor = styles.RULE
    bc.valueAxis.valueMin = 0
    bc.valueAxis.valueMax = 100
    bc.valueAxis.valueStep = 10
    bc.valueAxis.labels.fontName = styles.FONT
    bc.valueAxis.labels.fontSize = 7
    bc.valueAxis.strokeColor = styles.RULE
    bc.valueAxis.visibleGrid = 1
    bc.valueAxis.gridStrokeColor = styles.STRIPE
    bc.barWidth = bar
    bc.groupSpacing = bar * 0.45
    bc.barSpacing = 0
    for i in range(len(criteria)):
        bc.bars[i].fillColor = styles.SERIES[i % len(styles.SERIES)]
        bc.bars[i].strokeColor = None
    d.add(bc)
    # The total at the end of each bar.
    step = bc.height / max(1, len(ranked))
    for i, r in enumerate(ranked):
        x = bc.x + bc.width * float(r.total) / 100 + 2   # float: a drawing coordinate only
        y = bc.y + step * (i + 0.5) - 2.5
        d.add(String(x, y, format_points(r.total), fontName=styles.FONT_BOLD, fontSize=7, fillColor=styles.INK))
    d.add(String(bc.x + bc.width / 2, bc.y - 7 * mm, "Weighted score (out of 100)", fontName=styles.FONT,
                 fontSize=7, fillColor=styles.MUTED, textAnchor="middle"))
    legend = Legend()
    legend.x = label_w
    legend.y = legend_h
    legend.fontName = styles.FONT
    legend.fontSize = 7
    legend.columnMaximum = legend_rows
    legend.alignment = "right"
    legend.dx = 6
    legend.dy = 6
    legend.deltax = (width - label_w) / 2
    legend.deltay = 4.2 * mm
    legend.colorNamePairs = [
        (styles.SERIES[i % len(styles.SERIES)], visual(f"{c.name} ({_weight(c.weight)})"))
        for i, c in enumerate(criteria)
    ]
    d.add(legend)
    return d
