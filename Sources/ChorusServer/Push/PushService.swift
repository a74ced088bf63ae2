import ChorusPush
import Foundation
import Logging
import Synchronization

/// What the API needs to serve push: the store, the dispatcher, publish ids and the wall clock.
final class PushService: Sendable {
    let store: any PushStore
    let dispatcher: PushDispatcher
    let settings: PushDeliverySettings
    private let logger: Logger
    /// Closes the providers' connections.
    private let closeProviders: @Sendable () async -> Void
    /// Forgets finished publishes past `publish_retention_hours`; stopped by ``drain()``.
    private let retention = Mutex<Task<Void, Never>?>(nil)

    /// How long an idempotency key is remembered.
    static let idempotencyWindowMs: Int64 = 24 * 3_600_000
    /// The longest a `sync: true` publish waits for its outcome.
    static let syncWait: Duration = .seconds(10)

    init(
        store: any PushStore,
        providers: [PushPlatform: any PushProvider],
        closeProviders: @escaping @Sendable () async -> Void,
        apps: AppRegistry,
        settings: PushDeliverySettings,
        logger: Logger
    ) {
        self.store = store
        self.closeProviders = closeProviders
        self.settings = settings
        self.logger = logger
        self.dispatcher = PushDispatcher(
            store: store,
            providers: providers,
            apps: apps,
            policy: PushRetryPolicy(
                maxAttempts: settings.maxAttempts,
                budgetSeconds: Double(settings.retryBudgetSeconds),
                baseDelaySeconds: Double(settings.retryBaseDelayMs) / 1000
            ),
            logger: logger,
            nowMs: Self.nowMs
        )
    }

    /// Milliseconds since 1970.
    @Sendable static func nowMs() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000)
    }

    /// A new publish id: `pub_`, the time in hex (ids sort by admission) and 64 random bits.
    static func newPublishID() -> String {
        "pub_" + String(UInt64(nowMs()), radix: 16) + String(format: "%016llx", UInt64.random(in: .min ... .max))
    }

    /// Queues every publish a previous run admitted and did not finish, and starts forgetting old
    /// finished publishes.
    func start() async throws {
        let unfinished = try await store.unfinishedPublishes()
        if !unfinished.isEmpty {
            logger.info("resuming push publishes", metadata: ["count": .stringConvertible(unfinished.count)])
        }
        unfinished.forEach(dispatcher.enqueue)
        let store = store
        let logger = logger
        let keepMs = Int64(settings.publishRetentionHours) * 3_600_000
        let task = Task {
            while !Task.isCancelled {
                do {
                    let trimmed = try await store.trimPublishes(beforeMs: Self.nowMs() - keepMs)
                    if trimmed > 0 { logger.info("forgot finished push publishes", metadata: ["count": "\(trimmed)"]) }
                } catch {
                    logger.warning("push publish retention failed", metadata: ["error": .string("\(error)")])
                }
                try? await Task.sleep(for: .seconds(3600))
            }
        }
        retention.withLock { $0 = task }
    }

    /// Waits up to ``syncWait`` for the publish to be dispatched by this process.
    func waitForDispatch(_ publish: PublishRef) async {
        let deadline = ContinuousClock.now + Self.syncWait
        while dispatcher.isActive(publish), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops the retention, lets the attempts in flight be recorded, closes the providers and the
    /// store. Recipients still pending are dispatched at the next start.
    func drain() async {
        retention.withLock { $0.take() }?.cancel()
        await dispatcher.drain()
        await closeProviders()
        await store.close()
    }
}
