import NIOCore
import Synchronization

/// At most `limit` bodies run at once; the others wait their turn in arrival order. A waiting
/// task waits even when cancelled: every body is one request bounded by its timeout, so the
/// turn comes.
package final class ConcurrencyLimiter: Sendable {
    private struct State {
        var available: Int
        var waiters = CircularBuffer<CheckedContinuation<Void, Never>>()
    }

    private let state: Mutex<State>

    package init(limit: Int) {
        state = Mutex(State(available: max(1, limit)))
    }

    /// Runs `body` once a permit is free and frees it after.
    package func withPermit<Value>(_ body: () async throws -> Value) async rethrows -> Value {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        let granted = state.withLock { state in
            guard state.available > 0 else { return false }
            state.available -= 1
            return true
        }
        if granted { return }
        await withCheckedContinuation { continuation in
            let grantedMeanwhile = state.withLock { state in
                guard state.available > 0 else {
                    state.waiters.append(continuation)
                    return false
                }
                state.available -= 1
                return true
            }
            if grantedMeanwhile { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let next = state.waiters.popFirst() { return next }
            state.available += 1
            return nil
        }
        // The permit passes straight to the next waiter.
        next?.resume()
    }
}
