import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Delivers every app's webhooks from one event loop of its own, away from the connections'
/// loops: a connection only hands over a small ``WebhookEvent``; batching, delays, signing, HTTP
/// and retries happen here. Apps without webhook targets cost nothing: no thread, no client until
/// an app has targets.
///
/// The configuration file's apps have their queues from the start; the app store's come and go
/// with ``replaceStoreApps(_:)``.
final class WebhookDispatcher: Sendable {
    private typealias Resources = (group: MultiThreadedEventLoopGroup, client: HTTPClient)

    /// What a queue is built with; nil for ``disabled``.
    private struct Builder: Sendable {
        var metrics: ServerMetrics
        var console: ConsoleFeeds
        var clock: any ServerClock
        var logger: Logger
    }

    private struct State {
        var resources: Resources?
        /// The app store's queues, each with the app it was built for.
        var storeQueues: [String: (app: AppConfiguration, queue: WebhookQueue)] = [:]
    }

    /// The configuration file's queues, by app id.
    private let queues: [String: WebhookQueue]
    private let builder: Builder?
    private let state: Mutex<State>

    /// A dispatcher for no app.
    static let disabled = WebhookDispatcher(queues: [:], builder: nil, resources: nil)

    private init(queues: [String: WebhookQueue], builder: Builder?, resources: Resources?) {
        self.queues = queues
        self.builder = builder
        self.state = Mutex(State(resources: resources))
    }

    /// Starts delivery for every app in `apps` that has webhook targets.
    static func start(
        apps: [AppConfiguration],
        metrics: ServerMetrics,
        console: ConsoleFeeds,
        clock: any ServerClock,
        logger: Logger
    ) async throws
        -> WebhookDispatcher
    {
        let builder = Builder(metrics: metrics, console: console, clock: clock, logger: logger)
        let apps = apps.filter { !$0.webhooks.isEmpty }
        guard !apps.isEmpty else { return WebhookDispatcher(queues: [:], builder: builder, resources: nil) }
        let resources = makeResources(logger: logger)
        var queues: [String: WebhookQueue] = [:]
        for app in apps {
            queues[app.id] = try await makeQueue(for: app, resources: resources, builder: builder)
        }
        return WebhookDispatcher(queues: queues, builder: builder, resources: resources)
    }

    /// Delivers the webhooks of the app store's `apps` from now on, in place of the previous
    /// ones: a new app with targets gets a queue, an app whose targets, delivery settings or
    /// credentials changed a new one (the old one stops, abandoning what it held), an app gone or
    /// without targets loses its queue.
    func replaceStoreApps(_ apps: [AppConfiguration]) async {
        guard let builder else { return }
        let wanted = apps.filter { !$0.webhooks.isEmpty && queues[$0.id] == nil }
        let current = state.withLock { $0.storeQueues.mapValues(\.app) }
        var fresh: [String: (app: AppConfiguration, queue: WebhookQueue)] = [:]
        for app in wanted where current[app.id].map({ !Self.deliversAlike($0, app) }) ?? true {
            let resources = state.withLock { state in
                let resources = state.resources ?? Self.makeResources(logger: builder.logger)
                state.resources = resources
                return resources
            }
            guard let queue = try? await Self.makeQueue(for: app, resources: resources, builder: builder) else {
                builder.logger.error("webhooks: cannot start delivery", metadata: ["app_id": .string(app.id)])
                continue
            }
            fresh[app.id] = (app, queue)
        }
        let kept = Set(wanted.map(\.id))
        let stale = state.withLock { state in
            let leaving = state.storeQueues.filter { !kept.contains($0.key) || fresh[$0.key] != nil }
            state.storeQueues = state.storeQueues.filter { kept.contains($0.key) }.merging(fresh) { $1 }
            return leaving.map(\.value.queue)
        }
        for queue in stale { await queue.stop() }
    }

    /// Hands `event` of app `appID` over for delivery; returns at once.
    func enqueue(_ event: WebhookEvent, appID: String) {
        if let queue = queues[appID] {
            queue.enqueue(event)
        } else if builder != nil {
            state.withLock { $0.storeQueues[appID]?.queue }?.enqueue(event)
        }
    }

    /// Whether every event handed over so far has reached its worker and no request is in flight.
    func isAtRest() async -> Bool {
        let storeQueues = state.withLock { $0.storeQueues.values.map(\.queue) }
        for queue in Array(queues.values) + storeQueues where !(await queue.isAtRest()) { return false }
        return true
    }

    /// Stops delivery, abandoning what is pending, and releases the thread and the client.
    func shutdown() async {
        let (storeQueues, resources) = state.withLock { state in
            defer {
                state.storeQueues = [:]
                state.resources = nil
            }
            return (state.storeQueues.values.map(\.queue), state.resources)
        }
        guard let resources else { return }
        for queue in Array(queues.values) + storeQueues { await queue.stop() }
        try? await resources.client.shutdown()
        try? await resources.group.shutdownGracefully()
    }

    /// Whether a queue built for `old` delivers as one built for `new` would: same targets, same
    /// delivery settings, same key and secret to sign with.
    private static func deliversAlike(_ old: AppConfiguration, _ new: AppConfiguration) -> Bool {
        old.webhooks == new.webhooks && old.webhookDelivery == new.webhookDelivery && old.key == new.key
            && old.secret == new.secret
    }

    /// The thread and the HTTP client every queue delivers with.
    private static func makeResources(logger: Logger) -> Resources {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.idleTimeout = .seconds(30)
        let client = HTTPClient(eventLoopGroup: group, configuration: configuration, backgroundActivityLogger: logger)
        return (group, client)
    }

    /// The queue and worker of `app`, on the resources' event loop.
    private static func makeQueue(
        for app: AppConfiguration,
        resources: Resources,
        builder: Builder
    ) async throws -> WebhookQueue {
        let loop = resources.group.next()
        let client = resources.client
        var logger = builder.logger
        logger[metadataKey: "app_id"] = .string(app.id)
        let worker = try await loop.submit { [logger] in
            let targets = app.webhooks.map {
                WebhookTargetDelivery(
                    target: $0,
                    app: app,
                    client: client,
                    eventLoop: loop,
                    clock: builder.clock,
                    metrics: builder.metrics,
                    console: builder.console,
                    logger: logger
                )
            }
            let worker = WebhookWorker(
                eventLoop: loop,
                clock: builder.clock,
                settings: app.webhookDelivery,
                targets: targets,
                metrics: builder.metrics
            )
            return NIOLoopBound(worker, eventLoop: loop)
        }.get()
        return WebhookQueue(
            capacity: app.webhookDelivery.queueCapacity,
            worker: worker,
            metrics: builder.metrics,
            logger: logger
        )
    }
}
