package import ChorusCore
package import NIOCore

/// When to announce a channel's subscription count: every change while the channel has at most
/// `threshold` subscribers; above that at most once per `interval`, with one trailing update so
/// the last count is never lost.
///
/// A value driven by the caller's clock, one entry per channel that has subscribers.
package struct SubscriptionCountThrottle {
    /// What to do with one change.
    package enum Decision: Equatable {
        /// Announce this count now.
        case send(Int)
        /// Too soon: wake up at this time and call ``trailingCount(for:now:)``.
        case sendLater(NIODeadline)
        /// A trailing update is already pending; it will carry this count.
        case none
    }

    private struct Entry {
        var lastSent: NIODeadline?
        var latest: Int
        var trailingPending = false
    }

    package let threshold: Int
    package let interval: TimeAmount
    private var entries: [ChannelKey: Entry] = [:]

    package init(threshold: Int = 100, interval: TimeAmount = .seconds(5)) {
        self.threshold = threshold
        self.interval = interval
    }

    /// Channels with state held (for tests: entries go when a channel empties).
    package var trackedChannels: Int { entries.count }

    /// The count of `key` is now `count`.
    package mutating func changed(_ key: ChannelKey, count: Int, now: NIODeadline) -> Decision {
        var entry = entries[key] ?? Entry(latest: count)
        entry.latest = count
        defer { entries[key] = count == 0 && !entry.trailingPending ? nil : entry }
        if entry.trailingPending { return .none }
        if count > threshold, let lastSent = entry.lastSent, now < lastSent + interval {
            entry.trailingPending = true
            return .sendLater(lastSent + interval)
        }
        entry.lastSent = now
        return .send(count)
    }

    /// The count to announce for a trailing update that fell due, if the channel still has one.
    package mutating func trailingCount(for key: ChannelKey, now: NIODeadline) -> Int? {
        guard var entry = entries[key], entry.trailingPending else { return nil }
        entry.trailingPending = false
        entry.lastSent = now
        entries[key] = entry.latest == 0 ? nil : entry
        return entry.latest
    }
}
