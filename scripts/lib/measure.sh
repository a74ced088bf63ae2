# Helpers the measurement scripts (scale-out.sh, tls-fanout.sh, deflate-fanout.sh) share; source it.

# A TCP port free on 127.0.0.1 now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# The user + system CPU seconds process $1 has used so far.
cpu_seconds() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; }
