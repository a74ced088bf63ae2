/// One `chorus serve` process in a cluster: random at each start, so a restarted node is a new
/// node and the others never mistake its fresh state for the dead one's.
package struct NodeID: Sendable, Hashable, Comparable, CustomStringConvertible {
    package let rawValue: String

    package init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// A fresh id: 16 hex digits.
    package static func random() -> NodeID {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() as UInt64
        let hex = String(value, radix: 16)
        return NodeID(String(repeating: "0", count: 16 - hex.count) + hex)
    }

    package var description: String { rawValue }

    package static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.rawValue < rhs.rawValue }
}
