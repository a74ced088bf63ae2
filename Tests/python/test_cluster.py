"""Three `chorus serve` nodes on one real Redis behave as one server (issue #17): clients nobody here
wrote (`websockets`, the official `pusher` server SDK) on different nodes than the one that publishes.

Most tests share one cluster (nodes a, b, c) and keep apart by channel and user names; the ones that
kill a node or Redis get a cluster of their own. Every wait has a deadline; the few silence windows
only check that a duplicate or a wrong delivery does not follow the right one."""
import asyncio
import json
import time
import uuid

import pusher
import pytest
import websockets

from cluster_support import (
    COUNTED_APP, SMALL_PRESENCE_APP, Cluster, RedisServer, WebhookLog, free_port, http_status, running_cluster, wait_until,
)
from history_support import sockudo
from sockudo_http_python import TriggerOptions
from test_http_api import connect, expect_silence, recv, sign_in, subscribe
from test_webhooks import Receiver

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

QUERY_LAG = 5  # seconds the query API may lag (issue #17)
NODE_DEATH_BOUND = 15  # seconds after kill -9 (goal 10, hard limit 60)
REDIS_RETURN_BOUND = 10  # seconds after Redis is back until nodes relay again


@pytest.fixture(scope="module")
def webhooks():
    receiver = Receiver()
    yield receiver, WebhookLog(receiver)
    receiver.stop()


@pytest.fixture(scope="module")
def cluster(webhooks, tmp_path_factory):
    """Nodes a, b and c on one Redis, with webhooks of app 1 going to `webhooks`."""
    with running_cluster(tmp_path_factory.mktemp("cluster"), webhook_url=webhooks[0].url) as (_, group, nodes):
        yield group, nodes


@pytest.fixture
def own_cluster(webhooks, tmp_path):
    """A cluster of its own, for a test that kills a node or Redis."""
    with running_cluster(tmp_path, webhook_url=webhooks[0].url) as running:
        yield running


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def poll(check, timeout, message):
    """`wait_until` off the event loop, so the sockets keep reading meanwhile."""
    return await asyncio.to_thread(wait_until, check, timeout, 0.1, message)


async def join(node, channel, user_id):
    """A new connection to `node` joined to presence `channel` as `user_id`: (socket, presence data)."""
    ws, socket_id = await connect(node)
    auth = node.sdk().authenticate(channel=channel, socket_id=socket_id, custom_data={"user_id": user_id})
    reply = await subscribe(ws, channel, auth["auth"], auth["channel_data"])
    return ws, json.loads(reply["data"])["presence"]


async def known_on(nodes, channel, *user_ids):
    """Waits until every node in `nodes` lists `user_ids` in `channel`. A roster is cluster-wide once
    the joining node's share has reached the node (docs/scale-out.md), so a test that asserts on a
    roster built right after a join on another node waits for that first."""
    def lists_all(node):
        present = {user["id"] for user in node.sdk().users_info(channel)["users"]}
        return set(user_ids) <= present
    for node in nodes:
        await poll(lambda node=node: lists_all(node), QUERY_LAG, f"{user_ids} known on node {node.name}")


async def subscriber(node, channel):
    ws, _ = await connect(node)
    await subscribe(ws, channel)
    return ws


async def next_event(ws, name, timeout=5):
    """The next message, which must be `name`."""
    message = await recv(ws, timeout)
    assert message["event"] == name, message
    return message


async def member_event(ws, name, timeout=5):
    """The user id of the next message, which must be `pusher_internal:member_{name}`."""
    return json.loads((await next_event(ws, f"pusher_internal:member_{name}", timeout))["data"])["user_id"]


def data_of(message):
    """A message's data as a value, whether the server sent it as an object or as JSON text."""
    data = message["data"]
    return json.loads(data) if isinstance(data, str) else data


async def close_all(*sockets):
    for ws in sockets:
        await ws.close()


class Inbox:
    """Everything one socket receives, read by a task of its own so that nothing waits on the test."""

    def __init__(self, ws):
        self.ws = ws
        self.messages = []
        self.closed = None
        self.task = asyncio.create_task(self.read())

    async def read(self):
        try:
            async for text in self.ws:
                self.messages.append(json.loads(text))
        except websockets.ConnectionClosed as closed:
            self.closed = closed
        else:
            self.closed = "closed"

    def named(self, name):
        return [message for message in self.messages if message["event"] == name]

    async def wait(self, check, timeout, message):
        deadline = time.monotonic() + timeout
        while not check():
            assert self.closed is None, f"socket closed while waiting for {message}: {self.closed}"
            assert time.monotonic() < deadline, f"{message} not received within {timeout} s: {self.messages[-5:]}"
            await asyncio.sleep(0.02)


