"""`chorus apps` against a real store, and a real `chorus serve` picking its changes up."""
import asyncio
import json
import os
import random
import subprocess
import time

import pytest
import websockets

from conftest import CHORUS_BIN, ChorusProcess, start_chorus


POSTGRES_URL = os.environ.get("CHORUS_TEST_POSTGRES_URL")


def apps(store, *args):
    """Runs `chorus apps <args>` on `store`: a SQLite path, or a postgres:// URL."""
    command, rest = args[0], list(args[1:])
    where = ["--store-url", store] if str(store).startswith("postgres") else ["--store-path", str(store)]
    return subprocess.run([CHORUS_BIN, "apps", command, *where, *rest], capture_output=True, text=True, timeout=30)


def listed(store):
    result = apps(store, "list", "--json")
    assert result.returncode == 0, result.stderr
    return {app["id"]: app for app in json.loads(result.stdout)}


async def connected(server, key, within=10):
    """A socket of app `key` past connection_established, as soon as the server serves the app."""
    deadline = time.monotonic() + within
    while True:
        ws = await websockets.connect(server.ws_url(key=key))
        message = json.loads(await asyncio.wait_for(ws.recv(), 5))
        if message["event"] == "pusher:connection_established":
            return ws
        await ws.close()
        assert time.monotonic() < deadline, f"app {key} not served in time: {message}"
        await asyncio.sleep(0.05)


def test_add_list_set_remove_and_their_errors(tmp_path):
    store = tmp_path / "apps.sqlite"
    added = apps(store, "add", "--id", "10", "--key", "k10", "--secret", "s10", "--set", "max_connections=5")
    assert added.returncode == 0, added.stderr
    assert apps(store, "add", "--id", "11", "--key", "k11", "--secret", "s11").returncode == 0
    stored = listed(store)
    assert set(stored) == {"10", "11"}
    assert stored["10"]["key"] == "k10" and stored["10"]["enabled"] is True
    assert stored["10"]["app"]["max_connections"] == 5 and stored["10"]["app"]["secret"] == "s10"
    table = apps(store, "list").stdout
    assert table.splitlines()[0].split() == ["ID", "KEY", "ENABLED", "UPDATED"] and "k11" in table

    changed = apps(store, "set", "10", "enabled=false", "history.enabled=true")
    assert changed.returncode == 0, changed.stderr
    assert listed(store)["10"]["enabled"] is False and listed(store)["10"]["app"]["history"]["enabled"] is True

    for args, says in [
        (("add", "--id", "12", "--key", "k10", "--secret", "s"), "already used by app '10'"),
        (("add", "--id", "11", "--key", "k", "--secret", "s"), "already in the store"),
        (("add", "--id", "abc", "--key", "k", "--secret", "s"), "numeric"),
        (("set", "10", "max_conections=1"), "max_conections"),
        (("set", "10", "max_connections=-1"), "max_connections"),
        (("set", "99", "enabled=false"), "no app 99"),
        (("remove", "99"), "no app 99"),
    ]:
        result = apps(store, *args)
        assert result.returncode != 0, args
        assert says in result.stderr, (args, result.stderr)

    assert apps(store, "remove", "11").returncode == 0
    assert set(listed(store)) == {"10"}
    both = subprocess.run([CHORUS_BIN, "apps", "list", "--store-path", str(store), "--store-url", "postgres://x/y"],
                          capture_output=True, text=True, timeout=30)
    assert both.returncode != 0 and "exactly one" in both.stderr


@pytest.mark.parametrize("backend", ["sqlite"] + (["postgres"] if POSTGRES_URL else []))
def test_serve_picks_up_added_and_disabled_apps(tmp_path, backend):
    """One node on SQLite; two nodes sharing PostgreSQL, each told of every change."""
    if backend == "sqlite":
        store = tmp_path / "apps.sqlite"
        section = f"app_store: {{driver: sqlite, path: '{store}', refresh_seconds: 0.2}}\n"
    else:
        store = POSTGRES_URL
        section = f"app_store: {{driver: postgres, url: '{store}', refresh_seconds: 0.2}}\n"
    first_id, late_id = (str(random.randrange(10**6, 10**9)) for _ in range(2))
    key, late_key = f"py-key-{first_id}", f"late-key-{late_id}"
    assert apps(store, "add", "--id", first_id, "--key", key, "--secret", "py-secret").returncode == 0
    servers = [start_chorus(section) for _ in range(1 if backend == "sqlite" else 2)]

    async def scenario():
        sockets = []
        for server in servers:
            ws = await connected(server, key)
            await ws.send(json.dumps({"event": "pusher:subscribe", "data": {"channel": "news"}}))
            assert json.loads(await ws.recv())["event"] == "pusher_internal:subscription_succeeded"
            app = ChorusProcess(process=server.process, port=server.port, app_id=first_id, key=key, secret="py-secret")
            app.sdk().trigger("news", "headline", {"n": 1})
            event = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert event["event"] == "headline" and json.loads(event["data"]) == {"n": 1}
            sockets.append(ws)

        # Added while the servers run: served by each within the refresh interval.
        assert apps(store, "add", "--id", late_id, "--key", late_key, "--secret", "s").returncode == 0
        for server in servers:
            await (await connected(server, late_key)).close()

        # Disabled while the servers run: the open connections are closed with 4003.
        assert apps(store, "set", first_id, "enabled=false").returncode == 0
        for ws in sockets:
            error = json.loads(await asyncio.wait_for(ws.recv(), 10))
            assert error["event"] == "pusher:error" and error["data"]["code"] == 4003
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            assert closed.value.rcvd.code == 4003

    try:
        asyncio.run(scenario())
    finally:
        for server in servers:
            server.stop()
        for app_id in (first_id, late_id):
            apps(store, "remove", app_id)
