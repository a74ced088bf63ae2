package import Logging
package import NIOCore

/// One command connection to Redis that keeps itself connected: it connects in the background on
/// ``start()``, reconnects with backoff after any loss, and pipelines commands (many in flight,
/// answers matched in order). While it is not ready, commands fail at once with
/// ``RedisError/disconnected``, and so do the commands in flight when the connection drops: Redis is
/// never waited for.
package final class RedisClient: Sendable {
    private let link: RedisLink

    /// - Parameter onStateChange: called on `eventLoop` with each change (``RedisLinkState/ready``
    ///   once AUTH and SELECT succeeded; one ``RedisLinkState/disconnected(reason:)`` per outage).
    package init(
        address: RedisAddress,
        eventLoop: any EventLoop,
        logger: Logger,
        reconnect: RedisReconnectPolicy = RedisReconnectPolicy(),
        onStateChange: @escaping @Sendable (RedisLinkState) -> Void = { _ in }
    ) {
        self.link = RedisLink(
            address: address,
            eventLoop: eventLoop,
            logger: logger,
            role: "commands",
            reconnect: reconnect,
            forwardsUnmatched: false,
            prepare: { $0.eventLoop.makeSucceededVoidFuture() },
            onStateChange: onStateChange
        )
    }

    /// Starts connecting in the background. Calling it again does nothing.
    package func start() {
        self.link.start()
    }

    /// Stops reconnecting and closes the connection, failing the commands in flight; returns once
    /// closed. Idempotent.
    package func shutdown() async {
        await self.link.shutdown()
    }

    /// Whether commands can be sent now.
    package var isReady: Bool { self.link.isReady }

    /// Sends a command (`["SET", "key", "value"]`). Error replies fail the future with
    /// ``RedisError/server(_:)``. Commands are written in call order per calling thread.
    package func send(_ arguments: [String]) -> EventLoopFuture<RESPValue> {
        self.link.send(self.link.encode(arguments))
    }

    /// PUBLISH `payload` (its readable bytes, as they are) to `channel`; answers how many
    /// subscribers received it.
    package func publish(_ payload: ByteBuffer, to channel: String) -> EventLoopFuture<Int> {
        self.link.send(self.link.encode(["PUBLISH", channel], payload: payload)).flatMapThrowing { reply in
            guard case .integer(let receivers) = reply else {
                throw RedisError.protocolViolation("PUBLISH answered \(reply)")
            }
            return receivers
        }
    }
}
