import Synchronization

/// The channels with subscribers that filter event names (``SubscriptionPredicate/events``), kept
/// while they have any, so the publisher hands an event's name to the shards only where it is
/// looked at: other events keep their plain, coalescable form.
///
/// While no subscriber anywhere filters names, a look-up is one atomic load.
package final class EventNameFilterRegistry: Sendable {
    private let channels = Mutex<[ChannelKey: Int]>([:])
    private let total = Atomic<Int>(0)

    package init() {}

    /// Records a subscriber of `key` that filters event names.
    package func join(_ key: ChannelKey) {
        channels.withLock { channels in
            channels[key, default: 0] += 1
            total.add(1, ordering: .relaxed)
        }
    }

    /// Records that a subscriber of `key` that filtered event names left.
    package func leave(_ key: ChannelKey) {
        channels.withLock { channels in
            guard let count = channels[key] else { return }
            channels[key] = count > 1 ? count - 1 : nil
            total.subtract(1, ordering: .relaxed)
        }
    }

    /// Whether some subscriber of `key` filters event names.
    package func contains(_ key: ChannelKey) -> Bool {
        guard total.load(ordering: .relaxed) > 0 else { return false }
        return channels.withLock { $0[key] != nil }
    }
}
