package import ChorusDeflate
package import NIOCore
import Synchronization

/// The `permessage-deflate` forms of frames, for the connections that negotiated it.
///
/// A broadcast frame of 1 KB or more is compressed once, when it is encoded, and the same
/// compressed bytes go to every such subscriber (the server compresses each message on its own,
/// `server_no_context_takeover`). Nothing is compressed while no connection takes compression.
package final class FrameCompression: Sendable {
    private let compressor: MessageCompressor
    private let connections = Atomic<Int>(0)

    package init(compressor: MessageCompressor) {
        self.compressor = compressor
    }

    /// Whether any connection takes compressed frames now.
    package var isWanted: Bool { connections.load(ordering: .relaxed) > 0 }

    /// The number of connections taking compressed frames.
    package var connectionCount: Int { connections.load(ordering: .relaxed) }

    func connectionAdded() { connections.add(1, ordering: .relaxed) }

    func connectionRemoved() { connections.subtract(1, ordering: .relaxed) }

    /// The compressed form (RSV1 set) of `frame`, a complete uncompressed text frame, when a
    /// connection takes compression and the payload is large enough to gain; `nil` otherwise.
    package func compressedIfWanted(_ frame: ByteBuffer) -> ByteBuffer? {
        isWanted ? compressed(frame) : nil
    }

    /// The compressed form (RSV1 set) of `frame`, a complete uncompressed text frame, or `nil`
    /// when its payload is under ``MessageCompressor/minimumPayloadBytes`` or would not shrink.
    package func compressed(_ frame: ByteBuffer) -> ByteBuffer? {
        guard let payload = WebSocketFrameWriter.payload(of: frame),
            let deflated = compressor.compress(payload)
        else { return nil }
        return WebSocketFrameWriter.frame(.text, payload: deflated.readableBytesView, compressed: true)
    }
}
