/// A subscriber's side of delta compression, as Sockudo's document describes it: keeps, per
/// channel and conflation key, the last messages received (full, rebuilt, or from a
/// `pusher:delta_cache_sync`) and rebuilds every `pusher:delta` against the one its `base_index`
/// names — byte for byte what a subscriber without delta compression receives. Fossil and VCDIFF
/// (`xdelta3`) deltas both.
public struct DeltaDecoder: Sendable {
    /// The messages kept per channel and conflation key ("" for none), newest last.
    private var bases: [String: [String: [(sequence: UInt64, text: [UInt8])]]] = [:]
    /// How many messages are kept per conflation key.
    public let maximumPerKey: Int
    /// Bytes of message text received (deltas as sent).
    public private(set) var receivedBytes = 0
    /// Bytes of message text after rebuilding (what full messages would have cost).
    public private(set) var fullBytes = 0
    /// Deltas rebuilt.
    public private(set) var deltasApplied = 0

    public init(maximumPerKey: Int = 30) {
        self.maximumPerKey = max(1, maximumPerKey)
    }

    /// What one received text frame amounts to.
    public enum Outcome: Sendable, Hashable {
        /// The message's full text: as received, or rebuilt from a delta.
        case message([UInt8])
        /// A cache sync: the bases of a conflation channel, taken; nothing to deliver.
        case synced(channel: String)
        /// A delta that cannot be applied; answer with `pusher:delta_sync_error` for `channel`.
        case syncError(channel: String, reason: String)
    }

    /// Takes one text frame from the server.
    public mutating func receive(_ text: [UInt8]) -> Outcome {
        receivedBytes += text.count
        if let full = DeltaMessage.splitMetadata(text), let channel = (try? PusherMessage(parsing: full.text))?.channel
        {
            keep(full.text, sequence: full.sequence, channel: channel, key: full.conflationKey ?? "")
            fullBytes += full.text.count
            return .message(full.text)
        }
        guard let parsed = try? PusherMessage(parsing: text) else {
            fullBytes += text.count
            return .message(text)
        }
        if let sync = DeltaCacheSync(parsed) {
            var channelBases: [String: [(sequence: UInt64, text: [UInt8])]] = [:]
            for (key, state) in sync.states { channelBases[key] = [(state.sequence, state.content)] }
            bases[sync.channel] = channelBases
            return .synced(channel: sync.channel)
        }
        guard let delta = DeltaMessage(parsed) else {
            fullBytes += text.count
            return .message(text)
        }
        let key = delta.conflationKey ?? ""
        guard let algorithm = DeltaAlgorithm(name: delta.algorithm) else {
            return .syncError(channel: delta.channel, reason: "unsupported algorithm \(delta.algorithm)")
        }
        guard let base = bases[delta.channel]?[key]?.last(where: { $0.sequence == delta.baseSequence }) else {
            bases[delta.channel] = nil
            return .syncError(channel: delta.channel, reason: "no base message \(delta.baseSequence) for key '\(key)'")
        }
        do {
            let rebuilt = try algorithm.apply(delta.delta, to: base.text)
            keep(rebuilt, sequence: delta.sequence, channel: delta.channel, key: key)
            fullBytes += rebuilt.count
            deltasApplied += 1
            return .message(rebuilt)
        } catch {
            bases[delta.channel] = nil
            return .syncError(channel: delta.channel, reason: "\(error)")
        }
    }

    private mutating func keep(_ text: [UInt8], sequence: UInt64, channel: String, key: String) {
        var kept = bases[channel]?[key] ?? []
        kept.append((sequence, text))
        if kept.count > maximumPerKey { kept.removeFirst(kept.count - maximumPerKey) }
        bases[channel, default: [:]][key] = kept
    }

    /// The `pusher:delta_sync_error` a client sends to get a full message next.
    public static func syncErrorMessage(channel: String) -> PusherMessage {
        PusherMessage(event: PusherEventName.deltaSyncError, data: ["channel": .string(channel)])
    }
}
