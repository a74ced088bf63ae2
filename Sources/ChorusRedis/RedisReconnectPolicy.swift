package import NIOCore

/// How a reconnecting connection waits between attempts: exponential backoff, doubling from
/// ``initialDelay`` after each failed attempt up to ``maximumDelay``, reset once the link is ready again.
package struct RedisReconnectPolicy: Sendable {
    package var initialDelay: TimeAmount = .milliseconds(100)
    package var maximumDelay: TimeAmount = .seconds(2)
    /// How long one attempt may take, from the TCP connect to the end of the handshake (AUTH, SELECT,
    /// SUBSCRIBE confirmed): a server that accepts but does not answer counts as a failed attempt.
    package var attemptTimeout: TimeAmount = .seconds(5)
    package init() {}

    /// The wait before the next attempt after `failures` consecutive failures (0 = the first loss).
    package func delay(afterFailures failures: Int) -> TimeAmount {
        var delay = max(self.initialDelay.nanoseconds, 0)
        for _ in 0..<min(failures, 62) where delay < self.maximumDelay.nanoseconds {
            delay = delay.multipliedReportingOverflow(by: 2).overflow ? .max : delay * 2
        }
        return .nanoseconds(min(delay, self.maximumDelay.nanoseconds))
    }
}
