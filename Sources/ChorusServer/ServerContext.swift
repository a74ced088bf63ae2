import ChorusCluster
import ChorusCore
import ChorusDeflate
import ChorusHistory
import ChorusPush
import ChorusStorage
import Logging
import NIOCore
import Synchronization

/// What every connection and API request of one server shares.
final class ServerContext: Sendable {
    let configuration: ServerConfiguration
    let apps: AppRegistry
    let broadcaster: Broadcaster
    let directory: ChannelDirectory
    let connections: ConnectionRegistry
    let publisher: EventPublisher
    let metrics: ServerMetrics
    let logger: Logger
    /// The time the server's timers run on (a manual one in tests).
    let clock: any ServerClock
    /// Signed API requests counted per app (`max_api_requests_per_window`).
    let rateLimiter = APIRateLimiter()
    /// The per-IP limits on API requests and WebSocket upgrades.
    let clientLimits: ClientLimits
    /// First answers to `idempotency_key`s of the API.
    let idempotency = IdempotencyCache()
    /// Webhook delivery for the apps that configure targets.
    let webhooks: WebhookDispatcher
    /// `pusher_internal:subscription_count` and its webhook, for apps that enable it.
    let subscriptionCounts: SubscriptionCountNotifier
    /// Signed-in users and the watchlists that follow them.
    let watchlists = WatchlistRegistry()
    /// Set once a graceful shutdown began: the API refuses new publishes and `/up` answers 503.
    let draining = Atomic<Bool>(false)
    /// The activity checks of each event loop's connections, indexed like the broadcaster's shards.
    let activityWheels: [NIOLoopBoundBox<ActivityTimerWheel<PusherConnectionHandler>>]
    /// The zlib stream inflating compressed client messages on each event loop, indexed like the
    /// broadcaster's shards (empty when the server serves no WebSocket, as in ``HTTPRouter/detached``).
    let inflaters: [NIOLoopBoundBox<MessageInflater>]
    /// Retained messages, their versions and annotations.
    let history: HistoryService
    /// Devices, subscriptions, credentials and the dispatch of push publishes.
    let push: PushService
    /// API replies waiting for a store; a graceful shutdown lets them finish.
    let pendingReplies = PendingReplies()
    /// The link to the other nodes of the cluster; `nil` with the local adapter.
    let cluster: ClusterLink?
    /// Reports this node's share of channels to the other nodes (with ``cluster``).
    let shareReporter: ShareReporter?
    /// Keeps the app store's apps (`app_store`) in ``apps``.
    let appStore: AppStoreRefresher
    /// Each app's messages today against its `max_messages_per_day`.
    let quota: MessageQuota
    /// The debug console's live logs, kept only for the apps a console views.
    let console: ConsoleFeeds

    init(
        configuration: ServerConfiguration,
        broadcaster: Broadcaster,
        metrics: ServerMetrics,
        historyStore: any HistoryStore,
        pushStore: any PushStore,
        pushProviders: [PushPlatform: any PushProvider] = [:],
        closePushProviders: @escaping @Sendable () async -> Void = {},
        webhooks: WebhookDispatcher = .disabled,
        console: ConsoleFeeds? = nil,
        cluster: ClusterLink? = nil,
        inflaters: [NIOLoopBoundBox<MessageInflater>] = [],
        usageStore: any UsageStore = MemoryUsageStore(),
        clock: any ServerClock = EventLoopClock(),
        wallClock: WallClock = .system,
        logger: Logger
    ) {
        self.inflaters = inflaters
        self.configuration = configuration
        let apps = AppRegistry(configuration.apps)
        self.apps = apps
        self.broadcaster = broadcaster
        let directory = ChannelDirectory()
        self.directory = directory
        self.cluster = cluster
        self.shareReporter = cluster.map { ShareReporter(link: $0, directory: directory) }
        self.connections = ConnectionRegistry()
        self.publisher = EventPublisher(broadcaster: broadcaster, directory: directory)
        self.metrics = metrics
        self.webhooks = webhooks
        self.console = console ?? ConsoleFeeds(clock: clock, wallClock: wallClock)
        self.subscriptionCounts = SubscriptionCountNotifier(publisher: publisher, webhooks: webhooks, clock: clock)
        self.activityWheels = broadcaster.shards.map { shard in
            .makeBoxSendingValue(ActivityTimerWheel(eventLoop: shard.eventLoop), eventLoop: shard.eventLoop)
        }
        self.logger = logger
        self.clock = clock
        self.clientLimits = ClientLimits(configuration: configuration, metrics: metrics, logger: logger)
        self.history = HistoryService(store: historyStore)
        self.push = PushService(
            store: pushStore,
            providers: pushProviders,
            closeProviders: closePushProviders,
            apps: apps,
            settings: configuration.pushDelivery,
            logger: logger
        )
        self.quota = MessageQuota(store: usageStore, metrics: metrics, logger: logger, clock: wallClock)
        self.appStore = AppStoreRefresher(
            apps: apps,
            connections: connections,
            webhooks: webhooks,
            history: history,
            configuration: configuration,
            logger: logger
        )
    }
}
