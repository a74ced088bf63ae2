import Foundation
import NIOConcurrencyHelpers

/// Live counters for the terminal progress line: connections opened and events sent, bumped
/// from any task. Deliveries are read from the loop recorders instead.
final class LoadProgress: Sendable {
    private let state = NIOLockedValueBox((connections: 0, events: 0))

    func connectionOpened() { state.withLockedValue { $0.connections += 1 } }

    func eventsSent(_ count: Int) { state.withLockedValue { $0.events += count } }

    var current: (connections: Int, events: Int) { state.withLockedValue { $0 } }
}
