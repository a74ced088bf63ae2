import ChorusLoad
import Foundation
import Testing

/// The `workloads:` form and `duration_seconds`: parsing, errors by field, how connections and
/// channels are split, and per-workload accounting in the report.
@Suite struct WorkloadsTests {
    private let parser = ScenarioParser(source: "soak.yaml")

    private let text = """
        name: mix
        duration_seconds: 60
        warmup: 5
        sample_interval_seconds: 5
        max_rss_growth_mib_per_hour: 50
        max_fd_growth_per_hour: 10
        workloads:
          - name: fanout
            subscribers: 100
            channels: 4
            rate: 8
            payload_bytes: [100, 1000, 8000]
          - name: members
            subscribers: 40
            channels: 2
            channel_kind: presence
            rate: 2
            presence_churn: {connections: 6, interval_ms: 500}
          - name: chat
            subscribers: 30
            channels: 10
            channel_kind: private
            client_events: {rate_per_sender: 1}
        """

    @Test func readsTheWorkloadsForm() throws {
        let scenario = try parser.parse(text)
        #expect(scenario.workloads.map(\.name) == ["fanout", "members", "chat"])
        #expect(scenario.length == .seconds(60))
        #expect(scenario.sampleIntervalSeconds == 5)
        #expect(scenario.maxRSSGrowthMiBPerHour == 50)
        #expect(scenario.maxDescriptorGrowthPerHour == 10)
        #expect(scenario.subscribers == 170)
        #expect(scenario.totalConnections == 176)
        #expect(scenario.workloads[0].payloadBytes == [100, 1000, 8000])
        #expect(scenario.workloads[2].eventName == "client-load")
        // Rate × duration; client events: every channel's sender at its rate.
        #expect((0..<3).map(scenario.events(ofWorkload:)) == [480, 120, 600])
        #expect(scenario.channelName(3, workload: 0) == "load-mix-fanout-3")
        #expect(scenario.channelName(1, workload: 1) == "presence-load-mix-members-1")
    }

    @Test func payloadSizesCycleBySequence() {
        let workload = Workload(subscribers: 1, payloadBytes: [100, 1000, 8000])
        #expect((0..<5).map { workload.payloadBytes(forSequence: $0) } == [100, 1000, 8000, 100, 1000])
        #expect(EventPayload(sequence: 4, sentAt: 9).text(size: 1000).utf8.count == 1000)
    }

