import ChorusRedis
import Logging
import NIOCore
import NIOPosix
import Testing

/// Against servers of their own (``RedisProcess``): a password, and a server that goes away and
/// comes back on the same port.
@Suite(.enabled(if: RedisProcess.isAvailable, "needs redis-server (scripts/setup.sh --test)"), .timeLimit(.minutes(1)))
struct RedisRestartTests {
    private var fastReconnect: RedisReconnectPolicy {
        var policy = RedisReconnectPolicy()
        policy.initialDelay = .milliseconds(10)
        policy.maximumDelay = .milliseconds(200)
        return policy
    }

    @Test func authenticatesWithThePasswordOfTheURL() async throws {
        let server = try await RedisProcess(password: "s3cret")
        defer { server.stop() }
        let probe = LinkProbe()
        let client = RedisClient(
            address: try RedisAddress(url: "redis://:s3cret@127.0.0.1:\(server.port)/2"),
            eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
            logger: TestRedis.logger,
            onStateChange: probe.onStateChange
        )
        client.start()
        await probe.ready()
        #expect(try await client.send(["SET", "k", "v"]).get() == .simpleString("OK"))
        #expect(try await client.send(["GET", "k"]).get() == .bulkString(ByteBuffer(string: "v")))
        await client.shutdown()
    }

    @Test func aWrongPasswordIsNeverReady() async throws {
        let server = try await RedisProcess(password: "s3cret")
        defer { server.stop() }
        let probe = LinkProbe()
        // A generous attempt timeout: under a loaded CI machine the first handshake can be slow,
        // and a timed-out attempt would be the outage's one reported reason instead of WRONGPASS.
        var reconnect = RedisReconnectPolicy()
        reconnect.attemptTimeout = .seconds(60)
        let client = RedisClient(
            address: RedisAddress(host: "127.0.0.1", port: server.port, password: "wrong"),
            eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
            logger: TestRedis.logger,
            reconnect: reconnect,
            onStateChange: probe.onStateChange
        )
        client.start()
        let reason = await probe.disconnected()
        #expect(reason?.contains("WRONGPASS") == true)
        #expect(!client.isReady)
        await #expect(throws: RedisError.disconnected) { try await client.send(["PING"]).get() }
        await client.shutdown()
    }

    /// The server goes away: commands fail fast, in-flight ones fail; a new server on the same port:
    /// both links come back by themselves and messages flow again.
    @Test func clientAndSubscriptionComeBackAfterARestart() async throws {
        let first = try await RedisProcess()
        let port = first.port
        let address = RedisAddress(host: "127.0.0.1", port: port)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let clientProbe = LinkProbe()
        let client = RedisClient(
            address: address,
            eventLoop: loop,
            logger: TestRedis.logger,
            reconnect: self.fastReconnect,
            onStateChange: clientProbe.onStateChange
        )
        let subscriptionProbe = LinkProbe()
        let subscription = RedisSubscription(
            address: address,
            channels: ["events", "presence"],
            eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
            logger: TestRedis.logger,
            reconnect: self.fastReconnect,
            onMessage: subscriptionProbe.onMessage,
            onStateChange: subscriptionProbe.onStateChange
        )
        client.start()
        subscription.start()
        await clientProbe.ready()
        await subscriptionProbe.ready()
        #expect(try await client.publish(ByteBuffer(string: "before"), to: "events").get() == 1)
        #expect(await subscriptionProbe.messages(1).map(\.payload) == ["before"])

        let blocked = client.send(["BLPOP", "never", "0"])
        first.stop()
        await #expect(throws: RedisError.disconnected) { try await blocked.get() }
        #expect(await clientProbe.disconnected() != nil)
        #expect(await subscriptionProbe.disconnected() != nil)
        await #expect(throws: RedisError.disconnected) { try await client.send(["PING"]).get() }
        await #expect(throws: RedisError.disconnected) {
            try await client.publish(ByteBuffer(string: "lost"), to: "events").get()
        }

        let second = try await RedisProcess(port: port)
        defer { second.stop() }
        await clientProbe.ready()
        await subscriptionProbe.ready()
        #expect(try await client.send(["PING"]).get() == .simpleString("PONG"))
        #expect(try await client.publish(ByteBuffer(string: "after"), to: "presence").get() == 1)
        let received = await subscriptionProbe.messages(1)
        #expect(received.map(\.channel) == ["presence"])
        #expect(received.map(\.payload) == ["after"])
        await subscription.shutdown()
        await client.shutdown()
    }
}
