"""Sockudo's delta wire format against a real `chorus serve`, checked by a client written from
Sockudo's document (sockudo_delta.py, Fossil and PyPI's VCDIFF decoder): both algorithms over
protocol 2, conflation keys (100 keys interleaved on one channel), the cache sync a late subscriber
gets first, sync-error recovery, and every rebuilt frame equal to a plain subscriber's."""
import asyncio
import json

import pytest
import websockets

from conftest import start_chorus
from sockudo_delta import DeltaClient

APP = """
apps:
  - id: 1
    key: chorus-key
    secret: chorus-secret
    channel_delta_compression:
      "prices-*": {conflation_key: symbol, max_conflation_keys: 1000}
      "quiet": disabled
api_requests_per_ip_per_minute: 0
"""


@pytest.fixture(scope="module")
def server():
    server = start_chorus(APP)
    yield server
    server.stop()


def quote(symbol, round_number):
    """~1 KB of order book for `symbol`; one level's price changes each round."""
    levels = [{"level": level, "bid": round(100 + level + (0.5 + round_number if level == round_number % 24 else 0.25), 2),
               "size": 1000 + level * 10} for level in range(24)]
    return {"symbol": symbol, "round": round_number, "book": levels}


async def open_socket(server, protocol=2):
    ws = await websockets.connect(server.ws_url(query=f"protocol={protocol}&client=test&version=1"), max_size=None)
    await ws.recv()
    return ws


async def subscribe(ws, channel, prefix="sockudo", **options):
    await ws.send(json.dumps({"event": f"{prefix}:subscribe", "data": {"channel": channel, **options}}))
    reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
    assert reply["event"] == f"{prefix}_internal:subscription_succeeded", reply


async def frames(ws, count, client=None):
    """The next `count` event frames (as a plain subscriber would have them), cache syncs taken."""
    got = []
    while len(got) < count:
        text = await asyncio.wait_for(ws.recv(), 5)
        event = json.loads(text)["event"]
        if event.endswith(":delta_compression_enabled"):
            continue
        plain = client.receive(text) if client else text
        if plain is not None:
            got.append(plain)
    return got


def publish_batches(server, events):
    sdk = server.sdk()
    for start in range(0, len(events), 10):
        sdk.trigger_batch([{"channel": c, "name": n, "data": json.dumps(d)} for c, n, d in events[start:start + 10]])


@pytest.mark.parametrize("algorithm", ["fossil", "xdelta3"])
def test_100_conflation_keys_interleaved_rebuild_exactly(server, algorithm):
    channel = f"prices-{algorithm}"
    symbols = [f"S{index:03}" for index in range(100)]

    async def scenario():
        plain = await open_socket(server)
        await subscribe(plain, channel)
        conflated = await open_socket(server)
        await subscribe(conflated, channel, delta=algorithm)
        client = DeltaClient(prefix="sockudo")
        events = [(channel, "quote", quote(symbol, r)) for r in range(5) for symbol in symbols]
        publish_batches(server, events)
        expected = await frames(plain, len(events))
        assert await frames(conflated, len(events), client) == expected
        assert client.deltas == 400  # round 0 full, then one delta chain per symbol
        assert client.received_bytes * 2 < client.full_bytes

        # A late subscriber gets the last message of every key first, then deltas right away.
        late = await open_socket(server)
        await subscribe(late, channel, delta=algorithm)
        late_client = DeltaClient(prefix="sockudo")
        more = [(channel, "quote", quote(symbol, 5)) for symbol in symbols[:20]]
        publish_batches(server, more)
        expected = await frames(plain, len(more))
        assert await frames(late, len(more), late_client) == expected
        assert late_client.deltas == 20
        await asyncio.gather(plain.close(), conflated.close(), late.close())

    asyncio.run(scenario())


def test_full_messages_carry_metadata_and_deltas_name_their_key(server):
    async def scenario():
        ws = await open_socket(server, protocol=7)
        await subscribe(ws, "prices-meta", prefix="pusher", delta={"enabled": True, "algorithm": "xdelta3"})
        confirmation = json.loads(await ws.recv())
        assert confirmation["event"] == "pusher:delta_compression_enabled" and confirmation["channel"] == "prices-meta"
        sync = json.loads(await ws.recv())
        assert sync["event"] == "pusher:delta_cache_sync", sync
        assert json.loads(sync["data"])["conflation_key"] == "symbol"
        publish_batches(server, [("prices-meta", "quote", quote("AAA", r)) for r in range(2)])
        full = json.loads(await ws.recv())
        assert full["__delta_seq"] == 1 and full["__conflation_key"] == "AAA", full
        delta = json.loads(await ws.recv())
        data = json.loads(delta["data"])
        assert delta["event"] == "pusher:delta"
        assert (data["seq"], data["base_index"], data["conflation_key"], data["algorithm"]) == (2, 1, "AAA", "xdelta3")
        await ws.close()

    asyncio.run(scenario())


def test_a_sync_error_gets_the_next_message_of_the_key_in_full(server):
    async def scenario():
        ws = await open_socket(server)
        await subscribe(ws, "prices-sync", delta="xdelta3")
        client = DeltaClient(prefix="sockudo")
        publish_batches(server, [("prices-sync", "quote", quote("X", r)) for r in range(2)])
        await frames(ws, 2, client)
        assert client.deltas == 1
        await ws.send(json.dumps({"event": "sockudo:delta_sync_error", "data": {"channel": "prices-sync"}}))
        await ws.send(json.dumps({"event": "sockudo:ping", "data": {}}))
        assert json.loads(await ws.recv())["event"] == "sockudo:pong"
        publish_batches(server, [("prices-sync", "quote", quote("X", 2))])
        full = json.loads(await ws.recv())
        assert full["event"] == "quote" and full["__delta_seq"] == 3, full
        await ws.close()

    asyncio.run(scenario())


def test_a_channel_pattern_can_turn_deltas_off(server):
    async def scenario():
        ws = await open_socket(server)
        await ws.send(json.dumps({"event": "sockudo:enable_delta_compression", "data": {"algorithms": ["xdelta3"]}}))
        assert json.loads(json.loads(await ws.recv())["data"])["algorithm"] == "xdelta3"
        await subscribe(ws, "quiet")
        publish_batches(server, [("quiet", "quote", quote("Q", r)) for r in range(3)])
        for _ in range(3):
            message = json.loads(await ws.recv())
            assert message["event"] == "quote" and "__delta_seq" not in message, message
        await ws.close()

    asyncio.run(scenario())
