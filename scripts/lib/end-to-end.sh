# Shared by the end-to-end measurements (scripts/fanout-floor.sh, scripts/connection-memory.sh):
# a scratch directory removed on exit with any server still running, the descriptor limit raised,
# the subscriber tool built, the chorus binary chosen, and one `chorus serve` at a time on a free
# loopback port. Source it after setting `root`; it sets `work` and `chorus`.
#
# Environment: CHORUS_BIN (a chorus binary to measure instead of building .build/release/chorus).

work="$(mktemp -d /tmp/chorus-measure.XXXXXX)"
server_pid=""
end_to_end_cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap end_to_end_cleanup EXIT

ulimit -n "$(ulimit -Hn)"
# One epoll process holding every subscriber (Benchmarks/EndToEnd/fanout_subscribers.c).
cc -O2 -o "$work/fanout_subscribers" "$root/Benchmarks/EndToEnd/fanout_subscribers.c" -lcrypto
chorus="${CHORUS_BIN:-}"
if [ -z "$chorus" ]; then
  (cd "$root" && swift build -c release --product chorus)
  chorus="$root/.build/release/chorus"
fi

# Starts `chorus serve` (embedded default app) on a free loopback port, behind the command words given
# (e.g. `heaptrack -o FILE`), and waits until it accepts connections; sets `port` and `server_pid`.
start_measured_server() {
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  "$@" "$chorus" serve --host 127.0.0.1 --port "$port" --metrics-port 0 >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    sleep 0.1
  done
  # Behind a launcher (heaptrack), the server is the launcher's child: its pid is the one to sample.
  if [ $# -gt 0 ]; then server_pid="$(pgrep -P "$server_pid" -f "$chorus serve" || echo "$server_pid")"; fi
}

# Stops the server started by start_measured_server and waits until it is gone.
stop_measured_server() {
  kill -INT "$server_pid"
  for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  wait 2>/dev/null || true
  server_pid=""
}
