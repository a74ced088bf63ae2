/// A subscriber's side of delta compression: keeps the last message of each channel and rebuilds
/// every `pusher:delta` into the full message text, byte for byte what a subscriber without delta
/// compression receives.
public struct DeltaDecoder: Sendable {
    private var bases: [String: (sequence: UInt64, text: [UInt8])] = [:]
    /// Bytes of message text received (deltas as sent).
    public private(set) var receivedBytes = 0
    /// Bytes of message text after rebuilding (what full messages would have cost).
    public private(set) var fullBytes = 0
    /// Deltas rebuilt.
    public private(set) var deltasApplied = 0

    public init() {}

    /// What one received text frame amounts to.
    public enum Outcome: Sendable, Hashable {
        /// The message's full text: as received, or rebuilt from a delta.
        case message([UInt8])
        /// A delta that cannot be applied; answer with `pusher:delta_sync_error` for `channel`.
        case syncError(channel: String, reason: String)
    }

    /// Takes one text frame from the server.
    public mutating func receive(_ text: [UInt8]) -> Outcome {
        receivedBytes += text.count
        if let (plain, sequence) = DeltaMessage.splitSequence(text),
            let channel = (try? PusherMessage(parsing: plain))?.channel
        {
            bases[channel] = (sequence, plain)
            fullBytes += plain.count
            return .message(plain)
        }
        guard let parsed = try? PusherMessage(parsing: text), let delta = DeltaMessage(parsed) else {
            fullBytes += text.count
            return .message(text)
        }
        guard delta.algorithm == FossilDelta.algorithm else {
            return .syncError(channel: delta.channel, reason: "unsupported algorithm \(delta.algorithm)")
        }
        guard let base = bases[delta.channel], base.sequence == delta.baseSequence else {
            bases[delta.channel] = nil
            return .syncError(channel: delta.channel, reason: "no base message \(delta.baseSequence)")
        }
        do {
            let rebuilt = try FossilDelta.apply(delta.delta, to: base.text)
            bases[delta.channel] = (delta.sequence, rebuilt)
            fullBytes += rebuilt.count
            deltasApplied += 1
            return .message(rebuilt)
        } catch {
            bases[delta.channel] = nil
            return .syncError(channel: delta.channel, reason: "\(error)")
        }
    }

    /// The `pusher:delta_sync_error` a client sends to get a full message next.
    public static func syncErrorMessage(channel: String) -> PusherMessage {
        PusherMessage(event: PusherEventName.deltaSyncError, data: ["channel": .string(channel)])
    }
}
