"""Sockudo's own Python client SDK (`sockudo-python==2.2.0`), unchanged, against a real `chorus serve`:
its default protocol 2 (`sockudo:` event names) and its protocol 7 mode, on public, private, presence
and encrypted channels, with client events; and protocol 2 on the wire, checked with `websockets`:
renamed system events, Pusher-named and Sockudo-named subscribers side by side on one channel, and
the wire formats refused cleanly."""
import asyncio
import json

import pytest
import websockets
from sockudo_python import (
    ChannelAuthorizationData,
    ChannelAuthorizationOptions,
    SockudoClient,
    SockudoOptions,
)

from conftest import start_chorus

APP = (
    "apps:\n  - {id: 1, key: chorus-key, secret: chorus-secret, client_events_enabled: true,"
    " subscription_count_enabled: true}\napi_requests_per_ip_per_minute: 0\n"
)
MASTER_KEY = "bm90LWEtcmVhbC1rZXktYnV0LTMyLWJ5dGVzLWxvbmc="  # 32 bytes, base64


@pytest.fixture(scope="module")
def server():
    server = start_chorus(APP)
    yield server
    server.stop()


def sdk_client(server, protocol_version=2, user_id=None, **options):
    """A Sockudo SDK client of `server`, authorising private, presence and encrypted channels with
    the official Pusher server SDK (as an app's auth endpoint would)."""
    signer = server.sdk(encryption_master_key_base64=MASTER_KEY)

    async def authorize(request):
        custom = {"user_id": user_id or request.socket_id} if request.channel_name.startswith("presence-") else None
        auth = signer.authenticate(channel=request.channel_name, socket_id=request.socket_id, custom_data=custom)
        return ChannelAuthorizationData(
            auth=auth["auth"], channel_data=auth.get("channel_data"), shared_secret=auth.get("shared_secret")
        )

    return SockudoClient(
        server.key,
        SockudoOptions(
            cluster="local",
            protocol_version=protocol_version,
            ws_host=server.host,
            ws_port=server.port,
            force_tls=False,
            channel_authorization=ChannelAuthorizationOptions(custom_handler=authorize),
            **options,
        ),
    )


class Events:
    """What one SDK channel emitted, by event name, read without blocking the SDK's loop."""

    def __init__(self, channel, *names):
        self.queues = {name: asyncio.Queue() for name in names}
        for name in names:
            channel.bind(name, lambda data, metadata=None, name=name: self.queues[name].put_nowait(data))

    async def next(self, name, timeout=5):
        return await asyncio.wait_for(self.queues[name].get(), timeout)

    def empty(self, name):
        return self.queues[name].empty()


async def connected(client):
    states = asyncio.Queue()
    client.bind("connected", lambda metadata, *_: states.put_nowait(metadata))
    client.bind("error", lambda error, *_: states.put_nowait(error))
    await client.connect()
    result = await asyncio.wait_for(states.get(), 5)
    assert client.connection_state.value == "connected", result
    return client


async def subscribed(client, name, *events, prefix="sockudo"):
    channel = client.subscribe(name)
    inbox = Events(channel, f"{prefix}:subscription_succeeded", "sockudo:subscription_error", *events)
    await inbox.next(f"{prefix}:subscription_succeeded")
    return channel, inbox


@pytest.mark.parametrize("protocol_version, prefix", [(2, "sockudo"), (1, "pusher")])
def test_public_channel_events_in_both_protocols(server, protocol_version, prefix):
    async def scenario():
        client = await connected(sdk_client(server, protocol_version))
        try:
            assert client.socket_id
            _, inbox = await subscribed(client, "prices", "tick", prefix=prefix)
            for price in range(3):
                server.sdk().trigger("prices", "tick", {"price": price})
            assert [await inbox.next("tick") for _ in range(3)] == [{"price": 0}, {"price": 1}, {"price": 2}]
        finally:
            await client.disconnect()

    asyncio.run(scenario())


