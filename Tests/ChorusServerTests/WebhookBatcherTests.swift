import ChorusProtocol
import ChorusServer
import NIOCore
import Testing

@Suite("Webhook batching, departure delay and retry policy")
struct WebhookBatcherTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    static func batcher(window: Int64 = 50, delay: Int64 = 1000, max: Int = 100) -> WebhookBatcher {
        WebhookBatcher(batchWindow: .milliseconds(window), vacateDelay: .milliseconds(delay), maxBatchEvents: max)
    }

    @Test("events within the window leave together when it closes")
    func window() {
        var batcher = Self.batcher()
        batcher.add(.channelOccupied("a"), now: Self.start)
        batcher.add(.cacheMiss("a"), now: Self.start + .milliseconds(10))
        #expect(batcher.nextDeadline == Self.start + .milliseconds(50))
        #expect(batcher.takeDue(now: Self.start + .milliseconds(49)).isEmpty)
        #expect(batcher.takeDue(now: Self.start + .milliseconds(50)) == [.channelOccupied("a"), .cacheMiss("a")])
        #expect(batcher.nextDeadline == nil)
        #expect(batcher.pendingCount == 0)
    }

    @Test("a full batch is due at once; the rest follows in the next one")
    func fullBatch() {
        var batcher = Self.batcher(max: 2)
        for name in ["a", "b", "c"] { batcher.add(.channelOccupied(name), now: Self.start) }
        #expect(batcher.nextDeadline == Self.start)
        #expect(batcher.takeDue(now: Self.start) == [.channelOccupied("a"), .channelOccupied("b")])
        #expect(batcher.takeDue(now: Self.start) == [.channelOccupied("c")])
        #expect(batcher.takeDue(now: Self.start).isEmpty)
    }

    @Test("channel_vacated waits for the delay, then goes out at once")
    func vacateDelayed() {
        var batcher = Self.batcher()
        batcher.add(.channelVacated("a"), now: Self.start)
        #expect(batcher.nextDeadline == Self.start + .seconds(1))
        #expect(batcher.takeDue(now: Self.start + .milliseconds(999)).isEmpty)
        #expect(batcher.takeDue(now: Self.start + .seconds(1)) == [.channelVacated("a")])
    }

    @Test("a return within the delay cancels both the departure and the return")
    func suppressedOnReturn() {
        var batcher = Self.batcher()
        batcher.add(.channelVacated("a"), now: Self.start)
        batcher.add(.memberRemoved("p", userID: "u1"), now: Self.start)
        batcher.add(.channelOccupied("a"), now: Self.start + .milliseconds(500))
        batcher.add(.memberAdded("p", userID: "u1"), now: Self.start + .milliseconds(500))
        #expect(batcher.pendingCount == 0)
        #expect(batcher.takeDue(now: Self.start + .seconds(2)).isEmpty)
    }

    @Test("a return after the delay is announced, and only the right member's return cancels")
    func returnAfterDelayOrOtherMember() {
        var batcher = Self.batcher()
        batcher.add(.memberRemoved("p", userID: "u1"), now: Self.start)
        batcher.add(.memberAdded("p", userID: "u2"), now: Self.start)
        #expect(batcher.takeDue(now: Self.start + .milliseconds(50)) == [.memberAdded("p", userID: "u2")])
        #expect(batcher.takeDue(now: Self.start + .seconds(1)) == [.memberRemoved("p", userID: "u1")])
        batcher.add(.memberAdded("p", userID: "u1"), now: Self.start + .seconds(1))
        #expect(batcher.takeDue(now: Self.start + .seconds(2)) == [.memberAdded("p", userID: "u1")])
    }

    @Test("leaving, returning and leaving again holds only the last departure")
    func leaveReturnLeave() {
        var batcher = Self.batcher()
        batcher.add(.channelVacated("a"), now: Self.start)
        batcher.add(.channelOccupied("a"), now: Self.start + .milliseconds(100))
        batcher.add(.channelVacated("a"), now: Self.start + .milliseconds(200))
        #expect(batcher.takeDue(now: Self.start + .seconds(1)).isEmpty)
        #expect(batcher.takeDue(now: Self.start + .milliseconds(1200)) == [.channelVacated("a")])
    }

    @Test("with no delay configured, departures are batched like any event")
    func noDelay() {
        var batcher = Self.batcher(delay: 0)
        batcher.add(.channelVacated("a"), now: Self.start)
        #expect(batcher.takeDue(now: Self.start + .milliseconds(50)) == [.channelVacated("a")])
    }

    @Test("retries back off exponentially and stop at the budget")
    func retryPolicy() {
        let policy = WebhookRetryPolicy(initialBackoff: .milliseconds(100), budget: .seconds(1))
        let first = Self.start
        #expect(policy.delay(afterFailures: 1, firstAttempt: first, now: first) == .milliseconds(100))
        #expect(
            policy.delay(afterFailures: 2, firstAttempt: first, now: first + .milliseconds(100)) == .milliseconds(200)
        )
        #expect(
            policy.delay(afterFailures: 3, firstAttempt: first, now: first + .milliseconds(300)) == .milliseconds(400)
        )
        #expect(policy.delay(afterFailures: 4, firstAttempt: first, now: first + .milliseconds(700)) == nil)
        #expect(policy.delay(afterFailures: 60, firstAttempt: first, now: first) == nil)
    }

    @Test("the body is Pusher's envelope with each event's own fields")
    func body() throws {
        let events: [WebhookEvent] = [
            .subscriptionCount("c", count: 3),
            .clientEvent("private-c", event: "client-x", data: "{}", socketID: "1.2", userID: nil),
        ]
        let body = try JSONValue(parsing: WebhookEvent.body(events, timeMilliseconds: 1_700_000_000_000))
        #expect(
            body == [
                "time_ms": 1_700_000_000_000,
                "events": [
                    ["name": "subscription_count", "channel": "c", "subscription_count": 3],
                    [
                        "name": "client_event", "channel": "private-c", "event": "client-x", "data": "{}",
                        "socket_id": "1.2",
                    ],
                ],
            ]
        )
    }
}
