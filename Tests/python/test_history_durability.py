"""`kill -9` of `chorus serve` while publishers run flat out: after a restart on the same store
(SQLite file, or PostgreSQL database) every retained event the API acknowledged (HTTP 2xx) is in the
channel's history exactly once, with the serials its acknowledgement gave, in publish order, and the
history has no gap (docs/history.md: acknowledged only once committed)."""
import json
import threading

import pytest
from sockudo_http_python import TriggerOptions

from history_support import BACKENDS, page_history, sockudo, start_history_chorus, unique_channel

PUBLISHERS = 4
CHANNELS = 2
KILL_AFTER_ACKNOWLEDGED = 400


class Publisher(threading.Thread):
    """Publishes `{"publisher": p, "seq": n}` on one channel, one request at a time, until the server is gone."""

    def __init__(self, server, index, channel, progress):
        super().__init__(daemon=True)
        self.sdk = sockudo(server, max_retries=1, timeout=10)
        self.index, self.channel, self.progress = index, channel, progress
        self.acknowledged = []  # (seq, message_serial, history_serial), in publish order
        self.attempted = 0

    def run(self):
        while True:
            self.attempted += 1
            data = {"publisher": self.index, "seq": self.attempted}
            result = self.sdk.trigger(self.channel, "order", data, TriggerOptions(info="message_serial"))
            if not result.ok:
                return
            entry = result.json()["channels"][self.channel]
            self.acknowledged.append((self.attempted, entry["message_serial"], entry["history_serial"]))
            self.progress.release()


@pytest.mark.parametrize("backend", BACKENDS)
def test_acknowledged_events_survive_kill_9(backend, tmp_path):
    server = start_history_chorus(backend, tmp_path)
    channels = [unique_channel() for _ in range(CHANNELS)]
    progress = threading.Semaphore(0)
    publishers = [Publisher(server, index, channels[index % CHANNELS], progress) for index in range(PUBLISHERS)]
    for publisher in publishers:
        publisher.start()
    for _ in range(KILL_AFTER_ACKNOWLEDGED):
        assert progress.acquire(timeout=60), "publishing stalled before the kill"
    server.process.kill()  # SIGKILL: no drain, no flush
    server.process.wait()
    for publisher in publishers:
        publisher.join(timeout=30)
        assert not publisher.is_alive()

    restarted = start_history_chorus(backend, tmp_path)
    try:
        sdk = sockudo(restarted)
        for channel in channels:
            history = page_history(sdk, channel, "oldest_first")
            assert [item["serial"] for item in history] == list(range(1, len(history) + 1)), "a gap or a repeat"
            assert page_history(sdk, channel, "newest_first") == history[::-1]
            stored = [json.loads(item["message"]["data"]) for item in history]
            by_event = {(event["publisher"], event["seq"]): item for event, item in zip(stored, history)}
            assert len(by_event) == len(history), "an event stored twice"
            for publisher in (p for p in publishers if p.channel == channel):
                for seq, message_serial, history_serial in publisher.acknowledged:
                    item = by_event.get((publisher.index, seq))
                    assert item is not None, f"acknowledged event {publisher.index}/{seq} lost"
                    assert (item["serial"], item["message_id"]) == (history_serial, message_serial)
                mine = [event["seq"] for event in stored if event["publisher"] == publisher.index]
                kept = len(publisher.acknowledged)
                # In order, and beyond the acknowledged ones at most the request in flight at the kill.
                assert mine in (list(range(1, kept + 1)), list(range(1, kept + 2))), mine[kept - 3:]
        after = sdk.trigger(channels[0], "order", {"after": True}, TriggerOptions(info="message_serial")).json()
        assert after["channels"][channels[0]]["history_serial"] == len(page_history(sdk, channels[0]))
    finally:
        restarted.stop()