def test_exactly_once_and_same_order_across_nodes(cluster):
    _, (a, b, c) = cluster
    channel = unique("ordered")
    count = 200

    async def scenario():
        sockets = [await subscriber(node, channel) for node in (a, b, b, c, c)]
        inboxes = [Inbox(ws) for ws in sockets]

        def publish():
            sdks = {"a": a.sdk(), "b": b.sdk()}
            for i in range(count):
                via = "b" if i % 4 == 3 else "a"
                event = {"i": i, "via": via}
                if i % 8 == 7:
                    assert sdks[via].trigger_batch([{"channel": channel, "name": "seq", "data": event}]) == {}
                else:
                    assert sdks[via].trigger(channel, "seq", event) == {}

        await asyncio.to_thread(publish)
        for inbox in inboxes:
            await inbox.wait(lambda inbox=inbox: len(inbox.messages) >= count, 10, f"{count} events")
        await asyncio.sleep(0.5)  # room for duplicates to show
        sequences = []
        for inbox in inboxes:
            assert all(m["event"] == "seq" and m["channel"] == channel for m in inbox.messages)
            sequences.append([json.loads(m["data"]) for m in inbox.messages])
        for sequence in sequences:
            numbers = [event["i"] for event in sequence]
            assert len(numbers) == count and sorted(numbers) == list(range(count)), "lost or duplicated events"
            for via in ("a", "b"):
                mine = [event["i"] for event in sequence if event["via"] == via]
                assert mine == sorted(mine), f"events published one by one via {via} arrive out of order"
        assert all(sequence == sequences[0] for sequence in sequences), "subscribers saw different orders"
        await close_all(*sockets)

    asyncio.run(scenario())


def test_socket_id_exclusion_across_nodes(cluster):
    _, (a, b, c) = cluster
    channel = unique("exclude")

    async def scenario():
        publisher_ws, publisher_socket = await connect(b)
        await subscribe(publisher_ws, channel)
        others = [await subscriber(node, channel) for node in (a, b, c)]
        assert a.sdk().trigger(channel, "first", "not for the publisher", socket_id=publisher_socket) == {}
        for ws in others:
            assert (await next_event(ws, "first"))["data"] == "not for the publisher"
        assert a.sdk().trigger(channel, "second", "for everyone") == {}
        assert (await recv(publisher_ws))["event"] == "second", "the excluded socket got the first event"
        for ws in others:
            await next_event(ws, "second")
        await close_all(publisher_ws, *others)

    asyncio.run(scenario())


def test_client_events_reach_other_nodes_not_the_sender(cluster):
    _, (a, b, c) = cluster
    channel = unique("private-chat")
    sdk = a.sdk()

    async def scenario():
        sockets = []
        for node in (a, a, b, c):
            ws, socket_id = await connect(node)
            await subscribe(ws, channel, sdk.authenticate(channel=channel, socket_id=socket_id)["auth"])
            sockets.append(ws)
        sender, others = sockets[0], sockets[1:]
        await sender.send(json.dumps({"event": "client-typing", "channel": channel, "data": {"who": "sender"}}))
        for ws in others:
            message = await next_event(ws, "client-typing")
            assert message["channel"] == channel and message["data"] == {"who": "sender"}
        assert sdk.trigger(channel, "marker", "m") == {}
        assert (await recv(sender))["event"] == "marker", "the sender got its own client event"
        await close_all(*sockets)

    asyncio.run(scenario())


def test_presence_across_nodes(cluster):
    _, (a, b, c) = cluster
    channel = unique("presence-room")

    async def scenario():
        u1_on_a, roster = await join(a, channel, "u1")
        assert roster["ids"] == ["u1"]
        await known_on([b], channel, "u1")
        u2_on_b, roster = await join(b, channel, "u2")
        assert roster["count"] == 2 and sorted(roster["ids"]) == ["u1", "u2"], roster
        assert await member_event(u1_on_a, "added") == "u2"

        await known_on([c], channel, "u1", "u2")
        u1_on_c, roster = await join(c, channel, "u1")
        assert roster["count"] == 2 and sorted(roster["ids"]) == ["u1", "u2"], roster
        await expect_silence(u2_on_b, 1.0)  # u1's second connection is no new member
        await expect_silence(u1_on_a, 0.1)
        await poll(lambda: c.sdk().channel_info(channel, ["user_count"]).get("user_count") == 2, QUERY_LAG,
                   "user_count 2 from node c")

        await u1_on_a.close()
        await expect_silence(u2_on_b, 1.0)  # u1 is still there, on c
        await u1_on_c.close()
        assert await member_event(u2_on_b, "removed") == "u1"
        await u2_on_b.close()

    asyncio.run(scenario())


