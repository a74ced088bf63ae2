"""The HTML reports in a real browser: `chorus load`'s run pages and `results/index.html`, and
`chorus conform`'s case page, opened over file:// in headless Chromium. Each page must load without
a console error and show the figures of the JSON report it was written with."""
import json
import os
import time

from selenium.webdriver.common.by import By

from browser import browser, console_errors, wait_until  # noqa: F401 (browser is a fixture)
from conftest import run_chorus

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

# One case that passes, one that fails on its status and one skipped for a capability the target
# lacks; the first name has the characters a page must escape.
CASES = """source: Tests/python/test_reports_html.py (cases made to pass, fail and be skipped)
cases:
  - name: 'report.passes <&"quoted">'
    tags: [http]
    steps:
      - http:
          method: POST
          path: /apps/${app_id}/events
          body: {name: foo, channels: ['report-${run}'], data: '{"a":1}'}
          expect: {status: 200, body: {}}
  - name: report.fails_on_its_status
    tags: [http]
    source: a made-up rule of this test
    steps:
      - http:
          method: POST
          path: /apps/${app_id}/events
          body: {name: foo, channels: ['report-${run}'], data: '{"a":1}'}
          expect: {status: 202}
  - name: report.skipped_without_a_second_app
    tags: [http]
    requires: [second_app]
    steps:
      - http:
          method: POST
          path: /apps/${app_id}/events
          body: {name: foo, channels: ['report-${run}'], data: '{"a":1}'}
          expect: {status: 200}
"""


def figure(value):
    """A number as the reports print it (Figure.text): integers plainly, fractions with up to three decimals."""
    if float(value) == round(float(value)):
        return str(int(value))
    magnitude = abs(value)
    return f"{value:.1f}" if magnitude >= 100 else f"{value:.2f}" if magnitude >= 1 else f"{value:.3f}"


def open_page(driver, path):
    """Opens a file over file:// and fails on any console error."""
    driver.get("file://" + os.path.abspath(path))
    wait_until(driver, lambda d: d.execute_script("return document.readyState") == "complete")
    assert console_errors(driver) == []


def table(driver, table_id):
    """The rows of a table as lists of cell texts, the header first."""
    rows = driver.find_elements(By.CSS_SELECTOR, f"table#{table_id} tr")
    return [[cell.text for cell in row.find_elements(By.CSS_SELECTOR, "th, td")] for row in rows]


def figures(driver):
    return {row[0]: row[1] for row in table(driver, "figures")[1:]}


def run_small(chorus, tmp_path, out, extra_yaml="", extra_args=()):
    scenario = tmp_path / "small.yaml"
    scenario.write_text(SMALL + extra_yaml)
    return run_chorus(["load", str(scenario), "--port", str(chorus.port), "--out", str(out), "--quiet", *extra_args],
                    tmp_path)


def newest_report(out):
    names = sorted(name for name in os.listdir(out / "small") if name.endswith(".json"))
    path = out / "small" / names[-1]
    return path, json.loads(path.read_text())


def test_load_pages_and_index_show_the_json_figures(chorus, browser, tmp_path):
    out = tmp_path / "out"
    first = run_small(chorus, tmp_path, out)
    assert first.returncode == 0, first.stdout + first.stderr
    first_json, first_report = newest_report(out)
    # One second later, so the second run gets its own stamp; its thresholds fail, with a baseline.
    time.sleep(1.1)
    second = run_small(chorus, tmp_path, out, 'thresholds: {lost: 0, delivery_p99_ms: "< 0.001"}\n',
                          ("--baseline", str(first_json), "--tolerance", "1000"))
    assert second.returncode == 1, second.stdout + second.stderr
    second_json, report = newest_report(out)
    assert second_json != first_json

    page = str(second_json).replace(".json", ".html")
    open_page(browser, page)
    assert browser.find_element(By.ID, "verdict").text.startswith("FAILED")
    latency = table(browser, "latency")
    assert latency[0] == ["latency (ms)", "p50", "p90", "p99", "p99.9", "max", "mean"]
    assert latency[1][3] == figure(report["latency_ms"]["p99"])
    shown = figures(browser)
    deliveries = report["deliveries"]
    assert shown["deliveries expected / unique"] == f"{deliveries['expected']} / {deliveries['unique']}"
    assert shown["lost / duplicated / out of order"] == (
        f"{deliveries['lost']} / {deliveries['duplicates']} / {deliveries['out_of_order']}")
    assert shown["deliveries/s"] == figure(deliveries["per_second"])
    verdicts = {row[0]: row for row in table(browser, "thresholds")[1:]}
    assert set(verdicts) == {entry["metric"] for entry in report["thresholds"]}
    for entry in report["thresholds"]:
        row = verdicts[entry["metric"]]
        assert row[1] == f"{entry['operator']} {figure(entry['limit'])}"
        assert row[2] == figure(entry["measured"])
        assert row[3] == {"pass": "pass", "fail": "FAIL"}[entry["verdict"]]
    assert verdicts["delivery_p99_ms"][3] == "FAIL" and verdicts["lost"][3] == "pass"
    failures = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#failures li")]
    assert failures == report["failures"]
    assert len(browser.find_elements(By.CSS_SELECTOR, ".plot svg polyline")) >= 3  # its curve, then both runs'
    checks = {row[0]: row for row in table(browser, "baseline-checks")[1:]}
    assert checks["p99 latency (ms)"][1:3] == [figure(first_report["latency_ms"]["p99"]),
                                               figure(report["latency_ms"]["p99"])]
    assert all(row[4] == "pass" for row in checks.values())  # tolerance 1000: nothing regresses
    assert table(browser, "baseline-figures")[0] == ["metric", "baseline", "this run", "change"]

    open_page(browser, str(first_json).replace(".json", ".html"))
    assert browser.find_element(By.ID, "verdict").text.startswith("PASSED")
    assert browser.find_element(By.ID, "thresholds").text == "No thresholds: the scenario states none."
    assert browser.find_elements(By.ID, "baseline") == []

    open_page(browser, out / "index.html")
    rows = {row[0]: row for row in table(browser, "runs")[1:]}
    first_name = f"small/{first_json.name}"
    second_name = f"small/{second_json.name}"
    assert rows[first_name][1:3] == ["pass", "no thresholds"]
    assert rows[second_name][1:3] == ["FAIL", "1 of 2 failed"]
    assert rows[second_name][5] == figure(report["latency_ms"]["p99"])
    assert rows[second_name][7] == str(deliveries["lost"])
    browser.find_element(By.LINK_TEXT, second_name).click()
    wait_until(browser, lambda d: d.current_url.endswith(second_json.name.replace(".json", ".html")))
    assert browser.find_element(By.TAG_NAME, "h1").text == f"small — {report['stamp']}"
    assert console_errors(browser) == []


