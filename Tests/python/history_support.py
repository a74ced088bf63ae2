"""What the history tests share: a `chorus serve` with history on a real store (SQLite in a temporary
directory, or PostgreSQL at $CHORUS_TEST_POSTGRES_URL), Sockudo's official server SDK pointed at it,
and a pager that walks a channel's history the way a user of the API would.

Apps keep history on `hist-*` channels only (docs/history.md): `nohist-*` answers 403."""
import json
import os
import uuid

import pytest
from sockudo_http_python import HistoryParams, Sockudo, SockudoOptions

from conftest import start_chorus

POSTGRES_URL = os.environ.get("CHORUS_TEST_POSTGRES_URL")

# SQLite always; PostgreSQL when the test command started one.
BACKENDS = ["sqlite"] + (["postgres"] if POSTGRES_URL else [])


def storage(backend, directory):
    """The server's `storage` setting for `backend`, keeping SQLite's file in `directory`."""
    if backend == "sqlite":
        return {"driver": "sqlite", "path": os.path.join(str(directory), "chorus.sqlite")}
    return {"driver": "postgres", "url": POSTGRES_URL}


def history_config(backend, directory):
    """A configuration (JSON, which is YAML) with one app keeping history on `hist-*` and taking push
    requests, as v2-api.md §0 configures the app the V2 cases run against."""
    app = {
        "id": 1,
        "key": "chorus-key",
        "secret": "chorus-secret",
        "history": {"enabled": True, "channels": ["hist-*"]},
        "push": {"enabled": True},
    }
    # The history suites publish and read far more than 300 times a minute from one address.
    return json.dumps({"storage": storage(backend, directory), "apps": [app], "api_requests_per_ip_per_minute": 0})


def start_history_chorus(backend, directory, port=0):
    """Starts `chorus serve` with history on `backend`; the same `directory` reopens the same SQLite file."""
    return start_chorus(history_config(backend, directory), port=port)


def unique_channel(prefix="hist"):
    """A fresh channel name, so runs against one shared PostgreSQL never see each other's messages."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def sockudo(server, client=None, **options):
    """Sockudo's official server SDK (sockudo-http-python), unchanged, pointed at `server`."""
    settings = dict(host=server.host, port=server.port, use_tls=False, http2=False)
    settings.update(options)
    return Sockudo(server.app_id, server.key, server.secret, options=SockudoOptions(**settings), client=client)


def ok_json(result):
    """The JSON body of a 2xx SDK result; anything else fails with the server's answer."""
    assert result.ok, f"{result.status_code}: {result.message}"
    return result.json()


# Sockudo's aliases; the answer names the direction itself.
DIRECTION_ALIASES = {"forwards": "oldest_first", "backwards": "newest_first"}


def page_history(sdk, channel, direction="oldest_first", limit=100):
    """Every history item of `channel`, following `next_cursor` until `has_more` is false.

    Checks each page's envelope on the way: the direction and limit echoed, at most `limit` items,
    and `has_more` false exactly when `next_cursor` is null."""
    items, cursor = [], None
    while True:
        page = ok_json(sdk.get_channel_history(channel, HistoryParams(limit=limit, direction=direction, cursor=cursor)))
        assert page["direction"] == DIRECTION_ALIASES.get(direction, direction) and page["limit"] == limit, page
        assert len(page["items"]) <= limit
        assert page["has_more"] == (page.get("next_cursor") is not None), page
        items += page["items"]
        if not page["has_more"]:
            return items
        cursor = page["next_cursor"]


@pytest.fixture(scope="module", params=BACKENDS)
def history_chorus(request, tmp_path_factory):
    """A `chorus serve` with history on each backend in turn, shared by one test module."""
    server = start_history_chorus(request.param, tmp_path_factory.mktemp(f"history-{request.param}"))
    yield server
    server.stop()
