import ChorusLoad
import Testing

@Suite struct SequenceTrackerTests {
    @Test func countsInOrderDeliveries() {
        var tracker = SequenceTracker()
        for sequence in 0..<100 { #expect(tracker.record(Int64(sequence)) == .inOrder) }
        #expect(tracker.unique == 100)
        #expect(tracker.duplicates == 0)
        #expect(tracker.outOfOrder == 0)
    }

    @Test func aGapIsReportedAndLeavesLossToTheCaller() {
        var tracker = SequenceTracker()
        tracker.record(0)
        #expect(tracker.record(4) == .skippedAhead(missing: 3))
        tracker.record(5)
        #expect(tracker.unique == 3)
        // Loss is what was published minus what arrived: 6 published, 3 unique → 3 lost.
        #expect(6 - tracker.unique == 3)
    }

    @Test func lateArrivalsAreOutOfOrderNotLost() {
        var tracker = SequenceTracker()
        tracker.record(0)
        tracker.record(2)
        #expect(tracker.record(1) == .late)
        #expect(tracker.unique == 3)
        #expect(tracker.outOfOrder == 1)
    }

    @Test func duplicatesAreCountedOnce() {
        var tracker = SequenceTracker()
        tracker.record(0)
        tracker.record(1)
        #expect(tracker.record(1) == .duplicate)
        #expect(tracker.record(0) == .duplicate)
        tracker.record(2)
        #expect(tracker.unique == 3)
        #expect(tracker.duplicates == 2)
    }

    @Test func duplicatesAreRecognisedAcrossTheWholeWindow() {
        var tracker = SequenceTracker()
        for sequence in 0..<200 { tracker.record(Int64(sequence)) }
        #expect(tracker.record(199 - SequenceTracker.windowSize + 1) == .duplicate)
        // Beyond the window a repeat cannot be told from a late arrival.
        #expect(tracker.record(0) == .late)
    }

    @Test func aLongJumpClearsTheWindow() {
        var tracker = SequenceTracker()
        tracker.record(0)
        tracker.record(1_000)
        #expect(tracker.record(999) == .late)
        #expect(tracker.record(1_000) == .duplicate)
    }
}
