import ChorusLoad
import ChorusServer
import Foundation
import Logging
import Testing

/// A five-second, two-workload duration run over real sockets against an in-process `chorus serve`:
/// public fan-out with mixed payload sizes beside private client events, one connection pool, no
/// loss in either workload, and a time series with the server's memory and descriptors.
@Suite(.serialized) struct SoakSmokeTests {
    @Test func twoWorkloadsForFiveSeconds() async throws {
        var configuration = ServerConfiguration.embeddedDefault
        configuration.port = 0
        configuration.metricsPort = 0
        let server = try await ChorusServer.start(configuration: configuration, logger: Logger(label: "soak-smoke"))
        let app = configuration.apps[0]
        let scenario = Scenario(
            name: "soak-smoke",
            workloads: [
                Workload(name: "fanout", subscribers: 150, channels: 3, rate: 30, payloadBytes: [100, 2_000, 8_000]),
                Workload(
                    name: "chat",
                    subscribers: 50,
                    channels: 10,
                    channelKind: .private,
                    payloadBytes: [128, 1_024],
                    eventName: "client-load",
                    clientEvents: Scenario.ClientEvents(ratePerSender: 2)
                ),
            ],
            length: .seconds(5),
            warmup: 3,
            connectTimeout: 20,
            drainTimeout: 10,
            sampleIntervalSeconds: 1,
            maxRSSGrowthMiBPerHour: 1_000_000
        )
        // The server runs in this process, so its pid is ours.
        let target = LoadTarget(
            host: "127.0.0.1",
            port: server.port,
            appID: app.id,
            key: app.key,
            secret: app.secret,
            serverPID: ProcessInfo.processInfo.processIdentifier
        )
        let report = try await LoadRunner(scenario: scenario, target: target, showProgress: false).run()
        try await server.shutdown()

        #expect(report.failures == [])
        let workloads = try #require(report.workloads)
        #expect(workloads.map(\.name) == ["fanout", "chat"])
        #expect(workloads.map(\.events) == [150, 100])
        // Fan-out: 153 events × 50 per channel; chat: (10 + 3) events per channel... × 4 receivers.
        #expect(workloads[0].expected == 153 * 50)
        #expect(workloads.allSatisfy { $0.lost == 0 && $0.duplicates == 0 && $0.unique == $0.expected })
        #expect(report.deliveries.expected == workloads.reduce(0) { $0 + $1.expected })
        #expect(workloads.allSatisfy { ($0.p99Milliseconds ?? 0) > 0 })
        let series = try #require(report.timeSeries)
        #expect(series.points.count >= 4)
        #expect(series.points.allSatisfy { $0.openConnections == 200 && ($0.serverDescriptors ?? 0) >= 200 })
        #expect(series.points.contains { $0.deliveriesPerSecond > 0 && $0.p99Milliseconds > 0 })
        #expect(series.trend?.rssMiBPerHour != nil)
    }
}
