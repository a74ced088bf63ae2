import ChorusProtocol

/// Why a `pusher:subscribe` was refused: each case has one `type` and one `status` in the
/// `pusher:subscription_error` it becomes.
package enum SubscriptionError: Error, Sendable, Equatable {
    /// Not a valid channel name.
    case invalidChannelName(String)
    /// A private, presence or encrypted channel without an `auth` value.
    case missingAuth(channel: String)
    /// An `auth` value that is not the app's signature for this socket and channel.
    case invalidSignature(channel: String)
    /// A presence subscription without `channel_data`.
    case missingChannelData
    /// `#server-to-user-{id}` asked for by a connection not signed in as `id`.
    case notSignedInAs(userID: String)
    /// `channel_data` that is not a presence member.
    case invalidChannelData(String)
    /// `user_info` over the app's `max_presence_user_info_bytes`.
    case userInfoTooLarge(bytes: Int, limit: Int)
    /// The presence channel has the app's `max_presence_members`.
    case presenceChannelFull(limit: Int)
    /// The connection has the app's `max_subscriptions_per_connection`.
    case tooManySubscriptions(limit: Int)
    /// A tag filter that is refused or does not parse.
    case invalidFilter(String)
    /// A `delta` member that names no known algorithm or has the wrong shape.
    case invalidDelta(String)

    /// The `type` field of `pusher:subscription_error`.
    package var type: String {
        switch self {
        case .invalidChannelName: "InvalidChannel"
        case .missingAuth, .invalidSignature, .missingChannelData, .notSignedInAs: "AuthError"
        case .invalidChannelData: "InvalidChannelData"
        case .userInfoTooLarge, .presenceChannelFull, .tooManySubscriptions: "LimitReached"
        case .invalidFilter: "InvalidFilter"
        case .invalidDelta: "InvalidDelta"
        }
    }

    /// The `status` field: one per ``type``.
    package var status: Int {
        switch self {
        case .invalidChannelName, .invalidChannelData, .invalidFilter, .invalidDelta: 400
        case .missingAuth, .invalidSignature, .missingChannelData, .notSignedInAs: 401
        case .userInfoTooLarge, .presenceChannelFull, .tooManySubscriptions: 403
        }
    }

    /// The `error` field, for people.
    package var message: String {
        switch self {
        case .invalidChannelName(let name):
            "Invalid channel name '\(name)': use at most \(ChannelName.maximumLength) of A-Z a-z 0-9 _ - = @ , . ;"
        case .missingAuth(let channel): "Missing auth for \(channel)"
        case .invalidSignature(let channel): "Invalid signature for \(channel)"
        case .missingChannelData: "Presence subscriptions need channel_data"
        case .notSignedInAs(let userID): "Subscribing to the channel of user '\(userID)' needs a sign-in as that user"
        case .invalidChannelData(let reason): reason
        case .userInfoTooLarge(let bytes, let limit): "user_info is \(bytes) bytes; the limit is \(limit)"
        case .presenceChannelFull(let limit): "Presence channel is full (\(limit) members)"
        case .tooManySubscriptions(let limit): "This connection is subscribed to \(limit) channels, the most allowed"
        case .invalidFilter(let reason): reason
        case .invalidDelta(let reason): reason
        }
    }

    /// The `pusher:subscription_error` for `channel`.
    func message(channel: String) -> PusherMessage {
        .subscriptionError(channel: channel, type: type, error: message, status: status)
    }
}
