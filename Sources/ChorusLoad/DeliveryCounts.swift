/// Delivery counters, summed per event loop, then over loops and worker processes.
public struct DeliveryCounts: Sendable, Hashable, Codable {
    /// Event frames carrying a sequence number.
    public var received: Int64 = 0
    public var unique: Int64 = 0
    public var duplicates: Int64 = 0
    public var outOfOrder: Int64 = 0
    /// `pusher_internal:member_added` / `member_removed` seen by checked subscribers.
    public var presenceEvents: Int64 = 0
    /// `pusher:error` frames after subscribing.
    public var protocolErrors: Int64 = 0
    /// Connections the server closed before the run ended.
    public var unexpectedCloses: Int64 = 0

    public init() {}

    public static func + (lhs: DeliveryCounts, rhs: DeliveryCounts) -> DeliveryCounts {
        var sum = lhs
        sum.received += rhs.received
        sum.unique += rhs.unique
        sum.duplicates += rhs.duplicates
        sum.outOfOrder += rhs.outOfOrder
        sum.presenceEvents += rhs.presenceEvents
        sum.protocolErrors += rhs.protocolErrors
        sum.unexpectedCloses += rhs.unexpectedCloses
        return sum
    }
}
