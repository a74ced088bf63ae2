"""Webhooks from a real `chorus serve` to a real HTTP receiver, checked with the official Python
SDK's `validate_webhook` (key, signature and body exactly as received)."""
import asyncio
import json
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import websockets

from conftest import start_chorus

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Receiver:
    """An HTTP server on 127.0.0.1 that queues every POST as (headers, raw body)."""

    def __init__(self):
        self.requests = queue.Queue()
        received = self.requests

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.put((dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self, timeout=5):
        return self.requests.get(timeout=timeout)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def receiver():
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chorus_with_webhooks(receiver):
    server = start_chorus(
        f"""
apps:
  - id: 1
    key: chorus-key
    secret: chorus-secret
    webhooks:
      - url: {receiver.url}
    webhook_delivery:
      batch_window_ms: 20
      vacate_delay_ms: 200
"""
    )
    yield server
    server.stop()


def test_sdk_validates_what_chorus_sends(chorus_with_webhooks, receiver):
    sdk = chorus_with_webhooks.sdk()

    async def scenario():
        ws = await websockets.connect(chorus_with_webhooks.ws_url())
        await ws.recv()  # connection_established
        await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "sdk-news"}}))
        assert json.loads(await ws.recv())["event"] == "pusher_internal:subscription_succeeded"
        await ws.close()

    asyncio.run(scenario())
    bodies = []
    for _ in range(2):
        headers, body = receiver.next()
        webhook = sdk.validate_webhook(headers["X-Pusher-Key"], headers["X-Pusher-Signature"], body)
        assert webhook is not None, "validate_webhook refused the request"
        bodies.append(webhook)
    assert bodies[0]["events"] == [{"name": "channel_occupied", "channel": "sdk-news"}]
    assert bodies[1]["events"] == [{"name": "channel_vacated", "channel": "sdk-news"}]

    tampered = body.replace(b"sdk-news", b"sdk-fake")
    assert sdk.validate_webhook(headers["X-Pusher-Key"], headers["X-Pusher-Signature"], tampered) is None
    assert sdk.validate_webhook("other-key", headers["X-Pusher-Signature"], body) is None
