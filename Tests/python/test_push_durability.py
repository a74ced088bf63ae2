"""kill -9 in the middle of a push dispatch: the publish was accepted (202, stored first), most of
its recipients were delivered and recorded, one request hangs at the provider. After a restart on
the same SQLite file the dispatch resumes: every recipient ends in one terminal state, and the fake
FCM received each notification exactly once (nothing recorded was sent again)."""
import json
import os
import signal
import time

import pytest
from sockudo_http_python import Sockudo, SockudoOptions

from conftest import start_chorus
from history_support import ok_json
from push_fakes import ACCEPT, HANG, FakeFCM

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DEVICES = 400
HUNG = "tok-0200"


def config(directory, fcm):
    return json.dumps({
        "storage": {"driver": "sqlite", "path": os.path.join(str(directory), "chorus.sqlite")},
        "push_delivery": {"fcm_url": fcm.base_url, "max_concurrent_requests": 16, "request_timeout_seconds": 300},
        # 200 devices registered and subscribed from this one address: more than 300 requests a minute.
        "api_requests_per_ip_per_minute": 0,
        "apps": [{"id": "1", "key": "chorus-key", "secret": "chorus-secret", "push": {"enabled": True}}],
    })


def sdk(server):
    options = SockudoOptions(host=server.host, port=server.port, use_tls=False, http2=False)
    return Sockudo("1", "chorus-key", "chorus-secret", options=options)


def wait_for(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_kill_9_mid_dispatch_resumes_without_resending(tmp_path):
    fcm = FakeFCM()
    first = start_chorus(config(tmp_path, fcm))
    try:
        client = sdk(first)
        assert client.put_push_credential("fcm", {"serviceAccountJson": fcm.make_service_account()}).status_code == 201
        for n in range(DEVICES):
            device_id = f"dev-{n:04d}"
            body = {"deviceId": device_id, "platform": "fcm", "providerToken": f"tok-{n:04d}"}
            assert client.activate_device(body).status_code == 201
            assert client.upsert_channel_push_subscription({"deviceId": device_id, "channel": "fleet"}).status_code == 201
        fcm.script(HUNG, HANG)
        accepted = client.publish_push({"recipients": [{"type": "channel", "channel": "fleet"}], "payload": {"title": "t"}})
        assert accepted.status_code == 202
        publish_id = accepted.json()["publish_id"]
        assert accepted.json()["expected_recipients"] == DEVICES

        def recorded():
            return ok_json(client.get_publish_status(publish_id))["counters"]["succeeded"]

        wait_for(lambda: recorded() == DEVICES - 1, "every recipient but the hung one to be recorded")
        status = ok_json(client.get_publish_status(publish_id))
        assert status["state"] == "dispatching"
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
    finally:
        if first.process.poll() is None:
            first.process.kill()

    fcm.script(HUNG, ACCEPT)
    second = start_chorus(config(tmp_path, fcm))
    try:
        client = sdk(second)

        def terminal():
            return ok_json(client.get_publish_status(publish_id))["state"] not in ("accepted", "dispatching")

        wait_for(terminal, "the resumed publish to end")
        status = ok_json(client.get_publish_status(publish_id))
        assert status["state"] == "succeeded"
        assert status["counters"] == {"planned": DEVICES, "dispatched": DEVICES, "succeeded": DEVICES, "failed": 0,
                                      "expired": 0}
        assert len({r["device_id"] for r in status["recipients"]}) == DEVICES
        deliveries = fcm.deliveries
        assert set(deliveries) == {f"tok-{n:04d}" for n in range(DEVICES)}
        assert all(count == 1 for count in deliveries.values()), {t: c for t, c in deliveries.items() if c != 1}
        assert fcm.attempts[HUNG] == 2  # the hung attempt, then the resumed one
    finally:
        second.stop()
        fcm.close()
