"""Starts real `chorus serve` processes for the Python client tests.

The binary comes from $CHORUS_BIN (default .build/release/chorus). Each server listens on a free
port on 127.0.0.1, and serves `/metrics` on another free port (`--metrics-port 0`, so servers started
in parallel never collide on 9601); its banner tells both.
"""
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass

import pusher
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHORUS_BIN = os.path.abspath(os.environ.get("CHORUS_BIN", os.path.join(ROOT, ".build", "release", "chorus")))


@dataclass
class ChorusProcess:
    process: subprocess.Popen
    port: int
    app_id: str = "1"
    key: str = "chorus-key"
    secret: str = "chorus-secret"
    host: str = "127.0.0.1"
    metrics_port: int = 0
    banner: str = ""

    def ws_url(self, key=None, query="protocol=7&client=python&version=1.0"):
        return f"ws://{self.host}:{self.port}/app/{key or self.key}?{query}"

    def metrics_url(self, path="/metrics"):
        """A URL on the metrics listener (not the public port, which answers 404 for /metrics)."""
        return f"http://{self.host}:{self.metrics_port}{path}"

    def sdk(self, **overrides):
        """The official Pusher server SDK pointed at this server."""
        options = dict(app_id=self.app_id, key=self.key, secret=self.secret, host=self.host, port=self.port, ssl=False)
        options.update(overrides)
        return pusher.Pusher(**options)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_chorus(config_text=None, port=0):
    """Starts `chorus serve` on `port` (0: a free one), optionally with a YAML config; returns a ChorusProcess.

    It runs in a fresh temporary directory, so a default store (`chorus-data/` under the working
    directory) never lands in the repository."""
    args = [CHORUS_BIN, "serve", "--port", str(port), "--metrics-port", "0", "--log-level", "warning"]
    if config_text is not None:
        handle = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        handle.write(config_text)
        handle.close()
        args += ["--config", handle.name]
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tempfile.mkdtemp(prefix="chorus-serve-")
    )
    banner, match, metrics = "", None, None
    while metrics is None and len(banner.splitlines()) < 30:  # the port line may follow e.g. the store's path
        line = process.stdout.readline()
        if not line:
            break
        banner += line
        match = match or re.search(r":(\d+)/app/", line)
        metrics = re.search(r"^  metrics: http://[^ ]+:(\d+)/metrics$", line.rstrip("\n"))
    if not match or not metrics:
        process.kill()
        raise RuntimeError(f"chorus serve did not start: {banner}{process.stdout.read()}")
    return ChorusProcess(process=process, port=int(match.group(1)), metrics_port=int(metrics.group(1)), banner=banner)


@pytest.fixture(scope="module")
def chorus():
    """A `chorus serve` on the embedded default app, shared by one test module."""
    server = start_chorus()
    yield server
    server.stop()


def run_chorus(args, cwd, timeout=300):
    """Runs the chorus binary with `args` in `cwd` and returns the completed process (output captured as text)."""
    return subprocess.run([CHORUS_BIN, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)
