import ChorusClient
import ChorusServer
import Testing

@Suite struct PushRetryPolicyTests {
    private let policy = PushRetryPolicy(maxAttempts: 5, budgetSeconds: 60, baseDelaySeconds: 0.5)

    @Test func backoffDoublesFromTheBaseDelay() {
        #expect(policy.delay(afterAttempts: 1, retryAfter: nil, waitedSeconds: 0) == 0.5)
        #expect(policy.delay(afterAttempts: 2, retryAfter: nil, waitedSeconds: 0.5) == 1)
        #expect(policy.delay(afterAttempts: 4, retryAfter: nil, waitedSeconds: 3.5) == 4)
    }

    @Test func aLongerRetryAfterWins() {
        #expect(policy.delay(afterAttempts: 1, retryAfter: 7, waitedSeconds: 0) == 7)
        #expect(policy.delay(afterAttempts: 3, retryAfter: 0.1, waitedSeconds: 0) == 2)
    }

    @Test func theLastAttemptIsNotRetried() {
        #expect(policy.delay(afterAttempts: 5, retryAfter: nil, waitedSeconds: 0) == nil)
    }

    @Test func aWaitBeyondTheBudgetIsNotStarted() {
        #expect(policy.delay(afterAttempts: 1, retryAfter: 61, waitedSeconds: 0) == nil)
        #expect(policy.delay(afterAttempts: 2, retryAfter: nil, waitedSeconds: 59.5) == nil)
        #expect(policy.delay(afterAttempts: 2, retryAfter: nil, waitedSeconds: 59) == 1)
    }

    @Test func waitsAreCappedAtThirtySeconds() {
        let patient = PushRetryPolicy(maxAttempts: 30, budgetSeconds: 10_000, baseDelaySeconds: 0.5)
        #expect(patient.delay(afterAttempts: 20, retryAfter: nil, waitedSeconds: 0) == 30)
    }
}
