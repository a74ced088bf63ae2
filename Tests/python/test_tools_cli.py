"""`chorus conform` and `chorus load` as a new user runs them: from a directory outside the repository."""
import os
import subprocess

import pytest

from conftest import CHORUS_BIN, start_chorus
from history_support import history_config


@pytest.fixture(scope="module")
def chorus(tmp_path_factory):
    """A `chorus serve` keeping history on `hist-*` only and taking push, as the bundled V2 cases expect."""
    server = start_chorus(history_config("sqlite", tmp_path_factory.mktemp("tools-history")))
    yield server
    server.stop()


def run_tool(args, cwd, timeout=300):
    return subprocess.run([CHORUS_BIN, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_conform_runs_the_bundled_cases_from_any_directory(chorus, tmp_path):
    result = run_tool(["conform", "--port", str(chorus.port), "--tag", "signatures", "--tag", "http"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED [must] signatures.runner_matches_vectors" in result.stdout
    assert (tmp_path / "results" / "conformance" / "conformance.json").is_file()


def test_load_runs_a_named_scenario_from_any_directory(chorus, tmp_path):
    result = run_tool(["load", "smoke", "--port", str(chorus.port), "--out", str(tmp_path / "out")], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert os.listdir(tmp_path / "out" / "smoke")


def test_unusable_files_are_named_with_what_to_do(chorus, tmp_path):
    conform = run_tool(["conform", "--cases", "no-such-dir"], tmp_path, timeout=60)
    assert conform.returncode != 0
    assert "no-such-dir: no such directory" in conform.stderr + conform.stdout

    load = run_tool(["load", "no-such-scenario"], tmp_path, timeout=60)
    assert load.returncode == 2
    assert "no-such-scenario" in load.stderr and "smoke" in load.stderr

    baseline = run_tool(["load", "smoke", "--port", "1", "--baseline", "missing.json"], tmp_path, timeout=60)
    assert baseline.returncode == 2
    assert "missing.json is not a readable run report" in baseline.stderr

    (tmp_path / "blocked").write_text("a file where the report directory should be")
    reports = run_tool(["conform", "--port", str(chorus.port), "--tag", "signatures", "--output", "blocked/reports"],
                       tmp_path, timeout=120)
    assert reports.returncode != 0
    assert "blocked/reports cannot be written" in reports.stderr + reports.stdout

    for result in (conform, load, baseline, reports):
        assert "NSCocoaErrorDomain" not in result.stdout + result.stderr
