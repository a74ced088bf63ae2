"""Bytes on the wire for a ticker-like stream, per delta algorithm, measured against a running
`chorus serve` (started by scripts/delta-algorithms.sh): for each stream, one subscriber without
deltas, one taking Fossil deltas and one taking VCDIFF (xdelta3) deltas, on a channel with and
without conflation by symbol. Every delta subscriber's rebuilt messages are checked against the
plain subscriber's (Tests/python/sockudo_delta.py decodes them). Prints JSON on stdout."""
import asyncio
import json
import random
import sys

import pusher
import websockets

sys.path.insert(0, "Tests/python")
from sockudo_delta import DeltaClient  # noqa: E402

host, port = sys.argv[1], int(sys.argv[2])
sdk = pusher.Pusher(app_id="1", key="chorus-key", secret="chorus-secret", host=host, port=port, ssl=False)


def quote(symbol, tick, rng):
    """Quote `tick` of `symbol` (~500 bytes): the symbol's reference data and book stay, one or two
    prices and the volume move each tick — what a market-data feed sends."""
    seed = sum(ord(c) * 31 ** i for i, c in enumerate(symbol))
    base = 20 + seed % 900
    step = random.Random(seed * 1000 + tick).choice([-1, 0, 1]) * 0.01
    return {
        "symbol": symbol, "name": f"{symbol} Holdings plc", "isin": f"GB00{seed % 10**8:08d}",
        "exchange": "XLON", "currency": "GBP", "sector": ["energy", "banks", "retail", "tech"][seed % 4],
        "tick": tick, "bid": round(base + step, 2), "ask": round(base + 0.05 + step, 2),
        "last": round(base + step, 2), "volume": 10_000 * (seed % 97) + tick * 100,
        "depth": [{"level": level, "bid_size": (seed >> level) % 5000, "ask_size": (seed >> (level + 3)) % 5000}
                  for level in range(5)],
        "status": "trading",
    }


async def subscriber(channel, delta=None):
    ws = await websockets.connect(f"ws://{host}:{port}/app/chorus-key?protocol=7", max_size=None)
    await ws.recv()
    data = {"channel": channel}
    if delta:
        data["delta"] = delta
    await ws.send(json.dumps({"event": "pusher:subscribe", "data": data}))
    assert json.loads(await ws.recv())["event"] == "pusher_internal:subscription_succeeded"
    return ws


async def measure(name, channel, symbols, ticks):
    rng = random.Random(7)
    plain = await subscriber(channel)
    takers = {algorithm: await subscriber(channel, algorithm) for algorithm in ("fossil", "xdelta3")}
    events = [quote(symbol, tick, rng) for tick in range(ticks) for symbol in symbols]
    for start in range(0, len(events), 10):
        sdk.trigger_batch([{"channel": channel, "name": "quote", "data": json.dumps(e)} for e in events[start:start + 10]])
    expected = [await plain.recv() for _ in events]
    row = {"stream": name, "channel": channel, "symbols": len(symbols), "events": len(events),
           "plain_bytes": sum(len(text.encode()) for text in expected)}
    for algorithm, ws in takers.items():
        client = DeltaClient()
        received = []
        while len(received) < len(events):
            text = await ws.recv()
            if json.loads(text)["event"] == "pusher:delta_compression_enabled":
                client.received_bytes += len(text.encode())
                continue
            rebuilt = client.receive(text)
            if rebuilt is not None:
                received.append(rebuilt)
        assert received == expected, f"{name} {algorithm}: rebuilt messages differ"
        row[f"{algorithm}_bytes"] = client.received_bytes
        row[f"{algorithm}_deltas"] = client.deltas
    for ws in [plain, *takers.values()]:
        await ws.close()
    return row


async def main():
    symbols = [f"SYM{index:03}" for index in range(100)]
    rows = [
        await measure("one symbol", "ticker-one", symbols[:1], 200),
        await measure("100 symbols interleaved", "ticker-many", symbols, 10),
        await measure("100 symbols, conflated by symbol", "conflated-ticker", symbols, 10),
    ]
    print(json.dumps(rows, indent=2))


asyncio.run(main())
