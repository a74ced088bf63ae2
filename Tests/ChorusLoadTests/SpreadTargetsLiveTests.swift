import ChorusLoad
import ChorusServer
import ChorusTesting
import Testing

/// A run spread over two targets that are one in-process server reached by two names
/// (`127.0.0.1` and `localhost`), publishing to the second: subscribers alternate between them,
/// client-event senders connect where the run publishes, nothing is lost, duplicated or reordered,
/// and the report says what went where.
@Suite(.serialized) struct SpreadTargetsLiveTests {
    @Test func subscribersAlternateAndNothingIsLost() async throws {
        let scenario = Scenario(
            name: "spread",
            workloads: [
                Workload(name: "fanout", subscribers: 30, channels: 3, rate: 200),
                Workload(
                    name: "chat",
                    subscribers: 6,
                    channels: 2,
                    channelKind: .private,
                    eventName: "client-load",
                    clientEvents: Scenario.ClientEvents(ratePerSender: 5)
                ),
            ],
            length: .events(20),
            warmup: 2,
            connectTimeout: 10,
            drainTimeout: 10
        )
        let report = try await TestServer.with { server in
            let app = server.app
            let choice = TargetChoice(
                targets: ["127.0.0.1:\(server.port)", "ws://localhost:\(server.port)"],
                publishTarget: 1
            )
            let target = try choice.target(for: scenario, appID: app.id, key: app.key, secret: app.secret)
            return try await LoadRunner(scenario: scenario, target: target, showProgress: false).run()
        }
        #expect(report.failures == [])
        #expect(report.deliveries.lost == 0 && report.deliveries.duplicates == 0 && report.deliveries.outOfOrder == 0)
        #expect(report.deliveries.unique == report.deliveries.expected && report.deliveries.expected > 0)
        // Fan-out: plans 0–29 alternate; chat: its two senders (plans 30, 31) go to the publish
        // target, the four others (32–35) alternate.
        let targets = try #require(report.targets)
        #expect(targets.map(\.host) == ["127.0.0.1", "localhost"])
        #expect(targets.map(\.connections) == [17, 19])
        #expect(targets.map(\.subscribers) == [17, 19])
        #expect(targets.map(\.publishes) == [false, true])
        #expect(report.target.host == "localhost")
        let summary = MarkdownSummary(report: report).text
        #expect(summary.contains("against 2 servers, publishing to localhost:"))
        #expect(summary.contains("| 127.0.0.1:\(targets[0].port) | 17 | 17 |  |"))
    }
}
