"""`chorus load --workers N`: the subscribers split over worker processes, the results merged exactly."""
import json
import os
import signal
import subprocess
import time

import pytest

from conftest import CHORUS_BIN, start_chorus


@pytest.fixture(scope="module")
def chorus():
    server = start_chorus()
    yield server
    server.stop()


def write_scenario(path, text):
    path.write_text(text)
    return str(path)


def run_load(args, cwd, timeout=120):
    return subprocess.run([CHORUS_BIN, "load", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def only_report(folder):
    (name,) = [f for f in os.listdir(folder) if f.endswith(".json")]
    return json.loads((folder / name).read_text())


def test_two_workers_deliver_every_event_to_every_subscriber(chorus, tmp_path):
    scenario = write_scenario(
        tmp_path / "workers.yaml",
        "name: workers-smoke\nsubscribers: 300\nevents: 40\nwarmup: 5\nrate: 200\n",
    )
    result = run_load([scenario, "--workers", "2", "--port", str(chorus.port), "--out", str(tmp_path / "out")], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = only_report(tmp_path / "out" / "workers-smoke")
    assert report["workers"] == 2
    assert len(report["worker_usage"]) == 2
    assert report["connections"]["opened"] == 300
    deliveries = report["deliveries"]
    # One channel: every subscriber is owed every event, warm-up included.
    assert deliveries["expected"] == 300 * (40 + 5)
    assert deliveries["unique"] == deliveries["received"] == deliveries["expected"]
    assert deliveries["lost"] == deliveries["duplicates"] == deliveries["out_of_order"] == 0
    assert report["latency_ms"]["count"] == 300 * 40
    assert report["failures"] == []
    assert "generator worker processes | 2" in result.stdout


def test_a_worker_that_cannot_connect_is_named_and_exits_2(tmp_path):
    scenario = write_scenario(tmp_path / "w.yaml", "name: w\nsubscribers: 4\nevents: 1\n")
    result = run_load([scenario, "--workers", "2", "--port", "1", "--no-write"], tmp_path, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "worker " in result.stderr and "cannot reach a Pusher server at 127.0.0.1:1" in result.stderr


def children(pid):
    """The processes `pid` started, whichever of its threads started them."""
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            found += [int(child) for child in handle.read().split()]
    return sorted(found)


def test_a_worker_that_dies_mid_run_fails_the_run(chorus, tmp_path):
    scenario = write_scenario(
        tmp_path / "long.yaml",
        "name: long\nsubscribers: 40\nrate: 20\nduration_seconds: 6\ndrain_timeout: 2\n",
    )
    args = [CHORUS_BIN, "load", scenario, "--workers", "2", "--port", str(chorus.port), "--no-write"]
    parent = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 30
        while len(children(parent.pid)) < 2 and time.time() < deadline:
            time.sleep(0.1)
        workers = children(parent.pid)
        assert len(workers) == 2
        time.sleep(3)  # subscribed and publishing
        os.kill(workers[1], signal.SIGKILL)
        stdout, stderr = parent.communicate(timeout=90)
    finally:
        parent.kill()
    assert parent.returncode == 1, stdout + stderr
    assert f"(pid {workers[1]}) failed: was killed by signal 9" in stdout
    # The parent leaves no worker behind.
    assert not os.path.exists(f"/proc/{workers[0]}") or open(f"/proc/{workers[0]}/stat").read().split()[2] == "Z"
