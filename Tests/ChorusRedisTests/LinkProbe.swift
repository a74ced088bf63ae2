import ChorusRedis
import NIOCore

/// Records what a ``RedisClient`` or ``RedisSubscription`` reports, for a test to await in order.
final class LinkProbe {
    let onStateChange: @Sendable (RedisLinkState) -> Void
    let onMessage: @Sendable (String, ByteBuffer) -> Void
    private var states: AsyncStream<RedisLinkState>.Iterator
    private var messages: AsyncStream<(String, ByteBuffer)>.Iterator

    init() {
        let (states, stateSink) = AsyncStream.makeStream(of: RedisLinkState.self)
        let (messages, messageSink) = AsyncStream.makeStream(of: (String, ByteBuffer).self)
        self.states = states.makeAsyncIterator()
        self.messages = messages.makeAsyncIterator()
        self.onStateChange = { stateSink.yield($0) }
        self.onMessage = { messageSink.yield(($0, $1)) }
    }

    /// Waits for the next `.ready`, skipping other states.
    func ready() async {
        while let state = await self.states.next(), state != .ready {}
    }

    /// Waits for the next `.disconnected` and answers its reason.
    func disconnected() async -> String? {
        while let state = await self.states.next() {
            if case .disconnected(let reason) = state { return reason }
        }
        return nil
    }

    /// The next `count` messages, as (channel, payload text).
    func messages(_ count: Int) async -> [(channel: String, payload: String)] {
        var received: [(channel: String, payload: String)] = []
        while received.count < count, let (channel, payload) = await self.messages.next() {
            received.append((channel, String(buffer: payload)))
        }
        return received
    }
}
