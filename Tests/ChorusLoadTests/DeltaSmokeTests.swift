import ChorusLoad
import ChorusServer
import ChorusTesting
import Testing

/// A tiny delta run over real sockets against an in-process `chorus serve`: both ways of opting in
/// rebuild every message byte for byte and the report says so.
@Suite(.serialized) struct DeltaSmokeTests {
    @Test(arguments: [Scenario.DeltaMode.subscription, .connection])
    func deltaSmoke(mode: Scenario.DeltaMode) async throws {
        let report = try await TestServer.with { server in
            let app = server.app
            let scenario = Scenario(
                name: "delta-smoke",
                workloads: [
                    Workload(subscribers: 20, channels: 2, batchSize: 10, rate: 200, payloadBytes: [600], delta: mode)
                ],
                length: .events(40),
                warmup: 10,
                connectTimeout: 10,
                drainTimeout: 10
            )
            let target = LoadTarget(
                host: "127.0.0.1",
                port: server.port,
                appID: app.id,
                key: app.key,
                secret: app.secret
            )
            return try await LoadRunner(scenario: scenario, target: target, showProgress: false).run()
        }

        #expect(report.failures == [])
        let delta = try #require(report.delta)
        #expect(delta.mode == mode.rawValue)
        #expect(delta.messages == 20 * 50 / 2)
        #expect(delta.compared == delta.messages)
        #expect(delta.mismatches == 0)
        #expect(delta.syncErrors == 0)
        // Batches of 10 over 2 channels: chains of 5 per channel, the first of each in full.
        #expect(delta.rebuilt * 5 >= delta.messages * 3)
        #expect(delta.bytesSavedPercent > 40)
    }
}
