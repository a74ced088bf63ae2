import ChorusLoad
import Testing

@Suite struct ScenarioParserTests {
    private let parser = ScenarioParser(source: "test.yaml")

    @Test func readsYAMLWithDefaults() throws {
        let scenario = try parser.parse(
            """
            name: fanout-10k
            subscribers: 10000
            events: 200
            """
        )
        #expect(scenario.name == "fanout-10k")
        let workload = try #require(scenario.workloads.first)
        #expect(workload.subscribers == 10_000)
        #expect(workload.channels == 1)
        #expect(workload.channelKind == .public)
        #expect(workload.batchSize == 1)
        #expect(workload.rate == 0)
        #expect(workload.payloadBytes == [100])
        #expect(scenario.length == .events(200))
        #expect(scenario.sampleIntervalSeconds == 1)
        #expect(scenario.maxRSSGrowthMiBPerHour == nil)
        #expect(scenario.expectLoss == false)
        #expect(scenario.expectReorder == false)
        #expect(scenario.channelName(0) == "load-fanout-10k-0")
    }

    @Test func readsJSONAndSections() throws {
        let scenario = try parser.parse(
            #"""
            {"name": "churn", "subscribers": 400, "channels": 10, "channel_kind": "presence", "events": 50,
             "presence_churn": {"connections": 20, "interval_ms": 250}, "expect_loss": true, "rate": 12.5,
             "expect_reorder": true}
            """#
        )
        let workload = try #require(scenario.workloads.first)
        #expect(workload.channelKind == .presence)
        #expect(workload.presenceChurn == Scenario.PresenceChurn(connections: 20, intervalMilliseconds: 250))
        #expect(scenario.expectLoss)
        #expect(scenario.expectReorder)
        #expect(workload.rate == 12.5)
        #expect(scenario.totalConnections == 420)
        #expect(scenario.channelName(3) == "presence-load-churn-3")
    }

    @Test func clientEventsDefaultToAClientEventName() throws {
        let scenario = try parser.parse(
            "{name: c, subscribers: 20, channels: 5, channel_kind: private, events: 10, client_events: {rate_per_sender: 4}}"
        )
        #expect(scenario.workloads[0].eventName == "client-load")
        #expect(scenario.workloads[0].clientEvents?.ratePerSender == 4)
    }

    @Test(arguments: [
        ("subscribers: 10\nevents: 1", "name", "is required"),
        ("name: x\nevents: 1", "subscribers", "is required"),
        ("name: x\nsubscribers: ten\nevents: 1", "subscribers", "must be an integer, got 'ten'"),
        ("name: x\nsubscribers: 10001\nevents: 1", "subscribers", "between 1 and 10000"),
        ("name: x\nsubscribers: 10\nevents: 1\nsubscriber: 3", "subscriber", "not a known field"),
        ("name: x\nsubscribers: 10\nevents: 1\nchannel_kind: secret", "channel_kind", "must be one of"),
        ("name: x\nsubscribers: 10\nchannels: 11\nevents: 1", "channels", "between 1 and 10"),
        ("name: x\nsubscribers: 10\nevents: 1\nexpect_loss: maybe", "expect_loss", "true or false"),
        ("name: x\nsubscribers: 10\nevents: 1\npresence_churn: {connections: 2}", "presence_churn", "presence"),
        (
            "name: x\nsubscribers: 10\nevents: 1\nchannel_kind: presence\npresence_churn: {conections: 2}",
            "presence_churn.conections", "not a known field"
        ),
        ("name: x\nsubscribers: 500\nevents: 1\nchannel_kind: presence", "channels", "at most 100 members"),
        ("name: x y\nsubscribers: 10\nevents: 1", "name", "letters, digits"),
        ("name: x\nsubscribers: 10\nevents: 1\npayload_bytes: 10", "payload_bytes", "between 64"),
        (
            "name: x\nsubscribers: 10\nchannels: 5\nchannel_kind: private\nevents: 1\nclient_events: {rate_per_sender: 20}",
            "client_events.rate_per_sender", "at most 10"
        ),
        ("name: x\nsubscribers: 10\nevents: 1\ndelta: fossil", "delta", "subscription or connection"),
        ("name: x\nsubscribers: 10\nevents: 1\nchannel_kind: presence\ndelta: true", "delta", "presence"),
        ("name: x\nsubscribers: 10", "events", "is required (or duration_seconds)"),
        ("name: x\nsubscribers: 10\nevents: 5\nduration_seconds: 5", "duration_seconds", "not both"),
        ("name: x\nsubscribers: 10\nduration_seconds: 0\nrate: 5", "duration_seconds", "positive"),
        ("name: x\nsubscribers: 10\nduration_seconds: 60", "rate", "needs a rate above 0"),
        ("name: x\nsubscribers: 10\nevents: 1\nsample_interval_seconds: 0", "sample_interval_seconds", "at least"),
        ("name: x\nsubscribers: 10\nevents: 1\nmax_rss_growth_mib_per_hour: -1", "max_rss_growth_mib_per_hour", "≥ 0"),
        ("name: x\nsubscribers: 10\nevents: 1\npayload_bytes: [100, 10]", "payload_bytes", "between 64"),
        ("name: x\nsubscribers: 10\nevents: 1\npayload_bytes: [100, big]", "payload_bytes", "list of integers"),
        ("name: x\nsubscribers: 10\nevents: 1\npayload_bytes: []", "payload_bytes", "empty list"),
    ])
    func namesTheBadField(text: String, field: String, reason: String) {
        expectError(text, field: field, reason: reason)
    }

    private func expectError(_ text: String, field: String, reason: String) {
        #expect {
            try parser.parse(text)
        } throws: { error in
            guard let error = error as? ScenarioError else { return false }
            return error.field == field && error.reason.contains(reason)
                && error.description.contains("field '\(field)'") && error.description.contains("test.yaml")
        }
    }

    @Test(arguments: [
        ("delta: true", Scenario.DeltaMode.subscription),
        ("delta: subscription", .subscription),
        ("delta: connection", .connection),
        ("delta: false", nil),
        ("description: no delta field", nil),
    ])
    func readsDeltaMode(line: String, mode: Scenario.DeltaMode?) throws {
        let scenario = try parser.parse("name: d\nsubscribers: 10\nchannels: 2\nevents: 1\n\(line)")
        #expect(scenario.workloads[0].delta == mode)
        // Each channel of a delta run gets one plain reference subscriber.
        #expect(scenario.totalConnections == (mode == nil ? 10 : 12))
    }

    @Test func rejectsTextThatIsNotAMapping() {
        #expect(throws: ScenarioError.self) { try parser.parse("- just\n- a list") }
        #expect(throws: ScenarioError.self) { try parser.parse("name: [unclosed") }
    }

    @Test func spreadsSubscribersOverChannels() throws {
        let scenario = try parser.parse("name: s\nsubscribers: 10\nchannels: 4\nevents: 1")
        let workload = scenario.workloads[0]
        #expect((0..<4).map(workload.subscriberCount(onChannel:)) == [3, 3, 2, 2])
        #expect(workload.channelIndex(ofSubscriber: 9) == 1)
    }
}
