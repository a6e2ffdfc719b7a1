"""Install, use and uninstall the svdesk installer silently for the current user, checking what an officer gets.

    python install_test.py dist\\svdesk-X.Y.Z-setup.exe --version X.Y.Z [--onedir dist\\onedir\\svdesk]
                           [--network-drive N:]

Runs on Windows (a Windows Python: ``installers/windows/build-on-linux.sh`` runs it under Wine, and it works the
same on a real laptop). Standard library only. It changes the current user's profile: it installs svdesk into
``%LOCALAPPDATA%\\Programs\\svdesk`` and, at the start, deletes the svdesk data folder and the test's own files
left by an earlier run — run it only in a test profile (the Wine prefix, a throwaway Windows account).

Steps (each prints PASS, FAIL or SKIP; then ``install: N passed, N failed, N skipped``; exit status 1 on a FAIL):

install     ``setup.exe /VERYSILENT /SUPPRESSMSGBOXES /CURRENTUSER /DIR=%LOCALAPPDATA%\\Programs\\svdesk``: exit 0,
            the same files as the one-folder build (plus the uninstaller), nothing test-only, a Start-menu
            shortcut, the uninstall entry and the file type in HKCU only
version     the installed ``svdesk.exe --version``
demo        ``svdesk demo`` with no ``--db``: the database lands in ``%LOCALAPPDATA%`` (platformdirs), under the
            user's profile path, and nothing is written beside the executable
report      ``svdesk report NET-2026-01 --kind award`` into ``Documents\\Award papers\\`` (a non-ASCII file name)
gui         the installed window starts offscreen, opens that database, quits cleanly
network     a database on a mapped network drive (``--network-drive``; GetDriveTypeW = DRIVE_REMOTE) works and is
            flagged ("is on a network drive")
long-path   a database more than 260 characters deep works; the executable's manifest says ``longPathAware``
file-type   the "Open with" verb registered for .json (``svdesk import "%1"``) imports a ``*.svdesk.json`` file;
            ``.svpack`` (evaluator packs) opens in svdesk
uninstall   ``unins000.exe /VERYSILENT``: the program, its shortcut, its registry keys are gone; the officer's data
            (database, backups, reports) stays; nothing else new is left in the profile
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import winreg
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from check_test_only import problems as test_only_problems  # noqa: E402
from smoke_test import SMOKE_MARKER, check_pdf  # noqa: E402

APP_ID = "{6A0C4E8B-2F5D-4B7A-9C1E-5D3B8F2A7C41}_is1"
UNINSTALL_KEY = rf"Software\Microsoft\Windows\CurrentVersion\Uninstall\{APP_ID}"
PROGID_KEY = r"Software\Classes\svdesk.TenderFile"
OPEN_WITH_KEY = r"Software\Classes\.json\OpenWithProgids"
APPLICATION_KEY = r"Software\Classes\Applications\svdesk.exe"
PACK_KEY = r"Software\Classes\svdesk.EvaluatorPack"
DEMO_FILE = ROOT / "resources" / "demo" / "parks-wifi-tender.json"
DEMO_REF = "NET-2026-01"
DEMO_WINNER = "Acme Networks Ltd"


class StepFailedError(Exception):
    """What the step found wrong."""


class StepSkippedError(Exception):
    """Why the step could not run."""


def key_exists(path: str) -> bool:
    """Whether HKCU\\path exists."""
    try:
        winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CURRENT_USER, path))
    except OSError:
        return False
    return True


def reg_value(path: str, name: str) -> str | None:
    """HKCU\\path's value ``name`` (None when absent)."""
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, path) as k:
            return str(winreg.QueryValueEx(k, name)[0])
    except OSError:
        return None


def machine_key_exists(path: str) -> bool:
    """Whether HKLM\\path exists (a per-user install must not write there)."""
    try:
        winreg.CloseKey(winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path))
    except OSError:
        return False
    return True


def is_wine() -> bool:
    """Whether this Windows is Wine (its ntdll exports wine_get_version)."""
    try:
        return hasattr(ctypes.windll.ntdll, "wine_get_version")
    except (AttributeError, OSError):
        return False


def wine_cannot_resolve(path: Path) -> bool:
    """Whether resolving ``path`` fails with ERROR_MORE_DATA here too (Wine's long-path gap, not svdesk's)."""
    try:
        path.resolve()
    except OSError as e:
        return getattr(e, "winerror", None) == 234
    return False


