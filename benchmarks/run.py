"""Run every benchmark and print one line per figure: value, baseline measured in the same run, ratio, target.

Usage: ``./run-bench`` (or ``python -m benchmarks.run [--only NAME ...] [--quick]``). Headless; about 2–4 minutes
on 2 cores. Each figure is the median of several runs; the machine's noise is in the ``spread`` column.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class NotMeasuredError(Exception):
    """A figure cannot be measured here (the reason is printed, never a fake number)."""


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str
    ok: bool
    baseline: float | None = None
    ratio: float | None = None
    note: str = ""

    def line(self) -> str:
        base = f"baseline {self.baseline:.3g} {self.unit}, ratio {self.ratio:.2f}×" if self.baseline else ""
        verdict = "met" if self.ok else "MISSED"
        parts = [f"{self.name}: {self.value:.3g} {self.unit}", base, f"target {self.target}", verdict, self.note]
        return " | ".join(p for p in parts if p)


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and spread (max − min) of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times) - min(times)


# --- 4. scoring ------------------------------------------------------------------------------------------

def bench_scoring(quick: bool) -> list[Figure]:
    from benchmarks.workloads import big_tender
    from svdesk.domain.scoring import score_tender

    t = big_tender(500, 60, 5)
    score_tender(t)  # warm
    med, spread = timed(lambda: score_tender(t), 3 if quick else 7)
    return [Figure("4. score 500 bids × 60 criteria × 5 evaluators (with formula and local-only comparisons)",
                   med * 1000, "ms", "≤ 100 ms", med <= 0.100, note=f"spread {spread * 1000:.0f} ms")]


# --- 5. reports ------------------------------------------------------------------------------------------

def _bare_platypus(rows: list[list[str]], header: list[str]) -> bytes:
    """The committee results table (and method table) with plain ReportLab, no svdesk logic."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    buf = io.BytesIO()
    ss = getSampleStyleSheet()
    story = [Paragraph("Award recommendation", ss["Title"])]
    for start in range(0, len(rows), 50):
        t = Table([header, *rows[start:start + 50]], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, "grey"), ("FONTSIZE", (0, 0), (-1, -1), 7)]))
        story.append(t)
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return buf.getvalue()


def _results_rows(bids: int) -> tuple[object, object, list[str], list[list[str]]]:
    from benchmarks.workloads import report_tender
    from svdesk.domain.money import format_gbp, format_points
    from svdesk.domain.scoring import score_tender

    t = report_tender(bids)
    res = score_tender(t)
    ids = [c.id for c in t.criteria]
    header = ["Rank", "Supplier", *ids, "Total", "Price"]
    rows = [[str(r.rank or "–"), r.supplier, *(format_points(r.criteria.get(i)) for i in ids),
             format_points(r.total), format_gbp(r.price)] for r in res.results]
    return t, res, header, rows


def bench_report(quick: bool) -> list[Figure]:
    from svdesk.reports.award import render_award
    from svdesk.reports.options import ReportOptions

    t, res, header, rows = _results_rows(100)
    opts = ReportOptions(authority="Ashbourne District Council", deterministic=True)
    render_award(t, res, opts)  # warm: fonts, imports
    _bare_platypus(rows, header)
    runs = 3 if quick else 5
    ours, spread = timed(lambda: render_award(t, res, opts), runs)
    bare, _ = timed(lambda: _bare_platypus(rows, header), runs)
    figs = [Figure("5. award report, 100 bidders (full committee paper)", ours * 1000, "ms",
                   "≤ 2× bare ReportLab of the same tables", ours <= 2 * bare, bare * 1000, ours / bare,
                   note=f"spread {spread * 1000:.0f} ms")]
    try:
        figs.append(_bench_libreoffice(header, rows, ours))
    except NotMeasuredError as e:
        print(f"report: not measured: {e}", flush=True)
    return figs


def _bench_libreoffice(header: list[str], rows: list[list[str]], ours: float) -> Figure:
    """5b. The same table the way officers do it today: openpyxl workbook → LibreOffice → PDF."""
    import shutil
    import subprocess
    import tempfile

    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        raise NotMeasuredError("5b. LibreOffice is not installed (./run-bench installs it on Debian)")
    from openpyxl import Workbook

    with tempfile.TemporaryDirectory() as tmp:
        wb = Workbook()
        ws = wb.active
        ws.append(header)
        for r in rows:
            ws.append(r)
        xlsx = Path(tmp) / "committee.xlsx"
        wb.save(xlsx)
        profile = Path(tmp) / "profile"

        def convert() -> None:
            subprocess.run([office, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf",
                            "--outdir", tmp, str(xlsx)], check=True, capture_output=True, timeout=120)

        convert()  # first run creates the profile
        lo, _ = timed(convert, 3)
    return Figure("5b. same committee table via openpyxl + LibreOffice → PDF (today's way)", lo * 1000, "ms",
                  "svdesk faster", ours < lo, ours * 1000, lo / ours,
                  note="baseline here is svdesk's full report; ratio = LibreOffice ÷ svdesk")


BENCHES: dict[str, Callable[[bool], list[Figure]]] = {
    "scoring": bench_scoring,
    "report": bench_report,
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--only", nargs="*", choices=sorted(BENCHES), help="run only these benchmarks")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (for CI smoke runs)")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"svdesk benchmarks — {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}")
    missed = 0
    for name in args.only or BENCHES:
        try:
            for fig in BENCHES[name](args.quick):
                print(fig.line(), flush=True)
                missed += not fig.ok
        except NotMeasuredError as e:
            print(f"{name}: not measured: {e}", flush=True)
    print(f"{missed} target(s) missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
