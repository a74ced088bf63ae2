import NIOCore

/// The pub/sub side of a subscribed connection: counts the `subscribe` confirmations until every
/// channel asked for is confirmed (then succeeds `confirmed`) and hands each `message` to
/// `onMessage`, in the order Redis sent them. Anything else Redis pushes on a subscribed connection
/// (an error, a value of the wrong shape) closes it.
final class RedisSubscriptionHandler: ChannelInboundHandler {
    typealias InboundIn = RESPValue

    private var unconfirmed: Int
    private var isSettled = false
    private let confirmed: EventLoopPromise<Void>
    private let onMessage: @Sendable (_ channel: String, _ payload: ByteBuffer) -> Void

    init(
        channelCount: Int,
        confirmed: EventLoopPromise<Void>,
        onMessage: @escaping @Sendable (_ channel: String, _ payload: ByteBuffer) -> Void
    ) {
        self.unconfirmed = channelCount
        self.confirmed = confirmed
        self.onMessage = onMessage
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = Self.unwrapInboundIn(data)
        if case .error(let message) = value {
            return self.fail(context: context, RedisError.server(message))
        }
        guard case .array(let items?) = value, case .bulkString(let kind?) = items.first else {
            return self.fail(
                context: context,
                RedisError.protocolViolation("a push that is not an array of bulk strings")
            )
        }
        if kind.readableBytesView.elementsEqual("message".utf8) {
            guard items.count == 3, case .bulkString(let channel?) = items[1], case .bulkString(let payload?) = items[2]
            else {
                return self.fail(context: context, RedisError.protocolViolation("malformed message push"))
            }
            self.onMessage(String(buffer: channel), payload)
        } else if kind.readableBytesView.elementsEqual("subscribe".utf8) {
            self.unconfirmed -= 1
            if self.unconfirmed == 0 { self.settle(.success(())) }
        }
        // Anything else (pong, unsubscribe) is nothing we asked for on this connection, and harmless.
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.settle(.failure(RedisError.disconnected))
        context.fireChannelInactive()
    }

    private func settle(_ result: Result<Void, any Error>) {
        guard !self.isSettled else { return }
        self.isSettled = true
        self.confirmed.completeWith(result)
    }

    /// Reports `error` from the head of the pipeline, so that the command handler records it as the
    /// reason and closes the connection.
    private func fail(context: ChannelHandlerContext, _ error: RedisError) {
        self.settle(.failure(error))
        context.pipeline.syncOperations.fireErrorCaught(error)
    }
}

@available(*, unavailable)
extension RedisSubscriptionHandler: Sendable {}