def test_private_channel_client_events_between_two_sdk_clients(server):
    async def scenario():
        alice, bob = await connected(sdk_client(server)), await connected(sdk_client(server))
        try:
            alices_channel, _ = await subscribed(alice, "private-room")
            _, bobs_inbox = await subscribed(bob, "private-room", "client-typing", "news")
            assert await alices_channel.trigger("client-typing", {"who": "alice"})
            assert await bobs_inbox.next("client-typing") == {"who": "alice"}
            server.sdk().trigger("private-room", "news", "hello")
            assert await bobs_inbox.next("news") == "hello"
        finally:
            await alice.disconnect()
            await bob.disconnect()

    asyncio.run(scenario())


def test_presence_channel_roster_and_member_events(server):
    async def scenario():
        first = await connected(sdk_client(server, user_id="ada"))
        second = await connected(sdk_client(server, user_id="grace"))
        try:
            room, inbox = await subscribed(
                first, "presence-lab", "sockudo:member_added", "sockudo:member_removed"
            )
            assert room.members.count == 1 and room.members.me.id == "ada"
            other, _ = await subscribed(second, "presence-lab")
            assert other.members.count == 2 and other.members.member("ada") is not None
            assert (await inbox.next("sockudo:member_added")).id == "grace"
            await second.disconnect()
            assert (await inbox.next("sockudo:member_removed")).id == "grace"
            assert room.members.count == 1 and room.members.member("grace") is None
        finally:
            await first.disconnect()

    asyncio.run(scenario())


def test_encrypted_channel_is_decrypted_by_the_sdk(server):
    async def scenario():
        client = await connected(sdk_client(server))
        try:
            _, inbox = await subscribed(client, "private-encrypted-vault", "secret")
            server.sdk(encryption_master_key_base64=MASTER_KEY).trigger(
                "private-encrypted-vault", "secret", {"code": 1234}
            )
            assert await inbox.next("secret") == {"code": 1234}
        finally:
            await client.disconnect()

    asyncio.run(scenario())


async def raw(server, protocol, extra=""):
    ws = await websockets.connect(server.ws_url(query=f"protocol={protocol}&client=raw&version=1{extra}"))
    established = json.loads(await ws.recv())
    return ws, established


async def next_message(ws, timeout=5):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


def test_protocol_2_renames_system_events_and_shares_channels_with_protocol_7(server):
    """One presence channel with a protocol 2 and a protocol 7 member: each gets the roster, the
    member events and subscription counts in its own naming; published events are the same."""
    signer = server.sdk()

    async def join(protocol, user):
        ws, established = await raw(server, protocol)
        socket_id = json.loads(established["data"])["socket_id"]
        auth = signer.authenticate(channel="presence-mixed", socket_id=socket_id, custom_data={"user_id": user})
        prefix = "sockudo" if protocol == 2 else "pusher"
        await ws.send(json.dumps({"event": f"{prefix}:subscribe", "data": {"channel": "presence-mixed", **auth}}))
        succeeded = await next_message(ws)
        assert succeeded["event"] == f"{prefix}_internal:subscription_succeeded", succeeded
        return ws, established

    async def scenario():
        v2, established = await join(2, "two")
        assert established["event"] == "sockudo:connection_established"
        v7, established = await join(7, "seven")
        assert established["event"] == "pusher:connection_established"
        added = await next_message(v2)
        assert added["event"] == "sockudo_internal:member_added" and json.loads(added["data"])["user_id"] == "seven"
        signer.trigger("presence-mixed", "note", "same bytes")
        for ws in (v2, v7):
            assert await next_message(ws) == {"event": "note", "channel": "presence-mixed", "data": "same bytes"}
        await v7.close()
        removed = await next_message(v2)
        assert removed["event"] == "sockudo_internal:member_removed", removed

        plain, _ = await raw(server, 2)
        await plain.send(json.dumps({"event": "sockudo:subscribe", "data": {"channel": "counted"}}))
        assert (await next_message(plain))["event"] == "sockudo_internal:subscription_succeeded"
        count = await next_message(plain)
        assert count["event"] == "sockudo_internal:subscription_count", count
        await plain.send(json.dumps({"event": "sockudo:ping", "data": {}}))
        assert (await next_message(plain))["event"] == "sockudo:pong"
        await plain.send(json.dumps({"event": "pusher:ping", "data": {}}))  # either prefix is accepted
        assert (await next_message(plain))["event"] == "sockudo:pong"
        await plain.send(json.dumps({"event": "sockudo:bogus", "data": {}}))
        await plain.send(json.dumps({"event": "no-such-thing", "data": {}}))
        error = await next_message(plain)
        assert error["event"] == "sockudo:error", error
        await close_all(v2, plain)

    asyncio.run(scenario())


