package import Logging
package import NIOCore

/// A dedicated pub/sub connection to Redis subscribed to a fixed set of channels. On every
/// (re)connect it SUBSCRIBEs again and reports ``RedisLinkState/ready`` only once Redis has
/// confirmed every channel, so a message published after `.ready` is received. Messages published
/// while it was disconnected are lost (Redis pub/sub keeps nothing).
package final class RedisSubscription: Sendable {
    private let link: RedisLink

    /// - Parameters:
    ///   - onMessage: called on `eventLoop` for each message, in the order Redis sent them.
    ///   - onStateChange: called on `eventLoop` with each change.
    package init(
        address: RedisAddress,
        channels: [String],
        eventLoop: any EventLoop,
        logger: Logger,
        reconnect: RedisReconnectPolicy = RedisReconnectPolicy(),
        onMessage: @escaping @Sendable (_ channel: String, _ payload: ByteBuffer) -> Void,
        onStateChange: @escaping @Sendable (RedisLinkState) -> Void = { _ in }
    ) {
        let subscribe = Self.subscribeCommand(channels)
        self.link = RedisLink(
            address: address,
            eventLoop: eventLoop,
            logger: logger,
            role: "subscription",
            reconnect: reconnect,
            forwardsUnmatched: true,
            prepare: { channel in
                guard let subscribe else { return channel.eventLoop.makeSucceededVoidFuture() }
                let confirmed = channel.eventLoop.makePromise(of: Void.self)
                let handler = RedisSubscriptionHandler(
                    channelCount: channels.count,
                    confirmed: confirmed,
                    onMessage: onMessage
                )
                do {
                    try channel.pipeline.syncOperations.addHandler(handler)
                } catch {
                    return channel.eventLoop.makeFailedFuture(error)
                }
                channel.writeAndFlush(RedisCommandHandler.Command(bytes: subscribe, reply: nil), promise: nil)
                return confirmed.futureResult
            },
            onStateChange: onStateChange
        )
    }

    /// Starts connecting in the background. Calling it again does nothing.
    package func start() {
        self.link.start()
    }

    /// Stops reconnecting and closes the connection; returns once closed. Idempotent.
    package func shutdown() async {
        await self.link.shutdown()
    }

    private static func subscribeCommand(_ channels: [String]) -> ByteBuffer? {
        guard !channels.isEmpty else { return nil }
        var bytes = ByteBuffer()
        bytes.writeRESPArrayHeader(count: channels.count + 1)
        bytes.writeRESPBulkString("SUBSCRIBE")
        for channel in channels { bytes.writeRESPBulkString(channel) }
        return bytes
    }
}
