import ChorusCore
import Testing

@Suite("PendingFrames")
struct PendingFramesTests {
    /// Pops every sequence `slot` holds, oldest first.
    func drain(_ pending: PendingFrames, slot: Int) -> [UInt64] {
        var sequences: [UInt64] = []
        while pending.count(slot) > 0 {
            sequences.append(pending.first(slot))
            pending.removeFirst(slot: slot)
        }
        return sequences
    }

    @Test func aQueueWrapsAroundItsEnd() {
        let pending = PendingFrames(perSlot: 3)
        pending.grow(toSlots: 2)
        for sequence: UInt64 in [1, 2, 3] { pending.push(sequence, slot: 1) }
        #expect(pending.isFull(1))
        pending.removeFirst(slot: 1)
        pending.removeFirst(slot: 1)
        pending.push(4, slot: 1)
        pending.push(5, slot: 1)
        #expect(pending.isFull(1))
        #expect(drain(pending, slot: 1) == [3, 4, 5])
        #expect(pending.count(0) == 0)
        #expect(pending.slotsWithPending == 0)
    }

    @Test func theBulkPushSkipsOneSlotAndReportsFullOnes() {
        let pending = PendingFrames(perSlot: 2)
        pending.grow(toSlots: 4)
        pending.push(7, slot: 2)
        pending.push(8, slot: 2)
        let slots: [UInt32] = [0, 1, 2, 3]
        let queued = slots.withUnsafeBufferPointer { pending.push(9, to: $0, skipping: 1) }
        #expect(queued == 2)
        #expect(Array(pending.fullSlots) == [2])
        #expect(drain(pending, slot: 0) == [9])
        #expect(pending.count(1) == 0)
        #expect(drain(pending, slot: 2) == [7, 8])
        #expect(drain(pending, slot: 3) == [9])
    }

    @Test func dirtySlotsAreListedOnceInTheOrderTheyGainedFrames() {
        let pending = PendingFrames(perSlot: 4)
        pending.grow(toSlots: 3)
        pending.push(1, slot: 2)
        let slots: [UInt32] = [0, 2]
        _ = slots.withUnsafeBufferPointer { pending.push(2, to: $0, skipping: .max) }
        #expect(pending.dirtyCount == 2)
        #expect([pending.dirtySlot(0), pending.dirtySlot(1)] == [2, 0])
        pending.clearDirty()
        #expect(pending.dirtyCount == 0)
        pending.push(3, slot: 2)
        #expect(pending.dirtyCount == 1)
        #expect(pending.slotsWithPending == 2)
    }

    @Test func growingKeepsEveryQueue() {
        let pending = PendingFrames(perSlot: 3, slotCapacity: 2)
        pending.grow(toSlots: 2)
        pending.push(10, slot: 0)
        pending.push(11, slot: 0)
        pending.removeFirst(slot: 0)
        pending.push(12, slot: 0)
        pending.push(13, slot: 0)
        pending.push(20, slot: 1)
        pending.grow(toSlots: 5)
        #expect(pending.slotCapacity >= 5)
        pending.push(40, slot: 4)
        #expect(pending.dirtyCount == 3)
        #expect(drain(pending, slot: 0) == [11, 12, 13])
        #expect(drain(pending, slot: 1) == [20])
        #expect(drain(pending, slot: 4) == [40])
    }

    @Test func clearingEmptiesASlot() {
        let pending = PendingFrames(perSlot: 2)
        pending.grow(toSlots: 1)
        pending.push(1, slot: 0)
        pending.clear(slot: 0)
        #expect(pending.count(0) == 0)
        #expect(pending.slotsWithPending == 0)
        pending.push(2, slot: 0)
        #expect(drain(pending, slot: 0) == [2])
    }
}
