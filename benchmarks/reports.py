"""Figures 5 and 5b: the award report for a 100-bidder tender, against plain ReportLab and against LibreOffice.

The baseline for figure 5 is the time ReportLab itself needs for the same tables without svdesk's logic: the
paper's tables (criteria, marking scale, results, price-formula comparison, social value per tender, who bid,
moderation record, sign-off) with the same rows, columns and cell text, set in the same embedded font as
paragraphs in 40-row ``Table`` chunks with a repeated header, in a plain ``SimpleDocTemplate`` with a page
number. What svdesk adds on top is its logic: the cover and summary, the chart, column widths fitted to the
longest word, header rows only where a reader needs them, "Page x of y", the fingerprint, right-to-left text.
"""

from __future__ import annotations

import io
import shutil
import statistics
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, NotMeasuredError, timed

CHUNK = 40


def report_inputs(bids: int = 100) -> tuple[Any, Any]:
    """The tender (complete: every score agreed with a reason) and its results."""
    from benchmarks.workloads import report_tender
    from svdesk.domain.scoring import score_tender

    t = report_tender(bids)
    return t, score_tender(t)


def tables(t: Any, res: Any) -> list[tuple[str, list[str], list[list[str]], list[float]]]:
    """The award paper's tables as plain text: (title, header, rows, relative column widths)."""
    from svdesk.domain.money import format_gbp, format_points

    def num(v: Any) -> str:
        return f"{v.normalize():f}"

    out: list[tuple[str, list[str], list[list[str]], list[float]]] = []
    out.append(("Evaluation method", ["Criterion", "Kind", "Weight", "How it is scored"],
                [[c.name, c.kind.label, num(c.weight),
                  f"Marked 0 to {num(c.scale_max)} against the descriptors; score = mark ÷ {num(c.scale_max)} × "
                  f"{num(c.weight)}."] for c in t.criteria], [40, 30, 14, 90]))
    out.append(("Marking scale", ["Mark", "What the mark means"],
                [[str(i), f"Descriptor for a mark of {i}: what the evidence must show."] for i in range(6)],
                [14, 160]))
    ids = [c.id for c in t.criteria]
    out.append(("Results", ["Rank", "Supplier", *(f"{c.name} ({num(c.weight)})" for c in t.criteria), "Total",
                            "Price", "Notes"],
                [[str(r.rank or "–"), r.supplier, *(format_points(r.criteria.get(i)) for i in ids),
                  format_points(r.total), format_gbp(r.price), ", ".join(r.flags)] for r in res.results],
                [9, 50, *([15] * len(ids)), 14, 22, 20]))
    out.append(("Sensitivity to the price formula", ["Price formula", "Ranked first", "Total"],
                [[m.method.label, ", ".join(s for s, rank, _ in m.ranking if rank == 1),
                  format_points(next((x for _, rank, x in m.ranking if rank == 1), None))] for m in res.comparison],
                [80, 70, 20]))
    bids = {b.supplier: b for b in t.bids}
    out.append(("Social value offered in every tender", ["Supplier", "Commitments", "Local", "Wider", "Main themes"],
                [[r.supplier, format_gbp(bids[r.supplier].commitments_value()), format_gbp(r.commitments_value),
                  format_gbp(Decimal(0)), "Skills and employment"] for r in res.results], [42, 22, 20, 20, 48]))
    out.append(("Who bid", ["", "Tenders received", "Of the top three"],
                [["Small and medium-sized enterprises (SMEs)", "34 of 100 (34%)", "1"],
                 ["Voluntary, community and social enterprises (VCSEs)", "0 of 100 (0%)", "0"],
                 ["Based locally", "50 of 100 (50%)", "2"], ["Based regionally", "25 of 100 (25%)", "1"],
                 ["Based nationally", "25 of 100 (25%)", "0"]], [90, 45, 35]))
    assessed = [c for c in t.criteria if c.is_assessed]
    rows = []
    for r in res.results:
        b = bids[r.supplier]
        for i, c in enumerate(assessed):
            marks = ", ".join(f"{e} {num(v)}" for e, v in sorted(b.evaluator_scores.get(c.id, {}).items()))
            rows.append([r.supplier if i == 0 else "", c.name, marks or "—", num(b.scores[c.id]),
                         b.explanations.get(c.id, "")])
    out.append(("Moderation record", ["Supplier", "Criterion", "Evaluators' marks", "Moderated", "Reason"], rows,
                [36, 32, 24, 16, 66]))
    out.append(("Decision and sign-off", ["Role", "Name", "Signature", "Date"],
                [["Report prepared by", "Priya Shah", "", ""], ["Checked by (procurement or legal)", "", "", ""],
                 ["Decision by (committee or delegated officer)", "", "", ""]], [50, 46, 46, 28]))
    return out


