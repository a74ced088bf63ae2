package import NIOCore

/// The other nodes this node has heard from, and when: a node silent for longer than the timeout
/// is dead. Pure state; ``ClusterLink`` feeds it messages and ticks.
package struct ClusterMembership: Sendable {
    private var lastHeard: [NodeID: NIODeadline] = [:]
    package let timeout: TimeAmount

    package init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    /// The nodes alive as far as this node knows, sorted.
    package var nodes: [NodeID] { lastHeard.keys.sorted() }

    /// A message of `node` arrived; returns `true` when the node is new.
    package mutating func heard(_ node: NodeID, at now: NIODeadline) -> Bool {
        lastHeard.updateValue(now, forKey: node) == nil
    }

    /// `node` said goodbye; returns `true` when it was known.
    package mutating func left(_ node: NodeID) -> Bool {
        lastHeard.removeValue(forKey: node) != nil
    }

    /// Removes and returns the nodes silent for longer than the timeout.
    package mutating func expire(now: NIODeadline) -> [NodeID] {
        let dead = lastHeard.filter { now - $0.value > timeout }.keys.sorted()
        for node in dead { lastHeard[node] = nil }
        return dead
    }

    /// This node's own link to Redis came back: the others' silence was not theirs, so every
    /// known node starts a fresh timeout.
    package mutating func linkRestored(now: NIODeadline) {
        for node in lastHeard.keys { lastHeard[node] = now }
    }
}
