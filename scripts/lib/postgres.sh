# Sourced by scripts/test and scripts/bench: a throwaway PostgreSQL 15 for this run.
# start_postgres: installs postgresql-15 if missing, runs initdb + pg_ctl in a temporary directory as a
# non-root user on a free loopback port, exports DAULAT_TEST_DATABASE_URL and PG_BIN, and arranges for
# the server to be stopped and its directory removed when the calling script exits, however it exits.

PG_BIN=/usr/lib/postgresql/15/bin
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Installs the named Debian packages, updating the package lists once first.
install_packages() {
    echo "==> installing $*"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}

start_postgres() {
    local missing=()
    [ -x "$PG_BIN/initdb" ] || missing+=(postgresql-15)
    command -v python3 >/dev/null 2>&1 || missing+=(python3)
    if [ ${#missing[@]} -gt 0 ]; then install_packages "${missing[@]}"; fi

    PG_DIR="$(mktemp -d /tmp/daulat-pg.XXXXXX)"
    if [ "$(id -u)" -eq 0 ]; then
        # initdb refuses to run as root; the postgres account comes with the server package.
        chown postgres "$PG_DIR"
        run_as_pg() { runuser -u postgres -- "$@"; }
    else
        run_as_pg() { "$@"; }
    fi
    trap stop_postgres EXIT

    PG_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    echo "==> starting PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"
    run_as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U daulat --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log"; exit 1; }
    run_as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=300" start >/dev/null \
        || { cat "$PG_DIR/server.log"; exit 1; }
    export DAULAT_TEST_DATABASE_URL="postgres://daulat@127.0.0.1:$PG_PORT/postgres"
    export PG_BIN
}

stop_postgres() {
    if [ -n "${PG_DIR:-}" ]; then
        run_as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
}
