package import NIOCore
package import NIOWebSocket

/// Checks each decoded client frame against the header rules of RFC 6455 before fragments are
/// joined (the aggregator drops the mask and reserved bits): masked, no reserved bits (no
/// extension is negotiated), no reserved opcode. A violation is raised as a
/// ``WebSocketViolation`` and everything after it is dropped.
package final class WebSocketFrameValidator: ChannelInboundHandler {
    package typealias InboundIn = WebSocketFrame
    package typealias InboundOut = WebSocketFrame

    private var failed = false

    package init() {}

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        let frame = unwrapInboundIn(data)
        if let violation = Self.violation(in: frame) {
            failed = true
            context.fireErrorCaught(violation)
            return
        }
        context.fireChannelRead(data)
    }

    static func violation(in frame: WebSocketFrame) -> WebSocketViolation? {
        if frame.maskKey == nil { return .unmaskedFrame }
        if frame.rsv1 || frame.rsv2 || frame.rsv3 { return .reservedBitsSet }
        switch frame.opcode {
        case .continuation, .text, .binary, .connectionClose, .ping, .pong: return nil
        default: return .reservedOpcode
        }
    }
}

@available(*, unavailable)
extension WebSocketFrameValidator: Sendable {}
