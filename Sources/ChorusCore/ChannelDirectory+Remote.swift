package import ChorusProtocol
import Synchronization

/// What the other nodes of a cluster hold on one channel.
struct RemoteShares: Sendable {
    /// Subscriptions per node.
    var counts: [String: Int] = [:]
    /// The presence users each node has on the channel; each is one connection in the roster.
    var members: [String: Set<String>] = [:]
    /// The sum of ``counts``.
    var subscriptions = 0

    var isEmpty: Bool { counts.isEmpty && members.isEmpty }
}

/// One node's share of one channel, as it reports it to the others.
package struct NodeShare: Sendable, Equatable {
    /// Subscriptions of the node's connections.
    package var subscriptions: Int
    /// The presence users with a connection on the node.
    package var members: [PresenceMember]

    package init(subscriptions: Int, members: [PresenceMember] = []) {
        self.subscriptions = subscriptions
        self.members = members
    }

    package static func == (lhs: NodeShare, rhs: NodeShare) -> Bool {
        lhs.subscriptions == rhs.subscriptions && lhs.members.map(\.userID) == rhs.members.map(\.userID)
    }
}

/// What another node's report changed on one channel, for this node to announce to its own
/// subscribers (`member_added`, `member_removed`, `subscription_count`) — or, when the node died, for
/// one node of the cluster to send as webhooks.
package struct RemoteChange: Sendable {
    /// A presence member that appeared or disappeared cluster-wide.
    package struct MemberEvent: Sendable {
        package var member: PresenceMember
        package var added: Bool
        /// The roster version the event announces (see ``OutboundEvent/presenceVersion``).
        package var presenceVersion: UInt64
    }

    package var key: ChannelKey
    /// Subscriptions on every node after the change.
    package var subscriptionCount: Int
    /// Whether the subscription count changed.
    package var countChanged: Bool
    /// The channel had no subscriber anywhere and now has one, or the reverse.
    package var becameOccupied: Bool
    package var becameVacant: Bool
    package var memberEvents: [MemberEvent]
}

extension ChannelDirectory {
    /// Records `node`'s share of channel `key`, replacing what it reported before.
    package func applyRemote(_ share: NodeShare, node: String, key: ChannelKey) -> RemoteChange? {
        channels.withLock { channels in
            Self.apply(share, node: node, key: key, to: &channels)
        }
    }

    /// Records a presence user arriving on or leaving `node` (the node's other shares unchanged).
    package func applyRemoteMember(
        _ member: PresenceMember,
        present: Bool,
        node: String,
        key: ChannelKey
    )
        -> RemoteChange?
    {
        channels.withLock { channels in
            let state = channels[key]
            var users = state?.remote?.members[node] ?? []
            let known = users.contains(member.userID)
            guard known != present else { return nil }
            if present { users.insert(member.userID) } else { users.remove(member.userID) }
            var members = (state?.roster?.members ?? []).filter { users.contains($0.userID) }
            if present { members.append(member) }
            let share = NodeShare(subscriptions: state?.remote?.counts[node] ?? 0, members: members)
            return Self.apply(share, node: node, key: key, to: &channels)
        }
    }

    /// Replaces everything `node` reported with `shares` (its full state, after it joined or
    /// reconnected): channels it no longer names lose its share.
    package func replaceRemote(node: String, with shares: [ChannelKey: NodeShare]) -> [RemoteChange] {
        channels.withLock { channels in
            let previous = channels.compactMap { key, state in
                state.remote?.counts[node] != nil || state.remote?.members[node] != nil ? key : nil
            }
            var changes: [RemoteChange] = []
            for key in previous where shares[key] == nil {
                if let change = Self.apply(NodeShare(subscriptions: 0), node: node, key: key, to: &channels) {
                    changes.append(change)
                }
            }
            for (key, share) in shares {
                if let change = Self.apply(share, node: node, key: key, to: &channels) { changes.append(change) }
            }
            return changes
        }
    }

    /// Forgets everything `node` reported: it left the cluster or stopped answering.
    package func removeRemote(node: String) -> [RemoteChange] {
        replaceRemote(node: node, with: [:])
    }

    /// This node's own share of every channel it has subscribers on, to report to the others.
    package func localShares() -> [ChannelKey: NodeShare] {
        channels.withLock { channels in
            var shares: [ChannelKey: NodeShare] = [:]
            for (key, state) in channels where state.subscriptionCount > 0 { shares[key] = state.localShare }
            return shares
        }
    }

    /// This node's own share of `key` (no subscriptions: an empty share).
    package func localShare(_ key: ChannelKey) -> NodeShare {
        channels.withLock { $0[key]?.localShare ?? NodeShare(subscriptions: 0) }
    }

    private static func apply(
        _ share: NodeShare,
        node: String,
        key: ChannelKey,
        to channels: inout [ChannelKey: ChannelState]
    ) -> RemoteChange? {
        var state = channels[key] ?? ChannelState()
        var remote = state.remote ?? RemoteShares()
        let before = state.totalSubscriptions
        let previousCount = remote.counts[node] ?? 0
        remote.subscriptions += share.subscriptions - previousCount
        remote.counts[node] = share.subscriptions == 0 ? nil : share.subscriptions

        var events: [RemoteChange.MemberEvent] = []
        let previousUsers = remote.members[node] ?? []
        let users = Set(share.members.map(\.userID))
        var roster = state.roster ?? PresenceRoster()
        for userID in previousUsers.subtracting(users).sorted() where roster.leave(userID) {
            state.presenceVersion += 1
            events.append(
                .init(member: PresenceMember(userID: userID), added: false, presenceVersion: state.presenceVersion)
            )
        }
        for member in share.members where !previousUsers.contains(member.userID) && roster.join(member) {
            state.presenceVersion += 1
            events.append(.init(member: member, added: true, presenceVersion: state.presenceVersion))
        }
        state.roster = roster.count == 0 ? nil : roster
        remote.members[node] = users.isEmpty ? nil : users
        state.remote = remote.isEmpty ? nil : remote
        let after = state.totalSubscriptions
        channels[key] = state.isEmpty ? nil : state
        guard before != after || !events.isEmpty else { return nil }
        return RemoteChange(
            key: key,
            subscriptionCount: after,
            countChanged: before != after,
            becameOccupied: before == 0 && after > 0,
            becameVacant: before > 0 && after == 0,
            memberEvents: events
        )
    }
}

extension ChannelState {
    /// This node's subscriptions and the presence users with a connection here: a user has one
    /// here when the roster counts more connections for it than other nodes contribute.
    var localShare: NodeShare {
        let remoteUsers = remote.map { Array($0.members.values) } ?? []
        let members = (roster?.members ?? []).filter { member in
            let elsewhere = remoteUsers.count { $0.contains(member.userID) }
            return (roster?.connections(of: member.userID) ?? 0) > elsewhere
        }
        return NodeShare(subscriptions: subscriptionCount, members: members)
    }
}
