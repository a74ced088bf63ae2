package import ChorusCore
package import ChorusProtocol

/// What one node tells every other node of its cluster. All of it travels on one Redis pub/sub
/// channel, so every node receives every message in the same order — the order Redis took them
/// in — and channels see their events in that order on every node.
package enum ClusterMessage: Sendable {
    /// Events an app published through the HTTP API of some node. Every node, the sender too,
    /// fans them out to its own subscribers when it receives them back from Redis.
    case events(appID: String, events: [PublishedEvent], excludingSocketID: String?)
    /// A protocol message for one channel (a client event), not to reach the sender's socket.
    case channelMessage(appID: String, message: PusherMessage, excludingSocketID: String?)
    /// The sender's own share of channels (subscriptions, presence users) after they changed.
    case shares([ChannelKey: NodeShare])
    /// The sender's whole state, after it (re)joined or when a new node said hello: its shares
    /// of every channel it has subscribers on and its signed-in users per app.
    case state(shares: [ChannelKey: NodeShare], onlineUsers: [String: [String]])
    /// A user signed in on the sender (its first connection there) or signed out (its last).
    case userPresence(appID: String, userID: String, online: Bool)
    /// `terminate_connections`: every node closes the user's connections.
    case terminate(appID: String, userID: String)
    /// A node joined (or came back after losing Redis): the others answer with their ``state``.
    case hello
    /// The sender is alive; silence for the node timeout means it died.
    case heartbeat
    /// The sender is shutting down: forget its state now.
    case goodbye
}

/// A message and the node that sent it.
package struct ClusterEnvelope: Sendable {
    package var sender: NodeID
    package var message: ClusterMessage
    /// Set when the sender waits for its message to come back from Redis (``ClusterLink/publish(_:)``).
    package var sequence: UInt64?

    package init(sender: NodeID, message: ClusterMessage, sequence: UInt64? = nil) {
        self.sender = sender
        self.message = message
        self.sequence = sequence
    }
}
