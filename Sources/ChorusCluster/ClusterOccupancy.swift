package import ChorusCore

/// Which channels are occupied and which presence users are present, cluster-wide, as the
/// ordered stream of shares says — every node applies the same messages in the same order, so
/// every node agrees on which message made a channel occupied or vacant, or a user arrive or
/// leave. The node that sent that message sends the webhook: each fires once per cluster, even
/// when two nodes change the same channel at the same moment.
package struct ClusterOccupancy: Sendable {
    /// A cluster-wide moment a webhook announces.
    package enum Transition: Sendable, Hashable {
        case occupied(ChannelKey)
        case vacated(ChannelKey)
        case memberAdded(ChannelKey, userID: String)
        case memberRemoved(ChannelKey, userID: String)
    }

    private var counts: [ChannelKey: [NodeID: Int]] = [:]
    private var members: [ChannelKey: [String: Set<NodeID>]] = [:]

    package init() {}

    /// Applies `node`'s shares of some channels.
    package mutating func apply(_ shares: [ChannelKey: NodeShare], from node: NodeID) -> [Transition] {
        shares.sorted { $0.key.description < $1.key.description }.flatMap { apply($0.value, node: node, key: $0.key) }
    }

    /// Replaces everything `node` shared with `shares` (its whole state).
    package mutating func replace(_ shares: [ChannelKey: NodeShare], from node: NodeID) -> [Transition] {
        let previous = Set(counts.keys.filter { counts[$0]?[node] != nil })
            .union(members.keys.filter { members[$0]?.values.contains { $0.contains(node) } == true })
        var transitions: [Transition] = []
        for key in previous.subtracting(shares.keys).sorted(by: { $0.description < $1.description }) {
            transitions += apply(NodeShare(subscriptions: 0), node: node, key: key)
        }
        return transitions + apply(shares, from: node)
    }

    /// Forgets `node` (it left or died).
    package mutating func remove(_ node: NodeID) -> [Transition] {
        replace([:], from: node)
    }

    private mutating func apply(_ share: NodeShare, node: NodeID, key: ChannelKey) -> [Transition] {
        var transitions: [Transition] = []
        var users = members[key] ?? [:]
        let present = Set(share.members.map(\.userID))
        for (userID, nodes) in users where nodes.contains(node) && !present.contains(userID) {
            var remaining = nodes
            remaining.remove(node)
            users[userID] = remaining.isEmpty ? nil : remaining
            if remaining.isEmpty { transitions.append(.memberRemoved(key, userID: userID)) }
        }
        for userID in share.members.map(\.userID) where users[userID]?.contains(node) != true {
            if users[userID] == nil { transitions.append(.memberAdded(key, userID: userID)) }
            users[userID, default: []].insert(node)
        }
        members[key] = users.isEmpty ? nil : users

        var nodes = counts[key] ?? [:]
        let wasOccupied = !nodes.isEmpty
        nodes[node] = share.subscriptions > 0 ? share.subscriptions : nil
        counts[key] = nodes.isEmpty ? nil : nodes
        if !wasOccupied, !nodes.isEmpty { transitions.insert(.occupied(key), at: 0) }
        if wasOccupied, nodes.isEmpty { transitions.append(.vacated(key)) }
        return transitions
    }
}
