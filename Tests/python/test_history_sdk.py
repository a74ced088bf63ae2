"""Sockudo's official server SDK (`sockudo-http-python==2.2.0`), unchanged, against every history,
versioned-message and annotation route it offers (docs/history.md, v2-api.md §1–3 and §5), on each
storage backend. Channel names with `=@,;` and serials with `:` travel in the SDK's percent-encoded
paths; a 4xx comes back once (the SDK retries only 5xx) with the documented status and JSON error."""
import asyncio
import json
from urllib.parse import quote

import httpx
import pytest
import websockets
from sockudo_http_python import (
    AnnotationEventsParams,
    AsyncSockudo,
    Event,
    HistoryParams,
    MessageMutation,
    MessageVersionsParams,
    PresenceSnapshotParams,
    PublishAnnotationRequest,
    SockudoOptions,
    Status,
    TriggerOptions,
)

from history_support import history_chorus, ok_json, page_history, sockudo, unique_channel  # noqa: F401

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# A plain name, and one whose every special character the SDK percent-encodes in the path.
CHANNEL_KINDS = {"plain": "hist", "special": "hist-a=b@c,d;e.f_g"}


@pytest.fixture
def wire(history_chorus):  # noqa: F811
    """The SDK over an httpx client that records every request it sends (method, raw path)."""
    sent = []
    client = httpx.Client(timeout=5, event_hooks={"request": [lambda request: sent.append(request)]})
    sdk = sockudo(history_chorus, client=client)
    yield sdk, sent
    client.close()


def raw_paths(sent):
    return [request.url.raw_path.decode().split("?")[0] for request in sent]


def publish(sdk, channel, name="chat.msg", data=None):
    """Publishes one retained event asking for `info=message_serial`; returns (message serial, history serial)."""
    answer = ok_json(sdk.trigger(channel, name, data or {"text": "hi"}, TriggerOptions(info="message_serial")))
    entry = answer["channels"][channel]
    return entry["message_serial"], entry["history_serial"]


def expect_error(result, status_code, code=None, sent=None):
    """A 4xx answered once, with a JSON `{"error","code"}` body."""
    expected = Status.AUTHENTICATION_ERROR if status_code in (401, 403) else Status.CLIENT_ERROR
    assert (result.status, result.status_code) == (expected, status_code), result.message
    body = result.json()
    assert isinstance(body["error"], str) and isinstance(body["code"], str), body
    if code is not None:
        assert body["code"] == code, body
    if sent is not None:
        assert len(sent) == 1, "a 4xx must not be retried"
        sent.clear()
    return body


@pytest.mark.parametrize("kind", CHANNEL_KINDS)
def test_publish_serials_and_history_paging_both_ways(wire, kind):
    sdk, sent = wire
    channel = unique_channel(CHANNEL_KINDS[kind])
    serials = [publish(sdk, channel, data={"n": n}) for n in range(1, 8)]
    assert [history for _, history in serials] == list(range(1, 8))
    assert ok_json(sdk.trigger(channel, "chat.msg", {"n": 8})) == {}, "no info: the answer stays {}"

    oldest = page_history(sdk, channel, "oldest_first", limit=3)
    assert [item["serial"] for item in oldest] == list(range(1, 9))
    assert [json.loads(item["message"]["data"])["n"] for item in oldest] == list(range(1, 9))
    for item, (message_serial, _) in zip(oldest, serials):
        assert item["message_id"] == item["message"]["message_serial"] == message_serial
        assert item["event_name"] == item["message"]["name"] == "chat.msg"
        assert item["message"]["action"] == "create" and item["message"]["event"] == "sockudo:message.create"
        assert item["message"]["channel"] == channel and isinstance(item["published_at_ms"], int)
    assert page_history(sdk, channel, "newest_first", limit=3) == oldest[::-1]
    assert [item["serial"] for item in page_history(sdk, channel, "forwards", limit=5)] == list(range(1, 9))
    assert [item["serial"] for item in page_history(sdk, channel, "backwards", limit=5)] == list(range(8, 0, -1))

    default = ok_json(sdk.get_channel_history(channel))
    assert (default["direction"], default["limit"], default["has_more"]) == ("newest_first", 100, False)
    assert default["next_cursor"] is None and default["items"] == oldest[::-1]
    assert f"/apps/1/channels/{quote(channel, safe='')}/history" in raw_paths(sent)
    if kind == "special":
        history_paths = [path for path in raw_paths(sent) if path.endswith("/history")]
        assert history_paths and all("%40" in path for path in history_paths), "the SDK sends `@` percent-encoded"


