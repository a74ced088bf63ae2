package import ChorusDeflate
package import NIOCore
package import NIOWebSocket

/// Inflates the compressed messages (RSV1 set, kept by ``WebSocketFrameReader`` on the joined
/// message) of a connection that negotiated `permessage-deflate`: the message then reaches the
/// session as if it had been sent plain.
///
/// `max_message_bytes` applies to the inflated size: a message inflating past it is answered with
/// close 1009 and its inflation stops there, so a zip bomb costs at most that much memory and the
/// CPU to produce it. The zlib stream is the event loop's (``inflater``), shared by its connections.
package final class WebSocketMessageInflater: ChannelInboundHandler {
    package typealias InboundIn = WebSocketFrame
    package typealias InboundOut = WebSocketFrame

    private let inflater: NIOLoopBoundBox<MessageInflater>
    private let maxMessageBytes: Int

    package init(inflater: NIOLoopBoundBox<MessageInflater>, maxMessageBytes: Int) {
        self.inflater = inflater
        self.maxMessageBytes = maxMessageBytes
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        guard frame.opcode == .text || frame.opcode == .binary, frame.rsv1 else {
            return context.fireChannelRead(data)
        }
        do throws(MessageInflater.Failure) {
            let message = try inflater.value.inflate(
                frame.unmaskedData,
                maxBytes: maxMessageBytes,
                allocator: context.channel.allocator
            )
            context.fireChannelRead(wrapInboundOut(WebSocketFrame(fin: true, opcode: frame.opcode, data: message)))
        } catch {
            switch error {
            case .tooLarge: context.fireErrorCaught(WebSocketViolation.messageTooLarge)
            case .corrupt: context.fireErrorCaught(WebSocketViolation.invalidCompressedData)
            }
        }
    }
}

@available(*, unavailable)
extension WebSocketMessageInflater: Sendable {}
