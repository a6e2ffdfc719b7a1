"""Print one fingerprint of everything the executable is built from, so ``build.sh`` can skip an unchanged build.

It covers the sources and data that go into the bundle (``svdesk/``, ``ui/``, ``resources/``), the spec and its
helpers in ``installers/``, the runtime pins and the build venv's stamp. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREES = ("svdesk", "ui", "resources")
FILES = (
    "installers/svdesk.spec",
    "installers/slim.py",
    "installers/windows/version_info.py",
    "requirements/runtime.txt",
    ".venv-build/.svdesk-build-stamp",
)
SKIP_PARTS = {"__pycache__", ".mypy_cache", ".pytest_cache"}


def fingerprint(onedir: str, extra: list[str] | None = None, *, linux_venv: bool = True) -> str:
    """SHA-256 over the names and contents of every build input, plus the build kind.

    ``extra`` names more files; the Windows build adds its pins and its Wine prefix's stamp and leaves out the
    Linux build venv (``linux_venv=False``), which it does not use.
    """
    h = hashlib.sha256(f"onedir={onedir}\n".encode())
    paths = [ROOT / f for f in FILES if linux_venv or not f.startswith(".venv-build/")]
    for name in extra or ():
        path = Path(name).resolve()
        h.update(str(path).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"missing")
    for tree in TREES:
        paths.extend(p for p in (ROOT / tree).rglob("*") if p.is_file())
    for p in sorted(paths):
        rel = p.relative_to(ROOT)
        if SKIP_PARTS.intersection(rel.parts) or p.suffix in (".pyc", ".pyo") or not p.is_file():
            continue
        h.update(str(rel.as_posix()).encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def main() -> None:
    """Print the fingerprint."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--onedir", default="0")
    ap.add_argument("--extra", action="append", default=[], help="one more input file (repeatable)")
    ap.add_argument("--no-linux-venv", action="store_true", help="leave out the Linux build venv's stamp")
    args = ap.parse_args()
    print(fingerprint(args.onedir, args.extra, linux_venv=not args.no_linux_venv))


if __name__ == "__main__":
    main()
