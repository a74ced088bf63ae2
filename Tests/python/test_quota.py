"""`max_messages_per_day` across a restart (docs/security.md, "Daily message quota"): the official
`pusher` SDK publishes up to the app's daily quota, gets the 429 `quota_exceeded`, and after a
graceful stop and a start on the same storage (SQLite file, or PostgreSQL database) the quota is
still used up. Each publish counts 1 per channel plus 1 per subscriber."""
import asyncio
import json
import random

import pusher
import pytest
import websockets

from conftest import start_chorus
from history_support import BACKENDS, storage

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LIMIT = 10


def quota_config(backend, directory, app_id):
    """One app with a daily quota of LIMIT messages; the per-IP API limit off (config files turn it on)."""
    return json.dumps({
        "api_requests_per_ip_per_minute": 0,
        "storage": storage(backend, directory),
        "apps": [{"id": app_id, "key": f"key-{app_id}", "secret": "quota-secret", "max_messages_per_day": LIMIT}],
    })


def start(backend, directory, app_id):
    server = start_chorus(quota_config(backend, directory, app_id))
    server.app_id, server.key, server.secret = app_id, f"key-{app_id}", "quota-secret"
    return server


def refused(sdk, channel):
    """The 429 of a publish over the quota, as the SDK reports it: (status line, JSON body)."""
    with pytest.raises(pusher.errors.PusherBadStatus) as error:
        sdk.trigger(channel, "e", {"over": True})
    status, _, body = str(error.value).partition(": ")
    return status, json.loads(body)


async def subscribed(server, channel):
    ws = await websockets.connect(server.ws_url())
    assert json.loads(await ws.recv())["event"] == "pusher:connection_established"
    await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": channel}}))
    assert json.loads(await ws.recv())["event"] == "pusher_internal:subscription_succeeded"
    return ws


@pytest.mark.parametrize("backend", BACKENDS)
def test_quota_edge_and_restart(backend, tmp_path):
    # An app id of its own: runs sharing one PostgreSQL database never add to each other's counts.
    app_id = str(random.randint(10**8, 10**9))
    server = start(backend, tmp_path, app_id)
    try:
        sdk = server.sdk()

        async def publish_to_the_edge():
            ws = await subscribed(server, "watched")
            # 1 channel + 1 subscriber = 2 a publish: the count goes 0, 2, 4, 6, 8 → 10; the fifth
            # starts at 8 (under 10) and is delivered, the sixth starts at 10 and is refused.
            for index in range(5):
                sdk.trigger("watched", "e", {"n": index})
                event = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert (event["event"], json.loads(event["data"])) == ("e", {"n": index})
            status, body = refused(sdk, "watched")
            assert status == "429" and body["code"] == "quota_exceeded", body
            assert f"max_messages_per_day = {LIMIT}" in body["error"] and "00:00 UTC" in body["error"]
            try:
                extra = await asyncio.wait_for(ws.recv(), 0.3)
                raise AssertionError(f"a refused publish was delivered: {extra}")
            except asyncio.TimeoutError:
                pass
            await ws.close()

        asyncio.run(publish_to_the_edge())
    finally:
        server.stop()  # SIGTERM: a graceful stop writes the counts

    restarted = start(backend, tmp_path, app_id)
    try:
        status, body = refused(restarted.sdk(), "unwatched")
        assert status == "429" and body["code"] == "quota_exceeded", body
    finally:
        restarted.stop()

    # Another app of the same storage has its own count.
    other_id = str(random.randint(10**8, 10**9))
    other = start(backend, tmp_path, other_id)
    try:
        assert other.sdk().trigger("c", "e", {"first": True}) == {}
    finally:
        other.stop()
