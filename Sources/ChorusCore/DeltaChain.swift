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

/// The delta state of one channel on the publishing side: its last message and the sequence of the
/// chain. Each message is compared with the one before, so events must be appended in the order
/// they are broadcast — a batch to one channel forms one chain.
package struct DeltaChain: Sendable {
    /// The last message appended.
    package private(set) var base: [UInt8]?
    /// The sequence of the last message appended; 0 before any.
    package private(set) var sequence: UInt64 = 0
    private var deltasSinceFull = 0

    package init() {}

    /// What ``append(_:policy:force:)`` decided for one message.
    package struct Step: Sendable, Hashable {
        package var sequence: UInt64
        /// The Fossil delta from the previous message, or `nil` to send this one in full.
        package var delta: [UInt8]?
    }

    /// Appends `message` to the chain. `force` is the publisher's `delta` flag: `false` sends it in
    /// full; `true` ignores the size floor and the full-message interval (never the rule that the
    /// delta must be smaller than the message).
    package mutating func append(_ message: [UInt8], policy: DeltaPolicy, force: Bool? = nil) -> Step {
        defer { base = message }
        sequence += 1
        guard force != false, let base else { return full() }
        if force != true {
            guard deltasSinceFull + 1 < policy.fullEvery, message.count >= policy.minimumBytes else { return full() }
        }
        let delta = FossilDelta.create(from: base, to: message)
        // The delta travels base64-encoded inside a JSON string: 4 bytes for every 3.
        guard (delta.count + 2) / 3 * 4 < message.count else { return full() }
        deltasSinceFull += 1
        return Step(sequence: sequence, delta: delta)
    }

    private mutating func full() -> Step {
        deltasSinceFull = 0
        return Step(sequence: sequence, delta: nil)
    }
}
