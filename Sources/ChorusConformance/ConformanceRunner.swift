public import ChorusProtocol
import Foundation
public import NIOCore

/// Runs conformance cases one after another against a target.
public struct ConformanceRunner: Sendable {
    public let target: ConformanceTarget
    public let library: CaseLibrary
    private let group: any EventLoopGroup

    public init(target: ConformanceTarget, library: CaseLibrary, group: any EventLoopGroup) {
        self.target = target
        self.library = library
        self.group = group
    }

    /// Runs `cases` in order, calling `progress` after each.
    public func run(
        _ cases: [ConformanceCase],
        progress: @Sendable (CaseResult) -> Void = { _ in }
    ) async -> [CaseResult] {
        var results: [CaseResult] = []
        for testCase in cases {
            let result = await run(testCase)
            progress(result)
            results.append(result)
        }
        return results
    }

    /// Runs the library's capability probes; each capability maps to whether its probe completed.
    public func probeCapabilities() async -> [String: Bool] {
        var found: [String: Bool] = [:]
        for probe in library.probes {
            let caseRun = CaseRun(
                target: target,
                group: group,
                caseDirectory: library.directory,
                variables: variables()
            )
            do {
                try await caseRun.run(probe.steps)
                found[probe.capability] = true
            } catch {
                found[probe.capability] = false
            }
            await caseRun.finish()
        }
        return found
    }

    /// Runs one case (or skips it when the target lacks what it requires).
    public func run(_ testCase: ConformanceCase) async -> CaseResult {
        var result = CaseResult(
            name: testCase.name,
            tags: testCase.tags,
            source: testCase.source,
            level: testCase.level,
            requires: testCase.requires,
            rule: library.rule(of: testCase),
            outcome: .passed
        )
        if let reason = target.skipReason(for: testCase.requires) {
            result.outcome = .skipped
            result.detail = reason
            return result
        }
        let start = ContinuousClock.now
        let caseRun = CaseRun(target: target, group: group, caseDirectory: library.directory, variables: variables())
        do {
            try await caseRun.run(testCase.steps)
        } catch {
            result.outcome = .failed
            result.detail = error.message
        }
        await caseRun.finish()
        let elapsed = start.duration(to: .now).components
        result.durationSeconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return result
    }

    /// The variables every case starts with: credentials, limits and values derived from them.
    public func variables() -> [String: JSONValue] {
        let run = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        /// A name of exactly `length` characters starting with `prefix` and the run id.
        func padded(_ prefix: String, _ length: Int) -> JSONValue {
            let head = "\(prefix)\(run)-"
            return .string(head + String(repeating: "x", count: max(0, length - head.count)))
        }
        var variables: [String: JSONValue] = [
            "channel_164": padded("limit-", 164),
            "channel_165": padded("limit-", 165),
            "private_channel_164": padded("private-limit-", 164),
            "event_name_200": padded("name-", 200),
            "event_name_201": padded("name-", 201),
            "user_id_128": padded("user-", 128),
            "user_id_129": padded("user-", 129),
            "user_info_over_limit": .string(String(repeating: "i", count: 1100)),
            "app_id": .string(target.app.id),
            "key": .string(target.app.key),
            "run": .string(run),
            "max_event_payload_kb": .integer(Int64(target.maxEventPayloadKB)),
            "max_event_channels": .integer(Int64(target.maxEventChannels)),
            "max_event_batch_size": .integer(Int64(target.maxEventBatchSize)),
            "max_client_events_per_second": .integer(Int64(target.maxClientEventsPerSecond)),
            "client_events_over_limit": .integer(Int64(target.maxClientEventsPerSecond * 2 + 2)),
            "payload_over_limit": .string(String(repeating: "x", count: target.maxEventPayloadKB * 1024 + 1)),
            "channels_over_limit": .array((0...target.maxEventChannels).map { .string("conform-\($0)") }),
            "batch_over_limit": .array(
                (0...target.maxEventBatchSize).map { _ in
                    ["name": "conform-event", "channel": "conform-batch", "data": "{}"]
                }
            ),
        ]
        let unknown = target.app(named: "unknown")!
        variables["unknown_app_id"] = .string(unknown.id)
        variables["unknown_key"] = .string(unknown.key)
        if let app = target.secondApp {
            variables["second_app_id"] = .string(app.id)
            variables["second_key"] = .string(app.key)
        }
        if let app = target.disabledApp {
            variables["disabled_app_id"] = .string(app.id)
            variables["disabled_key"] = .string(app.key)
        }
        if let app = target.rateLimitedApp, let limit = target.apiRateLimit {
            variables["rate_limited_app_id"] = .string(app.id)
            variables["api_rate_limit"] = .integer(Int64(limit))
            variables["api_rate_limit_plus_one"] = .integer(Int64(limit + 1))
        }
        return variables
    }
}
