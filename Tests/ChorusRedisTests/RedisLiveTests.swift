import ChorusRedis
import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing

/// Against the Redis at `CHORUS_TEST_REDIS_URL` (`scripts/lib/start-redis.sh` starts one); keys and
/// channels are unique per test, so the server may be shared.
@Suite(
    .enabled(if: TestRedis.url != nil, "set CHORUS_TEST_REDIS_URL (scripts/lib/start-redis.sh)"),
    .timeLimit(.minutes(1))
)
struct RedisLiveTests {
    private let address: RedisAddress
    private let prefix = "chorus-test-\(UUID())"

    init() throws {
        self.address = try RedisAddress(url: TestRedis.url ?? "")
    }

    private func readyClient(_ address: RedisAddress? = nil) async -> RedisClient {
        let probe = LinkProbe()
        let client = RedisClient(
            address: address ?? self.address,
            eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
            logger: TestRedis.logger,
            onStateChange: probe.onStateChange
        )
        client.start()
        await probe.ready()
        return client
    }

    @Test func setGetIncrAndErrorReplies() async throws {
        let client = await self.readyClient()
        #expect(client.isReady)
        #expect(try await client.send(["SET", "\(self.prefix):k", "välue"]).get() == .simpleString("OK"))
        #expect(try await client.send(["GET", "\(self.prefix):k"]).get() == .bulkString(ByteBuffer(string: "välue")))
        #expect(try await client.send(["GET", "\(self.prefix):missing"]).get() == .bulkString(nil))
        #expect(try await client.send(["INCR", "\(self.prefix):n"]).get() == .integer(1))
        #expect(try await client.send(["INCRBY", "\(self.prefix):n", "41"]).get() == .integer(42))
        await #expect(throws: RedisError.self) { try await client.send(["INCR", "\(self.prefix):k"]).get() }
        // The connection is still usable after an error reply.
        #expect(try await client.send(["DEL", "\(self.prefix):k", "\(self.prefix):n"]).get() == .integer(2))
        await client.shutdown()
    }

    @Test func thousandPipelinedCommandsAnswerInOrder() async throws {
        let client = await self.readyClient()
        let key = "\(self.prefix):counter"
        let replies = (1...1000).map { _ in client.send(["INCR", key]) }
        var values: [RESPValue] = []
        for reply in replies { values.append(try await reply.get()) }
        #expect(values == (1...1000).map { .integer($0) })
        _ = try await client.send(["DEL", key]).get()
        await client.shutdown()
    }

    @Test func selectsTheDatabaseOfTheAddress() async throws {
        var other = self.address
        other.database = 5
        let inFive = await self.readyClient(other)
        let inDefault = await self.readyClient()
        let key = "\(self.prefix):db"
        _ = try await inFive.send(["SET", key, "5"]).get()
        #expect(try await inDefault.send(["GET", key]).get() == .bulkString(nil))
        #expect(try await inFive.send(["GET", key]).get() == .bulkString(ByteBuffer(string: "5")))
        _ = try await inFive.send(["DEL", key]).get()
        await inFive.shutdown()
        await inDefault.shutdown()
    }

    @Test func fiveThousandMessagesArriveInOrder() async throws {
        let channel = "\(self.prefix):events"
        let probe = LinkProbe()
        let subscription = RedisSubscription(
            address: self.address,
            channels: [channel],
            eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
            logger: TestRedis.logger,
            onMessage: probe.onMessage,
            onStateChange: probe.onStateChange
        )
        subscription.start()
        await probe.ready()
        let client = await self.readyClient()
        let published = (0..<5_000).map { client.publish(ByteBuffer(string: "m\($0)"), to: channel) }
        for receivers in published { #expect(try await receivers.get() == 1) }
        let received = await probe.messages(5_000)
        #expect(received.map(\.payload) == (0..<5_000).map { "m\($0)" })
        #expect(received.allSatisfy { $0.channel == channel })
        await subscription.shutdown()
        await client.shutdown()
    }

    /// `.ready` means every SUBSCRIBE is confirmed: a message published right then is received, on
    /// whichever of the channels.
    @Test func readyOnlyOnceEverySubscriptionIsConfirmed() async throws {
        let client = await self.readyClient()
        let channels = (0..<50).map { "\(self.prefix):c\($0)" }
        for round in 0..<10 {
            let probe = LinkProbe()
            let subscription = RedisSubscription(
                address: self.address,
                channels: channels,
                eventLoop: MultiThreadedEventLoopGroup.singleton.next(),
                logger: TestRedis.logger,
                onMessage: probe.onMessage,
                onStateChange: probe.onStateChange
            )
            subscription.start()
            await probe.ready()
            #expect(try await client.publish(ByteBuffer(string: "r\(round)"), to: channels[49]).get() == 1)
            let received = await probe.messages(1)
            #expect(received.first?.channel == channels[49])
            #expect(received.first?.payload == "r\(round)")
            await subscription.shutdown()
        }
        await client.shutdown()
    }

    @Test func shutdownFailsWhatIsInFlightAndIsIdempotent() async throws {
        let client = await self.readyClient()
        let blocked = client.send(["BLPOP", "\(self.prefix):never", "0"])
        // Sent from the same thread before shutdown: written (and never answered) before the close.
        await client.shutdown()
        await #expect(throws: RedisError.disconnected) { try await blocked.get() }
        await client.shutdown()
        #expect(!client.isReady)
        await #expect(throws: RedisError.disconnected) { try await client.send(["PING"]).get() }
    }
}