def test_max_presence_members_is_cluster_wide(cluster):
    _, (a, b, c) = cluster
    a, b, c = (node.as_app(SMALL_PRESENCE_APP) for node in (a, b, c))
    channel = unique("presence-small")

    async def scenario():
        v1, _ = await join(a, channel, "v1")
        v2, _ = await join(b, channel, "v2")
        assert await member_event(v1, "added") == "v2"
        await known_on([c], channel, "v1", "v2")
        third, socket_id = await connect(c)
        auth = c.sdk().authenticate(channel=channel, socket_id=socket_id, custom_data={"user_id": "v3"})
        await third.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": channel, **auth}}))
        refusal = await recv(third)
        assert refusal["event"] == "pusher:subscription_error", refusal
        data = data_of(refusal)
        assert data["status"] == 403 and data["type"] == "LimitReached", data
        await expect_silence(v1, 0.5)  # nobody saw v3 join
        await close_all(v1, v2, third)

    asyncio.run(scenario())


def test_query_api_is_cluster_wide_from_any_node(cluster):
    _, (a, b, c) = cluster
    channel = unique("query")
    presence = unique("presence-query")

    def answers(node, subscriptions, users):
        sdk = node.sdk()
        listed = sdk.channels_info(prefix_filter=channel)["channels"]
        info = sdk.channel_info(channel, ["subscription_count"])
        if subscriptions == 0:
            assert listed == {} and not info["occupied"] and info.get("subscription_count", 0) == 0, (listed, info)
            return True
        members = sorted(user["id"] for user in sdk.users_info(presence)["users"])
        counted = sdk.channels_info(prefix_filter=presence, attributes=["user_count"])
        assert listed == {channel: {}}, listed
        assert info == {"occupied": True, "subscription_count": subscriptions}, info
        assert members == users, members
        assert counted == {"channels": {presence: {"user_count": len(users)}}}, counted
        return True

    async def scenario():
        subscribers = [await subscriber(node, channel) for node in (a, b, b, b, b)]
        members = [(await join(a, presence, "q1"))[0], (await join(b, presence, "q2"))[0]]
        for node in (a, b, c):
            await poll(lambda node=node: answers(node, 5, ["q1", "q2"]), QUERY_LAG, f"counts from node {node.name}")
        await asyncio.gather(*(ws.close() for ws in subscribers + members))  # leaving at the same moment
        for node in (c, a):
            await poll(lambda node=node: answers(node, 0, []), QUERY_LAG, f"empty channel from node {node.name}")

    asyncio.run(scenario())


def test_sockets_of_one_node_leaving_together_are_gone_everywhere(cluster):
    """Many sockets of node b closing at the same moment (two event loops): the other nodes end with
    b's share of each channel at zero, whichever order the departures were reported in."""
    _, (a, b, c) = cluster
    channels = [unique("leaving") for _ in range(10)]
    rooms = [unique("presence-leaving") for _ in range(5)]

    def listed(node):
        return [name for name in node.sdk().channels_info(prefix_filter="leaving-")["channels"] if name in channels]

    def none_left(node):
        left = {name: node.sdk().channel_info(name, ["subscription_count"]) for name in listed(node)}
        members = {room: [user["id"] for user in node.sdk().users_info(room)["users"]] for room in rooms}
        left.update({room: ids for room, ids in members.items() if ids != ["watcher"]})
        assert left == {}, f"still there: {left}"
        return True

    async def scenario():
        sockets = [await subscriber(b, channel) for channel in channels for _ in range(3)]
        watchers = [(await join(a, room, "watcher"))[0] for room in rooms]
        sockets += [(await join(b, room, f"m{i}"))[0] for room in rooms for i in range(3)]
        for node in (a, c):
            await poll(lambda node=node: len(listed(node)) == len(channels), QUERY_LAG, f"channels on {node.name}")
        for ws in watchers:
            assert sorted([await member_event(ws, "added") for _ in range(3)]) == ["m0", "m1", "m2"]
        await asyncio.gather(*(ws.close() for ws in sockets))
        for ws in watchers:
            assert sorted([await member_event(ws, "removed") for _ in range(3)]) == ["m0", "m1", "m2"]
        for node in (b, a, c):
            await poll(lambda node=node: none_left(node), QUERY_LAG, f"nothing of b's left on node {node.name}")
        await close_all(*watchers)

    asyncio.run(scenario())


