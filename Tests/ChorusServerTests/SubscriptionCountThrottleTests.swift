import ChorusCore
import ChorusServer
import NIOCore
import Testing

@Suite("Subscription count throttle")
struct SubscriptionCountThrottleTests {
    static let key = ChannelKey(appID: "1", channel: "c")
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test("every change is sent while the channel has at most the threshold")
    func belowThreshold() {
        var throttle = SubscriptionCountThrottle(threshold: 100, interval: .seconds(5))
        for count in [1, 2, 100, 99] {
            #expect(throttle.changed(Self.key, count: count, now: Self.start) == .send(count))
        }
    }

    @Test("above the threshold at most one per interval, with a trailing update carrying the last count")
    func aboveThreshold() {
        var throttle = SubscriptionCountThrottle(threshold: 2, interval: .seconds(5))
        #expect(throttle.changed(Self.key, count: 3, now: Self.start) == .send(3))
        #expect(
            throttle.changed(Self.key, count: 4, now: Self.start + .seconds(1)) == .sendLater(Self.start + .seconds(5))
        )
        #expect(throttle.changed(Self.key, count: 5, now: Self.start + .seconds(2)) == .none)
        #expect(throttle.changed(Self.key, count: 1, now: Self.start + .seconds(3)) == .none)
        #expect(throttle.trailingCount(for: Self.key, now: Self.start + .seconds(5)) == 1)
        #expect(throttle.trailingCount(for: Self.key, now: Self.start + .seconds(5)) == nil)
        #expect(
            throttle.changed(Self.key, count: 3, now: Self.start + .seconds(6)) == .sendLater(Self.start + .seconds(10))
        )
        #expect(throttle.changed(Self.key, count: 3, now: Self.start + .seconds(11)) == .none)
        #expect(throttle.trailingCount(for: Self.key, now: Self.start + .seconds(11)) == 3)
        #expect(throttle.changed(Self.key, count: 4, now: Self.start + .seconds(16)) == .send(4))
    }

    @Test("an emptied channel leaves no state behind")
    func emptied() {
        var throttle = SubscriptionCountThrottle()
        _ = throttle.changed(Self.key, count: 1, now: Self.start)
        #expect(throttle.trackedChannels == 1)
        #expect(throttle.changed(Self.key, count: 0, now: Self.start) == .send(0))
        #expect(throttle.trackedChannels == 0)
    }
}
