package import NIOCore
import Synchronization

/// Allows at most `limit` events per address in any `window` (a sliding log): an event is allowed
/// when fewer than `limit` allowed events of its address happened in the `window` before it, and
/// once refused, the address is allowed again exactly when its oldest counted event is `window` old.
///
/// Memory is bounded: each address keeps the times of its allowed events inside the window, at most
/// `limit` of them (refused events are not stored), and an address with none left is dropped by a
/// sweep that runs at most once per window. So the log holds only addresses that had an allowed
/// event within the last two windows, each with at most `limit` timestamps.
///
/// The caller passes the time, so tests need not sleep.
package final class SlidingWindowLimiter: Sendable {
    package let limit: Int
    package let window: TimeAmount

    private struct State {
        var log: [IPAddress: CircularBuffer<NIODeadline>] = [:]
        var nextSweep: NIODeadline?
    }

    private let state = Mutex(State())

    /// A limiter of `limit` (at least 1) events per `window`.
    package init(limit: Int, window: TimeAmount) {
        precondition(limit > 0, "a limit of 0 is no limiter")
        self.limit = limit
        self.window = window
    }

    /// Counts one event of `address` at `now` when it is allowed; `resetSeconds` says when the
    /// oldest counted event leaves the window (when a refused address may try again).
    package func acquire(_ address: IPAddress, now: NIODeadline) -> APIRateLimiter.Decision {
        let cutoff = now - window
        return state.withLock { state in
            sweep(&state, now: now, cutoff: cutoff)
            var times = state.log.removeValue(forKey: address) ?? CircularBuffer(initialCapacity: 1)
            while let first = times.first, first <= cutoff { times.removeFirst() }
            let allowed = times.count < limit
            if allowed { times.append(now) }
            let oldest = times.first ?? now
            state.log[address] = times
            let left = oldest + window - now
            return APIRateLimiter.Decision(
                allowed: allowed,
                limit: limit,
                remaining: limit - times.count,
                resetSeconds: max(1, Int((left.nanoseconds + 999_999_999) / 1_000_000_000))
            )
        }
    }

    /// How many addresses the log holds.
    package var trackedAddresses: Int {
        state.withLock { $0.log.count }
    }

    /// Drops the addresses whose newest event left the window; at most once per window.
    private func sweep(_ state: inout State, now: NIODeadline, cutoff: NIODeadline) {
        if let next = state.nextSweep, now < next { return }
        state.nextSweep = now + window
        state.log = state.log.filter { _, times in times.last.map { $0 > cutoff } ?? false }
    }
}
