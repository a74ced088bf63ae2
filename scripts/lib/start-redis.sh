# Sourced by the scripts that need a throw-away Redis (the ChorusRedis and cluster tests):
#   source scripts/lib/start-redis.sh
#   start_redis           # starts redis-server, waits for PING; exports CHORUS_TEST_REDIS_URL
#   ...                   # redis://127.0.0.1:PORT
#   stop_redis            # stops the server and removes its directory
# start_redis also runs stop_redis on EXIT, before whatever EXIT trap the caller had set (which
# still runs, with the exit status unchanged), so a failing script leaves no server behind.
# The server listens on 127.0.0.1 only, on a free port, persists nothing (no RDB, no AOF) and keeps
# its directory, log and pid file in a fresh temporary directory. It runs fine as root (CI).
# Set CHORUS_REDIS_SERVER to use another binary than /usr/bin/redis-server.

start_redis() {
    local server="${CHORUS_REDIS_SERVER:-/usr/bin/redis-server}"
    if [[ ! -x "$server" ]]; then
        echo "start-redis: no $server (install Debian's redis-server: scripts/setup.sh --test)" >&2
        return 1
    fi
    chorus_redis_dir=$(mktemp -d /tmp/chorus-redis.XXXXXX)
    local previous_trap=""
    if [[ -n "$(trap -p EXIT)" ]]; then
        eval "set -- $(trap -p EXIT)"
        previous_trap="$3"
    fi
    # `(exit STATUS)` hands the caller's trap the script's exit status; errexit is off by then
    # (the script is exiting anyway) so that it does not end the trap early.
    trap "chorus_redis_status=\$?; stop_redis; set +e; (exit \$chorus_redis_status); $previous_trap" EXIT
    # A free port: ask the kernel for one, then hand it to redis (a race only with other binders).
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
    "$server" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
        --dir "$chorus_redis_dir" --logfile "$chorus_redis_dir/server.log" \
        --pidfile "$chorus_redis_dir/redis.pid" || {
        echo "start-redis: the server did not start:" >&2
        cat "$chorus_redis_dir/server.log" >&2
        return 1
    }
    chorus_redis_port="$port"
    local attempt
    for attempt in $(seq 1 200); do
        if [[ "$(redis_ping "$port")" == "+PONG" ]]; then
            export CHORUS_TEST_REDIS_URL="redis://127.0.0.1:$port"
            echo "start-redis: $CHORUS_TEST_REDIS_URL (files in $chorus_redis_dir)"
            return 0
        fi
        sleep 0.05
    done
    echo "start-redis: no PONG on port $port after 10 s:" >&2
    cat "$chorus_redis_dir/server.log" >&2
    return 1
}

# Sends PING to the server on 127.0.0.1:$1 and prints the first line of the answer (+PONG), if any.
redis_ping() {
    python3 - "$1" <<'PYTHON' 2>/dev/null
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1) as s:
    s.sendall(b"PING\r\n")
    print(s.recv(64).decode().split("\r\n")[0])
PYTHON
}

stop_redis() {
    if [[ -n "${chorus_redis_dir:-}" && -d "$chorus_redis_dir" ]]; then
        local pid
        pid=$(cat "$chorus_redis_dir/redis.pid" 2>/dev/null || true)
        if [[ -n "$pid" ]]; then
            kill "$pid" 2>/dev/null || true
            # Wait for it to exit (it closes its clients and removes the pid file), 5 s at most.
            local attempt
            for attempt in $(seq 1 100); do
                kill -0 "$pid" 2>/dev/null || break
                sleep 0.05
            done
        fi
        rm -rf "$chorus_redis_dir"
    fi
    chorus_redis_dir=""
}
