import ChorusCore
package import ChorusProtocol

/// Delta compression on the client's side of the protocol: what a subscription takes, the
/// connection-wide opt-in, and sync errors.
extension PusherSessionStateMachine {
    /// The algorithm of the deltas a subscription to `channel` takes, if any. Deltas need the
    /// client's opt-in (`delta` on subscribe, or `pusher:enable_delta_compression` before); the app
    /// can turn them off, for all channels or those of a `channel_delta_compression` pattern;
    /// presence and encrypted channels never take them (encrypted payloads do not compress).
    func deltaAlgorithm(for channel: ChannelName, request: DeltaRequest, app: AppConfiguration) -> DeltaAlgorithm? {
        guard app.deltaCompressionEnabled, channel.kind != .presence, channel.kind != .privateEncrypted else {
            return nil
        }
        let settings = app.deltaSettings(for: channel.rawValue)
        guard settings?.enabled ?? true else { return nil }
        let preferred: DeltaAlgorithm
        if let deltaOffer {
            preferred = settings?.algorithm.flatMap { deltaOffer.contains($0) ? $0 : nil } ?? deltaOffer[0]
        } else {
            preferred = settings?.algorithm ?? .fossil
        }
        switch request {
        case .unspecified: return deltaOffer == nil ? nil : preferred
        case .disabled: return nil
        case .enabled(let algorithm): return algorithm ?? preferred
        }
    }

    /// `pusher:enable_delta_compression`: deltas on every channel, current and future, that allows
    /// them, in the first algorithm of the client's `algorithms` the server has (Fossil when it
    /// names none); answered with `pusher:delta_compression_enabled`, `enabled: false` with the
    /// reason when the app turned deltas off or none of the offered algorithms is known.
    mutating func enableDeltaCompression(_ message: PusherMessage) -> [PusherSessionAction] {
        guard let app else { return [] }
        guard app.deltaCompressionEnabled else {
            return [.send(.deltaCompressionDisabled(reason: "Delta compression is disabled for this app"))]
        }
        var offer: [DeltaAlgorithm] = [.fossil]
        if let names = message.dataObject?["algorithms"]?.arrayValue {
            offer = names.compactMap { $0.stringValue.flatMap(DeltaAlgorithm.init(name:)) }
            guard !offer.isEmpty else {
                let offered = names.map(\.jsonText).joined(separator: ", ")
                let reason = "None of the offered algorithms (\(offered)) is supported; use \(DeltaAlgorithm.names)"
                return [.send(.deltaCompressionDisabled(reason: reason))]
            }
        }
        deltaOffer = offer
        var actions: [PusherSessionAction] = []
        for channelName in subscriptions.keys.sorted() where subscriptions[channelName]?.delta == nil {
            guard let channel = ChannelName(channelName),
                let algorithm = deltaAlgorithm(for: channel, request: .unspecified, app: app)
            else { continue }
            subscriptions[channelName]?.delta = algorithm
            let conflation = app.deltaSettings(for: channelName)?.conflation
            actions.append(.startDelta(channel: channelName, algorithm: algorithm, conflation: conflation))
        }
        actions.append(.send(.deltaCompressionEnabled(algorithm: offer[0])))
        return actions
    }

    /// `pusher:delta_sync_error`: the client could not apply a delta; its next message of the
    /// channel is sent in full.
    func deltaSyncError(_ message: PusherMessage) -> [PusherSessionAction] {
        guard let channel = message.dataObject?["channel"]?.stringValue else {
            return [.send(.error("pusher:delta_sync_error needs data with a 'channel' string", code: nil))]
        }
        return [.resetDeltaBase(channel: channel)]
    }
}

/// What the `delta` member of subscribe data asks for, in Sockudo's shapes: `true`/`false`, an
/// algorithm name or `disabled`, or `{"enabled": …, "algorithm": …}`.
package enum DeltaRequest: Sendable, Equatable {
    /// No `delta` member: the connection-wide choice applies.
    case unspecified
    case disabled
    /// Deltas, in the named algorithm or the preferred one.
    case enabled(DeltaAlgorithm?)

    package init(_ value: JSONValue?) throws(SubscriptionError) {
        switch value {
        case nil, .null?: self = .unspecified
        case .bool(let enabled)?: self = enabled ? .enabled(nil) : .disabled
        case .string(let word)?:
            if ["disabled", "false", "none"].contains(word.lowercased()) {
                self = .disabled
            } else {
                self = .enabled(try Self.algorithm(named: word))
            }
        case .object(let fields)?:
            let algorithm = try fields["algorithm"]?.stringValue.map { name throws(SubscriptionError) in
                try Self.algorithm(named: name)
            }
            switch fields["enabled"] {
            case nil, .null?, .bool(true)?: self = .enabled(algorithm)
            case .bool(false)?: self = .disabled
            default: throw .invalidDelta("Invalid delta: 'enabled' must be true or false")
            }
        default:
            throw .invalidDelta("Invalid delta: use true, false, an algorithm name or {\"enabled\", \"algorithm\"}")
        }
    }

    private static func algorithm(named name: String) throws(SubscriptionError) -> DeltaAlgorithm {
        guard let algorithm = DeltaAlgorithm(name: name) else {
            throw .invalidDelta("Invalid delta: unknown algorithm '\(name)' (use \(DeltaAlgorithm.names))")
        }
        return algorithm
    }

    /// Whether the subscription itself asked for deltas.
    var asksForDeltas: Bool {
        if case .enabled = self { return true }
        return false
    }
}

extension PusherMessage {
    /// `pusher:delta_compression_enabled` naming the algorithm; channel-scoped (Sockudo's
    /// confirmation of a subscription's own opt-in) when `channel` is given.
    static func deltaCompressionEnabled(algorithm: DeltaAlgorithm, channel: String? = nil) -> PusherMessage {
        var data: [String: JSONValue] = ["enabled": true, "algorithm": .string(algorithm.rawValue)]
        if let channel { data["channel"] = .string(channel) }
        return PusherMessage(
            event: PusherEventName.deltaCompressionEnabled,
            channel: channel,
            data: .string(JSONValue.object(data).jsonText)
        )
    }

    /// `pusher:delta_compression_enabled` refusing, with the reason.
    static func deltaCompressionDisabled(reason: String) -> PusherMessage {
        let data: JSONValue = ["enabled": false, "reason": .string(reason)]
        return PusherMessage(event: PusherEventName.deltaCompressionEnabled, data: .string(data.jsonText))
    }
}
