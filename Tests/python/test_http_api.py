"""The signed HTTP API driven by the official `pusher` server SDK against `chorus serve`, with
real WebSocket subscribers (the `websockets` package) receiving what it triggers."""
import asyncio
import json

import pusher
import pytest
import websockets

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def connect(chorus):
    ws = await websockets.connect(chorus.ws_url())
    established = json.loads(await ws.recv())
    assert established["event"] == "pusher:connection_established"
    return ws, json.loads(established["data"])["socket_id"]


async def recv(ws, timeout=5):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def expect_silence(ws, window=0.3):
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(ws.recv(), window)


async def subscribe(ws, channel, auth=None, channel_data=None):
    data = {"channel": channel}
    if auth is not None:
        data["auth"] = auth
    if channel_data is not None:
        data["channel_data"] = channel_data
    await ws.send(json.dumps({"event": "pusher:subscribe", "data": data}))
    reply = await recv(ws)
    assert reply["event"] == "pusher_internal:subscription_succeeded", reply
    assert reply["channel"] == channel
    return reply


async def join_presence(chorus, sdk, channel, user_id):
    ws, socket_id = await connect(chorus)
    auth = sdk.authenticate(channel=channel, socket_id=socket_id, custom_data={"user_id": user_id})
    await subscribe(ws, channel, auth["auth"], auth["channel_data"])
    return ws


async def sign_in(chorus, sdk, user_id):
    ws, socket_id = await connect(chorus)
    auth = sdk.authenticate_user(socket_id, {"id": user_id})
    await ws.send(json.dumps({"event": "pusher:signin", "data": auth}))
    assert (await recv(ws))["event"] == "pusher:signin_success"
    return ws


def test_trigger_reaches_a_subscriber_and_respects_socket_id(chorus):
    sdk = chorus.sdk()

    async def scenario():
        ws, socket_id = await connect(chorus)
        other, _ = await connect(chorus)
        await subscribe(ws, "orders")
        await subscribe(other, "orders")
        assert sdk.trigger("orders", "order-update", {"order_id": 123}) == {}
        message = await recv(ws)
        assert message["event"] == "order-update" and message["channel"] == "orders"
        assert json.loads(message["data"]) == {"order_id": 123}
        await recv(other)
        assert sdk.trigger(["orders"], "echo", "plain text", socket_id=socket_id) == {}
        assert (await recv(other))["data"] == "plain text"
        await expect_silence(ws)
        await ws.close()
        await other.close()

    asyncio.run(scenario())


def test_trigger_batch_in_order(chorus):
    sdk = chorus.sdk()

    async def scenario():
        ws, _ = await connect(chorus)
        await subscribe(ws, "batch-room")
        batch = [{"channel": "batch-room", "name": f"e{i}", "data": {"i": i}} for i in range(10)]
        assert sdk.trigger_batch(batch) == {}
        for i in range(10):
            message = await recv(ws)
            assert message["event"] == f"e{i}"
            assert json.loads(message["data"]) == {"i": i}
        with pytest.raises(pusher.errors.PusherBadRequest):
            sdk.trigger_batch([{"channel": "batch-room", "name": "n", "data": "x"}] * 11)
        await expect_silence(ws)
        await ws.close()

    asyncio.run(scenario())


def test_channels_info_channel_info_and_users_info(chorus):
    sdk = chorus.sdk()

    async def scenario():
        alice = await join_presence(chorus, sdk, "presence-lobby", "alice")
        bob = await join_presence(chorus, sdk, "presence-lobby", "bob")
        news, _ = await connect(chorus)
        await subscribe(news, "news-sdk")
        listed = sdk.channels_info(prefix_filter="presence-", attributes=["user_count"])
        assert listed == {"channels": {"presence-lobby": {"user_count": 2}}}
        assert "news-sdk" in sdk.channels_info()["channels"]
        info = sdk.channel_info("presence-lobby", ["subscription_count", "user_count"])
        assert info == {"occupied": True, "subscription_count": 2, "user_count": 2}
        assert sdk.channel_info("nobody-here") == {"occupied": False}
        users = sdk.users_info("presence-lobby")
        assert sorted(user["id"] for user in users["users"]) == ["alice", "bob"]
        with pytest.raises(pusher.errors.PusherBadRequest):
            sdk.users_info("news-sdk")
        with pytest.raises(pusher.errors.PusherBadRequest):
            sdk.channels_info(attributes=["user_count"])
        for ws in (alice, bob, news):
            await ws.close()

    asyncio.run(scenario())


def test_authenticate_private_channel_is_accepted(chorus):
    sdk = chorus.sdk()

    async def scenario():
        ws, socket_id = await connect(chorus)
        auth = sdk.authenticate(channel="private-sdk", socket_id=socket_id)
        await subscribe(ws, "private-sdk", auth["auth"])
        assert sdk.trigger("private-sdk", "secret", "s") == {}
        assert (await recv(ws))["event"] == "secret"
        await ws.close()

    asyncio.run(scenario())


def test_authenticate_user_and_terminate_user_connections(chorus):
    sdk = chorus.sdk()

    async def scenario():
        first = await sign_in(chorus, sdk, "u-42")
        second = await sign_in(chorus, sdk, "u-42")
        bystander = await sign_in(chorus, sdk, "u-43")
        assert sdk.trigger("#server-to-user-u-42", "notice", "hi") == {}
        for ws in (first, second):
            message = await recv(ws)
            assert message["event"] == "notice" and message["channel"] == "#server-to-user-u-42"
        assert sdk.terminate_user_connections("u-42") == {}
        for ws in (first, second):
            error = await recv(ws)
            assert error["event"] == "pusher:error" and error["data"]["code"] == 4009
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd.code == 4009
        await expect_silence(bystander)
        await bystander.close()

    asyncio.run(scenario())


def test_errors_map_to_sdk_exceptions(chorus):
    with pytest.raises(pusher.errors.PusherBadAuth):
        chorus.sdk(secret="wrong").trigger("orders", "e", "x")
    with pytest.raises(pusher.errors.PusherBadAuth):
        chorus.sdk(key="unknown-key").channels_info()
    with pytest.raises(pusher.errors.PusherBadRequest):
        chorus.sdk().trigger("orders", "pusher:reserved", "x")
    with pytest.raises(pusher.errors.PusherBadStatus) as not_found:
        chorus.sdk(app_id="999").trigger("orders", "e", "x")
    assert str(not_found.value).startswith("404")


def test_rate_limit_and_disabled_app():
    from conftest import start_chorus

    server = start_chorus(
        "apps:\n"
        "  - {id: 1, key: chorus-key, secret: chorus-secret, max_api_requests_per_window: 2}\n"
        "  - {id: 2, key: off-key, secret: off-secret, enabled: false}\n"
    )
    try:
        sdk = server.sdk()
        assert sdk.channels_info() == {"channels": {}}
        assert sdk.channels_info() == {"channels": {}}
        with pytest.raises(pusher.errors.PusherBadStatus) as limited:
            sdk.channels_info()
        assert str(limited.value).startswith("429")
        with pytest.raises(pusher.errors.PusherForbidden):
            server.sdk(app_id="2", key="off-key", secret="off-secret").trigger("c", "e", "x")
    finally:
        server.stop()
