"""Abusive HTTP sent over raw sockets to a real `chorus serve`: every case gets its documented 4xx
with a JSON error body (never a 5xx, never a hang), and the server still serves a normal signed
request afterwards. Slow clients (slowloris) are closed by the header, body and idle timeouts."""
import base64
import hashlib
import hmac
import json
import os
import socket
import time

import pytest

from conftest import start_chorus

HEADER_TIMEOUT = 2
BODY_TIMEOUT = 2
IDLE_TIMEOUT = 3
BODY_CAP = 4096


@pytest.fixture(scope="module")
def server():
    server = start_chorus(
        "apps:\n"
        "  - {id: 1, key: chorus-key, secret: chorus-secret, max_event_payload_in_kb: 1, max_event_channels_at_once: 10}\n"
        f"max_request_body_bytes: {BODY_CAP}\n"
        f"http_header_timeout_seconds: {HEADER_TIMEOUT}\n"
        f"http_body_timeout_seconds: {BODY_TIMEOUT}\n"
        f"http_idle_timeout_seconds: {IDLE_TIMEOUT}\n"
    )
    yield server
    server.stop()


def signed_query(server, method, path, body=b"", extra=()):
    """The query pairs of a Pusher-signed request, `auth_signature` last."""
    query = list(extra) + [
        ("auth_key", server.key),
        ("auth_timestamp", str(int(time.time()))),
        ("auth_version", "1.0"),
    ]
    if body:
        query.append(("body_md5", hashlib.md5(body).hexdigest()))
    canonical = "&".join(f"{k.lower()}={v}" for k, v in sorted(query, key=lambda p: (p[0].lower(), p[1])))
    to_sign = f"{method}\n{path}\n{canonical}".encode()
    query.append(("auth_signature", hmac.new(server.secret.encode(), to_sign, hashlib.sha256).hexdigest()))
    return query


def encode_query(query):
    return "&".join(f"{k}={v}" for k, v in query)


def publish(server, channel="c", close=False):
    """A signed POST /apps/1/events as raw bytes."""
    body = json.dumps({"name": "e", "channel": channel, "data": "x"}).encode()
    path = f"/apps/{server.app_id}/events"
    query = encode_query(signed_query(server, "POST", path, body))
    connection = "Connection: close\r\n" if close else ""
    head = f"POST {path}?{query} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n{connection}\r\n"
    return head.encode() + body


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        assert self.headers.get("content-type") == "application/json", self.headers
        return json.loads(self.body)

    def error_code(self):
        body = self.json()
        assert isinstance(body.get("error"), str) and body["error"], body
        return body["code"]


class Exchange:
    """What the server answered on one connection: its responses and whether it closed."""

    def __init__(self, responses, closed):
        self.responses, self.closed = responses, closed


def parse_responses(data):
    responses = []
    while b"\r\n\r\n" in data:
        head, rest = data.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        if len(rest) < length:
            break
        responses.append(Response(int(lines[0].split()[1]), headers, rest[:length]))
        data = rest[length:]
    return responses


def exchange(server, data, wait=5.0, stop_after=None, port=None):
    """Sends `data` (bytes, or a list of byte strings sent one after the other) to `port` (default:
    the public one), then reads until the server closes or `wait` seconds pass; or until
    `stop_after` responses arrived."""
    sock = socket.create_connection((server.host, port or server.port), timeout=wait)
    received, closed = b"", False
    try:
        for part in data if isinstance(data, list) else [data]:
            sock.sendall(part)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed before it took everything: read what it said
    deadline = time.monotonic() + wait
    try:
        while time.monotonic() < deadline:
            if stop_after is not None and len(parse_responses(received)) >= stop_after:
                break
            sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = sock.recv(65536)
            if not chunk:
                closed = True
                break
            received += chunk
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    finally:
        sock.close()
    return Exchange(parse_responses(received), closed)


def assert_still_serves(server):
    result = exchange(server, publish(server, close=True))
    assert [r.status for r in result.responses] == [200]
    assert result.responses[0].json() == {}


