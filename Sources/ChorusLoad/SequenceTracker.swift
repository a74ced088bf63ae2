/// Checks the sequence numbers one subscriber receives on one channel: counts unique, duplicate
/// and out-of-order deliveries. Loss is what the publisher sent minus ``unique``.
///
/// Remembers the last ``windowSize`` sequence numbers below the highest seen, so duplicates are
/// told apart from late arrivals within that window; anything older is counted as out of order
/// (a duplicate that late would be counted as a late arrival).
public struct SequenceTracker: Sendable, Hashable {
    /// How many sequence numbers below the highest are remembered.
    public static let windowSize: Int64 = 64

    /// What one delivery was.
    public enum Outcome: Sendable, Hashable {
        case inOrder
        /// Newer than expected: the ones in between are missing so far.
        case skippedAhead(missing: Int64)
        /// Older than the highest seen, not seen before.
        case late
        case duplicate
    }

    /// The highest sequence number received, -1 before any.
    public private(set) var highest: Int64 = -1
    /// Bit `i` set: `highest - i` was received.
    private var window: UInt64 = 0
    public private(set) var unique: Int64 = 0
    public private(set) var duplicates: Int64 = 0
    public private(set) var outOfOrder: Int64 = 0

    public init() {}

    /// Records a delivery of `sequence` (publishers number each channel's events from 0).
    @discardableResult
    public mutating func record(_ sequence: Int64) -> Outcome {
        if sequence > highest {
            let shift = sequence - highest
            window = shift >= Self.windowSize ? 0 : window << UInt64(shift)
            window |= 1
            let missing = sequence - highest - 1
            highest = sequence
            unique += 1
            return missing == 0 ? .inOrder : .skippedAhead(missing: missing)
        }
        let offset = highest - sequence
        if offset < Self.windowSize {
            let bit: UInt64 = 1 << UInt64(offset)
            if window & bit != 0 {
                duplicates += 1
                return .duplicate
            }
            window |= bit
        }
        unique += 1
        outOfOrder += 1
        return .late
    }
}
