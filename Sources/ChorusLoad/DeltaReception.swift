import ChorusProtocol
package import NIOCore

/// One load connection's side of delta compression: turns every received text frame back into the
/// full message (rebuilding `pusher:delta` frames from the channel's previous message), so the
/// usual ``DeliveryScanner`` checks apply unchanged.
///
/// A load connection subscribes to one channel, so it keeps one base per conflation key ("" on
/// channels without conflation). ``SubscriberHandler`` passes
/// each text frame of a delta subscriber through ``receive(_:cache:)`` before scanning and
/// answers `.syncError` with ``DeltaDecoder/syncErrorMessage(channel:)``.
package struct DeltaReception {
    /// The last message of each conflation key and its sequence.
    private var bases: [String: (sequence: UInt64, text: [UInt8])] = [:]

    package init() {}

    /// What one text frame amounts to.
    package enum Outcome: Hashable {
        /// The full message text, to be scanned like any delivery; `rebuilt` when it came as a delta.
        case message([UInt8], rebuilt: Bool)
        /// A delta that cannot be applied; the connection must send a sync error for `channel`.
        case syncError(channel: String)
    }

    package mutating func receive(_ frame: ByteBuffer, cache: DeltaFrameCache) -> Outcome {
        switch cache.frame(frame) {
        case .other:
            return .message(Array(frame.readableBytesView), rebuilt: false)
        case .full(let full):
            bases[full.conflationKey ?? ""] = (full.sequence, full.text)
            return .message(full.text, rebuilt: false)
        case .delta(let delta, _, _):
            let key = delta.conflationKey ?? ""
            guard let algorithm = DeltaAlgorithm(name: delta.algorithm), let base = bases[key],
                base.sequence == delta.baseSequence,
                let rebuilt = try? cache.apply(delta, algorithm: algorithm, of: frame, to: base.text)
            else {
                bases = [:]
                return .syncError(channel: delta.channel)
            }
            bases[key] = (delta.sequence, rebuilt)
            return .message(rebuilt, rebuilt: true)
        }
    }
}
