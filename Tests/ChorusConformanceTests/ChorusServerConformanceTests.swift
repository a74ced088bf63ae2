import ChorusConformance
import ChorusServer
import Foundation
import Logging
import NIOPosix
import Testing

/// The whole conformance suite against an in-process `chorus serve` on a free port, one test per
/// case group. Set `CHORUS_CONFORMANCE_TARGET=host:port` to judge a running server instead (its
/// main app must be the embedded default; capability cases are then skipped).
@Suite(.serialized) struct ChorusServerConformanceTests {
    static let main = ConformanceTarget.App(id: "1", key: "chorus-key", secret: "chorus-secret")
    static let second = ConformanceTarget.App(id: "2", key: "second-key", secret: "second-secret")
    static let disabled = ConformanceTarget.App(id: "3", key: "disabled-key", secret: "disabled-secret")
    static let rateLimited = ConformanceTarget.App(id: "4", key: "limited-key", secret: "limited-secret")
    static let apiRateLimit = 5

    private static func configuration() -> ServerConfiguration {
        var apps = [main, second, disabled, rateLimited].map {
            AppConfiguration(id: $0.id, key: $0.key, secret: $0.secret)
        }
        apps[2].enabled = false
        apps[3].maxAPIRequestsPerWindow = apiRateLimit
        var configuration = ServerConfiguration(apps: apps)
        configuration.port = 0
        configuration.eventLoops = 2
        return configuration
    }

    /// Runs the cases whose first tag is `group` and records each failure with its mismatch.
    @Test(arguments: ["signatures", "ws", "http", "delta"])
    func group(_ group: String) async throws {
        var server: ChorusServer?
        var target: ConformanceTarget
        if let external = ProcessInfo.processInfo.environment["CHORUS_CONFORMANCE_TARGET"] {
            let parts = external.split(separator: ":")
            target = ConformanceTarget(host: String(parts[0]), port: Int(parts[1]) ?? 6001, app: Self.main)
        } else {
            let started = try await ChorusServer.start(
                configuration: Self.configuration(),
                logger: Logger(label: "conformance")
            )
            server = started
            target = ConformanceTarget(
                host: "127.0.0.1",
                port: started.port,
                app: Self.main,
                secondApp: Self.second,
                disabledApp: Self.disabled,
                rateLimitedApp: Self.rateLimited,
                apiRateLimit: Self.apiRateLimit
            )
        }
        let library = try CaseLibrary(directory: CaseLibrary.bundledDirectory)
        let cases = library.cases.filter { $0.tags.first == group }
        #expect(!cases.isEmpty)
        let runner = ConformanceRunner(target: target, library: library, group: MultiThreadedEventLoopGroup.singleton)
        let results = await runner.run(cases)
        try await server?.shutdown()
        for result in results where result.outcome == .failed {
            Issue.record("\(result.name) [\(result.source)]: \(result.detail ?? "")")
        }
        if server != nil {
            #expect(results.allSatisfy { $0.outcome != .skipped }, "the in-process server offers every capability")
        }
    }
}
