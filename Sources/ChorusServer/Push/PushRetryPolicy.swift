/// When a recipient whose provider answered "try again" is tried again, and when it is given up
/// (dead-lettered): exponential backoff from `baseDelaySeconds`, at most 30 s a wait, a provider's
/// `Retry-After` honoured, within `maxAttempts` and a total waiting budget.
package struct PushRetryPolicy: Sendable, Hashable {
    var maxAttempts: Int
    var budgetSeconds: Double
    var baseDelaySeconds: Double
    var maxDelaySeconds = 30.0

    package init(maxAttempts: Int, budgetSeconds: Double, baseDelaySeconds: Double) {
        self.maxAttempts = maxAttempts
        self.budgetSeconds = budgetSeconds
        self.baseDelaySeconds = baseDelaySeconds
    }

    /// The wait before attempt `attempts + 1`, or nil when the recipient is to be given up: no
    /// attempts left, or the wait would overrun the budget (`waitedSeconds` spent so far).
    package func delay(afterAttempts attempts: Int, retryAfter: Double?, waitedSeconds: Double) -> Double? {
        guard attempts < maxAttempts else { return nil }
        let backoff = min(maxDelaySeconds, baseDelaySeconds * Double(1 << min(attempts - 1, 16)))
        let wait = max(backoff, retryAfter ?? 0)
        guard waitedSeconds + wait <= budgetSeconds else { return nil }
        return wait
    }
}
