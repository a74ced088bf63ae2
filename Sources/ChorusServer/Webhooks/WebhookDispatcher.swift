import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix

/// Delivers every app's webhooks from one event loop of its own, away from the connections'
/// loops: a connection only hands over a small ``WebhookEvent``; batching, delays, signing, HTTP
/// and retries happen here. Apps without webhook targets cost nothing: no thread, no client.
final class WebhookDispatcher: Sendable {
    private let queues: [String: WebhookQueue]
    private let resources: (group: MultiThreadedEventLoopGroup, client: HTTPClient)?

    /// A dispatcher for no app.
    static let disabled = WebhookDispatcher(queues: [:], resources: nil)

    private init(queues: [String: WebhookQueue], resources: (group: MultiThreadedEventLoopGroup, client: HTTPClient)?) {
        self.queues = queues
        self.resources = resources
    }

    /// Starts delivery for every app in `apps` that has webhook targets.
    static func start(
        apps: [AppConfiguration],
        metrics: ServerMetrics,
        clock: any ServerClock,
        logger: Logger
    ) async throws
        -> WebhookDispatcher
    {
        let apps = apps.filter { !$0.webhooks.isEmpty }
        guard !apps.isEmpty else { return .disabled }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.idleTimeout = .seconds(30)
        let client = HTTPClient(eventLoopGroup: group, configuration: configuration, backgroundActivityLogger: logger)
        var queues: [String: WebhookQueue] = [:]
        for app in apps {
            var logger = logger
            logger[metadataKey: "app_id"] = .string(app.id)
            let worker = try await loop.submit { [logger] in
                let targets = app.webhooks.map {
                    WebhookTargetDelivery(
                        target: $0,
                        app: app,
                        client: client,
                        eventLoop: loop,
                        clock: clock,
                        metrics: metrics,
                        logger: logger
                    )
                }
                let worker = WebhookWorker(
                    eventLoop: loop,
                    clock: clock,
                    settings: app.webhookDelivery,
                    targets: targets,
                    metrics: metrics
                )
                return NIOLoopBound(worker, eventLoop: loop)
            }.get()
            queues[app.id] = WebhookQueue(
                capacity: app.webhookDelivery.queueCapacity,
                worker: worker,
                metrics: metrics,
                logger: logger
            )
        }
        return WebhookDispatcher(queues: queues, resources: (group, client))
    }

    /// Hands `event` of app `appID` over for delivery; returns at once.
    func enqueue(_ event: WebhookEvent, appID: String) {
        queues[appID]?.enqueue(event)
    }

    /// Whether every event handed over so far has reached its worker and no request is in flight.
    func isAtRest() async -> Bool {
        for queue in queues.values where !(await queue.isAtRest()) { return false }
        return true
    }

    /// Stops delivery, abandoning what is pending, and releases the thread and the client.
    func shutdown() async {
        guard let resources else { return }
        for queue in queues.values { await queue.stop() }
        try? await resources.client.shutdown()
        try? await resources.group.shutdownGracefully()
    }
}
