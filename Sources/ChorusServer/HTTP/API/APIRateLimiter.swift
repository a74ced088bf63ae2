package import NIOCore
package import NIOHTTP1
import Synchronization

/// Counts each app's signed API requests in fixed windows and refuses those over the app's limit.
///
/// The window starts with an app's first request and lasts `api_rate_limit_window_seconds`; the
/// caller passes the time so tests need not sleep.
package final class APIRateLimiter: Sendable {
    /// The outcome of one request, with what the `X-RateLimit-*` headers report.
    package struct Decision: Sendable, Hashable {
        package var allowed: Bool
        package var limit: Int
        package var remaining: Int
        /// Whole seconds until the window resets (at least 1).
        package var resetSeconds: Int

        /// `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`, and `Retry-After` when refused.
        package var headers: HTTPHeaders {
            var headers = HTTPHeaders()
            headers.add(name: "X-RateLimit-Limit", value: String(limit))
            headers.add(name: "X-RateLimit-Remaining", value: String(remaining))
            headers.add(name: "X-RateLimit-Reset", value: String(resetSeconds))
            if !allowed { headers.add(name: "Retry-After", value: String(resetSeconds)) }
            return headers
        }
    }

    private struct Window {
        var start: NIODeadline
        var count: Int
    }

    private let windows = Mutex<[String: Window]>([:])

    package init() {}

    /// Counts one request of `appID`; `nil` when the app has no limit.
    package func acquire(appID: String, limit: Int, windowSeconds: Int, now: NIODeadline) -> Decision? {
        guard limit > 0 else { return nil }
        let length = TimeAmount.seconds(Int64(windowSeconds))
        return windows.withLock { windows in
            var window = windows[appID] ?? Window(start: now, count: 0)
            if now - window.start >= length { window = Window(start: now, count: 0) }
            let allowed = window.count < limit
            if allowed { window.count += 1 }
            windows[appID] = window
            let left = window.start + length - now
            let resetSeconds = max(1, Int((left.nanoseconds + 999_999_999) / 1_000_000_000))
            return Decision(allowed: allowed, limit: limit, remaining: limit - window.count, resetSeconds: resetSeconds)
        }
    }
}