def test_history_bounds_are_inclusive(wire):
    sdk, _ = wire
    channel = unique_channel()
    for n in range(1, 7):
        publish(sdk, channel, data={"n": n})
    for direction in ("oldest_first", "newest_first"):
        page = ok_json(sdk.get_channel_history(channel, HistoryParams(direction=direction, start_serial=2, end_serial=4)))
        serials = [item["serial"] for item in page["items"]]
        assert sorted(serials) == [2, 3, 4] and serials == sorted(serials, reverse=direction == "newest_first")
    everything = page_history(sdk, channel)
    start, end = everything[1]["published_at_ms"], everything[3]["published_at_ms"]
    window = ok_json(sdk.get_channel_history(channel, HistoryParams(start_time_ms=start, end_time_ms=end)))["items"]
    assert {2, 3, 4} <= {item["serial"] for item in window}
    assert all(start <= item["published_at_ms"] <= end for item in window)


def test_bad_history_queries_are_400_once(wire):
    sdk, sent = wire
    channel, other = unique_channel(), unique_channel()
    for n in range(3):
        publish(sdk, channel)
        publish(sdk, other)
    sent.clear()
    for params in (
        HistoryParams(direction="sideways"),
        HistoryParams(limit=0),
        HistoryParams(limit=101),
        HistoryParams(limit="ten"),
        HistoryParams(start_serial=3, end_serial=2),
    ):
        expect_error(sdk.get_channel_history(channel, params), 400, sent=sent)
    first = ok_json(sdk.get_channel_history(channel, HistoryParams(limit=1, direction="oldest_first")))
    cursor = first["next_cursor"]
    sent.clear()
    expect_error(sdk.get_channel_history(channel, HistoryParams(cursor="garbage")), 400, "invalid_cursor", sent)
    tampered = cursor[:-2] + ("AA" if cursor[-2:] != "AA" else "BB")
    expect_error(sdk.get_channel_history(channel, HistoryParams(cursor=tampered, direction="oldest_first", limit=1)),
                 400, "invalid_cursor", sent)
    expect_error(sdk.get_channel_history(other, HistoryParams(cursor=cursor, direction="oldest_first", limit=1)),
                 400, sent=sent)
    expect_error(sdk.get_channel_history(channel, HistoryParams(cursor=cursor, direction="newest_first", limit=1)),
                 400, sent=sent)
    assert [item["serial"] for item in page_history(sdk, channel)] == [1, 2, 3], "a refused query changed nothing"


def test_history_off_is_403_feature_disabled(wire):
    sdk, sent = wire
    channel = unique_channel("nohist")
    answer = ok_json(sdk.trigger(channel, "chat.msg", "x", TriggerOptions(info="message_serial")))
    assert "message_serial" not in answer.get("channels", {}).get(channel, {})
    sent.clear()
    expect_error(sdk.get_channel_history(channel), 403, "feature_disabled", sent)
    expect_error(sdk.get_message(channel, "1"), 403, "feature_disabled", sent)
    expect_error(sdk.update_message(channel, "1", MessageMutation(data="y")), 403, "feature_disabled", sent)
    expect_error(sdk.publish_annotation(channel, "1", PublishAnnotationRequest(type="r:total.v1")), 403,
                 "feature_disabled", sent)


def test_wrong_secret_is_401(history_chorus):  # noqa: F811
    result = sockudo(history_chorus, max_retries=3).get_channel_history(unique_channel())
    assert result.ok
    forged = sockudo(history_chorus)
    forged.secret = "not-the-secret"
    expect_error(forged.get_channel_history(unique_channel()), 401)


def test_batch_publish_with_info_keeps_batch_order(wire):
    sdk, _ = wire
    channel = unique_channel()
    batch = [Event(channel=channel, name="chat.msg", data={"n": n}, info="message_serial") for n in range(3)]
    answer = ok_json(sdk.trigger_batch(batch))
    assert [entry["history_serial"] for entry in answer["batch"]] == [1, 2, 3]
    history = page_history(sdk, channel)
    assert [item["message_id"] for item in history] == [entry["message_serial"] for entry in answer["batch"]]
    assert [json.loads(item["message"]["data"])["n"] for item in history] == [0, 1, 2]


