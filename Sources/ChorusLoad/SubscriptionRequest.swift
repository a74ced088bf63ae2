package import ChorusProtocol

/// How one connection subscribes: the channel, and for private and presence channels the
/// signature the app's auth endpoint would return, computed here with the app secret.
package struct SubscriptionRequest: Sendable {
    package var channel: String
    package var kind: Scenario.ChannelKind
    /// `channel_data` for presence channels.
    package var channelData: String?
    package var authenticator: ChannelAuthenticator
    /// How this connection opts in to delta compression; `nil` for plain subscribers.
    package var delta: Scenario.DeltaMode?
    /// The delta format it asks for.
    package var deltaAlgorithm: DeltaAlgorithm = .fossil

    /// The `pusher:subscribe` frame text for a connection with `socketID`.
    package func subscribeText(socketID: String) -> String {
        var data: [String: JSONValue] = ["channel": .string(channel)]
        if kind != .public {
            data["auth"] = .string(
                authenticator.channelAuth(socketID: socketID, channel: channel, channelData: channelData)
            )
        }
        if let channelData { data["channel_data"] = .string(channelData) }
        if delta == .subscription {
            data["delta"] =
                deltaAlgorithm == .fossil
                ? .bool(true) : ["enabled": true, "algorithm": .string(deltaAlgorithm.rawValue)]
        }
        return PusherMessage(event: PusherEventName.subscribe, data: .object(data)).jsonText
    }

    /// `pusher:enable_delta_compression` offering the algorithm, sent before subscribing in connection mode.
    package var enableDeltaText: String {
        let offer: JSONValue = ["algorithms": [.string(deltaAlgorithm.rawValue)]]
        return PusherMessage(event: PusherEventName.enableDeltaCompression, data: offer).jsonText
    }

    package var unsubscribeText: String {
        PusherMessage(event: PusherEventName.unsubscribe, data: ["channel": .string(channel)]).jsonText
    }

    /// A presence member's `channel_data` for user `userID`.
    package static func presenceChannelData(userID: String) -> String {
        JSONValue.object(["user_id": .string(userID), "user_info": ["name": .string(userID)]]).jsonText
    }
}