def listing(folder: Path) -> set[str]:
    """Every file and folder below ``folder``, relative."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")} if folder.is_dir() else set()


class InstallTest:
    """The install test's state: the folders it uses and what it found on the way."""

    def __init__(self, setup: Path, version: str, onedir: Path | None, network_drive: str | None) -> None:
        self.setup, self.version, self.onedir, self.network_drive = setup, version, onedir, network_drive
        self.profile = Path(os.environ["USERPROFILE"])
        self.local = Path(os.environ.get("LOCALAPPDATA") or self.profile / "AppData" / "Local")
        self.roaming = Path(os.environ.get("APPDATA") or self.profile / "AppData" / "Roaming")
        self.app = self.local / "Programs" / "svdesk"
        self.exe = self.app / "svdesk.exe"
        self.data = self.local / "svdesk"
        self.documents = self.profile / "Documents"
        self.papers = self.documents / "Award papers"
        self.start_menu = self.roaming / "Microsoft" / "Windows" / "Start Menu" / "Programs"
        self.work = Path(tempfile.gettempdir()) / "svdesk-install-test"
        self.database: Path | None = None
        self.kept: list[Path] = []
        self.before: set[str] = set()
        self.app_files: set[str] = set()

    # --- running ---------------------------------------------------------------------------------------------

    def env(self, **extra: str) -> dict[str, str]:
        """The officer's environment: no test overrides of svdesk's or Qt's own."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SVDESK_", "PYTHON", "QT_", "_MEI", "PYI_"))}
        env.update(extra)
        return env

    def run(self, argv: list[str], timeout: float = 180, **env: str) -> subprocess.CompletedProcess[str]:
        """Run a program from the Documents folder (where the Start-menu shortcut starts svdesk)."""
        try:
            return subprocess.run(argv, env=self.env(**env), cwd=self.documents, capture_output=True, text=True,
                                  encoding="utf-8", errors="replace", timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            raise StepFailedError(f"{argv} did not finish within {timeout:.0f} s") from e

    def run_setup(self, argv: list[str], timeout: float) -> int:
        """Run the installer or uninstaller with its output in a file, not a pipe: Setup may start a helper
        (Wine starts explorer.exe for ChangesAssociations) that inherits the handles and outlives it, and a
        pipe would then never reach its end."""
        with (self.work / "setup-output.txt").open("wb") as out:
            try:
                return subprocess.run(argv, env=self.env(), cwd=self.documents, stdout=out, stderr=out,
                                      stdin=subprocess.DEVNULL, timeout=timeout, check=False).returncode
            except subprocess.TimeoutExpired as e:
                raise StepFailedError(f"{argv} did not finish within {timeout:.0f} s") from e

    def svdesk(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """The installed svdesk; fails the step unless it exits 0 without a traceback."""
        p = self.run([str(self.exe), *args], **env)
        if p.returncode != 0 or "Traceback" in p.stderr:
            raise StepFailedError(f"svdesk {' '.join(args)} exited {p.returncode}:\n  {(p.stdout + p.stderr)[-1200:]}")
        return p

    # --- steps -----------------------------------------------------------------------------------------------

    def fresh_profile(self) -> None:
        """Undo an earlier run: uninstall a leftover copy, delete the data and the test's own files."""
        uninstaller = self.app / "unins000.exe"
        if uninstaller.is_file():
            self.work.mkdir(parents=True, exist_ok=True)
            self.run_setup([str(uninstaller), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"], timeout=300)
            self.wait_gone(self.app, 120)
        for folder in (self.data, self.papers, self.work, self.app):
            shutil.rmtree(folder, ignore_errors=True)
        for name in ("Parks Wi-Fi – Zoë's copy.svdesk.json",):
            (self.documents / name).unlink(missing_ok=True)
        self.work.mkdir(parents=True, exist_ok=True)
        self.documents.mkdir(parents=True, exist_ok=True)
        self.before = self.profile_listing()

    def profile_listing(self) -> set[str]:
        """The profile's files and folders, except the temporary folder."""
        temps = {os.path.normcase(p) for p in (tempfile.gettempdir(), self.local / "Temp")}
        found = set()
        for folder, dirs, files in os.walk(self.profile):  # never follows links
            dirs[:] = [d for d in dirs if os.path.normcase(os.path.join(folder, d)) not in temps]
            found.update(str(Path(folder, name)) for name in (*dirs, *files))
        return found

    def step_install(self) -> str:
        log = self.work / "setup.log"
        t0 = time.perf_counter()
        code = self.run_setup([str(self.setup), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/CURRENTUSER",
                               f"/DIR={self.app}", f"/LOG={log}"], timeout=600)
        seconds = time.perf_counter() - t0
        if code != 0 or not self.exe.is_file():
            tail = log.read_text(encoding="utf-8", errors="replace")[-1500:] if log.is_file() else ""
            raise StepFailedError(f"setup exited {code}; {self.exe} exists: {self.exe.is_file()}\n  {tail}")
        self.app_files = listing(self.app)
        if self.onedir is not None:
            want = listing(self.onedir)
            missing = sorted(want - self.app_files)
            extra = sorted(self.app_files - want - {"unins000.exe", "unins000.dat"})
            if missing or extra:
                raise StepFailedError(f"installed files differ from the one-folder build: missing {missing[:5]}, "
                                      f"extra {extra[:5]}")
        found, count = test_only_problems([self.app])
        if found:
            raise StepFailedError("the installer installed test-only files:\n  " + "\n  ".join(found))
        shortcut = self.start_menu / "Social Value Desk.lnk"
        missing_keys = [k for k in (UNINSTALL_KEY, PROGID_KEY, APPLICATION_KEY) if not key_exists(k)]
        if not shortcut.is_file() or missing_keys:
            raise StepFailedError(f"Start-menu shortcut exists: {shortcut.is_file()}; "
                                  f"missing HKCU keys: {missing_keys}")
        if machine_key_exists(UNINSTALL_KEY):
            raise StepFailedError("the per-user install wrote its uninstall entry into HKLM")
        return (f"{len(self.app_files)} files in {self.app} ({seconds:.0f} s), as the one-folder build, "
                f"nothing test-only among {count}; Start-menu shortcut; HKCU uninstall entry and file type")

    def step_version(self) -> str:
        out = self.svdesk("--version").stdout.strip()
        if out != f"svdesk {self.version}":
            raise StepFailedError(f"the installed copy says {out!r}, expected 'svdesk {self.version}'")
        return out

    def step_demo(self) -> str:
        self.svdesk("demo")
        found = sorted(self.data.rglob("svdesk.sqlite3"))
        if not found:
            raise StepFailedError(f"'svdesk demo' wrote no svdesk.sqlite3 under {self.data} (where did it go?)")
        self.database = found[0]
        if not self.database.read_bytes()[:16] == b"SQLite format 3\0":
            raise StepFailedError(f"{self.database} is not a SQLite database")
        if str(self.profile) not in str(self.database):
            raise StepFailedError(f"{self.database} is not in the profile {self.profile}")
        new = sorted(listing(self.app) - self.app_files)
        if new:
            raise StepFailedError(f"written beside the installed executable: {new[:10]}")
        doc = json.loads(self.svdesk("score", DEMO_REF, "--json").stdout)
        first = [r["supplier"] for r in doc["results"] if r["rank"] == 1]
        if first != [DEMO_WINNER]:
            raise StepFailedError(f"{DEMO_REF} from the database ranks {first} first, expected {DEMO_WINNER}")
        self.kept.append(self.database)
        return f"database {self.database} ({self.database.stat().st_size // 1024} KiB); {DEMO_REF} ranks as expected"

    def step_report(self) -> str:
        if self.database is None:
            raise StepSkippedError("no demo database")
        self.papers.mkdir(parents=True, exist_ok=True)
        pdf = self.papers / f"{DEMO_REF} award – Zoë.pdf"
        self.svdesk("report", DEMO_REF, "--kind", "award", "--out", str(pdf))
        pages = check_pdf(pdf)
        self.kept.append(pdf)
        return f"{pdf} ({pages} page(s), {pdf.stat().st_size // 1024} KiB)"

    def step_gui(self) -> str:
        if self.database is None:
            raise StepSkippedError("no demo database")
        p = self.svdesk(QT_QPA_PLATFORM="offscreen", SVDESK_SMOKE_QUIT_AFTER_MS="300")
        if SMOKE_MARKER not in p.stdout or "svdesk-smoke: database opened" not in p.stdout:
            raise StepFailedError(f"the window did not report itself shown with its database:\n  {p.stdout[-800:]}")
        title = p.stdout.split(SMOKE_MARKER, 1)[1].splitlines()[0].lstrip(": ")
        return f"window {title!r} shown offscreen on the profile's database, closed cleanly"

    def step_network(self) -> str:
        if not self.network_drive:
            raise StepSkippedError("no --network-drive given")
        root = self.network_drive.rstrip("\\") + "\\"
        kind = ctypes.windll.kernel32.GetDriveTypeW(root)
        if kind != 4:
            raise StepSkippedError(f"{root} is not a network drive here (GetDriveTypeW = {kind})")
        folder = Path(root) / "Procurement team" / "Zoë's tenders"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        db = folder / "svdesk.sqlite3"
        p = self.svdesk("--db", str(db), "demo")
        said = " ".join((p.stdout + p.stderr).split())
        if "is on a network drive" not in said:
            raise StepFailedError(f"a database on {root} was not flagged as on a network drive:\n  {said[:600]}")
        self.svdesk("--db", str(db), "score", DEMO_REF)
        shutil.rmtree(Path(root) / "Procurement team", ignore_errors=True)
        return f"{db}: flagged as on a network drive, demo and score work"

    def step_long_path(self) -> str:
        top = self.data / "long path test"
        folder = top
        n = 0
        while len(str(folder)) < 300:
            n += 1
            folder = folder / f"Procurement 2026 – Zoë's tenders, part {n}"
        db = folder / "svdesk.sqlite3"
        manifest = re.search(rb"<longPathAware[^>]*>\s*true\s*<", self.exe.read_bytes()[:4_000_000])
        if manifest is None:
            raise StepFailedError("svdesk.exe's manifest does not declare longPathAware: Windows would refuse "
                                  "paths longer than 260 characters even where the system allows them")
        try:
            folder.mkdir(parents=True)
            try:
                self.svdesk("--db", str(db), "demo")
            except StepFailedError as e:
                if is_wine() and "WinError 234" in str(e) and wine_cannot_resolve(db):
                    raise StepSkippedError(
                        "the manifest declares longPathAware, but Wine 8's GetFinalPathNameByHandleW answers "
                        f"ERROR_MORE_DATA for a {len(str(db))}-character path, so os.path.realpath fails under "
                        "Wine (not on Windows): left to the real-laptop run") from None
                raise
            self.svdesk("--db", str(db), "score", DEMO_REF)
            if not db.is_file():
                raise StepFailedError(f"no database at the long path {db}")
        finally:
            shutil.rmtree("\\\\?\\" + str(top), ignore_errors=True)
        return f"a database {len(str(db))} characters deep works; the manifest declares longPathAware"

    def step_file_type(self) -> str:
        command = reg_value(rf"{PROGID_KEY}\shell\open\command", "")
        want = f'"{self.exe}" import "%1"'
        if command != want:
            raise StepFailedError(f"the tender file's open command is {command!r}, expected {want!r}")
        if reg_value(OPEN_WITH_KEY, "svdesk.TenderFile") is None:
            raise StepFailedError(f"svdesk.TenderFile is not under HKCU\\{OPEN_WITH_KEY}")
        pack = reg_value(rf"{PACK_KEY}\shell\open\command", "")
        if pack != f'"{self.exe}" "%1"' or reg_value(r"Software\Classes\.svpack", "") != "svdesk.EvaluatorPack":
            raise StepFailedError(f"evaluator packs (.svpack) do not open in svdesk: the command is {pack!r}")
        if self.database is None:
            raise StepSkippedError("no demo database to import into")
        doc = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        doc["tender"]["reference"] = "ZOE-2026-07"
        tender = self.documents / "Parks Wi-Fi – Zoë's copy.svdesk.json"
        tender.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        # what Explorer runs on "Open with > Social Value Desk", %1 replaced by the file's path
        argv = [str(self.exe), "import", str(tender)]
        p = self.run(argv)
        if p.returncode != 0:
            raise StepFailedError(f"{argv} exited {p.returncode}:\n  {(p.stdout + p.stderr)[-800:]}")
        self.svdesk("score", "ZOE-2026-07")
        self.kept.append(tender)
        return f"'.json > Open with' runs {want}; it imported {tender.name} as ZOE-2026-07"

    def step_uninstall(self) -> str:
        uninstaller = reg_value(UNINSTALL_KEY, "UninstallString")
        if not uninstaller:
            raise StepFailedError("no UninstallString in the HKCU uninstall entry")
        t0 = time.perf_counter()
        self.run_setup([uninstaller.strip('"'), "/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART"], timeout=300)
        self.wait_gone(self.app, 180)  # the uninstaller re-runs itself from %TEMP% and returns at once
        seconds = time.perf_counter() - t0
        left = []
        if self.app.exists():
            left.append(f"{self.app} ({sorted(listing(self.app))[:5]})")
        left += [f"HKCU\\{k}" for k in (UNINSTALL_KEY, PROGID_KEY, APPLICATION_KEY, PACK_KEY) if key_exists(k)]
        if reg_value(OPEN_WITH_KEY, "svdesk.TenderFile") is not None:
            left.append(f"HKCU\\{OPEN_WITH_KEY} value svdesk.TenderFile")
        if (self.start_menu / "Social Value Desk.lnk").exists():
            left.append("the Start-menu shortcut")
        lost = [str(p) for p in self.kept if not p.exists()]
        if lost:
            raise StepFailedError(f"the uninstaller deleted the officer's data: {lost}")
        officer = [self.data, self.papers]

        def new_paths() -> list[str]:
            return sorted(p for p in self.profile_listing() - self.before
                          if not any(Path(p) == o or o in Path(p).parents for o in officer)
                          and Path(p) not in self.kept)

        # The uninstaller removes {app} first and the folders it created above it (AppData\Local\Programs on
        # a profile that had none) a moment later: a listing taken in between saw "Programs" left behind once.
        end = time.monotonic() + 20
        new = new_paths()
        while new and time.monotonic() < end:
            time.sleep(0.5)
            new = new_paths()
        left += new
        if left:
            raise StepFailedError("left behind after uninstall:\n  " + "\n  ".join(left[:20]))
        settings = " (and its window layout in HKCU\\Software\\svdesk)" if key_exists(r"Software\svdesk") else ""
        return (f"uninstalled in {seconds:.0f} s; program, shortcut and registry keys gone; kept only the officer's "
                f"data: {len(self.kept)} files{settings}")

    @staticmethod
    def wait_gone(folder: Path, timeout: float) -> None:
        end = time.monotonic() + timeout
        while folder.exists() and time.monotonic() < end:
            time.sleep(0.5)


STEPS: list[tuple[str, Callable[[InstallTest], str]]] = [
    ("install", InstallTest.step_install),
    ("version", InstallTest.step_version),
    ("demo", InstallTest.step_demo),
    ("report", InstallTest.step_report),
    ("gui", InstallTest.step_gui),
    ("network", InstallTest.step_network),
    ("long-path", InstallTest.step_long_path),
    ("file-type", InstallTest.step_file_type),
    ("uninstall", InstallTest.step_uninstall),
]


def main(argv: list[str] | None = None) -> int:
    """Run every step; print one line each and the closing count."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("setup", type=Path)
    ap.add_argument("--version", required=True, help="the version the installed svdesk must report")
    ap.add_argument("--onedir", type=Path, help="the one-folder build the installer was made from")
    ap.add_argument("--network-drive", help="a drive letter mapped to a network share, e.g. N:")
    args = ap.parse_args(argv)
    if sys.platform != "win32":
        print("install: needs Windows (or Wine)", file=sys.stderr)
        return 2
    t = InstallTest(args.setup.resolve(), args.version, args.onedir, args.network_drive)
    t.fresh_profile()
    print(f"install: {args.setup.name} for user {os.environ.get('USERNAME')!r}, profile {t.profile}", flush=True)
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for name, step in STEPS:
        start = time.perf_counter()
        try:
            outcome, detail = "PASS", step(t)
        except StepSkippedError as e:
            outcome, detail = "SKIP", str(e)
        except StepFailedError as e:
            outcome, detail = "FAIL", str(e)
        except Exception as e:  # a bug in a step is a failure, never a crash of the whole test
            outcome, detail = "FAIL", f"{type(e).__name__}: {e}"
        counts[outcome] += 1
        print(f"install: {outcome} {name:<10} {time.perf_counter() - start:5.1f} s  {detail}", flush=True)
    shutil.rmtree(t.work, ignore_errors=True)
    print(f"install: {counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped", flush=True)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
