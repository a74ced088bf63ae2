import ChorusCore
import ChorusProtocol

extension PusherConnectionHandler {
    /// Webhooks and the subscription count after this connection joined `channel`.
    func announceJoin(
        _ join: ChannelDirectory.Join,
        channel: ChannelName,
        member: PresenceMember?,
        app: AppConfiguration
    ) {
        if !app.webhooks.isEmpty {
            if join.isFirstSubscriber { server.webhooks.enqueue(.channelOccupied(channel.rawValue), appID: app.id) }
            if let member, join.memberAdded {
                server.webhooks.enqueue(.memberAdded(channel.rawValue, userID: member.userID), appID: app.id)
            }
            if channel.isCache, join.cached == nil {
                server.webhooks.enqueue(.cacheMiss(channel.rawValue), appID: app.id)
            }
        }
        countSubscriptions(
            ChannelKey(appID: app.id, channel: channel.rawValue),
            count: join.subscriptionCount,
            app: app
        )
    }

    /// Webhooks and the subscription count after this connection left `key`.
    func announceLeave(_ left: ChannelDirectory.Leave, key: ChannelKey, userID: String?, app: AppConfiguration) {
        if !app.webhooks.isEmpty {
            if let userID, left.memberRemoved {
                server.webhooks.enqueue(.memberRemoved(key.channel, userID: userID), appID: app.id)
            }
            if left.isLastSubscriber { server.webhooks.enqueue(.channelVacated(key.channel), appID: app.id) }
        }
        countSubscriptions(key, count: left.subscriptionCount, app: app)
    }

    /// The `client_event` webhook for a client event this connection sent.
    func announceClientEvent(_ relayed: PusherMessage, app: AppConfiguration) {
        guard !app.webhooks.isEmpty, let channel = relayed.channel else { return }
        let event = WebhookEvent.clientEvent(
            channel,
            event: relayed.event,
            data: relayed.dataText ?? "",
            socketID: socketID,
            userID: relayed.userID
        )
        server.webhooks.enqueue(event, appID: app.id)
    }

    private func countSubscriptions(_ key: ChannelKey, count: Int, app: AppConfiguration) {
        guard app.subscriptionCountEnabled, ChannelName(key.channel)?.kind != .presence else { return }
        server.subscriptionCounts.countChanged(key, count: count, on: server.broadcaster.shards[shardIndex].eventLoop)
    }
}
