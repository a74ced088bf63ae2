import ChorusCore
import ChorusProtocol
import Logging

extension PusherConnectionHandler {
    /// `pusher:subscribe`: validates the name, checks the signature of private, presence and
    /// encrypted channels, joins presence rosters, replays the cache of cache channels.
    func subscribe(_ message: PusherMessage) {
        guard let app, let shard else { return }
        guard let data = message.dataObject, let channelName = data["channel"]?.stringValue else {
            send(.error("pusher:subscribe needs data with a 'channel' string", code: nil))
            return
        }
        guard let channel = ChannelName(channelName) else {
            let reason =
                "Invalid channel name '\(channelName)': use at most \(ChannelName.maximumLength) of A-Z a-z 0-9 _ - = @ , . ;"
            send(.subscriptionError(channel: channelName, type: "InvalidChannel", error: reason, status: 400))
            return
        }
        let key = ChannelKey(appID: app.id, channel: channelName)
        if shard.isSubscribed(slot, to: key) {
            sendSubscriptionSucceeded(channel, roster: server.directory.members(key))
            return
        }
        var member: PresenceMember?
        if channel.kind.requiresAuthentication {
            let channelData = channel.kind == .presence ? data["channel_data"].flatMap(Self.text) : nil
            if channel.kind == .presence, channelData == nil {
                send(
                    .subscriptionError(
                        channel: channelName,
                        type: "AuthError",
                        error: "Presence subscriptions need channel_data",
                        status: 401
                    )
                )
                return
            }
            let authenticator = ChannelAuthenticator(key: app.key, secret: app.secret)
            let auth = data["auth"]?.stringValue ?? ""
            guard
                authenticator.isValidChannelAuth(
                    auth,
                    socketID: socketID,
                    channel: channelName,
                    channelData: channelData
                )
            else {
                logger.info("subscription refused: invalid signature", metadata: ["channel": .string(channelName)])
                let reason = auth.isEmpty ? "Missing auth for \(channelName)" : "Invalid signature for \(channelName)"
                send(.subscriptionError(channel: channelName, type: "AuthError", error: reason, status: 401))
                return
            }
            if let channelData {
                do {
                    member = try PresenceMember(channelData: channelData)
                } catch {
                    send(
                        .subscriptionError(
                            channel: channelName,
                            type: "InvalidChannelData",
                            error: "\(error)",
                            status: 400
                        )
                    )
                    return
                }
                let infoBytes = member?.userInfo?.jsonText.utf8.count ?? 0
                guard infoBytes <= app.maxPresenceUserInfoBytes else {
                    let reason = "user_info is \(infoBytes) bytes; the limit is \(app.maxPresenceUserInfoBytes)"
                    send(.subscriptionError(channel: channelName, type: "LimitReached", error: reason, status: 400))
                    return
                }
            }
        }
        guard let options = subscriptionOptions(data, channel: channel, app: app) else { return }
        switch server.directory.subscribe(key, member: member, maxMembers: app.maxPresenceMembers) {
        case .memberLimitReached:
            let reason = "Presence channel \(channelName) is full (\(app.maxPresenceMembers) members)"
            send(.subscriptionError(channel: channelName, type: "LimitReached", error: reason, status: 403))
        case .joined(let join):
            if let member {
                shard.subscribe(slot, to: key, presenceVersion: join.presenceVersion)
                presenceUsers[channelName] = member.userID
            } else {
                subscribe(to: key, options: options, on: shard)
            }
            sendSubscriptionSucceeded(channel, roster: join.roster)
            if channel.isCache {
                if let cached = join.cached {
                    shard.enqueue(cached.frame, toSlot: slot)
                    shard.flush()
                } else {
                    send(.cacheMiss(channel: channelName))
                }
            }
            if let member, join.memberAdded {
                server.publisher.publish(
                    .memberAdded(channel: channelName, member: member),
                    appID: app.id,
                    excluding: address,
                    presenceVersion: join.presenceVersion
                )
            }
            announceJoin(join, channel: channel, member: member, app: app)
            logger.debug("subscribed", metadata: ["channel": .string(channelName)])
        }
    }

    /// `pusher:unsubscribe`: no reply.
    func unsubscribe(_ message: PusherMessage) {
        guard let app, let shard, let channelName = message.dataObject?["channel"]?.stringValue else { return }
        let key = ChannelKey(appID: app.id, channel: channelName)
        guard shard.unsubscribe(slot, from: key) else { return }
        leave(key, app: app)
    }

    /// Updates the directory after this connection left `key`, announcing `member_removed`.
    func leave(_ key: ChannelKey, app: AppConfiguration) {
        let userID = presenceUsers.removeValue(forKey: key.channel)
        stopDeltas(on: key)
        let left = server.directory.unsubscribe(key, userID: userID)
        if let userID, left.memberRemoved {
            server.publisher.publish(
                .memberRemoved(channel: key.channel, userID: userID),
                appID: app.id,
                presenceVersion: left.presenceVersion
            )
        }
        announceLeave(left, key: key, userID: userID, app: app)
    }

    private func sendSubscriptionSucceeded(_ channel: ChannelName, roster: [PresenceMember]) {
        if channel.kind == .presence {
            send(.presenceSubscriptionSucceeded(channel: channel.rawValue, members: roster))
        } else {
            send(.subscriptionSucceeded(channel: channel.rawValue))
        }
    }

    /// A string as it is; an object given where a string is meant (some clients) serialised.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .object: value.jsonText
        default: nil
        }
    }
}
