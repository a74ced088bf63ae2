/// Names of the protocol's own events.
public enum PusherEventName {
    public static let connectionEstablished = "pusher:connection_established"
    public static let error = "pusher:error"
    public static let ping = "pusher:ping"
    public static let pong = "pusher:pong"
    public static let subscribe = "pusher:subscribe"
    public static let unsubscribe = "pusher:unsubscribe"
    public static let signin = "pusher:signin"
    public static let signinSuccess = "pusher:signin_success"
    public static let cacheMiss = "pusher:cache_miss"
    public static let subscriptionError = "pusher:subscription_error"
    public static let subscriptionSucceeded = "pusher_internal:subscription_succeeded"
    public static let memberAdded = "pusher_internal:member_added"
    public static let memberRemoved = "pusher_internal:member_removed"
    public static let subscriptionCount = "pusher_internal:subscription_count"
    public static let watchlistEvents = "pusher_internal:watchlist_events"
    public static let enableDeltaCompression = "pusher:enable_delta_compression"
    public static let deltaCompressionEnabled = "pusher:delta_compression_enabled"
    public static let delta = "pusher:delta"
    public static let deltaSyncError = "pusher:delta_sync_error"
    public static let deltaCacheSync = "pusher:delta_cache_sync"

    /// Whether a publisher or client may not use `name`: `pusher:` and `pusher_internal:` are
    /// reserved, and so are their protocol 2 forms `sockudo:` and `sockudo_internal:`.
    public static func isReserved(_ name: String) -> Bool {
        name.hasPrefix("pusher:") || name.hasPrefix("pusher_internal:") || name.hasPrefix("sockudo:")
            || name.hasPrefix("sockudo_internal:")
    }

    /// Whether `name` is a client event name.
    public static func isClientEvent(_ name: String) -> Bool {
        name.hasPrefix("client-")
    }
}

extension PusherMessage {
    /// `pusher:connection_established` with its data double encoded.
    public static func connectionEstablished(socketID: String, activityTimeout: Int) -> PusherMessage {
        let data: JSONValue = ["socket_id": .string(socketID), "activity_timeout": .integer(Int64(activityTimeout))]
        return PusherMessage(event: PusherEventName.connectionEstablished, data: .string(data.jsonText))
    }

    /// `pusher:error`; its data is an object, not a string.
    public static func error(_ message: String, code: PusherErrorCode?) -> PusherMessage {
        let codeValue: JSONValue = code.map { .integer(Int64($0.rawValue)) } ?? .null
        return PusherMessage(event: PusherEventName.error, data: ["message": .string(message), "code": codeValue])
    }

    /// `pusher:pong`; its data is an object.
    public static let pong = PusherMessage(event: PusherEventName.pong, data: [:])

    /// `pusher_internal:subscription_succeeded` for a non-presence channel.
    public static func subscriptionSucceeded(channel: String) -> PusherMessage {
        PusherMessage(event: PusherEventName.subscriptionSucceeded, channel: channel, data: "{}")
    }

    /// `pusher_internal:subscription_succeeded` for a presence channel, with the roster.
    public static func presenceSubscriptionSucceeded(channel: String, members: [PresenceMember]) -> PusherMessage {
        var hash: [String: JSONValue] = [:]
        for member in members { hash[member.userID] = member.userInfo ?? .null }
        let presence: JSONValue = [
            "presence": [
                "ids": .array(members.map { .string($0.userID) }),
                "hash": .object(hash),
                "count": .integer(Int64(members.count)),
            ]
        ]
        return PusherMessage(
            event: PusherEventName.subscriptionSucceeded,
            channel: channel,
            data: .string(presence.jsonText)
        )
    }

    /// `pusher:subscription_error` in the soketi shape that pusher-js understands.
    public static func subscriptionError(channel: String, type: String, error: String, status: Int) -> PusherMessage {
        let data: JSONValue = ["type": .string(type), "error": .string(error), "status": .integer(Int64(status))]
        return PusherMessage(event: PusherEventName.subscriptionError, channel: channel, data: .string(data.jsonText))
    }

    /// `pusher_internal:member_added` to the other members of a presence channel.
    public static func memberAdded(channel: String, member: PresenceMember) -> PusherMessage {
        let data: JSONValue = ["user_id": .string(member.userID), "user_info": member.userInfo ?? .null]
        return PusherMessage(event: PusherEventName.memberAdded, channel: channel, data: .string(data.jsonText))
    }

    /// `pusher_internal:member_removed` to the other members of a presence channel.
    public static func memberRemoved(channel: String, userID: String) -> PusherMessage {
        let data: JSONValue = ["user_id": .string(userID)]
        return PusherMessage(event: PusherEventName.memberRemoved, channel: channel, data: .string(data.jsonText))
    }

    /// `pusher:cache_miss` after subscribing to a cache channel with nothing cached.
    public static func cacheMiss(channel: String) -> PusherMessage {
        PusherMessage(event: PusherEventName.cacheMiss, channel: channel)
    }

    /// `pusher:signin_success` echoing the signed user data.
    public static func signinSuccess(userData: String) -> PusherMessage {
        let data: JSONValue = ["user_data": .string(userData)]
        return PusherMessage(event: PusherEventName.signinSuccess, data: .string(data.jsonText))
    }

    /// `pusher_internal:subscription_count`.
    public static func subscriptionCount(channel: String, count: Int) -> PusherMessage {
        let data: JSONValue = ["subscription_count": .integer(Int64(count))]
        return PusherMessage(event: PusherEventName.subscriptionCount, channel: channel, data: .string(data.jsonText))
    }
}
