import ChorusServer
import ChorusStorage
import Foundation
import Logging
import Synchronization
import Testing

/// The daily message quota's counting, day rollover and flushes, without a server.
@Suite struct MessageQuotaTests {
    private static let app = "1"

    private func quota(
        _ store: any UsageStore = MemoryUsageStore(),
        clock: QuotaWallClock = QuotaWallClock()
    ) -> MessageQuota {
        MessageQuota(
            store: store,
            metrics: ServerMetrics(),
            logger: Logger(label: "quota-test"),
            clock: WallClock(clock.now)
        )
    }

    @Test func utcDays() {
        #expect(UTCDay(containing: Date(timeIntervalSince1970: 0)).key == "1970-01-01")
        #expect(UTCDay(containing: QuotaWallClock.midnight).key == "2026-11-30")
        #expect(UTCDay(containing: QuotaWallClock.midnight - 0.001).key == "2026-11-29")
        #expect(UTCDay(containing: Date(timeIntervalSince1970: 951_782_400)).key == "2000-02-29")
        #expect(UTCDay(containing: Date(timeIntervalSince1970: -3_600)).key == "1969-12-31")
        #expect(UTCDay.secondsUntilMidnight(after: QuotaWallClock.midnight) == 86_400)
        #expect(UTCDay.secondsUntilMidnight(after: QuotaWallClock.midnight - 60) == 60)
        #expect(UTCDay.secondsUntilMidnight(after: QuotaWallClock.midnight - 0.25) == 1)
    }

    /// Limit 5, 2 messages a publish: 0 → 2 → 4 → 6 pass (each starts under 5), the fourth is refused.
    @Test func aPublishIsRefusedOnceTheCountReachedTheLimit() {
        let clock = QuotaWallClock(QuotaWallClock.midnight + 86_340)
        let quota = quota(clock: clock)
        for _ in 0..<3 { #expect(quota.charge(appID: Self.app, limit: 5, messages: 2) == nil) }
        #expect(quota.count(appID: Self.app) == 6)
        #expect(quota.charge(appID: Self.app, limit: 5, messages: 2) == .init(limit: 5, secondsToReset: 60))
        #expect(quota.count(appID: Self.app) == 6)
    }

    @Test func exactlyAtTheLimitTheNextIsRefused() {
        let quota = quota()
        #expect(quota.charge(appID: Self.app, limit: 4, messages: 4) == nil)
        #expect(quota.charge(appID: Self.app, limit: 4, messages: 1) != nil)
    }

    @Test func noLimitCountsNothing() {
        let quota = quota()
        #expect(quota.charge(appID: Self.app, limit: 0, messages: 1_000) == nil)
        #expect(quota.count(appID: Self.app) == 0)
    }

    @Test func theCountStartsAgainAtMidnightUTC() {
        let clock = QuotaWallClock(QuotaWallClock.midnight - 1)
        let quota = quota(clock: clock)
        #expect(quota.charge(appID: Self.app, limit: 3, messages: 3) == nil)
        #expect(quota.charge(appID: Self.app, limit: 3, messages: 1) == .init(limit: 3, secondsToReset: 1))
        clock.set(QuotaWallClock.midnight)
        #expect(quota.count(appID: Self.app) == 0)
        #expect(quota.charge(appID: Self.app, limit: 3, messages: 1) == nil)
        #expect(quota.count(appID: Self.app) == 1)
    }

    @Test func aFlushWritesEachDaysCountsToItsRow() async throws {
        let store = MemoryUsageStore()
        let clock = QuotaWallClock(QuotaWallClock.midnight - 1)
        let quota = quota(store, clock: clock)
        _ = quota.charge(appID: Self.app, limit: 100, messages: 5)
        clock.set(QuotaWallClock.midnight)
        _ = quota.charge(appID: Self.app, limit: 100, messages: 2)
        try await quota.flush()
        let rows = try await store.add([
            UsageKey(appID: Self.app, day: "2026-11-29"): 0, UsageKey(appID: Self.app, day: "2026-11-30"): 0,
        ])
        #expect(
            rows == [UsageKey(appID: Self.app, day: "2026-11-29"): 5, UsageKey(appID: Self.app, day: "2026-11-30"): 2]
        )
    }

    /// Two nodes on one store: each flush adds this node's counts and takes the total.
    @Test func nodesSharingAStoreSeeEachOthersCounts() async throws {
        let store = MemoryUsageStore()
        let first = quota(store)
        let second = quota(store)
        _ = first.charge(appID: Self.app, limit: 10, messages: 3)
        _ = second.charge(appID: Self.app, limit: 10, messages: 4)
        try await first.flush()
        try await second.flush()
        #expect(second.count(appID: Self.app) == 7)
        try await first.flush()
        #expect(first.count(appID: Self.app) == 7)
        #expect(first.charge(appID: Self.app, limit: 7, messages: 1) != nil)
    }

    /// A restart reads the day's total for every app with a quota before serving.
    @Test func aNewProcessStartsFromTheStoredTotal() async throws {
        let store = MemoryUsageStore()
        let before = quota(store)
        _ = before.charge(appID: Self.app, limit: 6, messages: 6)
        await before.stop()
        let after = quota(store)
        try await after.start(limits: { [Self.app: 6] }, every: .seconds(3_600))
        #expect(after.count(appID: Self.app) == 6)
        #expect(after.charge(appID: Self.app, limit: 6, messages: 1) != nil)
        await after.stop()
    }

    @Test func metricsShowTheDaysCountTheLimitAndTheRefusals() {
        let metrics = ServerMetrics()
        let quota = MessageQuota(
            store: MemoryUsageStore(),
            metrics: metrics,
            logger: Logger(label: "quota-test"),
            clock: WallClock(QuotaWallClock().now)
        )
        #expect(quota.charge(appID: Self.app, limit: 3, messages: 3) == nil)
        #expect(quota.charge(appID: Self.app, limit: 3, messages: 1) != nil)
        let text = String(decoding: metrics.render(), as: UTF8.self)
        #expect(text.contains(#"chorus_app_messages_today{app_id="1"} 3"#))
        #expect(text.contains(#"chorus_app_messages_per_day_limit{app_id="1"} 3"#))
        #expect(text.contains(#"chorus_quota_refusals_total{app_id="1"} 1"#))
    }

    /// A store that fails keeps nothing from being counted: the counts wait for the next flush.
    @Test func aFailedFlushKeepsTheCounts() async throws {
        let store = FlakyUsageStore()
        let quota = quota(store)
        _ = quota.charge(appID: Self.app, limit: 10, messages: 3)
        store.failing.withLock { $0 = true }
        await #expect(throws: UsageStoreError.self) { try await quota.flush() }
        #expect(quota.count(appID: Self.app) == 3)
        store.failing.withLock { $0 = false }
        try await quota.flush()
        #expect(try await store.inner.add([UsageKey(appID: Self.app, day: "2026-11-30"): 0]).values.first == 3)
    }
}

/// A memory usage store that throws while ``failing`` is set.
private final class FlakyUsageStore: UsageStore {
    let inner = MemoryUsageStore()
    let failing = Mutex(false)

    func add(_ deltas: [UsageKey: Int]) async throws(UsageStoreError) -> [UsageKey: Int] {
        if failing.withLock({ $0 }) { throw UsageStoreError("the test store is down") }
        return try await inner.add(deltas)
    }

    func close() async {}
}
