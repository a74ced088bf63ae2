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
        self.isWritable = context.channel.isWritable
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.isWritable = false
        self.onWritable = nil
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        isWritable = context.channel.isWritable
        if isWritable { onWritable?() }
        context.fireChannelWritabilityChanged()
    }

    /// The channel's writability as of its last change, kept here so the shard's check per
    /// subscriber reads this handler instead of walking to the channel's atomic flag (NIO fires
    /// `channelWritabilityChanged` on this loop, inside the write that crosses a watermark).
    private(set) var isWritable = true

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
