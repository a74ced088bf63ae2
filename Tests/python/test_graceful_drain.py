"""SIGTERM while a publisher runs flat out: every event the API acknowledged reaches the
subscriber before its 4200, publishes after the drain began get 503, the process exits 0, and the
subscriber reconnects to the restarted server and goes on receiving. On a history channel the
restarted server also holds every acknowledged event, so a client recovers whatever it missed
through the history API."""
import asyncio
import json
import signal
import threading
import time

import pytest
import websockets

from conftest import start_chorus
from history_support import page_history, sockudo, start_history_chorus, unique_channel

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Publisher(threading.Thread):
    """Triggers `{"seq": n}` on `channel` as fast as the server answers, until it stops answering."""

    def __init__(self, server, first=1, channel="orders"):
        super().__init__(daemon=True)
        self.sdk = server.sdk(timeout=5)
        self.channel = channel
        self.next = first
        self.acknowledged = []
        self.refusals = []
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            try:
                self.sdk.trigger(self.channel, "order", {"seq": self.next})
                self.acknowledged.append(self.next)
            except Exception as error:  # 503 while draining, then refused connections
                self.refusals.append(repr(error))
                if len(self.refusals) > 50:
                    return
                time.sleep(0.01)
            self.next += 1


async def subscribe(server, channel="orders"):
    ws = await websockets.connect(server.ws_url())
    await ws.recv()
    await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": channel}}))
    assert json.loads(await ws.recv())["event"] == "pusher_internal:subscription_succeeded"
    return ws


async def receive_until_closed(ws, received):
    try:
        async for text in ws:
            message = json.loads(text)
            if message["event"] == "order":
                received.append(json.loads(message["data"])["seq"])
    except websockets.ConnectionClosed:
        pass
    return ws.close_code


async def publish_until_sigterm(server, received, channel="orders"):
    """Subscribes to `channel`, publishes flat out, sends SIGTERM after 1.5 s and reads until the
    server closes the subscriber; returns the close code and the publisher."""
    ws = await subscribe(server, channel)
    publisher = Publisher(server, channel=channel)
    reader = asyncio.create_task(receive_until_closed(ws, received))
    publisher.start()
    await asyncio.sleep(1.5)
    server.process.send_signal(signal.SIGTERM)
    code = await asyncio.wait_for(reader, 15)
    publisher.stopping.set()
    publisher.join(10)
    return code, publisher


def test_sigterm_loses_no_acknowledged_event_and_clients_reconnect():
    server = start_chorus()
    port = server.port
    received = []

    close_code, publisher = asyncio.run(publish_until_sigterm(server, received))
    assert server.process.wait(15) == 0
    assert close_code == 4200
    assert len(publisher.acknowledged) > 20
    print(f"acknowledged {len(publisher.acknowledged)}, received {len(received)}, refusals: {publisher.refusals[:2]}")
    lost = sorted(set(publisher.acknowledged) - set(received))
    assert not lost, f"{len(lost)} acknowledged events never arrived, e.g. {lost[:10]}"
    assert received == sorted(received), "events arrived out of order"

    restarted = start_chorus(port=port)
    try:

        async def second_run():
            ws = await subscribe(restarted)
            later = Publisher(restarted, first=publisher.next + 1)
            later.start()
            while len(later.acknowledged) < 20:
                await asyncio.sleep(0.05)
            later.stopping.set()
            later.join(10)
            seen = []
            deadline = time.monotonic() + 5
            while len(seen) < len(later.acknowledged) and time.monotonic() < deadline:
                message = json.loads(await asyncio.wait_for(ws.recv(), 5))
                if message["event"] == "order":
                    seen.append(json.loads(message["data"])["seq"])
            await ws.close()
            return later.acknowledged, seen

        acknowledged, seen = asyncio.run(second_run())
        assert seen == acknowledged
    finally:
        restarted.stop()


def test_sigterm_on_a_history_channel_keeps_every_acknowledged_event_for_recovery(tmp_path):
    channel = unique_channel()
    server = start_history_chorus("sqlite", tmp_path)
    port = server.port
    received = []

    close_code, publisher = asyncio.run(publish_until_sigterm(server, received, channel))
    assert server.process.wait(15) == 0
    assert close_code == 4200
    assert len(publisher.acknowledged) > 20

    restarted = start_history_chorus("sqlite", tmp_path, port=port)
    try:
        items = page_history(sockudo(restarted), channel)
    finally:
        restarted.stop()
    stored = [json.loads(item["message"]["data"])["seq"] for item in items]
    assert [item["serial"] for item in items] == list(range(1, len(items) + 1)), "history has a gap"
    assert stored == sorted(set(stored)), "history holds an event twice or out of order"
    missing = sorted(set(publisher.acknowledged) - set(stored))
    assert not missing, f"{len(missing)} acknowledged events are not in history, e.g. {missing[:10]}"
    missed_live = set(publisher.acknowledged) - set(received)
    assert missed_live <= set(stored), "what the subscriber missed cannot be recovered from history"
