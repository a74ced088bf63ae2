import ChorusCluster
import ChorusCore
import ChorusProtocol
import Logging
import Prometheus
import Synchronization

/// Applies what the cluster link hears to this node: fans out relayed events to its own
/// subscribers, keeps the other nodes' shares of channels and signed-in users, tells this node's
/// subscribers and watchers what those changed, and sends the occupancy and presence webhooks its
/// own shares caused (``ClusterOccupancy``). Runs on the link's event loop, in order.
final class ClusterBridge: Sendable {
    let server: ServerContext
    let link: ClusterLink
    private let occupancy = Mutex(ClusterOccupancy())

    init(server: ServerContext, link: ClusterLink) {
        self.server = server
        self.link = link
    }

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
            if fromPeer {
                server.console.record(appID: appID) {
                    events.flatMap { event in
                        event.channels.map {
                            ConsoleEntry(
                                kind: .cluster,
                                channel: $0,
                                event: event.name,
                                detail: "from node \(node)",
                                data: event.data
                            )
                        }
                    }
                }
            }
        case .channelMessage(let appID, let message, let excluding):
            server.publisher.publish(message, appID: appID, excluding: server.address(of: excluding, appID: appID))
            if fromPeer {
                server.metrics.clientEventsRelayed.increment()
                server.console.record(appID: appID) {
                    [ConsoleEntry(clientEvent: message, detail: "from node \(node)")]
                }
            }
        case .terminate(let appID, let userID):
            server.terminateLocalConnections(userID: userID, appID: appID)
        case .shares(let shares):
            let transitions = occupancy.withLock { $0.apply(shares, from: envelope.sender) }
            if !fromPeer { sendWebhooks(for: transitions) }
            guard fromPeer else { return }
            for (key, share) in shares {
                if let change = server.directory.applyRemote(share, node: node, key: key) {
                    announce(change, notifiesWebhook: false)
                }
            }
        case .state(let shares, let users):
            let transitions = occupancy.withLock { $0.replace(shares, from: envelope.sender) }
            if !fromPeer { sendWebhooks(for: transitions) }
            guard fromPeer else { return }
            for change in server.directory.replaceRemote(node: node, with: shares) {
                announce(change, notifiesWebhook: false)
            }
            for (appID, notices) in server.watchlists.replaceRemote(node: node, with: users) {
                server.notifyWatchers(notices, appID: appID)
            }
        case .userPresence(let appID, let userID, let online) where fromPeer:
            let notices = server.watchlists.remoteUser(userID, online: online, node: node, appID: appID)
            server.notifyWatchers(notices, appID: appID)
        case .hello where fromPeer:
            sendState()
        case .userPresence, .hello, .heartbeat, .goodbye:
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
        let transitions = occupancy.withLock { $0.remove(node) }
        if speaks { sendWebhooks(for: transitions) }
        let changes = server.directory.removeRemote(node: node.rawValue)
        for change in changes { announce(change, notifiesWebhook: speaks) }
        for (appID, notices) in server.watchlists.replaceRemote(node: node.rawValue, with: [:]) {
            server.notifyWatchers(notices, appID: appID)
        }
        server.logger.info(
            "forgot a node's share",
            metadata: ["peer": .string(node.rawValue), "channels": .stringConvertible(changes.count)]
        )
    }

    /// Tells this node's subscribers what another node's change did to a channel.
    private func announce(_ change: RemoteChange, notifiesWebhook: Bool) {
        guard let app = server.apps.app(id: change.key.appID) else { return }
        let channel = change.key.channel
        for event in change.memberEvents {
            let message: PusherMessage =
                event.added
                ? .memberAdded(channel: channel, member: event.member)
                : .memberRemoved(channel: channel, userID: event.member.userID)
            server.publisher.publish(message, appID: app.id, presenceVersion: event.presenceVersion)
        }
        if change.countChanged, app.subscriptionCountEnabled, ChannelName(channel)?.kind != .presence {
            server.subscriptionCounts.countChanged(
                change.key,
                count: change.subscriptionCount,
                on: link.eventLoop,
                notifiesWebhook: notifiesWebhook
            )
        }
    }

    /// The webhooks of cluster-wide moments this node speaks for.
    private func sendWebhooks(for transitions: [ClusterOccupancy.Transition]) {
        for transition in transitions {
            let (key, event): (ChannelKey, WebhookEvent) =
                switch transition {
                case .occupied(let key): (key, .channelOccupied(key.channel))
                case .vacated(let key): (key, .channelVacated(key.channel))
                case .memberAdded(let key, let userID): (key, .memberAdded(key.channel, userID: userID))
                case .memberRemoved(let key, let userID): (key, .memberRemoved(key.channel, userID: userID))
                }
            guard server.apps.app(id: key.appID)?.webhooks.isEmpty == false else { continue }
            server.webhooks.enqueue(event, appID: key.appID)
        }
    }
}
