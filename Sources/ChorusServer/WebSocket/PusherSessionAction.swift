package import ChorusCore
package import ChorusProtocol
package import NIOCore
package import NIOWebSocket

/// What ``PusherConnectionHandler`` does for ``PusherSessionStateMachine``: every effect of a
/// session on its socket, the broadcast engine and the server's shared registries.
package enum PusherSessionAction {
    /// Join the broadcast engine and the connection registry, then report
    /// ``PusherSessionStateMachine/registered(now:)`` or ``PusherSessionStateMachine/registrationRefused()``.
    case register
    /// Write `pusher:error` and a close frame with `code` and `reason` straight to the socket
    /// (nothing is queued yet).
    case refuse(PusherErrorCode, reason: String)
    /// Queue a message for this client behind anything already queued.
    case send(PusherMessage)
    /// Queue a pre-encoded frame (a cache channel's last event) for this client.
    case sendFrame(ByteBuffer)
    /// Queue `pusher:subscription_error` for `channel`.
    case refuseSubscription(channel: String, SubscriptionError)
    /// Queue `pusher:error` with `code`, then start the closing handshake with the same code.
    case close(PusherErrorCode, message: String)
    /// Start the closing handshake for a WebSocket protocol violation (no `pusher:error`).
    case closeForProtocolError(WebSocketErrorCode, reason: String)
    /// Answer the client's close frame with `code`.
    case answerClose(WebSocketErrorCode, reason: String)
    /// The closing handshake is complete: end the connection.
    case finishClose
    /// Queue a WebSocket pong with this payload, behind anything already queued and within the
    /// same outbound limit.
    case pong(ByteBuffer)
    /// Report ``PusherSessionStateMachine/activityCheckDue(now:)`` after this delay.
    case scheduleActivityCheck(TimeAmount)
    /// Record the subscription in the channel directory, then report
    /// ``PusherSessionStateMachine/joined(_:outcome:)`` or ``PusherSessionStateMachine/joinRefused(_:)``.
    case join(SubscriptionJoin)
    /// Answer a repeated subscribe with `subscription_succeeded` (with the roster on presence channels).
    case confirmSubscription(ChannelName)
    /// Leave the channel in the engine and the directory, then report
    /// ``PusherSessionStateMachine/left(channel:subscription:outcome:)``.
    case leave(channel: String, SessionSubscription)
    /// Relay a client event to the channel's other subscribers.
    case relayClientEvent(PusherMessage)
    /// Sign the connection in: move it to the user's `#server-to-user-` channel and watchlists.
    case signIn(SignIn)
    /// The connection now takes deltas of `algorithm` on `channel`.
    case startDelta(channel: String, algorithm: DeltaAlgorithm, conflation: ConflationRule?)
    /// Send the connection's next message on `channel` in full (`pusher:delta_sync_error`).
    case resetDeltaBase(channel: String)
    /// Publish a membership event to the channel, not to this connection when `excludingSelf`.
    case publish(PusherMessage, presenceVersion: UInt64, excludingSelf: Bool)
    /// Queue a webhook for the app.
    case webhook(WebhookEvent)
    /// The channel's subscription count changed (`pusher_internal:subscription_count`).
    case countSubscriptions(channel: String, count: Int)
    /// Tell the watchers of `userID` that this connection of it went offline.
    case signOut(userID: String)
    /// Leave the broadcast engine and the connection registry (the connection closed).
    case unregister
}

/// A subscription that passed every check, waiting for the channel directory.
package struct SubscriptionJoin {
    package var channel: ChannelName
    /// The presence member joining, on presence channels.
    package var member: PresenceMember?
    package var filter: CompiledTagFilter?
    /// The algorithm of the deltas the subscription takes, if it takes any.
    package var delta: DeltaAlgorithm?
    /// The channel's conflation rule, for a subscription taking deltas.
    package var conflation: ConflationRule?
    /// Whether the subscribe asked for deltas itself: it is answered with a channel-scoped
    /// `pusher:delta_compression_enabled`.
    package var confirmsDelta: Bool = false
}

/// What the session remembers of one of its subscriptions.
package struct SessionSubscription: Equatable {
    /// The user id this connection joined a presence channel as.
    package var presenceUserID: String?
    /// The algorithm of the deltas the subscription takes, if it takes any.
    package var delta: DeltaAlgorithm?
    /// Whether its filter lists event names (``EventNameFilterRegistry``).
    package var filtersEventNames: Bool

    package init(presenceUserID: String?, delta: DeltaAlgorithm?, filtersEventNames: Bool = false) {
        self.presenceUserID = presenceUserID
        self.delta = delta
        self.filtersEventNames = filtersEventNames
    }
}

/// A sign-in that passed the signature check.
package struct SignIn: Equatable {
    package var userID: String
    /// The user this connection was signed in as before, if another.
    package var previousUserID: String?
    /// The signed `user_data`, echoed in `pusher:signin_success`.
    package var userData: String
    /// The user ids whose presence the user follows; `nil` when none or refused.
    package var watchlist: [String]?
}
