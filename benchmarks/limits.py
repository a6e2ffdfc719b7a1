"""Figure 8: the award report for the largest tender svdesk accepts (issue 16, bounded work).

``svdesk/domain/limits.py`` allows 500 bids; the paper is rendered for a complete tender of that many bids with
the award workload's shape (8 criteria, 2 evaluators, every score agreed with a reason), once (it is long), and
timed from the tender to the PDF bytes. The target is 10 s. Not covered: the same bids with 60 criteria (also
allowed), whose moderation record is far longer (see docs/performance.md).
"""

from __future__ import annotations

import time

from benchmarks.common import Figure


def bench_largest(quick: bool) -> list[Figure]:
    """Figure 8."""
    from benchmarks.reports import report_inputs
    from svdesk.domain.limits import MAX_BIDS
    from svdesk.reports.award import render_award
    from svdesk.reports.options import ReportOptions

    t, res = report_inputs(MAX_BIDS)
    opts = ReportOptions(authority="Ashbourne District Council", deterministic=True)
    render_award(*report_inputs(5), opts)   # warm: fonts, imports
    wall, cpu = time.perf_counter(), time.process_time()
    data = render_award(t, res, opts)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return [Figure(f"8. award report for the largest allowed tender ({MAX_BIDS} bids × {len(t.criteria)} criteria)",
                   wall, "s", "≤ 10 s", wall <= 10.0,
                   note=f"one run; CPU time {cpu:.1f} s; {len(data) // 1024:,} KiB of PDF")]