    @Test(arguments: [
        ("workloads: []", "workloads", "non-empty list"),
        ("workloads: [3]", "workloads[0]", "mapping"),
        ("workloads: [{subscribers: 10, rate: 1}]", "workloads[0].name", "is required"),
        ("workloads: [{name: a, rate: 1}]", "workloads[0].subscribers", "is required"),
        ("workloads: [{name: a, subscribers: 10, rate: 1, colour: red}]", "workloads[0].colour", "not a known field"),
        (
            "workloads: [{name: a, subscribers: 10, rate: 1}, {name: a, subscribers: 10, rate: 1}]",
            "workloads[1].name", "another workload"
        ),
        ("workloads: [{name: a, subscribers: 10}]", "workloads[0].rate", "needs a rate above 0"),
        (
            "workloads: [{name: a, subscribers: 10, rate: 1, payload_bytes: [100, 2]}]",
            "workloads[0].payload_bytes", "between 64"
        ),
        (
            "workloads: [{name: a, subscribers: 9000, rate: 1}, {name: b, subscribers: 1001, rate: 1}]",
            "workloads", "must not exceed 10000, got 10001"
        ),
        (
            "workloads: [{name: a, subscribers: 10, rate: 1, channel_kind: private, client_events: {rate_per_sender: 11}}]",
            "workloads[0].client_events.rate_per_sender", "at most 10"
        ),
        ("workloads: [{name: a, subscribers: 10, rate: 1, delta: true}]", "workloads[0].delta", "single-workload"),
        ("workloads: [{name: a, subscribers: 10, rate: 1}]\nsubscribers: 3", "subscribers", "not a known field"),
    ])
    func namesTheBadWorkloadField(workloads: String, field: String, reason: String) {
        #expect {
            try parser.parse("name: x\nduration_seconds: 10\n\(workloads)")
        } throws: { error in
            guard let error = error as? ScenarioError else { return false }
            return error.field == field && error.reason.contains(reason)
        }
    }

    @Test func durationOverrideRevalidates() throws {
        let events = try parser.parse("name: x\nsubscribers: 10\nrate: 4\nevents: 7")
        let timed = try parser.withDuration(events, seconds: 120)
        #expect(timed.length == .seconds(120))
        #expect(timed.events(ofWorkload: 0) == 480)
        let unpaced = try parser.parse("name: x\nsubscribers: 10\nevents: 7")
        #expect(throws: ScenarioError.self) { try parser.withDuration(unpaced, seconds: 120) }
    }

    @Test func plansSplitConnectionsByWorkload() throws {
        let scenario = try parser.parse(text)
        let plans = ConnectionPlan.plans(for: scenario, key: "k", secret: "s")
        #expect(plans.count == scenario.totalConnections)
        #expect(plans.filter { $0.workload == 0 }.count == 100)
        #expect(plans.filter { $0.workload == 1 && !$0.checked }.count == 6)
        let chat = ConnectionPlan.firstPlan(ofWorkload: 2, in: scenario)
        #expect(chat == 146)
        // The client event senders: the first subscriber of each of the workload's channels.
        #expect(plans[chat..<(chat + 10)].map(\.channelIndex) == Array(0..<10))
        #expect(plans[chat].request.channel == "private-load-mix-chat-0")
        #expect(plans[100].request.channelData?.contains("members-user-0") == true)
    }

    @Test func reportAccountsPerWorkload() throws {
        let scenario = try parser.parse(text)
        let opened = ConnectFigures(
            seconds: 1,
            subscribedPerChannel: [[25, 25, 25, 25], [20, 20], Array(repeating: 3, count: 10)]
        )
        var ledgers = [
            DeliveryLedger(subscribedPerChannel: opened.subscribedPerChannel[0], sendersReceive: true),
            DeliveryLedger(subscribedPerChannel: opened.subscribedPerChannel[1], sendersReceive: true),
            DeliveryLedger(subscribedPerChannel: opened.subscribedPerChannel[2], sendersReceive: false),
        ]
        var outcomes = [PublishOutcome(channels: 4), PublishOutcome(channels: 2), PublishOutcome(channels: 10)]
        outcomes[0].acceptedPerChannel = [2, 2, 2, 2]
        outcomes[1].acceptedPerChannel = [1, 1]
        outcomes[2].acceptedPerChannel = Array(repeating: 1, count: 10)
        for index in 0..<3 { ledgers[index].add(outcomes[index]) }
        var counts = [DeliveryCounts(), DeliveryCounts(), DeliveryCounts()]
        (counts[0].received, counts[0].unique) = (200, 200)
        (counts[1].received, counts[1].unique, counts[1].duplicates) = (40, 38, 2)
        (counts[2].received, counts[2].unique) = (20, 20)
        var latency = LatencyHistogram()
        latency.record(nanoseconds: 1_000_000)
        var slow = LatencyHistogram()
        slow.record(nanoseconds: 9_000_000)
        let report = ReportBuilder(
            scenario: scenario,
            target: LoadTarget(host: "h", port: 1, appID: "1", key: "k", secret: "s")
        )
        .build(
            ReportBuilder.Measured(
                connections: opened,
                ledgers: ledgers,
                outcomes: outcomes,
                sourceNames: ["http", "http", "client_events"],
                snapshot: LoopSnapshot(
                    workloadCounts: counts,
                    workloadLatency: [latency, LatencyHistogram(), slow],
                    latency: latency,
                    phaseReceived: 260
                ),
                publishSeconds: 1,
                phaseSeconds: 1,
                usage: (nil, nil),
                timeSeries: nil
            )
        )
        let workloads = try #require(report.workloads)
        #expect(workloads.map(\.expected) == [200, 40, 20])
        #expect(workloads.map(\.lost) == [0, 2, 0])
        #expect(workloads.map(\.duplicates) == [0, 2, 0])
        #expect(workloads.map(\.events) == [8, 2, 10])
        #expect(workloads.map(\.p99Milliseconds) == [1, 0, 9])
        #expect(report.deliveries.expected == 260)
        #expect(report.deliveries.lost == 2)
        #expect(report.publishing.events == 20)
        #expect(report.setup.subscribers == 170)
        #expect(report.setup.source == "client_events+http")
        #expect(report.setup.durationSeconds == 60)
        #expect(report.failures == ["2 of 260 deliveries lost", "2 duplicated deliveries"])
    }

    @Test func readsWorkloadFiguresWrittenWithoutLatency() throws {
        let json = """
            {"name": "a", "subscribers": 1, "channels": 1, "channel_kind": "public", "source": "http", "rate": 1,
             "payload_bytes": [100], "events": 1, "expected": 1, "received": 1, "unique": 1, "lost": 0,
             "duplicates": 0, "out_of_order": 0, "presence_events": 0}
            """
        let figures = try JSONDecoder().decode(WorkloadFigures.self, from: Data(json.utf8))
        #expect(figures.p99Milliseconds == nil)
    }
}
