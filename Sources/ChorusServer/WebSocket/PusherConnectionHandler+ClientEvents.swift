import ChorusCore
import ChorusProtocol
import Logging
import NIOCore
import Prometheus

extension PusherConnectionHandler {
    /// A `client-` event: relayed to the channel's other subscribers when every rule allows it.
    func relayClientEvent(_ message: PusherMessage) {
        guard let app, let shard else { return }
        guard app.clientEventsEnabled else {
            send(.error("Client events are not enabled for this app", code: nil))
            return
        }
        guard let channelName = message.channel, let channel = ChannelName(channelName) else {
            send(.error("Client event '\(message.event)' needs a valid channel", code: nil))
            return
        }
        guard channel.kind.allowsClientEvents else {
            send(
                .error("Client events are only allowed on private and presence channels, not \(channelName)", code: nil)
            )
            return
        }
        let key = ChannelKey(appID: app.id, channel: channelName)
        guard shard.isSubscribed(slot, to: key) else {
            send(.error("Client event rejected: not subscribed to \(channelName)", code: nil))
            return
        }
        guard message.event.utf8.count <= app.maxEventNameLength else {
            send(.error("Client event name is longer than \(app.maxEventNameLength) characters", code: nil))
            return
        }
        let data = message.data ?? .object([:])
        let size = data.jsonText.utf8.count
        guard size <= app.maxEventPayloadInKB * 1024 else {
            send(.error("Client event data is \(size) bytes; the limit is \(app.maxEventPayloadInKB) KB", code: nil))
            return
        }
        guard clientEvents.admit(now: .now()) else {
            send(
                .error(
                    "Client event rejected: more than \(app.maxClientEventsPerSecond) per second",
                    code: .clientEventRateLimit
                )
            )
            return
        }
        let userID = channel.kind == .presence ? presenceUsers[channelName] : nil
        let relayed = PusherMessage(event: message.event, channel: channelName, data: data, userID: userID)
        server.publisher.publish(relayed, appID: app.id, excluding: address)
        server.metrics.clientEventsRelayed.increment()
        announceClientEvent(relayed, app: app)
    }

    /// `pusher:signin`: checks the user signature, then joins `#server-to-user-{id}`.
    func signIn(_ message: PusherMessage) {
        guard let app, let shard else { return }
        guard let data = message.dataObject, let auth = data["auth"]?.stringValue,
            let userData = data["user_data"].flatMap(Self.text)
        else {
            send(.error("pusher:signin needs data with 'auth' and 'user_data'", code: nil))
            return
        }
        let authenticator = ChannelAuthenticator(key: app.key, secret: app.secret)
        guard authenticator.isValidUserAuth(auth, socketID: socketID, userData: userData) else {
            logger.info("sign-in refused: invalid signature")
            close(with: .unauthorized, message: "Invalid sign-in signature")
            return
        }
        guard let user = try? JSONValue(parsing: userData), let userID = user["id"]?.scalarText, !userID.isEmpty else {
            send(.error("user_data must be a JSON object with an 'id'", code: nil))
            return
        }
        let previous = signedInUser
        if let previous, previous != userID {
            shard.unsubscribe(
                slot,
                from: ChannelKey(appID: app.id, channel: ChannelName.serverToUser(previous).rawValue)
            )
        }
        signedInUser = userID
        server.connections.setUser(userID, socketID: socketID)
        shard.subscribe(slot, to: ChannelKey(appID: app.id, channel: ChannelName.serverToUser(userID).rawValue))
        send(.signinSuccess(userData: userData))
        updateWatchlists(signedInAs: userID, previous: previous, user: user, app: app)
        logger.debug("signed in", metadata: ["user_id": .string(userID)])
    }
}
