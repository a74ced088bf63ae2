import ChorusPushProviders
import Synchronization
import Testing

@Suite struct ConcurrencyLimiterTests {
    @Test func noMoreThanTheLimitRunAtOnceAndAllRun() async {
        let limiter = ConcurrencyLimiter(limit: 3)
        let counts = Occupancy()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 {
                group.addTask {
                    await limiter.withPermit {
                        counts.enter()
                        for _ in 0..<5 { await Task.yield() }
                        counts.leave()
                    }
                }
            }
        }
        let result = counts.state
        #expect(result.finished == 50)
        #expect(result.most <= 3)
        #expect(result.running == 0)
    }
}

/// How many bodies run at once, the most seen, and how many finished.
private final class Occupancy: Sendable {
    private let counts = Mutex((running: 0, most: 0, finished: 0))

    var state: (running: Int, most: Int, finished: Int) { counts.withLock { $0 } }

    func enter() {
        counts.withLock { counts in
            counts.running += 1
            counts.most = max(counts.most, counts.running)
        }
    }

    func leave() {
        counts.withLock { counts in
            counts.running -= 1
            counts.finished += 1
        }
    }
}
