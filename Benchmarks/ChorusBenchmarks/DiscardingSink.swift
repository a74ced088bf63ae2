import ChorusCore
import NIOCore

/// A subscriber whose socket accepts everything and sends nothing: what is left of a write once the
/// kernel is taken away, so a benchmark measures the shard alone.
final class DiscardingSink: FrameSink {
    private(set) var bytesWritten = 0

    var isWritable: Bool { true }

    func write(_ frame: ByteBuffer) {
        bytesWritten &+= frame.readableBytes
    }

    func flush() {}

    func close(code: PusherCloseReason) {}
}
