import ChorusServer
import Logging
import Testing

@testable import ChorusConformance

@Suite("Delta chain conformance check")
struct DeltaChainCheckTests {
    @Test("chorus serve passes: every rebuilt message equals the full message")
    func chorusPasses() async throws {
        var configuration = ServerConfiguration.embeddedDefault
        configuration.port = 0
        let server = try await ChorusServer.start(configuration: configuration, logger: Logger(label: "delta-check"))
        let app = configuration.apps[0]
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
        try await server.shutdown()
    }
}
