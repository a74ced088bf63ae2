package import Foundation
package import NIOConcurrencyHelpers

/// Live counters for the terminal progress line: connections opened and events sent, bumped
/// from any task. Deliveries are read from the loop recorders instead.
package final class LoadProgress: Sendable {
    private let state = NIOLockedValueBox((connections: 0, events: 0))

    package func connectionsOpened(_ count: Int = 1) { state.withLockedValue { $0.connections += count } }

    package func eventsSent(_ count: Int) { state.withLockedValue { $0.events += count } }

    package var current: (connections: Int, events: Int) { state.withLockedValue { $0 } }
}
