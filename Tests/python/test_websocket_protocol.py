"""The WebSocket protocol driven by clients nobody here wrote: the `websockets` package, with
auth signatures from the official `pusher` server SDK."""
import asyncio
import json

import pytest
import websockets

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


async def connect(chorus, **kwargs):
    ws = await websockets.connect(chorus.ws_url(**kwargs))
    established = json.loads(await ws.recv())
    assert established["event"] == "pusher:connection_established"
    data = json.loads(established["data"])  # data is a JSON string
    return ws, data["socket_id"]


async def recv(ws, timeout=5):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


def test_handshake_and_ping(chorus):
    async def scenario():
        ws, socket_id = await connect(chorus)
        assert socket_id.replace(".", "").isdigit() and socket_id.count(".") == 1
        await ws.send(json.dumps({"event": "pusher:ping", "data": {}}))
        assert await recv(ws) == {"event": "pusher:pong", "data": {}}
        pong_waiter = await ws.ping()  # WebSocket-level ping
        await asyncio.wait_for(pong_waiter, 5)
        await ws.close()

    asyncio.run(scenario())


def test_unknown_app_key_is_refused_with_4001(chorus):
    async def scenario():
        ws = await websockets.connect(chorus.ws_url(key="nope"))
        error = json.loads(await ws.recv())
        assert error["event"] == "pusher:error"
        assert error["data"]["code"] == 4001
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await ws.recv()
        assert closed.value.rcvd.code == 4001

    asyncio.run(scenario())


def test_private_and_presence_with_sdk_signatures(chorus):
    sdk = chorus.sdk()

    async def scenario():
        alice, alice_id = await connect(chorus)
        bob, bob_id = await connect(chorus)
        for ws, sid, user in ((alice, alice_id, "alice"), (bob, bob_id, "bob")):
            auth = sdk.authenticate(channel="presence-lobby", socket_id=sid,
                                    custom_data={"user_id": user, "user_info": {"name": user.title()}})
            await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "presence-lobby", **auth}}))
            succeeded = await recv(ws)
            assert succeeded["event"] == "pusher_internal:subscription_succeeded"
        presence = json.loads(succeeded["data"])["presence"]
        assert presence["count"] == 2 and set(presence["ids"]) == {"alice", "bob"}
        added = await recv(alice)
        assert added["event"] == "pusher_internal:member_added"
        assert json.loads(added["data"]) == {"user_id": "bob", "user_info": {"name": "Bob"}}

        auth = sdk.authenticate(channel="private-notes", socket_id=alice_id)
        await alice.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "private-notes", **auth}}))
        assert (await recv(alice))["event"] == "pusher_internal:subscription_succeeded"
        await alice.send(json.dumps({"event": "pusher:subscribe",
                                     "data": {"channel": "private-other", "auth": auth["auth"]}}))
        error = await recv(alice)
        assert error["event"] == "pusher:subscription_error"
        assert json.loads(error["data"])["status"] == 401

        await bob.send(json.dumps({"event": "client-hello", "channel": "presence-lobby", "data": {"hi": 1}}))
        hello = await recv(alice)
        assert hello == {"event": "client-hello", "channel": "presence-lobby", "data": {"hi": 1}, "user_id": "bob"}

        await bob.close()
        removed = await recv(alice)
        assert removed["event"] == "pusher_internal:member_removed"
        assert json.loads(removed["data"]) == {"user_id": "bob"}
        await alice.close()

    asyncio.run(scenario())


def test_sdk_trigger_reaches_websocket_subscriber(chorus):
    sdk = chorus.sdk()

    async def scenario():
        ws, _ = await connect(chorus)
        await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "orders"}}))
        assert (await recv(ws))["event"] == "pusher_internal:subscription_succeeded"
        await asyncio.to_thread(sdk.trigger, "orders", "order-update", {"order_id": 123, "status": "shipped"})
        event = await recv(ws)
        assert event["event"] == "order-update" and event["channel"] == "orders"
        assert json.loads(event["data"]) == {"order_id": 123, "status": "shipped"}
        await ws.close()

    asyncio.run(scenario())


def test_garbage_does_not_hurt_other_connections(chorus):
    async def scenario():
        victim, _ = await connect(chorus)
        attacker, _ = await connect(chorus)
        for junk in ["{", "null", "[]", '{"event":5}', "\u0000" * 10]:
            await attacker.send(junk)
            assert (await recv(attacker))["event"] == "pusher:error"
        await attacker.send(b"\x00\x01binary")
        assert (await recv(attacker))["event"] == "pusher:error"
        await victim.send(json.dumps({"event": "pusher:ping", "data": {}}))
        assert (await recv(victim))["event"] == "pusher:pong"
        await victim.close()
        await attacker.close()

    asyncio.run(scenario())
