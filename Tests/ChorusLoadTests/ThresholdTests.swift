import ChorusLoad
import Foundation
import Testing

/// Scenario `thresholds`: parsing, every metric's figure, every operator, verdicts and their JUnit XML.
@Suite struct ThresholdTests {
    private let parser = ScenarioParser(source: "x.yaml")

    /// A report whose figures all differ, with server usage and a trend, so each metric is told apart.
    static var report: LoadReport {
        var report = BaselineComparisonTests.report(p99: 40, perSecond: 9_000, lost: 3)
        report.latency = .init(p50: 11, p90: 22, p99: 40, p999: 55, max: 66, mean: 13, count: 100, curve: [])
        report.deliveries.duplicates = 4
        report.deliveries.outOfOrder = 5
        report.connections = .init(
            opened: 200,
            failed: 6,
            seconds: 0.5,
            handshakeP50Milliseconds: 7,
            handshakeP99Milliseconds: 8
        )
        report.publishing.requestP50Milliseconds = 1.5
        report.publishing.requestP99Milliseconds = 2.5
        report.publishing.eventsPerSecond = 180
        report.errors = .init(connect: 6, publish: 9, protocolErrors: 10, unexpectedCloses: 12, samples: [])
        report.server = ProcessUsage(pid: 1, cpuSeconds: 1, cpuPercent: 75, rssMiB: 120, peakRSSMiB: 130)
        report.timeSeries = TimeSeries(intervalSeconds: 1, points: [])
        report.timeSeries?.trend = .init(fromSeconds: 5, points: 6, rssMiBPerHour: 14, descriptorsPerHour: 15)
        return report
    }

    static let figures: [ThresholdMetric: Double] = [
        .deliveryP50: 11, .deliveryP90: 22, .deliveryP99: 40, .deliveryP999: 55, .deliveryMax: 66, .deliveryMean: 13,
        .deliveriesPerSecond: 9_000, .lost: 3, .duplicates: 4, .outOfOrder: 5, .connectP50: 7, .connectP99: 8,
        .connectSeconds: 0.5, .connectsPerSecond: 400, .connectErrors: 6, .publishP50: 1.5, .publishP99: 2.5,
        .publishedPerSecond: 180, .publishErrors: 9, .protocolErrors: 10, .unexpectedCloses: 12, .serverCPU: 75,
        .serverRSS: 120, .serverPeakRSS: 130, .serverRSSGrowth: 14, .serverDescriptorGrowth: 15,
    ]

    @Test func everyMetricHasAFigure() {
        #expect(Set(Self.figures.keys) == Set(ThresholdMetric.allCases))
    }

    @Test(arguments: ThresholdMetric.allCases)
    func eachMetricReadsItsFigureAndPassesOrFails(metric: ThresholdMetric) throws {
        let figure = try #require(Self.figures[metric])
        #expect(metric.value(in: Self.report) == figure)
        let natural = metric.naturalComparison
        let met = ThresholdVerdict(Threshold(metric: metric, comparison: natural, limit: figure), report: Self.report)
        #expect(met.outcome == .passed)
        let beyond = natural == .atMost ? figure / 2 : figure * 2
        let missed = ThresholdVerdict(
            Threshold(metric: metric, comparison: natural, limit: beyond),
            report: Self.report
        )
        #expect(missed.outcome == .failed)
        #expect(missed.message.hasPrefix("measured ") && missed.message.contains(", wanted \(natural.rawValue) "))
    }

    @Test func everyOperatorPassesAndFails() {
        let cases: [(Threshold.Comparison, pass: Double, fail: Double)] = [
            (.below, 41, 40), (.atMost, 40, 39), (.above, 39, 40), (.atLeast, 40, 41), (.equal, 40, 41),
        ]
        #expect(cases.map(\.0) == Threshold.Comparison.allCases)
        for (comparison, pass, fail) in cases {
            #expect(comparison.holds(40, pass), "\(comparison.rawValue) \(pass)")
            #expect(!comparison.holds(40, fail), "\(comparison.rawValue) \(fail)")
        }
    }

