"""Run every benchmark and print one line per figure: value, baseline measured in the same run, ratio, target.

Usage: ``./run-bench`` (sets up, builds the executable when needed, then runs this), or
``python -m benchmarks.run [--only NAME ...] [--quick] [--no-build]``. Headless (offscreen). Figures:

1. start from source: first paint and register populated, against a bare QMainWindow + QTableView
2. the one-file executable: start to main window, against a bare one-file PySide6 window built the same way
3. a database of 10,000 tenders (2.1 million score rows): the register's first screen, time and peak memory
4. scoring 500 bids × 60 criteria × 5 evaluators
5. the award report for 100 bidders, against plain ReportLab setting the same tables; 5b: openpyxl + LibreOffice
6. one mark typed into the scoring grid of a 500-bid tender: committed (synchronous=FULL) and repainted
7. the one-file executable's size

A figure that cannot be measured here says ``not measured:`` and why; it is never given a made-up number. The
exit status is 0 whatever the figures (they are reported, not asserted); 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import BUILD, ROOT, Figure, NotMeasuredError, cpu_note, run_measured, timed

PYTHON = str(ROOT / ".venv" / "bin" / "python")


def _child_env(work: Path) -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "installers"))
    from smoke_test import private_env

    return {**private_env(work), "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(BUILD / "pycache")}


# --- 1, 2, 7. start-up and size ------------------------------------------------------------------------------

def bench_startup(args: argparse.Namespace) -> list[Figure]:
    """Figure 1 (from source)."""
    from benchmarks.startup import bench_source

    return bench_source(5 if args.quick else 9)


def bench_frozen(args: argparse.Namespace) -> list[Figure]:
    """Figures 2 and 7 (the executable)."""
    from benchmarks.startup import bench_frozen as frozen

    return frozen(3 if args.quick else 5, build=not args.no_build)


# --- 3. a big register --------------------------------------------------------------------------------------

def bench_register(args: argparse.Namespace) -> list[Figure]:
    """Figure 3: open the register of a 10,000-tender database and paint its first screen."""
    from benchmarks.register_db import register_database

    source = register_database()
    work = Path(tempfile.mkdtemp(prefix="svdesk-bench-"))
    try:
        db = work / "register.sqlite3"
        shutil.copyfile(source, db)        # a working copy: opening writes (sidecar, journal mode, backups)
        env = _child_env(work)
        argv = [PYTHON, "-m", "benchmarks.child", "register", str(db)]
        run_measured(argv, env, ROOT)      # warm-up: page cache, and the day's first backup of the new copy
        runs = []
        for _ in range(3 if args.quick else 5):
            out, peak_kib = run_measured(argv, env, ROOT)
            data = json.loads(out.strip().splitlines()[-1])
            if data["first_screen_s"] is None or not data["database_opened"]:
                raise NotMeasuredError(f"3. the register did not open: {data}")
            runs.append((data["first_screen_s"], peak_kib / 1024, data["open_s"], data["rows"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    first = statistics.median(r[0] for r in runs)
    peak = max(r[1] for r in runs)
    opened = statistics.median(r[2] for r in runs)
    rows = runs[0][3]
    size = source.stat().st_size / 1e6
    return [
        Figure(f"3a. register of {rows:,} tenders ({size:.0f} MB file): first screen painted", first * 1000, "ms",
               "≤ 300 ms", first <= 0.300,
               note=f"median of {len(runs)}, from the moment the database is asked for; fully open (editable) "
                    f"at {opened * 1000:.0f} ms"),
        Figure("3b. same: peak memory of the whole process", peak, "MB", "≤ 250 MB", peak <= 250,
               note="ru_maxrss of the child (window, register, the full open included); worst of the runs"),
    ]


# --- 4. scoring ---------------------------------------------------------------------------------------------

def bench_scoring(args: argparse.Namespace) -> list[Figure]:
    """Figure 4."""
    from benchmarks.workloads import big_tender
    from svdesk.domain.scoring import score_tender

    t = big_tender(500, 60, 5)
    score_tender(t)  # warm
    runs = 5 if args.quick else 11
    med, spread = timed(lambda: score_tender(t), runs)
    cpu = statistics.median(_cpu_times(lambda: score_tender(t), runs))
    return [Figure("4. score 500 bids × 60 criteria × 5 evaluators (with formula and local-only comparisons)",
                   med * 1000, "ms", "≤ 100 ms", med <= 0.100,
                   note=f"median of {runs}, spread {spread * 1000:.0f} ms, CPU time {cpu * 1000:.0f} ms")]


def _cpu_times(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.process_time()
        fn()
        out.append(time.process_time() - t0)
    return out


# --- 5. reports ---------------------------------------------------------------------------------------------

def bench_report(args: argparse.Namespace) -> list[Figure]:
    """Figures 5 and 5b."""
    from benchmarks.reports import bench_report as report

    return report(args.quick)


def bench_largest(args: argparse.Namespace) -> list[Figure]:
    """Figure 8: the award report for the largest allowed tender (benchmarks/limits.py)."""
    from benchmarks.limits import bench_largest as largest

    return largest(args.quick)


# --- 6. one edit in the scoring grid --------------------------------------------------------------------------

def bench_edit(args: argparse.Namespace) -> list[Figure]:
    """Figure 6: marks typed into the scoring grid, each committed and repainted."""
    from benchmarks.register_db import scoring_database

    source, reference = scoring_database()
    work = Path(tempfile.mkdtemp(prefix="svdesk-bench-"))
    try:
        db = work / "scoring.sqlite3"
        shutil.copyfile(source, db)
        edits = 20 if args.quick else 50
        out, _ = run_measured([PYTHON, "-m", "benchmarks.child", "edit", str(db), reference, str(edits)],
                              _child_env(work), ROOT)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    data = json.loads(out.strip().splitlines()[-1])
    sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(data["synchronous"], str(data["synchronous"]))
    med = data["median_s"]
    return [Figure(f"6. one mark typed into the scoring grid ({data['bids']} bids × {data['criteria']} criteria), "
                   f"committed and repainted", med * 1000, "ms", "≤ 30 ms", med <= 0.030,
                   note=f"median of {data['edits']}, worst {data['max_s'] * 1000:.0f} ms; synchronous={sync}, "
                        f"journal {data['journal_mode']}; the whole window with the tender's workspace")]


BENCHES: dict[str, Callable[[argparse.Namespace], list[Figure]]] = {
    "startup": bench_startup,
    "frozen": bench_frozen,
    "register": bench_register,
    "scoring": bench_scoring,
    "report": bench_report,
    "edit": bench_edit,
    "largest": bench_largest,
}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the figures."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", nargs="*", choices=sorted(BENCHES), help="run only these benchmarks")
    p.add_argument("--quick", action="store_true", help="fewer repetitions (for a quick look)")
    p.add_argument("--no-build", action="store_true",
                   help="do not run installers/build.sh (figures 2 and 7 use dist/svdesk as it is)")
    args = p.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    print(f"svdesk benchmarks — {platform.node()}, {platform.machine()}, {cpu_note()}, Python "
          f"{platform.python_version()}, {platform.platform(terse=True)}, {time.strftime('%Y-%m-%d %H:%M %Z')}",
          flush=True)
    figures: list[Figure] = []
    for name in args.only or BENCHES:
        try:
            for fig in BENCHES[name](args):
                print(fig.line(), flush=True)
                figures.append(fig)
        except NotMeasuredError as e:
            print(f"{name}: not measured: {e}", flush=True)
    missed = [f for f in figures if not f.ok]
    print(f"{len(figures) - len(missed)} target(s) met, {len(missed)} missed; {cpu_note()} at the end; "
          f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
