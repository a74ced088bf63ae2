"""Sockudo's subscription filter forms, sent as sockudo-python 2.2.0 sends them (`tags_filter` for a
tag tree alone, `filter: {events, tags}` with event names), with trees built by the SDK's own
`Filter`, over raw `websockets` (protocol 7); events published with tags through the official
`pusher` SDK. Each subscriber must get exactly the events its filter admits, in order."""
import asyncio
import json

import pytest
import websockets
from sockudo_python import Filter

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

BTC = Filter.eq("symbol", "BTC").to_dict()
# (name, symbol), published in this order; the last one passes every filter below.
EVENTS = [("trade", "ETH"), ("quote", "BTC"), ("halt", "ETH"), ("quote", "ETH"), ("trade", "BTC")]

# Subscribe data members, and the events each admits.
FORMS = {
    "tags_filter": ({"tags_filter": BTC}, ["quote-BTC", "trade-BTC"]),
    "bare filter tree": ({"filter": BTC}, ["quote-BTC", "trade-BTC"]),
    "events": ({"filter": {"events": ["trade"]}}, ["trade-ETH", "trade-BTC"]),
    "events and tags": ({"filter": {"events": ["trade"], "tags": BTC}}, ["trade-BTC"]),
    "tags only": ({"filter": {"tags": Filter.inside("symbol", ["BTC"]).to_dict()}}, ["quote-BTC", "trade-BTC"]),
    "two names": ({"filter": {"events": ["quote", "trade"]}}, ["trade-ETH", "quote-BTC", "quote-ETH", "trade-BTC"]),
    "filter wins over tags_filter": (
        {"filter": {"events": ["quote", "trade"], "tags": BTC}, "tags_filter": Filter.eq("symbol", "ETH").to_dict()},
        ["quote-BTC", "trade-BTC"],
    ),
    "plain": ({}, [f"{name}-{symbol}" for name, symbol in EVENTS]),
}


async def recv(ws, timeout=5):
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def subscribe(chorus, extra, channel="market"):
    ws = await websockets.connect(chorus.ws_url())
    assert (await recv(ws))["event"] == "pusher:connection_established"
    # sockudo-python sends an auth member on every channel, empty on public ones.
    await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"auth": "", "channel": channel, **extra}}))
    return ws


def test_each_form_gets_exactly_what_it_admits(chorus):
    async def scenario():
        sockets = {}
        for label, (extra, _) in FORMS.items():
            sockets[label] = await subscribe(chorus, extra)
            assert (await recv(sockets[label]))["event"] == "pusher_internal:subscription_succeeded", label
        chorus.sdk().trigger_batch([
            {"channel": "market", "name": name, "data": f"{name}-{symbol}", "tags": {"symbol": symbol}}
            for name, symbol in EVENTS
        ])
        for label, (_, expected) in FORMS.items():
            got = [(await recv(sockets[label]))["data"] for _ in expected]
            assert got == expected, label
        for ws in sockets.values():
            await ws.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("extra, message", [
    ({"filter": {"events": ["trade"], "expression": "data.total >= `100`"}},
     "Invalid filter: filter.expression: expression filters are not supported"),
    ({"filter": {"events": [f"e{i}" for i in range(51)]}}, "Invalid filter: filter.events: more than 50 event names"),
    ({"filter": {"events": ["trade", ""]}}, "Invalid filter: filter.events[1]: must be a non-empty string"),
    ({"tags_filter": {"key": "symbol", "cmp": "like", "val": "B"}}, "Invalid filter: tags_filter.cmp: unknown comparison"),
    ({"filter": {"events": ["trade"], "tags": {"op": "xor", "nodes": [BTC]}}},
     "Invalid filter: filter.tags.op: unknown operator 'xor'"),
])
def test_refused_filters_name_the_member(chorus, extra, message):
    async def scenario():
        ws = await subscribe(chorus, extra)
        error = await recv(ws)
        assert error["event"] == "pusher:subscription_error"
        data = json.loads(error["data"])
        assert data["type"] == "InvalidFilter" and data["status"] == 400
        assert data["error"].startswith(message), data["error"]
        await ws.close()

    asyncio.run(scenario())
