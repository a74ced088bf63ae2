package import ChorusStorage
import Foundation
package import Logging
import Prometheus
import Synchronization

/// Each app's messages of the current UTC day against its `max_messages_per_day`, counted in
/// memory on the publish path and written to a ``UsageStore`` in the background (see
/// ``flush(appIDs:)``), so that a restart does not reset the day.
///
/// A publish is refused once the day's count has reached the limit; a publish that starts under it
/// is delivered in full, so the count may end above the limit by at most one request's messages.
/// The day is the one `clock` reads, so tests cross midnight by moving it.
package final class MessageQuota: Sendable {
    /// Why a publish was refused.
    package struct Refusal: Sendable, Equatable {
        /// The app's `max_messages_per_day`.
        package var limit: Int
        /// Whole seconds until 00:00 UTC, when the count starts again from 0.
        package var secondsToReset: Int

        package init(limit: Int, secondsToReset: Int) {
            self.limit = limit
            self.secondsToReset = secondsToReset
        }
    }

    struct AppUsage {
        var day: UTCDay
        /// The day's messages: the store's total at the last flush plus what was counted since.
        var count: Int
        let metrics: ServerMetrics.QuotaMetrics
    }

    /// An app's day, as counted in memory (its store key is made at flush time only).
    struct AppDay: Hashable {
        var appID: String
        var day: UTCDay

        var key: UsageKey { UsageKey(appID: appID, day: day.key) }
    }

    struct State {
        var apps: [String: AppUsage] = [:]
        /// Counted and not yet written to the store.
        var unflushed: [AppDay: Int] = [:]
    }

    private let state = Mutex(State())
    /// The background flushes (see ``start(limits:every:)``).
    let flushing = Mutex<Task<Void, Never>?>(nil)
    let store: any UsageStore
    private let metrics: ServerMetrics
    let logger: Logger
    /// Where the UTC days come from.
    package let clock: WallClock

    package init(
        store: any UsageStore,
        metrics: ServerMetrics,
        logger: Logger,
        clock: WallClock = .system
    ) {
        self.store = store
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Counts `messages` for `appID` unless its count for today has already reached `limit`; the
    /// refusal says when the count resets. `limit` 0 is no quota: nothing is counted.
    package func charge(appID: String, limit: Int, messages: Int) -> Refusal? {
        guard limit > 0 else { return nil }
        let date = clock.now()
        let today = UTCDay(containing: date)
        let counted: (usage: AppUsage, refused: Bool) = state.withLock { state in
            var usage = state.apps[appID] ?? AppUsage(day: today, count: 0, metrics: metrics.quota(appID: appID))
            if usage.day < today {
                usage.day = today
                usage.count = 0
            }
            let refused = usage.count >= limit
            if !refused {
                usage.count += messages
                state.unflushed[AppDay(appID: appID, day: today), default: 0] += messages
            }
            state.apps[appID] = usage
            return (usage, refused)
        }
        counted.usage.metrics.messagesToday.set(Int64(counted.usage.count))
        counted.usage.metrics.limit.set(Int64(limit))
        guard counted.refused else { return nil }
        counted.usage.metrics.refusals.increment()
        return Refusal(limit: limit, secondsToReset: UTCDay.secondsUntilMidnight(after: date))
    }

    /// Today's count for `appID` as this node sees it.
    package func count(appID: String) -> Int {
        let today = UTCDay(containing: clock.now())
        return state.withLock { state in
            guard let usage = state.apps[appID], usage.day == today else { return 0 }
            return usage.count
        }
    }

    /// Writes what was counted since the last flush to the store and takes the store's totals for
    /// today of those apps and of the apps in `limits` (whose counts other nodes, or an earlier
    /// run, may have added to; `limits` are their `max_messages_per_day`, for `/metrics`). Counts
    /// made while the store works are kept and added on top. When the store fails, nothing is lost
    /// from memory: the next flush tries again.
    package func flush(limits: [String: Int] = [:]) async throws(UsageStoreError) {
        let today = UTCDay(containing: clock.now())
        let deltas = state.withLock { state in
            var deltas = state.unflushed
            state.unflushed = [:]
            for appID in Set(limits.keys).union(state.apps.keys) {
                deltas[AppDay(appID: appID, day: today), default: 0] += 0
            }
            return deltas
        }
        let days = Dictionary(uniqueKeysWithValues: deltas.keys.map { ($0.key, $0) })
        guard !deltas.isEmpty else { return }
        let totals: [UsageKey: Int]
        do {
            totals = try await store.add(Dictionary(uniqueKeysWithValues: deltas.map { ($0.key.key, $0.value) }))
        } catch {
            state.withLock { state in state.unflushed.merge(deltas) { $0 + $1 } }
            throw error
        }
        let updated: [(String, AppUsage)] = state.withLock { state in
            totals.compactMap { key, total in
                guard let counted = days[key], counted.day == today else { return nil }
                var usage =
                    state.apps[key.appID]
                    ?? AppUsage(day: today, count: 0, metrics: metrics.quota(appID: key.appID))
                guard usage.day <= today else { return nil }
                usage.day = today
                usage.count = total + state.unflushed[counted, default: 0]
                state.apps[key.appID] = usage
                return (key.appID, usage)
            }
        }
        for (appID, usage) in updated {
            usage.metrics.messagesToday.set(Int64(usage.count))
            if let limit = limits[appID] { usage.metrics.limit.set(Int64(limit)) }
        }
    }
}
