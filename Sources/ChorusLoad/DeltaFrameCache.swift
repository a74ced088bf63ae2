package import ChorusProtocol
package import NIOCore

/// What the delta subscribers of one event loop learned from each distinct frame, so a frame all
/// of them receive (the server sends one frame for all) is parsed once, and a delta is applied
/// once per distinct base rather than once per subscriber. Touched only on its loop.
///
/// Applying a delta is a pure function of the base bytes and the frame bytes: a subscriber whose
/// base and frame equal those already applied gets the same result, shared rather than recomputed.
package final class DeltaFrameCache {
    /// One distinct frame, parsed.
    package enum Frame {
        /// A full message carrying its delta metadata; `message.text` is the text without it.
        case full(DeltaMessage.FullMessage)
        /// A `pusher:delta` frame, with the last base it was applied to and the result.
        case delta(DeltaMessage, lastBase: [UInt8]?, lastResult: [UInt8])
        /// Any other frame: passed through unchanged.
        case other
    }

    /// Frames held before the cache starts over; a chain needs only its latest few.
    package static let capacity = 1_024

    private var frames: [ByteBuffer: Frame] = [:]

    package init() {}

    /// The parsed form of `frame`.
    package func frame(_ frame: ByteBuffer) -> Frame {
        if let known = frames[frame] { return known }
        let bytes = Array(frame.readableBytesView)
        let parsed: Frame
        if let full = DeltaMessage.splitMetadata(bytes) {
            parsed = .full(full)
        } else if let message = try? PusherMessage(parsing: bytes), let delta = DeltaMessage(message) {
            parsed = .delta(delta, lastBase: nil, lastResult: [])
        } else {
            parsed = .other
        }
        if frames.count >= Self.capacity { frames.removeAll(keepingCapacity: true) }
        frames[ByteBuffer(bytes: bytes)] = parsed
        return parsed
    }

    /// `delta` (from `frame`) applied to `base`: the remembered result when `base` equals the last
    /// base applied, else a fresh application, remembered for the next subscriber.
    package func apply(
        _ delta: DeltaMessage,
        algorithm: DeltaAlgorithm,
        of frame: ByteBuffer,
        to base: [UInt8]
    ) throws -> [UInt8] {
        if case .delta(_, let lastBase?, let lastResult) = frames[frame], lastBase == base { return lastResult }
        let result = try algorithm.apply(delta.delta, to: base)
        if frames[frame] != nil { frames[frame] = .delta(delta, lastBase: base, lastResult: result) }
        return result
    }
}

@available(*, unavailable)
extension DeltaFrameCache: Sendable {}
