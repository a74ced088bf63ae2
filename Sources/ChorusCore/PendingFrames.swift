/// Every subscriber slot's queue of frame sequences not yet written, and which slots gained a frame
/// since the last flush.
///
/// Storage is flat, manually managed and position-major: position `p` of slot `s` lives at
/// `p * slotCapacity + s`, and a queue that empties restarts at position 0. Subscribers that keep up
/// therefore queue at the same position, so one broadcast writes neighbouring integers — no
/// allocation, retain, bounds check or copy-on-write check per subscriber.
///
/// Confined to its shard's event loop, like the shard.
package final class PendingFrames {
    /// The most sequences one slot holds.
    package let perSlot: Int
    /// Slots the storage has room for.
    package private(set) var slotCapacity = 0
    private var sequences: UnsafeMutablePointer<UInt64>
    private var heads: UnsafeMutablePointer<UInt16>
    private var counts: UnsafeMutablePointer<UInt16>
    private var isDirty: UnsafeMutablePointer<Bool>
    private var dirty: UnsafeMutablePointer<UInt32>
    private var full: UnsafeMutablePointer<UInt32>
    /// Slots that gained a frame since the last ``clearDirty()``, in the order they did.
    package private(set) var dirtyCount = 0
    /// Slots the last ``push(_:to:skipping:)`` found full, which got nothing.
    package private(set) var fullCount = 0
    /// Slots with at least one queued sequence.
    package private(set) var slotsWithPending = 0

    package init(perSlot: Int, slotCapacity: Int = 16) {
        precondition(perSlot > 0 && perSlot <= Int(UInt16.max))
        self.perSlot = perSlot
        self.slotCapacity = max(slotCapacity, 1)
        // The sequence table is left uninitialised (a slot's entries are written before they are
        // read), so its pages cost memory only once frames are queued there.
        sequences = .allocate(capacity: self.slotCapacity * perSlot)
        heads = .allocate(capacity: self.slotCapacity)
        counts = .allocate(capacity: self.slotCapacity)
        isDirty = .allocate(capacity: self.slotCapacity)
        dirty = .allocate(capacity: self.slotCapacity)
        full = .allocate(capacity: self.slotCapacity)
        heads.initialize(repeating: 0, count: self.slotCapacity)
        counts.initialize(repeating: 0, count: self.slotCapacity)
        isDirty.initialize(repeating: false, count: self.slotCapacity)
    }

    deinit {
        sequences.deallocate()
        heads.deallocate()
        counts.deallocate()
        isDirty.deallocate()
        dirty.deallocate()
        full.deallocate()
    }

    /// Grows storage to hold at least `slotCount` slots (doubling, so registering is amortised O(1)).
    package func grow(toSlots slotCount: Int) {
        guard slotCount > slotCapacity else { return }
        let old = slotCapacity
        let new = max(slotCount, old * 2)
        let newSequences = UnsafeMutablePointer<UInt64>.allocate(capacity: new * perSlot)
        for slot in 0..<old {
            var position = Int(heads[slot])
            for _ in 0..<Int(counts[slot]) {
                newSequences[position * new + slot] = sequences[position * old + slot]
                position = position + 1 == perSlot ? 0 : position + 1
            }
        }
        sequences.deallocate()
        sequences = newSequences
        heads = Self.grow(heads, from: old, to: new, filling: 0, keeping: old)
        counts = Self.grow(counts, from: old, to: new, filling: 0, keeping: old)
        isDirty = Self.grow(isDirty, from: old, to: new, filling: false, keeping: old)
        dirty = Self.grow(dirty, from: old, to: new, filling: 0, keeping: dirtyCount)
        full = Self.grow(full, from: old, to: new, filling: 0, keeping: 0)
        slotCapacity = new
    }

    private static func grow<T>(
        _ pointer: UnsafeMutablePointer<T>,
        from old: Int,
        to new: Int,
        filling fill: T,
        keeping kept: Int
    ) -> UnsafeMutablePointer<T> {
        let grown = UnsafeMutablePointer<T>.allocate(capacity: new)
        grown.initialize(from: pointer, count: kept)
        (grown + kept).initialize(repeating: fill, count: new - kept)
        pointer.deallocate()
        return grown
    }

    package func count(_ slot: Int) -> Int {
        precondition(slot < slotCapacity)
        return Int(counts[slot])
    }

    package func isFull(_ slot: Int) -> Bool { count(slot) == perSlot }

    /// Queues `sequence` for one slot; the caller has checked the slot is not full.
    package func push(_ sequence: UInt64, slot: Int) {
        precondition(slot < slotCapacity && Int(counts[slot]) < perSlot)
        let count = Int(counts[slot])
        var position = Int(heads[slot]) + count
        if position >= perSlot { position -= perSlot }
        sequences[position * slotCapacity + slot] = sequence
        counts[slot] = UInt16(truncatingIfNeeded: count + 1)
        if count == 0 { slotsWithPending += 1 }
        markDirty(slot)
    }

    /// Queues `sequence` for every slot in `slots` but `skipped`, the broadcast hot loop; returns
    /// how many slots got it. Full slots get nothing and are listed in ``fullSlots``.
    package func push(_ sequence: UInt64, to slots: UnsafeBufferPointer<UInt32>, skipping skipped: UInt32) -> Int {
        let sequences = self.sequences
        let heads = self.heads
        let counts = self.counts
        let isDirty = self.isDirty
        let dirty = self.dirty
        let full = self.full
        let capacity = slotCapacity
        let perSlot = self.perSlot
        var dirtyCount = self.dirtyCount
        var fullCount = 0
        var newlyPending = 0
        var queued = 0
        for slot in slots where slot != skipped {
            let index = Int(slot)
            precondition(index < capacity)
            let count = Int(counts[index])
            if count == perSlot {
                full[fullCount] = slot
                fullCount &+= 1
                continue
            }
            var position = Int(heads[index]) &+ count
            if position >= perSlot { position &-= perSlot }
            sequences[position &* capacity &+ index] = sequence
            counts[index] = UInt16(truncatingIfNeeded: count &+ 1)
            if count == 0 { newlyPending &+= 1 }
            if !isDirty[index] {
                isDirty[index] = true
                dirty[dirtyCount] = slot
                dirtyCount &+= 1
            }
            queued &+= 1
        }
        self.dirtyCount = dirtyCount
        self.fullCount = fullCount
        slotsWithPending &+= newlyPending
        return queued
    }

    /// The slots the last bulk ``push(_:to:skipping:)`` found full.
    package var fullSlots: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: full, count: fullCount) }

    /// The oldest queued sequence of `slot`; the caller has checked it has one.
    package func first(_ slot: Int) -> UInt64 {
        precondition(slot < slotCapacity && counts[slot] > 0)
        return sequences[Int(heads[slot]) * slotCapacity + slot]
    }

    /// Removes the oldest queued sequence of `slot`; the caller has checked it has one.
    package func removeFirst(slot: Int) {
        precondition(slot < slotCapacity && counts[slot] > 0)
        counts[slot] -= 1
        if counts[slot] == 0 {
            heads[slot] = 0
            slotsWithPending -= 1
        } else {
            let next = Int(heads[slot]) + 1
            heads[slot] = UInt16(truncatingIfNeeded: next == perSlot ? 0 : next)
        }
    }

    /// Empties `slot`.
    package func clear(slot: Int) {
        precondition(slot < slotCapacity)
        if counts[slot] > 0 { slotsWithPending -= 1 }
        heads[slot] = 0
        counts[slot] = 0
    }

    private func markDirty(_ slot: Int) {
        guard !isDirty[slot] else { return }
        isDirty[slot] = true
        dirty[dirtyCount] = UInt32(truncatingIfNeeded: slot)
        dirtyCount += 1
    }

    /// The `index`th slot that gained a frame since the last ``clearDirty()``.
    package func dirtySlot(_ index: Int) -> UInt32 {
        precondition(index < dirtyCount)
        return dirty[index]
    }

    /// Forgets which slots gained frames (after a flush has visited them all).
    package func clearDirty() {
        for index in 0..<dirtyCount { isDirty[Int(dirty[index])] = false }
        dirtyCount = 0
    }
}

@available(*, unavailable)
extension PendingFrames: Sendable {}
