# Sourced by the scripts that run something against a fresh `chorus serve`:
#   start_chorus NAME [SERVE ARGS...]
# starts "$CHORUS" serve on a free port (plus SERVE ARGS), stops it when the script exits, and sets
# `server` (its pid) and `port`; exits with the server's output when it does not come up in 10 s.
# NAME prefixes the error messages. Paths the caller appends to `chorus_scratch` (temporary
# configurations, data directories) are removed with the server's log when the script exits.
chorus_scratch=()
start_chorus() {
    local name="$1"
    shift
    chorus_log=$(mktemp)
    "$CHORUS" serve --port 0 --metrics-port 0 "$@" >"$chorus_log" 2>&1 &
    server=$!
    trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$chorus_log" "${chorus_scratch[@]}"' EXIT
    port=""
    for _ in $(seq 1 100); do
        port=$(sed -n 's|.*serving on wss\{0,1\}://[^:]*:\([0-9]*\)/.*|\1|p' "$chorus_log" | head -n 1)
        [[ -n "$port" ]] && return 0
        if ! kill -0 "$server" 2>/dev/null; then
            echo "$name: chorus serve exited:" >&2
            cat "$chorus_log" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "$name: chorus serve did not report its port within 10 s" >&2
    cat "$chorus_log" >&2
    exit 1
}
