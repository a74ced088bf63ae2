import ChorusRedis
import NIOCore
import NIOPosix
import Testing

/// A server that accepts connections and never answers: each attempt gives up after
/// ``RedisReconnectPolicy/attemptTimeout`` instead of waiting forever.
@Suite(.timeLimit(.minutes(1)))
struct RedisAttemptTimeoutTests {
    @Test func aSilentServerIsAFailedAttempt() async throws {
        let silent = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        var policy = RedisReconnectPolicy()
        policy.attemptTimeout = .milliseconds(100)
        let probe = LinkProbe()
        let subscription = RedisSubscription(
            address: RedisAddress(host: "127.0.0.1", port: silent.localAddress?.port ?? 0),
            channels: ["events"],
            eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
            logger: TestRedis.logger,
            reconnect: policy,
            onMessage: probe.onMessage,
            onStateChange: probe.onStateChange
        )
        subscription.start()
        #expect(await probe.disconnected() == "no answer to the handshake in time")
        await subscription.shutdown()
        try await silent.close()
    }
}
