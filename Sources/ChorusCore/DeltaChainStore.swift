package import ChorusProtocol
import Synchronization

/// Every channel's ``DeltaChain``, kept only while the channel has subscribers that take deltas.
///
/// Shared by every publisher: a publish advances the chains of its channels under one lock, event
/// by event in batch order, so concurrent publishes to one channel still form a single chain.
package final class DeltaChainStore: Sendable {
    private struct Entry {
        /// Subscribers taking each algorithm.
        var subscribers: [DeltaAlgorithm: Int] = [:]
        var chain: DeltaChain
        var conflation: ConflationRule?

        var isEmpty: Bool { subscribers.values.allSatisfy { $0 == 0 } }
    }

    private let entries = Mutex<[ChannelKey: Entry]>([:])

    package init() {}

    /// Records a subscriber of `key` that takes `algorithm`. `conflation` is the channel's rule,
    /// taken from the first subscriber (the app's settings decide it, the same for every one).
    package func join(_ key: ChannelKey, algorithm: DeltaAlgorithm = .fossil, conflation: ConflationRule? = nil) {
        entries.withLock { entries in
            var entry =
                entries[key]
                ?? Entry(chain: DeltaChain(maximumKeys: conflation?.maximumKeys ?? 1), conflation: conflation)
            entry.subscribers[algorithm, default: 0] += 1
            entries[key] = entry
        }
    }

    /// Records that a subscriber of `key` no longer takes `algorithm`; the chain goes with the last one.
    package func leave(_ key: ChannelKey, algorithm: DeltaAlgorithm = .fossil) {
        entries.withLock { entries in
            guard var entry = entries[key] else { return }
            entry.subscribers[algorithm, default: 0] -= 1
            entries[key] = entry.isEmpty ? nil : entry
        }
    }

    /// Whether `key` has subscribers that take deltas.
    package func isTracked(_ key: ChannelKey) -> Bool {
        entries.withLock { $0[key] != nil }
    }

    /// What a subscriber joining a conflation channel is sent first (`pusher:delta_cache_sync`):
    /// the last message of each conflation key and the channel's sequence; `nil` for a channel
    /// without conflation or without a chain.
    package func cacheSync(_ key: ChannelKey) -> DeltaCacheSync? {
        entries.withLock { entries in
            guard let entry = entries[key], let conflation = entry.conflation else { return nil }
            return DeltaCacheSync(
                channel: key.channel,
                conflationKey: conflation.path,
                sequence: entry.chain.sequence,
                states: entry.chain.bases.mapValues { DeltaCacheSync.State(content: $0.text, sequence: $0.sequence) }
            )
        }
    }

    /// Appends the serialised event `message` (named `event`, with `data`) to the chain of `key`
    /// and builds its frames for subscribers taking deltas; `nil` when `key` has none.
    package func frames(
        for message: [UInt8],
        event: String,
        data: JSONValue? = nil,
        key: ChannelKey,
        policy: DeltaPolicy,
        force: Bool?
    ) -> DeltaFrames? {
        let appended: (step: DeltaChain.Step, conflationKey: String?, algorithms: [DeltaAlgorithm])? =
            entries.withLock { entries in
                guard var entry = entries[key] else { return nil }
                let conflationKey = entry.conflation.map { $0.key(in: data) }
                let step = entry.chain.append(message, conflationKey: conflationKey ?? "", policy: policy, force: force)
                let algorithms = DeltaAlgorithm.allCases.filter { entry.subscribers[$0, default: 0] > 0 }
                entries[key] = entry
                return (step, conflationKey, algorithms)
            }
        guard let (step, conflationKey, algorithms) = appended else { return nil }
        let full = WebSocketFrameWriter.frame(
            .text,
            payload: DeltaMessage.appendingMetadata(sequence: step.sequence, conflationKey: conflationKey, to: message)
        )
        var frames = DeltaFrames(sequence: step.sequence, full: full)
        guard let base = step.base else { return frames }
        frames.baseSequence = base.sequence
        for algorithm in algorithms {
            // Up to, not including, the base's closing brace: see DeltaMessage.
            let delta = algorithm.create(from: Array(base.text.dropLast()), to: message)
            // The delta travels base64-encoded inside a JSON string: 4 bytes for every 3.
            guard (delta.count + 2) / 3 * 4 < message.count else { continue }
            let deltaMessage = DeltaMessage(
                channel: key.channel,
                event: event,
                delta: delta,
                sequence: step.sequence,
                baseSequence: base.sequence,
                algorithm: algorithm.rawValue,
                conflationKey: conflationKey
            ).message
            let frame = DeltaFrames.Delta(
                frame: WebSocketFrameWriter.textFrame(deltaMessage.jsonText),
                sockudoFrame: WebSocketFrameWriter.textFrame(deltaMessage.named(for: .sockudo).jsonText)
            )
            switch algorithm {
            case .fossil: frames.fossil = frame
            case .xdelta3: frames.xdelta3 = frame
            }
        }
        if frames.fossil == nil, frames.xdelta3 == nil {
            entries.withLock { $0[key]?.chain.sentInFull(conflationKey: conflationKey ?? "") }
        }
        return frames
    }
}
