extension BroadcastShard {
    /// Queues a published batch, in order, for this shard's subscribers (shard number `shardIndex`
    /// of its ``Broadcaster``, which decides whether an event's excluded subscriber is here).
    /// Writes nothing: ``flush()`` does.
    package func enqueue(_ events: [OutboundEvent], shardIndex: Int) {
        for event in events {
            let excluded = event.excluding.flatMap { $0.shard == shardIndex ? $0.slot : nil }
            if let version = event.presenceVersion {
                enqueue(
                    event.frame,
                    compressed: event.compressed,
                    sockudo: event.sockudoFrame,
                    to: event.key,
                    excluding: excluded,
                    presenceVersion: version
                )
            } else {
                enqueue(event, excluding: excluded)
            }
        }
    }
}
