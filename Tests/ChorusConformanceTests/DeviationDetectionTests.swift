import ChorusConformance
import NIOPosix
import Testing

/// Proof that the suite can fail: against a server with one deviation switched on, the case that
/// covers it fails and says why; against the same server without it, the case passes.
@Suite(.serialized) struct DeviationDetectionTests {
    private func results(
        deviations: DeviantPusherServer.Deviations,
        cases names: [String]
    ) async throws -> [String: CaseResult] {
        let server = try await DeviantPusherServer.start(deviations: deviations)
        let target = ConformanceTarget(
            host: "127.0.0.1",
            port: server.port,
            app: .init(
                id: DeviantPusherServer.app.id,
                key: DeviantPusherServer.app.key,
                secret: DeviantPusherServer.app.secret
            ),
            maxEventPayloadKB: DeviantPusherServer.payloadLimitKB
        )
        let library = try CaseLibrary(directory: CaseLibrary.bundledDirectory)
        let runner = ConformanceRunner(target: target, library: library, group: MultiThreadedEventLoopGroup.singleton)
        let selected = library.selecting(names: names)
        #expect(selected.count == names.count)
        let results = await runner.run(selected)
        try await server.shutdown()
        return Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0) })
    }

    static let probedCases = [
        "ws.handshake.connection_established",
        "ws.ping.pusher_ping_pong",
        "ws.subscribe.public",
        "ws.subscribe.event_delivery_double_encoded",
        "http.status_401.bad_body_md5",
        "http.status_413.payload_too_large",
        "http.status_401.bad_signature",
    ]

    @Test func honestFakePassesTheProbedCases() async throws {
        let results = try await results(deviations: [], cases: Self.probedCases)
        for name in Self.probedCases {
            #expect(results[name]?.outcome == .passed, "\(name): \(results[name]?.detail ?? "missing")")
        }
    }

    @Test func dataSentAsObjectIsReported() async throws {
        let results = try await results(deviations: .dataAsObject, cases: Self.probedCases)
        for name in [
            "ws.handshake.connection_established", "ws.subscribe.public", "ws.subscribe.event_delivery_double_encoded",
        ] {
            let result = try #require(results[name])
            #expect(result.outcome == .failed, "\(name)")
            #expect(result.detail?.contains("a string holding JSON") == true, "\(result.detail ?? "")")
        }
        // The HTTP API is untouched by this deviation.
        #expect(results["http.status_401.bad_signature"]?.outcome == .passed)
    }

    @Test func skippedBodyMD5CheckIsReported() async throws {
        let results = try await results(deviations: .skipsBodyMD5, cases: Self.probedCases)
        let result = try #require(results["http.status_401.bad_body_md5"])
        #expect(result.outcome == .failed)
        #expect(result.detail?.contains("status: expected 401, got 200") == true, "\(result.detail ?? "")")
        #expect(results["http.status_401.bad_signature"]?.outcome == .passed)
    }

    @Test func missingPayloadLimitIsReported() async throws {
        let results = try await results(deviations: .ignoresPayloadLimit, cases: Self.probedCases)
        let result = try #require(results["http.status_413.payload_too_large"])
        #expect(result.outcome == .failed)
        #expect(result.detail?.contains("status: expected 413, got 200") == true, "\(result.detail ?? "")")
    }

    @Test func missingCapabilityIsASkipWithAReason() async throws {
        let results = try await results(
            deviations: [],
            cases: ["http.status_403.disabled_app", "http.status_429.rate_limited"]
        )
        #expect(results["http.status_403.disabled_app"]?.outcome == .skipped)
        #expect(results["http.status_403.disabled_app"]?.detail?.contains("--disabled-app") == true)
        #expect(results["http.status_429.rate_limited"]?.outcome == .skipped)
    }
}