def test_load_index_builds_pages_from_json_alone(browser, tmp_path):
    here = os.path.dirname(os.path.abspath(__file__))
    (tmp_path / "smoke").mkdir()
    for name in ("smoke-a.json", "smoke-b.json"):
        (tmp_path / "smoke" / name).write_text(open(os.path.join(here, "load-reports", name)).read())
    result = run_chorus(["load", "index", str(tmp_path)], tmp_path, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"wrote 2 run pages and {tmp_path}/index.html (2 runs)" in result.stdout
    open_page(browser, tmp_path / "index.html")
    rows = [row[0] for row in table(browser, "runs")[1:]]
    assert rows == ["smoke/smoke-a.json", "smoke/smoke-b.json"]
    browser.find_element(By.LINK_TEXT, "smoke/smoke-b.json").click()
    wait_until(browser, lambda d: d.current_url.endswith("smoke/smoke-b.html"))
    report = json.loads((tmp_path / "smoke" / "smoke-b.json").read_text())
    assert table(browser, "latency")[1][3] == figure(report["latency_ms"]["p99"])
    assert console_errors(browser) == []


def test_conformance_page_lists_every_case(chorus, browser, tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "report.yaml").write_text(CASES)
    out = tmp_path / "conformance"
    result = run_chorus(["conform", "--port", str(chorus.port), "--cases", str(cases), "--output", str(out)], tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr  # a must case fails
    assert f"{out}/conformance.html" in result.stdout
    report = json.loads((out / "conformance.json").read_text())
    assert (report["passed"], report["failed"], report["skipped"]) == (1, 1, 1)

    open_page(browser, out / "conformance.html")
    assert browser.find_element(By.ID, "verdict").text.startswith("FAILED 3 cases")
    counts = table(browser, "counts")
    assert counts[0][:3] == ["passed", "failed", "failed (must)"] and counts[0][5] == "skipped"
    assert [counts[1][0], counts[1][1], counts[1][5]] == [str(report["passed"]), str(report["failed"]),
                                                         str(report["skipped"])]
    rows = {row[2]: row for row in table(browser, "cases")[1:]}
    assert set(rows) == {case["name"] for case in report["cases"]}
    marks = {"passed": "pass", "failed": "FAIL", "skipped": "skip"}
    for case in report["cases"]:
        row = rows[case["name"]]
        assert row[0] == marks[case["outcome"]]
        assert row[3] == (case.get("detail") or "")
        assert row[5] == case["source"]
    # The checkbox hides the passed cases, with no script.
    passed_row = browser.find_element(By.CSS_SELECTOR, "table#cases tr.pass")
    assert passed_row.is_displayed()
    browser.find_element(By.CSS_SELECTOR, "label[for=hide-passed]").click()
    assert not passed_row.is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "table#cases tr.fail").is_displayed()
    assert console_errors(browser) == []
    failed = rows["report.fails_on_its_status"]
    assert "202" in failed[3] and failed[5] == "a made-up rule of this test"
    assert "second app" in rows["report.skipped_without_a_second_app"][3]
