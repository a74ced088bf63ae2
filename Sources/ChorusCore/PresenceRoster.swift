package import ChorusProtocol

/// The members of one presence channel: each user once, however many connections it has.
///
/// A user joins on its first connection and leaves on its last; only those two moments are
/// announced to the other members.
package struct PresenceRoster: Sendable {
    private struct Entry: Sendable {
        var info: JSONValue?
        var connections: Int
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    package init() {}

    /// Distinct users present.
    package var count: Int { entries.count }

    /// Members in the order they joined.
    package var members: [PresenceMember] {
        order.map { PresenceMember(userID: $0, userInfo: entries[$0]?.info) }
    }

    package func contains(_ userID: String) -> Bool { entries[userID] != nil }

    /// The connections `userID` has in the roster (0 when absent).
    package func connections(of userID: String) -> Int { entries[userID]?.connections ?? 0 }

    /// Adds one connection of `member`; returns `true` when this is the user's first.
    package mutating func join(_ member: PresenceMember) -> Bool {
        if var entry = entries[member.userID] {
            entry.connections += 1
            entries[member.userID] = entry
            return false
        }
        entries[member.userID] = Entry(info: member.userInfo, connections: 1)
        order.append(member.userID)
        return true
    }

    /// Removes one connection of `userID`; returns `true` when it was the user's last.
    package mutating func leave(_ userID: String) -> Bool {
        guard var entry = entries[userID] else { return false }
        entry.connections -= 1
        if entry.connections > 0 {
            entries[userID] = entry
            return false
        }
        entries[userID] = nil
        order.removeAll { $0 == userID }
        return true
    }
}
