"""The Windows build's promises that can be checked on Linux, without Wine (installers/windows/).

What exists only to run under Wine (the ``icuuc.dll`` stand-in) lives in ``installers/windows/wine-test/``, goes
only into the test Wine prefix, and is caught by ``check_test_only.py`` if it ever reaches a shipped folder;
the installer script stays the one that ships (per user, HKCU only). ``build-on-linux.sh`` runs the real build.
"""

from __future__ import annotations

import re
import struct
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WINDOWS = ROOT / "installers" / "windows"
sys.path.insert(0, str(WINDOWS))

import check_test_only  # noqa: E402

SHIPPED_INPUTS = [ROOT / "installers" / "svdesk.spec", ROOT / "installers" / "slim.py", WINDOWS / "svdesk.iss",
                  WINDOWS / "version_info.py"]


def test_the_windows_pins_hold_the_same_pyinstaller_as_the_linux_build() -> None:
    linux = re.search(r'^PYINSTALLER_PIN="(pyinstaller==[^"]+)"', (ROOT / "installers" / "build.sh").read_text(), re.M)
    windows = (ROOT / "requirements" / "windows-build.txt").read_text()
    assert linux is not None
    assert re.search(rf"^{re.escape(linux.group(1))}$", windows, re.M), "requirements/windows-build.txt drifted"
    assert "-r runtime.txt" in windows
    # every line is an exact pin: the wheels are installed with --no-deps
    pins = [line for line in windows.splitlines() if line and not line.startswith(("#", "-r"))]
    assert pins and all(re.fullmatch(r"[A-Za-z0-9_.-]+==[\w.]+", p) for p in pins), pins


def test_test_only_files_live_in_wine_test_and_no_shipped_input_names_them() -> None:
    stub = WINDOWS / "wine-test" / "icuuc-stub.c"
    assert check_test_only.MARKER in stub.read_bytes(), "the stand-in must carry the marker the check looks for"
    assert "TEST-ONLY" in stub.read_text().splitlines()[0]
    for path in SHIPPED_INPUTS:
        text = path.read_text(encoding="utf-8").lower()
        assert "wine-test" not in text and "icuuc" not in text, path
    for path in (ROOT / "resources").rglob("*"):
        assert not check_test_only.TEST_ONLY_NAME.search(path.name), path
    script = (WINDOWS / "build-on-linux.sh").read_text()
    # the stand-in is compiled into the test prefix's system32, nowhere else
    outputs = re.findall(r"mingw32-gcc[^\n]*-o \"([^\"]+)\"", script)
    assert outputs == ["$PREFIX/drive_c/windows/system32/icuuc.dll"], outputs


def test_the_installer_script_is_the_shipped_per_user_one() -> None:
    iss = (WINDOWS / "svdesk.iss").read_text(encoding="utf-8")
    assert "PrivilegesRequired=lowest" in iss
    assert "DefaultDirName={autopf}\\svdesk" in iss, "not a Wine copy: {autopf} is %LOCALAPPDATA%\\Programs per user"
    assert "{localappdata}" not in iss
    registry = [line for line in iss.splitlines() if line.startswith("Root:")]
    assert registry and all(line.startswith("Root: HKA;") for line in registry), "per user: HKA only"
    assert all("Software\\Classes\\" in line for line in registry)
    assert "ChangesAssociations=yes" in iss


def test_check_test_only_passes_a_clean_folder_and_catches_the_stand_in(tmp_path: Path) -> None:
    clean = tmp_path / "clean" / "_internal"
    clean.mkdir(parents=True)
    (clean / "Qt6Core.dll").write_bytes(b"MZ" + b"\0" * 100)
    assert check_test_only.main([str(tmp_path / "clean")]) == 0
    named = tmp_path / "named"
    named.mkdir()
    (named / "ICUUC.DLL").write_bytes(b"MZ")
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    (renamed / "harmless.dll").write_bytes(b"MZ" + b"x" * (1 << 20) + check_test_only.MARKER + b"\0")
    found, _count = check_test_only.problems([named, renamed])
    assert len(found) == 2 and "test-only file name" in found[0] and "marker" in found[1], found
    assert check_test_only.main([str(named)]) == 1


def test_the_icon_is_a_windows_icon_with_the_large_size() -> None:
    data = (ROOT / "resources" / "icons" / "svdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1) and count >= 5
    widths = {data[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= widths, widths


@pytest.mark.parametrize("name", ["build-on-linux.sh", "check_test_only.py", "install_test.py"])
def test_the_windows_scripts_exist_and_say_what_they_are(name: str) -> None:
    text = (WINDOWS / name).read_text(encoding="utf-8")
    assert len(text.splitlines()) > 20


def test_the_wine_copy_of_the_installer_script_changes_only_what_wine_needs() -> None:
    sys.path.insert(0, str(WINDOWS / "wine-test"))
    import make_wine_test_iss

    shipped = (WINDOWS / "svdesk.iss").read_text(encoding="utf-8")
    copy = make_wine_test_iss.wine_copy(shipped, "Z:\\src\\svdesk")
    assert copy.startswith("; TEST-ONLY")
    assert "DefaultDirName={localappdata}\\Programs\\svdesk" in copy and "DefaultDirName={autopf}" not in copy
    assert "-setup-WINE-TEST-ONLY" in copy and check_test_only.TEST_ONLY_NAME.search("x-setup-WINE-TEST-ONLY.exe")
    assert "..\\..\\" not in copy and "Z:\\src\\svdesk\\resources\\icons\\svdesk.ico" in copy
    changed = [line for line in copy.splitlines()[1:] if line not in shipped.splitlines()]
    settings = {"DefaultDirName={localappdata}\\Programs\\svdesk", "Compression=lzma2/fast", "SolidCompression=no",
                "OutputBaseFilename=svdesk-{#AppVersion}-setup-WINE-TEST-ONLY"}
    # the four settings, and the lines whose relative paths became absolute; nothing else
    assert settings <= set(changed) and all(line in settings or "Z:\\src\\svdesk\\" in line for line in changed)
    with pytest.raises(SystemExit):
        make_wine_test_iss.wine_copy(shipped.replace("{autopf}", "{userpf}"), "Z:\\src")


def test_every_runtime_dependency_is_pinned_for_windows() -> None:
    """The Windows wheels are installed with --no-deps: every package the runtime set pulls in on Linux must be
    named in requirements/windows-build.txt, or the executable fails at start (it did: holidays → dateutil)."""
    from importlib.metadata import distribution

    from packaging.requirements import Requirement

    def names(path: Path) -> set[str]:
        out = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line and not line.startswith("-"):
                out.add(Requirement(line.split(" ", 1)[0].rstrip("\\")).name.lower().replace("_", "-"))
        return out

    req = ROOT / "requirements"
    pinned = names(req / "runtime.txt") | names(req / "windows-build.txt")
    missing = set()
    todo = sorted(names(req / "runtime.txt"))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for r in distribution(name).requires or ():
            dep = Requirement(r)
            windows = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "extra": ""}
            if dep.marker is not None and not dep.marker.evaluate(windows):
                continue
            key = dep.name.lower().replace("_", "-")
            if key not in pinned:
                missing.add(key)
            todo.append(key)
    assert not missing, f"pin these in requirements/windows-build.txt: {sorted(missing)}"
