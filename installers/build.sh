#!/usr/bin/env bash
# Build the svdesk executable for this platform from a clean build venv, then smoke-test the frozen binary.
#
#   installers/build.sh              one file: dist/svdesk (dist/svdesk.exe on Windows)
#   installers/build.sh --onedir     one folder: dist/onedir/svdesk/ (what the Windows installer and the macOS
#                                    app ship; faster start)
#   installers/build.sh --no-smoke   build only
#   installers/build.sh --venv-only  create/refresh .venv-build and stop
#
# The build venv (.venv-build/) holds only requirements/runtime.txt and the pinned PyInstaller: PyInstaller
# bundles whatever the venv contains (the SQLAlchemy hook collects every installed DB driver), so the dev
# .venv with psycopg and the test tools is never used. It is recreated only when those pins change.
# The build itself is skipped when nothing it reads has changed since the last build (SVDESK_BUILD_FORCE=1
# rebuilds anyway); PyInstaller's own cache (~/.cache/pyinstaller) is kept between builds.
set -euo pipefail

PYINSTALLER_PIN="pyinstaller==6.22.3"
# shellcheck source=../scripts/bootstrap.sh
source "$(dirname "$0")/../scripts/bootstrap.sh"
ROOT="$SVDESK_ROOT"
VENV="$ROOT/.venv-build"
cd "$ROOT"

note() { printf 'build: %s\n' "$*"; }

ONEDIR="${SVDESK_ONEDIR:-0}"; SMOKE=1; VENV_ONLY=0
for arg in "$@"; do
    case "$arg" in
        --onedir) ONEDIR=1 ;;
        --no-smoke) SMOKE=0 ;;
        --venv-only) VENV_ONLY=1 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "build: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done
export SVDESK_ONEDIR="$ONEDIR"

# Two builds in one checkout (two terminals, or ./run-tests twice) would write the same folders: queue them.
mkdir -p build
exec 9>build/.build.lock
if ! flock -n 9; then note "another build is running in this checkout; waiting for it"; flock 9; fi

# --- system packages: Qt's libraries (for the offscreen smoke test) and binutils (PyInstaller runs strip, objdump)
bootstrap_system qt
if ! command -v objdump >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
    note "installing binutils (PyInstaller needs objdump and strip)"
    _as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils >/dev/null
fi

# --- the clean build venv
PY="${SVDESK_PYTHON:-python3}"
want="$( { cat requirements/runtime.txt; echo "$PYINSTALLER_PIN"; "$PY" -c 'import sys; print(sys.version)'; } \
        | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$VENV/.svdesk-build-stamp" 2>/dev/null)" != "$want" ]; then
    note "creating a clean build venv in .venv-build (runtime requirements + $PYINSTALLER_PIN only)"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements/runtime.txt "$PYINSTALLER_PIN"
    echo "$want" > "$VENV/.svdesk-build-stamp"
fi
BPY="$VENV/bin/python"
# Nothing the executable must not contain may sit in the build venv (DB drivers, test tools, other Qt bindings).
if stray="$("$BPY" -m pip list --format=freeze --disable-pip-version-check 2>/dev/null \
            | grep -iE '^(psycopg|psycopg2|pymysql|mysqlclient|pg8000|asyncpg|pytest|PyQt5|PyQt6|PySide6=|PySide6_Addons|PySide6-Addons)' )"; then
    echo "build: the build venv holds packages that must not be bundled: $stray (delete .venv-build)" >&2
    exit 1
fi
[ "$VENV_ONLY" = 1 ] && { note "build venv ready: $VENV"; exit 0; }

# A broken Windows version-info file would only show on Windows: check it here too (it is plain text).
"$BPY" installers/windows/version_info.py --check >/dev/null

# --- build (skipped when nothing it reads has changed)
if [ "$ONEDIR" = 1 ]; then
    KIND="one-folder"; DIST="dist/onedir"; TARGET="$DIST/svdesk"; EXE="$TARGET/svdesk"
else
    KIND="one-file"; DIST="dist"; TARGET="dist/svdesk"; EXE="$TARGET"
fi
case "$(uname -s)" in MINGW*|MSYS*|CYGWIN*) EXE="$EXE.exe"; [ "$ONEDIR" = 1 ] || TARGET="$EXE" ;; esac
WORK="build/pyinstaller-$KIND"
STAMP="build/.svdesk-built-inputs-$KIND"
inputs="$("$BPY" installers/build_inputs.py --onedir "$ONEDIR")"
if [ "${SVDESK_BUILD_FORCE:-0}" != 1 ] && [ -e "$EXE" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$inputs" ]; then
    note "$KIND executable is up to date ($TARGET); set SVDESK_BUILD_FORCE=1 to rebuild"
else
    note "building the $KIND executable with PyInstaller (about a minute; log: $WORK.log)"
    rm -f "$STAMP"
    start=$(date +%s)
    if ! "$BPY" -m PyInstaller --noconfirm --distpath "$DIST" --workpath "$WORK" installers/svdesk.spec \
            > "$WORK.log" 2>&1; then
        tail -n 60 "$WORK.log" >&2
        echo "build: PyInstaller FAILED (full log: $WORK.log)" >&2
        exit 1
    fi
    echo "$inputs" > "$STAMP"
    note "built in $(( $(date +%s) - start )) s; $(grep -c ' WARNING: ' "$WORK.log" || true) PyInstaller warnings ($WORK.log)"
fi
note "$TARGET: $(du -sh "$TARGET" | cut -f1) ($(du -sk "$TARGET" | cut -f1) KiB)"

# --- smoke test of the frozen binary
if [ "$SMOKE" = 1 ]; then
    "$BPY" installers/smoke_test.py "$EXE" --source-python "$BPY" --source-root "$ROOT"
fi
