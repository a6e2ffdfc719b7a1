#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the store tests: its own data folder, its own port.
#   scripts/pg-test-server.sh start DIR   initdb + start in DIR (created if missing); prints the server URL
#   scripts/pg-test-server.sh stop DIR    stop the server and delete DIR
# Runs the server as the 'postgres' user when started as root (initdb refuses root). Needs PostgreSQL's
# server binaries (Debian: apt-get install postgresql). On any failure 'start' prints why on stderr and exits
# non-zero; ./run-tests then lets the PostgreSQL tests skip with that reason.
set -euo pipefail

die() { printf 'pg-test-server: %s\n' "$*" >&2; exit 1; }

pgbin() {
    local d
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$d" ] && [ -x "$d/initdb" ] || return 1
    echo "$d"
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    local dir="$1" bin port try
    bin=$(pgbin) || die "PostgreSQL server binaries not found (apt-get install postgresql)"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "there is no 'postgres' user to run the server as"
        chown postgres: "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/db" -A trust -U svdesk -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || die "initdb failed: $(tail -3 "$dir/initdb.log" | tr '\n' ' ')"
    for try in 1 2 3; do
        port=$(free_port)
        if as_owner "$bin/pg_ctl" -D "$dir/db" -l "$dir/server.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null 2>&1; then
            echo "$port" > "$dir/port"
            echo "postgresql+psycopg://svdesk@127.0.0.1:$port/postgres"
            return 0
        fi
    done
    die "the server did not start: $(tail -3 "$dir/server.log" 2>/dev/null | tr '\n' ' ')"
}

stop() {
    local dir="$1" bin
    [ -d "$dir" ] || return 0
    if bin=$(pgbin) && [ -f "$dir/db/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/db" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
    start) [ -n "${2:-}" ] || die "usage: $0 start DIR"; start "$2" ;;
    stop) [ -n "${2:-}" ] || die "usage: $0 stop DIR"; stop "$2" ;;
    *) die "usage: $0 start DIR | stop DIR" ;;
esac
