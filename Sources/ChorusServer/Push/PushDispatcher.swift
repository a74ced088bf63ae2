import ChorusPush
import Foundation
import Logging
import Synchronization

/// Delivers admitted publishes: reads each publish's pending recipients page by page, calls the
/// platform's provider for each (a window of them in parallel, bounded by the providers' limits),
/// retries what the provider asks to retry, and records the outcomes as they come
/// (``OutcomeRecorder``), so a restart resumes with the recipients that have none.
///
/// A recipient ends `succeeded` (`via` the provider called, or `log`), `failed` (`error`:
/// `no_credentials`, `device_unregistered`, `retries_exhausted`, a provider's rejection) or
/// `expired` (its TTL ran out before a provider accepted it).
final class PushDispatcher: Sendable {
    private let store: any PushStore
    private let providers: [PushPlatform: any PushProvider]
    private let apps: AppRegistry
    private let policy: PushRetryPolicy
    private let logger: Logger
    private let nowMs: @Sendable () -> Int64
    private let queue: AsyncStream<PublishRef>.Continuation
    private let worker = Mutex<Task<Void, Never>?>(nil)
    /// Publishes queued or being dispatched.
    private let active = Mutex<Set<PublishRef>>([])
    /// Set by ``drain()``: no new attempt starts, retry waits end, what is pending stays pending.
    private let stopping = Atomic<Bool>(false)

    /// Pending recipients read from the store at a time.
    static let pageSize = 1000
    /// Recipients of one publish in flight at a time (attempts are further bounded per provider).
    static let window = 1000
    /// Publishes dispatched at the same time.
    static let parallelPublishes = 4
    /// How often outcomes waiting for a batch are recorded anyway.
    static let recordInterval: Duration = .milliseconds(50)

    init(
        store: any PushStore,
        providers: [PushPlatform: any PushProvider],
        apps: AppRegistry,
        policy: PushRetryPolicy,
        logger: Logger,
        nowMs: @escaping @Sendable () -> Int64
    ) {
        self.store = store
        self.providers = providers
        self.apps = apps
        self.policy = policy
        self.logger = logger
        self.nowMs = nowMs
        let (stream, continuation) = AsyncStream<PublishRef>.makeStream()
        self.queue = continuation
        worker.withLock { $0 = Task { [self] in await run(stream) } }
    }

    /// Queues a publish for dispatch.
    func enqueue(_ publish: PublishRef) {
        active.withLock { _ = $0.insert(publish) }
        queue.yield(publish)
    }

    /// Whether the publish is queued or being dispatched by this process.
    func isActive(_ publish: PublishRef) -> Bool {
        active.withLock { $0.contains(publish) }
    }

    /// Stops: attempts in flight finish and are recorded, nothing new starts; unfinished
    /// recipients stay pending for the next start.
    func drain() async {
        stopping.store(true, ordering: .releasing)
        queue.finish()
        await worker.withLock { $0.take() }?.value
    }

    private var isStopping: Bool { stopping.load(ordering: .acquiring) }

