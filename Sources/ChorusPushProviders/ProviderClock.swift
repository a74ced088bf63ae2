import Foundation

/// Wall-clock time in seconds since 1970, as JWT `iat`/`exp` and expiry instants need it.
/// Tests inject their own to see tokens renewed without waiting.
package struct ProviderClock: Sendable {
    /// The current instant.
    package var now: @Sendable () -> Double

    package init(now: @escaping @Sendable () -> Double) {
        self.now = now
    }

    /// The system clock.
    package static let system = ProviderClock { Date().timeIntervalSince1970 }
}
