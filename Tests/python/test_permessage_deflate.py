"""permessage-deflate (RFC 7692) against a real `chorus serve`: negotiation variants, broadcast
frames of 1 KB and more compressed once and sent as the same bytes to every subscriber that
negotiated it (inflated correctly by Python `websockets`), compressed client messages inflated under
`max_message_bytes` (a zip bomb gets 1009), and the switch that turns it off."""
import asyncio
import json
import zlib

import pytest
import websockets

from conftest import start_chorus
from raw_websocket import RawClient

DEFLATE_ANSWER = "permessage-deflate; server_no_context_takeover; client_no_context_takeover"
BIG_DATA = json.dumps({"rows": [{"symbol": f"S{i:03}", "bid": 100 + i, "ask": 101 + i} for i in range(60)]})


@pytest.fixture(scope="module")
def server():
    # max_message_bytes is small so the inflated-size cap is cheap to reach at its edge.
    server = start_chorus(
        "apps:\n  - {id: 1, key: chorus-key, secret: chorus-secret, max_event_payload_in_kb: 4}\n"
        "max_message_bytes: 8192\napi_requests_per_ip_per_minute: 0\n"
    )
    yield server
    server.stop()


def extensions_answer(client):
    for line in client.response_head.split("\r\n"):
        name, _, value = line.partition(":")
        if name.lower() == "sec-websocket-extensions":
            return value.strip()
    return None


def deflate(data):
    """A permessage-deflate message body: raw deflate, sync flush, the 00 00 ff ff tail left out."""
    compressor = zlib.compressobj(wbits=-15)
    body = compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)
    assert body.endswith(b"\x00\x00\xff\xff")
    return body[:-4]


def inflate(body):
    return zlib.decompressobj(wbits=-15).decompress(body + b"\x00\x00\xff\xff")


def subscribe(client, channel="ticker"):
    client.send_json({"event": "pusher:subscribe", "data": {"channel": channel}})
    assert client.read_json()["event"] == "pusher_internal:subscription_succeeded"


@pytest.mark.parametrize(
    "offer, answer",
    [
        ("permessage-deflate", DEFLATE_ANSWER),
        ("permessage-deflate; client_max_window_bits", DEFLATE_ANSWER),
        ("permessage-deflate; client_no_context_takeover; client_max_window_bits=12", DEFLATE_ANSWER),
        ("permessage-deflate; server_max_window_bits=15", DEFLATE_ANSWER + "; server_max_window_bits=15"),
        ("permessage-deflate; server_max_window_bits=10, permessage-deflate", DEFLATE_ANSWER),
        ("permessage-deflate; server_max_window_bits=10", None),
        ("permessage-deflate; bogus", None),
        ("x-webkit-deflate-frame", None),
        (None, None),
    ],
)
def test_negotiation(server, offer, answer):
    client = RawClient(server, extensions=offer)
    assert extensions_answer(client) == answer


def test_big_broadcasts_are_compressed_once_and_the_same_bytes_reach_every_deflate_subscriber(server):
    deflating = [RawClient(server, extensions="permessage-deflate; client_max_window_bits") for _ in range(5)]
    plain = RawClient(server)
    for client in deflating + [plain]:
        subscribe(client)
    server.sdk().trigger("ticker", "prices", BIG_DATA)
    server.sdk().trigger("ticker", "small", {"n": 1})
    frames = [client.read_frame_with_flags() for client in deflating]
    first_byte, body = frames[0]
    assert first_byte == 0xC1  # FIN + RSV1 + text
    assert all(frame == frames[0] for frame in frames), "every deflate subscriber gets the same compressed bytes"
    message = json.loads(inflate(body))
    assert message["event"] == "prices" and message["data"] == BIG_DATA
    assert len(body) < len(json.dumps(message)) / 2
    plain_first, plain_body = plain.read_frame_with_flags()
    assert plain_first == 0x81 and json.loads(plain_body) == message
    # Under 1 KB: sent uncompressed (RSV1 clear) even to deflate subscribers.
    small_first, small_body = deflating[0].read_frame_with_flags()
    assert small_first == 0x81 and json.loads(small_body)["event"] == "small"


