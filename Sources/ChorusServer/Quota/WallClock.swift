package import Foundation

/// The calendar time the daily message quota reads: UTC days are calendar days, which the
/// monotonic ``ServerClock`` does not know. Tests pass one they set by hand, to cross midnight.
package struct WallClock: Sendable {
    /// The current date.
    package let now: @Sendable () -> Date

    package init(_ now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    /// The system's clock.
    package static let system = WallClock { Date() }
}