def test_subscription_counts_are_cluster_wide(cluster, webhooks):
    _, (a, b, _) = cluster
    a, b = a.as_app(COUNTED_APP), b.as_app(COUNTED_APP)
    _, log = webhooks
    channel = unique("counted")

    async def counts_until(ws, expected):
        seen = []
        while expected not in seen:
            message = await recv(ws, QUERY_LAG)
            assert message["event"] == "pusher_internal:subscription_count", message
            seen.append(data_of(message)["subscription_count"])
        return seen

    async def scenario():
        first = await subscriber(a, channel)
        await counts_until(first, 1)
        second = await subscriber(b, channel)
        for ws in (first, second):
            await counts_until(ws, 2)
        await asyncio.to_thread(log.wait_once, name="subscription_count", channel=channel, subscription_count=2)
        await second.close()
        await counts_until(first, 1)
        await first.close()

    asyncio.run(scenario())


async def sign_in_watching(node, user_id, watchlist):
    ws, socket_id = await connect(node)
    auth = node.sdk().authenticate_user(socket_id, {"id": user_id, "watchlist": watchlist})
    await ws.send(json.dumps({"event": "pusher:signin", "data": auth}))
    await next_event(ws, "pusher:signin_success")
    return ws


async def watchlist_events(ws):
    return data_of(await next_event(ws, "pusher_internal:watchlist_events"))["events"]


def test_watchlists_across_nodes(cluster):
    _, (a, b, c) = cluster
    watched = unique("watched")

    async def scenario():
        early = await sign_in_watching(a, unique("watcher"), [watched])
        target = await sign_in(b, b.sdk(), watched)
        assert await watchlist_events(early) == [{"name": "online", "user_ids": [watched]}]
        late = await sign_in_watching(c, unique("watcher"), [watched])
        assert await watchlist_events(late) == [{"name": "online", "user_ids": [watched]}]
        await target.close()
        for ws in (early, late):
            assert await watchlist_events(ws) == [{"name": "offline", "user_ids": [watched]}]
        await close_all(early, late)

    asyncio.run(scenario())


def test_terminate_connections_across_nodes(cluster):
    _, (a, b, c) = cluster
    user = unique("t")

    async def scenario():
        on_b = await sign_in(b, b.sdk(), user)
        on_c = await sign_in(c, c.sdk(), user)
        bystander = await sign_in(b, b.sdk(), unique("other"))
        assert a.sdk().terminate_user_connections(user) == {}
        for ws in (on_b, on_c):
            error = await recv(ws)
            assert error["event"] == "pusher:error" and error["data"]["code"] == 4009, error
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd.code == 4009
        await expect_silence(bystander)
        await bystander.close()

    asyncio.run(scenario())


def test_server_to_user_events_across_nodes(cluster):
    _, (a, b, c) = cluster
    user = unique("s")

    async def scenario():
        sockets = [await sign_in(node, node.sdk(), user) for node in (b, c)]
        bystander = await sign_in(c, c.sdk(), unique("other"))
        assert a.sdk().send_to_user(user, "notice", {"n": 1}) == {}
        assert a.sdk().trigger(f"#server-to-user-{user}", "notice", {"n": 2}) == {}
        for ws in sockets:
            for n in (1, 2):
                message = await next_event(ws, "notice")
                assert message["channel"] == f"#server-to-user-{user}" and json.loads(message["data"]) == {"n": n}
        await expect_silence(bystander)
        await close_all(bystander, *sockets)

    asyncio.run(scenario())


def test_cache_channels_replay_on_another_node(cluster):
    _, (a, b, c) = cluster
    watched, unwatched, empty = unique("cache-watched"), unique("cache-alone"), unique("cache-empty")

    async def scenario():
        early = await subscriber(b, watched)
        assert (await recv(early))["event"] == "pusher:cache_miss"
        assert a.sdk().trigger(watched, "price", {"p": 1}) == {}
        assert json.loads((await next_event(early, "price"))["data"]) == {"p": 1}
        assert a.sdk().trigger(unwatched, "price", {"p": 2}) == {}
        for channel, expected in ((watched, {"p": 1}), (unwatched, {"p": 2})):
            late = await subscriber(c, channel)
            replayed = await next_event(late, "price")
            assert replayed["channel"] == channel and json.loads(replayed["data"]) == expected
            await late.close()
        late = await subscriber(c, empty)
        assert (await recv(late))["event"] == "pusher:cache_miss"
        await close_all(early, late)

    asyncio.run(scenario())


