import ChorusConformance
import Foundation
import NIOPosix
import Testing

/// Proof that the suite can fail, and fails for the right reason: the whole suite runs against
/// ``DeviantPusherServer`` honest (every case passes or is skipped for a capability it lacks) and
/// once per ``DeviantFault`` (some case reports the rule the fault breaks). The mutation score,
/// caught faults over all faults, is printed and must be 100 %.
@Suite(.serialized) struct DeviationDetectionTests {
    static let library = Result { try CaseLibrary(directory: CaseLibrary.bundledDirectory) }

    /// Runs every bundled case (or those named or tagged, or every case of `library`) against a
    /// fake server with `faults` switched on; with `webSocketHost`, WebSockets open there (on the
    /// server's port) while HTTP requests go to 127.0.0.1.
    static func results(
        faults: Set<DeviantFault>,
        cases names: [String] = [],
        tags: [String] = [],
        webSocketHost: String? = nil,
        library: CaseLibrary? = nil
    ) async throws -> [CaseResult] {
        let library = try library ?? Self.library.get()
        let server = try await DeviantPusherServer.start(faults: faults)
        let target = ConformanceTarget(
            host: "127.0.0.1",
            port: server.port,
            app: .init(
                id: DeviantPusherServer.app.id,
                key: DeviantPusherServer.app.key,
                secret: DeviantPusherServer.app.secret
            ),
            maxEventPayloadKB: DeviantPusherServer.payloadLimitKB,
            maxEventChannels: DeviantPusherServer.maxChannels,
            maxEventBatchSize: DeviantPusherServer.maxBatch,
            maxClientEventsPerSecond: DeviantPusherServer.maxClientEventsPerSecond,
            features: DeviantPusherServer.capabilities,
            noClientEventsApp: Self.app(DeviantPusherServer.quietApp),
            subscriptionCountApp: Self.app(DeviantPusherServer.countingApp),
            webSocketHost: webSocketHost,
            webSocketPort: webSocketHost.map { _ in server.port }
        )
        let runner = ConformanceRunner(target: target, library: library, group: MultiThreadedEventLoopGroup.singleton)
        let results = await runner.run(library.selecting(tags: tags, names: names))
        try await server.shutdown()
        return results
    }

    static func app(_ app: DeviantPusherServer.App) -> ConformanceTarget.App {
        .init(id: app.id, key: app.key, secret: app.secret)
    }

    @Test func honestFakePassesEveryCaseItHasTheCapabilitiesFor() async throws {
        let results = try await Self.results(faults: [])
        for result in results where result.outcome == .failed {
            Issue.record("\(result.name) failed against the honest fake: \(result.detail ?? "")")
        }
        let skipped = results.filter { $0.outcome == .skipped }
        #expect(skipped.allSatisfy { $0.detail?.contains("capability") == true || $0.detail?.contains("--") == true })
        #expect(results.filter { $0.outcome == .passed }.count >= 80)
    }

    @Test func everyFaultIsReportedWithTheRuleItBreaks() async throws {
        let faults = DeviantFault.allCases
        #expect(faults.count >= 30)
        let start = ContinuousClock.now
        // Each fault gets its own server and runs the whole suite; runs go concurrently, a few at a time.
        let outcomes = try await withThrowingTaskGroup(of: (DeviantFault, [CaseResult]).self) { group in
            var pending = faults[...]
            var collected: [DeviantFault: [CaseResult]] = [:]
            for _ in 0..<8 {
                guard let fault = pending.popFirst() else { break }
                group.addTask { (fault, try await Self.results(faults: [fault])) }
            }
            while let (fault, results) = try await group.next() {
                collected[fault] = results
                if let next = pending.popFirst() {
                    group.addTask { (next, try await Self.results(faults: [next])) }
                }
            }
            return collected
        }
        var caught: [DeviantFault] = []
        for fault in faults {
            let failures = (outcomes[fault] ?? []).filter { $0.outcome == .failed }
            let naming = failures.filter { $0.rule?.id == fault.rule }
            if let first = naming.first {
                caught.append(fault)
                print(
                    "caught \(fault.rawValue): \(first.name) [\(first.level.rawValue)] \(first.ruleLine) — \(first.detail ?? "")"
                )
            } else {
                Issue.record(
                    "\(fault.rawValue) (rule \(fault.rule)) not reported; failures: \(failures.map(\.name).joined(separator: ", "))"
                )
            }
        }
        let score = Double(caught.count) / Double(faults.count) * 100
        print(
            "mutation score: \(caught.count)/\(faults.count) faults caught (\(String(format: "%.0f", score)) %) in \(start.duration(to: .now))"
        )
        #expect(caught.count == faults.count)
    }

    @Test func failureMessagesSayWhatWasExpected() async throws {
        let results = try await Self.results(
            faults: [.dataAsObject, .skipsBodyMD5],
            cases: ["ws.subscribe.public", "http.status_401.bad_body_md5"]
        )
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0) })
        #expect(byName["ws.subscribe.public"]?.detail?.contains("a string holding JSON") == true)
        #expect(byName["http.status_401.bad_body_md5"]?.detail?.contains("status: expected 401, got 200") == true)
    }

    @Test func missingCapabilityIsASkipWithAReason() async throws {
        let results = try await Self.results(
            faults: [],
            cases: [
                "http.status_403.disabled_app", "http.status_429.rate_limited", "cache.miss_when_empty",
                "history.paging.oldest_first_with_cursor",
            ]
        )
        let byName = Dictionary(uniqueKeysWithValues: results.map { ($0.name, $0) })
        #expect(byName["http.status_403.disabled_app"]?.outcome == .skipped)
        #expect(byName["http.status_403.disabled_app"]?.detail?.contains("--disabled-app") == true)
        #expect(byName["http.status_429.rate_limited"]?.outcome == .skipped)
        #expect(byName["cache.miss_when_empty"]?.outcome == .skipped)
        #expect(byName["cache.miss_when_empty"]?.detail?.contains("cache_channels") == true)
        // A server without history (the fake has none) skips every history case, never fails it.
        #expect(byName["history.paging.oldest_first_with_cursor"]?.outcome == .skipped)
        #expect(byName["history.paging.oldest_first_with_cursor"]?.detail?.contains("history") == true)
    }
}

extension DeviationDetectionTests {
    @Test func probesFindWhatTheFakeOffers() async throws {
        let server = try await DeviantPusherServer.start()
        let target = ConformanceTarget(
            host: "127.0.0.1",
            port: server.port,
            app: .init(
                id: DeviantPusherServer.app.id,
                key: DeviantPusherServer.app.key,
                secret: DeviantPusherServer.app.secret
            ),
            features: []
        )
        let runner = ConformanceRunner(
            target: target,
            library: try Self.library.get(),
            group: MultiThreadedEventLoopGroup.singleton
        )
        let found = await runner.probeCapabilities()
        try await server.shutdown()
        // subscription_count has no probe (it needs an app configured for it): declared only.
        for capability in DeviantPusherServer.capabilities.subtracting(["subscription_count"]) {
            #expect(found[capability] == true, "\(capability)")
        }
        for capability in ["delta", "conflation", "cache_channels", "auth_endpoint", "history"] {
            #expect(found[capability] == false, "\(capability)")
        }
    }
}
