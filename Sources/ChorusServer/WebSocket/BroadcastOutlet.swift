import ChorusCore
import NIOCore

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
        case .slowConsumer: sendCloseFrame(code: 4100, reason: "Over capacity")
        }
    }

    /// Writes a close frame and closes the connection once it has been written.
    func sendCloseFrame(code: UInt16, reason: String) {
        guard let context else { return }
        let frame = WebSocketFrameWriter.closeFrame(code: code, reason: reason)
        context.writeAndFlush(NIOAny(frame)).whenComplete { [channel = context.channel] _ in
            channel.close(promise: nil)
        }
    }

    /// Writes a control frame (pong) directly.
    func writeControl(_ frame: ByteBuffer) {
        context?.writeAndFlush(NIOAny(frame), promise: nil)
    }
}

@available(*, unavailable)
extension BroadcastOutlet: Sendable {}
