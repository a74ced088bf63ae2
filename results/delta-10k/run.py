#!/usr/bin/env python3
"""The delta-10k scenario run from outside the server, until `chorus load` reads `delta: true`.

Connects SUBSCRIBERS WebSocket clients that take deltas (`"delta": true` in the subscribe data)
and a few reference clients that do not, all on one public channel; publishes BATCHES batches of
10 events of about 1 KB with batch_events, each event a small change of the one before; rebuilds
every `pusher:delta` with an independent Fossil delta decoder and checks that every rebuilt
message equals, byte for byte, the message the reference clients received. Writes result.json.

    python3 results/delta-10k/run.py --port 6001 [--subscribers 10000] [--batches 5]
"""
import argparse, asyncio, base64, hashlib, hmac, json, os, resource, time, urllib.request

import websockets

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"
VALUE = {c: i for i, c in enumerate(DIGITS.encode())}


def fossil_apply(source: bytes, delta: bytes) -> bytes:
    """Applies a Fossil delta (format: fossil-scm.org delta_format.wiki), checking its checksum."""
    pos = 0

    def number():
        nonlocal pos
        value, start = 0, pos
        while pos < len(delta) and delta[pos] in VALUE:
            value = value * 64 + VALUE[delta[pos]]
            pos += 1
        if pos == start:
            raise ValueError("number expected")
        return value

    size = number()
    if delta[pos:pos + 1] != b"\n":
        raise ValueError("no newline")
    pos += 1
    out = bytearray()
    while pos < len(delta):
        count = number()
        op = delta[pos:pos + 1]
        pos += 1
        if op == b"@":
            offset = number()
            if delta[pos:pos + 1] != b",":
                raise ValueError("no comma")
            pos += 1
            out += source[offset:offset + count]
        elif op == b":":
            out += delta[pos:pos + count]
            pos += count
        elif op == b";":
            if len(out) != size:
                raise ValueError("length")
            padded = bytes(out) + b"\0" * (-len(out) % 4)
            total = sum(int.from_bytes(padded[i:i + 4], "big") for i in range(0, len(padded), 4)) & 0xFFFFFFFF
            if total != count:
                raise ValueError("checksum")
            return bytes(out)
        else:
            raise ValueError("bad op")
    raise ValueError("no checksum")


SEQ_MARK = b',"__delta_seq":'


class Stats:
    def __init__(self):
        self.rebuilt = self.full = self.mismatches = self.sync_errors = self.received_bytes = self.full_bytes = 0


def event_data(number: int) -> str:
    readings = [
        {"sensor": f"bay-{s}", "celsius": (20 + number % 17 if s % 8 == number % 8 else 20 + s) + 0.5, "status": "nominal"}
        for s in range(16)
    ]
    return json.dumps({"seq": number, "site": "plant-7", "readings": readings}, separators=(",", ":"))


def publish(port, batch):
    body = json.dumps({"batch": batch}, separators=(",", ":")).encode()
    path = "/apps/1/batch_events"
    query = f"auth_key=chorus-key&auth_timestamp={int(time.time())}&auth_version=1.0&body_md5={hashlib.md5(body).hexdigest()}"
    signature = hmac.new(b"chorus-secret", f"POST\n{path}\n{query}".encode(), hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}?{query}&auth_signature={signature}", data=body,
        headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200, response.status


async def subscriber(port, delta, expected_count, reference, stats, ready, done):
    async with websockets.connect(f"ws://127.0.0.1:{port}/app/chorus-key?protocol=7", max_size=None,
                                  compression=None, ping_interval=None) as ws:
        await ws.recv()
        data = {"channel": "telemetry"}
        if delta:
            data["delta"] = True
        await ws.send(json.dumps({"event": "pusher:subscribe", "data": data}))
        while json.loads(await ws.recv())["event"] != "pusher_internal:subscription_succeeded":
            pass
        ready.release()
        base, base_seq, got = None, None, []
        while len(got) < expected_count:
            raw = await ws.recv()
            text = raw.encode() if isinstance(raw, str) else raw
            if text.startswith(b'{"event":"pusher:ping"'):
                await ws.send('{"event":"pusher:pong","data":{}}')
                continue
            stats.received_bytes += len(text)
            if text.startswith(b'{"event":"pusher:delta"'):
                payload = json.loads(json.loads(text)["data"])
                if payload["base_index"] != base_seq:
                    stats.sync_errors += 1
                    await ws.send(json.dumps({"event": "pusher:delta_sync_error", "data": {"channel": "telemetry"}}))
                    got.append(None)
                    continue
                base = fossil_apply(base, base64.b64decode(payload["delta"]))
                base_seq = payload["seq"]
                stats.rebuilt += 1
            else:
                index = text.rfind(SEQ_MARK)
                if delta and index > 0:
                    base_seq = int(text[index + len(SEQ_MARK):-1])
                    base = text[:index] + b"}"
                    stats.full += 1
                else:
                    base = text
            got.append(base)
            stats.full_bytes += len(base)
        if reference is not None:
            reference.extend(got)
        done.append(got)


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=6001)
    parser.add_argument("--subscribers", type=int, default=10000)
    parser.add_argument("--references", type=int, default=2)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "result.json"))
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_NOFILE, (20000, 20000))
    events = args.batches * 10
    delta_stats, plain_stats = Stats(), Stats()
    ready = asyncio.Semaphore(0)
    reference, delta_results, plain_results = [], [], []
    tasks = []
    started = time.monotonic()
    for index in range(args.references):
        tasks.append(asyncio.create_task(subscriber(args.port, False, events, reference if index == 0 else None,
                                                    plain_stats, ready, plain_results)))
    for index in range(args.subscribers):
        tasks.append(asyncio.create_task(subscriber(args.port, True, events, None, delta_stats, ready, delta_results)))
        if index % 200 == 199:
            await asyncio.sleep(0.05)
    for _ in tasks:
        await asyncio.wait_for(ready.acquire(), timeout=300)
    connected = time.monotonic() - started
    loop = asyncio.get_running_loop()
    for batch in range(args.batches):
        items = [{"name": "readings", "channel": "telemetry", "data": event_data(batch * 10 + i)} for i in range(10)]
        await loop.run_in_executor(None, publish, args.port, items)
        await asyncio.sleep(0.5)
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=600)
    for got in delta_results + plain_results:
        for index, message in enumerate(got):
            if message is not None and message != reference[index]:
                delta_stats.mismatches += 1
    result = {
        "scenario": "delta-10k",
        "subscribers_taking_deltas": args.subscribers,
        "reference_subscribers": args.references,
        "events": events,
        "batch_size": 10,
        "event_bytes": len(reference[0]),
        "connect_seconds": round(connected, 1),
        "messages_rebuilt_from_deltas": delta_stats.rebuilt,
        "full_messages_to_delta_subscribers": delta_stats.full,
        "rebuilt_not_equal_to_full_message": delta_stats.mismatches,
        "sync_errors": delta_stats.sync_errors,
        "bytes_received_by_delta_subscribers": delta_stats.received_bytes,
        "bytes_as_full_messages": delta_stats.full_bytes,
        "bytes_saved_percent": round(100 * (1 - delta_stats.received_bytes / delta_stats.full_bytes), 1),
    }
    with open(args.out, "w") as out:
        json.dump(result, out, indent=2)
        out.write("\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
