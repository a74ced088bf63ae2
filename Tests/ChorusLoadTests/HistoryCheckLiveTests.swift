import ChorusLoad
import ChorusServer
import ChorusTesting
import Testing

/// The history check over real sockets against an in-process server keeping history on `hist-*`
/// only: every acknowledged event is read back, the report compares publish latency with history
/// against without, and a workload on channels without history fails the check.
@Suite(.serialized) struct HistoryCheckLiveTests {
    private static func scenario(historyPrefix: String) -> Scenario {
        Scenario(
            name: "history-live",
            workloads: [
                Workload(
                    name: "history",
                    subscribers: 10,
                    channels: 2,
                    batchSize: 3,
                    rate: 500,
                    channelPrefix: historyPrefix,
                    historyCheck: true
                ),
                Workload(name: "plain", subscribers: 10, channels: 2, rate: 500, channelPrefix: "nohist-"),
            ],
            length: .events(150),
            warmup: 10,
            connectTimeout: 10,
            drainTimeout: 10
        )
    }

    private static func run(_ scenario: Scenario, twice: Bool = false) async throws -> LoadReport {
        try await TestServer.with { configuration in
            configuration.apps[0].history.enabled = true
            configuration.apps[0].history.channels = ["hist-*"]
        } _: { server in
            let app = server.app
            let target = LoadTarget(
                host: "127.0.0.1",
                port: server.port,
                appID: app.id,
                key: app.key,
                secret: app.secret
            )
            if twice { _ = try await LoadRunner(scenario: scenario, target: target, showProgress: false).run() }
            return try await LoadRunner(scenario: scenario, target: target, showProgress: false).run()
        }
    }

    @Test func everyAcknowledgedEventIsFoundOnceInOrder() async throws {
        // The second run finds the first run's history on the same channels and counts only its own.
        let report = try await Self.run(Self.scenario(historyPrefix: "hist-"), twice: true)
        #expect(report.failures == [])
        let history = try #require(report.history)
        #expect(history.channels == 2)
        #expect(history.acknowledged == 160)
        #expect(history.stored == 160)
        #expect(history.missing == 0 && history.duplicates == 0 && history.disorder == 0)
        let latency = try #require(report.historyLatency)
        #expect(latency.withHistoryP50Milliseconds > 0 && latency.withoutHistoryP50Milliseconds > 0)
        let workloads = try #require(report.workloads)
        #expect(workloads[0].history?.acknowledged == 160 && workloads[1].history == nil)
        #expect(workloads[0].publishP50Milliseconds != nil)
    }

    @Test func channelsWithoutHistoryFailTheCheck() async throws {
        let report = try await Self.run(Self.scenario(historyPrefix: "nohist-a-"))
        let history = try #require(report.history)
        #expect(history.errors.count == 2)
        #expect(history.errors[0].contains("HTTP 403"))
        #expect(report.failures.contains { $0.hasPrefix("history could not be read") })
    }
}
