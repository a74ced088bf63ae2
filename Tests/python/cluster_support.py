"""A throw-away Redis and several `chorus serve` nodes sharing it (issue #17, docs/scale-out.md).

`RedisServer` runs Debian's `redis-server` on a free loopback port with persistence off, so a
restart on the same port comes back empty. `Cluster` writes one configuration file (JSON, which is
YAML) with `adapter: {driver: redis, …}` and a prefix of its own, and starts nodes from it, each
with `--port` on a free port, ready once `GET /up` answers 200. `WebhookLog` keeps what a
`test_webhooks.Receiver` got, as events, so a test can wait for one and then check it came once.

Every wait here has a deadline; nothing sleeps to make a test pass."""
import contextlib
import dataclasses
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass

from conftest import CHORUS_BIN, ChorusProcess

REDIS_BIN = os.environ.get("REDIS_SERVER_BIN", "/usr/bin/redis-server")

# The apps every node has. App 1 takes client events; app 2 allows two presence members, for the
# cluster-wide limit; app 3 announces subscription counts. Apps 1 and 3 send webhooks when asked.
MAIN_APP = {"id": 1, "key": "chorus-key", "secret": "chorus-secret"}
SMALL_PRESENCE_APP = {"id": 2, "key": "small-key", "secret": "small-secret", "max_presence_members": 2}
COUNTED_APP = {"id": 3, "key": "counted-key", "secret": "counted-secret", "subscription_count_enabled": True}


def free_port():
    """A loopback port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, timeout, interval=0.05, message="condition"):
    """Calls `check` until it returns something truthy, which it returns; fails after `timeout` s.

    `check` may raise while the condition does not hold yet: the last error is reported."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            result = check()
            if result:
                return result
            last = result
        except Exception as error:  # not there yet (a refused connection, a failed assertion)
            last = error
        if time.monotonic() >= deadline:
            raise AssertionError(f"{message} not met within {timeout} s; last: {last!r}")
        time.sleep(interval)


