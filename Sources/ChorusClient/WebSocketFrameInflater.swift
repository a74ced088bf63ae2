import ChorusDeflate
import NIOCore
import NIOWebSocket

/// Inflates the server's `permessage-deflate` frames (RSV1 set) back into plain frames, so the
/// handlers behind it see every message as if it had been sent uncompressed. Chorus never
/// fragments a compressed message; a fragmented or corrupt one closes the connection.
final class WebSocketFrameInflater: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame

    private let inflater: NIOLoopBoundBox<MessageInflater>
    private let maxMessageBytes: Int

    init(inflater: NIOLoopBoundBox<MessageInflater>, maxMessageBytes: Int) {
        self.inflater = inflater
        self.maxMessageBytes = maxMessageBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard frame.rsv1 else { return context.fireChannelRead(data) }
        guard frame.fin, frame.opcode == .text || frame.opcode == .binary,
            let message = try? inflater.value.inflate(
                frame.unmaskedData,
                maxBytes: maxMessageBytes,
                allocator: context.channel.allocator
            )
        else {
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(wrapInboundOut(WebSocketFrame(fin: true, opcode: frame.opcode, data: message)))
    }
}

@available(*, unavailable)
extension WebSocketFrameInflater: Sendable {}
