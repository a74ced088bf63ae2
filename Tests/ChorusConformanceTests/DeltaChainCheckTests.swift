import ChorusConformance
import ChorusProtocol
import ChorusServer
import ChorusTesting
import Testing

@Suite("Delta chain conformance check")
struct DeltaChainCheckTests {
    static func target(_ server: TestServer) -> ConformanceTarget {
        let app = server.app
        return ConformanceTarget(
            host: "127.0.0.1",
            port: server.port,
            app: ConformanceTarget.App(id: app.id, key: app.key, secret: app.secret)
        )
    }

    @Test(
        "chorus serve passes in both algorithms: every rebuilt message equals the full message",
        arguments: DeltaAlgorithm.allCases
    )
    func chorusPasses(algorithm: DeltaAlgorithm) async throws {
        try await TestServer.with { server in
            do {
                try await DeltaChainCheck.verify(
                    target: Self.target(server),
                    channel: "conformance-delta",
                    events: 10,
                    algorithm: algorithm
                )
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("on a conflation channel: chains per symbol, then a late subscriber rebuilds from the cache sync")
    func conflation() async throws {
        try await TestServer.with({ configuration in
            configuration.apps[0].channelDeltaCompression = [
                "conflated-*": ChannelDeltaSettings(conflationKey: "symbol")
            ]
        }) { server in
            do {
                try await DeltaChainCheck.verify(
                    target: Self.target(server),
                    channel: "conflated-check",
                    events: 10,
                    algorithm: .xdelta3,
                    conflationKeys: 5
                )
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("a channel without conflation fails the conflation check: its deltas name no key")
    func conflationMissing() async throws {
        try await TestServer.with { server in
            await #expect(throws: StepFailure.self) {
                try await DeltaChainCheck.verify(
                    target: Self.target(server),
                    channel: "not-conflated",
                    events: 10,
                    algorithm: .fossil,
                    conflationKeys: 5
                )
            }
        }
    }
}
