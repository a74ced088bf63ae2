/// The fault catalogue of ``DeviantPusherServer``: realistic ways a Pusher server goes wrong, each
/// one switch, all off by default. Each names the rule (in the suite's rules catalogue) it breaks,
/// which the suite must report.
enum DeviantFault: String, CaseIterable, Sendable {
    // Connection
    /// `pusher:connection_established` (and every event) with `data` as an object, not a JSON string.
    case dataAsObject
    /// `socket_id` without the `.` part.
    case socketIDWithoutDot
    /// `activity_timeout` left out of `connection_established`.
    case activityTimeoutMissing
    /// A path under `/app/` with more segments read as an app key (4001) instead of 4005.
    case badPathReadAsAppKey
    /// An unknown app key is closed 4001 without the `pusher:error` first.
    case unknownAppClosedSilently
    /// Protocol 4 is served like 7 instead of closed with 4007.
    case oldProtocolAccepted
    /// A connection without `protocol` is closed instead of treated as 7.
    case missingProtocolRefused
    /// WebSocket ping frames left unanswered.
    case webSocketPingsIgnored
    /// `pusher:pong` data double encoded like an event's.
    case pongDataAsString
    /// `pusher:*` data sent as a JSON string is ignored (only objects understood).
    case stringDataIgnored
    /// A protocol that is not a number is closed with 4007 instead of 4006.
    case versionFormatClosedWith4007
    // Subscriptions
    /// `pusher:subscription_error` data as an object instead of a JSON string.
    case subscriptionErrorDataAsObject
    /// `AuthError` sent with status 403.
    case authErrorWithStatus403
    /// `pusher:unsubscribe` ignored: events keep coming.
    case unsubscribeIgnored
    /// Subscribing twice adds a second subscription: events arrive twice.
    case duplicateSubscriptionDeliversTwice
    /// Channel names of any length accepted (WebSocket and HTTP).
    case channelNameLengthUnchecked
    /// Channel names limited to 163 characters instead of 164.
    case channelNameLimitOffByOne
    // Auth
    /// An auth token this connection already used is accepted for any channel (a per-connection cache).
    case authTokensReusedAcrossChannels
    /// A private auth signed over `socket_id` alone is accepted.
    case privateSignatureWithoutChannelAccepted
    /// A presence auth signed over `socket_id:channel_data` (no channel name) is accepted.
    case presenceSignatureWithoutChannelAccepted
    // Presence
    /// `channel_data` without `user_id` accepted (the user becomes the socket id).
    case channelDataWithoutUserIDAccepted
    /// The roster carries an extra `me` key beside ids, hash and count.
    case presenceRosterExtraKey
    /// A numeric `user_id` reported as a number, not a string.
    case numericUserIDNotStringified
    /// `member_added` data carries the member's socket id too.
    case memberAddedExtraKey
    /// `member_removed` data carries `user_info` too.
    case memberRemovedExtraKey
    /// `member_added` also sent to the joining connection.
    case memberAddedEchoedToJoiner
    /// A user with two connections is listed and counted twice.
    case sameUserCountedTwice
    /// `member_removed` sent when any of a user's connections leaves, not the last.
    case memberRemovedPerConnection
    /// Members who leave stay in the roster (counts and /users never drop).
    case presenceMembersNotRemoved
    /// `user_id` of any length accepted.
    case presenceUserIDLengthUnchecked
    /// `user_info` of any size accepted.
    case presenceUserInfoSizeUnchecked
    /// An encrypted channel's payload parsed and serialised again (keys sorted) instead of relayed.
    case encryptedPayloadReserialised
    // Sign-in
    /// `pusher:signin` accepted whatever its signature.
    case signinSignatureNotChecked
    /// `pusher:signin_success` without the `user_data`.
    case signinSuccessWithoutUserData
    /// `#server-to-user-{id}` subscribable by anyone.
    case serverToUserOpenToAnyone
    /// `terminate_connections` answers `{}` and closes nothing.
    case terminateIgnored
    /// Watchlist changes sent as bare `online`/`offline` events (Sockudo's shape), not
    /// `pusher_internal:watchlist_events`.
    case watchlistBareEvents
    // Tag filters
    /// A subscription's tag filter ignored: every event delivered.
    case tagFilterIgnored
    // Client events
    /// Client events accepted on public channels.
    case clientEventsOnPublicAccepted
    /// Client events accepted from connections not subscribed to the channel.
    case clientEventsFromNonSubscribersAccepted
    /// Client events echoed to their sender.
    case clientEventsEchoed
    /// Client events on presence channels without the sender's `user_id`.
    case clientEventsWithoutUserID
    /// No client event rate limit (no 4301).
    case clientEventsNotRateLimited
    /// Client events accepted on encrypted channels.
    case clientEventsOnEncryptedAccepted
    /// Client events relayed although the app disables them.
    case clientEventsIgnoreAppSetting
    /// No `pusher_internal:subscription_count` although the app enables it.
    case subscriptionCountMissing
    // HTTP API: signing
    /// `body_md5` not checked at all.
    case skipsBodyMD5
    /// `body_md5` checked on `/events` but not on `/batch_events`.
    case batchSkipsBodyMD5
    /// `auth_timestamp` not checked.
    case timestampNotChecked
    /// `auth_version` not checked.
    case authVersionNotChecked
    /// `body_md5` of the empty body refused on a GET.
    case emptyBodyMD5Refused
    // HTTP API: events
    /// No payload limit: 200 where 413 is due.
    case ignoresPayloadLimit
    /// Event names of any length accepted.
    case eventNameLengthUnchecked
    /// Event names limited to 199 characters instead of 200.
    case eventNameLimitOffByOne
    /// `pusher:` and `pusher_internal:` event names accepted from the API.
    case reservedEventNamesAccepted
    /// `socket_id` not excluded from the delivery.
    case socketIDExclusionIgnored
    /// `info` ignored on `/events` (answers `{}`).
    case triggerInfoIgnored
    /// More than 100 channels per event accepted.
    case channelLimitUnchecked
    /// More than 10 events per batch accepted.
    case batchLimitUnchecked
    /// A batch published event by event until the first invalid one.
    case batchNotAtomic
    /// `info` ignored in batches (answers `{}`).
    case batchInfoIgnored
    // HTTP API: channels
    /// A channel whose last subscriber left stays listed (with 0 subscribers).
    case channelKeptWhenEmpty
    /// `info=user_count` allowed without a `presence-` prefix filter.
    case userCountWithoutPresenceFilterAllowed
    /// `/users` of a non-presence channel answers 200.
    case usersOfNonPresenceAllowed
    // HTTP API: errors
    /// Error bodies as plain text instead of `{"error": …}`.
    case errorBodyPlainText
    /// Error bodies without the machine `code` field.
    case errorBodyWithoutCode

