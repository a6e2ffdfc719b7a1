#!/usr/bin/env bash
# Shared set-up for ./run-svdesk and ./run-tests on Debian/Ubuntu: system libraries, then a .venv.
# Sourced, not run. Usage: bootstrap_system PROFILE...; bootstrap_venv REQUIREMENTS_FILE
# Idempotent and quiet when everything is already there (a stamp file remembers what was installed).

SVDESK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian package sets by purpose.
APT_QT="libgl1 libegl1 libglib2.0-0 libfontconfig1 libxkbcommon0 libdbus-1-3 fonts-dejavu-core"
APT_X11="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0"
APT_TEST="postgresql poppler-utils"

say() { printf 'svdesk setup: %s\n' "$*" >&2; }

_as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else say "need administrator rights to install: $*"; return 1; fi
}

bootstrap_system() {
    # Install the Debian packages named by the profiles (qt, x11, test) that are missing.
    local wanted="" p missing=""
    for p in "$@"; do
        case "$p" in
            qt) wanted="$wanted $APT_QT" ;;
            x11) wanted="$wanted $APT_X11" ;;
            test) wanted="$wanted $APT_TEST" ;;
        esac
    done
    if ! command -v dpkg-query >/dev/null 2>&1; then
        say "not a Debian/Ubuntu system: skipping system packages (install Qt's libraries yourself)"
        return 0
    fi
    for p in $wanted; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
    done
    # A Python that cannot make a venv needs python3-venv (system Python only).
    if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then missing="$missing python3-venv python3-pip"; fi
    if ! command -v python3 >/dev/null 2>&1; then missing="$missing python3 python3-venv python3-pip"; fi
    if [ -n "$missing" ]; then
        say "installing system packages:$missing"
        _as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
        # shellcheck disable=SC2086
        _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing \
            >/dev/null || return 1
    fi
}

bootstrap_office() {
    # LibreOffice Writer (no GUI) for the test that opens the committee report's .docx in a Word-compatible
    # reader (issue 13). Never fails the caller: without it that one test is skipped and says why.
    if command -v soffice >/dev/null 2>&1 || command -v libreoffice >/dev/null 2>&1; then return 0; fi
    command -v dpkg-query >/dev/null 2>&1 || return 0
    say "installing libreoffice-writer-nogui (once) for the Word-document test"
    { _as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
      && _as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            libreoffice-writer-nogui >/dev/null; } \
        || say "could not install LibreOffice Writer: the .docx conversion test will be skipped"
    return 0
}

bootstrap_venv() {
    # Create .venv on first use and install the pinned requirements when they change.
    local req="$1" venv="$SVDESK_ROOT/.venv" stamp want
    local py="${SVDESK_PYTHON:-python3}"
    if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
        say "svdesk needs Python 3.11 or newer; $("$py" --version 2>&1) found"
        return 1
    fi
    if [ ! -x "$venv/bin/python" ]; then
        say "creating $venv"
        "$py" -m venv "$venv" || return 1
    fi
    stamp="$venv/.svdesk-stamp"
    want="$(cat "$SVDESK_ROOT/pyproject.toml" "$SVDESK_ROOT"/requirements/*.txt | sha256sum | cut -d' ' -f1) $req"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        say "installing Python packages from $req (first run takes a minute)"
        local log="$venv/pip-install.log"
        if ! { "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip &&
               "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$SVDESK_ROOT/$req" \
                   -e "$SVDESK_ROOT"; } >"$log" 2>&1; then
            tail -n 25 "$log" >&2
            say "installing Python packages failed (full log: $log)"
            return 1
        fi
        echo "$want" > "$stamp"
    fi
}
