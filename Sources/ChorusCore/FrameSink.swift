package import NIOCore

/// Where a shard writes a subscriber's frames: the connection's socket in the server, a counter in
/// benchmarks. Called only on the shard's event loop.
package protocol FrameSink: AnyObject {
    /// Whether the transport accepts more bytes now; a shard holds frames for a sink that does not.
    var isWritable: Bool { get }
    /// Queues one complete WebSocket frame.
    func write(_ frame: ByteBuffer)
    /// Sends what was queued (one gathering write for several frames).
    func flush()
    /// Closes the connection with a Pusher close code (the slow-consumer policy uses 4100).
    func close(code: PusherCloseReason)
}

/// Why a shard closes a connection.
package enum PusherCloseReason: Sendable, Hashable {
    /// The subscriber fell behind further than its outbound queue holds (close code 4100).
    case slowConsumer
}
