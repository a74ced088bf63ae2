import ChorusCore
import ChorusProtocol
import NIOCore

/// One shard with its subscribers connected and subscribed, built before measurement starts.
struct FanOutFixture {
    let shard: BroadcastShard
    let keys: [ChannelKey]
    let sinks: [DiscardingSink]

    /// `subscribers` connections spread round-robin over `channels` channels of one app.
    init(subscribers: Int, channels: Int = 1, limits: OutboundLimits = OutboundLimits()) {
        shard = BroadcastShard(limits: limits)
        keys = (0..<channels).map { ChannelKey(appID: "1", channel: "market-\($0)") }
        var sinks: [DiscardingSink] = []
        sinks.reserveCapacity(subscribers)
        for index in 0..<subscribers {
            let sink = DiscardingSink()
            let slot = shard.register(sink)
            shard.subscribe(slot, to: keys[index % channels])
            sinks.append(sink)
        }
        self.sinks = sinks
    }

    /// Writes out whatever is queued, so the next measured run starts from empty queues.
    func drain() {
        shard.flush()
    }
}

/// A typical event as a backend publishes it: about 150 bytes once wrapped in its Pusher envelope.
enum SampleEvent {
    static let message = message(number: 0)

    static let text = message.jsonText

    /// The `number`th event of a stream, all of the same size.
    static func message(number: Int) -> PusherMessage {
        let sequence = String(1_767_225_600_000 + number)
        return PusherMessage(
            event: "price-update",
            channel: "market-0",
            data: .string(#"{"symbol":"EURUSD","bid":1.08412,"ask":1.08415,"ts":"# + sequence + #","venue":"lp-3"}"#)
        )
    }

    /// The complete WebSocket text frame of the `number`th event.
    static func frame(number: Int) -> ByteBuffer {
        WebSocketFrameWriter.textFrame(message(number: number).jsonText)
    }
}