def test_webhooks_fire_once_per_cluster(cluster, webhooks):
    _, (a, b, c) = cluster
    _, log = webhooks
    channel = unique("hooked")
    presence = unique("presence-hooked")

    async def scenario():
        first = await subscriber(a, channel)
        await asyncio.to_thread(log.wait_once, name="channel_occupied", channel=channel)
        second = await subscriber(b, channel)
        await first.close()
        await asyncio.to_thread(log.assert_none, name="channel_vacated", channel=channel)
        await second.close()
        await asyncio.to_thread(log.wait_once, name="channel_vacated", channel=channel)
        assert len(log.matching(name="channel_occupied", channel=channel)) == 1

        u1_on_a, _ = await join(a, presence, "w1")
        u1_on_b, _ = await join(b, presence, "w1")
        u2_on_c, _ = await join(c, presence, "w2")
        for user in ("w1", "w2"):
            await asyncio.to_thread(log.wait_once, name="member_added", channel=presence, user_id=user)
        await u1_on_a.close()
        await asyncio.to_thread(log.assert_none, name="member_removed", channel=presence, user_id="w1")
        await u1_on_b.close()
        await asyncio.to_thread(log.wait_once, name="member_removed", channel=presence, user_id="w1")
        await u2_on_c.close()
        await asyncio.to_thread(log.wait_once, name="member_removed", channel=presence, user_id="w2")
        await asyncio.to_thread(log.wait_once, quiet=0, name="channel_vacated", channel=presence)

    asyncio.run(scenario())


def test_kill_9_of_a_node_removes_its_members_and_channels(own_cluster, webhooks):
    _, _, (a, b, c) = own_cluster
    _, log = webhooks
    presence, only_on_c, shared = unique("presence-doomed"), unique("only-c"), unique("shared")

    def survivors_agree(node):
        sdk = node.sdk()
        members = sorted(user["id"] for user in sdk.users_info(presence)["users"])
        assert members == ["k1", "k2"], members
        assert sdk.channel_info(presence, ["user_count"])["user_count"] == 2
        assert only_on_c not in sdk.channels_info()["channels"]
        assert sdk.channel_info(shared, ["subscription_count"]) == {"occupied": True, "subscription_count": 1}
        return True

    async def scenario():
        k1, _ = await join(a, presence, "k1")
        await known_on([b], presence, "k1")
        k2, _ = await join(b, presence, "k2")
        await known_on([c], presence, "k1", "k2")
        doomed = [(await join(c, presence, "k3"))[0], await subscriber(c, only_on_c), await subscriber(c, shared)]
        watcher = await subscriber(a, shared)
        assert sorted([await member_event(k1, "added") for _ in range(2)]) == ["k2", "k3"]
        assert await member_event(k2, "added") == "k3"
        await poll(lambda: only_on_c in a.sdk().channels_info()["channels"], QUERY_LAG, "c's channel listed")

        c.kill()
        killed = time.monotonic()
        for ws in (k1, k2):
            remaining = NODE_DEATH_BOUND - (time.monotonic() - killed)
            assert await member_event(ws, "removed", timeout=max(remaining, 0.1)) == "k3"
        removed_after = time.monotonic() - killed
        for node in (a, b):
            await poll(lambda node=node: survivors_agree(node), NODE_DEATH_BOUND - (time.monotonic() - killed),
                       f"node {node.name} forgetting node c")
        print(f"kill -9: member_removed after {removed_after:.1f} s, queries agree after "
              f"{time.monotonic() - killed:.1f} s")
        await asyncio.to_thread(log.wait_once, name="member_removed", channel=presence, user_id="k3")
        await asyncio.to_thread(log.wait_once, quiet=0, name="channel_vacated", channel=only_on_c)
        assert log.matching(name="channel_vacated", channel=shared) == []
        assert all(ws.state is websockets.State.CLOSED for ws in doomed), "sockets on the dead node still open"
        await close_all(k1, k2, watcher)

    asyncio.run(scenario())


