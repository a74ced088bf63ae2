"""The debug console (docs/console.md) in a real browser: headless Chromium signs in with the
console token and watches what the official `pusher` SDK and `websockets` clients do to a real
`chorus serve`; plus the refusals of its endpoints, over plain HTTP."""
import asyncio
import json
import re
import threading
import urllib.error
import urllib.request

import pytest
import websockets
from browser import browser, console_errors, wait_until  # noqa: F401 (browser is a fixture)
from cluster_support import Cluster, RedisServer
from cluster_support import wait_until as wait_for
from conftest import start_chorus
from selenium.webdriver.common.by import By
from test_webhooks import Receiver

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

TOKEN = "console-test-token-0123456789"
# Deadlines for what the page shows: generous, so a loaded 2-core machine does not fail them.
SECONDS = 20


@pytest.fixture(scope="module")
def server():
    """A server with the console on, whose app sends its webhooks to a receiver that answers 200."""
    receiver = Receiver()
    process = start_chorus(f"""
console_token: {TOKEN}
apps:
  - id: 1
    key: chorus-key
    secret: chorus-secret
    webhooks:
      - url: {receiver.url}
    webhook_delivery:
      batch_window_ms: 20
""")
    yield process
    process.stop()
    receiver.stop()


class Clients:
    """WebSocket clients kept open on an asyncio loop of their own, while Selenium drives the page."""

    def __init__(self, chorus):
        self.chorus = chorus
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(SECONDS)

    async def _connect(self):
        ws = await websockets.connect(self.chorus.ws_url())
        established = json.loads(await ws.recv())
        assert established["event"] == "pusher:connection_established"
        return ws, json.loads(established["data"])["socket_id"]

    async def _subscribe(self, channel, user_id=None):
        ws, socket_id = await self._connect()
        data = {"channel": channel}
        if user_id is not None:
            auth = self.chorus.sdk().authenticate(
                channel=channel, socket_id=socket_id, custom_data={"user_id": user_id, "user_info": {"name": user_id}}
            )
            data.update(auth)
        await ws.send(json.dumps({"event": "pusher:subscribe", "data": data}))
        reply = json.loads(await ws.recv())
        assert reply["event"] == "pusher_internal:subscription_succeeded", reply
        return ws

    def subscribe(self, channel, user_id=None):
        return self.run(self._subscribe(channel, user_id))

    def send(self, ws, message):
        self.run(ws.send(json.dumps(message)))

    def receive(self, ws):
        return json.loads(self.run(ws.recv()))

    def close(self, ws):
        self.run(ws.close())

    def stop(self):
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture
def clients(server):
    pool = Clients(server)
    yield pool
    pool.stop()


def sign_in(driver, server, token=TOKEN):
    driver.get(server.metrics_url("/console"))
    driver.find_element(By.ID, "token").send_keys(token)
    driver.find_element(By.CSS_SELECTOR, "#login-form button").click()


def open_console(driver, server):
    sign_in(driver, server)
    wait_until(driver, lambda d: d.find_element(By.ID, "status").text == "live", SECONDS, "the stream did not open")


def log_rows(driver, **attributes):
    selector = "#log tr.log-row" + "".join(f'[data-{name}="{value}"]' for name, value in attributes.items())
    return driver.find_elements(By.CSS_SELECTOR, selector)


def channel_cell(driver, channel, column):
    """The text of `column` (subscriptions, users) in the channel's row, or None while it is not listed.

    Read in one script: the page rebuilds the channel table every second, so an element found by
    one WebDriver call may be gone by the next."""
    return driver.execute_script(
        "const cell = document.querySelector(`#channels tr.channel-row[data-channel=\"${arguments[0]}\"] td.${arguments[1]}`);"
        "return cell ? cell.textContent : null;",
        channel, column,
    )


