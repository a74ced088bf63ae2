import ChorusServer
import ChorusTesting
import Foundation
import NIOCore
import Testing

@Suite("Console feed: bounded, sampled above its rate, free while nobody looks")
struct ConsoleFeedTests {
    static let start = NIODeadline.uptimeNanoseconds(5_000_000_000)

    static func entry(_ number: Int) -> ConsoleEntry {
        ConsoleEntry(kind: .trigger, channel: "c", event: "e\(number)")
    }

    @Test("keeps the latest entries up to its capacity; a late reader is told how many it lost")
    func bounded() {
        var feed = ConsoleFeed(capacity: 4, maximumPerSecond: 100)
        let reader = feed.end
        for number in 0..<10 { feed.record(Self.entry(number), now: Self.start) }
        let reading = feed.read(after: reader)
        #expect(reading.entries.map(\.event) == ["e6", "e7", "e8", "e9"])
        #expect(reading.notShown == 6)
        let again = feed.read(after: reading.next)
        #expect(again.entries.isEmpty)
        #expect(again.notShown == 0)
    }

    @Test("above the rate, entries are counted, not kept, until the next one-second window")
    func sampled() {
        var feed = ConsoleFeed(capacity: 100, maximumPerSecond: 3)
        let reader = feed.end
        for number in 0..<5 { feed.record(Self.entry(number), now: Self.start + .milliseconds(Int64(number * 100))) }
        var reading = feed.read(after: reader)
        #expect(reading.entries.map(\.event) == ["e0", "e1", "e2"])
        #expect(reading.notShown == 2)
        feed.record(Self.entry(5), now: Self.start + .milliseconds(999))
        feed.record(Self.entry(6), now: Self.start + .seconds(1))
        reading = feed.read(after: reading.next)
        #expect(reading.entries.map(\.event) == ["e6"])
        #expect(reading.notShown == 1)
    }

    @Test("a new reader starts after what was recorded before it came")
    func newReaderStartsAtTheEnd() {
        var feed = ConsoleFeed(capacity: 10, maximumPerSecond: 2)
        for number in 0..<5 { feed.record(Self.entry(number), now: Self.start) }
        let reader = feed.end
        feed.record(Self.entry(5), now: Self.start + .seconds(2))
        let reading = feed.read(after: reader)
        #expect(reading.entries.map(\.event) == ["e5"])
        #expect(reading.notShown == 0)
    }

    @Test("with no viewer, nothing is built; a viewer gets its app's entries only, stamped with the wall clock")
    func feedsRecordOnlyViewedApps() {
        let clock = ManualClock()
        let feeds = ConsoleFeeds(clock: clock, wallClock: WallClock { Date(timeIntervalSince1970: 1_700_000_000) })
        var built = 0
        feeds.record(appID: "1") {
            built += 1
            return [Self.entry(0)]
        }
        #expect(built == 0)
        let cursor = feeds.attach(appID: "1")
        #expect(feeds.viewerCount == 1)
        feeds.record(appID: "2") {
            built += 1
            return [Self.entry(1)]
        }
        #expect(built == 0)
        feeds.record(appID: "1") {
            built += 1
            return [Self.entry(2)]
        }
        #expect(built == 1)
        let reading = feeds.read(appID: "1", after: cursor)
        #expect(reading.entries.map(\.event) == ["e2"])
        #expect(reading.entries.first?.time == 1_700_000_000_000)
        feeds.detach(appID: "1")
        #expect(feeds.viewerCount == 0)
        #expect(feeds.read(appID: "1", after: reading.next).entries.isEmpty)
    }

    @Test("the feeds sample at their rate on the injected clock")
    func feedsSampleOnTheClock() {
        let clock = ManualClock()
        let feeds = ConsoleFeeds(clock: clock)
        let cursor = feeds.attach(appID: "1")
        defer { feeds.detach(appID: "1") }
        let over = ConsoleFeeds.maximumPerSecond + 7
        for number in 0..<over { feeds.record(appID: "1") { [Self.entry(number)] } }
        var reading = feeds.read(appID: "1", after: cursor)
        #expect(reading.entries.count == ConsoleFeeds.maximumPerSecond)
        #expect(reading.notShown == 7)
        clock.advance(by: .seconds(1))
        feeds.record(appID: "1") { [Self.entry(-1)] }
        reading = feeds.read(appID: "1", after: reading.next)
        #expect(reading.entries.map(\.event) == ["e-1"])
        #expect(reading.notShown == 0)
    }

    @Test("an entry keeps at most maximumDataLength characters of data")
    func dataIsCut() {
        let entry = ConsoleEntry(kind: .trigger, channel: "c", event: "e", data: String(repeating: "x", count: 2000))
        #expect(entry.data.count == ConsoleEntry.maximumDataLength + 1)
        #expect(entry.data.hasSuffix("…"))
    }
}
