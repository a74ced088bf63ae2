import ChorusServer
import NIOCore
import NIOHTTP1
import Testing

@Suite("HTTP API: rate limiter windows")
struct HTTPAPIRateLimiterTests {
    static let start = NIODeadline.uptimeNanoseconds(1_000_000_000_000)

    @Test("a window allows the limit, refuses the next, and resets when it ends")
    func window() {
        let limiter = APIRateLimiter()
        for expected in [2, 1, 0] {
            let decision = limiter.acquire(appID: "1", limit: 3, windowSeconds: 60, now: Self.start + .seconds(1))
            #expect(decision?.allowed == true)
            #expect(decision?.remaining == expected)
            #expect(decision?.resetSeconds == 60)
        }
        let refused = limiter.acquire(appID: "1", limit: 3, windowSeconds: 60, now: Self.start + .seconds(30))
        #expect(refused?.allowed == false)
        #expect(refused?.resetSeconds == 31)
        #expect(refused?.headers["Retry-After"] == ["31"])
        let edge = limiter.acquire(
            appID: "1",
            limit: 3,
            windowSeconds: 60,
            now: Self.start + .seconds(61) - .nanoseconds(1)
        )
        #expect(edge?.allowed == false)
        #expect(edge?.resetSeconds == 1)
        let next = limiter.acquire(appID: "1", limit: 3, windowSeconds: 60, now: Self.start + .seconds(61))
        #expect(next?.allowed == true)
        #expect(next?.remaining == 2)
    }

    @Test("apps are counted apart, and a limit of 0 is no limit")
    func perApp() {
        let limiter = APIRateLimiter()
        #expect(limiter.acquire(appID: "1", limit: 1, windowSeconds: 60, now: Self.start)?.allowed == true)
        #expect(limiter.acquire(appID: "1", limit: 1, windowSeconds: 60, now: Self.start)?.allowed == false)
        #expect(limiter.acquire(appID: "2", limit: 1, windowSeconds: 60, now: Self.start)?.allowed == true)
        #expect(limiter.acquire(appID: "3", limit: 0, windowSeconds: 60, now: Self.start) == nil)
    }
}
