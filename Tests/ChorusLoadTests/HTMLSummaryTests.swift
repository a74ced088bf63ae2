import ChorusLoad
import Foundation
import Testing

/// A run's page and the results index show the report's figures and verdicts, escaped.
@Suite struct HTMLSummaryTests {
    static var report: LoadReport {
        var report = ThresholdTests.report
        report.stamp = "20250101T000000Z"
        report.latency.curve = [.init(percentile: 50, milliseconds: 11), .init(percentile: 99, milliseconds: 40)]
        return report
    }

    @Test func failedThresholdsShowFailed() {
        var report = Self.report
        report.judge([
            Threshold(metric: .deliveryP99, comparison: .below, limit: 20),
            Threshold(metric: .lost, comparison: .atMost, limit: 3),
        ])
        let page = HTMLSummary(report: report).document
        #expect(page.contains(#"<p id="verdict"><span class="verdict fail">FAILED</span>"#))
        #expect(page.contains(#"<table id="thresholds">"#))
        #expect(
            page.contains(
                #"<tr class="fail"><td>delivery_p99_ms</td><td>&lt; 20</td><td>40</td><td><span class="verdict fail">FAIL</span></td></tr>"#
            )
        )
        #expect(page.contains(#"<td>lost</td><td>&lt;= 3</td><td>3</td><td><span class="verdict pass">pass</span>"#))
        #expect(page.contains("<li>threshold delivery_p99_ms: measured 40, wanted &lt; 20</li>"))
        #expect(page.contains("<td>lost / duplicated / out of order</td><td>3 / 4 / 5</td>"))
        #expect(page.contains("<svg") && page.contains("<polyline"))
    }

    @Test func aRunWithoutThresholdsSaysSo() {
        var report = Self.report
        report.failures = []
        let page = HTMLSummary(report: report).document
        #expect(page.contains(#"<span class="verdict pass">PASSED</span>"#))
        #expect(page.contains("No thresholds: the scenario states none."))
    }

    @Test func theComparisonAppearsOnlyWithABaseline() {
        let plain = HTMLSummary(report: Self.report).document
        #expect(!plain.contains(#"id="baseline""#))
        #expect(!plain.contains("against the baseline (see below)"))
        var baseline = Self.report
        baseline.latency.p99 = 10
        let compared = HTMLSummary(
            report: Self.report,
            baseline: .init(label: "results/smoke/baseline.json", report: baseline, tolerance: 0.5)
        ).document
        #expect(compared.contains(#"<h2 id="baseline">Compared with the baseline</h2>"#))
        let headline = #" · <span class="verdict fail">REGRESSED</span> against the baseline (see below).</p>"#
        #expect(compared.contains(headline))
        #expect(compared.contains(#"<span class="verdict fail">REGRESSED</span> against results/smoke/baseline.json"#))
        #expect(
            compared.contains(
                "<td>p99 latency (ms)</td><td>10</td><td>40</td><td>15</td><td><span class=\"verdict fail\">REGRESSION</span>"
            )
        )
        #expect(compared.contains("<td>delivery_p99_ms</td><td>10</td><td>40</td><td>+300.0 %</td>"))
        #expect(compared.components(separatedBy: "<svg").count == 3)  // this run's curve, then both
    }

    @Test func scenarioNamesAndErrorsAreEscaped() {
        var report = Self.report
        report.scenario = #"a<b>&"c""#
        report.errors.samples = ["<script>alert(1)</script>"]
        let page = HTMLSummary(report: report).document
        #expect(!page.contains("<script>") && !page.contains("<b>"))
        #expect(page.contains("<h1>a&lt;b&gt;&amp;&quot;c&quot; — 20250101T000000Z</h1>"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func theIndexListsEachRunWithItsVerdictAndLink() {
        var failing = Self.report
        failing.judge([
            Threshold(metric: .deliveryP99, comparison: .below, limit: 20),
            Threshold(metric: .lost, comparison: .atMost, limit: 3),
        ])
        var passing = Self.report
        passing.failures = []
        passing.judge([Threshold(metric: .lost, comparison: .atMost, limit: 3)])
        var bare = Self.report
        bare.failures = []
        let page = ResultsIndex(entries: [
            .init(path: "smoke/a.json", link: "smoke/a.html", report: failing),
            .init(path: "smoke/b.json", link: "smoke/b.html", report: passing),
            .init(path: "smoke/baseline.json", link: "smoke/baseline.json", report: bare),
        ]).document
        #expect(page.contains(#"<a href="smoke/a.html">smoke/a.json</a>"#))
        #expect(page.contains(#"<span class="verdict fail">1 of 2 failed</span>"#))
        #expect(page.contains(#"<span class="verdict pass">all 1 passed</span>"#))
        #expect(
            page.contains(
                #"<a href="smoke/baseline.json">smoke/baseline.json</a></td><td><span class="verdict pass">pass</span></td><td>no thresholds</td>"#
            )
        )
        #expect(page.contains("3 runs, 2 passed."))
    }

    @Test func theResultsDirectoryWritesPagesAndTheIndex() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("html-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let results = ResultsDirectory(root: root)
        try results.write(Self.report)
        let page = "\(root)/smoke/20250101T000000Z.html"
        #expect(FileManager.default.fileExists(atPath: page))
        let index = try String(contentsOfFile: "\(root)/index.html", encoding: .utf8)
        #expect(index.contains(#"<a href="smoke/20250101T000000Z.html">smoke/20250101T000000Z.json</a>"#))
        // From JSON alone: a copied report gets its page; an existing page is kept.
        try FileManager.default.copyItem(
            atPath: "\(root)/smoke/20250101T000000Z.json",
            toPath: "\(root)/smoke/baseline.json"
        )
        try "kept".write(toFile: page, atomically: true, encoding: .utf8)
        #expect(try results.writeMissingPages() == 1)
        #expect(try String(contentsOfFile: page, encoding: .utf8) == "kept")
        #expect(FileManager.default.fileExists(atPath: "\(root)/smoke/baseline.html"))
        let rebuilt = try String(contentsOfFile: "\(root)/index.html", encoding: .utf8)
        #expect(rebuilt.contains(#"<a href="smoke/baseline.html">smoke/baseline.json</a>"#))
    }
}