async def close_all(*sockets):
    for ws in sockets:
        await ws.close()


@pytest.mark.parametrize("extra", ["&format=messagepack", "&format=protobuf"])
def test_binary_wire_formats_are_refused_with_4007(server, extra):
    async def scenario():
        ws, error = await raw(server, 2, extra)
        assert error["event"] == "sockudo:error"
        assert error["data"]["code"] == 4007 and "format=json" in error["data"]["message"], error
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
        assert closed.value.rcvd.code == 4007

    asyncio.run(scenario())


def test_protocol_2_with_format_json_and_the_sdks_other_parameters_is_served(server):
    async def scenario():
        ws, established = await raw(server, 2, "&format=json&echo_messages=true&append_mode=delta")
        assert established["event"] == "sockudo:connection_established"
        await ws.close()

    asyncio.run(scenario())


def test_sockudo_prefixed_event_names_are_reserved_for_publishers(server):
    with pytest.raises(Exception) as refused:
        server.sdk().trigger("prices", "sockudo:tick", {})
    assert "reserved" in str(refused.value)


def ticker_data(number):
    """The `number`th event of a ticker-like stream: ~600 bytes, a few prices changing each time."""
    quotes = {f"S{i:02}": {"bid": round(100 + i + (number if i % 5 == number % 5 else 0) * 0.01, 2), "ask": 101 + i}
              for i in range(20)}
    return {"seq": number, "venue": "lp-3", "quotes": quotes}


@pytest.mark.parametrize("per_subscription", [False, True])
def test_vcdiff_deltas_are_rebuilt_by_the_sdks_own_decoder(server, per_subscription):
    """The SDK asks for xdelta3 (per connection, or per subscription) and rebuilds every delta with
    its own VCDIFF decoder into exactly the message a plain subscriber got.

    sockudo-python 2.2.0 then fails to hand a rebuilt event to the app: its delta path builds
    `SockudoEvent(...)` without the `stream_id` argument (a TypeError it reports through
    `on_error`) — whichever server sends the delta. The test watches the SDK's decoder output (its
    `handle_full_message`, wrapped, still called) and asserts that bug exactly, so a fixed SDK shows."""
    from sockudo_python import ChannelDeltaSettings, DeltaAlgorithm, DeltaOptions, SubscriptionOptions

    async def scenario():
        plain = await connected(sdk_client(server))
        sdk_errors = []
        options = DeltaOptions(enabled=not per_subscription, algorithms=[DeltaAlgorithm.XDELTA3],
                               on_error=sdk_errors.append)
        deltas = sdk_client(server, delta_compression=options)
        subscription = (
            SubscriptionOptions(delta=ChannelDeltaSettings(enabled=True, algorithm=DeltaAlgorithm.XDELTA3))
            if per_subscription else None
        )
        rebuilt = []
        manager = deltas._delta_manager
        keep_full_message = manager.handle_full_message

        def watched(channel, raw_message, sequence, conflation_key):
            rebuilt.append(raw_message)
            keep_full_message(channel, raw_message, sequence, conflation_key)

        manager.handle_full_message = watched
        confirmations = asyncio.Queue()
        deltas.bind("sockudo:delta_compression_enabled", lambda data, *_: confirmations.put_nowait(data))
        await connected(deltas)
        try:
            _, plain_inbox = await subscribed(plain, "ticker-x", "quote")
            channel = deltas.subscribe("ticker-x", subscription)
            inbox = Events(channel, "sockudo:subscription_succeeded", "quote")
            await inbox.next("sockudo:subscription_succeeded")
            confirmation = await asyncio.wait_for(confirmations.get(), 5)
            assert confirmation["algorithm"] == "xdelta3", confirmation
            if per_subscription:
                assert confirmation["channel"] == "ticker-x"
            for number in range(30):
                server.sdk().trigger("ticker-x", "quote", ticker_data(number))
            expected = [await plain_inbox.next("quote") for _ in range(30)]
            assert expected == [ticker_data(n) for n in range(30)]
            full = [await inbox.next("quote") for _ in range(3)]  # 1 in 10 comes in full
            assert full == [expected[0], expected[10], expected[20]]
            for _ in range(100):
                if len(rebuilt) == 30:
                    break
                await asyncio.sleep(0.05)
            stats = deltas.get_delta_stats()
            assert stats.delta_messages == 27 and stats.errors == 27, stats  # errors: the TypeError below
            for index, text in enumerate(rebuilt):
                if index % 10:  # rebuilt from a delta: the whole message, clean
                    assert json.loads(json.loads(text)["data"]) == expected[index], index
            assert len(sdk_errors) == 27
            assert all("stream_id" in str(error) for error in sdk_errors), sdk_errors[0]
        finally:
            await plain.disconnect()
            await deltas.disconnect()

    asyncio.run(scenario())