def assert_refused(result, status, code):
    assert len(result.responses) == 1, [r.status for r in result.responses]
    response = result.responses[0]
    assert response.status == status, response.body
    assert response.error_code() == code
    assert response.headers.get("connection") == "close"
    assert result.closed


def chunked(body, size=1024):
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in parts) + b"0\r\n\r\n"


# Bodies over the cap, chunked bodies, lying Content-Length


def test_body_over_the_cap_with_content_length(server):
    head = f"POST /apps/1/events HTTP/1.1\r\nHost: x\r\nContent-Length: {BODY_CAP + 1}\r\n\r\n".encode()
    assert_refused(exchange(server, head + b"a" * (BODY_CAP + 1)), 413, "payload_too_large")
    assert_still_serves(server)


def test_body_over_the_cap_without_content_length(server):
    """Without Content-Length or chunking a request has no body: the signed request fails its
    body_md5, and the body's bytes, read as the next request, are not HTTP."""
    body = json.dumps({"name": "e", "channel": "c", "data": "x" * (BODY_CAP * 2)}).encode()
    query = encode_query(signed_query(server, "POST", "/apps/1/events", body))
    result = exchange(server, f"POST /apps/1/events?{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode() + body)
    assert [r.status for r in result.responses] == [401, 400]
    assert [r.error_code() for r in result.responses] == ["body_md5_mismatch", "malformed_request"]
    assert result.closed
    assert_still_serves(server)


def test_chunked_body_over_the_cap(server):
    head = b"POST /apps/1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
    assert_refused(exchange(server, head + chunked(b"a" * (BODY_CAP * 2))), 413, "payload_too_large")
    assert_still_serves(server)


def test_chunked_body_within_the_cap_is_served(server):
    body = json.dumps({"name": "e", "channel": "c", "data": "x" * 1000}).encode()
    query = encode_query(signed_query(server, "POST", "/apps/1/events", body))
    head = f"POST /apps/1/events?{query} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
    result = exchange(server, head + chunked(body, size=100), stop_after=1)
    assert [r.status for r in result.responses] == [200]
    assert result.responses[0].json() == {}
    assert_still_serves(server)


def test_content_length_shorter_than_the_body(server):
    """The body is cut at Content-Length (its body_md5 then fails); the rest is read as the next
    request, which is not HTTP: 400 and close."""
    body = json.dumps({"name": "e", "channel": "c", "data": "x"}).encode()
    query = encode_query(signed_query(server, "POST", "/apps/1/events", body))
    head = f"POST /apps/1/events?{query} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n".encode()
    result = exchange(server, head + body)
    assert [r.status for r in result.responses] == [401, 400]
    assert result.responses[0].error_code() == "body_md5_mismatch"
    assert result.responses[1].error_code() == "malformed_request"
    assert result.closed
    assert_still_serves(server)


def test_content_length_longer_than_the_body_times_out(server):
    head = b"POST /apps/1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n"
    started = time.monotonic()
    result = exchange(server, head + b'{"name":', wait=BODY_TIMEOUT + 3)
    assert_refused(result, 408, "request_timeout")
    assert time.monotonic() - started < BODY_TIMEOUT + 2
    assert_still_serves(server)


# Header floods


@pytest.mark.parametrize(
    "flood",
    [
        "".join(f"X-Flood-{i}: a\r\n" for i in range(5000)),
        "X-Big: " + "a" * 100_000 + "\r\n",
    ],
    ids=["5000 headers", "a 100 KB header line"],
)
def test_header_flood_is_answered_431(server, flood):
    result = exchange(server, f"GET /up HTTP/1.1\r\nHost: x\r\n{flood}\r\n".encode())
    assert_refused(result, 431, "header_fields_too_large")
    assert_still_serves(server)


# Pipelining


def test_pipelined_requests_are_answered_in_order(server):
    channels_path = "/apps/1/channels"
    channels_query = encode_query(signed_query(server, "GET", channels_path))
    requests = [
        publish(server, channel="first"),
        b"GET /up HTTP/1.1\r\nHost: x\r\n\r\n",
        f"GET {channels_path}?{channels_query} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
        publish(server, channel="last"),
    ]
    result = exchange(server, b"".join(requests), stop_after=4)
    assert [r.status for r in result.responses] == [200, 200, 200, 200]
    assert [r.json() for r in result.responses[:3]] == [{}, {"ok": True}, {"channels": {}}]
    assert not result.closed
    assert_still_serves(server)


# Path tricks


@pytest.mark.parametrize(
    "path, status, code",
    [
        ("/apps/1/../1/events", 404, "not_found"),
        ("/apps/%2e%2e/events", 404, "unknown_app"),
        ("/apps/1/%2e%2e/events", 404, "not_found"),
        ("/apps/1%00/events", 404, "unknown_app"),
        ("/apps/1/events%00", 404, "not_found"),
        ("//apps/1/events", 404, "not_found"),
        ("/apps//1/events", 404, "not_found"),
        ("/apps/1/events/", 404, "not_found"),
        ("/" + "a" * 20_000, 404, "not_found"),
        ("/" + "a" * 40_000, 431, "header_fields_too_large"),
    ],
    ids=lambda value: value if not isinstance(value, str) or len(value) < 40 else f"{len(value)} characters",
)
def test_path_tricks(server, path, status, code):
    body = json.dumps({"name": "e", "channel": "c", "data": "x"}).encode()
    query = encode_query(signed_query(server, "POST", path, body))
    request = f"POST {path}?{query} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    result = exchange(server, request, stop_after=1)
    assert [r.status for r in result.responses] == [status]
    assert result.responses[0].error_code() == code
    assert_still_serves(server)


def test_raw_nul_in_the_path_is_malformed(server):
    assert_refused(exchange(server, b"GET /apps/1\x00/channels HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "malformed_request")
    assert_still_serves(server)


# Duplicated signing parameters


@pytest.mark.parametrize("name", ["auth_signature", "auth_timestamp", "auth_key", "body_md5", "AUTH_VERSION"])
def test_duplicated_signing_parameter_is_refused(server, name):
    """A second copy, first in the query, next to a valid signed request: never accepted."""
    body = json.dumps({"name": "e", "channel": "c", "data": "x"}).encode()
    query = signed_query(server, "POST", "/apps/1/events", body)
    original = next(value for key, value in query if key == name.lower())
    extra = "0" * 64 if name == "auth_signature" else original
    target = f"/apps/1/events?{name}={extra}&{encode_query(query)}"
    request = f"POST {target} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    result = exchange(server, request, stop_after=1)
    assert [r.status for r in result.responses] == [401]
    assert result.responses[0].error_code() == "duplicate_auth_parameter"
    assert_still_serves(server)


# Invalid HTTP


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"\x16\x03\x01\x02\x00garbage\r\n\r\n",
        b"GET /up\r\n\r\n",
        b"GET /up HTTP/0.9\r\n\r\n",
        b"FOO /up HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /up HTTP/1.1\r\nNo colon here\r\n\r\n",
        b"POST /apps/1/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
    ids=["garbage", "HTTP/0.9", "HTTP/0.9 version", "bad method", "bad header", "bad chunk size"],
)
def test_invalid_http_is_answered_400_then_closed(server, request_bytes):
    assert_refused(exchange(server, request_bytes), 400, "malformed_request")
    assert_still_serves(server)


# Slow and idle clients


def test_slowloris_connections_are_closed_while_others_are_served(server):
    """50 connections trickle a request head a byte every 0.5 s: each is answered 408 and closed
    at the header timeout, while a normal client is served throughout."""
    slow = []
    for _ in range(50):
        sock = socket.create_connection((server.host, server.port), timeout=5)
        sock.sendall(b"GET /up HTTP/1.1\r\nX-Slow: ")
        slow.append(sock)
    started = time.monotonic()
    open_sockets = set(slow)
    answers = {sock: b"" for sock in slow}
    while open_sockets and time.monotonic() - started < HEADER_TIMEOUT + 3:
        for sock in list(open_sockets):
            try:
                sock.sendall(b"a")
            except (BrokenPipeError, ConnectionResetError):
                pass
            sock.setblocking(False)
            try:
                while True:
                    chunk = sock.recv(4096)
                    if not chunk:
                        open_sockets.discard(sock)
                        break
                    answers[sock] += chunk
            except BlockingIOError:
                pass
            except ConnectionResetError:
                open_sockets.discard(sock)
            sock.setblocking(True)
        assert_still_serves(server)
        time.sleep(0.5)
    elapsed = time.monotonic() - started
    for sock in slow:
        sock.close()
    assert not open_sockets, f"{len(open_sockets)} of 50 slow connections still open after {elapsed:.1f} s"
    assert elapsed < HEADER_TIMEOUT + 2
    statuses = {parse_responses(answer)[0].status for answer in answers.values() if parse_responses(answer)}
    assert statuses == {408}
    assert unparsed_count(server, 408) >= 50


def unparsed_count(server, status):
    """`chorus_http_requests_total` of the requests answered before they reached the router."""
    request = b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    result = exchange(server, request, port=server.metrics_port)
    prefix = f'chorus_http_requests_total{{route="unparsed",status="{status}"}} '
    lines = [line for line in result.responses[0].body.decode().splitlines() if line.startswith(prefix)]
    return int(float(lines[0][len(prefix) :])) if lines else 0


def test_silent_connection_is_closed_without_an_answer(server):
    started = time.monotonic()
    result = exchange(server, b"", wait=HEADER_TIMEOUT + 3)
    assert result.closed and result.responses == []
    assert HEADER_TIMEOUT - 0.5 < time.monotonic() - started < HEADER_TIMEOUT + 2
    assert_still_serves(server)


def test_idle_keep_alive_connection_is_closed_after_the_idle_timeout(server):
    started = time.monotonic()
    result = exchange(server, b"GET /up HTTP/1.1\r\nHost: x\r\n\r\n", wait=IDLE_TIMEOUT + 3)
    assert [r.status for r in result.responses] == [200]
    assert result.closed
    assert IDLE_TIMEOUT - 0.5 < time.monotonic() - started < IDLE_TIMEOUT + 2
    assert_still_serves(server)


def upgrade_request(server):
    key = base64.b64encode(os.urandom(16)).decode()
    return (
        f"GET /app/{server.key}?protocol=7 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    ).encode()


def test_upgrade_request_that_never_completes_is_answered_408(server):
    request = upgrade_request(server)
    result = exchange(server, request[:-4], wait=HEADER_TIMEOUT + 3)
    assert_refused(result, 408, "request_timeout")
    assert_still_serves(server)


def test_upgraded_websocket_outlives_the_http_timeouts(server):
    sock = socket.create_connection((server.host, server.port), timeout=5)
    sock.sendall(upgrade_request(server))
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(4096)
    assert received.startswith(b"HTTP/1.1 101")
    time.sleep(max(HEADER_TIMEOUT, BODY_TIMEOUT, IDLE_TIMEOUT) + 1)
    sock.setblocking(False)
    try:
        while True:  # read what is buffered (connection_established); an empty read means closed
            assert sock.recv(65536) != b"", "the WebSocket connection was closed by an HTTP timeout"
    except BlockingIOError:
        pass  # everything read and the connection still open
    sock.close()


def test_pipelining_without_reading_is_bounded(server):
    """A client that pipelines requests and never reads the responses: the server stops reading
    once the client stops taking responses, instead of piling responses up in memory. On the metrics
    listener, whose responses are large (the public port runs the same HTTP handler)."""
    before = rss_kb(server.process.pid)
    sock = socket.create_connection((server.host, server.metrics_port))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(1)
    requests = b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 1000
    deadline = time.monotonic() + 15
    stopped = False
    while time.monotonic() < deadline:
        try:
            sock.sendall(requests)
        except (socket.timeout, BrokenPipeError, ConnectionResetError):
            stopped = True
            break
    grown = rss_kb(server.process.pid) - before
    sock.close()
    assert stopped, "the server kept reading requests whose responses were not read"
    assert grown < 16 * 1024, f"RSS grew by {grown} KB"
    assert_still_serves(server)


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")
