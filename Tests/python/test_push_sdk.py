"""Sockudo's official server SDK (`sockudo-http-python==2.2.0`), unchanged, against every push route
it offers (docs/push.md, v2-api.md §4–6): device registrations, channel subscriptions, credentials,
publish admission and status. The SDK sends camelCase bodies and queries and percent-encodes path
segments with nothing safe; a 4xx comes back once with the documented status and JSON error."""
import json
import time

import pytest
from sockudo_http_python import PushCursorParams, PushSubscriptionParams, Sockudo, SockudoOptions

from conftest import start_chorus
from history_support import ok_json, unique_channel

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PLAIN, LOGGING, OFF = "1", "2", "3"


@pytest.fixture(scope="module")
def push_chorus(tmp_path_factory):
    """App 1 pushes for real (no credentials: recipients fail honestly), app 2 has the log
    provider, app 3 has push off."""
    directory = tmp_path_factory.mktemp("push")
    apps = [
        {"id": PLAIN, "key": "key-1", "secret": "secret-1", "push": {"enabled": True}},
        {"id": LOGGING, "key": "key-2", "secret": "secret-2", "push": {"enabled": True, "log_provider": True}},
        {"id": OFF, "key": "key-3", "secret": "secret-3"},
    ]
    config = {"storage": {"driver": "sqlite", "path": str(directory / "chorus.sqlite")}, "apps": apps}
    server = start_chorus(json.dumps(config))
    yield server
    server.stop()


def sdk_for(server, app_id):
    """The SDK, unchanged, as app `app_id` of the fixture's server."""
    options = SockudoOptions(host=server.host, port=server.port, use_tls=False, http2=False)
    return Sockudo(app_id, f"key-{app_id}", f"secret-{app_id}", options=options)


def expect_error(result, status_code, code):
    assert result.status_code == status_code, (result.status_code, result.message)
    body = result.json()
    assert body["code"] == code and isinstance(body["error"], str), body


def device(device_id, client_id=None, platform="fcm"):
    """A registration body as the SDK's docs write it (camelCase)."""
    body = {"deviceId": device_id, "platform": platform, "providerToken": f"token-{device_id}"}
    if client_id:
        body["clientId"] = client_id
    return body


