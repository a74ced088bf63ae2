"""`chorus load` in CI: scenario thresholds with their JUnit XML (validated against the JUnit schema
CI systems read, junit.xsd), `--json` and `--quiet` output, and `chorus load compare`."""
import json
import os
import shutil
import xml.etree.ElementTree as ElementTree

import pytest
import xmlschema

from conftest import run_chorus

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = xmlschema.XMLSchema(os.path.join(HERE, "junit.xsd"))
REPORTS = os.path.join(HERE, "load-reports")

# A small private-channel run: seconds, even against a debug build on a busy machine.
SMALL = """name: small
subscribers: 20
channels: 2
channel_kind: private
events: 100
rate: 200
connect_timeout: 30
drain_timeout: 10
"""


def only_file(directory, suffix):
    names = [name for name in os.listdir(directory) if name.endswith(suffix)]
    assert len(names) == 1, names
    return os.path.join(directory, names[0])


def junit_of(out_dir, scenario):
    """The run's JUnit file, validated against the schema, as an element tree."""
    path = only_file(os.path.join(out_dir, scenario), ".junit.xml")
    SCHEMA.validate(path)
    return ElementTree.parse(path).getroot()


def test_smoke_meets_its_thresholds_and_json_is_the_only_stdout(chorus, tmp_path):
    result = run_chorus(["load", "smoke", "--port", str(chorus.port), "--out", str(tmp_path / "out"), "--json"], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    verdicts = {entry["metric"]: entry for entry in report["thresholds"]}
    assert {"lost", "duplicates", "delivery_p99_ms", "deliveries_per_second"} <= set(verdicts)
    assert verdicts["lost"] == {"metric": "lost", "operator": "<=", "limit": 0, "measured": 0, "verdict": "pass"}
    assert verdicts["deliveries_per_second"]["operator"] == ">="
    assert all(entry["verdict"] == "pass" for entry in report["thresholds"])
    assert "| threshold | wanted | measured | verdict |" in result.stderr  # the summary, off stdout
    suite = junit_of(tmp_path / "out", "smoke").find("testsuite")
    assert suite.get("name") == "chorus-load.smoke"
    assert suite.get("tests") == str(len(report["thresholds"])) and suite.get("failures") == "0"
    assert len(suite.findall("testcase")) == len(report["thresholds"])


def test_a_missed_threshold_fails_the_run_with_a_junit_failure(chorus, tmp_path):
    scenario = tmp_path / "small.yaml"
    scenario.write_text(SMALL + 'thresholds: {lost: 0, delivery_p99_ms: "< 0.001", server_rss_mib: 4096}\n')
    result = run_chorus(["load", str(scenario), "--port", str(chorus.port), "--out", str(tmp_path / "out"), "--quiet"],
                      tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    assert "failed: threshold delivery_p99_ms: measured " in result.stderr
    assert "wanted < 0.001" in result.stderr
    assert "failed: threshold server_rss_mib: not measured (needs --server-pid), wanted <= 4096" in result.stderr
    assert "failed: threshold lost" not in result.stderr
    suite = junit_of(tmp_path / "out", "small").find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    failures = {case.get("name"): case.find("failure") for case in suite.findall("testcase")}
    assert failures["lost <= 0"] is None
    assert failures["delivery_p99_ms < 0.001"].get("message").startswith("measured ")
    assert failures["delivery_p99_ms < 0.001"].get("message").endswith(", wanted < 0.001")
    assert failures["server_rss_mib <= 4096"].get("type") == "threshold not_measured"
    report = json.loads(open(only_file(tmp_path / "out" / "small", ".json")).read())
    assert [entry["verdict"] for entry in report["thresholds"]] == ["pass", "fail", "not_measured"]
    assert "measured" not in report["thresholds"][2]


def test_bad_thresholds_are_scenario_errors_naming_the_field(tmp_path):
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(SMALL + "thresholds: {delivery_p99: 250}\n")
    result = run_chorus(["load", str(scenario), "--no-write"], tmp_path, timeout=60)
    assert result.returncode == 2
    assert f"scenario {scenario}: field 'thresholds.delivery_p99': unknown metric; known: delivery_p50_ms" in result.stderr
    scenario.write_text(SMALL + 'thresholds: {lost: "=< 1"}\n')
    result = run_chorus(["load", str(scenario), "--no-write"], tmp_path, timeout=60)
    assert result.returncode == 2
    assert "field 'thresholds.lost': must be a number, or an operator (<, <=, >, >=, ==)" in result.stderr


def test_junit_schema_rejects_what_ci_would_reject():
    """The schema is not a rubber stamp: a testcase without classname, or a suite without timestamp, fails."""
    good = """<testsuites><testsuite name="s" tests="1" failures="0" errors="0" time="0.1"
        timestamp="2025-01-01T00:00:00"><testcase name="c" classname="k" time="0"/></testsuite></testsuites>"""
    SCHEMA.validate(good)
    for bad in (good.replace(' classname="k"', ""), good.replace(' timestamp="2025-01-01T00:00:00"', "")):
        with pytest.raises(xmlschema.XMLSchemaValidationError):
            SCHEMA.validate(bad)


def test_compare_prints_the_table_and_writes_the_plot(tmp_path):
    a, b = (shutil.copy(os.path.join(REPORTS, name), tmp_path) for name in ("smoke-a.json", "smoke-b.json"))
    result = run_chorus(["load", "compare", a, b], tmp_path, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["metric", a, b, "change"]
    p99 = next(line.split() for line in lines if line.startswith("delivery_p99_ms "))
    assert p99 == ["delivery_p99_ms", "2.97", "1.38", "-53.6", "%"]
    assert any(line.startswith("deliveries_per_second ") for line in lines)
    default_plot = tmp_path / "smoke-b-vs-smoke-a.svg"
    assert f"wrote {default_plot}" in result.stdout
    svg = default_plot.read_text()
    assert svg.startswith("<svg") and svg.count("<polyline") == 2

    chosen = tmp_path / "plots" / "cmp.svg"
    chosen.parent.mkdir()
    result = run_chorus(["load", "compare", a, b, "--plot", str(chosen)], tmp_path, timeout=60)
    assert result.returncode == 0 and chosen.read_text().count("<polyline") == 2


def test_compare_names_unusable_files_and_exits_2(tmp_path):
    a = os.path.join(REPORTS, "smoke-a.json")
    missing = run_chorus(["load", "compare", a, "missing.json"], tmp_path, timeout=60)
    assert missing.returncode == 2
    assert "missing.json is not a readable run report" in missing.stderr
    (tmp_path / "other.json").write_text('{"not": "a report"}')
    other = run_chorus(["load", "compare", "other.json", a], tmp_path, timeout=60)
    assert other.returncode == 2 and "other.json is not a readable run report" in other.stderr
    blocked = run_chorus(["load", "compare", a, a, "--plot", "no-such-dir/x.svg"], tmp_path, timeout=60)
    assert blocked.returncode == 2 and "no-such-dir/x.svg cannot be written" in blocked.stderr