def test_a_repeated_idempotency_key_is_stored_once(wire):
    sdk, _ = wire
    channel = unique_channel()
    options = TriggerOptions(info="message_serial", idempotency_key="order-created-ord_123")
    first = ok_json(sdk.trigger(channel, "order.created", {"id": "ord_123"}, options))
    again = ok_json(sdk.trigger(channel, "order.created", {"id": "ord_123"}, options))
    assert again == first, "a repeat gets the first answer"
    batch = [Event(channel=channel, name="order.paid", data={"id": "ord_123"}, idempotency_key="paid-1")]
    ok_json(sdk.trigger_batch(batch))
    ok_json(sdk.trigger_batch(batch))
    assert [item["event_name"] for item in page_history(sdk, channel)] == ["order.created", "order.paid"]


def test_reserved_event_names_are_400(wire):
    sdk, sent = wire
    sent.clear()
    expect_error(sdk.trigger(unique_channel(), "sockudo:message.update", "x"), 400, sent=sent)
    expect_error(sdk.trigger(unique_channel(), "sockudo_internal:message", "x"), 400, sent=sent)


@pytest.mark.parametrize("kind", CHANNEL_KINDS)
def test_update_append_delete_and_versions(wire, kind):
    sdk, sent = wire
    channel = unique_channel(CHANNEL_KINDS[kind])
    serial, history_serial = publish(sdk, channel, data={"text": "hello"})
    created = ok_json(sdk.get_message(channel, serial))
    assert created["channel"] == channel
    assert created["item"]["action"] == "create" and created["item"]["data"] == '{"text":"hello"}'
    assert created["item"]["message_serial"] == serial and created["item"]["history_serial"] == history_serial

    update = ok_json(sdk.update_message(channel, serial, MessageMutation(
        data={"text": "edited"}, description="user edit", client_id="u1", metadata={"reason": "typo"})))
    assert (update["channel"], update["message_serial"], update["action"]) == (channel, serial, "update")
    assert update["accepted"] is True and update["status"] == "applied"
    assert update["history_serial"] == history_serial
    item = ok_json(sdk.get_message(channel, serial))["item"]
    assert (item["action"], item["event"], item["name"]) == ("update", "sockudo:message.update", "chat.msg")
    assert item["data"] == '{"text":"edited"}'
    assert item["version"]["serial"] == update["version_serial"]
    assert (item["version"]["client_id"], item["version"]["description"]) == ("u1", "user edit")

    appended = ok_json(sdk.append_message(channel, serial, " and more"))
    assert appended["action"] == "append" and appended["version_serial"] > update["version_serial"]
    assert ok_json(sdk.get_message(channel, serial))["item"]["data"] == '{"text":"edited"} and more'

    deleted = ok_json(sdk.delete_message(channel, serial))
    assert deleted["action"] == "delete"
    gone = ok_json(sdk.get_message(channel, serial))["item"]
    assert gone["action"] == "delete" and gone["data"] == '{"text":"edited"} and more', "delete is soft"

    versions = ok_json(sdk.get_message_versions(channel, serial))
    assert (versions["channel"], versions["direction"], versions["has_more"]) == (channel, "newest_first", False)
    assert [v["action"] for v in versions["items"]] == ["delete", "append", "update", "create"]
    assert versions["items"][1]["data"] == " and more", "an append version carries its fragment"
    version_serials = [v["version"]["serial"] for v in versions["items"]]
    assert version_serials == sorted(version_serials, reverse=True) and len(set(version_serials)) == 4
    walked, cursor = [], None
    while True:
        page = ok_json(sdk.get_message_versions(channel, serial, MessageVersionsParams(
            limit=1, direction="oldest_first", cursor=cursor)))
        walked += page["items"]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert walked == versions["items"][::-1]

    entry = page_history(sdk, channel)[0]
    assert entry["serial"] == history_serial and entry["event_name"] == "chat.msg"
    assert entry["message"]["action"] == "delete"
    assert publish(sdk, channel)[1] == history_serial + 1, "mutations take no history serial"
    encoded = quote(serial, safe="")
    assert any(f"/messages/{encoded}/update" in path for path in raw_paths(sent))
    if ":" in serial:
        assert "%3A" in encoded


