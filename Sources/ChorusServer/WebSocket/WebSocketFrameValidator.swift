package import NIOCore
package import NIOWebSocket

/// Checks each decoded client frame against the header rules of RFC 6455 before fragments are
/// joined (the aggregator drops the mask and reserved bits): masked, no reserved opcode, and no
/// reserved bits — but RSV1 on the first frame of a data message when `permessage-deflate` was
/// negotiated, which it notes in `compressedMessages` for ``WebSocketMessageInflater``. A
/// violation is raised as a ``WebSocketViolation`` and everything after it is dropped.
package final class WebSocketFrameValidator: ChannelInboundHandler {
    package typealias InboundIn = WebSocketFrame
    package typealias InboundOut = WebSocketFrame

    private var failed = false
    /// Where RSV1 of each data message goes; `nil` when no extension was negotiated.
    private let compressedMessages: CompressedMessageMarks?

    package init(compressedMessages: CompressedMessageMarks? = nil) {
        self.compressedMessages = compressedMessages
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let frame = unwrapInboundIn(data)
        if let violation = Self.violation(in: frame, compressionNegotiated: compressedMessages != nil) {
            failed = true
            context.fireErrorCaught(violation)
            return
        }
        if frame.opcode == .text || frame.opcode == .binary { compressedMessages?.append(frame.rsv1) }
        context.fireChannelRead(data)
    }

    static func violation(in frame: WebSocketFrame, compressionNegotiated: Bool) -> WebSocketViolation? {
        if frame.maskKey == nil { return .unmaskedFrame }
        let startsDataMessage = frame.opcode == .text || frame.opcode == .binary
        if frame.rsv2 || frame.rsv3 || (frame.rsv1 && !(compressionNegotiated && startsDataMessage)) {
            return .reservedBitsSet
        }
        switch frame.opcode {
        case .continuation, .text, .binary, .connectionClose, .ping, .pong: return nil
        default: return .reservedOpcode
        }
    }
}

@available(*, unavailable)
extension WebSocketFrameValidator: Sendable {}
