/// A channel of one app: channels of different apps never share subscribers.
package struct ChannelKey: Sendable, Hashable, CustomStringConvertible {
    package var appID: String
    package var channel: String

    package init(appID: String, channel: String) {
        self.appID = appID
        self.channel = channel
    }

    package var description: String { "\(appID)/\(channel)" }
}

/// A connection's place in the broadcast engine: its shard (event loop) and its slot there.
package struct SubscriberAddress: Sendable, Hashable {
    package var shard: Int
    package var slot: UInt32

    package init(shard: Int, slot: UInt32) {
        self.shard = shard
        self.slot = slot
    }
}
