"""`max_messages_per_day` across a restart (docs/security.md, "Daily message quota"): the official
`pusher` SDK publishes up to the app's daily quota, gets the 429 `quota_exceeded`, and after a
graceful stop and a start on the same storage (SQLite file, or PostgreSQL database) the quota is
still used up. Each publish counts 1 per channel plus 1 per subscriber. With PostgreSQL, two nodes
of a Redis cluster share one quota: the node that accepts a publish counts its subscribers on every
node, and the other node sees the count at its next flush."""
import asyncio
import json
import random

import pusher
import pytest
import websockets

from conftest import start_chorus
from history_support import BACKENDS, POSTGRES_URL, storage

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LIMIT = 10


def quota_app(app_id):
    return {"id": app_id, "key": f"key-{app_id}", "secret": "quota-secret", "max_messages_per_day": LIMIT}


def quota_config(backend, directory, app_id):
    """One app with a daily quota of LIMIT messages; the per-IP API limit off (config files turn it on)."""
    return json.dumps({
        "api_requests_per_ip_per_minute": 0,
        "storage": storage(backend, directory),
        "apps": [quota_app(app_id)],
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


@pytest.mark.skipif(POSTGRES_URL is None, reason="a cluster shares its quota through PostgreSQL")
def test_a_cluster_on_postgres_shares_one_quota(tmp_path):
    from cluster_support import Cluster, RedisServer, wait_until

    app = quota_app(str(random.randint(10**8, 10**9)))
    redis, cluster = RedisServer(), None
    try:
        redis.start()
        cluster = Cluster(redis, tmp_path)
        with open(cluster.config_path) as handle:
            configuration = json.load(handle)
        configuration.update(api_requests_per_ip_per_minute=0, storage=storage("postgres", tmp_path), apps=[app])
        with open(cluster.config_path, "w") as handle:
            json.dump(configuration, handle)
        a, b = (node.as_app(app) for node in cluster.start("a", "b"))

        async def scenario():
            ws = await subscribed(b, "watched")
            # Node a counts b's subscriber once b's share reached it.
            await asyncio.to_thread(
                wait_until,
                lambda: a.sdk().channel_info("watched", ["subscription_count"]).get("subscription_count") == 1,
                10, 0.1, "node a knowing b's subscriber",
            )
            for index in range(5):  # 2 each, counted by node a: 0, 2, 4, 6, 8 → 10
                a.sdk().trigger("watched", "e", {"n": index})
                event = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert json.loads(event["data"]) == {"n": index}
            assert refused(a.sdk(), "watched")[1]["code"] == "quota_exceeded"
            await ws.close()

        asyncio.run(scenario())

        def b_refuses():
            try:
                b.sdk().trigger("unwatched", "e", {})  # 1 each, until b's flush took a's count
                return False
            except pusher.errors.PusherBadStatus as error:
                assert str(error).startswith("429") and "quota_exceeded" in str(error), error
                return True

        wait_until(b_refuses, 10, 0.1, "node b refusing once a used the quota up")
    finally:
        if cluster is not None:
            cluster.close()
        redis.stop()