def test_redis_restarted_empty_mid_run(own_cluster):
    redis, _, (a, b, _) = own_cluster
    channel = unique("outage")

    def publish(node, name):
        """The status the node answered a publish with (the body of a refusal must be JSON)."""
        try:
            node.sdk(timeout=5).trigger(channel, name, name)
            return 200
        except pusher.errors.PusherBadStatus as error:
            status, _, body = str(error).partition(": ")
            try:
                json.loads(body)
            except ValueError:
                raise AssertionError(f"a {status} answer that is not JSON: {body!r}") from None
            return int(status)

    async def scenario():
        on_a, on_b = Inbox(await subscriber(a, channel)), Inbox(await subscriber(b, channel))
        assert publish(a, "before") == 200
        await on_b.wait(lambda: on_b.named("before"), 5, "the event before the outage")

        redis.kill()
        answers = {}
        deadline = time.monotonic() + 5
        while 503 not in answers.values():
            assert time.monotonic() < deadline, f"no 503 within 5 s of Redis dying, {len(answers)} answered 200"
            name = f"during-{len(answers)}"
            answers[name] = await asyncio.to_thread(publish, a, name)
            assert answers[name] in (200, 503), f"{name} answered {answers[name]}"
            await asyncio.sleep(0.05)
        for ws in (on_a.ws, on_b.ws):
            await ws.send(json.dumps({"event": "pusher:ping", "data": {}}))
        for inbox in (on_a, on_b):
            await inbox.wait(lambda inbox=inbox: inbox.named("pusher:pong"), 5, "pong while Redis is down")
        # A publish refused with an idempotency key is not remembered: its retry publishes.
        keyed = TriggerOptions(idempotency_key=unique("outage-key"))
        refused = await asyncio.to_thread(sockudo(a).trigger, channel, "keyed", "keyed", keyed)
        assert refused.status_code == 503, (refused.status_code, refused.message)

        redis.start()
        back = time.monotonic()
        for origin, target in ((a, on_b), (b, on_a)):
            probe = f"probe-{origin.name}"
            while not target.named(probe):
                assert target.closed is None, f"socket closed after Redis returned: {target.closed}"
                assert time.monotonic() - back < REDIS_RETURN_BOUND, \
                    f"nothing from node {origin.name} crossed within {REDIS_RETURN_BOUND} s of Redis returning"
                await asyncio.to_thread(publish, origin, probe)
                await asyncio.sleep(0.1)
        retried = await asyncio.to_thread(sockudo(a).trigger, channel, "keyed", "keyed", keyed)
        assert retried.ok, (retried.status_code, retried.message)
        await on_b.wait(lambda: on_b.named("keyed"), 5, "the retried keyed publish")
        accepted = [name for name, status in answers.items() if status == 200]
        print(f"Redis back: delivery both ways after {time.monotonic() - back:.1f} s; "
              f"{len(accepted)} publishes answered 200 while it was down")
        for inbox in (on_a, on_b):
            lost = [name for name in accepted if not inbox.named(name)]
            assert lost == [], f"answered 200 while Redis was down, never delivered: {lost}"
            assert inbox.closed is None
        await close_all(on_a.ws, on_b.ws)

    asyncio.run(scenario())


def test_a_node_started_late_catches_up_on_presence(cluster):
    group, (a, b, _) = cluster
    channel = unique("presence-late")

    async def scenario():
        u1, _ = await join(a, channel, "l1")
        u2, _ = await join(b, channel, "l2")
        assert await member_event(u1, "added") == "l2"
        (d,) = await asyncio.to_thread(group.start, "d")
        try:
            u3, roster = await join(d, channel, "l3")
            assert roster["count"] == 3 and sorted(roster["ids"]) == ["l1", "l2", "l3"], roster
            assert await member_event(u1, "added") == "l3"
            await close_all(u3)
        finally:
            d.stop()
        await close_all(u1, u2)

    asyncio.run(scenario())


def test_up_is_503_until_redis_answers(tmp_path):
    redis = RedisServer(port=free_port())  # not started yet: nothing listens on its port
    group = Cluster(redis, tmp_path)
    try:
        node = group.launch("lonely")
        status = wait_until(lambda: http_status(node.port)[0], 10, message="an answer to /up")
        assert status == 503, status
        assert node.process.poll() is None, "the node gave up without Redis"
        redis.start()
        group.wait_up(node, timeout=10)  # it kept trying
    finally:
        group.close()
        redis.stop()
