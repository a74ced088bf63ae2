# Sourced by the scripts that run something against several `chorus serve` nodes sharing one Redis
# (source scripts/lib/start-redis.sh and run start_redis first):
#   start_cluster NAME COUNT CONFIG [SERVE ARGS...]
# starts COUNT nodes of "$CHORUS" serve --config CONFIG on free ports, each in its own working
# directory (so a relative SQLite path gives each node its own file), waits until every node's
# /up answers 200 (connected to Redis and caught up), and sets `cluster_ports` and `cluster_pids`.
# stop_cluster stops them; start_cluster chains it onto the EXIT trap. On a node that does not come
# up within 20 s it prints the node's output and exits.
start_cluster() {
    local name="$1" count="$2" config="$3"
    shift 3
    cluster_dir=$(mktemp -d /tmp/chorus-cluster.XXXXXX)
    cluster_ports=()
    cluster_pids=()
    # The caller's EXIT trap (start_redis's, at least) runs after ours; `trap -p` quotes it in
    # single quotes, which the traps of these scripts never contain.
    local previous_trap
    previous_trap=$(trap -p EXIT | sed -e "s/^trap -- '//" -e "s/' EXIT\$//")
    trap "chorus_cluster_status=\$?; stop_cluster; set +e; (exit \$chorus_cluster_status); $previous_trap" EXIT
    for index in $(seq 1 "$count"); do
        local port
        port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
        mkdir -p "$cluster_dir/node-$index"
        (cd "$cluster_dir/node-$index" && exec "$CHORUS" serve --config "$config" --port "$port" --metrics-port 0 "$@" >serve.log 2>&1) &
        cluster_pids+=("$!")
        cluster_ports+=("$port")
    done
    local index=0
    for port in "${cluster_ports[@]}"; do
        index=$((index + 1))
        for _ in $(seq 1 200); do
            curl -sf "http://127.0.0.1:$port/up" >/dev/null 2>&1 && break
            sleep 0.1
        done
        if ! curl -sf "http://127.0.0.1:$port/up" >/dev/null 2>&1; then
            echo "$name: node $index (port $port) did not answer /up within 20 s:" >&2
            cat "$cluster_dir/node-$index/serve.log" >&2
            exit 1
        fi
    done
}

stop_cluster() {
    local pid
    for pid in "${cluster_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${cluster_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    cluster_pids=()
    [[ -n "${cluster_dir:-}" ]] && rm -rf "$cluster_dir"
    cluster_dir=""
}
