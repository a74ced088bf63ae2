import NIOCore

/// Matches Redis's answers to the commands written before them, in order (pipelining: many
/// commands in flight). Commands written without a reply promise (SUBSCRIBE) and answers nobody
/// waits for are passed on when `forwardsUnmatched` (the pub/sub connection), and are a protocol
/// violation otherwise. Every waiting command fails with ``RedisError/disconnected`` when the
/// connection goes; the first error seen is kept as ``closeReason``.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias InboundOut = RESPValue
    typealias OutboundIn = Command
    typealias OutboundOut = ByteBuffer

    /// One encoded command and who waits for its answer (error replies fail it with ``RedisError/server(_:)``).
    struct Command: Sendable {
        var bytes: ByteBuffer
        var reply: EventLoopPromise<RESPValue>?
    }

    private let forwardsUnmatched: Bool
    private var waiting = CircularBuffer<EventLoopPromise<RESPValue>>(initialCapacity: 64)
    private var isClosed = false
    /// Why the connection closed, when we know better than "closed by the server".
    private(set) var closeReason: String?

    init(forwardsUnmatched: Bool) {
        self.forwardsUnmatched = forwardsUnmatched
    }

    /// Keeps `reason` as the reason for closing unless one is known already.
    func noteCloseReason(_ reason: String) {
        if self.closeReason == nil { self.closeReason = reason }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let command = Self.unwrapOutboundIn(data)
        guard !self.isClosed else {
            command.reply?.fail(RedisError.disconnected)
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        if let reply = command.reply { self.waiting.append(reply) }
        context.write(Self.wrapOutboundOut(command.bytes), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = Self.unwrapInboundIn(data)
        guard let reply = self.waiting.popFirst() else {
            if self.forwardsUnmatched {
                context.fireChannelRead(data)
            } else {
                self.noteCloseReason("an answer nobody asked for")
                context.close(promise: nil)
            }
            return
        }
        if case .error(let message) = value {
            reply.fail(RedisError.server(message))
        } else {
            reply.succeed(value)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.noteCloseReason("\(error)")
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isClosed = true
        while let reply = self.waiting.popFirst() {
            reply.fail(RedisError.disconnected)
        }
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        while let reply = self.waiting.popFirst() {
            reply.fail(RedisError.disconnected)
        }
    }
}

@available(*, unavailable)
extension RedisCommandHandler: Sendable {}
