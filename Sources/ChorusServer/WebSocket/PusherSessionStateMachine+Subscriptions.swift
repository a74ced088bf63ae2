import ChorusCore
import ChorusProtocol

extension PusherSessionStateMachine {
    /// `pusher:subscribe`: validates the name, checks the signature of private, presence and
    /// encrypted channels and the presence member, reads the filter and delta options, then asks to
    /// join; a repeated subscribe is confirmed again.
    mutating func subscribe(_ message: PusherMessage) -> [PusherSessionAction] {
        guard let app else { return [] }
        guard let data = message.dataObject, let channelName = data["channel"]?.stringValue else {
            return [.send(.error("pusher:subscribe needs data with a 'channel' string", code: nil))]
        }
        if channelName.hasPrefix(ChannelName.serverToUserPrefix) {
            return subscribeToOwnUserChannel(channelName)
        }
        guard let channel = ChannelName(channelName) else {
            return [.refuseSubscription(channel: channelName, .invalidChannelName(channelName))]
        }
        if subscriptions[channelName] != nil { return [.confirmSubscription(channel)] }
        guard subscriptions.count < app.maxSubscriptionsPerConnection else {
            return [
                .refuseSubscription(
                    channel: channelName,
                    .tooManySubscriptions(limit: app.maxSubscriptionsPerConnection)
                )
            ]
        }
        do {
            let member = try authenticate(data, channel: channel, app: app)
            let filter = try subscriptionFilter(data, channel: channel, app: app)
            let request = try DeltaRequest(data["delta"])
            let delta = deltaAlgorithm(for: channel, request: request, app: app)
            let join = SubscriptionJoin(
                channel: channel,
                member: member,
                filter: filter,
                delta: delta,
                conflation: delta == nil ? nil : app.deltaSettings(for: channel.rawValue)?.conflation,
                confirmsDelta: request.asksForDeltas
            )
            return [.join(join)]
        } catch {
            return [.refuseSubscription(channel: channelName, error)]
        }
    }

    /// `#server-to-user-{id}`: pusher-js subscribes to it after `pusher:signin`. The sign-in already
    /// joined the connection to it, so only the signed-in user's own channel is confirmed.
    private func subscribeToOwnUserChannel(_ channelName: String) -> [PusherSessionAction] {
        let userID = String(channelName.dropFirst(ChannelName.serverToUserPrefix.count))
        guard let signedInUser, signedInUser == userID else {
            return [.refuseSubscription(channel: channelName, .notSignedInAs(userID: userID))]
        }
        return [.send(.subscriptionSucceeded(channel: channelName))]
    }

    /// Checks the `auth` signature of a channel that needs one; returns the presence member.
    private func authenticate(
        _ data: JSONValue,
        channel: ChannelName,
        app: AppConfiguration
    ) throws(SubscriptionError) -> PresenceMember? {
        guard channel.kind.requiresAuthentication else { return nil }
        let channelData = channel.kind == .presence ? data["channel_data"].flatMap(Self.text) : nil
        if channel.kind == .presence, channelData == nil { throw .missingChannelData }
        let auth = data["auth"]?.stringValue ?? ""
        let authenticator = ChannelAuthenticator(key: app.key, secret: app.secret)
        guard
            authenticator.isValidChannelAuth(
                auth,
                socketID: socketID,
                channel: channel.rawValue,
                channelData: channelData
            )
        else {
            throw auth.isEmpty ? .missingAuth(channel: channel.rawValue) : .invalidSignature(channel: channel.rawValue)
        }
        guard let channelData else { return nil }
        let member: PresenceMember
        do {
            member = try PresenceMember(channelData: channelData)
        } catch {
            throw .invalidChannelData("\(error)")
        }
        let infoBytes = member.userInfo?.jsonText.utf8.count ?? 0
        guard infoBytes <= app.maxPresenceUserInfoBytes else {
            throw .userInfoTooLarge(bytes: infoBytes, limit: app.maxPresenceUserInfoBytes)
        }
        return member
    }

    /// Reads the filter of subscribe data (`filter` or `tags_filter`, see ``SubscriptionPredicate``).
    private func subscriptionFilter(
        _ data: JSONValue,
        channel: ChannelName,
        app: AppConfiguration
    ) throws(SubscriptionError) -> CompiledTagFilter? {
        var filter: CompiledTagFilter?
        if let (member, json) = SubscriptionPredicate.member(of: data) {
            guard app.tagFilteringEnabled else { throw .invalidFilter("Tag filtering is disabled for this app") }
            guard channel.kind != .presence else {
                throw .invalidFilter("Tag filters are not supported on presence channels")
            }
            do {
                let parsed = try SubscriptionPredicate(json: json, path: member)
                filter = parsed.admitsEverything ? nil : CompiledTagFilter(parsed)
            } catch {
                throw .invalidFilter("Invalid filter: \(error.message)")
            }
        }
        return filter
    }

    /// `pusher:unsubscribe`: no reply. The `#server-to-user-` channel belongs to the sign-in and stays.
    mutating func unsubscribe(_ message: PusherMessage) -> [PusherSessionAction] {
        guard let channel = message.dataObject?["channel"]?.stringValue,
            let subscription = subscriptions.removeValue(forKey: channel)
        else { return [] }
        return [.leave(channel: channel, subscription)]
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
