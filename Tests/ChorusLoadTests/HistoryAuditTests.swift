import ChorusLoad
import Foundation
import Testing

/// The history check's judgement of one channel: every acknowledged event once, in publish order.
@Suite struct HistoryAuditTests {
    private let audit = HistoryAudit(acknowledged: [0, 1, 2, 3, 4])

    @Test func everyAcknowledgedEventOnceInOrderIsClean() {
        let figures = audit.check(stored: [0, 1, 2, 3, 4])
        #expect(figures.acknowledged == 5 && figures.stored == 5)
        #expect(figures.missing == 0 && figures.duplicates == 0 && figures.disorder == 0)
        #expect(figures.failures.isEmpty)
    }

    @Test func aMissingEventIsStorageLoss() {
        let figures = audit.check(stored: [0, 1, 3, 4])
        #expect(figures.missing == 1)
        #expect(figures.failures == ["1 of 5 acknowledged events missing from history"])
    }

    @Test func aRepeatedEventIsADuplicateNotDisorder() {
        let figures = audit.check(stored: [0, 1, 1, 2, 3, 4])
        #expect(figures.duplicates == 1 && figures.disorder == 0 && figures.missing == 0)
        #expect(figures.failures == ["1 events stored twice in history"])
    }

    @Test func anEventBehindALaterOneIsDisorder() {
        // 3 published after 2 but stored before it: one item out of place.
        let figures = audit.check(stored: [0, 1, 3, 2, 4])
        #expect(figures.disorder == 1 && figures.missing == 0 && figures.duplicates == 0)
        #expect(figures.failures == ["1 history items out of publish order"])
    }

    @Test func storedWithoutAcknowledgementIsReportedButPasses() {
        // Event 5's request timed out after the commit: stored, never acknowledged.
        let figures = audit.check(stored: [0, 1, 2, 3, 4, 5])
        #expect(figures.unacknowledged == 1)
        #expect(figures.failures.isEmpty)
    }

    @Test func itemsWithoutASequenceAreCountedApart() {
        let figures = audit.check(stored: [0, nil, 1, 2, 3, 4])
        #expect(figures.unreadable == 1 && figures.failures.isEmpty)
    }

    @Test func emptyHistoryOfAnAcknowledgedChannelIsAllLost() {
        #expect(audit.check(stored: []).missing == 5)
    }

    @Test func figuresAddUpOverChannels() {
        var total = audit.check(stored: [0, 1, 2, 3])
        total.add(HistoryAudit(acknowledged: [0, 1]).check(stored: [1, 0, 0]))
        #expect(total.channels == 2 && total.acknowledged == 7 && total.stored == 7)
        #expect(total.missing == 1 && total.disorder == 1 && total.duplicates == 1)
    }

    @Test func aReadErrorFailsTheRun() {
        var figures = HistoryFigures(channels: 1, acknowledged: 3, stored: 0)
        figures.errors = ["hist-a: HTTP 403 {}"]
        #expect(figures.failures == ["history could not be read: hist-a: HTTP 403 {}"])
    }
}