def bare_platypus(t: Any, res: Any) -> bytes:
    """The same tables with plain ReportLab: no svdesk code between the text and platypus."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from svdesk.paths import resources_dir

    if "bare-Sans" not in pdfmetrics.getRegisteredFontNames():
        fonts = resources_dir() / "fonts"
        pdfmetrics.registerFont(TTFont("bare-Sans", str(fonts / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("bare-Sans-Bold", str(fonts / "DejaVuSans-Bold.ttf")))
    cell = ParagraphStyle("cell", fontName="bare-Sans", fontSize=8, leading=10)
    head = ParagraphStyle("head", fontName="bare-Sans-Bold", fontSize=7.5, leading=9.5, textColor=colors.white)
    h1 = ParagraphStyle("h1", fontName="bare-Sans-Bold", fontSize=14, leading=18, spaceBefore=10, spaceAfter=6)
    width = A4[0] - 36 * mm
    style = TableStyle([("FONT", (0, 0), (-1, -1), "bare-Sans", 8), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3a5f")),
                        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#b8c2cc")),
                        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)])
    story: list[Any] = []
    for title, header, rows, rel in tables(t, res):
        story.append(Paragraph(escape(title), h1))
        widths = [w * width / sum(rel) for w in rel]
        head_row = [Paragraph(escape(h), head) for h in header]
        body = [[Paragraph(escape(c), cell) for c in r] for r in rows]
        for start in range(0, max(1, len(body)), CHUNK):
            story.append(Table([head_row, *body[start:start + CHUNK]], colWidths=widths, repeatRows=1, style=style))

    def page_number(canvas: Any, doc: Any) -> None:
        canvas.setFont("bare-Sans", 7)
        canvas.drawRightString(A4[0] - 18 * mm, 15 * mm, f"Page {doc.page}")

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=24 * mm,
                      bottomMargin=25 * mm, initialFontName="bare-Sans").build(
        story, onFirstPage=page_number, onLaterPages=page_number)
    return buf.getvalue()


def bench_report(quick: bool) -> list[Figure]:
    """Figures 5 and 5b."""
    from svdesk.reports.award import render_award
    from svdesk.reports.options import ReportOptions

    t, res = report_inputs(100)
    opts = ReportOptions(authority="Ashbourne District Council", deterministic=True)
    render_award(t, res, opts)  # warm: fonts, imports
    bare_platypus(t, res)
    runs = 3 if quick else 7
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):      # alternately, so a slow spell of the machine touches both sides alike
        mine.append(timed(lambda: render_award(t, res, opts), 1)[0])
        theirs.append(timed(lambda: bare_platypus(t, res), 1)[0])
    ours, bare = statistics.median(mine), statistics.median(theirs)
    spread = max(mine) - min(mine)
    figs = [Figure("5. award report, 100 bidders (full committee paper, 600 moderation rows)", ours * 1000, "ms",
                   "≤ 2× bare ReportLab of the same tables", ours <= 2 * bare, bare * 1000, ours / bare,
                   note=f"median of {runs}, alternating with the baseline; spread {spread * 1000:.0f} ms")]
    try:
        figs.append(_bench_libreoffice(t, res, ours))
    except NotMeasuredError as e:
        print(f"5b. not measured: {e}", flush=True)
    return figs


def _bench_libreoffice(t: Any, res: Any, ours: float) -> Figure:
    """5b. The committee's tables the way officers do it today: an openpyxl workbook → LibreOffice → PDF."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        raise NotMeasuredError("LibreOffice is not installed (./run-bench installs libreoffice-calc-nogui on Debian)")
    from openpyxl import Workbook

    with tempfile.TemporaryDirectory() as tmp:
        wb = Workbook()
        first = True
        for title, header, rows, _ in tables(t, res):
            ws = wb.active if first else wb.create_sheet()
            first = False
            ws.title = title[:31]
            ws.append(header)
            for r in rows:
                ws.append(r)
        xlsx = Path(tmp) / "committee.xlsx"
        wb.save(xlsx)
        profile = Path(tmp) / "profile"

        def convert() -> None:
            subprocess.run([office, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                            "--outdir", tmp, str(xlsx)], check=True, capture_output=True, timeout=180)

        convert()  # the first run creates the profile
        lo, _ = timed(convert, 3)
    return Figure("5b. the same tables as an openpyxl workbook → LibreOffice → PDF (today's way)", lo * 1000, "ms",
                  "svdesk faster", ours < lo, ours * 1000, lo / ours,
                  note="baseline here is svdesk's whole paper; ratio = LibreOffice ÷ svdesk")