def wait_terminal(sdk, publish_id, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        status = ok_json(sdk.get_publish_status(publish_id))
        if status["state"] in ("succeeded", "partially_succeeded", "failed", "expired", "cancelled"):
            return status
        assert time.monotonic() < deadline, status
        time.sleep(0.05)


def test_device_registration_lifecycle(push_chorus):
    sdk = sdk_for(push_chorus, PLAIN)
    device_id = f"ios:{unique_channel('dev')}/a b"  # `:`, `/` and a space travel percent-encoded
    created = sdk.activate_device(device(device_id, client_id="user-42") | {"metadata": {"app_version": "4.5.0"}})
    assert created.status_code == 201
    body = created.json()
    assert body["device_id"] == device_id and body["client_id"] == "user-42" and body["change"] == "created"
    assert body["state"] == "active" and "providerToken" not in body and "provider_token" not in body
    again = ok_json(sdk.activate_device(device(device_id, client_id="user-42") | {"metadata": {"app_version": "4.5.0"}}))
    assert again["change"] == "unchanged"
    moved = ok_json(sdk.activate_device(device(device_id, client_id="user-43")))
    assert moved["change"] == "updated"
    fetched = ok_json(sdk.get_device_registration(device_id))
    assert fetched["device_id"] == device_id and fetched["client_id"] == "user-43"
    assert sdk.delete_device_registration(device_id).status_code == 204
    expect_error(sdk.get_device_registration(device_id), 404, "device_not_found")
    expect_error(sdk.delete_device_registration(device_id), 404, "device_not_found")


def test_device_lists_page_and_delete_by_client(push_chorus):
    sdk = sdk_for(push_chorus, PLAIN)
    client = unique_channel("client")
    ids = sorted(f"{client}-d{n}" for n in range(5))
    for device_id in ids:
        assert sdk.activate_device(device(device_id, client_id=client)).status_code == 201
    seen, cursor = [], None
    while True:
        page = ok_json(sdk.list_device_registrations(PushCursorParams(limit=2, cursor=cursor)))
        assert len(page["items"]) <= 2 and page["has_more"] == (page["next_cursor"] is not None)
        seen += [item["device_id"] for item in page["items"]]
        if not page["has_more"]:
            break
        cursor = page["next_cursor"]
    assert [d for d in seen if d.startswith(client)] == ids
    assert ok_json(sdk.remove_device_registrations_by_client(client)) == {"deleted": 5}
    expect_error(sdk.get_device_registration(ids[0]), 404, "device_not_found")


def test_channel_subscriptions(push_chorus):
    sdk = sdk_for(push_chorus, PLAIN)
    channel = unique_channel("orders")
    device_id = unique_channel("dev")
    assert sdk.activate_device(device(device_id, client_id="user-7")).status_code == 201
    made = sdk.upsert_channel_push_subscription({"deviceId": device_id, "channel": channel})
    assert made.status_code == 201 and made.json()["channel"] == channel
    assert sdk.upsert_channel_push_subscription({"clientId": "user-7", "channel": channel}).status_code == 201
    listed = ok_json(sdk.list_channel_push_subscriptions(PushSubscriptionParams(channel=channel)))
    assert {(item["device_id"], item["client_id"]) for item in listed["items"]} == {(device_id, None), (None, "user-7")}
    by_device = ok_json(sdk.list_channel_push_subscriptions(PushSubscriptionParams(device_id=device_id)))
    assert [item["channel"] for item in by_device["items"]] == [channel]
    channels = ok_json(sdk.list_channel_push_subscription_channels(PushCursorParams(limit=1000)))
    assert channel in channels["items"]
    expect_error(
        sdk.upsert_channel_push_subscription({"deviceId": "nobody-" + device_id, "channel": channel}),
        404,
        "device_not_found",
    )
    deleted = ok_json(sdk.delete_channel_push_subscriptions(PushSubscriptionParams(channel=channel)))
    assert deleted == {"deleted": 2}


def test_credentials_are_stored_and_never_echoed(push_chorus):
    sdk = sdk_for(push_chorus, PLAIN)
    vapid = {
        "vapidPublicKey": "BPcMbnWQL5GOYX_5LKZXT6sLmHiMsJSiEvIFvfcDvX7IZ9qqtq68onpTPEYmyxSQNiH7UD_98AUcQ12kBoJ8nvY",
        "vapidPrivateKey": "nCScek-QpEjmOOlT-rQ38nZzvdPlqa00Zy0i6m2OJvY",
        "subject": "mailto:ops@example.com",
    }
    first = sdk.put_push_credential("webpush", vapid)
    assert first.status_code == 201
    assert first.json()["version"] == 1 and first.json()["vapid_private_key"] == "[redacted]"
    assert ok_json(sdk.put_push_credential("webpush", vapid))["version"] == 2
    listed = ok_json(sdk.list_push_credentials())
    assert [(item["provider"], item["version"]) for item in listed["items"]] == [("webpush", 2)]
    assert vapid["vapidPrivateKey"] not in json.dumps(listed)
    expect_error(sdk.put_push_credential("blackberry", {}), 400, "unknown_provider")
    expect_error(sdk.put_push_credential("apns", {"teamId": "T"}), 400, "missing_field")


def test_publish_without_credentials_fails_honestly(push_chorus):
    sdk = sdk_for(push_chorus, PLAIN)
    channel = unique_channel("news")
    ids = [unique_channel("dev") for _ in range(3)]
    for device_id in ids:
        assert sdk.activate_device(device(device_id, platform="apns")).status_code == 201
        assert sdk.upsert_channel_push_subscription({"deviceId": device_id, "channel": channel}).status_code == 201
    accepted = sdk.publish_push(
        {"recipients": [{"type": "channel", "channel": channel}], "payload": {"title": "Hi", "body": "there"}}
    )
    assert accepted.status_code == 202
    answer = accepted.json()
    assert answer["status"] == "accepted" and answer["expected_recipients"] == 3
    status = wait_terminal(sdk, answer["publish_id"])
    assert status["state"] == "failed"
    assert status["counters"] == {"planned": 3, "dispatched": 0, "succeeded": 0, "failed": 3, "expired": 0}
    assert sorted(r["device_id"] for r in status["recipients"]) == sorted(ids)
    assert all(r["error"] == "no_credentials" and "via" not in r for r in status["recipients"])


def test_log_provider_succeeds_via_log(push_chorus):
    sdk = sdk_for(push_chorus, LOGGING)
    client = unique_channel("client")
    for n in range(2):
        assert sdk.activate_device(device(f"{client}-{n}", client_id=client)).status_code == 201
    answer = ok_json(
        sdk.publish_push({"recipients": [{"type": "client", "clientId": client}], "payload": {"data": {"k": "v"}}})
    )
    status = wait_terminal(sdk, answer["publish_id"])
    assert status["state"] == "succeeded" and status["counters"]["succeeded"] == 2
    assert all(r["via"] == "log" for r in status["recipients"])


def test_idempotency_key(push_chorus):
    sdk = sdk_for(push_chorus, LOGGING)
    device_id = unique_channel("dev")
    assert sdk.activate_device(device(device_id)).status_code == 201
    body = {
        "recipients": [{"type": "device", "deviceId": device_id}],
        "payload": {"title": "Order updated", "body": "Order ord_123 moved to packing", "data": {"order_id": "ord_123"}},
        "idempotency_key": "push-order-" + device_id,
    }
    first = ok_json(sdk.publish_push(body))
    second = ok_json(sdk.publish_push(body))
    assert second["publish_id"] == first["publish_id"]
    status = wait_terminal(sdk, first["publish_id"])
    assert status["counters"]["planned"] == 1 and status["recipients"][0]["state"] == "succeeded"
    conflict = sdk.publish_push(body | {"payload": {"title": "Other"}})
    expect_error(conflict, 400, "idempotency_conflict")


def test_bad_publishes_are_400_with_json(push_chorus):
    sdk = sdk_for(push_chorus, PLAIN)
    one = [{"type": "device", "deviceId": "d"}]
    cases = [
        ({"recipients": [], "payload": {"body": "b"}}, "invalid_recipients"),
        ({"recipients": [{"type": "device", "deviceId": "d"}] * 1001, "payload": {"body": "b"}}, "invalid_recipients"),
        ({"recipients": [{"type": "pigeon"}], "payload": {"body": "b"}}, "invalid_recipients"),
        ({"recipients": one}, "missing_field"),
        ({"recipients": one, "payload": {}}, "invalid_payload"),
        ({"recipients": one, "payload": {"title": "t" * 257}}, "payload_too_large"),
        ({"recipients": one, "payload": {"body": "b" * 4097}}, "payload_too_large"),
        ({"recipients": one, "payload": {"body": 5}}, "invalid_payload"),
    ]
    for body, code in cases:
        expect_error(sdk.publish_push(body), 400, code)
    expect_error(sdk.activate_device({"deviceId": "x", "platform": "blackberry", "providerToken": "t"}), 400, "unknown_platform")
    expect_error(sdk.activate_device({"deviceId": "x", "platform": "fcm"}), 400, "missing_field")
    expect_error(sdk.get_publish_status("pub_nothing"), 404, "publish_not_found")


def test_scheduling_and_later_routes(push_chorus):
    sdk = sdk_for(push_chorus, PLAIN)
    body = {"recipients": [{"type": "device", "deviceId": "d"}], "payload": {"body": "b"}}
    expect_error(sdk.schedule_push(body | {"notBeforeMs": int(time.time() * 1000) + 60_000}), 400, "scheduling_unsupported")
    assert sdk.publish_push_batch([body]).status_code == 404
    assert sdk.cancel_scheduled_push("pub_x").status_code == 404
    assert sdk.post_push_delivery_status({"publishId": "pub_x"}).status_code == 404


def test_push_off_is_403(push_chorus):
    sdk = sdk_for(push_chorus, OFF)
    result = sdk.activate_device(device("d"))
    assert result.status_code == 403 and result.json()["code"] == "feature_disabled"
    assert sdk.list_push_credentials().status_code == 403