def test_mutation_idempotency_duplicates_and_conflicts(wire):
    sdk, sent = wire
    channel = unique_channel()
    serial, _ = publish(sdk, channel)
    first = ok_json(sdk.update_message(channel, serial, {"data": "x", "idempotency_key": "k1"}))
    again = ok_json(sdk.update_message(channel, serial, {"data": "x", "idempotency_key": "k1"}))
    assert (first["status"], again["status"]) == ("applied", "duplicate")
    assert again["version_serial"] == first["version_serial"]
    sent.clear()
    expect_error(sdk.update_message(channel, serial, {"data": "y", "idempotency_key": "k1"}), 400,
                 "idempotency_conflict", sent)
    by_op = ok_json(sdk.update_message(channel, serial, {"data": "z", "op_id": "op-1"}))
    assert ok_json(sdk.update_message(channel, serial, {"data": "z", "op_id": "op-1"}))["status"] == "duplicate"
    removal = ok_json(sdk.delete_message(channel, serial, {"idempotency_key": "d1"}))
    assert ok_json(sdk.delete_message(channel, serial, {"idempotency_key": "d1"}))["version_serial"] == \
        removal["version_serial"]
    actions = [v["action"] for v in ok_json(sdk.get_message_versions(channel, serial))["items"]]
    assert actions == ["delete", "update", "update", "create"], "duplicates add no version"
    assert by_op["version_serial"] > first["version_serial"]
    assert ok_json(sdk.update_message(channel, serial, {"data": "w", "future_field": 1}))["status"] == "applied"


def test_message_errors(wire):
    sdk, sent = wire
    channel = unique_channel()
    serial, _ = publish(sdk, channel)
    sent.clear()
    unknown = "no:such:serial"
    expect_error(sdk.get_message(channel, unknown), 404, sent=sent)
    expect_error(sdk.get_message_versions(channel, unknown), 404, sent=sent)
    expect_error(sdk.update_message(channel, unknown, MessageMutation(data="x")), 404, sent=sent)
    expect_error(sdk.delete_message(channel, unknown), 404, sent=sent)
    expect_error(sdk.append_message(channel, unknown, "x"), 404, sent=sent)
    expect_error(sdk.publish_annotation(channel, unknown, PublishAnnotationRequest(type="r:total.v1")), 404, sent=sent)
    expect_error(sdk.list_annotations(channel, unknown), 404, sent=sent)
    expect_error(sdk.delete_annotation(channel, serial, "no:such:annotation"), 404, sent=sent)
    expect_error(sdk.update_message(channel, serial, {}), 400, sent=sent)
    expect_error(sdk.update_message(channel, serial, {"clear_fields": ["colour"]}), 400, sent=sent)
    expect_error(sdk.append_message(channel, serial, 42), 400, sent=sent)
    expect_error(sdk.get_message_versions(channel, serial, MessageVersionsParams(limit=0)), 400, sent=sent)
    expect_error(sdk.get_message_versions(channel, serial, MessageVersionsParams(cursor="garbage")), 400, sent=sent)
    assert ok_json(sdk.get_message(channel, serial))["item"]["action"] == "create", "errors changed nothing"


def annotate(sdk, channel, serial, kind, name=None, client_id=None, count=None, namespace="reactions"):
    request = PublishAnnotationRequest(type=f"{namespace}:{kind}.v1", name=name, client_id=client_id, count=count)
    return ok_json(sdk.publish_annotation(channel, serial, request))["annotationSerial"]


