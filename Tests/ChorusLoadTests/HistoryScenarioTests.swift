import ChorusLoad
import Foundation
import Testing

/// `history_check` and `channel_prefix` in scenario files, and how the report shows the check.
@Suite struct HistoryScenarioTests {
    private let text = """
        name: h
        events: 10
        workloads:
          - name: on
            subscribers: 4
            channels: 2
            channel_prefix: hist-
            history_check: true
          - name: off
            subscribers: 4
            channels: 2
            channel_prefix: nohist-
        """

    @Test func fieldsAreReadAndPrefixTheChannelNames() throws {
        let scenario = try ScenarioParser(source: "h.yaml").parse(text)
        #expect(scenario.workloads.map(\.historyCheck) == [true, false])
        #expect(scenario.checksHistory)
        #expect(scenario.channelName(1, workload: 0) == "hist-load-h-on-1")
        #expect(scenario.channelName(0, workload: 1) == "nohist-load-h-off-0")
    }

    @Test func thePrefixFollowsTheKindPrefix() throws {
        let scenario = try ScenarioParser(source: "p.yaml").parse(
            "name: p\nevents: 1\nsubscribers: 2\nchannel_kind: private\nchannel_prefix: hist-\n"
        )
        #expect(scenario.channelName(0) == "private-hist-load-p-0")
        #expect(!scenario.checksHistory)
    }

    @Test func clientEventsCannotBeHistoryChecked() {
        let text = """
            name: c
            events: 1
            subscribers: 4
            channels: 2
            channel_kind: private
            history_check: true
            client_events: {rate_per_sender: 1}
            """
        #expect {
            try ScenarioParser(source: "c.yaml").parse(text)
        } throws: { error in
            "\(error)".contains("history_check") && "\(error)".contains("HTTP API")
        }
    }

    @Test func aPrefixMustBeChannelNameCharacters() {
        #expect {
            try ScenarioParser(source: "b.yaml").parse("name: b\nevents: 1\nsubscribers: 1\nchannel_prefix: 'a b'\n")
        } throws: { error in
            "\(error)".contains("channel_prefix")
        }
    }

    @Test func theHistoryScenariosShip() throws {
        for name in ["history-10k", "history-smoke"] {
            let scenario = try ScenarioParser.load(path: BundledScenarios.file(for: name))
            #expect(scenario.workloads.contains { $0.historyCheck && $0.channelPrefix == "hist-" })
            #expect(scenario.workloads.contains { !$0.historyCheck && $0.channelPrefix == "nohist-" })
        }
        #expect(try ScenarioParser.load(path: BundledScenarios.file(for: "history-10k")).subscribers == 10_000)
    }

    @Test func theReportShowsStorageLossAndTheLatencyRatio() throws {
        var with = LatencyHistogram()
        var without = LatencyHistogram()
        for _ in 0..<10 {
            with.record(nanoseconds: 2_200_000)
            without.record(nanoseconds: 2_000_000)
        }
        var history = HistoryFigures(channels: 2, acknowledged: 10, stored: 9)
        history.missing = 1
        let report = LoadReport(
            scenario: "h",
            stamp: "20260101T000000Z",
            target: .init(host: "127.0.0.1", port: 1, appID: "1"),
            setup: .init(
                subscribers: 8,
                channels: 4,
                channelKind: "public",
                events: 10,
                warmup: 0,
                batchSize: 1,
                rate: 0,
                publishers: 2,
                payloadBytes: 100,
                source: "http",
                expectLoss: false
            ),
            connections: .init(
                opened: 8,
                failed: 0,
                seconds: 1,
                handshakeP50Milliseconds: 1,
                handshakeP99Milliseconds: 1
            ),
            publishing: .init(
                events: 10,
                requests: 10,
                errors: 0,
                seconds: 1,
                eventsPerSecond: 10,
                requestP50Milliseconds: 2,
                requestP99Milliseconds: 2
            ),
            deliveries: .init(
                expected: 40,
                received: 40,
                unique: 40,
                lost: 0,
                duplicates: 0,
                outOfOrder: 0,
                perSecond: 40,
                seconds: 1,
                presenceEvents: 0
            ),
            latency: LatencySummary(p50: 1, p90: 1, p99: 1, p999: 1, max: 1, mean: 1, count: 40, curve: []),
            errors: .init(connect: 0, publish: 0, protocolErrors: 0, unexpectedCloses: 0, samples: []),
            generator: nil,
            server: nil,
            history: history,
            historyLatency: HistoryLatency(with: with, without: without),
            failures: history.failures
        )
        let latency = try #require(report.historyLatency)
        #expect(abs(latency.p50Ratio - 1.1) < 0.02)
        let markdown = MarkdownSummary(report: report).text
        #expect(markdown.contains("| all | 2 | 10 | 9 | 1 | 0 | 0 | 0 |"))
        #expect(
            markdown.contains("Publish request latency with history / without: p50 2.")
                && markdown.contains("(ratio 1.")
        )
        #expect(markdown.contains("1 of 10 acknowledged events missing from history"))

        let json = try JSONEncoder().encode(report)
        let text = String(decoding: json, as: UTF8.self)
        #expect(
            text.contains("\"history_latency\"") && text.contains("\"p50_ratio\"") && text.contains("\"missing\":1")
        )
        #expect(try JSONDecoder().decode(LoadReport.self, from: json) == report)
    }
}
