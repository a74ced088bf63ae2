import ChorusLoad
import Foundation
import Testing

/// `chorus load compare`: the table of two reports and the plot of both curves.
@Suite struct ReportComparisonTests {
    @Test func tableShowsBothFiguresAndTheChange() {
        let a = BaselineComparisonTests.report(p99: 10, perSecond: 1_000)
        var b = BaselineComparisonTests.report(p99: 15, perSecond: 900)
        b.server = ProcessUsage(pid: 1, cpuSeconds: 1, cpuPercent: 50, rssMiB: 100, peakRSSMiB: 110)
        let comparison = ReportComparison(a, b, labels: ("a.json", "b.json"))
        let rows = comparison.rows
        let p99 = rows.first { $0.metric == .deliveryP99 }
        #expect(p99?.changePercent == 50)
        #expect(rows.first { $0.metric == .deliveriesPerSecond }?.changePercent == -10)
        #expect(rows.first { $0.metric == .lost }?.changePercent == nil)
        #expect(rows.first { $0.metric == .serverRSS }.map { $0.a == nil && $0.b == 100 } == true)
        #expect(!rows.contains { $0.metric == .serverRSSGrowth })
        let lines = comparison.table.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("metric") && lines[0].contains("a.json") && lines[0].hasSuffix("change"))
        let cells = lines.map { $0.split(separator: " ").map(String.init) }
        #expect(cells.contains(["delivery_p99_ms", "10", "15", "+50.0", "%"]))
        #expect(cells.contains(["server_rss_mib", "–", "100", "–"]))
        #expect(Set(lines.map(\.count)).count == 1)
    }

    @Test func plotDrawsBothCurvesWithALegend() {
        var a = BaselineComparisonTests.report(p99: 10, perSecond: 1_000)
        a.latency.curve = [.init(percentile: 0, milliseconds: 1), .init(percentile: 99, milliseconds: 10)]
        var b = a
        b.stamp = "20250102T000000Z"
        let svg = ReportComparison(a, b, labels: ("a.json", "b.json")).plot.svg
        #expect(svg.components(separatedBy: "<polyline").count == 3)
        #expect(svg.contains("a.json (20250101T000000Z)") && svg.contains("b.json (20250102T000000Z)"))
    }

    @Test func plotGoesBesideBNamedAfterBoth() {
        #expect(ReportComparison.defaultPlotPath(a: "x/base.json", b: "y/z/run.json") == "y/z/run-vs-base.svg")
        #expect(ReportComparison.defaultPlotPath(a: "base.json", b: "run.json") == "run-vs-base.svg")
    }
}
