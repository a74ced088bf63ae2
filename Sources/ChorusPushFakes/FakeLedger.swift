import NIOConcurrencyHelpers

/// What a fake was asked and what it accepted, and the behaviour a test scripted per target
/// (device token or subscription id). Thread-safe: the fake's event loops write, tests read.
package final class FakeLedger: Sendable {
    private struct State {
        var scripts: [String: FakeBehavior] = [:]
        var attempts: [String: Int] = [:]
        var totalAttempts = 0
        var received: [ReceivedNotification] = []
        var deliveries: [String: Int] = [:]
    }

    private let state = NIOLockedValueBox(State())

    package init() {}

    /// Answers the requests for `target` as `behaviour` says from now on.
    package func script(_ behaviour: FakeBehavior, for target: String) {
        state.withLockedValue { $0.scripts[target] = behaviour }
    }

    /// Counts one request for `target`, whatever its answer.
    func countAttempt(for target: String) {
        state.withLockedValue {
            $0.attempts[target, default: 0] += 1
            $0.totalAttempts += 1
        }
    }

    /// The scripted answer to a verified request for `target`, consuming one of a limited script.
    func answer(for target: String) -> FakeAnswer {
        state.withLockedValue { state in
            guard let behaviour = state.scripts[target] else { return .accept }
            let (answer, rest) = behaviour.next()
            state.scripts[target] = rest == .accept ? nil : rest
            return answer
        }
    }

    /// Records an accepted notification.
    func record(_ notification: ReceivedNotification) {
        state.withLockedValue {
            $0.received.append(notification)
            $0.deliveries[notification.target, default: 0] += 1
        }
    }

    /// Every request received for `target`, accepted or not.
    package func attempts(for target: String) -> Int {
        state.withLockedValue { $0.attempts[target, default: 0] }
    }

    /// Every request received, accepted or not.
    package var totalAttempts: Int {
        state.withLockedValue { $0.totalAttempts }
    }

    /// How many notifications were accepted for `target`.
    package func deliveries(for target: String) -> Int {
        state.withLockedValue { $0.deliveries[target, default: 0] }
    }

    /// How many notifications were accepted in all.
    package var totalDeliveries: Int {
        state.withLockedValue { $0.received.count }
    }

    /// Every accepted notification, in the order accepted.
    package var received: [ReceivedNotification] {
        state.withLockedValue { $0.received }
    }

    /// The notifications accepted for `target`, in order.
    package func received(for target: String) -> [ReceivedNotification] {
        state.withLockedValue { $0.received.filter { $0.target == target } }
    }

    /// How many notifications were accepted per target.
    package var deliveriesByTarget: [String: Int] {
        state.withLockedValue { $0.deliveries }
    }
}
