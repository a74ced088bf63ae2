import NIOCore
import NIOWebSocket

/// Joins fragmented messages, answers pings, completes the closing handshake, and hands every
/// message and the close code to a ``WebSocketMailbox``.
final class WebSocketSessionHandler: ChannelDuplexHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let mailbox: WebSocketMailbox
    private var fragments: ByteBuffer?
    private var fragmentOpcode: WebSocketOpcode = .text
    private var closeSent = false
    private let deliversPongs: Bool

    init(mailbox: WebSocketMailbox, deliversPongs: Bool = false) {
        self.mailbox = mailbox
        self.deliversPongs = deliversPongs
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            if frame.fin {
                deliver(opcode: frame.opcode, payload: frame.unmaskedData)
            } else {
                fragmentOpcode = frame.opcode
                fragments = frame.unmaskedData
            }
        case .continuation:
            guard var buffer = fragments else { return }
            var payload = frame.unmaskedData
            buffer.writeBuffer(&payload)
            if frame.fin {
                fragments = nil
                deliver(opcode: fragmentOpcode, payload: buffer)
            } else {
                fragments = buffer
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .pong where deliversPongs:
            mailbox.deliver(.pong(Array(buffer: frame.unmaskedData)))
        case .connectionClose:
            var payload = frame.unmaskedData
            let code = payload.readInteger(as: UInt16.self)
            let reason = payload.readString(length: payload.readableBytes) ?? ""
            mailbox.deliver(.close(code: code, reason: reason))
            if closeSent {
                context.close(promise: nil)
            } else {
                closeSent = true
                var echo = context.channel.allocator.buffer(capacity: 2)
                if let code { echo.writeInteger(code) }
                let reply = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: echo)
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
            }
        default:
            break
        }
    }

    /// Notes a close frame the client sends, so the server's echo ends the connection.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if unwrapOutboundIn(data).opcode == .connectionClose { closeSent = true }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        mailbox.deliver(.disconnected)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func deliver(opcode: WebSocketOpcode, payload: ByteBuffer) {
        if opcode == .text {
            mailbox.deliver(.text(String(buffer: payload)))
        } else {
            mailbox.deliver(.binary(Array(buffer: payload)))
        }
    }
}

@available(*, unavailable)
extension WebSocketSessionHandler: Sendable {}
