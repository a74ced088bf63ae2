import ChorusProtocol
package import NIOCore
import Synchronization

/// The short-lived sessions of the console's event stream: an `EventSource` cannot send an
/// `Authorization` header, so the page trades the token for a session id it holds as an HttpOnly
/// cookie. Ids are 256 random bits; at most ``maximumCount`` are open, each for ``lifetime``.
package final class ConsoleSessions: Sendable {
    /// How long a session admits new streams (an open stream is not cut when it ends).
    package static let lifetime = TimeAmount.minutes(10)
    /// Sessions open at once; a new one pushes out the one closest to its end.
    package static let maximumCount = 64

    private let expiries = Mutex<[String: NIODeadline]>([:])

    package init() {}

    /// Opens a session at `now`; returns its id.
    package func open(now: NIODeadline) -> String {
        var generator = SystemRandomNumberGenerator()
        let id = Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        expiries.withLock { expiries in
            expiries = expiries.filter { $0.value > now }
            if expiries.count >= Self.maximumCount, let first = expiries.min(by: { $0.value < $1.value }) {
                expiries[first.key] = nil
            }
            expiries[id] = now + Self.lifetime
        }
        return id
    }

    /// Whether `id` names a session still open at `now`.
    package func isOpen(_ id: String, now: NIODeadline) -> Bool {
        expiries.withLock { $0[id].map { $0 > now } ?? false }
    }
}
