import ChorusCore
import ChorusProtocol
import NIOCore
import NIOWebSocket

/// The connection's end of the broadcast engine: a handler at the head of the pipeline that writes
/// pre-encoded WebSocket frames straight to the socket, past the frame encoder, and tells the
/// shard when the socket can take more.
final class BroadcastOutlet: ChannelInboundHandler, FrameSink {
    typealias InboundIn = ByteBuffer

    private var context: ChannelHandlerContext?
    /// Called when the socket becomes writable again, so the shard can write held frames.
    var onWritable: (() -> Void)?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.onWritable = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { onWritable?() }
        context.fireChannelWritabilityChanged()
    }

    var isWritable: Bool { context?.channel.isWritable ?? false }

    func write(_ frame: ByteBuffer) {
        context?.write(NIOAny(frame), promise: nil)
    }

    func flush() {
        context?.flush()
    }

    func close(code: PusherCloseReason) {
        switch code {
        case .slowConsumer:
            sendCloseFrame(code: WebSocketErrorCode(.overCapacity), reason: PusherErrorCode.overCapacity.meaning)
        }
    }

    /// How long the server waits for the client's close frame before dropping the connection.
    static let closingHandshakeTimeout = TimeAmount.seconds(2)

    /// Starts the closing handshake: writes a close frame, then closes the TCP connection when the
    /// client answers with its own close frame (``finishClosing()``) or after a timeout.
    func sendCloseFrame(code: WebSocketErrorCode, reason: String) {
        guard let context else { return }
        let frame = WebSocketFrameWriter.closeFrame(code: UInt16(webSocketErrorCode: code), reason: reason)
        context.writeAndFlush(NIOAny(frame), promise: nil)
        let channel = context.channel
        context.eventLoop.scheduleTask(in: Self.closingHandshakeTimeout) {
            channel.close(promise: nil)
        }
    }

    /// Ends the connection once the closing handshake is complete.
    func finishClosing() {
        context?.close(promise: nil)
    }
}

@available(*, unavailable)
extension BroadcastOutlet: Sendable {}
