package import NIOCore

/// When to retry a failed webhook request: exponential backoff from a first delay, with no retry
/// starting later than the budget after the first attempt.
package struct WebhookRetryPolicy: Sendable {
    package var initialBackoff: TimeAmount
    package var budget: TimeAmount

    package init(initialBackoff: TimeAmount, budget: TimeAmount) {
        self.initialBackoff = initialBackoff
        self.budget = budget
    }

    /// The wait before the next attempt after `failures` failed attempts (at least one), or `nil`
    /// when that attempt would start past the budget and the batch is to be dropped.
    package func delay(afterFailures failures: Int, firstAttempt: NIODeadline, now: NIODeadline) -> TimeAmount? {
        let doublings = Int64(min(max(failures - 1, 0), 20))
        let delay = TimeAmount.nanoseconds(
            initialBackoff.nanoseconds.multipliedReportingOverflow(by: 1 << doublings).partialValue
        )
        guard now + delay <= firstAttempt + budget else { return nil }
        return delay
    }
}
