/// Every subscriber slot's queue of frame sequences not yet written, as one flat array.
///
/// Slot `s` owns `sequences[s * perSlot ..< (s + 1) * perSlot]` as a ring; queueing a frame for a
/// subscriber writes one integer into contiguous memory and allocates nothing.
struct PendingFrames {
    let perSlot: Int
    var sequences: [UInt64] = []
    var heads: [UInt16] = []
    var counts: [UInt16] = []

    init(perSlot: Int) {
        self.perSlot = perSlot
    }

    /// Grows storage to hold `slotCount` slots.
    mutating func grow(toSlots slotCount: Int) {
        guard slotCount > counts.count else { return }
        sequences.append(contentsOf: repeatElement(0, count: (slotCount - counts.count) * perSlot))
        heads.append(contentsOf: repeatElement(0, count: slotCount - heads.count))
        counts.append(contentsOf: repeatElement(0, count: slotCount - counts.count))
    }

    func count(_ slot: Int) -> Int { Int(counts[slot]) }

    func isFull(_ slot: Int) -> Bool { Int(counts[slot]) == perSlot }

    /// Queues `sequence`; the caller has checked the slot is not full.
    mutating func push(_ sequence: UInt64, slot: Int) {
        let position = (Int(heads[slot]) + Int(counts[slot])) % perSlot
        sequences[slot * perSlot + position] = sequence
        counts[slot] &+= 1
    }

    /// The oldest queued sequence of `slot`.
    func first(_ slot: Int) -> UInt64 {
        sequences[slot * perSlot + Int(heads[slot])]
    }

    /// Removes the oldest queued sequence of `slot`.
    mutating func removeFirst(slot: Int) {
        heads[slot] = UInt16((Int(heads[slot]) + 1) % perSlot)
        counts[slot] &-= 1
    }

    /// Empties `slot`.
    mutating func clear(slot: Int) {
        heads[slot] = 0
        counts[slot] = 0
    }
}
