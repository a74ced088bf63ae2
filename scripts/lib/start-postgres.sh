# Sourced by the scripts that need a throw-away PostgreSQL (the storage tests, the history benchmark):
#   source scripts/lib/start-postgres.sh
#   start_postgres        # initdb + start + createdb; exports CHORUS_TEST_POSTGRES_URL
#   ...                   # postgres://postgres@127.0.0.1:PORT/chorus
#   stop_postgres         # stops the server and removes its directory
# start_postgres also runs stop_postgres on EXIT, before whatever EXIT trap the caller had set
# (which still runs, with the exit status unchanged), so a failing script leaves no server behind.
# The cluster lives in a fresh temporary directory owned by the `postgres` user, because PostgreSQL
# refuses to run as root (CI runs as root): when we are root every pg command runs through
# `runuser -u postgres`. It listens on 127.0.0.1 only, on a free port, with its unix socket in that
# directory, and trusts loopback connections (a test cluster, gone when stopped). fsync stays on:
# the durability tests and the throughput figures are meant to pay for real commits.
# Set CHORUS_PG_BIN to use other PostgreSQL binaries than /usr/lib/postgresql/*/bin.

start_postgres() {
    local bin="${CHORUS_PG_BIN:-}"
    if [[ -z "$bin" ]]; then
        bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    fi
    if [[ ! -x "$bin/initdb" ]]; then
        echo "start-postgres: no PostgreSQL binaries (install Debian's postgresql: scripts/setup.sh --test)" >&2
        return 1
    fi
    local as_pg=()
    if [[ "$(id -u)" -eq 0 ]]; then
        as_pg=(runuser -u postgres --)
    fi
    chorus_pg_dir=$(mktemp -d /tmp/chorus-pg.XXXXXX)
    chmod 700 "$chorus_pg_dir"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown postgres:postgres "$chorus_pg_dir"
    fi
    chorus_pg_bin="$bin"
    chorus_pg_as=("${as_pg[@]}")
    local previous_trap=""
    if [[ -n "$(trap -p EXIT)" ]]; then
        eval "set -- $(trap -p EXIT)"
        previous_trap="$3"
    fi
    # `(exit STATUS)` hands the caller's trap the script's exit status; errexit is off by then
    # (the script is exiting anyway) so that it does not end the trap early.
    trap "chorus_pg_status=\$?; stop_postgres; set +e; (exit \$chorus_pg_status); $previous_trap" EXIT
    "${as_pg[@]}" "$bin/initdb" -D "$chorus_pg_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$chorus_pg_dir/initdb.log" 2>&1 || {
        echo "start-postgres: initdb failed:" >&2
        cat "$chorus_pg_dir/initdb.log" >&2
        return 1
    }
    # A free port: ask the kernel for one, then hand it to postgres (a race only with other binders).
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    "${as_pg[@]}" "$bin/pg_ctl" -D "$chorus_pg_dir/data" -l "$chorus_pg_dir/server.log" -w -t 20 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $chorus_pg_dir -c max_connections=200" start >/dev/null || {
        echo "start-postgres: the server did not start:" >&2
        cat "$chorus_pg_dir/server.log" >&2
        return 1
    }
    "${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres chorus || return 1
    export CHORUS_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/chorus"
    echo "start-postgres: $CHORUS_TEST_POSTGRES_URL (data in $chorus_pg_dir)"
}

stop_postgres() {
    if [[ -n "${chorus_pg_dir:-}" && -d "$chorus_pg_dir" ]]; then
        "${chorus_pg_as[@]}" "$chorus_pg_bin/pg_ctl" -D "$chorus_pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$chorus_pg_dir"
    fi
    chorus_pg_dir=""
}