# (annotations to publish as (name, client_id, count), the index of the one to delete, summary
# before the delete, summary after it) per summarizer, as v2-api.md §3 describes them.
SUMMARIZERS = {
    "total": (
        [(None, "u1", None), (None, "u2", None), (None, "u1", None)], 1,
        {"total": 3}, {"total": 2},
    ),
    "flag": (
        [(None, "u1", None), (None, "u2", None)], 1,
        {"total": 2, "clientIds": ["u1", "u2"], "clipped": False},
        {"total": 1, "clientIds": ["u1"], "clipped": False},
    ),
    "distinct": (
        [("👍", "u2", None), ("👍", "u1", None), ("party", "u1", None), ("👍", "u1", None)], 0,
        {"👍": {"total": 2, "clientIds": ["u1", "u2"], "clipped": False},
         "party": {"total": 1, "clientIds": ["u1"], "clipped": False}},
        {"👍": {"total": 1, "clientIds": ["u1"], "clipped": False},
         "party": {"total": 1, "clientIds": ["u1"], "clipped": False}},
    ),
    "unique": (
        [("a", "u1", None), ("a", "u2", None), ("b", "u1", None)], 1,
        {"a": {"total": 1, "clientIds": ["u2"], "clipped": False},
         "b": {"total": 1, "clientIds": ["u1"], "clipped": False}},
        {"b": {"total": 1, "clientIds": ["u1"], "clipped": False}},
    ),
    "multiple": (
        [("x", "u1", 2), ("x", "u1", 3), ("x", "u2", None), ("x", None, 4)], 0,
        {"x": {"total": 10, "clientCounts": {"u1": 5, "u2": 1}, "totalUnidentified": 4, "clipped": False,
               "totalClientIds": 2}},
        {"x": {"total": 5, "clientCounts": {"u2": 1}, "totalUnidentified": 4, "clipped": False,
               "totalClientIds": 1}},
    ),
}


@pytest.mark.parametrize("kind", SUMMARIZERS)
def test_annotations_with_each_summarizer(wire, kind):
    sdk, sent = wire
    published, removed, before, after = SUMMARIZERS[kind]
    channel = unique_channel(CHANNEL_KINDS["special"])
    serial, _ = publish(sdk, channel)
    other, _ = publish(sdk, channel)
    noise = annotate(sdk, channel, serial, "total", client_id="u9", namespace="views")
    annotation_type = f"reactions:{kind}.v1"
    serials = [annotate(sdk, channel, serial, kind, name, client_id, count) for name, client_id, count in published]
    assert serials == sorted(serials) and len(set(serials)) == len(serials) and serials[0] > noise

    listed = ok_json(sdk.list_annotations(channel, serial, AnnotationEventsParams(type=annotation_type)))
    assert (listed["channel"], listed["messageSerial"], listed["hasMore"]) == (channel, serial, False)
    assert listed["summary"] == {annotation_type: before}
    assert [item["serial"] for item in listed["items"]] == serials
    for item, (name, client_id, count) in zip(listed["items"], published):
        assert (item["action"], item["type"], item["messageSerial"]) == ("annotation.create", annotation_type, serial)
        assert (item.get("name"), item.get("clientId")) == (name, client_id)
    everything = ok_json(sdk.list_annotations(channel, serial))
    assert everything["summary"] == {"views:total.v1": {"total": 1}, annotation_type: before}
    assert [item["serial"] for item in everything["items"]] == [noise, *serials]

    walked, cursor = [], None
    while True:
        page = ok_json(sdk.list_annotations(channel, serial, AnnotationEventsParams(
            type=annotation_type, limit=1, from_serial=cursor)))
        walked += page["items"]
        if not page["hasMore"]:
            break
        cursor = page["nextCursor"]
    assert [item["serial"] for item in walked] == serials

    sent.clear()
    expect_error(sdk.delete_annotation(channel, other, serials[removed]), 404, sent=sent)
    deletion = ok_json(sdk.delete_annotation(channel, serial, serials[removed]))
    assert deletion["deletedAnnotationSerial"] == serials[removed] and deletion["annotationSerial"] > serials[-1]
    assert f"/annotations/{quote(serials[removed], safe='')}" in raw_paths(sent)[-1]
    assert sdk.delete_annotation(channel, serial, serials[removed]).status_code == 200, "a repeat is 200"
    listed = ok_json(sdk.list_annotations(channel, serial, AnnotationEventsParams(type=annotation_type)))
    assert listed["summary"] == {annotation_type: after}
    assert listed["items"][len(serials)]["action"] == "annotation.delete"
    assert listed["items"][len(serials)]["serial"] == deletion["annotationSerial"]
    assert ok_json(sdk.list_annotations(channel, other))["items"] == []


