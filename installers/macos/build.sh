#!/usr/bin/env bash
# Build svdesk for macOS (11 or newer): the command-line one-file binary and the svdesk.app bundle, both
# smoke-tested, and a zip of the app to hand out.
#
#   installers/macos/build.sh            → dist/svdesk (one file), dist/macos/svdesk.app, dist/svdesk-VERSION-macos.zip
#
# Needs Python 3.11 (python.org installer or Homebrew; SVDESK_PYTHON picks another) and the Xcode command-line
# tools. Like installers/build.sh it builds from a clean venv (.venv-build/: requirements/runtime.txt and the
# pinned PyInstaller only). The app is a one-folder build (SVDESK_ONEDIR=1) wrapped by the spec's BUNDLE step:
# macOS apps must be folders, and a one-file app would unpack itself at every start.
# Signing and notarisation are release steps (docs/packaging.md); this script leaves the app ad-hoc signed.
# Not run in this project's CI (Linux); .github/workflows/build.yml runs it on a hosted macOS runner.
set -euo pipefail

PYINSTALLER_PIN="pyinstaller==6.22.3"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
note() { printf 'build: %s\n' "$*"; }

PY="${SVDESK_PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
"$PY" -c 'import sys; sys.exit(sys.version_info[:2] < (3, 11))' || { echo "build: needs Python 3.11+" >&2; exit 1; }
VENV="$ROOT/.venv-build"
want="$( { cat requirements/runtime.txt; echo "$PYINSTALLER_PIN"; "$PY" -c 'import sys; print(sys.version)'; } \
        | shasum -a 256 | cut -d' ' -f1)"
if [ "$(cat "$VENV/.svdesk-build-stamp" 2>/dev/null)" != "$want" ]; then
    note "creating a clean build venv in .venv-build (runtime requirements + $PYINSTALLER_PIN only)"
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements/runtime.txt "$PYINSTALLER_PIN"
    echo "$want" > "$VENV/.svdesk-build-stamp"
fi
BPY="$VENV/bin/python"
VERSION="$("$BPY" installers/windows/version_info.py --print-version)"
note "svdesk $VERSION for macOS $(sw_vers -productVersion) ($(uname -m))"

note "one file: dist/svdesk"
SVDESK_ONEDIR=0 "$BPY" -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller-one-file \
    installers/svdesk.spec
"$BPY" installers/smoke_test.py dist/svdesk --source-python "$BPY" --source-root "$ROOT"

note "app: dist/macos/svdesk.app"
SVDESK_ONEDIR=1 "$BPY" -m PyInstaller --noconfirm --distpath dist/macos --workpath build/pyinstaller-one-folder \
    installers/svdesk.spec
"$BPY" installers/smoke_test.py dist/macos/svdesk.app/Contents/MacOS/svdesk --source-python "$BPY" \
    --source-root "$ROOT"
codesign --verify --deep --strict dist/macos/svdesk.app && note "app signature (ad hoc) verifies"

ZIP="dist/svdesk-$VERSION-macos-$(uname -m).zip"
rm -f "$ZIP"
ditto -c -k --sequesterRsrc --keepParent dist/macos/svdesk.app "$ZIP"
note "$ZIP: $(du -h "$ZIP" | cut -f1)"
