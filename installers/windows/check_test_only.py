"""Prove that nothing made only for Wine reaches a shipped file: ``check_test_only.py PATH...``.

Wine needs two test-only things (``installers/windows/wine-test/``, ``docs/windows.md``): a stand-in
``icuuc.dll`` in the test prefix's ``system32``, and nothing else that could ship — the installer is compiled from
the unmodified ``svdesk.iss``. This check fails (exit status 1) when, below any PATH (a folder such as
``dist/windows`` or an installed copy, or one executable):

- a file is named like a test-only file (``icuuc.dll``, anything with ``wine-test`` in its path), or
- a file contains the stand-in's marker bytes (``SVDESK-WINE-TEST-ONLY``), whatever its name, or
- a one-file PyInstaller executable lists such a name in its archive (read with PyInstaller's own reader when
  this Python has PyInstaller; the build Python has).

A ``*-setup.exe`` is compressed, so it is not searched here: ``install_test.py`` runs this check on what the
installer actually installed. Standard library only (PyInstaller optional).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

MARKER = b"SVDESK-WINE-TEST-ONLY"
TEST_ONLY_NAME = re.compile(r"(^|[\\/])(icuuc\.dll|icuuc-stub\.\w+)$|wine-test", re.IGNORECASE)


def _files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
    elif path.is_dir():
        yield from (p for p in sorted(path.rglob("*")) if p.is_file())


def _contains_marker(path: Path) -> bool:
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            if MARKER in tail + chunk:
                return True
            tail = chunk[-len(MARKER):]
    return False


def _archive_names(exe: Path) -> list[str] | None:
    """The names inside a one-file PyInstaller executable, or None (not one, or no PyInstaller here)."""
    try:
        from PyInstaller.archive.readers import CArchiveReader
    except ImportError:
        return None
    try:
        return [str(name) for name in CArchiveReader(str(exe)).toc]
    except Exception:  # not a PyInstaller executable (an installer, the uninstaller …)
        return None


def problems(paths: list[Path]) -> tuple[list[str], int]:
    """What is wrong below ``paths``, and how many files were looked at."""
    found: list[str] = []
    count = 0
    for root in paths:
        if not root.exists():
            found.append(f"{root}: does not exist")
            continue
        for f in _files(root):
            count += 1
            rel = str(f.relative_to(root)) if root.is_dir() else f.name
            if TEST_ONLY_NAME.search(rel):
                found.append(f"{f}: a test-only file name")
            if f.name.lower().endswith("-setup.exe"):
                continue
            if _contains_marker(f):
                found.append(f"{f}: contains the test-only marker {MARKER.decode()}")
            if f.suffix.lower() == ".exe" and f.stat().st_size > 5_000_000:
                names = _archive_names(f)
                if names is not None:
                    count += len(names)
                    found += [f"{f} holds {n}: a test-only file name" for n in names if TEST_ONLY_NAME.search(n)]
    return found, count


def main(argv: list[str] | None = None) -> int:
    """Check every PATH; one line of result, then each problem."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", type=Path)
    args = ap.parse_args(argv)
    found, count = problems(args.paths)
    if found:
        print(f"check-test-only: FAIL, {len(found)} problem(s) in {count} files:", *found, sep="\n  ")
        return 1
    print(f"check-test-only: PASS, nothing test-only in {count} files below "
          + ", ".join(str(p) for p in args.paths))
    return 0


if __name__ == "__main__":
    sys.exit(main())
