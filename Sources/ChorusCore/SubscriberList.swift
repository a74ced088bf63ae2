/// The subscriber slots of one channel on one shard, contiguous for the broadcast loop, with
/// O(1) removal by swapping the last slot into the gap.
package final class SubscriberList {
    package private(set) var slots: [UInt32] = []
    private var positions: [UInt32: Int] = [:]

    package init() {}

    package var isEmpty: Bool { slots.isEmpty }
    package var count: Int { slots.count }

    /// Adds `slot`; returns `false` if it was already there.
    @discardableResult
    package func insert(_ slot: UInt32) -> Bool {
        guard positions[slot] == nil else { return false }
        positions[slot] = slots.count
        slots.append(slot)
        return true
    }

    /// Removes `slot`; returns `false` if it was not there.
    @discardableResult
    package func remove(_ slot: UInt32) -> Bool {
        guard let position = positions.removeValue(forKey: slot) else { return false }
        let last = slots.removeLast()
        if position < slots.count {
            slots[position] = last
            positions[last] = position
        }
        return true
    }

    package func contains(_ slot: UInt32) -> Bool { positions[slot] != nil }
}

@available(*, unavailable)
extension SubscriberList: Sendable {}
