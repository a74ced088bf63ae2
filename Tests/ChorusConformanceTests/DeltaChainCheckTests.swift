import ChorusConformance
import ChorusServer
import ChorusTesting
import Testing

@Suite("Delta chain conformance check")
struct DeltaChainCheckTests {
    @Test("chorus serve passes: every rebuilt message equals the full message")
    func chorusPasses() async throws {
        try await TestServer.with { server in
            let app = server.app
            let target = ConformanceTarget(
                host: "127.0.0.1",
                port: server.port,
                app: ConformanceTarget.App(id: app.id, key: app.key, secret: app.secret)
            )
            do {
                try await DeltaChainCheck.verify(target: target, channel: "conformance-delta", events: 10)
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
