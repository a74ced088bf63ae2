import ChorusCluster
import ChorusCore
import ChorusProtocol
import Logging
import Prometheus

/// Applies what the cluster link hears to this node: fans out relayed events to its own
/// subscribers, keeps the other nodes' shares of channels and signed-in users, and tells this
/// node's subscribers and watchers what those changed. Runs on the link's event loop, in order.
struct ClusterBridge: Sendable {
    let server: ServerContext
    let link: ClusterLink

    func handle(_ event: ClusterLink.Event) {
        switch event {
        case .connected:
            sendState()
        case .ready, .unavailable:
            break
        case .nodeGone(let node):
            forget(node)
        case .message(let envelope):
            handle(envelope)
        }
    }

    private func handle(_ envelope: ClusterEnvelope) {
        let fromPeer = envelope.sender != link.node
        let node = envelope.sender.rawValue
        switch envelope.message {
        case .events(let appID, let events, let excluding):
            guard let app = server.apps.app(id: appID) else { return }
            server.publisher.publish(events, app: app, excluding: server.address(of: excluding, appID: appID))
        case .channelMessage(let appID, let message, let excluding):
            server.publisher.publish(message, appID: appID, excluding: server.address(of: excluding, appID: appID))
            if fromPeer { server.metrics.clientEventsRelayed.increment() }
        case .terminate(let appID, let userID):
            server.terminateLocalConnections(userID: userID, appID: appID)
        case .shares(let shares) where fromPeer:
            for (key, share) in shares {
                if let change = server.directory.applyRemote(share, node: node, key: key) {
                    announce(change, sendsWebhooks: false)
                }
            }
        case .state(let shares, let users) where fromPeer:
            for change in server.directory.replaceRemote(node: node, with: shares) {
                announce(change, sendsWebhooks: false)
            }
            for (appID, notices) in server.watchlists.replaceRemote(node: node, with: users) {
                server.notifyWatchers(notices, appID: appID)
            }
        case .userPresence(let appID, let userID, let online) where fromPeer:
            let notices = server.watchlists.remoteUser(userID, online: online, node: node, appID: appID)
            server.notifyWatchers(notices, appID: appID)
        case .hello where fromPeer:
            sendState()
        case .shares, .state, .userPresence, .hello, .heartbeat, .goodbye:
            break
        }
    }

    /// This node's whole share, for a node that just joined (or for every node after this one
    /// reconnected).
    private func sendState() {
        link.send(.state(shares: server.directory.localShares(), onlineUsers: server.watchlists.localUsers()))
    }

    /// A node left or died: its members leave, its counts go, and one node — the lowest id still
    /// alive — sends the webhooks the dead node can no longer send.
    private func forget(_ node: NodeID) {
        let speaks = link.speaksForCluster
        let changes = server.directory.removeRemote(node: node.rawValue)
        for change in changes { announce(change, sendsWebhooks: speaks) }
        for (appID, notices) in server.watchlists.replaceRemote(node: node.rawValue, with: [:]) {
            server.notifyWatchers(notices, appID: appID)
        }
        server.logger.info(
            "forgot a node's share",
            metadata: ["peer": .string(node.rawValue), "channels": .stringConvertible(changes.count)]
        )
    }

    /// Tells this node's subscribers what another node's change did to a channel.
    private func announce(_ change: RemoteChange, sendsWebhooks: Bool) {
        guard let app = server.apps.app(id: change.key.appID) else { return }
        let channel = change.key.channel
        let webhooks = sendsWebhooks && !app.webhooks.isEmpty
        for event in change.memberEvents {
            let message: PusherMessage =
                event.added
                ? .memberAdded(channel: channel, member: event.member)
                : .memberRemoved(channel: channel, userID: event.member.userID)
            server.publisher.publish(message, appID: app.id, presenceVersion: event.presenceVersion)
            if webhooks {
                server.webhooks.enqueue(
                    event.added
                        ? .memberAdded(channel, userID: event.member.userID)
                        : .memberRemoved(channel, userID: event.member.userID),
                    appID: app.id
                )
            }
        }
        if webhooks, change.becameVacant { server.webhooks.enqueue(.channelVacated(channel), appID: app.id) }
        if change.countChanged, app.subscriptionCountEnabled, ChannelName(channel)?.kind != .presence {
            server.subscriptionCounts.countChanged(
                change.key,
                count: change.subscriptionCount,
                on: link.eventLoop,
                notifiesWebhook: sendsWebhooks
            )
        }
    }
}
