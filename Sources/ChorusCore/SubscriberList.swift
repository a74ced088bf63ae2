/// The subscriber slots of one channel on one shard, contiguous for the broadcast loop, with
/// O(1) removal by swapping the last slot into the gap.
final class SubscriberList {
    private(set) var slots: [UInt32] = []
    private var positions: [UInt32: Int] = [:]

    init() {}

    var isEmpty: Bool { slots.isEmpty }
    var count: Int { slots.count }

    /// Adds `slot`; returns `false` if it was already there.
    @discardableResult
    func insert(_ slot: UInt32) -> Bool {
        guard positions[slot] == nil else { return false }
        positions[slot] = slots.count
        slots.append(slot)
        return true
    }

    /// Removes `slot`; returns `false` if it was not there.
    @discardableResult
    func remove(_ slot: UInt32) -> Bool {
        guard let position = positions.removeValue(forKey: slot) else { return false }
        let last = slots.removeLast()
        if position < slots.count {
            slots[position] = last
            positions[last] = position
        }
        return true
    }

    func contains(_ slot: UInt32) -> Bool { positions[slot] != nil }
}

@available(*, unavailable)
extension SubscriberList: Sendable {}
