"""RFC 6455 violations sent over a raw TCP socket to a real `chorus serve`: each is answered with
the close frame the RFC asks for (1002 protocol error, 1007 bad UTF-8, 1009 too big), never a bare
TCP drop, and a ping flood from a client that never reads is bounded by the outbound limit."""
import socket
import struct
import time

import pytest

from conftest import start_chorus
from raw_websocket import RawClient, rss_kb


@pytest.fixture(scope="module")
def small_server():
    server = start_chorus(
        "apps:\n  - {id: 1, key: chorus-key, secret: chorus-secret, max_event_payload_in_kb: 2}\n"
        "max_message_bytes: 4096\n"
    )
    yield server
    server.stop()


def close_payload(code, reason=b""):
    return struct.pack("!H", code) + reason


VIOLATIONS = {
    "unmasked frame": (RawClient.frame(1, b'{"event":"pusher:ping"}', masked=False), 1002),
    "rsv1 without an extension": (RawClient.frame(1, b'{"event":"pusher:ping"}', rsv=4), 1002),
    "rsv3 without an extension": (RawClient.frame(1, b'{"event":"pusher:ping"}', rsv=1), 1002),
    "reserved data opcode 3": (RawClient.frame(3, b"x"), 1002),
    "reserved control opcode 0xB": (RawClient.frame(0xB, b"x"), 1002),
    "fragmented ping": (RawClient.frame(9, b"x", fin=False), 1002),
    "continuation with nothing to continue": (RawClient.frame(0, b"x"), 1002),
    "text frame inside a fragmented message": (RawClient.frame(1, b"ab", fin=False) + RawClient.frame(1, b"c"), 1002),
    "invalid UTF-8 text": (RawClient.frame(1, b'{"event":"\xff"}'), 1007),
    "close with a one-byte payload": (RawClient.frame(8, b"\x03"), 1002),
    "close with a reason that is not UTF-8": (RawClient.frame(8, close_payload(1000, b"\xc3\x28")), 1007),
    "a 2^63 length": (RawClient.frame(1, b"", length=2**63 - 1), 1009),
    "a message over max_message_bytes": (RawClient.frame(1, b"x" * 5000), 1009),
    "fragments adding up to more than max_message_bytes": (
        RawClient.frame(1, b"x" * 3000, fin=False) + RawClient.frame(0, b"x" * 3000),
        1009,
    ),
}


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_violation_gets_its_close_code(small_server, name):
    data, code = VIOLATIONS[name]
    client = RawClient(small_server)
    client.send(data)
    assert client.close_code() == code


@pytest.mark.parametrize("code", [0, 999, 1004, 1005, 1006, 1016, 2999, 5000, 65535])
def test_invalid_close_code_is_answered_with_1002(small_server, code):
    client = RawClient(small_server)
    client.send(RawClient.frame(8, close_payload(code)))
    assert client.close_code() == 1002


@pytest.mark.parametrize("code", [1000, 1001, 3000, 4999])
def test_valid_close_code_is_echoed(small_server, code):
    client = RawClient(small_server)
    client.send(RawClient.frame(8, close_payload(code)))
    assert client.close_code() == code


def test_ping_flood_from_a_client_that_never_reads_is_bounded(small_server):
    """Pongs count against the outbound limit: a client that floods pings and never reads is
    closed (4100 by the default slow-consumer policy) instead of growing the server's memory."""
    before = rss_kb(small_server.process.pid)
    client = RawClient(small_server, receive_buffer=4096)
    ping = RawClient.frame(9, b"p" * 125)
    deadline = time.monotonic() + 20
    closed = False
    client.sock.settimeout(0.5)
    while time.monotonic() < deadline:
        try:
            client.send(ping * 200)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            closed = True
            break
    after = rss_kb(small_server.process.pid)
    assert closed, "the server kept accepting pings from a client that never reads"
    assert after - before < 64 * 1024, f"RSS grew by {after - before} KB during the flood"


def handshake(server, headers):
    """Sends an upgrade request with `headers`; returns the response's status line and headers."""
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(
            (f"GET /app/{server.key}?protocol=7 HTTP/1.1\r\nHost: {server.host}\r\nUpgrade: websocket\r\n"
             f"Connection: Upgrade\r\n{headers}\r\n").encode()
        )
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = sock.recv(4096)
            if not chunk:
                break
            response += chunk
    return response.split(b"\r\n\r\n", 1)[0].decode()


def test_handshake_answers_the_rfc_example_key(small_server):
    head = handshake(small_server, "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
    assert head.startswith("HTTP/1.1 101")
    fields = {name.lower(): value for name, value in (line.split(": ", 1) for line in head.split("\r\n")[1:])}
    assert fields["sec-websocket-accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


@pytest.mark.parametrize("headers", [
    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 12\r\n",
    "Sec-WebSocket-Version: 13\r\n",
    "Sec-WebSocket-Key: a\r\nSec-WebSocket-Key: b\r\nSec-WebSocket-Version: 13\r\n",
])
def test_handshake_without_one_key_and_version_13_is_not_upgraded(small_server, headers):
    head = handshake(small_server, headers)
    assert head and not head.startswith("HTTP/1.1 101")
