import ChorusCluster
import ChorusCore
import ChorusProtocol
import Logging
import NIOCore

/// Where every fan-out of the server starts: straight into this node's engine on one node, through
/// Redis in a cluster — where every node, this one too, fans out what comes back, in Redis's order.
extension ServerContext {
    /// Whether a publish can reach every subscriber now (not while a cluster node lost Redis).
    var acceptsPublishes: Bool { cluster?.isReady ?? true }

    /// Publishes `events` of `app`, not to the connection with `excludingSocketID`, shown in the
    /// debug console as `kind` (``ConsoleFeeds/record(appID:_:)``: one atomic read while no console
    /// looks). In a cluster, the future succeeds once the events came back from Redis (every node
    /// has them in the same place of its stream) and fails when they may not have reached every
    /// node; on one node there is nothing to wait for (`nil`).
    @discardableResult
    func publish(
        _ events: [PublishedEvent],
        app: AppConfiguration,
        excludingSocketID: String?,
        kind: ConsoleEntry.Kind
    )
        -> EventLoopFuture<Void>?
    {
        console.record(appID: app.id) {
            let detail = excludingSocketID.map { "excluding socket \($0)" } ?? ""
            return events.flatMap { event in
                event.channels.map {
                    ConsoleEntry(kind: kind, channel: $0, event: event.name, detail: detail, data: event.data)
                }
            }
        }
        guard let cluster else {
            publisher.publish(events, app: app, excluding: address(of: excludingSocketID, appID: app.id))
            return nil
        }
        let relayed = cluster.publish(.events(appID: app.id, events: events, excludingSocketID: excludingSocketID))
        relayed.whenFailure { [logger] error in
            logger.warning(
                "events not relayed to the cluster",
                metadata: ["app_id": .string(app.id), "events": .stringConvertible(events.count), "error": "\(error)"]
            )
        }
        return relayed
    }

    /// Sends a client event to its channel's other subscribers, on every node.
    func relayClientEvent(_ message: PusherMessage, appID: String, senderSocketID: String, sender: SubscriberAddress) {
        console.record(appID: appID) { [ConsoleEntry(clientEvent: message, detail: "from socket \(senderSocketID)")] }
        guard let cluster else {
            publisher.publish(message, appID: appID, excluding: sender)
            return
        }
        if !cluster.send(.channelMessage(appID: appID, message: message, excludingSocketID: senderSocketID)) {
            logger.debug("client event not relayed: the cluster's Redis is out of reach")
        }
    }

    /// Closes the connections signed in as `userID`, on every node; `false` when the cluster's
    /// Redis is out of reach (this node's connections are closed all the same).
    func terminateConnections(userID: String, appID: String) -> Bool {
        guard let cluster else {
            terminateLocalConnections(userID: userID, appID: appID)
            return true
        }
        guard cluster.send(.terminate(appID: appID, userID: userID)) else {
            terminateLocalConnections(userID: userID, appID: appID)
            return false
        }
        return true
    }

    /// This node's subscriptions or presence members of `key` changed: the other nodes hear of
    /// it (see ``ShareReporter``).
    func channelChanged(_ key: ChannelKey, presence: Bool) {
        shareReporter?.changed(key, presence: presence)
    }

    /// Queues a webhook of this node's connection. In a cluster, occupancy and membership
    /// webhooks are cluster-wide moments: ``ClusterBridge`` sends them once per cluster instead.
    func enqueueWebhook(_ event: WebhookEvent, appID: String) {
        if cluster != nil {
            switch event.kind {
            case .channelOccupied, .channelVacated, .memberAdded, .memberRemoved: return
            default: break
            }
        }
        webhooks.enqueue(event, appID: appID)
    }

    /// A user signed in on its first connection of this node, or out on its last.
    func userPresenceChanged(_ userID: String, appID: String, online: Bool) {
        cluster?.send(.userPresence(appID: appID, userID: userID, online: online))
    }

    func terminateLocalConnections(userID: String, appID: String) {
        let entries = connections.entries(userID: userID, appID: appID)
        for entry in entries { entry.terminate() }
        logger.info(
            "terminated user connections",
            metadata: [
                "app_id": .string(appID), "user_id": .string(userID),
                "connections": .stringConvertible(entries.count),
            ]
        )
    }

    func address(of socketID: String?, appID: String) -> SubscriberAddress? {
        socketID.flatMap { connections.entry(socketID: $0, appID: appID)?.address }
    }
}

extension ServerContext {
    /// Sends each notice to this node's connections of its watcher (through
    /// `#server-to-user-{watcher}`).
    func notifyWatchers(_ notices: [WatchlistRegistry.Notice], appID: String) {
        guard !notices.isEmpty else { return }
        let events = notices.map { notice in
            let message = PusherMessage.watchlistEvents(
                online: notice.online ? [notice.userID] : [],
                offline: notice.online ? [] : [notice.userID]
            )
            let key = ChannelKey(appID: appID, channel: ChannelName.serverToUser(notice.watcher).rawValue)
            return OutboundEvent(key: key, message: message, compression: broadcaster.compression)
        }
        broadcaster.publish(events)
    }
}
