"""TEST-ONLY — NEVER SHIPPED. Write the copy of ``svdesk.iss`` that can be installed under Wine 8.

    python make_wine_test_iss.py OUT.iss --root Z:\\path\\to\\checkout

Wine 8 cannot expand ``{autopf}`` for a per-user install (SHGetKnownFolderPath(FOLDERID_UserProgramFiles) fails,
so Setup stops with "Failed to expand shell folder constant"), even with ``/DIR=``. The copy says
``{localappdata}\\Programs\\svdesk``, which is the very folder ``{autopf}`` means on real Windows for a per-user
install, names its output ``…-setup-WINE-TEST-ONLY.exe``, compresses fast (the install test does not care), and
makes the script's relative paths absolute (the copy lives in ``build/windows/wine-test/``). Every other line is
the shipped script's. ``build-on-linux.sh`` compiles the shipped ``svdesk.iss`` unmodified into
``dist/windows/``, and this copy into ``build/windows/wine-test/`` only; ``check_test_only.py`` fails if a
``WINE-TEST`` file ever appears in ``dist/``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

ISS = Path(__file__).resolve().parents[1] / "svdesk.iss"
HEADER = "; TEST-ONLY, NEVER SHIPPED: generated from svdesk.iss by wine-test/make_wine_test_iss.py for Wine 8.\n"


def wine_copy(text: str, root: str) -> str:
    """The shipped script with exactly the changes Wine needs; fails if the script no longer matches."""
    changes = [
        ("DefaultDirName={autopf}\\svdesk", "DefaultDirName={localappdata}\\Programs\\svdesk"),
        ("OutputBaseFilename=svdesk-{#AppVersion}-setup",
         "OutputBaseFilename=svdesk-{#AppVersion}-setup-WINE-TEST-ONLY"),
        ("Compression=lzma2/max", "Compression=lzma2/fast"),
        ("SolidCompression=yes", "SolidCompression=no"),
    ]
    for old, new in changes:
        if text.count(old) != 1:
            raise SystemExit(f"make_wine_test_iss: svdesk.iss no longer has exactly one line {old!r}: update me")
        text = text.replace(old, new)
    absolute = root.rstrip("\\") + "\\"
    return HEADER + text.replace('"..\\..\\', f'"{absolute}').replace("=..\\..\\", f"={absolute}")


def main() -> None:
    """Write the copy."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--root", required=True, help="the checkout as Windows sees it, e.g. Z:\\work\\svdesk")
    args = ap.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(wine_copy(ISS.read_text(encoding="utf-8"), args.root), encoding="utf-8")


if __name__ == "__main__":
    main()
