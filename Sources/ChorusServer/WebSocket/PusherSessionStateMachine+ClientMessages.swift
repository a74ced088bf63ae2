import ChorusProtocol
import NIOCore

/// Client events and sign-in on the client's side of the protocol.
extension PusherSessionStateMachine {
    /// A `client-` event: relayed to the channel's other subscribers when every rule allows it.
    mutating func clientEvent(_ message: PusherMessage, now: NIODeadline) -> [PusherSessionAction] {
        guard let app else { return [] }
        guard app.clientEventsEnabled else {
            return [.send(.error("Client events are not enabled for this app", code: nil))]
        }
        guard let channelName = message.channel, let channel = ChannelName(channelName) else {
            return [.send(.error("Client event '\(message.event)' needs a valid channel", code: nil))]
        }
        guard channel.kind.allowsClientEvents else {
            let reason = "Client events are only allowed on private and presence channels, not \(channelName)"
            return [.send(.error(reason, code: nil))]
        }
        guard let subscription = subscriptions[channelName] else {
            return [.send(.error("Client event rejected: not subscribed to \(channelName)", code: nil))]
        }
        let data = message.data ?? .object([:])
        let rules = EventRules(app: app)
        do {
            try rules.check(name: message.event)
            try rules.check(dataText: EventRules.text(of: data))
        } catch {
            return [.send(.error("Client event rejected: \(error.message)", code: nil))]
        }
        guard clientEvents.admit(now: now) else {
            let reason = "Client event rejected: more than \(app.maxClientEventsPerSecond) per second"
            return [.send(.error(reason, code: .clientEventRateLimit))]
        }
        let relayed = PusherMessage(
            event: message.event,
            channel: channelName,
            data: data,
            userID: subscription.presenceUserID
        )
        var actions: [PusherSessionAction] = [.relayClientEvent(relayed)]
        if !app.webhooks.isEmpty {
            let webhook = WebhookEvent.clientEvent(
                channelName,
                event: relayed.event,
                data: relayed.dataText ?? "",
                socketID: socketID,
                userID: relayed.userID
            )
            actions.append(.webhook(webhook))
        }
        return actions
    }

    /// `pusher:signin`: checks the user signature; a wrong one closes the connection (4009).
    mutating func signIn(_ message: PusherMessage) -> [PusherSessionAction] {
        guard let app else { return [] }
        guard let data = message.dataObject, let auth = data["auth"]?.stringValue,
            let userData = data["user_data"].flatMap(Self.text)
        else {
            return [.send(.error("pusher:signin needs data with 'auth' and 'user_data'", code: nil))]
        }
        let authenticator = ChannelAuthenticator(key: app.key, secret: app.secret)
        guard authenticator.isValidUserAuth(auth, socketID: socketID, userData: userData) else {
            state = .closing(registered: true)
            return [.close(.unauthorized, message: "Invalid sign-in signature")]
        }
        guard let user = try? JSONValue(parsing: userData), let userID = user["id"]?.scalarText, !userID.isEmpty else {
            return [.send(.error("user_data must be a JSON object with an 'id'", code: nil))]
        }
        let watchlist = user["watchlist"]?.arrayValue?.compactMap(\.scalarText)
        let overLimit = (watchlist?.count ?? 0) > WatchlistRegistry.maximumEntries
        let previous = signedInUser
        signedInUser = userID
        let signIn = SignIn(
            userID: userID,
            previousUserID: previous,
            userData: userData,
            watchlist: overLimit ? nil : watchlist
        )
        guard overLimit, let watchlist else { return [.signIn(signIn)] }
        // The sign-in stands; only the watchlist is refused, after signin_success.
        let reason = "Watchlist has \(watchlist.count) entries; the limit is \(WatchlistRegistry.maximumEntries)"
        return [.signIn(signIn), .send(.error(reason, code: .watchlistLimitExceeded))]
    }
}
