"""Figure 8: the award report for the largest tender svdesk accepts (issue 16, bounded work).

``svdesk/domain/limits.py`` allows 500 bids and 60 criteria; the paper is rendered for a complete tender of that
size (five evaluators, every score agreed with a reason: 30,000 moderated marks), once (it is long), and timed
from the tender to the PDF bytes. The target is 10 s. The award report prints the marks on which the evaluators
differed (at most ``MODERATION_ROWS_IN_REPORT``); the full record is the moderation record paper, timed beside it
and reported without a target (it is 1,500 pages).
"""

from __future__ import annotations

import time

from benchmarks.common import Figure


def bench_largest(quick: bool) -> list[Figure]:
    """Figure 8."""
    from dataclasses import replace
    from decimal import Decimal

    from benchmarks.reports import report_inputs
    from benchmarks.workloads import big_tender
    from svdesk.domain.limits import MAX_BIDS, MAX_CRITERIA
    from svdesk.domain.scoring import score_tender
    from svdesk.reports.award import render_award, render_moderation
    from svdesk.reports.options import ReportOptions

    t = big_tender(bids=MAX_BIDS, criteria=MAX_CRITERIA, evaluators=5, seed=2)
    t = replace(t, bids=tuple(
        replace(b, scores={c.id: Decimal(3 + i % 3) for c in t.criteria if c.is_assessed},
                explanations={c.id: f"Scored on the evidence in section {j + 1} of the tender."
                              for j, c in enumerate(t.criteria) if c.is_assessed})
        for i, b in enumerate(t.bids)), buyer="Ashbourne District Council", officer="Priya Shah")
    res = score_tender(t)
    opts = ReportOptions(authority="Ashbourne District Council", deterministic=True)
    render_award(*report_inputs(5), opts)   # warm: fonts, imports
    wall, cpu = time.perf_counter(), time.process_time()
    data = render_award(t, res, opts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    figures = [Figure(f"8. award report for the largest allowed tender ({MAX_BIDS} bids × {len(t.criteria)} criteria "
                      "× 5 evaluators)", wall, "s", "≤ 10 s", wall <= 10.0,
                      note=f"one run; CPU time {cpu:.1f} s; {len(data) // 1024:,} KiB of PDF")]
    if not quick:
        wall = time.perf_counter()
        data = render_moderation(t, res, opts)
        wall = time.perf_counter() - wall
        figures.append(Figure("8c. its full moderation record (30,000 marks), a paper of its own", wall, "s",
                              "reported", True, note=f"one run; {len(data) // 1024:,} KiB of PDF"))
    return figures