    private func run(_ stream: AsyncStream<PublishRef>) async {
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await publish in stream {
                if running == Self.parallelPublishes {
                    await group.next()
                    running -= 1
                }
                guard !isStopping else { break }
                group.addTask { await self.dispatch(publish) }
                running += 1
            }
        }
    }

    private func dispatch(_ ref: PublishRef) async {
        defer { active.withLock { _ = $0.remove(ref) } }
        do {
            guard let status = try await store.status(appID: ref.appID, publishID: ref.publishID),
                !status.state.isTerminal
            else { return }
            try await store.startDispatch(appID: ref.appID, publishID: ref.publishID)
            let credentials = Dictionary(
                try await store.credentials(appID: ref.appID).map { ($0.credential.provider, $0) },
                uniquingKeysWith: { newer, _ in newer }
            )
            let plan = DispatchPlan(
                publish: status.publish,
                credentials: credentials,
                logProvider: apps.app(id: ref.appID)?.push.logProvider ?? false
            )
            let recorder = OutcomeRecorder(store: store)
            let ticker = Task { await recorder.ticking(every: Self.recordInterval) }
            defer { ticker.cancel() }
            // A sliding window over the pending recipients: a recipient waiting for a retry holds
            // one place, never the ones behind it.
            var pager = PendingPager(store: store, publish: ref, pageSize: Self.pageSize)
            try await withThrowingTaskGroup(of: Void.self) { group in
                var inFlight = 0
                var started = 0
                while !isStopping, let delivery = try await pager.next() {
                    if inFlight == Self.window {
                        try await group.next()
                        inFlight -= 1
                    }
                    group.addTask {
                        if let outcome = await self.deliver(delivery, plan) { await recorder.add(outcome) }
                    }
                    inFlight += 1
                    started += 1
                    // A store that stopped recording stops the dispatch (it resumes at the next start).
                    if started % Self.pageSize == 0 { try await recorder.flush() }
                }
                try await group.waitForAll()
            }
            try await recorder.flush()
            if !isStopping { await logFinished(ref) }
        } catch {
            logger.error(
                "push dispatch stopped: the store failed; the publish resumes at the next start",
                metadata: ["publish_id": .string(ref.publishID), "error": .string("\(error)")]
            )
        }
    }

    /// One recipient, attempted until it has an outcome; nil when the dispatcher stopped first.
    private func deliver(_ delivery: PendingDelivery, _ plan: DispatchPlan) async -> DeliveryOutcome? {
        var result = RecipientDelivery(deviceID: delivery.deviceID, platform: delivery.platform)
        func outcome(
            _ state: RecipientState,
            error: String? = nil,
            detail: String? = nil,
            remove: Bool = false
        )
            -> DeliveryOutcome
        {
            result.state = state
            result.error = error
            result.detail = detail
            return DeliveryOutcome(publish: plan.ref, delivery: result, removeDevice: remove)
        }
        guard let token = delivery.token else {
            return outcome(.failed, error: "device_unregistered", detail: "The device was deleted before delivery")
        }
        guard let credential = plan.credentials[delivery.platform.provider] else {
            guard plan.logProvider else {
                return outcome(
                    .failed,
                    error: "no_credentials",
                    detail: "The app has no \(delivery.platform.provider.rawValue) credentials"
                )
            }
            logger.info(
                "push delivered to the log provider",
                metadata: [
                    "publish_id": .string(plan.ref.publishID), "device_id": .string(delivery.deviceID),
                    "platform": .string(delivery.platform.rawValue),
                ]
            )
            result.via = "log"
            return outcome(.succeeded)
        }
        guard let provider = providers[delivery.platform] else {
            return outcome(.failed, error: "no_provider", detail: "No \(delivery.platform.rawValue) provider runs here")
        }
        var waited = 0.0
        while true {
            guard !isStopping, !Task.isCancelled else { return nil }
            guard nowMs() < plan.publish.expiresAtMs else {
                return outcome(.expired, error: "expired", detail: "The publish's TTL ran out before delivery")
            }
            result.attempts += 1
            result.via = delivery.platform.provider.rawValue
            switch await provider.send(plan.notification, to: token, credential: credential) {
            case .delivered:
                return outcome(.succeeded)
            case .deviceGone(let reason):
                return outcome(.failed, error: "device_unregistered", detail: reason, remove: true)
            case .rejected(let code, let reason):
                return outcome(.failed, error: code, detail: reason)
            case .retry(let reason, let retryAfter):
                guard
                    let wait = policy.delay(
                        afterAttempts: result.attempts,
                        retryAfter: retryAfter,
                        waitedSeconds: waited
                    )
                else {
                    logger.warning(
                        "push recipient dead-lettered",
                        metadata: [
                            "publish_id": .string(plan.ref.publishID), "device_id": .string(delivery.deviceID),
                            "attempts": .stringConvertible(result.attempts), "reason": .string(reason),
                        ]
                    )
                    return outcome(
                        .failed,
                        error: "retries_exhausted",
                        detail: "Dead-lettered after \(result.attempts) attempts: \(reason)"
                    )
                }
                waited += wait
                await sleepUnlessStopping(seconds: wait)
            }
        }
    }

    /// Sleeps in short slices so that a drain (or the dispatch's end) is not held up by a long
    /// `Retry-After`.
    private func sleepUnlessStopping(seconds: Double) async {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while !isStopping, !Task.isCancelled, ContinuousClock.now < deadline {
            try? await Task.sleep(for: min(.milliseconds(50), deadline - .now))
        }
    }

    private func logFinished(_ ref: PublishRef) async {
        guard let status = try? await store.status(appID: ref.appID, publishID: ref.publishID) else { return }
        let counters = PublishCounters(status.recipients)
        logger.info(
            "push publish finished",
            metadata: [
                "app_id": .string(ref.appID), "publish_id": .string(ref.publishID),
                "state": .string(status.state.rawValue), "planned": .stringConvertible(counters.planned),
                "succeeded": .stringConvertible(counters.succeeded), "failed": .stringConvertible(counters.failed),
                "expired": .stringConvertible(counters.expired),
            ]
        )
    }
}

/// A publish's pending recipients, read from the store a page at a time in device id order.
private struct PendingPager {
    let store: any PushStore
    let publish: PublishRef
    let pageSize: Int
    private var page: ArraySlice<PendingDelivery> = []
    private var after: String?
    private var exhausted = false

    init(store: any PushStore, publish: PublishRef, pageSize: Int) {
        self.store = store
        self.publish = publish
        self.pageSize = pageSize
    }

    /// The next pending recipient; nil when none is left.
    mutating func next() async throws(PushStoreError) -> PendingDelivery? {
        if page.isEmpty, !exhausted {
            let fetched = try await store.pendingDeliveries(
                appID: publish.appID,
                publishID: publish.publishID,
                after: after,
                limit: pageSize
            )
            page = fetched[...]
            after = fetched.last?.deviceID ?? after
            exhausted = fetched.count < pageSize
        }
        return page.popFirst()
    }
}

/// What every recipient of one publish is sent with.
private struct DispatchPlan: Sendable {
    var publish: PushPublish
    var credentials: [PushProviderName: StoredCredential]
    var logProvider: Bool

    var ref: PublishRef { PublishRef(appID: publish.appID, publishID: publish.publishID) }

    var notification: PushNotification {
        PushNotification(
            publishID: publish.publishID,
            payload: publish.payload,
            expiresAtMs: publish.expiresAtMs,
            collapseID: publish.publishID
        )
    }
}
