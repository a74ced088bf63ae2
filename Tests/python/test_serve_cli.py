"""`chorus serve` as a process: configuration errors, the printed default app, graceful shutdown."""
import asyncio
import json
import os
import signal
import subprocess
import tempfile

import pytest
import websockets

from conftest import CHORUS_BIN, start_chorus


def serve_with_config(text):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as handle:
        handle.write(text)
    try:
        return subprocess.run([CHORUS_BIN, "serve", "--config", handle.name, "--port", "0"],
                              capture_output=True, text=True, timeout=30)
    finally:
        os.unlink(handle.name)


@pytest.mark.parametrize("config, named", [
    ("apps: [{id: 1, key: k, secret: s, max_event_payload_in_kb: 0}]", "max_event_payload_in_kb"),
    ("apps: [{id: abc, key: k, secret: s}]", "numeric"),
    ("apps: [{id: 1, key: k}]", "secret"),
    ("apps: [{id: 1, key: k, secret: s, max_conections: 5}]", "max_conections"),
    ("port: 99999", "port"),
    ("apps: [{id: 1, key: k, secret: s}, {id: 1, key: k2, secret: s}]", "duplicate id"),
    ("{not yaml", "YAML"),
])
def test_invalid_config_is_a_clear_error_and_nonzero_exit(config, named):
    result = serve_with_config(config)
    assert result.returncode != 0
    assert named in result.stderr + result.stdout


def test_unreadable_config_file():
    result = subprocess.run([CHORUS_BIN, "serve", "--config", "/nonexistent/chorus.yaml"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "cannot read" in result.stderr + result.stdout


def test_environment_overrides_and_banner(tmp_path):
    env = dict(os.environ, CHORUS_APP_ID="42", CHORUS_APP_KEY="env-key", CHORUS_APP_SECRET="env-secret")
    process = subprocess.Popen([CHORUS_BIN, "serve", "--port", "0", "--metrics-port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path)
    try:
        banner = ""
        while "app id=" not in banner and len(banner.splitlines()) < 10:
            banner += process.stdout.readline()
        assert "app id=42 key=env-key secret=env-secret" in banner
        # With no configuration history goes to SQLite under the working directory, said at start-up.
        assert "chorus-data/chorus.sqlite" in banner
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sigterm_tells_clients_to_reconnect_and_exits_cleanly():
    server = start_chorus()

    async def scenario():
        ws = await websockets.connect(server.ws_url())
        assert json.loads(await ws.recv())["event"] == "pusher:connection_established"
        server.process.send_signal(signal.SIGTERM)
        error = json.loads(await asyncio.wait_for(ws.recv(), 5))
        assert error["event"] == "pusher:error" and error["data"]["code"] == 4200
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
        assert closed.value.rcvd.code == 4200

    try:
        asyncio.run(scenario())
        assert server.process.wait(timeout=10) == 0
    finally:
        if server.process.poll() is None:
            server.process.kill()
