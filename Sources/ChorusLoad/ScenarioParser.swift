import ChorusProtocol
import Foundation
import Yams

/// Reads a ``Scenario`` from YAML or JSON text (JSON is read as YAML, its superset).
///
/// Unknown fields are errors, so a misspelt field never silently falls back to its default.
public struct ScenarioParser: Sendable {
    /// Names the text in error messages, usually the file path.
    public var source: String
    /// The generator processes the run has (`--workers`), which set how many subscribers it can
    /// hold; `nil`: the scenario's own `workers`, else one.
    public var processes: Int?

    public init(source: String, processes: Int? = nil) {
        self.source = source
        self.processes = processes
    }

    /// Reads and parses the scenario file at `path`, for a run of `processes` generator processes.
    public static func load(path: String, processes: Int? = nil) throws(ScenarioError) -> Scenario {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ScenarioError(
                source: path,
                field: nil,
                reason: "cannot be read: no such file; \(BundledScenarios.hint)"
            )
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ScenarioError(
                source: path,
                field: nil,
                reason: "cannot be read (\(error.localizedDescription)); check that it is a readable UTF-8 file"
            )
        }
        return try ScenarioParser(source: path, processes: processes).parse(text)
    }

    /// The scenario with its length replaced by `seconds` of publishing (`chorus load --duration`),
    /// validated again: every workload then needs a rate.
    public func withDuration(_ scenario: Scenario, seconds: Double) throws(ScenarioError) -> Scenario {
        var changed = scenario
        changed.length = .seconds(seconds)
        try ScenarioValidator(source: source, processes: processes ?? changed.workers ?? 1).validate(changed)
        return changed
    }

    /// Parses and validates scenario text.
    public func parse(_ text: String) throws(ScenarioError) -> Scenario {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ScenarioError(source: source, field: nil, reason: "is not valid YAML or JSON: \(error)")
        }
        guard let mapping = root?.mapping else {
            throw ScenarioError(source: source, field: nil, reason: "must be a mapping of fields")
        }
        var fields = try ScenarioFields(mapping, path: "", source: source)
        let scenario = try read(&fields)
        try fields.rejectUnknown()
        try ScenarioValidator(source: source, processes: processes ?? scenario.workers ?? 1).validate(scenario)
        return scenario
    }

    private func read(_ fields: inout ScenarioFields) throws(ScenarioError) -> Scenario {
        let name = try fields.requiredString("name")
        let description = try fields.string("description")
        let length = try readLength(&fields)
        var workloads: [Workload] = []
        if let sections = try fields.sections("workloads") {
            for var section in sections {
                let workloadName = try section.requiredString("name")
                workloads.append(try readWorkload(&section, name: workloadName))
                try section.rejectUnknown()
            }
        } else {
            workloads = [try readWorkload(&fields, name: nil)]
        }
        return Scenario(
            name: name,
            description: description,
            workloads: workloads,
            length: length,
            warmup: try fields.int("warmup") ?? 0,
            connectConcurrency: try fields.int("connect_concurrency") ?? 200,
            connectTimeout: try fields.double("connect_timeout") ?? 60,
            drainTimeout: try fields.double("drain_timeout") ?? 30,
            expectLoss: try fields.bool("expect_loss") ?? false,
            expectReorder: try fields.bool("expect_reorder") ?? false,
            sampleIntervalSeconds: try fields.double("sample_interval_seconds")
                ?? Scenario.defaultSampleIntervalSeconds,
            maxRSSGrowthMiBPerHour: try fields.double("max_rss_growth_mib_per_hour"),
            maxDescriptorGrowthPerHour: try fields.double("max_fd_growth_per_hour"),
            targets: try readTargets(&fields),
            publishTarget: try fields.int("publish_target"),
            thresholds: try readThresholds(&fields),
            workers: try fields.int("workers")
        )
    }

    /// `thresholds`: a mapping of ``ThresholdMetric`` names to a number or an operator and a number.
    private func readThresholds(_ fields: inout ScenarioFields) throws(ScenarioError) -> [Threshold] {
        guard let entries = try fields.scalars("thresholds") else { return [] }
        var thresholds: [Threshold] = []
        for (metric, text) in entries {
            do throws(ThresholdError) {
                thresholds.append(try Threshold(metric: metric, text: text))
            } catch {
                throw ScenarioError(source: source, field: "thresholds.\(metric)", reason: "\(error)")
            }
        }
        return thresholds
    }

    /// `targets`: one `host:port` (or `ws://`/`http://` URL) or a non-empty list of them.
    private func readTargets(_ fields: inout ScenarioFields) throws(ScenarioError) -> [ServerAddress]? {
        guard let texts = try fields.stringList("targets") else { return nil }
        var addresses: [ServerAddress] = []
        for (index, text) in texts.enumerated() {
            do throws(ServerAddressError) {
                addresses.append(try ServerAddress(parsing: text))
            } catch {
                let field = texts.count == 1 ? "targets" : "targets[\(index)]"
                throw ScenarioError(source: source, field: field, reason: "\(error)")
            }
        }
        return addresses
    }

    /// `events` or `duration_seconds`, exactly one.
    private func readLength(_ fields: inout ScenarioFields) throws(ScenarioError) -> Scenario.Length {
        switch (try fields.int("events"), try fields.double("duration_seconds")) {
        case (let events?, nil): return .events(events)
        case (nil, let seconds?): return .seconds(seconds)
        case (_?, _?): throw fields.error("duration_seconds", "give either events or duration_seconds, not both")
        case (nil, nil): throw fields.error("events", "is required (or duration_seconds)")
        }
    }

    /// One workload's fields, at the top level (single-workload form) or in a `workloads` entry.
    private func readWorkload(_ fields: inout ScenarioFields, name: String?) throws(ScenarioError) -> Workload {
        var churn: Scenario.PresenceChurn?
        if var section = try fields.section("presence_churn") {
            churn = Scenario.PresenceChurn(
                connections: try section.int("connections") ?? 10,
                intervalMilliseconds: try section.int("interval_ms") ?? 1_000
            )
            try section.rejectUnknown()
        }
        var clientEvents: Scenario.ClientEvents?
        if var section = try fields.section("client_events") {
            clientEvents = Scenario.ClientEvents(ratePerSender: try section.double("rate_per_sender") ?? 5)
            try section.rejectUnknown()
        }
        let kindText = try fields.string("channel_kind") ?? Scenario.ChannelKind.public.rawValue
        guard let kind = Scenario.ChannelKind(rawValue: kindText) else {
            let allowed = Scenario.ChannelKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw fields.error("channel_kind", "must be one of \(allowed), got '\(kindText)'")
        }
        return Workload(
            name: name,
            subscribers: try fields.requiredInt("subscribers"),
            channels: try fields.int("channels") ?? 1,
            channelKind: kind,
            batchSize: try fields.int("batch_size") ?? 1,
            rate: try fields.double("rate") ?? 0,
            publishers: try fields.int("publishers") ?? 1,
            payloadBytes: try fields.intList("payload_bytes") ?? [100],
            eventName: try fields.string("event_name") ?? (clientEvents == nil ? "load" : "client-load"),
            presenceChurn: churn,
            clientEvents: clientEvents,
            delta: try readDelta(&fields),
            deltaAlgorithm: try readDeltaAlgorithm(&fields),
            channelPrefix: try fields.string("channel_prefix") ?? "",
            historyCheck: try fields.bool("history_check") ?? false
        )
    }

    /// `delta_algorithm`: `fossil` (default) or `xdelta3` (VCDIFF).
    private func readDeltaAlgorithm(_ fields: inout ScenarioFields) throws(ScenarioError) -> DeltaAlgorithm {
        guard let name = try fields.string("delta_algorithm") else { return .fossil }
        guard let algorithm = DeltaAlgorithm(name: name) else {
            throw fields.error("delta_algorithm", "must be one of \(DeltaAlgorithm.names), got '\(name)'")
        }
        return algorithm
    }

    /// `delta`: `false` (default), `true` (same as `subscription`), `subscription` or `connection`.
    private func readDelta(_ fields: inout ScenarioFields) throws(ScenarioError) -> Scenario.DeltaMode? {
        guard let text = try fields.string("delta") else { return nil }
        switch text {
        case "false": return nil
        case "true": return .subscription
        default:
            guard let mode = Scenario.DeltaMode(rawValue: text) else {
                throw fields.error("delta", "must be false, true, subscription or connection, got '\(text)'")
            }
            return mode
        }
    }
}