def test_unknown_delta_algorithms_are_refused_cleanly(server):
    async def scenario():
        ws, _ = await raw(server, 2)
        await ws.send(json.dumps({"event": "sockudo:enable_delta_compression", "data": {"algorithms": ["brotli"]}}))
        answer = await next_message(ws)
        assert answer["event"] == "sockudo:delta_compression_enabled"
        data = json.loads(answer["data"])
        assert data["enabled"] is False and "brotli" in data["reason"], data
        await ws.send(json.dumps({"event": "sockudo:subscribe", "data": {"channel": "c", "delta": "brotli"}}))
        refused = await next_message(ws)
        assert refused["event"] == "sockudo:subscription_error", refused
        assert json.loads(refused["data"])["type"] == "InvalidDelta"
        await ws.close()

    asyncio.run(scenario())


def test_the_sdks_filter_forms_select_events(server):
    """SubscriptionOptions(filter=…) (sent as `tags_filter`) and SubscriptionOptions(events=…,
    filter=…) (sent as `filter: {events, tags}`), built by the SDK itself, in its default protocol 2."""
    from sockudo_python import Filter, SubscriptionOptions

    async def scenario():
        client = await connected(sdk_client(server))
        try:
            by_tag = client.subscribe("market", SubscriptionOptions(filter=Filter.eq("symbol", "BTC")))
            tagged = Events(by_tag, "sockudo:subscription_succeeded", "trade", "quote")
            by_name = (await connected(sdk_client(server))).subscribe(
                "market", SubscriptionOptions(events=["trade"], filter=Filter.inside("symbol", ["BTC", "ETH"]))
            )
            named = Events(by_name, "sockudo:subscription_succeeded", "trade", "quote")
            await tagged.next("sockudo:subscription_succeeded")
            await named.next("sockudo:subscription_succeeded")
            batch = [
                {"channel": "market", "name": name, "data": json.dumps({"n": n}), "tags": {"symbol": symbol}}
                for n, (name, symbol) in enumerate(
                    [("trade", "BTC"), ("quote", "BTC"), ("trade", "ETH"), ("quote", "ETH"), ("trade", "SOL")]
                )
            ]
            server.sdk().trigger_batch(batch)
            assert [await tagged.next("trade"), await tagged.next("quote")] == [{"n": 0}, {"n": 1}]
            assert [await named.next("trade"), await named.next("trade")] == [{"n": 0}, {"n": 2}]
            server.sdk().trigger("market", "trade", {"n": "untagged"})  # passes no tag filter
            end = {"channel": "market", "name": "trade", "data": json.dumps({"n": "end"}), "tags": {"symbol": "BTC"}}
            server.sdk().trigger_batch([end])
            assert await tagged.next("trade") == {"n": "end"} and await named.next("trade") == {"n": "end"}
            assert tagged.empty("quote") and named.empty("quote")
            await by_name.client.disconnect()
        finally:
            await client.disconnect()

    asyncio.run(scenario())