def test_bad_annotations_are_400(wire):
    sdk, sent = wire
    channel = unique_channel()
    serial, _ = publish(sdk, channel)
    sent.clear()
    for request in (
        PublishAnnotationRequest(type="reactions"),
        PublishAnnotationRequest(type="reactions:bogus.v1", client_id="u1"),
        PublishAnnotationRequest(type="reactions:distinct.v1", client_id="u1"),
        PublishAnnotationRequest(type="reactions:flag.v1"),
        PublishAnnotationRequest(type="reactions:total.v1", count=0),
        PublishAnnotationRequest(type="reactions:multiple.v1", name="x", count="three"),
    ):
        expect_error(sdk.publish_annotation(channel, serial, request), 400, sent=sent)
    assert ok_json(sdk.list_annotations(channel, serial))["items"] == [], "refused annotations left nothing"


def test_routes_not_offered_yet_are_404(wire):
    sdk, sent = wire
    channel = unique_channel()
    publish(sdk, channel)
    sent.clear()
    for call in (
        lambda: sdk.get_channel_history_state(channel),
        lambda: sdk.reset_channel_history(channel, reason="test"),
        lambda: sdk.purge_channel_history(channel, mode="all", reason="test"),
        lambda: sdk.get_channel_presence_history(channel),
        lambda: sdk.get_channel_presence_history_state(channel),
        lambda: sdk.reset_channel_presence_history(channel, reason="test"),
        lambda: sdk.get_channel_presence_snapshot(channel, PresenceSnapshotParams(at_serial=1)),
    ):
        expect_error(call(), 404, sent=sent)
    assert len(page_history(sdk, channel)) == 1, "a reset that is not offered erased nothing"


async def next_event(ws, wanted, timeout=5):
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["event"] in wanted:
            return message


def test_subscribers_get_update_and_summary_events(history_chorus):  # noqa: F811
    sdk = sockudo(history_chorus)
    channel = unique_channel()

    async def scenario():
        ws = await websockets.connect(history_chorus.ws_url())
        socket_id = json.loads(json.loads(await ws.recv())["data"])["socket_id"]
        await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": channel}}))
        assert json.loads(await ws.recv())["event"] == "pusher_internal:subscription_succeeded"
        serial, _ = publish(sdk, channel)
        ok_json(sdk.update_message(channel, serial, MessageMutation(data="edited", description="fix")))
        update = await next_event(ws, {"sockudo:message.update"})
        assert update["channel"] == channel
        body = json.loads(update["data"])
        assert (body["action"], body["message_serial"], body["data"]) == ("update", serial, "edited")
        assert body["version"]["description"] == "fix"

        ok_json(sdk.append_message(channel, serial, "!"))
        # v2-api.md §2 names the live event sockudo:message.update; the MO's own event would be .append.
        appended = json.loads((await next_event(ws, {"sockudo:message.update", "sockudo:message.append"}))["data"])
        assert (appended["action"], appended["data"]) == ("append", "!")

        annotate(sdk, channel, serial, "total", client_id="u1")
        summary = json.loads((await next_event(ws, {"sockudo:message.summary"}))["data"])
        assert summary == {"action": "message.summary", "serial": serial,
                           "annotations": {"summary": {"reactions:total.v1": {"total": 1}}}}

        ok_json(sdk.update_message(channel, serial, MessageMutation(data="quiet", socket_id=socket_id)))
        ok_json(sdk.trigger(channel, "after", "x"))
        following = await next_event(ws, {"sockudo:message.update", "after"})
        assert following["event"] == "after", "the excluded socket got no update event"
        await ws.close()

    asyncio.run(scenario())


def test_async_client_reads_and_mutates(history_chorus):  # noqa: F811
    async def scenario():
        options = SockudoOptions(host=history_chorus.host, port=history_chorus.port, http2=False)
        async with AsyncSockudo(history_chorus.app_id, history_chorus.key, history_chorus.secret,
                                options=options) as sdk:
            channel = unique_channel(CHANNEL_KINDS["special"])
            answer = (await sdk.trigger(channel, "chat.msg", "hi", TriggerOptions(info="message_serial"))).json()
            serial = answer["channels"][channel]["message_serial"]
            assert (await sdk.update_message(channel, serial, MessageMutation(data="edited"))).ok
            assert (await sdk.get_message(channel, serial)).json()["item"]["data"] == "edited"
            history = (await sdk.get_channel_history(channel)).json()
            assert [item["message"]["action"] for item in history["items"]] == ["update"]
            missing = await sdk.get_message(channel, "no:such:serial")
            assert (missing.status, missing.status_code) == (Status.CLIENT_ERROR, 404)

    asyncio.run(scenario())