def roster(driver, channel):
    """The member lines of a presence channel's roster, read in one script (it is rebuilt every second)."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(`#presence ul.roster[data-channel=\"${arguments[0]}\"] li.member`),"
        " (item) => item.textContent);",
        channel,
    )


def test_published_events_appear_live_and_filters_narrow_them(browser, server):  # noqa: F811
    open_console(browser, server)
    sdk = server.sdk()
    sdk.trigger("news", "headline", {"title": "console"})
    sdk.trigger_batch([
        {"channel": "sports", "name": "score", "data": json.dumps({"home": 1})},
        {"channel": "news", "name": "weather", "data": "sunny"},
    ])
    wait_until(browser, lambda d: len(log_rows(d, event="headline")) == 1, SECONDS, "the trigger is not in the log")
    wait_until(browser, lambda d: len(log_rows(d, event="score")) == 1, SECONDS, "the batch is not in the log")
    headline = log_rows(browser, event="headline")[0]
    assert headline.get_attribute("data-kind") == "trigger"
    assert '"title":"console"' in headline.text.replace(" ", "")
    assert log_rows(browser, event="score")[0].get_attribute("data-kind") == "batch"

    # One event on 60 channels is 60 entries at one instant: over the 50 a second the feed keeps,
    # the rest are counted, and the page says how many it did not show.
    sdk.trigger([f"flood-{number}" for number in range(60)], "flood", "x")
    wait_until(browser, lambda d: "events not shown" in d.find_element(By.ID, "not-shown").text, SECONDS,
               "no 'events not shown'")
    not_shown = int(re.match(r"(\d+) events not shown", browser.find_element(By.ID, "not-shown").text).group(1))
    assert not_shown >= 10 and len(log_rows(browser, event="flood")) + not_shown == 60

    browser.find_element(By.ID, "filter-channel").send_keys("news")
    wait_until(browser, lambda d: not log_rows(d, event="score")[0].is_displayed(), SECONDS, "channel filter")
    assert log_rows(browser, event="headline")[0].is_displayed()
    assert log_rows(browser, event="weather")[0].is_displayed()
    browser.find_element(By.ID, "filter-event").send_keys("head")
    wait_until(browser, lambda d: not log_rows(d, event="weather")[0].is_displayed(), SECONDS, "event filter")
    assert log_rows(browser, event="headline")[0].is_displayed()
    browser.find_element(By.ID, "filter-channel").clear()
    browser.find_element(By.ID, "filter-event").clear()
    browser.find_element(By.ID, "filter-event").send_keys("score")
    wait_until(browser, lambda d: log_rows(d, event="score")[0].is_displayed(), SECONDS, "filters cleared")
    assert console_errors(browser) == []


def test_counts_follow_clients_joining_and_leaving(browser, server, clients):  # noqa: F811
    open_console(browser, server)
    first = clients.subscribe("room-1")
    second = clients.subscribe("room-1")
    wait_until(browser, lambda d: channel_cell(d, "room-1", "subscriptions") == "2", SECONDS, "two subscriptions")
    assert int(browser.find_element(By.ID, "connections").text) >= 2
    # The channel became occupied: the log shows its webhook and the receiver's answer.
    wait_until(browser, lambda d: log_rows(d, kind="webhook", event="channel_occupied", channel="room-1"),
               SECONDS, "the webhook is not in the log")
    assert "(status 200)" in log_rows(browser, kind="webhook", event="channel_occupied", channel="room-1")[0].text
    clients.close(first)
    wait_until(browser, lambda d: channel_cell(d, "room-1", "subscriptions") == "1", SECONDS, "one subscription")
    clients.close(second)
    wait_until(browser, lambda d: channel_cell(d, "room-1", "subscriptions") is None, SECONDS, "the channel is gone")
    assert console_errors(browser) == []


def test_presence_roster_and_subscription_errors(browser, server, clients):  # noqa: F811
    open_console(browser, server)
    alice = clients.subscribe("presence-lobby", user_id="alice")
    wait_until(browser, lambda d: channel_cell(d, "presence-lobby", "users") == "1", SECONDS, "user count")
    assert roster(browser, "presence-lobby") == ['alice {"name":"alice"}']
    # A private channel without auth is refused; the log shows the refusal and its reason.
    ws, _ = clients.run(clients._connect())
    clients.send(ws, {"event": "pusher:subscribe", "data": {"channel": "private-secret"}})
    assert clients.receive(ws)["event"] == "pusher:subscription_error"
    wait_until(browser, lambda d: log_rows(d, kind="subscription_error", channel="private-secret"),
               SECONDS, "the subscription error is not in the log")
    assert "Missing auth" in log_rows(browser, kind="subscription_error")[0].text
    clients.close(ws)
    clients.close(alice)
    assert console_errors(browser) == []


def test_trigger_form_delivers_to_a_subscriber(browser, server, clients):  # noqa: F811
    open_console(browser, server)
    ws = clients.subscribe("form-channel")
    browser.find_element(By.ID, "trigger-channel").send_keys("form-channel")
    browser.find_element(By.ID, "trigger-event").send_keys("from-console")
    data = browser.find_element(By.ID, "trigger-data")
    data.clear()
    data.send_keys('{"sent":"by the form"}')
    browser.find_element(By.CSS_SELECTOR, "#trigger-form button").click()
    message = clients.receive(ws)
    assert message["event"] == "from-console" and message["channel"] == "form-channel"
    assert json.loads(message["data"]) == {"sent": "by the form"}
    wait_until(browser, lambda d: "Triggered from-console" in d.find_element(By.ID, "trigger-result").text,
               SECONDS, "the form did not report success")
    wait_until(browser, lambda d: log_rows(d, kind="console", event="from-console"), SECONDS, "not in the log")
    clients.close(ws)
    assert console_errors(browser) == []


def test_page_refuses_a_wrong_token(browser, server):  # noqa: F811
    sign_in(browser, server, token="not-the-console-token")
    error = browser.find_element(By.ID, "login-error")
    wait_until(browser, lambda d: error.is_displayed(), SECONDS, "no refusal shown")
    assert "Wrong token" in error.text
    assert not browser.find_element(By.ID, "console").is_displayed()
    # The only error is the refused request itself.
    errors = console_errors(browser)
    assert all("401" in entry["message"] for entry in errors), errors


def http(url, method="GET", token=None, body=None):
    """(status, JSON body or None) of one request."""
    request = urllib.request.Request(url, method=method, data=body)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=SECONDS) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def test_endpoints_refuse_a_wrong_token_and_exist_only_on_the_metrics_listener(server):
    event = json.dumps({"name": "e", "channel": "c", "data": "d"}).encode()
    for method, path, body in [
        ("POST", "/console/session", b""),
        ("GET", "/console/apps", None),
        ("GET", "/console/apps/1/stream", None),
        ("POST", "/console/apps/1/events", event),
    ]:
        for token in (None, "wrong-token", TOKEN + "x"):
            status, answer = http(server.metrics_url(path), method, token, body)
            assert status == 401 and answer["code"] == "console_unauthorized", (path, token, status, answer)
    status, answer = http(server.metrics_url("/console/apps"), token=TOKEN)
    assert status == 200 and json.loads(answer)["apps"][0]["id"] == "1"
    for path in ("/console", "/console/apps", "/console/session"):
        status, _ = http(f"http://127.0.0.1:{server.port}{path}", token=TOKEN)
        assert status == 404, path


def test_no_console_without_a_token():
    plain = start_chorus("apps:\n  - id: 1\n    key: chorus-key\n    secret: chorus-secret\n")
    try:
        for path in ("/console", "/console/console.js", "/console/apps", "/console/apps/1/stream"):
            status, _ = http(plain.metrics_url(path), token=TOKEN)
            assert status == 404, path
    finally:
        plain.stop()


def test_cluster_view_shows_other_nodes_subscribers_and_events(browser, tmp_path):  # noqa: F811
    """Two nodes on one Redis: the console of node b counts node a's subscriber, shows events
    published on a as `cluster` entries, and its trigger form reaches a subscriber on a."""
    redis = RedisServer()
    cluster = None
    pool = None
    try:
        redis.start()
        cluster = Cluster(redis, tmp_path)
        with open(cluster.config_path) as handle:
            configuration = json.load(handle)
        configuration["console_token"] = TOKEN
        with open(cluster.config_path, "w") as handle:
            json.dump(configuration, handle)
        a, b = cluster.start("a", "b")
        banner = re.compile(r"^  metrics: http://[^ ]+:(\d+)/metrics$", re.MULTILINE)
        wait_for(lambda: banner.search(b.log()), SECONDS, message="node b's banner")
        b.metrics_port = int(banner.search(b.log()).group(1))

        open_console(browser, b)
        pool = Clients(a)
        ws = pool.subscribe("across")
        wait_until(browser, lambda d: channel_cell(d, "across", "subscriptions") == "1", SECONDS,
                   "node a's subscriber is not counted on node b")
        a.sdk().trigger("across", "from-node-a", {"n": 1})
        assert pool.receive(ws)["event"] == "from-node-a"
        wait_until(browser, lambda d: log_rows(d, kind="cluster", event="from-node-a"), SECONDS,
                   "node a's event is not in node b's log")
        assert "from node" in log_rows(browser, kind="cluster", event="from-node-a")[0].text

        browser.find_element(By.ID, "trigger-channel").send_keys("across")
        browser.find_element(By.ID, "trigger-event").send_keys("from-node-b")
        browser.find_element(By.CSS_SELECTOR, "#trigger-form button").click()
        assert pool.receive(ws)["event"] == "from-node-b"
        wait_until(browser, lambda d: log_rows(d, kind="console", event="from-node-b"), SECONDS, "not in the log")
        assert len(log_rows(browser, event="from-node-b")) == 1  # shown once, not again when Redis echoes it
        pool.close(ws)
        assert console_errors(browser) == []
    finally:
        if pool is not None:
            pool.stop()
        if cluster is not None:
            cluster.close()
        redis.stop()