def http_status(port, path="/up", timeout=2):
    """The status and body of an unsigned GET on 127.0.0.1:`port` (an error status is an answer too)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class RedisServer:
    """A `redis-server` on 127.0.0.1 without persistence, which can die and come back on its port."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.directory = tempfile.mkdtemp(prefix="chorus-redis-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}"

    def start(self, timeout=10):
        """Starts the server and waits until it answers PING."""
        log = open(os.path.join(self.directory, "redis.log"), "a")
        self.process = subprocess.Popen(
            [REDIS_BIN, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.directory],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.directory,
        )
        log.close()
        wait_until(self.answers_ping, timeout, message=f"redis-server on port {self.port} answering PING")

    def answers_ping(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {self.process.returncode}: {self.log()}")
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(64).startswith(b"+PONG")

    def kill(self):
        """SIGKILL: the data goes with it (there is none on disk), the port is free again."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def restart(self):
        """Kills the server if it runs and starts an empty one on the same port."""
        self.kill()
        self.start()

    def log(self):
        with open(os.path.join(self.directory, "redis.log")) as handle:
            return handle.read()[-4000:]

    def stop(self):
        self.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


@dataclass
class Node(ChorusProcess):
    """One `chorus serve` of a cluster; its output goes to `log_path`."""

    name: str = ""
    log_path: str = ""

    def as_app(self, app):
        """This node seen as another of its apps: `sdk()` and `ws_url()` use that app's credentials."""
        return dataclasses.replace(self, app_id=str(app["id"]), key=app["key"], secret=app["secret"])

    def up(self):
        """True when `GET /up` answers 200."""
        return http_status(self.port)[0] == 200

    def log(self):
        with open(self.log_path) as handle:
            return handle.read()[-4000:]

    def kill(self):
        """`kill -9`: no goodbye to Redis or to the other nodes."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)



class Cluster:
    """Nodes started from one shared configuration file, relaying over `redis`."""

    def __init__(self, redis, directory, webhook_url=None, redis_url=None):
        self.redis = redis
        self.directory = str(directory)
        self.nodes = []
        apps = [dict(MAIN_APP), SMALL_PRESENCE_APP, dict(COUNTED_APP)]
        if webhook_url is not None:
            for app in (apps[0], apps[2]):
                app["webhooks"] = [{"url": webhook_url}]
                app["webhook_delivery"] = {"batch_window_ms": 20, "vacate_delay_ms": 100}
        configuration = {
            "adapter": {"driver": "redis", "url": redis_url or redis.url, "prefix": f"chorus-{uuid.uuid4().hex[:10]}"},
            "storage": {"driver": "memory"},
            "shutdown_grace_seconds": 1,
            # Every node on its own free metrics port; the tests poll the API from one address
            # faster than 300 times a minute.
            "metrics_port": 0,
            "api_requests_per_ip_per_minute": 0,
            "apps": apps,
        }
        self.config_path = os.path.join(self.directory, "cluster.json")
        with open(self.config_path, "w") as handle:
            json.dump(configuration, handle, indent=2)

    def launch(self, name):
        """Starts one node on a free port without waiting for it (see `wait_up`)."""
        port = free_port()
        working_directory = tempfile.mkdtemp(prefix=f"chorus-node-{name}-", dir=self.directory)
        log_path = os.path.join(working_directory, "chorus.log")
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                [CHORUS_BIN, "serve", "--config", self.config_path, "--port", str(port), "--log-level", "warning"],
                stdout=log, stderr=subprocess.STDOUT, cwd=working_directory,
            )
        node = Node(process=process, port=port, name=name, log_path=log_path)
        self.nodes.append(node)
        return node

    def wait_up(self, node, timeout=20):
        """Waits until `node` answers `/up` with 200; fails with its log if it exits or never does."""

        def ready():
            if node.process.poll() is not None:
                raise RuntimeError(f"node {node.name} exited with {node.process.returncode}: {node.log()}")
            return node.up()

        try:
            wait_until(ready, timeout, interval=0.1, message=f"node {node.name} /up 200")
        except AssertionError as error:
            raise AssertionError(f"{error}\nlog of node {node.name}:\n{node.log()}") from None
        return node

    def start(self, *names):
        """Starts one node per name, all at once, and returns them once every one is up."""
        launched = [self.launch(name) for name in names]
        return [self.wait_up(node) for node in launched]

    def close(self):
        """Stops every node: SIGTERM to all at once, then SIGKILL to any still running after 10 s."""
        running = [node for node in self.nodes if node.process.poll() is None]
        for node in running:
            node.process.terminate()
        deadline = time.monotonic() + 10
        for node in running:
            try:
                node.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                node.kill()


class WebhookLog:
    """The events a `test_webhooks.Receiver` got, in arrival order, kept across tests."""

    def __init__(self, receiver):
        self.receiver = receiver
        self.events = []

    def drain(self):
        while not self.receiver.requests.empty():
            _, body = self.receiver.requests.get_nowait()
            self.events += json.loads(body)["events"]

    def matching(self, **fields):
        """Every event so far whose fields include `fields`."""
        self.drain()
        return [event for event in self.events if all(event.get(k) == v for k, v in fields.items())]

    def wait_once(self, timeout=5, quiet=0.75, **fields):
        """Waits up to `timeout` s for an event with `fields`, then `quiet` s more, and asserts there
        was exactly one."""
        wait_until(lambda: self.matching(**fields), timeout, message=f"webhook {fields}")
        time.sleep(quiet)  # room for a duplicate from another node to arrive
        found = self.matching(**fields)
        assert len(found) == 1, f"webhook {fields} arrived {len(found)} times: {found}"

    def assert_none(self, quiet=0.75, **fields):
        """Asserts that no event with `fields` arrives within `quiet` s."""
        time.sleep(quiet)
        assert self.matching(**fields) == [], f"unexpected webhook {fields}"


@contextlib.contextmanager
def running_cluster(directory, webhook_url=None, names=("a", "b", "c")):
    """A fresh Redis and a cluster of nodes named `names`, all up; everything stops on the way out,
    a failed start included. Yields (redis, cluster, nodes)."""
    redis = RedisServer()
    cluster = None
    try:
        redis.start()
        cluster = Cluster(redis, directory, webhook_url=webhook_url)
        yield redis, cluster, cluster.start(*names)
    finally:
        if cluster is not None:
            cluster.close()
        redis.stop()
