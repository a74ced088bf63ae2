public import ChorusHistory
import Foundation
public import Logging

/// Enforces the apps' retention in the background: every `interval`, trims each app's channels
/// to its ``RetentionPolicy`` through ``HistoryStore/trim(appID:maxMessages:olderThanMs:)``.
///
/// Retention never runs on the publish path (a publish only appends); between sweeps a channel may
/// hold up to an interval's worth of messages beyond its limits. The clock that paces the sweeps
/// and the wall clock that ages messages are injected, so tests neither sleep nor wait for age.
public struct RetentionSweep<SweepClock: Clock>: Sendable where SweepClock.Duration == Duration {
    public var store: any HistoryStore
    public var policies: [RetentionPolicy]
    public var interval: Duration
    public var clock: SweepClock
    /// The wall clock in Unix milliseconds, against which `maxAgeSeconds` counts.
    public var now: @Sendable () -> Int64
    public var logger: Logger

    public init(
        store: any HistoryStore,
        policies: [RetentionPolicy],
        interval: Duration,
        clock: SweepClock,
        now: (@Sendable () -> Int64)? = nil,
        logger: Logger
    ) {
        self.store = store
        self.policies = policies
        self.interval = interval
        self.clock = clock
        self.now = now ?? { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
        self.logger = logger
    }

    /// Sweeps at once, then every `interval`, until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            await sweep()
            do {
                try await clock.sleep(for: interval)
            } catch {
                return
            }
        }
    }

    /// Trims every app once; returns how many messages went. A failing app is logged and skipped
    /// (the next sweep tries again).
    @discardableResult
    public func sweep() async -> Int {
        var removed = 0
        for policy in policies {
            let olderThanMs = now() - policy.maxAgeSeconds * 1000
            do {
                let count = try await store.trim(
                    appID: policy.appID,
                    maxMessages: policy.maxMessages,
                    olderThanMs: olderThanMs
                )
                removed += count
                if count > 0 {
                    logger.info(
                        "retention removed \(count) messages",
                        metadata: [
                            "app": "\(policy.appID)", "max_messages": "\(policy.maxMessages)",
                            "older_than_ms": "\(olderThanMs)",
                        ]
                    )
                }
            } catch {
                logger.error("retention sweep failed", metadata: ["app": "\(policy.appID)", "error": "\(error)"])
            }
        }
        return removed
    }
}

extension RetentionSweep where SweepClock == ContinuousClock {
    /// A sweep paced by the system's continuous clock.
    public init(store: any HistoryStore, policies: [RetentionPolicy], interval: Duration, logger: Logger) {
        self.init(store: store, policies: policies, interval: interval, clock: ContinuousClock(), logger: logger)
    }
}
