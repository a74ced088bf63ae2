import ChorusCore
import ChorusProtocol
import NIOCore

/// One shard with its subscribers connected and subscribed, and the server's publish path
/// (``EventEncoder``) in front of it, built before measurement starts.
struct FanOutFixture {
    let shard: BroadcastShard
    let encoder: EventEncoder
    let channels: [String]
    let sinks: [DiscardingSink]

    static let settings = PublishSettings(appID: "1")

    /// `subscribers` connections spread round-robin over `channels` channels of one app; `filter`
    /// gives the filter (event names, tags) of the subscriber at an index, and `delta` the algorithm
    /// of the deltas it takes, if any (on channels conflated by `conflation`, when given).
    /// With `compression`, every connection negotiated `permessage-deflate`.
    init(
        subscribers: Int,
        channels: [String],
        limits: OutboundLimits = OutboundLimits(),
        filter: (Int) -> SubscriptionPredicate? = { _ in nil },
        delta: DeltaAlgorithm? = nil,
        conflation: ConflationRule? = nil,
        compression: FrameCompression? = nil
    ) {
        shard = BroadcastShard(limits: limits, compression: compression)
        encoder = EventEncoder(directory: ChannelDirectory(), compression: compression)
        self.channels = channels
        var sinks: [DiscardingSink] = []
        sinks.reserveCapacity(subscribers)
        for index in 0..<subscribers {
            let sink = DiscardingSink()
            let key = ChannelKey(appID: Self.settings.appID, channel: channels[index % channels.count])
            let compiled = filter(index).map(CompiledTagFilter.init)
            if compiled?.filtersEventNames == true { encoder.eventNameFilters.join(key) }
            shard.subscribe(
                shard.register(sink, compresses: compression != nil),
                to: key,
                filter: compiled,
                delta: delta
            )
            if let delta { encoder.deltaChains.join(key, algorithm: delta, conflation: conflation) }
            sinks.append(sink)
        }
        self.sinks = sinks
    }

    /// `subscribers` connections spread round-robin over `channelCount` channels named `market-N`.
    init(subscribers: Int, channelCount: Int) {
        self.init(subscribers: subscribers, channels: (0..<channelCount).map { "market-\($0)" })
    }

    /// What the server hands each shard for `events`.
    func batch(_ events: [PublishedEvent]) -> [OutboundEvent] {
        encoder.outboundEvents(for: events, settings: Self.settings)
    }

    /// Queues `batch` as the server's broadcaster does on each of its shards.
    func enqueue(_ batch: [OutboundEvent]) {
        shard.enqueue(batch, shardIndex: 0)
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
        PusherMessage(event: "price-update", channel: "market-0", data: data(number: number))
    }

    /// The `number`th event of the stream as a backend publishes it to `channels`.
    static func event(number: Int, channels: [String] = ["market-0"], tags: [String: String]? = nil) -> PublishedEvent {
        PublishedEvent(name: "price-update", channels: channels, data: data(number: number), tags: tags)
    }

    /// The complete WebSocket text frame of the `number`th event.
    static func frame(number: Int) -> ByteBuffer {
        WebSocketFrameWriter.textFrame(message(number: number).jsonText)
    }

    private static func data(number: Int) -> JSONValue {
        let sequence = String(1_767_225_600_000 + number)
        return .string(#"{"symbol":"EURUSD","bid":1.08412,"ask":1.08415,"ts":"# + sequence + #","venue":"lp-3"}"#)
    }
}
