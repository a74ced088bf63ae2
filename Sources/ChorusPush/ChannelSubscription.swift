/// A push subscription of a device, or of every device of a client, to a channel.
public struct ChannelSubscription: Sendable, Hashable {
    public var appID: String
    public var channel: String
    /// At least one of the two is set.
    public var deviceID: String?
    public var clientID: String?

    public init(appID: String, channel: String, deviceID: String?, clientID: String?) {
        self.appID = appID
        self.channel = channel
        self.deviceID = deviceID
        self.clientID = clientID
    }
}

/// Which subscriptions a list or a delete means: every set field must match.
public struct SubscriptionFilter: Sendable, Hashable {
    public var appID: String
    public var channel: String?
    public var deviceID: String?
    public var clientID: String?

    public init(appID: String, channel: String? = nil, deviceID: String? = nil, clientID: String? = nil) {
        self.appID = appID
        self.channel = channel
        self.deviceID = deviceID
        self.clientID = clientID
    }

    /// Whether the filter names anything beyond the app (a delete needs it to).
    public var isEmpty: Bool { channel == nil && deviceID == nil && clientID == nil }
}
