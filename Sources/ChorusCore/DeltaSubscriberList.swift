/// The subscribers of one channel (one filter group) on one shard that take deltas, each with the
/// chain sequence of the last message of the channel it was sent: it gets a delta only when that
/// message is the delta's base, the full message otherwise.
///
/// Flat parallel arrays, O(1) removal by swapping the last subscriber into the gap.
final class DeltaSubscriberList {
    private(set) var slots: [UInt32] = []
    /// The chain sequence last sent to `slots[i]`; 0 when none (a new subscriber, or after a sync error).
    var lastSequences: [UInt64] = []
    private var positions: [UInt32: Int] = [:]

    init() {}

    var isEmpty: Bool { slots.isEmpty }
    var count: Int { slots.count }

    /// Adds `slot` with no base yet; returns `false` if it was already there.
    @discardableResult
    func insert(_ slot: UInt32) -> Bool {
        guard positions[slot] == nil else { return false }
        positions[slot] = slots.count
        slots.append(slot)
        lastSequences.append(0)
        return true
    }

    /// Removes `slot`; returns `false` if it was not there.
    @discardableResult
    func remove(_ slot: UInt32) -> Bool {
        guard let position = positions.removeValue(forKey: slot) else { return false }
        let last = slots.removeLast()
        let lastSequence = lastSequences.removeLast()
        if position < slots.count {
            slots[position] = last
            lastSequences[position] = lastSequence
            positions[last] = position
        }
        return true
    }

    func contains(_ slot: UInt32) -> Bool { positions[slot] != nil }

    /// Forgets the base of `slot`, so its next message of the channel is a full one.
    func resetBase(_ slot: UInt32) {
        guard let position = positions[slot] else { return }
        lastSequences[position] = 0
    }
}

@available(*, unavailable)
extension DeltaSubscriberList: Sendable {}
