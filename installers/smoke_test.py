"""Smoke-test a frozen svdesk executable: does the file an officer receives actually work?

    python installers/smoke_test.py dist/svdesk [--source-python .venv-build/bin/python] [--source-root .]

Standard library only, so it runs against any build with any Python 3.11+. Everything happens in a new
temporary folder: ``SVDESK_HOME``, ``HOME``, the XDG folders and ``TMPDIR`` point inside it, so no real profile
is touched and a one-file build's unpack folder can be checked for leftovers.

Steps (each prints PASS, FAIL or SKIP with the reason, then one closing line ``smoke: N passed, N failed,
N skipped``; the exit status is 1 when any step failed):

version     ``--version`` prints ``svdesk X.Y.Z`` (the source's version when --source-python is given)
help        ``--help`` works; every command the source version has is in the frozen one (a command missing
            from the frozen build means a module was not bundled)
score-file  ``score resources/demo/network-tender.json --json``: the expected winner ranks first, and the
            results equal the source version's
asks        ``asks list`` reads the asks library bundled from resources/ (the same list as the source)
demo        ``demo`` fills a new database in SVDESK_HOME
import      ``import resources/demo/network-tender.json`` into that database (into a new one when there was no
            ``demo``; under a new reference when there was) ranks as the file
score-ref   ``score REF --json`` from that database gives the same ranking as the file
report      ``report REF --kind award --out …/award.pdf`` writes a real PDF (header, pages, %%EOF; with
            pdftotext on PATH, its text names the tender and the winner)
source-db   a database created by the source version (``python -m svdesk demo``, or ``import`` while there is
            no ``demo``) opens in the frozen one (``score REF`` and, when it exists, ``check``)
gui         the window starts offscreen, shows its main window and quits cleanly (needs ui/app.py to honour
            SVDESK_SMOKE_QUIT_AFTER_MS, see below)
pack        the evaluation panel's round trip in the frozen build: ``panel REF add``/``declare``, ``pack REF
            --evaluator`` (to a file named in Unicode), ``mark PACK --from CSV`` (the member's side), ``import
            RETURN --yes`` (the merge lands: ``panel REF`` says returned, 1 mark), then ``svdesk PACK`` opens the
            marking window offscreen, says what it marks and quits (the same hook, ``ui/smoke.py``)
no-display  (Linux) with no display at all, ``svdesk`` says so and runs the headless demo instead
clean       nothing was written beside the executable, and no unpack folder was left in TMPDIR

A step whose command does not exist yet (not in the ``--help`` of the frozen or the source version; for
``gui``: no ``ui/app.py`` in the source) is SKIPPED and says so; once the command exists, any breakage FAILS.

The GUI hook (``ui/app.py`` honours it): when ``SVDESK_SMOKE_QUIT_AFTER_MS`` holds a number of milliseconds,
after the main window is shown and the event loop has run once, the app writes one line
``svdesk-smoke: window shown: <window title>`` to stdout (flushed); after its start-up work (opening the
database) ``svdesk-smoke: database opened`` (or ``no database``); it quits that many milliseconds after the
window was shown, and ``run()`` returns 0. ``installers/bench_startup.py`` times the start to the first line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "resources" / "demo" / "network-tender.json"
#: The winner of the demo tender (tests/test_cli.py holds the same from source).
DEMO_WINNER = "Acme Networks Ltd"
SMOKE_MARKER = "svdesk-smoke: window shown"
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|Fatal Python error|Segmentation fault|core dumped")


class StepFailedError(Exception):
    """A smoke step found the executable broken."""


class StepSkippedError(Exception):
    """A smoke step cannot run yet: what it tests does not exist in this build."""


@dataclass
class Run:
    """One finished process."""

    args: list[str]
    code: int
    out: str
    err: str
    seconds: float

    def explain(self) -> str:
        """The command and the tail of its output, for a failure message."""
        tail = "\n".join((self.out.strip() + "\n" + self.err.strip()).strip().splitlines()[-15:])
        return f"$ {' '.join(self.args)}\n  exit status {self.code}\n  " + tail.replace("\n", "\n  ")


@dataclass
class Smoke:
    """The smoke test of one executable."""

    exe: Path
    work: Path
    source_python: str | None
    source_root: Path
    timeout: float
    env: dict[str, str] = field(default_factory=dict)
    commands: set[str] = field(default_factory=set)
    source_commands: set[str] | None = None
    facts: dict[str, object] = field(default_factory=dict)
    beside_before: list[str] = field(default_factory=list)

    # --- running things -------------------------------------------------------------------------------------

    def frozen(self, *args: str, env: dict[str, str] | None = None, timeout: float | None = None) -> Run:
        """Run the executable with the private environment (plus ``env``) in the work folder."""
        return self._run([str(self.exe), *args], {**self.env, **(env or {})}, self.work / "cwd", timeout)

    def source(self, *args: str, env: dict[str, str] | None = None) -> Run:
        """Run the source version (``python -m svdesk``) from the source root."""
        assert self.source_python
        full_env = {**self.env, "PYTHONPATH": str(self.source_root), **(env or {})}
        return self._run([self.source_python, "-m", "svdesk", *args], full_env, self.source_root, None)

    def _run(self, argv: list[str], env: dict[str, str], cwd: Path, timeout: float | None) -> Run:
        start = time.perf_counter()
        try:
            p = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                               errors="replace", timeout=timeout or self.timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            raise StepFailedError(f"$ {' '.join(argv)}\n  did not finish within {e.timeout:.0f} s\n  "
                                  f"{out[-800:]}") from e
        return Run(argv, p.returncode, p.stdout, p.stderr, time.perf_counter() - start)

    def ok(self, run: Run) -> Run:
        """``run`` if it succeeded cleanly; else the step fails with its output."""
        if run.code != 0 or TRACEBACK.search(run.err) or TRACEBACK.search(run.out):
            raise StepFailedError(run.explain())
        return run

    def need(self, command: str) -> None:
        """Skip unless ``command`` exists; fail if the source version has it and the frozen one does not."""
        in_source = self.source_commands is not None and command in self.source_commands
        if command in self.commands:
            return
        if in_source:
            raise StepFailedError(f"'{command}' is a command of the source version but not of the frozen one: "
                                  "a stale build, or its module was not bundled (hiddenimports in svdesk.spec)")
        raise StepSkippedError(f"'{command}' is not a command of this build yet")

    # --- the steps ------------------------------------------------------------------------------------------

    def step_version(self) -> str:
        out = self.ok(self.frozen("--version")).out.strip()
        if not re.fullmatch(r"svdesk \d+(\.\d+)*\S*", out):
            raise StepFailedError(f"--version printed {out!r}, expected 'svdesk X.Y.Z'")
        if self.source_python:
            want = self.ok(self.source("--version")).out.strip()
            if out != want:
                raise StepFailedError(f"frozen says {out!r}, source says {want!r}: the build is stale")
        return out

    def step_help(self) -> str:
        self.commands = parse_commands(self.ok(self.frozen("--help")).out)
        if self.source_python:
            self.source_commands = parse_commands(self.ok(self.source("--help")).out)
            missing = sorted(self.source_commands - self.commands)
            if missing:
                raise StepFailedError(f"commands of the source version missing from the frozen one: {missing} "
                                      "(a stale build, or their modules were not bundled)")
        return "commands: " + ", ".join(sorted(self.commands))

    def step_score_file(self) -> str:
        doc = self.score_json(str(DEMO_FILE))
        winner = winner_of(doc)
        if winner != DEMO_WINNER:
            raise StepFailedError(f"winner is {winner!r}, expected {DEMO_WINNER!r}")
        if self.source_python:
            want = json.loads(self.ok(self.source("score", str(DEMO_FILE), "--json")).out)
            if doc != want:
                raise StepFailedError("frozen and source versions score the demo tender differently:\n"
                                 f"  frozen: {json.dumps(doc)[:600]}\n  source: {json.dumps(want)[:600]}")
        self.facts["reference"] = doc["tender"]
        self.facts["ranking"] = ranking(doc)
        return f"{doc['tender']}: {winner} first, {len(doc['results'])} bids, same as source" \
            if self.source_python else f"{doc['tender']}: {winner} first"

    def step_asks(self) -> str:
        self.need("asks")
        out = self.ok(self.frozen("asks", "list")).out
        if not out.strip():
            raise StepFailedError("'asks list' printed nothing: is resources/asks.json bundled?")
        if self.source_python:
            want = self.ok(self.source("asks", "list")).out
            if out != want:
                raise StepFailedError("the frozen and source versions list different asks (stale build, or a "
                                      "file of resources/ not bundled)")
        return f"the bundled asks library lists {len(out.strip().splitlines())} asks" + \
            (", as the source does" if self.source_python else "")

    def step_demo(self) -> str:
        self.need("demo")
        self.ok(self.frozen("demo"))
        db = Path(self.env["SVDESK_HOME"]) / "svdesk.sqlite3"
        if not db.is_file() or not db.read_bytes()[:16] == b"SQLite format 3\0":
            raise StepFailedError(f"'demo' succeeded but wrote no SQLite database at {db}")
        self.facts["demo_db"] = True
        self.facts["db_filled_by"] = "demo"
        return f"database {db.name}, {db.stat().st_size // 1024} KiB"

    def step_import(self) -> str:
        self.need("import")
        ref = str(self.facts.get("reference", "NET-2026-01"))
        if self.facts.get("db_filled_by"):  # the demo is in already: import a second copy under a new reference
            self.ok(self.frozen("import", str(DEMO_FILE), "--tender", "SMOKE-IMPORT"))
            ref = "SMOKE-IMPORT"
        else:
            self.ok(self.frozen("import", str(DEMO_FILE)))
            self.facts["db_filled_by"] = "import"
        got = ranking(self.score_json(ref))
        if got != self.facts.get("ranking"):
            raise StepFailedError(f"imported {ref} ranks {got}, the file {self.facts.get('ranking')}")
        return f"tender file imported as {ref} into the database; it ranks as the file"

    def step_score_ref(self) -> str:
        if not self.facts.get("db_filled_by"):
            raise StepSkippedError("neither 'demo' nor 'import' filled a database")
        ref = str(self.facts.get("reference", "NET-2026-01"))
        got = ranking(self.score_json(ref))
        if got != self.facts.get("ranking"):
            raise StepFailedError(f"from the database: {got}\n  from the file: {self.facts.get('ranking')}")
        return f"{ref} (put there by '{self.facts['db_filled_by']}') ranks as from the file"

    def step_report(self) -> str:
        self.need("report")
        ref = str(self.facts.get("reference", "NET-2026-01"))
        source = ref if self.facts.get("db_filled_by") else str(DEMO_FILE)
        pdf = self.work / "out" / "award.pdf"
        self.ok(self.frozen("report", source, "--kind", "award", "--out", str(pdf)))
        pages = check_pdf(pdf)
        text_check = ""
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                  check=False).stdout
            words = " ".join(text.split())
            missing = [w for w in (DEMO_WINNER,) if w not in words]
            if ref not in words and "Corporate network" not in words:
                missing.append(f"{ref} (or the tender's title)")
            if missing:
                raise StepFailedError(f"the award report's text does not name {missing}:\n  {words[:400]}")
            text_check = f", names {ref} and {DEMO_WINNER}"
        return f"award report of {'the database' if source == ref else 'the file'}: " \
            f"{pages} page(s), {pdf.stat().st_size // 1024} KiB{text_check}"

    def step_source_db(self) -> str:
        if not self.source_python:
            raise StepSkippedError("no --source-python given")
        fill = next((c for c in ("demo", "import") if c in (self.source_commands or ())), None)
        if fill is None:
            raise StepSkippedError("the source version has neither 'demo' nor 'import' yet")
        db = self.work / "made-by-source" / "svdesk.sqlite3"
        db.parent.mkdir(parents=True)
        extra = [str(DEMO_FILE)] if fill == "import" else []
        self.ok(self.source("--db", str(db), fill, *extra, env={"SVDESK_HOME": str(db.parent)}))
        ref = str(self.facts.get("reference", "NET-2026-01"))
        got = ranking(self.score_json(ref, "--db", str(db)))
        if self.facts.get("ranking") and got != self.facts["ranking"]:
            raise StepFailedError(f"the source-made database ranks {got}, the file {self.facts['ranking']}")
        checked = ""
        if "check" in self.commands:
            self.ok(self.frozen("--db", str(db), "check"))
            checked = " and passes 'check'"
        return f"a database made by the source version ('{fill}') opens in the frozen build{checked}"

    def step_gui(self) -> str:
        ui_app = self.source_root / "ui" / "app.py"
        env = {"QT_QPA_PLATFORM": "offscreen", "SVDESK_SMOKE_QUIT_AFTER_MS": "300"}
        db = Path(self.env["SVDESK_HOME"]) / "svdesk.sqlite3"
        existed = db.is_file()
        run = self.frozen(env=env, timeout=max(self.timeout, 90))
        text = run.out + run.err
        if "No module named 'ui.app'" in text and not ui_app.is_file():
            raise StepSkippedError("the desktop application (ui/app.py) is not built yet")
        if SMOKE_MARKER not in run.out:
            hint = "" if run.code else ("\n  (it ran and quit without the marker line: ui/app.py must honour "
                                        "SVDESK_SMOKE_QUIT_AFTER_MS, see installers/smoke_test.py)")
            raise StepFailedError(run.explain() + hint)
        self.ok(run)
        title = run.out.split(SMOKE_MARKER, 1)[1].splitlines()[0].lstrip(": ").strip()
        if "svdesk-smoke: database opened" not in run.out:
            raise StepFailedError("the window showed but did not report 'database opened':\n" + run.explain())
        if existed:
            opened = f"opened the database '{self.facts.get('db_filled_by', '?')}' filled"
        elif db.is_file():  # the first start made the database: the bundled Alembic migrations ran
            opened = "created a new database (bundled migrations ran)"
        else:
            opened = "opened its database"
        return f"main window {title!r} shown offscreen, {opened}, closed cleanly, {run.seconds:.1f} s"

    def step_pack(self) -> str:
        for command in ("panel", "pack", "mark"):
            self.need(command)
        if not self.facts.get("db_filled_by"):
            raise StepSkippedError("neither 'demo' nor 'import' filled a database")
        ref = str(self.facts.get("reference", "NET-2026-01"))
        self.ok(self.frozen("panel", ref, "add", "ZO", "--name", "Zoë O'Brien"))
        self.ok(self.frozen("panel", ref, "declare", "ZO", "--no-conflict"))
        folder = self.work / "out" / "Zoë's marking"
        folder.mkdir(parents=True, exist_ok=True)
        pack, back = folder / "ZO – pack.svpack", folder / "ZO – return.svpack"
        self.ok(self.frozen("pack", ref, "--evaluator", "ZO", "--out", str(pack)))
        try:
            doc = json.loads(pack.read_text(encoding="utf-8"))
            bid, criterion = doc["bids"][0]["supplier"], doc["criteria"][0]
        except (OSError, ValueError, KeyError, IndexError, TypeError) as e:
            raise StepFailedError(f"'pack' succeeded but {pack.name} is not a pack with a bid and a criterion: "
                                  f"{e!r}") from e
        marks = folder / "marks.csv"
        with marks.open("w", encoding="utf-8", newline="") as f:
            f.write("supplier,criterion,score,reason\n")
            f.write(f'"{bid}",{criterion["id"]},{criterion["scale_max"]},"Clear plan — named engineers"\n')
        self.ok(self.frozen("mark", str(pack), "--from", str(marks), "--out", str(back)))
        # the demo is moderated already: its marks are held back unless asked for
        self.ok(self.frozen("import", str(back), "--yes", "--include-moderated"))
        status = self.ok(self.frozen("panel", ref)).out
        block = status.split("ZO (", 1)[-1] if "ZO (" in status else ""
        if not re.search(r"Returned: .*Marks: 1 of", block):
            raise StepFailedError(f"the return was imported but 'panel {ref}' does not show ZO's return with its "
                                  f"mark:\n  {status[-600:]}")
        run = self.frozen(str(pack), env={"QT_QPA_PLATFORM": "offscreen", "SVDESK_SMOKE_QUIT_AFTER_MS": "300"},
                          timeout=max(self.timeout, 90))
        if "svdesk-smoke: marking window shown" not in run.out:
            raise StepFailedError("'svdesk PACK' did not show the marking window (ui/panel.py run_marking, "
                                  "ui/smoke.py):\n" + run.explain())
        self.ok(run)
        said = [line.split(": ", 1)[1] for line in run.out.splitlines() if line.startswith("svdesk-smoke: ")]
        return (f"pack for ZO made, marked from a CSV, merged (panel: returned, 1 mark); the pack opened the marking "
                f"window: {'; '.join(said)}")

    def step_no_display(self) -> str:
        if not sys.platform.startswith("linux"):
            raise StepSkippedError("only Linux can have no display")
        env = {k: v for k, v in self.env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
        run = self.ok(self._run([str(self.exe)], env, self.work / "cwd", None))
        if "no display" not in run.err:
            raise StepFailedError("with no display, svdesk did not say so:\n" + run.explain())
        return "says there is no display and runs the headless demo"

    def step_clean(self) -> str:
        new = sorted(set(listing(self.exe.parent)) - set(self.beside_before))
        if new:
            raise StepFailedError(f"written beside the executable: {new[:10]}")
        leftovers = sorted(p.name for p in (self.work / "tmp").iterdir())
        if leftovers:
            raise StepFailedError(f"left behind in TMPDIR (a one-file run did not clean up): {leftovers[:10]}")
        return "nothing beside the executable, no unpack folder left in TMPDIR"

    # --- helpers --------------------------------------------------------------------------------------------

    def score_json(self, source: str, *extra: str) -> dict[str, object]:
        run = self.ok(self.frozen(*extra, "score", source, "--json"))
        try:
            doc = json.loads(run.out)
        except ValueError as e:
            raise StepFailedError(f"'score --json' printed no JSON ({e}):\n  {run.out[:400]}") from e
        if not isinstance(doc, dict) or not doc.get("results"):
            raise StepFailedError(f"'score --json' has no results: {run.out[:400]}")
        return doc


def parse_commands(help_text: str) -> set[str]:
    """The subcommands listed in ``svdesk --help`` (argparse lists each indented, then its help)."""
    section = help_text.split("positional arguments:", 1)[-1].split("options:", 1)[0]
    return set(re.findall(r"^ {4}([a-z][\w-]*)(?: {2,}\S.*)?$", section, re.M))


def winner_of(doc: dict[str, object]) -> str | None:
    """The supplier ranked 1 (the first of them when tied)."""
    results = doc.get("results")
    assert isinstance(results, list)
    firsts = [r.get("supplier") for r in results if isinstance(r, dict) and r.get("rank") == 1]
    return firsts[0] if firsts else None


def ranking(doc: dict[str, object]) -> list[tuple[object, object, object]]:
    """(supplier, rank, total) for every bid: what must not change between file, database and builds."""
    results = doc.get("results")
    assert isinstance(results, list)
    return sorted((r.get("supplier"), r.get("rank"), r.get("total")) for r in results if isinstance(r, dict))


def check_pdf(path: Path) -> int:
    """Fail unless ``path`` is a complete PDF; return its page count."""
    if not path.is_file():
        raise StepFailedError(f"no PDF was written at {path}")
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise StepFailedError(f"{path.name} does not start with %PDF-")
    if b"%%EOF" not in data[-1024:]:
        raise StepFailedError(f"{path.name} has no %%EOF at its end (truncated?)")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    if pages < 1:
        raise StepFailedError(f"{path.name} has no pages")
    return pages


def listing(folder: Path) -> list[str]:
    """Every path below ``folder``, relative, sorted."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def private_env(work: Path) -> dict[str, str]:
    """This process's environment, with every folder svdesk or Qt might write to moved into ``work``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "SVDESK_", "QT_", "VIRTUAL_ENV", "PYI_", "_MEI"))}
    for name in ("home", "config", "data", "cache", "state", "tmp", "svdesk-home", "cwd", "out"):
        (work / name).mkdir(parents=True, exist_ok=True)
    env.update({
        "HOME": str(work / "home"),
        "XDG_CONFIG_HOME": str(work / "config"),
        "XDG_DATA_HOME": str(work / "data"),
        "XDG_CACHE_HOME": str(work / "cache"),
        "XDG_STATE_HOME": str(work / "state"),
        "TMPDIR": str(work / "tmp"), "TEMP": str(work / "tmp"), "TMP": str(work / "tmp"),
        "SVDESK_HOME": str(work / "svdesk-home"),
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONUTF8": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    return env


STEPS: list[tuple[str, Callable[[Smoke], str]]] = [
    ("version", Smoke.step_version),
    ("help", Smoke.step_help),
    ("score-file", Smoke.step_score_file),
    ("asks", Smoke.step_asks),
    ("demo", Smoke.step_demo),
    ("import", Smoke.step_import),
    ("score-ref", Smoke.step_score_ref),
    ("report", Smoke.step_report),
    ("source-db", Smoke.step_source_db),
    ("gui", Smoke.step_gui),
    ("pack", Smoke.step_pack),
    ("no-display", Smoke.step_no_display),
    ("clean", Smoke.step_clean),
]


def main(argv: list[str] | None = None) -> int:
    """Run every step; print one line each and the closing count. Exit status 1 if any step failed."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("exe", type=Path, help="the frozen executable (for a one-folder build: the svdesk inside it)")
    ap.add_argument("--source-python", help="a Python that can run the source version (python -m svdesk)")
    ap.add_argument("--source-root", type=Path, default=ROOT, help="the source checkout (default: this one)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds allowed for each run (default 120)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    ap.add_argument("--only", action="append", metavar="STEP", help="run only these steps (repeatable)")
    args = ap.parse_args(argv)
    exe = args.exe.resolve()
    if not exe.is_file():
        print(f"smoke: no executable at {args.exe}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="svdesk-smoke-"))
    smoke = Smoke(exe=exe, work=work, source_python=args.source_python, source_root=args.source_root.resolve(),
                  timeout=args.timeout, env=private_env(work))
    smoke.beside_before = listing(exe.parent)
    print(f"smoke: testing {exe} ({exe.stat().st_size / 1e6:.1f} MB) in {work}", flush=True)
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    try:
        for name, step in STEPS:
            if args.only and name not in args.only and name != "help":
                continue
            start = time.perf_counter()
            try:
                outcome, detail = "PASS", step(smoke)
            except StepSkippedError as e:
                outcome, detail = "SKIP", str(e)
            except StepFailedError as e:
                outcome, detail = "FAIL", str(e)
            except Exception as e:  # a bug in a step is a failure too, never a crash of the whole test
                outcome, detail = "FAIL", f"{type(e).__name__}: {e}"
            counts[outcome] += 1
            print(f"smoke: {outcome} {name:<10} {time.perf_counter() - start:5.1f} s  {detail}", flush=True)
    finally:
        if args.keep:
            print(f"smoke: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"smoke: {counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped", flush=True)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
