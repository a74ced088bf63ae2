/// What a shard does when a subscriber cannot keep up and its outbound queue is full.
///
/// Memory never grows without bound: each connection holds at most
/// ``OutboundLimits/framesPerConnection`` pending frames, and a shard's frame ring at most
/// ``OutboundLimits/ringBytes`` bytes. A subscriber that needs a frame beyond those limits has fallen
/// behind, and the policy decides what happens to it.
public enum SlowConsumerPolicy: String, Sendable, Hashable, CaseIterable {
    /// Discard the subscriber's oldest pending frame and count it in ``ShardStatistics/droppedFrames``.
    case dropOldest = "drop_oldest"
    /// Close the connection with code 4100 (over capacity: reconnect after backing off).
    case close
}

/// Bounds on what a shard holds for subscribers that are not writable.
public struct OutboundLimits: Sendable, Hashable {
    /// Pending frames per connection before the slow-consumer policy applies.
    public var framesPerConnection: Int
    /// Frames the shard's ring keeps for subscribers that have not written them yet.
    public var ringFrames: Int
    /// Bytes the shard's ring keeps; the oldest frames are released beyond this.
    public var ringBytes: Int
    public var policy: SlowConsumerPolicy

    public init(
        framesPerConnection: Int = 64,
        ringFrames: Int = 4096,
        ringBytes: Int = 16 << 20,
        policy: SlowConsumerPolicy = .close
    ) {
        precondition(framesPerConnection > 0 && framesPerConnection <= Int(UInt16.max))
        precondition(ringFrames > 0)
        self.framesPerConnection = framesPerConnection
        self.ringFrames = ringFrames
        self.ringBytes = ringBytes
        self.policy = policy
    }
}