def test_python_websockets_negotiates_and_inflates_shared_frames(server):
    async def scenario():
        async with websockets.connect(server.ws_url()) as ws:
            assert json.loads(await ws.recv())["event"] == "pusher:connection_established"
            assert ws.response.headers["Sec-WebSocket-Extensions"] == DEFLATE_ANSWER
            await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "ws-ticker"}}))
            assert json.loads(await ws.recv())["event"] == "pusher_internal:subscription_succeeded"
            await asyncio.to_thread(server.sdk().trigger, "ws-ticker", "prices", BIG_DATA)
            message = json.loads(await ws.recv())
            assert message["event"] == "prices" and message["data"] == BIG_DATA

    asyncio.run(scenario())


def test_compressed_client_messages_are_inflated_also_when_fragmented(server):
    client = RawClient(server, extensions="permessage-deflate")
    body = deflate(json.dumps({"event": "pusher:subscribe", "data": {"channel": "zipped"}}).encode())
    client.send(RawClient.frame(1, body[:5], fin=False, rsv=4) + RawClient.frame(0, body[5:]))
    assert client.read_json()["event"] == "pusher_internal:subscription_succeeded"
    client.send(RawClient.frame(1, deflate(b'{"event":"pusher:ping","data":{}}'), rsv=4))
    assert client.read_json()["event"] == "pusher:pong"


def padded_ping(size):
    """A pusher:ping message of exactly `size` bytes."""
    empty = b'{"event":"pusher:ping","data":{"pad":""}}'
    return empty[:-3] + b"x" * (size - len(empty)) + empty[-3:]


def test_inflated_size_cap_at_its_edge(server):
    at_cap = RawClient(server, extensions="permessage-deflate")
    at_cap.send(RawClient.frame(1, deflate(padded_ping(8192)), rsv=4))
    assert at_cap.read_json()["event"] == "pusher:pong"
    over_cap = RawClient(server, extensions="permessage-deflate")
    over_cap.send(RawClient.frame(1, deflate(padded_ping(8193)), rsv=4))
    assert over_cap.close_code() == 1009


def test_a_zip_bomb_gets_1009(server):
    client = RawClient(server, extensions="permessage-deflate")
    bomb = deflate(b"\x20" * (64 * 1024 * 1024))  # 64 MB of spaces in about 64 KB
    bomb = bomb[:8000]  # what fits in one message: still inflates far past the cap
    client.send(RawClient.frame(1, bomb, rsv=4))
    assert client.close_code() == 1009
    # The server is still serving.
    assert RawClient(server, extensions="permessage-deflate").socket_id


def test_corrupt_compressed_data_gets_1007(server):
    client = RawClient(server, extensions="permessage-deflate")
    client.send(RawClient.frame(1, b"\xff\xff\xff\xff\xff", rsv=4))
    assert client.close_code() == 1007


@pytest.mark.parametrize(
    "frame",
    [
        RawClient.frame(9, b"x", rsv=4),  # a control frame may not be compressed
        RawClient.frame(1, b"ab", fin=False) + RawClient.frame(0, b"c", rsv=4),  # RSV1 on a continuation
        RawClient.frame(1, b"{}", rsv=2),  # RSV2 means nothing here
    ],
)
def test_reserved_bits_outside_the_extension_get_1002(server, frame):
    client = RawClient(server, extensions="permessage-deflate")
    client.send(frame)
    assert client.close_code() == 1002


def test_compressed_message_without_negotiation_gets_1002(server):
    client = RawClient(server)
    client.send(RawClient.frame(1, deflate(b'{"event":"pusher:ping","data":{}}'), rsv=4))
    assert client.close_code() == 1002


def test_the_switch_turns_it_off():
    server = start_chorus("apps:\n  - {id: 1, key: chorus-key, secret: chorus-secret}\npermessage_deflate: false\n")
    try:
        client = RawClient(server, extensions="permessage-deflate; client_max_window_bits")
        assert extensions_answer(client) is None
    finally:
        server.stop()
