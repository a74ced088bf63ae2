"""Starts real `chorus serve` processes for the Python client tests.

The binary comes from $CHORUS_BIN (default .build/release/chorus). Each server listens on a free
port on 127.0.0.1; its banner line tells the port.
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

    def ws_url(self, key=None, query="protocol=7&client=python&version=1.0"):
        return f"ws://{self.host}:{self.port}/app/{key or self.key}?{query}"

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
    args = [CHORUS_BIN, "serve", "--port", str(port), "--log-level", "warning"]
    if config_text is not None:
        handle = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        handle.write(config_text)
        handle.close()
        args += ["--config", handle.name]
    process = subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=tempfile.mkdtemp(prefix="chorus-serve-")
    )
    banner, match = "", None
    while match is None and len(banner.splitlines()) < 10:  # the port line may follow e.g. the store's path
        line = process.stdout.readline()
        if not line:
            break
        banner += line
        match = re.search(r":(\d+)/app/", line)
    if not match:
        process.kill()
        raise RuntimeError(f"chorus serve did not start: {banner}{process.stdout.read()}")
    return ChorusProcess(process=process, port=int(match.group(1)))


@pytest.fixture(scope="module")
def chorus():
    """A `chorus serve` on the embedded default app, shared by one test module."""
    server = start_chorus()
    yield server
    server.stop()
