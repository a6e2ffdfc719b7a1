"""Figures 1, 2 and 7: start-up from source and as the frozen executable, and the executable's size.

Figure 1 starts ``python -m ui`` and the bare window (``installers/baseline_app.py``: QMainWindow + one
QTableView) alternately, offscreen, in a private profile (``installers/smoke_test.private_env``) whose database
holds the demo tenders, and notes when each ``svdesk-smoke:`` line arrives on stdout:

- first paint: ``window shown`` (both programs print it once the window is shown and the loop has run once);
- register populated: ``register populated N rows`` (svdesk only: the register's first screen painted);
- idle: ``database opened`` (svdesk: the database is open, everything can be used).

Both run with the same bytecode cache (``PYTHONPYCACHEPREFIX`` under ``build/bench/``, filled by the warm-up
runs), as on any start after the first. Figures 2 and 7 come from ``installers/bench_startup.py --json``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.common import BUILD, ROOT, Figure, NotMeasuredError

sys.path.insert(0, str(ROOT / "installers"))
from smoke_test import private_env  # installers/ is not a package: found through sys.path

PREFIX = "svdesk-smoke: "
FIRST_PAINT_RATIO = 1.5
REGISTER_RATIO = 2.5


def _lines(argv: list[str], env: dict[str, str], cwd: Path, timeout: float = 120.0) -> dict[str, float]:
    """Run a program; seconds from start to each ``svdesk-smoke:`` line (keyed by the text before any ':')."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=err, text=True,
                             stdin=subprocess.DEVNULL)
        watchdog = threading.Timer(timeout, p.kill)
        watchdog.start()
        seen: dict[str, float] = {}
        try:
            assert p.stdout is not None
            for line in p.stdout:
                if line.startswith(PREFIX):
                    key = line[len(PREFIX):].split(":")[0].strip()
                    key = "register populated" if key.startswith("register populated") else key
                    seen.setdefault(key, time.perf_counter() - t0)
            code = p.wait()
            seen["exit"] = time.perf_counter() - t0
        finally:
            watchdog.cancel()
        if code != 0 or "window shown" not in seen:
            err.seek(0)
            raise NotMeasuredError(f"{' '.join(argv)} exited with {code}: "
                                   f"{err.read().decode(errors='replace')[-800:]}")
    return seen


def _env(work: Path) -> dict[str, str]:
    env = {**private_env(work), "SVDESK_SMOKE_QUIT_AFTER_MS": "0", "PYTHONPATH": str(ROOT),
           "PYTHONPYCACHEPREFIX": str(BUILD / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)   # the warm-up runs fill the cache; timed runs read it
    return env


def bench_source(runs: int) -> list[Figure]:
    """Figure 1: from source, svdesk against the bare window started the same way."""
    python = str(ROOT / ".venv" / "bin" / "python")
    svdesk = [python, "-m", "ui"]
    baseline = [python, str(ROOT / "installers" / "baseline_app.py")]
    work = Path(tempfile.mkdtemp(prefix="svdesk-bench-"))
    try:
        env = _env(work)
        cwd = work / "cwd"
        subprocess.run([*svdesk, "demo"], env=env, cwd=cwd, capture_output=True, check=True)
        for _ in range(2):   # warm-up: bytecode cache, page cache, fontconfig cache, the first daily backup
            _lines(baseline, env, cwd)
            _lines(svdesk, env, cwd)
        base: list[float] = []
        ours: list[dict[str, float]] = []
        for _ in range(runs):
            base.append(_lines(baseline, env, cwd)["window shown"])
            ours.append(_lines(svdesk, env, cwd))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    b = statistics.median(base)

    def med(key: str) -> float:
        return statistics.median(r[key] for r in ours)

    paint, register, idle = med("window shown"), med("register populated"), med("database opened")
    how = f"median of {runs}, warm, offscreen"
    return [
        Figure("1a. start from source to first paint (main window shown)", paint * 1000, "ms",
               f"≤ {FIRST_PAINT_RATIO}× bare window", paint <= FIRST_PAINT_RATIO * b, b * 1000, paint / b, note=how),
        Figure("1b. start from source to register populated from the database", register * 1000, "ms",
               f"≤ {REGISTER_RATIO}× bare window's first paint", register <= REGISTER_RATIO * b, b * 1000,
               register / b, note=f"{how}; database fully open (idle) at {idle * 1000:.0f} ms"),
    ]


def bench_frozen(runs: int, build: bool) -> list[Figure]:
    """Figures 2 and 7: the one-file executable against a bare one-file PySide6 window built the same way."""
    exe = ROOT / "dist" / "svdesk"
    if build:
        script = ROOT / "installers" / "build.sh"
        print("bench: installers/build.sh --no-smoke (rebuilds only when the sources changed)", flush=True)
        p = subprocess.run([str(script), "--no-smoke"], cwd=ROOT, capture_output=True, text=True, check=False)
        if p.returncode != 0:
            raise NotMeasuredError(f"2./7. the executable could not be built (installers/build.sh exit "
                                   f"{p.returncode}: {(p.stderr or p.stdout).strip()[-300:]})")
    if not exe.is_file():
        raise NotMeasuredError("2./7. no dist/svdesk: run installers/build.sh (or ./run-bench without --no-build)")
    if not (ROOT / ".venv-build" / "bin" / "python").is_file() and not (BUILD.parent / "baseline").is_dir():
        raise NotMeasuredError("2./7. no .venv-build to build the bare one-file baseline with "
                               "(installers/build.sh --venv-only makes it)")
    p = subprocess.run([sys.executable, str(ROOT / "installers" / "bench_startup.py"), "--json", "--runs",
                        str(runs)], cwd=ROOT, capture_output=True, text=True, check=False,
                       env={k: v for k, v in os.environ.items() if not k.startswith("PYTHONPYCACHEPREFIX")})
    data = next((json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")), None)
    if p.returncode != 0 or data is None:
        raise NotMeasuredError(f"2./7. installers/bench_startup.py failed: {(p.stderr or p.stdout).strip()[-400:]}")
    how = f"median of {runs}, warm, offscreen, {data['kind']}"
    shown, base = data["shown_s"], data["baseline_shown_s"]
    return [
        Figure("2. frozen executable: start to main window shown", shown * 1000, "ms", "≤ 1.5× bare one-file window",
               shown <= 1.5 * base, base * 1000, shown / base, note=how),
        Figure("7. executable size (one file)", data["size_mb"], "MB", "≤ 80 MB", data["size_mb"] <= 80,
               data["baseline_size_mb"], data["size_mb"] / data["baseline_size_mb"],
               note="baseline: bare one-file PySide6 window, same recipe"),
    ]
