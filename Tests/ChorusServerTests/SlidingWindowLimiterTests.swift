import ChorusServer
import NIOCore
import NIOHTTP1
import Testing

@Suite("Per-IP limits: the sliding window")
struct SlidingWindowLimiterTests {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)
    private let client = IPAddress("192.0.2.1")!
    private let other = IPAddress("192.0.2.2")!

    @Test("N in any window: N allowed, N+1 refused; allowed again exactly when the oldest leaves the window")
    func edge() {
        let limiter = SlidingWindowLimiter(limit: 3, window: .seconds(60))
        #expect(limiter.acquire(client, now: start).remaining == 2)
        #expect(limiter.acquire(client, now: start + .seconds(10)).allowed)
        let third = limiter.acquire(client, now: start + .seconds(20))
        #expect(third.allowed && third.remaining == 0 && third.resetSeconds == 40)
        let refused = limiter.acquire(client, now: start + .seconds(30))
        #expect(!refused.allowed)
        #expect(refused.limit == 3 && refused.remaining == 0 && refused.resetSeconds == 30)
        #expect(refused.headers["Retry-After"] == ["30"])
        // One nanosecond before the first request is 60 s old: still three in the window.
        #expect(!limiter.acquire(client, now: start + .seconds(60) - .nanoseconds(1)).allowed)
        let again = limiter.acquire(client, now: start + .seconds(60))
        #expect(again.allowed && again.remaining == 0 && again.resetSeconds == 10)
        // Refusals are not counted: the second request leaves at 70 s, and one more fits then.
        #expect(!limiter.acquire(client, now: start + .seconds(69)).allowed)
        #expect(limiter.acquire(client, now: start + .seconds(70)).allowed)
    }

    @Test("a burst at the boundary of two fixed minutes is still limited (unlike fixed windows)")
    func noBoundaryBurst() {
        let limiter = SlidingWindowLimiter(limit: 2, window: .seconds(60))
        let late = start + .seconds(59)
        #expect(limiter.acquire(client, now: late).allowed)
        #expect(limiter.acquire(client, now: late).allowed)
        #expect(!limiter.acquire(client, now: start + .seconds(61)).allowed)
        #expect(limiter.acquire(client, now: late + .seconds(60)).allowed)
    }

    @Test("each address has its own window")
    func perAddress() {
        let limiter = SlidingWindowLimiter(limit: 1, window: .seconds(1))
        #expect(limiter.acquire(client, now: start).allowed)
        #expect(!limiter.acquire(client, now: start).allowed)
        #expect(limiter.acquire(other, now: start).allowed)
        #expect(limiter.acquire(client, now: start + .seconds(1)).allowed)
    }

    @Test("memory: idle addresses are dropped once their window passed")
    func eviction() {
        let limiter = SlidingWindowLimiter(limit: 5, window: .seconds(60))
        for last in 0..<100 {
            _ = limiter.acquire(IPAddress("198.51.100.\(last)")!, now: start)
        }
        #expect(limiter.trackedAddresses == 100)
        _ = limiter.acquire(client, now: start + .seconds(30))
        #expect(limiter.trackedAddresses == 101)
        _ = limiter.acquire(client, now: start + .seconds(60))
        #expect(limiter.trackedAddresses == 1)
    }

    @Test("the embedded default turns both per-IP limits off; a configuration file gets 300/min and 1000/s")
    func defaults() throws {
        let embedded = ServerConfiguration.embeddedDefault
        #expect(embedded.apiRequestsPerIPPerMinute == 0 && embedded.connectionsPerIPPerSecond == 0)
        #expect(
            embedded.limitsSummary(fromFile: false) == [
                "per-IP API limit: off (embedded default; a config file turns on 300/min)",
                "per-IP connection limit: off (embedded default; a config file turns on 1000/s)",
                "trusted proxies: none (X-Forwarded-For ignored)",
            ]
        )
        let file = try ConfigurationLoader.decode("apps: [{id: 1, key: k, secret: s}]", source: "test")
        #expect(file.apiRequestsPerIPPerMinute == 300 && file.connectionsPerIPPerSecond == 1000)
        #expect(
            file.limitsSummary(fromFile: true).prefix(2) == [
                "per-IP API limit: 300/min", "per-IP connection limit: 1000/s",
            ]
        )
        let off = try ConfigurationLoader.decode(
            "api_requests_per_ip_per_minute: 0\nconnections_per_ip_per_second: 0\ntrusted_proxies: [10.0.0.0/8]",
            source: "test"
        )
        #expect(
            off.limitsSummary(fromFile: true) == [
                "per-IP API limit: off (api_requests_per_ip_per_minute: 0)",
                "per-IP connection limit: off (connections_per_ip_per_second: 0)",
                "trusted proxies: 10.0.0.0/8",
            ]
        )
    }
}
