"""Hostile clients against a real `chorus serve` while a control subscriber receives a numbered
event every 50 ms: the control loses nothing, sees nothing twice and nothing out of order, and the
server cleans up after the hostile clients (no leftover channels or presence members, memory back
near where it was)."""
import asyncio
import json
import socket
import threading
import time
import urllib.request

import pytest
import websockets

from conftest import start_chorus
from raw_websocket import RawClient, rss_kb

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class ControlStream:
    """A subscriber on `control` and a publisher sending it `{"seq": n}` every 50 ms, in a thread."""

    def __init__(self, server):
        self.server = server
        self.sdk = server.sdk()
        self.received = []
        self.published = 0
        self.stopping = threading.Event()
        self.ready = threading.Event()
        self.minimum = 40
        self.thread = threading.Thread(target=lambda: asyncio.run(self.run()), daemon=True)

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(10), "the control subscriber did not subscribe"
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(30)

    async def run(self):
        ws = await websockets.connect(self.server.ws_url())
        await ws.recv()
        await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "control"}}))
        assert json.loads(await ws.recv())["event"] == "pusher_internal:subscription_succeeded"
        self.ready.set()
        reader = asyncio.create_task(self.read(ws))
        # At least two seconds of ticks, however fast the hostile part finishes.
        while not self.stopping.is_set() or self.published < self.minimum:
            self.published += 1
            await asyncio.to_thread(self.sdk.trigger, "control", "tick", {"seq": self.published})
            await asyncio.sleep(0.05)
        deadline = time.monotonic() + 10
        while len(self.received) < self.published and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        reader.cancel()
        await ws.close()

    async def read(self, ws):
        async for text in ws:
            message = json.loads(text)
            if message.get("event") == "tick":
                self.received.append(json.loads(message["data"])["seq"])

    def assert_intact(self):
        assert self.published > 10
        assert self.received == list(range(1, self.published + 1)), (
            f"published {self.published}, received {len(self.received)}: "
            f"lost {sorted(set(range(1, self.published + 1)) - set(self.received))[:10]}, "
            f"duplicates or disorder: {self.received != sorted(set(self.received))}"
        )


@pytest.fixture()
def server():
    # One address hammers on purpose (5,000 connect cycles, 200 batches): the per-IP limits are off.
    server = start_chorus(
        "apps:\n  - {id: 1, key: chorus-key, secret: chorus-secret, max_presence_members: 10000}\n"
        "api_requests_per_ip_per_minute: 0\nconnections_per_ip_per_second: 0\n"
    )
    yield server
    server.stop()


def wait_for(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def test_connect_subscribe_reset_cycles_leave_nothing_behind(server):
    """5,000 connect → subscribe (public and presence) → RST cycles."""
    sdk = server.sdk()
    warm = [RawClient(server) for _ in range(50)]
    for client in warm:
        client.reset()
    assert wait_for(lambda: metric(server, "chorus_connections") == 0), "the warm-up connections did not close"
    before = rss_kb(server.process.pid)
    with ControlStream(server) as control:
        for cycle in range(5000):
            client = RawClient(server)
            if cycle % 2:
                channel = f"presence-hostile-{cycle % 20}"
                channel_data = json.dumps({"user_id": f"u{cycle}"})
                auth = sdk.authenticate(channel, client.socket_id, {"user_id": f"u{cycle}"})
                client.send_json(
                    {"event": "pusher:subscribe", "data": {"channel": channel, **auth, "channel_data": channel_data}}
                )
            else:
                channel = f"hostile-{cycle % 20}"
                client.send_json({"event": "pusher:subscribe", "data": {"channel": channel}})
            if cycle % 10 == 0:
                assert client.read_json()["event"] == "pusher_internal:subscription_succeeded"
            client.reset()
    control.assert_intact()
    assert wait_for(lambda: set(sdk.channels_info()["channels"]) <= {"control"}), sdk.channels_info()
    for index in range(20):
        assert sdk.users_info(f"presence-hostile-{index}")["users"] == []
    after = rss_kb(server.process.pid)
    print(f"RSS before {before} KB, after 5,000 RST cycles {after} KB")
    assert after <= before * 1.2, f"RSS grew from {before} KB to {after} KB"


def test_subscribers_that_never_read_meet_the_slow_consumer_policy(server):
    """20 subscribers that never read while 2,000 × 10 KB events are published to their channel."""
    sdk = server.sdk()
    before = rss_kb(server.process.pid)
    stalled = [RawClient(server, receive_buffer=4096) for _ in range(20)]
    for client in stalled:
        client.send_json({"event": "pusher:subscribe", "data": {"channel": "bulk"}})
    peak = before
    with ControlStream(server) as control:
        payload = "x" * 10_000
        for start in range(0, 2000, 10):
            sdk.trigger_batch([{"channel": "bulk", "name": "big", "data": payload} for _ in range(10)])
            peak = max(peak, rss_kb(server.process.pid))
    control.assert_intact()
    assert wait_for(lambda: metric(server, "chorus_slow_consumers_closed_total") == len(stalled))
    assert wait_for(lambda: metric(server, "chorus_connections") == 0)
    for client in stalled:
        client.reset()
    print(f"RSS before {before} KB, peak {peak} KB while 20 stalled subscribers were sent 20 MB each")
    assert peak - before < 128 * 1024, f"RSS peaked {peak - before} KB above its start"


def metric(server, name):
    """The value of an unlabelled metric in `/metrics`."""
    text = urllib.request.urlopen(server.metrics_url(), timeout=5).read().decode()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def test_malformed_frames_and_http_abuse_while_the_control_stream_runs(server):
    """Every RFC 6455 violation and a round of HTTP abuse, from threads, while the control stream
    runs: each bad client gets its close code or its 4xx, the control loses nothing."""
    from test_rfc6455 import VIOLATIONS

    http_abuse = [
        b"\x16\x03\x01\x02\x00garbage\r\n\r\n",
        b"GET /up HTTP/0.9\r\n\r\n",
        b"GET /up HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(500)) + b"\r\n",
        b"POST /apps/1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n",
        b"GET /apps/1/../1/channels HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ]
    failures = []

    def frames():
        for name, (data, code) in sorted(VIOLATIONS.items()):
            if "max_message_bytes" in name:
                continue  # this server keeps the default 128 KB limit
            client = RawClient(server)
            client.send(data)
            got = client.close_code()
            if got != code:
                failures.append(f"{name}: close {got}, expected {code}")

    def http():
        for _ in range(5):
            for request in http_abuse:
                with socket.create_connection((server.host, server.port), timeout=5) as sock:
                    sock.sendall(request)
                    status = sock.recv(64).split(b" ")[1:2]
                    if not status or not status[0].startswith(b"4"):
                        failures.append(f"{request[:30]!r}: {status}")

    with ControlStream(server) as control:
        workers = [threading.Thread(target=frames), threading.Thread(target=http)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
    control.assert_intact()
    assert not failures, failures
