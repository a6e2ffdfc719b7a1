"""What every benchmark shares: the figure line, timing, where the benchmark keeps its files."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Generated inputs kept between runs (the 10,000-tender database, the bytecode cache): gitignored.
BUILD = ROOT / "build" / "bench"


class NotMeasuredError(Exception):
    """A figure cannot be measured here (the reason is printed, never a fake number)."""


@dataclass
class Figure:
    """One line of the benchmark's output."""

    name: str
    value: float
    unit: str
    target: str
    ok: bool
    baseline: float | None = None
    ratio: float | None = None
    note: str = ""

    def line(self) -> str:
        """``name: value | baseline …, ratio …× | target … | met/MISSED | note``."""
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


def run_measured(argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
                 timeout: float = 600.0) -> tuple[str, int]:
    """Run a child process; its stdout and its peak resident memory in KiB.

    The peak is the child's own ``ru_maxrss`` as its parent sees it when reaping it (``wait4``): what
    ``getrusage(RUSAGE_CHILDREN)`` reports after that child alone, without the earlier children of this process.

    Raises:
        NotMeasuredError: the child failed or timed out (its stderr's tail is the reason).
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        p = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=err, text=True, stdin=subprocess.DEVNULL)
        watchdog = threading.Timer(timeout, p.kill)
        watchdog.start()
        try:
            _pid, status, usage = os.wait4(p.pid, 0)
        finally:
            watchdog.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if p.returncode != 0:
            raise NotMeasuredError(f"{' '.join(argv[-2:])} exited with {p.returncode}: {err.read().strip()[-600:]}")
        return out.read(), int(usage.ru_maxrss)


def cpu_note() -> str:
    """``2 cores, load 1.3`` — how busy the machine was (the figures are noisy on a loaded machine)."""
    try:
        load = os.getloadavg()[0]
    except OSError:
        return f"{os.cpu_count()} cores"
    return f"{os.cpu_count()} cores, load {load:.1f}"
