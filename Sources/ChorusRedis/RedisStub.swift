// INTERFACE STUB — the helper replaces this file with the real target.
package import Logging
package import NIOCore

/// Where a Redis server is: `redis://[:password@]host[:port][/database]`.
package struct RedisAddress: Sendable, Hashable {
    package var host: String
    package var port: Int
    package var password: String?
    package var database: Int

    package init(host: String, port: Int = 6379, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.password = password
        self.database = database
    }

    package init(url: String) throws(RedisError) { fatalError() }
}

/// A RESP2 value.
package enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    case bulkString(ByteBuffer?)
    case array([RESPValue]?)
}

package enum RedisError: Error, Sendable, Equatable {
    case invalidURL(String)
    case disconnected
    case server(String)
    case protocolViolation(String)
}

/// How a reconnecting connection waits between attempts.
package struct RedisReconnectPolicy: Sendable {
    package var initialDelay: TimeAmount = .milliseconds(100)
    package var maximumDelay: TimeAmount = .seconds(2)
    package init() {}
}

/// Where a reconnecting link is.
package enum RedisLinkState: Sendable, Equatable {
    case connecting
    case ready
    case disconnected(reason: String)
}

package final class RedisClient: Sendable {
    package init(
        address: RedisAddress,
        eventLoop: any EventLoop,
        logger: Logger,
        reconnect: RedisReconnectPolicy = RedisReconnectPolicy(),
        onStateChange: @escaping @Sendable (RedisLinkState) -> Void = { _ in }
    ) { fatalError() }
    package func start() { fatalError() }
    package func shutdown() async { fatalError() }
    package var isReady: Bool { fatalError() }
    package func send(_ arguments: [String]) -> EventLoopFuture<RESPValue> { fatalError() }
    package func publish(_ payload: ByteBuffer, to channel: String) -> EventLoopFuture<Int> { fatalError() }
}

package final class RedisSubscription: Sendable {
    package init(
        address: RedisAddress,
        channels: [String],
        eventLoop: any EventLoop,
        logger: Logger,
        reconnect: RedisReconnectPolicy = RedisReconnectPolicy(),
        onMessage: @escaping @Sendable (_ channel: String, _ payload: ByteBuffer) -> Void,
        onStateChange: @escaping @Sendable (RedisLinkState) -> Void = { _ in }
    ) { fatalError() }
    package func start() { fatalError() }
    package func shutdown() async { fatalError() }
}
