import NIOCore

/// Counts one connection's client events in one-second windows.
struct ClientEventRateLimiter {
    let limitPerSecond: Int
    private var windowStart = NIODeadline.uptimeNanoseconds(0)
    private var count = 0

    init(limitPerSecond: Int) {
        self.limitPerSecond = limitPerSecond
    }

    /// Records one event at `now`; returns `false` when it is over the limit.
    mutating func admit(now: NIODeadline) -> Bool {
        if now - windowStart >= .seconds(1) {
            windowStart = now
            count = 0
        }
        guard count < limitPerSecond else { return false }
        count += 1
        return true
    }
}
