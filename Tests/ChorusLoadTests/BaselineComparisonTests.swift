import ChorusLoad
import Foundation
import Testing

@Suite struct BaselineComparisonTests {
    static func report(p99: Double, perSecond: Double, lost: Int64 = 0, expectLoss: Bool = false) -> LoadReport {
        LoadReport(
            scenario: "smoke",
            stamp: "20250101T000000Z",
            target: .init(host: "127.0.0.1", port: 6001, appID: "1"),
            setup: .init(
                subscribers: 10,
                channels: 1,
                channelKind: "public",
                events: 10,
                warmup: 0,
                batchSize: 1,
                rate: 0,
                publishers: 1,
                payloadBytes: 100,
                source: "http",
                expectLoss: expectLoss
            ),
            connections: .init(
                opened: 10,
                failed: 0,
                seconds: 0.1,
                handshakeP50Milliseconds: 1,
                handshakeP99Milliseconds: 2
            ),
            publishing: .init(
                events: 10,
                requests: 10,
                errors: 0,
                seconds: 0.1,
                eventsPerSecond: 100,
                requestP50Milliseconds: 1,
                requestP99Milliseconds: 2
            ),
            deliveries: .init(
                expected: 100,
                received: 100 - lost,
                unique: 100 - lost,
                lost: lost,
                duplicates: 0,
                outOfOrder: 0,
                perSecond: perSecond,
                seconds: 0.1,
                presenceEvents: 0
            ),
            latency: .init(
                p50: p99 / 2,
                p90: p99 * 0.9,
                p99: p99,
                p999: p99,
                max: p99,
                mean: p99 / 2,
                count: 100,
                curve: []
            ),
            errors: .init(connect: 0, publish: 0, protocolErrors: 0, unexpectedCloses: 0, samples: []),
            generator: nil,
            server: nil,
            failures: []
        )
    }

    let baseline = report(p99: 10, perSecond: 1_000)

    @Test func withinTolerancePasses() {
        let comparison = BaselineComparison(
            current: Self.report(p99: 14.9, perSecond: 700),
            baseline: baseline,
            tolerance: 0.5
        )
        #expect(comparison.passed)
        #expect(comparison.description.contains("ok: p99 latency"))
    }

    @Test func slowerP99IsARegression() {
        let comparison = BaselineComparison(
            current: Self.report(p99: 15.1, perSecond: 1_000),
            baseline: baseline,
            tolerance: 0.5
        )
        #expect(comparison.regressions.map(\.name) == ["p99 latency (ms)"])
        #expect(comparison.description.contains("REGRESSION: p99 latency"))
    }

    @Test func lowerThroughputIsARegression() {
        // Tolerance 0.5: throughput may fall to 1000 / 1.5 ≈ 667.
        let comparison = BaselineComparison(
            current: Self.report(p99: 10, perSecond: 600),
            baseline: baseline,
            tolerance: 0.5
        )
        #expect(comparison.regressions.map(\.name) == ["deliveries/s"])
    }

    @Test func anyLossIsARegressionWhateverTheTolerance() {
        let comparison = BaselineComparison(
            current: Self.report(p99: 1, perSecond: 5_000, lost: 1),
            baseline: baseline,
            tolerance: 100
        )
        #expect(comparison.regressions.map(\.name) == ["lost deliveries"])
    }

    @Test func expectedLossIsGatedAgainstTheBaselineLoss() {
        let lossy = Self.report(p99: 10, perSecond: 1_000, lost: 10, expectLoss: true)
        let same = BaselineComparison(
            current: Self.report(p99: 10, perSecond: 1_000, lost: 12, expectLoss: true),
            baseline: lossy,
            tolerance: 0.5
        )
        #expect(same.passed)
        let worse = BaselineComparison(
            current: Self.report(p99: 10, perSecond: 1_000, lost: 20, expectLoss: true),
            baseline: lossy,
            tolerance: 0.5
        )
        #expect(!worse.passed)
    }

    @Test func reportsRoundTripThroughTheResultsDirectory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("chorus-load-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let directory = ResultsDirectory(root: root)
        let path = try directory.write(baseline)
        #expect(try LoadReport.read(path: path) == baseline)
        let index = try String(contentsOfFile: root + "/README.md", encoding: .utf8)
        #expect(index.contains("[smoke/20250101T000000Z.json](smoke/20250101T000000Z.md)"))
        let svg = try String(contentsOfFile: root + "/smoke/20250101T000000Z.svg", encoding: .utf8)
        #expect(svg.hasPrefix("<svg"))
        let markdown = try String(contentsOfFile: root + "/smoke/20250101T000000Z.md", encoding: .utf8)
        #expect(markdown.contains("**PASSED**"))
    }
}
