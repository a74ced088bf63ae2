package import ChorusProtocol
package import NIOCore

/// The frames of one event for the subscribers of its channel that take deltas: the full message
/// carrying its sequence (and conflation key), and — when worth it — a `pusher:delta` frame per
/// algorithm in use against the earlier message of its chain. Built once per channel per event; a
/// shard gives each such subscriber its algorithm's delta if it holds the base, the full frame
/// otherwise.
package struct DeltaFrames: Sendable {
    /// One algorithm's `pusher:delta` frame, in both namings.
    package struct Delta: Sendable {
        package var frame: ByteBuffer
        /// The same frame named for protocol 2 (`sockudo:delta`).
        package var sockudoFrame: ByteBuffer

        package init(frame: ByteBuffer, sockudoFrame: ByteBuffer) {
            self.frame = frame
            self.sockudoFrame = sockudoFrame
        }
    }

    /// The event's sequence in its channel (from 1).
    package var sequence: UInt64
    /// The sequence of the message the deltas apply to (the previous one of the event's chain).
    package var baseSequence: UInt64
    /// The full message with its delta metadata.
    package var full: ByteBuffer
    /// The full message's `permessage-deflate` form, for subscribers that take compression.
    package var compressedFull: ByteBuffer?
    /// The Fossil delta, when worth sending.
    package var fossil: Delta?
    /// The VCDIFF (`xdelta3`) delta, when worth sending.
    package var xdelta3: Delta?

    package init(
        sequence: UInt64,
        baseSequence: UInt64 = 0,
        full: ByteBuffer,
        fossil: Delta? = nil,
        xdelta3: Delta? = nil
    ) {
        self.sequence = sequence
        self.baseSequence = baseSequence
        self.full = full
        self.fossil = fossil
        self.xdelta3 = xdelta3
    }

    /// The delta frames for subscribers taking `algorithm`, when there are.
    package func delta(_ algorithm: DeltaAlgorithm) -> Delta? {
        switch algorithm {
        case .fossil: fossil
        case .xdelta3: xdelta3
        }
    }
}