    @Test func bareNumbersTakeTheNaturalDirectionAndTextsTheirOperator() throws {
        #expect(try Threshold(metric: "lost", text: "0") == Threshold(metric: .lost, comparison: .atMost, limit: 0))
        #expect(
            try Threshold(metric: "deliveries_per_second", text: "40000")
                == Threshold(metric: .deliveriesPerSecond, comparison: .atLeast, limit: 40_000)
        )
        #expect(try Threshold(metric: "delivery_p99_ms", text: " <250 ").comparison == .below)
        #expect(try Threshold(metric: "delivery_p99_ms", text: "<= 250").comparison == .atMost)
        #expect(try Threshold(metric: "lost", text: "== 0").comparison == .equal)
        #expect(try Threshold(metric: "lost", text: ">=1.5e3").limit == 1_500)
    }

    @Test func scenarioThresholdsAreReadInFileOrder() throws {
        let scenario = try parser.parse(
            """
            name: t
            subscribers: 10
            events: 10
            thresholds: {delivery_p99_ms: 250, deliveries_per_second: ">= 40000", lost: 0, connect_p99_ms: "< 500"}
            """
        )
        #expect(
            scenario.thresholds == [
                Threshold(metric: .deliveryP99, comparison: .atMost, limit: 250),
                Threshold(metric: .deliveriesPerSecond, comparison: .atLeast, limit: 40_000),
                Threshold(metric: .lost, comparison: .atMost, limit: 0),
                Threshold(metric: .connectP99, comparison: .below, limit: 500),
            ]
        )
        #expect(try parser.parse("{name: t, subscribers: 1, events: 1}").thresholds.isEmpty)
    }

    @Test(arguments: [
        ("{foo: 1}", "thresholds.foo", "unknown metric; known: delivery_p50_ms, "),
        ("{lost: '=> 1'}", "thresholds.lost", "must be a number, or an operator (<, <=, >, >=, ==)"),
        ("{lost: '<= many'}", "thresholds.lost", "got '<= many'"),
        ("{lost: ''}", "thresholds.lost", "got ''"),
        ("{lost: .inf}", "thresholds.lost", "got '.inf'"),
        ("{lost: ~}", "thresholds.lost", "must be a number or a text"),
        ("{lost: [1, 2]}", "thresholds.lost", "must be a single value"),
        ("[lost]", "thresholds", "must be a mapping of fields"),
    ])
    func badThresholdsNameTheirField(value: String, field: String, reason: String) {
        let text = "{name: t, subscribers: 1, events: 1, thresholds: \(value)}"
        #expect {
            try parser.parse(text)
        } throws: { error in
            guard let error = error as? ScenarioError else { return false }
            return error.field == field && error.reason.contains(reason)
                && "\(error)".hasPrefix("scenario x.yaml: field '\(field)': ")
        }
    }

    @Test func unmeasuredFiguresFailTheRunAndFailedThresholdsAreFailures() throws {
        var report = Self.report
        report.server = nil
        report.judge([
            Threshold(metric: .lost, comparison: .atMost, limit: 3),
            Threshold(metric: .deliveryP99, comparison: .atMost, limit: 20),
            Threshold(metric: .serverRSS, comparison: .atMost, limit: 500),
        ])
        let verdicts = try #require(report.thresholds)
        #expect(verdicts.map(\.outcome) == [.passed, .failed, .notMeasured])
        #expect(verdicts[2].message == "not measured (needs --server-pid), wanted <= 500")
        #expect(
            report.failures == [
                "threshold delivery_p99_ms: measured 40, wanted <= 20",
                "threshold server_rss_mib: not measured (needs --server-pid), wanted <= 500",
            ]
        )
        #expect(!report.passed)
        var none = Self.report
        none.judge([])
        #expect(none.thresholds == nil)
    }

    @Test func noDeliveryMeansLatencyIsNotMeasured() {
        var report = Self.report
        report.latency.count = 0
        #expect(ThresholdMetric.deliveryP99.value(in: report) == nil)
    }

    @Test func verdictsGoIntoTheJSONReportAndTheSummary() throws {
        var report = Self.report
        report.judge([Threshold(metric: .deliveryP99, comparison: .below, limit: 20)])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("threshold-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: path) }
        let data = try JSONEncoder().encode(report)
        try data.write(to: path)
        #expect(try LoadReport.read(path: path.path) == report)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let first = try #require((json["thresholds"] as? [[String: Any]])?.first)
        #expect(first["metric"] as? String == "delivery_p99_ms")
        #expect(first["operator"] as? String == "<")
        #expect(first["verdict"] as? String == "fail")
        #expect(first["measured"] as? Double == 40)
        let summary = MarkdownSummary(report: report).text
        #expect(summary.contains("| delivery_p99_ms | < 20 | 40 | **FAIL** |"))
    }

    @Test func junitHasOneCasePerThresholdAndAFailureForEachMissed() throws {
        var report = Self.report
        report.server = nil
        report.judge([
            Threshold(metric: .lost, comparison: .atMost, limit: 3),
            Threshold(metric: .deliveryP99, comparison: .atMost, limit: 20),
            Threshold(metric: .serverCPU, comparison: .below, limit: 90),
        ])
        let xml = try #require(report.junitXML)
        #expect(xml.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?>"#))
        #expect(
            xml.contains(
                #"<testsuite name="chorus-load.smoke" tests="3" failures="2" errors="0" skipped="0" time="0.100" timestamp="2025-01-01T00:00:00">"#
            )
        )
        #expect(xml.contains(#"<testcase name="lost &lt;= 3" classname="chorus-load.smoke" time="0.000"/>"#))
        #expect(xml.contains(#"<failure type="threshold fail" message="measured 40, wanted &lt;= 20"></failure>"#))
        #expect(xml.contains(#"message="not measured (needs --server-pid), wanted &lt; 90""#))
        #expect(Self.report.junitXML == nil)
    }

    @Test func resultsDirectoryWritesTheJUnitBesideTheJSON() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-load-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        var report = Self.report
        report.judge([Threshold(metric: .lost, comparison: .atMost, limit: 0)])
        try ResultsDirectory(root: root).write(report)
        let xml = try String(contentsOfFile: root + "/smoke/20250101T000000Z.junit.xml", encoding: .utf8)
        #expect(xml.contains(#"failures="1""#))
    }
}
