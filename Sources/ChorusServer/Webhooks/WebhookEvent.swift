package import ChorusProtocol

/// One entry of a webhook's `events` array, in Pusher's shape: `{"name":"channel_occupied","channel":"c"}`.
///
/// Small on purpose: connections hand these over on subscribe and leave, so building one costs a
/// few retained strings.
package struct WebhookEvent: Sendable, Hashable {
    /// The webhook event types.
    package enum Kind: String, Sendable, CaseIterable {
        case channelOccupied = "channel_occupied"
        case channelVacated = "channel_vacated"
        case memberAdded = "member_added"
        case memberRemoved = "member_removed"
        case clientEvent = "client_event"
        case cacheMiss = "cache_miss"
        case subscriptionCount = "subscription_count"
    }

    package var kind: Kind
    package var channel: String
    package var userID: String?
    /// The client event's name (`client_event` only).
    package var event: String?
    /// The client event's data as text (`client_event` only).
    package var data: String?
    package var socketID: String?
    package var subscriptionCount: Int?

    package static func channelOccupied(_ channel: String) -> WebhookEvent {
        WebhookEvent(kind: .channelOccupied, channel: channel)
    }

    package static func channelVacated(_ channel: String) -> WebhookEvent {
        WebhookEvent(kind: .channelVacated, channel: channel)
    }

    package static func memberAdded(_ channel: String, userID: String) -> WebhookEvent {
        WebhookEvent(kind: .memberAdded, channel: channel, userID: userID)
    }

    package static func memberRemoved(_ channel: String, userID: String) -> WebhookEvent {
        WebhookEvent(kind: .memberRemoved, channel: channel, userID: userID)
    }

    package static func cacheMiss(_ channel: String) -> WebhookEvent {
        WebhookEvent(kind: .cacheMiss, channel: channel)
    }

    package static func subscriptionCount(_ channel: String, count: Int) -> WebhookEvent {
        WebhookEvent(kind: .subscriptionCount, channel: channel, subscriptionCount: count)
    }

    package static func clientEvent(
        _ channel: String,
        event: String,
        data: String,
        socketID: String,
        userID: String?
    )
        -> WebhookEvent
    {
        WebhookEvent(kind: .clientEvent, channel: channel, userID: userID, event: event, data: data, socketID: socketID)
    }

    /// The event as it appears in the request body.
    package var json: JSONValue {
        var members: [String: JSONValue] = ["name": .string(kind.rawValue), "channel": .string(channel)]
        if let userID { members["user_id"] = .string(userID) }
        if let event { members["event"] = .string(event) }
        if let data { members["data"] = .string(data) }
        if let socketID { members["socket_id"] = .string(socketID) }
        if let subscriptionCount { members["subscription_count"] = .integer(Int64(subscriptionCount)) }
        return .object(members)
    }

    /// The request body `{"time_ms":…,"events":[…]}` for `events` sent at `timeMilliseconds`.
    package static func body(_ events: [WebhookEvent], timeMilliseconds: Int64) -> [UInt8] {
        let body: JSONValue = ["time_ms": .integer(timeMilliseconds), "events": .array(events.map(\.json))]
        var bytes: [UInt8] = []
        body.write(into: &bytes)
        return bytes
    }
}
