package import NIOCore

/// The frames of one event for the subscribers of its channel that take deltas: the full message
/// carrying its chain sequence, and — when worth it — the `pusher:delta` against the previous
/// message of the chain. Built once per channel per event; a shard gives each such subscriber the
/// delta if it was sent the base, the full frame otherwise.
package struct DeltaFrames: Sendable {
    /// The event's sequence in its channel's chain (from 1).
    package var sequence: UInt64
    /// The full message with `"__delta_seq"`.
    package var full: ByteBuffer
    /// The full message's `permessage-deflate` form, for subscribers that take compression.
    package var compressedFull: ByteBuffer?
    /// The `pusher:delta` frame, applying to the message of sequence `sequence - 1`.
    package var delta: ByteBuffer?
    /// The same delta named for protocol 2 (`sockudo:delta`).
    package var sockudoDelta: ByteBuffer?

    package init(sequence: UInt64, full: ByteBuffer, delta: ByteBuffer?, sockudoDelta: ByteBuffer? = nil) {
        self.sequence = sequence
        self.full = full
        self.delta = delta
        self.sockudoDelta = sockudoDelta
    }

    /// The sequence of the message the delta applies to.
    package var baseSequence: UInt64 { sequence - 1 }
}
