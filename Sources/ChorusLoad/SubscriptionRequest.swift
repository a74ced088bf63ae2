import ChorusProtocol

/// How one connection subscribes: the channel, and for private and presence channels the
/// signature the app's auth endpoint would return, computed here with the app secret.
struct SubscriptionRequest: Sendable {
    var channel: String
    var kind: Scenario.ChannelKind
    /// `channel_data` for presence channels.
    var channelData: String?
    var authenticator: ChannelAuthenticator
    /// How this connection opts in to delta compression; `nil` for plain subscribers.
    var delta: Scenario.DeltaMode?

    /// The `pusher:subscribe` frame text for a connection with `socketID`.
    func subscribeText(socketID: String) -> String {
        var data: [String: JSONValue] = ["channel": .string(channel)]
        if kind != .public {
            data["auth"] = .string(
                authenticator.channelAuth(socketID: socketID, channel: channel, channelData: channelData)
            )
        }
        if let channelData { data["channel_data"] = .string(channelData) }
        if delta == .subscription { data["delta"] = .bool(true) }
        return PusherMessage(event: PusherEventName.subscribe, data: .object(data)).jsonText
    }

    /// `pusher:enable_delta_compression`, sent before subscribing in connection mode.
    static let enableDeltaText = PusherMessage(event: PusherEventName.enableDeltaCompression, data: [:]).jsonText

    var unsubscribeText: String {
        PusherMessage(event: PusherEventName.unsubscribe, data: ["channel": .string(channel)]).jsonText
    }

    /// A presence member's `channel_data` for user `userID`.
    static func presenceChannelData(userID: String) -> String {
        JSONValue.object(["user_id": .string(userID), "user_info": ["name": .string(userID)]]).jsonText
    }
}
