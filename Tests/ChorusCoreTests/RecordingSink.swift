import ChorusCore
import NIOCore

/// A subscriber connection that records what the shard did to it, in order.
final class RecordingSink: FrameSink {
    enum Event: Equatable {
        case write(String)
        case flush
        case close(PusherCloseReason)
    }

    private(set) var events: [Event] = []
    var isWritable = true

    /// The payloads written, in order, without the 2-byte WebSocket header of a short frame.
    var payloads: [String] {
        events.compactMap { event in
            guard case .write(let text) = event else { return nil }
            return text
        }
    }

    var flushCount: Int { events.filter { $0 == .flush }.count }

    func write(_ frame: ByteBuffer) {
        var frame = frame
        frame.moveReaderIndex(forwardBy: 2)
        events.append(.write(frame.readString(length: frame.readableBytes) ?? ""))
    }

    func flush() { events.append(.flush) }

    func close(code: PusherCloseReason) { events.append(.close(code)) }
}

/// A short text frame whose payload is `text`.
func frame(_ text: String) -> ByteBuffer {
    WebSocketFrameWriter.textFrame(text)
}
