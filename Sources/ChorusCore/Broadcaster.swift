import ChorusDeflate
package import NIOCore

/// One event ready to fan out: its channel, its frame (encoded once) and the connection that must
/// not receive it (the publisher's own `socket_id`, or the sender of a client event).
package struct OutboundEvent: Sendable {
    package var key: ChannelKey
    package var frame: ByteBuffer
    /// The frame's `permessage-deflate` form, for subscribers that take compression (when made).
    package var compressed: ByteBuffer?
    /// The frame in protocol 2's naming (`sockudo:`), for subscribers speaking it, when it differs:
    /// protocol messages such as `member_added` and `subscription_count`, never published events.
    package var sockudoFrame: ByteBuffer?
    package var excluding: SubscriberAddress?
    /// For presence membership events: the roster version they announce. Subscribers that joined at
    /// that version or later already have the change in their roster and do not get the event.
    package var presenceVersion: UInt64?
    /// The event's tags, matched against subscribers' tag filters.
    package var tags: EventTags?
    /// The event's frames for subscribers taking deltas, when its channel has any.
    package var delta: DeltaFrames?

    package init(
        key: ChannelKey,
        frame: ByteBuffer,
        compressed: ByteBuffer? = nil,
        sockudoFrame: ByteBuffer? = nil,
        excluding: SubscriberAddress? = nil,
        presenceVersion: UInt64? = nil,
        tags: EventTags? = nil,
        delta: DeltaFrames? = nil
    ) {
        self.key = key
        self.frame = frame
        self.compressed = compressed
        self.sockudoFrame = sockudoFrame
        self.excluding = excluding
        self.presenceVersion = presenceVersion
        self.tags = tags
        self.delta = delta
    }
}

/// The broadcast engine across event loops: one ``BroadcastShard`` per loop.
///
/// A publish hands the same frames once to each loop — never once per subscriber — and each loop
/// fans them out to its own connections, so different loops write in parallel. Events handed over
/// together are queued in order and flushed together: a batch reaches each connection in one write.
package final class Broadcaster: Sendable {
    /// A shard and the loop it is confined to.
    package struct Shard: Sendable {
        package let eventLoop: any EventLoop
        let bound: NIOLoopBound<BroadcastShard>

        /// The shard itself; call only on ``eventLoop``.
        package var value: BroadcastShard { bound.value }
    }

    package let shards: [Shard]
    /// The compressed forms of frames for connections that negotiated `permessage-deflate`.
    package let compression: FrameCompression

    /// Creates one shard on each of `eventLoops`; must be called where each shard can be created
    /// (it is created on its own loop).
    package init(eventLoops: [any EventLoop], limits: OutboundLimits = OutboundLimits()) async throws {
        let compression = FrameCompression(compressor: try MessageCompressor(streams: eventLoops.count + 1))
        var shards: [Shard] = []
        for loop in eventLoops {
            let bound = try await loop.submit {
                NIOLoopBound(BroadcastShard(limits: limits, compression: compression), eventLoop: loop)
            }.get()
            shards.append(Shard(eventLoop: loop, bound: bound))
        }
        self.shards = shards
        self.compression = compression
    }

    /// The index of the shard confined to `eventLoop`.
    package func shardIndex(for eventLoop: any EventLoop) -> Int? {
        shards.firstIndex { $0.eventLoop === eventLoop }
    }

    /// Queues `events` in order on every shard and flushes each shard once.
    ///
    /// Delivery is always a task on each shard's loop, even on the caller's own loop: the caller
    /// (an HTTP publish, a client event) finishes first — its response is written before the
    /// fan-out's thousands of socket writes — and tasks run in the order they were handed over,
    /// so events stay in order per loop.
    package func publish(_ events: [OutboundEvent]) {
        guard !events.isEmpty else { return }
        for (index, shard) in shards.enumerated() {
            shard.eventLoop.execute {
                Self.deliver(events, on: shard.value, shardIndex: index)
            }
        }
    }

    private static func deliver(_ events: [OutboundEvent], on shard: BroadcastShard, shardIndex: Int) {
        shard.enqueue(events, shardIndex: shardIndex)
        shard.flush()
    }

    /// Completes on `eventLoop` once every shard has run the deliveries handed to it before this
    /// call (each shard's tasks run in order, so a marker queued now runs after them).
    ///
    /// Publishers use it for back-pressure: a connection that published waits for this before it
    /// reads its next request, so no publisher can queue fan-out work faster than sockets drain.
    package func deliveriesQueuedSoFar(on eventLoop: any EventLoop) -> EventLoopFuture<Void> {
        let markers = shards.map { $0.eventLoop.submit {} }
        return EventLoopFuture.andAllSucceed(markers, on: eventLoop)
    }
}