    /// The rule (id in the suite's `rules.yaml`) the fault breaks.
    var rule: String {
        switch self {
        case .dataAsObject: "ws.data.double_encoded"
        case .socketIDWithoutDot, .activityTimeoutMissing: "ws.established.shape"
        case .unknownAppClosedSilently: "ws.app.unknown"
        case .badPathReadAsAppKey: "ws.close.path"
        case .oldProtocolAccepted: "ws.protocol.too_old"
        case .missingProtocolRefused: "ws.protocol.missing"
        case .pongDataAsString: "ws.ping.pusher"
        case .webSocketPingsIgnored: "ws.ping.websocket"
        case .stringDataIgnored: "ws.data.client_object_or_string"
        case .versionFormatClosedWith4007: "ws.close.version_format"
        case .presenceUserIDLengthUnchecked, .presenceUserInfoSizeUnchecked: "ws.presence.limits"
        case .encryptedPayloadReserialised: "ws.encrypted.opaque"
        case .signinSignatureNotChecked: "sig.signin"
        case .signinSuccessWithoutUserData: "ws.signin"
        case .serverToUserOpenToAnyone: "ws.server_to_user"
        case .terminateIgnored: "http.terminate"
        case .watchlistBareEvents: "ws.watchlist"
        case .tagFilterIgnored: "tags.filter"
        case .authVersionNotChecked: "http.sign.version"
        case .emptyBodyMD5Refused: "http.sign.empty_body_md5"
        case .subscriptionErrorDataAsObject: "ws.subscribe.error_data_string"
        case .authErrorWithStatus403: "ws.subscribe.error_shape"
        case .unsubscribeIgnored: "ws.unsubscribe"
        case .duplicateSubscriptionDeliversTwice: "ws.subscribe.once"
        case .channelNameLengthUnchecked, .channelNameLimitOffByOne: "ws.channel_names.length"
        case .authTokensReusedAcrossChannels, .privateSignatureWithoutChannelAccepted: "sig.private"
        case .presenceSignatureWithoutChannelAccepted: "sig.presence"
        case .channelDataWithoutUserIDAccepted: "ws.presence.user_id_required"
        case .presenceRosterExtraKey, .numericUserIDNotStringified: "ws.presence.roster"
        case .memberAddedExtraKey, .memberAddedEchoedToJoiner: "ws.presence.member_added"
        case .memberRemovedExtraKey: "ws.presence.member_removed"
        case .sameUserCountedTwice, .memberRemovedPerConnection: "ws.presence.first_and_last"
        case .presenceMembersNotRemoved, .channelKeptWhenEmpty: "http.channels.vacated"
        case .clientEventsOnPublicAccepted: "ws.client_events.private_only"
        case .clientEventsFromNonSubscribersAccepted: "ws.client_events.subscribed_only"
        case .clientEventsEchoed: "ws.client_events.not_echoed"
        case .clientEventsWithoutUserID: "ws.client_events.user_id"
        case .clientEventsNotRateLimited: "ws.client_events.rate_limit"
        case .clientEventsOnEncryptedAccepted: "ws.encrypted.no_client_events"
        case .clientEventsIgnoreAppSetting: "ws.client_events.app_enabled"
        case .subscriptionCountMissing: "ws.subscription_count"
        case .skipsBodyMD5, .batchSkipsBodyMD5: "http.sign.body_md5"
        case .timestampNotChecked: "http.sign.timestamp"
        case .ignoresPayloadLimit: "http.events.payload_limit"
        case .eventNameLengthUnchecked, .eventNameLimitOffByOne: "http.events.name_length"
        case .reservedEventNamesAccepted: "http.events.reserved_names"
        case .socketIDExclusionIgnored: "http.events.socket_id"
        case .triggerInfoIgnored: "http.events.info"
        case .channelLimitUnchecked: "http.events.channels_limit"
        case .batchLimitUnchecked: "http.batch.limit"
        case .batchNotAtomic: "http.batch.atomic"
        case .batchInfoIgnored: "http.batch.info"
        case .userCountWithoutPresenceFilterAllowed: "http.channels.user_count_needs_presence"
        case .usersOfNonPresenceAllowed: "http.channel.users_presence_only"
        case .errorBodyPlainText: "http.error_body"
        case .errorBodyWithoutCode: "http.error_code"
        }
    }
}
