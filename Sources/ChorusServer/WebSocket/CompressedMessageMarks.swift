/// Which of a connection's incoming data messages are compressed (`permessage-deflate`), in
/// order: NIO's fragment aggregator drops RSV1, so ``WebSocketFrameValidator`` notes it from each
/// message's first frame and ``WebSocketMessageInflater`` takes the note for each whole message.
/// Confined to the connection's event loop.
package final class CompressedMessageMarks {
    private var marks: [Bool] = []

    package init() {}

    /// Notes the next message's RSV1.
    func append(_ compressed: Bool) {
        marks.append(compressed)
    }

    /// Whether the next whole message was compressed.
    func takeNext() -> Bool {
        marks.isEmpty ? false : marks.removeFirst()
    }
}

@available(*, unavailable)
extension CompressedMessageMarks: Sendable {}
