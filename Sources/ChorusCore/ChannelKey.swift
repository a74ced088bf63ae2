/// A channel of one app: channels of different apps never share subscribers.
public struct ChannelKey: Sendable, Hashable, CustomStringConvertible {
    public var appID: String
    public var channel: String

    public init(appID: String, channel: String) {
        self.appID = appID
        self.channel = channel
    }

    public var description: String { "\(appID)/\(channel)" }
}

/// A connection's place in the broadcast engine: its shard (event loop) and its slot there.
public struct SubscriberAddress: Sendable, Hashable {
    public var shard: Int
    public var slot: UInt32

    public init(shard: Int, slot: UInt32) {
        self.shard = shard
        self.slot = slot
    }
}
