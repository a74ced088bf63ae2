import ChorusProtocol
import Synchronization

/// Every channel's ``DeltaChain``, kept only while the channel has subscribers that take deltas.
///
/// Shared by every publisher: a publish advances the chains of its channels under one lock, event
/// by event in batch order, so concurrent publishes to one channel still form a single chain.
package final class DeltaChainStore: Sendable {
    private struct Entry {
        var subscribers = 0
        var chain = DeltaChain()
    }

    private let entries = Mutex<[ChannelKey: Entry]>([:])

    package init() {}

    /// Records a subscriber of `key` that takes deltas.
    package func join(_ key: ChannelKey) {
        entries.withLock { $0[key, default: Entry()].subscribers += 1 }
    }

    /// Records that a subscriber of `key` no longer takes deltas; the chain goes with the last one.
    package func leave(_ key: ChannelKey) {
        entries.withLock { entries in
            guard var entry = entries[key] else { return }
            entry.subscribers -= 1
            entries[key] = entry.subscribers > 0 ? entry : nil
        }
    }

    /// Whether `key` has subscribers that take deltas.
    package func isTracked(_ key: ChannelKey) -> Bool {
        entries.withLock { $0[key] != nil }
    }

    /// Appends `message` to the chain of `key`; `nil` when no subscriber of `key` takes deltas.
    package func append(_ message: [UInt8], to key: ChannelKey, policy: DeltaPolicy, force: Bool?) -> DeltaChain.Step? {
        entries.withLock { entries in
            guard entries[key] != nil else { return nil }
            return entries[key]!.chain.append(message, policy: policy, force: force)
        }
    }

    /// Appends the serialised event `message` (named `event`) to the chain of `key` and builds its
    /// frames for subscribers taking deltas; `nil` when `key` has none.
    package func frames(
        for message: [UInt8],
        event: String,
        key: ChannelKey,
        policy: DeltaPolicy,
        force: Bool?
    )
        -> DeltaFrames?
    {
        guard let step = append(message, to: key, policy: policy, force: force) else { return nil }
        let full = WebSocketFrameWriter.frame(
            .text,
            payload: DeltaMessage.appendingSequence(step.sequence, to: message)
        )
        guard let delta = step.delta else { return DeltaFrames(sequence: step.sequence, full: full, delta: nil) }
        let message = DeltaMessage(
            channel: key.channel,
            event: event,
            delta: delta,
            sequence: step.sequence,
            baseSequence: step.sequence - 1,
            algorithm: FossilDelta.algorithm
        ).message
        return DeltaFrames(
            sequence: step.sequence,
            full: full,
            delta: WebSocketFrameWriter.textFrame(message.jsonText),
            sockudoDelta: WebSocketFrameWriter.textFrame(message.named(for: .sockudo).jsonText)
        )
    }
}
