import ChorusProtocol

/// When a channel's next message goes as a delta.
package struct DeltaPolicy: Sendable, Hashable {
    /// Every `fullEvery`th message of a chain is sent in full, so a lost delta costs at most that many.
    package var fullEvery: Int
    /// Messages shorter than this are always sent in full.
    package var minimumBytes: Int

    package init(fullEvery: Int = 10, minimumBytes: Int = 100) {
        self.fullEvery = fullEvery
        self.minimumBytes = minimumBytes
    }
}

/// The delta state of one channel on the publishing side: the channel's message sequence and, per
/// conflation key (one chain for the whole channel when it has none), the last message, which the
/// key's next message is compared with. Events must be appended in the order they are broadcast.
///
/// A channel with a conflation key keeps at most `maximumKeys` chains; appending a message of a
/// new key past that forgets the least recently used one, whose next message then goes in full.
package struct DeltaChain: Sendable {
    /// The last message of one conflation key.
    package struct Base: Sendable, Hashable {
        /// The message text, without delta metadata: what other subscribers get.
        package var text: [UInt8]
        /// Its sequence in the channel.
        package var sequence: UInt64
        fileprivate var deltasSinceFull: Int
        fileprivate var lastUse: UInt64
    }

    /// The most conflation keys remembered.
    package let maximumKeys: Int
    /// The sequence of the last message appended; 0 before any.
    package private(set) var sequence: UInt64 = 0
    /// The last message of each conflation key ("" for a channel without conflation).
    package private(set) var bases: [String: Base] = [:]

    package init(maximumKeys: Int = 1) {
        self.maximumKeys = max(1, maximumKeys)
    }

    /// What ``append(_:conflationKey:policy:force:)`` decided for one message.
    package struct Step: Sendable, Hashable {
        package var sequence: UInt64
        /// The message a delta would apply to, or `nil` to send this one in full.
        package var base: Base?
    }

    /// Appends `message` of `conflationKey` to the chain. `force` is the publisher's `delta` flag:
    /// `false` sends it in full; `true` ignores the size floor and the full-message interval.
    package mutating func append(
        _ message: [UInt8],
        conflationKey: String = "",
        policy: DeltaPolicy,
        force: Bool? = nil
    ) -> Step {
        sequence += 1
        let previous = bases[conflationKey]
        if previous == nil, bases.count >= maximumKeys,
            let oldest = bases.min(by: { $0.value.lastUse < $1.value.lastUse })
        {
            bases[oldest.key] = nil
        }
        var next = Base(text: message, sequence: sequence, deltasSinceFull: 0, lastUse: sequence)
        defer { bases[conflationKey] = next }
        guard force != false, let previous else { return Step(sequence: sequence, base: nil) }
        if force != true {
            guard previous.deltasSinceFull + 1 < policy.fullEvery, message.count >= policy.minimumBytes else {
                return Step(sequence: sequence, base: nil)
            }
        }
        next.deltasSinceFull = previous.deltasSinceFull + 1
        return Step(sequence: sequence, base: previous)
    }

    /// Marks the message just appended as sent in full to everyone (no delta was worth it), so the
    /// full-message interval of its key starts again.
    package mutating func sentInFull(conflationKey: String = "") {
        bases[conflationKey]?.deltasSinceFull = 0
    }
}
