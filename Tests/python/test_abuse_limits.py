"""Origins, per-IP limits and the metrics listener against a real `chorus serve` with a
configuration file: the official `pusher` SDK over the per-IP API limit at its edge, `websockets`
with a refused Origin, a refused upgrade, the start-up banner, and `/metrics` on its own port only."""
import asyncio
import base64
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pusher
import pytest
import websockets

from conftest import CHORUS_BIN, start_chorus

APP = "apps:\n  - {id: 1, key: chorus-key, secret: chorus-secret, allowed_origins: ['https://*.example.com', 'http://localhost:3000']}\n"


def get(url, headers=None):
    """Status, headers and body of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def signed_url(server, path):
    """A Pusher-signed GET URL for `path`, signed the way the SDK signs."""
    client = server.sdk()
    request = pusher.http.Request(client._pusher_client, "GET", path, {})
    return f"http://{server.host}:{server.port}{request.path}?{request.query_string}"


@pytest.fixture(scope="module")
def limited():
    server = start_chorus(APP + "api_requests_per_ip_per_minute: 5\nconnections_per_ip_per_second: 20\n")
    yield server
    server.stop()


def test_the_pusher_sdk_gets_n_requests_and_the_next_is_429(limited):
    sdk = limited.sdk()
    started = time.monotonic()
    for _ in range(5):
        assert sdk.channels_info() == {"channels": {}}
    with pytest.raises(pusher.errors.PusherBadStatus) as refused:
        sdk.channels_info()
    assert refused.value.args[0].startswith("429")
    # The same from a raw request: the headers and the JSON error.
    status, headers, body = get(signed_url(limited, "/apps/1/channels"))
    assert time.monotonic() - started < 30, "the edge must be tested well inside the 60 s window"
    assert status == 429
    assert headers["X-RateLimit-Limit"] == "5"
    assert headers["X-RateLimit-Remaining"] == "0"
    assert 1 <= int(headers["X-RateLimit-Reset"]) <= 60
    assert headers["Retry-After"] == headers["X-RateLimit-Reset"]
    assert json.loads(body)["code"] == "rate_limited"
    # /up is not an API request: it still answers.
    assert get(f"http://{limited.host}:{limited.port}/up")[0] == 200


def test_a_websocket_from_a_disallowed_origin_is_closed_with_4009(limited):
    async def scenario():
        async with websockets.connect(limited.ws_url(), origin="https://evil.test") as ws:
            error = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert error["event"] == "pusher:error" and error["data"]["code"] == 4009
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd.code == 4009
        for origin in ["https://app.example.com", "http://localhost:3000", None]:
            async with websockets.connect(limited.ws_url(), origin=origin) as ws:
                assert json.loads(await asyncio.wait_for(ws.recv(), 5))["event"] == "pusher:connection_established"

    asyncio.run(scenario())


def upgrade_request(server):
    key = base64.b64encode(os.urandom(16)).decode()
    return (
        f"GET /app/{server.key}?protocol=7 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()


def test_connections_per_ip_per_second_refuses_the_upgrade_over_it_with_429():
    server = start_chorus(APP + "connections_per_ip_per_second: 3\n")
    try:
        sockets = [socket.create_connection((server.host, server.port), timeout=5) for _ in range(4)]
        started = time.monotonic()
        for sock in sockets:
            sock.sendall(upgrade_request(server))
        answers = []
        for sock in sockets:
            received = b""
            while b"\r\n\r\n" not in received:
                received += sock.recv(4096)
            answers.append(received)
        assert time.monotonic() - started < 1, "the four upgrades must fall in one second"
        statuses = sorted(answer.split(b" ", 2)[1] for answer in answers)
        assert statuses == [b"101", b"101", b"101", b"429"]
        refused = next(answer for answer in answers if answer.startswith(b"HTTP/1.1 429"))
        head = refused.lower()
        assert b"retry-after: 1\r\n" in head and b"x-ratelimit-limit: 3\r\n" in head
        for sock in sockets:
            sock.close()
    finally:
        server.stop()


def test_trusted_proxy_forwarded_clients_are_counted_apart():
    server = start_chorus(APP + "api_requests_per_ip_per_minute: 1\ntrusted_proxies: ['127.0.0.1', '::1']\n")
    try:
        url = signed_url(server, "/apps/1/channels")
        assert get(url, {"X-Forwarded-For": "198.51.100.1"})[0] == 200
        assert get(url, {"X-Forwarded-For": "198.51.100.1"})[0] == 429
        # A client's own entry left of the proxy's does not move it to another count.
        assert get(url, {"X-Forwarded-For": "203.0.113.7, 198.51.100.1"})[0] == 429
        assert get(url, {"X-Forwarded-For": "198.51.100.2"})[0] == 200
    finally:
        server.stop()


def test_the_banner_says_the_embedded_default_has_no_api_limit_and_a_file_gets_the_defaults():
    embedded = start_chorus()
    try:
        assert "per-IP API limit: off (embedded default; a config file turns on 300/min)" in embedded.banner
        assert "per-IP connection limit: off (embedded default; a config file turns on 1000/s)" in embedded.banner
        assert f"metrics: http://127.0.0.1:{embedded.metrics_port}/metrics" in embedded.banner
    finally:
        embedded.stop()
    configured = start_chorus("apps:\n  - {id: 1, key: chorus-key, secret: chorus-secret}\ntrusted_proxies: [10.0.0.0/8]\n")
    try:
        assert "per-IP API limit: 300/min" in configured.banner
        assert "per-IP connection limit: 1000/s" in configured.banner
        assert "trusted proxies: 10.0.0.0/8" in configured.banner
    finally:
        configured.stop()


def test_metrics_are_served_on_the_metrics_port_only(limited):
    status, _, body = get(f"http://{limited.host}:{limited.port}/metrics")
    assert status == 404 and json.loads(body)["code"] == "not_found"
    status, headers, body = get(limited.metrics_url())
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert b"chorus_connections" in body
    # The 429s of the first test (this module's server): the SDK's and the raw request's.
    assert b'chorus_per_ip_refusals_total{limit="api_requests"} 2' in body
    assert get(limited.metrics_url("/up"))[0] == 200
    assert get(limited.metrics_url("/apps/1/channels"))[0] == 404
    assert limited.metrics_port not in (0, 9601, limited.port)


@pytest.mark.parametrize("config, named", [
    (APP.replace("'http://localhost:3000'", "'localhost:3000'"), "allowed_origins: 'localhost:3000'"),
    ("apps:\n  - {id: 1, key: k, secret: s}\ntrusted_proxies: [10.0.0.0/33]\n", "trusted_proxies: '10.0.0.0/33'"),
])
def test_malformed_origin_and_proxy_entries_stop_start_up(config, named):
    with pytest.raises(RuntimeError) as failed:
        start_chorus(config)
    assert named in str(failed.value)


def test_a_taken_metrics_port_stops_start_up_naming_it(limited, tmp_path):
    result = subprocess.run(
        [CHORUS_BIN, "serve", "--port", "0", "--metrics-port", str(limited.metrics_port)],
        capture_output=True, text=True, timeout=30, cwd=tmp_path,
    )
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{limited.metrics_port}" in result.stderr + result.stdout
