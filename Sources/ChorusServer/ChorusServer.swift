import ChorusCluster
import ChorusCore
import ChorusDeflate
package import ChorusHistory
package import ChorusPush
import ChorusPushProviders
package import ChorusStorage
public import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
public import ServiceLifecycle
import Synchronization

/// A running Chorus server: the WebSocket endpoint and the HTTP API on one port, `/metrics` on its own.
///
/// ```swift
/// let server = try await ChorusServer.start(configuration: .embeddedDefault, logger: logger)
/// print(server.port)
/// try await server.shutdown()
/// ```
public final class ChorusServer: Service, Sendable {
    /// The port the server listens on (the one picked when the configuration asked for 0).
    public let port: Int
    /// The port of the plain-HTTP `/metrics` listener on `metrics_host` (the one picked when
    /// `metrics_port` is 0).
    public let metricsPort: Int
    public let configuration: ServerConfiguration
    private let group: MultiThreadedEventLoopGroup
    private let serverChannel: any Channel
    private let metricsChannel: any Channel
    private let context: ServerContext
    /// The certificate and key when `tls` is set: every connection is then TLS.
    private let tls: TLSCertificateStore?

    private init(
        port: Int,
        metricsPort: Int,
        configuration: ServerConfiguration,
        group: MultiThreadedEventLoopGroup,
        serverChannel: any Channel,
        metricsChannel: any Channel,
        context: ServerContext,
        tls: TLSCertificateStore?
    ) {
        self.port = port
        self.metricsPort = metricsPort
        self.configuration = configuration
        self.group = group
        self.serverChannel = serverChannel
        self.metricsChannel = metricsChannel
        self.context = context
        self.tls = tls
    }

    /// Binds and starts serving; throws if the configuration is invalid or the port is taken.
    public static func start(configuration: ServerConfiguration, logger: Logger) async throws -> ChorusServer {
        try await start(configuration: configuration, logger: logger, clock: EventLoopClock())
    }

    /// Starts a server whose webhook delivery, subscription-count throttle and HTTP connection
    /// timeouts run on `clock`, keeping history in `historyStore` and push state in `pushStore`
    /// (default: the stores the configuration's `storage` names) and delivering push through
    /// `pushProviders` (default: the real services, as `push_delivery` configures them), counting
    /// daily messages in `usageStore` (default: the `storage` one) by the UTC days of `wallClock`.
    package static func start(
        configuration: ServerConfiguration,
        logger: Logger,
        clock: any ServerClock,
        historyStore: (any HistoryStore)? = nil,
        pushStore: (any PushStore)? = nil,
        pushProviders: [PushPlatform: any PushProvider]? = nil,
        usageStore: (any UsageStore)? = nil,
        wallClock: WallClock = .system
    ) async throws -> ChorusServer {
        let problems = configuration.problems()
        guard problems.isEmpty else { throw ConfigurationError(source: "configuration", problems: problems) }
        let tls = try configuration.tls.map { settings throws(ConfigurationError) in
            try TLSCertificateStore(settings: settings, logger: logger)
        }
        let metrics = ServerMetrics()
        let console = ConsoleFeeds(clock: clock, wallClock: wallClock)
        let webhooks = try await WebhookDispatcher.start(
            apps: configuration.apps,
            metrics: metrics,
            console: console,
            clock: clock,
            logger: logger
        )
        let store: any HistoryStore
        let push: any PushStore
        let providers: [PushPlatform: any PushProvider]
        let closeProviders: @Sendable () async -> Void
        do {
            if let historyStore {
                store = historyStore
            } else {
                store = try await HistoryStoreOpener.open(configuration.storage, logger: logger)
            }
            do {
                if let pushStore {
                    push = pushStore
                } else {
                    push = try await PushStoreOpener.open(configuration.storage, logger: logger)
                }
                if let pushProviders {
                    providers = pushProviders
                    closeProviders = {}
                } else {
                    let clients = try PushStoreOpener.providers(configuration.pushDelivery, logger: logger)
                    providers = Dictionary(
                        uniqueKeysWithValues: PushPlatform.allCases.map { ($0, clients.provider(for: $0)) }
                    )
                    closeProviders = { await clients.shutdown() }
                }
            } catch {
                await store.close()
                throw error
            }
        } catch {
            await webhooks.shutdown()
            throw error
        }
        let usage: any UsageStore
        do {
            if let usageStore {
                usage = usageStore
            } else {
                usage = try await UsageStoreFactory.open(configuration.storage.configuration, logger: logger)
            }
        } catch {
            await webhooks.shutdown()
            await store.close()
            await push.close()
            await closeProviders()
            throw error
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.eventLoops)
        do {
            let loops = Array(group.makeIterator())
            let broadcaster = try await Broadcaster(eventLoops: loops, limits: configuration.outboundLimits)
            let cluster = configuration.adapter.linkSettings.map { settings in
                ClusterLink(settings: settings, eventLoop: group.next(), logger: logger)
            }
            var inflaters: [NIOLoopBoundBox<MessageInflater>] = []
            for shard in broadcaster.shards {
                inflaters.append(.makeBoxSendingValue(try MessageInflater(), eventLoop: shard.eventLoop))
            }
            let context = ServerContext(
                configuration: configuration,
                broadcaster: broadcaster,
                metrics: metrics,
                historyStore: store,
                pushStore: push,
                pushProviders: providers,
                closePushProviders: closeProviders,
                webhooks: webhooks,
                console: console,
                cluster: cluster,
                inflaters: inflaters,
                usageStore: usage,
                clock: clock,
                wallClock: wallClock,
                logger: logger
            )
            if let cluster {
                let bridge = ClusterBridge(server: context, link: cluster)
                cluster.start { bridge.handle($0) }
                logger.info("cluster adapter", metadata: ["adapter": .string(configuration.adapter.summary)])
            }
            ShardMetricsSampler.start(broadcaster: broadcaster, metrics: metrics)
            let channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 4096)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.writeBufferWaterMark, value: .init(low: 32 * 1024, high: 64 * 1024))
                .childChannelOption(.recvAllocator, value: Self.receiveBuffers)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try Self.configurePipeline(channel, context: context, tls: tls)
                    }
                }
                .bind(host: configuration.host, port: configuration.port)
                .get()
            let metricsChannel = try await Self.bindMetricsListener(group: group, context: context)
            context.history.startRetention(apps: configuration.apps, logger: logger)
            // Apps in the app store (`app_store`): read before the server reports it listens,
            // then re-read in the background until shutdown.
            try await context.appStore.start()
            try await context.push.start()
            try await context.quota.start(limits: { [apps = context.apps] in apps.messageQuotas })
            let port = channel.localAddress?.port ?? configuration.port
            let metricsPort = metricsChannel.localAddress?.port ?? configuration.metricsPort
            logger.info(
                "listening",
                metadata: [
                    "host": .string(configuration.host), "port": .stringConvertible(port),
                    "tls": .stringConvertible(tls != nil),
                ]
            )
            logger.info(
                "metrics listening",
                metadata: ["host": .string(configuration.metricsHost), "port": .stringConvertible(metricsPort)]
            )
            return ChorusServer(
                port: port,
                metricsPort: metricsPort,
                configuration: configuration,
                group: group,
                serverChannel: channel,
                metricsChannel: metricsChannel,
                context: context,
                tls: tls
            )
        } catch {
            await webhooks.shutdown()
            await store.close()
            await push.close()
            await usage.close()
            await closeProviders()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// How each connection sizes its read buffer. NIO keeps a connection's last read buffer for the
    /// next read, so an idle WebSocket holds one for its whole life: starting at 256 bytes instead
    /// of NIO's 2,048 (a client's frames and most upgrade requests fit) saves about 1.8 KB per idle
    /// connection, and a connection that reads more (an HTTP API client) grows its buffer by
    /// doubling up to 64 KiB.
    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 256, maximum: 65_536)

    private static func configurePipeline(
        _ channel: any Channel,
        context: ServerContext,
        tls: TLSCertificateStore?
    ) throws {
        let maxMessageBytes = context.configuration.maxMessageBytes
        let upgrader = WebSocketUpgrader(
            shouldUpgrade: { channel, head in
                guard head.uri.hasPrefix("/app/") else { return channel.eventLoop.makeSucceededFuture(nil) }
                let now = context.clock.now()
                if let refusal = context.clientLimits.refusal(ofUpgrade: head, peer: channel.remoteAddress, now: now) {
                    return channel.eventLoop.makeFailedFuture(refusal)
                }
                var headers = HTTPHeaders()
                if let deflate = Self.deflateAgreement(head, context: context) {
                    headers.add(name: "Sec-WebSocket-Extensions", value: deflate.responseHeaderValue)
                }
                return channel.eventLoop.makeSucceededFuture(headers)
            },
            upgradePipelineHandler: { channel, head in
                channel.eventLoop.makeCompletedFuture {
                    guard let request = ConnectionRequest(uri: head.uri, origin: head.headers.first(name: "Origin"))
                    else {
                        throw ChannelError.inappropriateOperationForState
                    }
                    let compresses = Self.deflateAgreement(head, context: context) != nil
                    let outlet = BroadcastOutlet()
                    let sync = channel.pipeline.syncOperations
                    // The outlet writes frames as bytes: with TLS they must still pass the encryption.
                    let encryption = try? sync.handler(type: NIOSSLServerHandler.self)
                    try sync.addHandler(outlet, position: encryption.map { .after($0) } ?? .first)
                    try sync.addHandler(
                        WebSocketFrameReader(maxMessageBytes: maxMessageBytes, compressionNegotiated: compresses)
                    )
                    if compresses, let shard = context.broadcaster.shardIndex(for: channel.eventLoop) {
                        try sync.addHandler(
                            WebSocketMessageInflater(
                                inflater: context.inflaters[shard],
                                maxMessageBytes: maxMessageBytes
                            )
                        )
                    }
                    let handler = PusherConnectionHandler(
                        server: context,
                        request: request,
                        outlet: outlet,
                        compresses: compresses
                    )
                    try sync.addHandler(handler)
                }
            }
        )
        let router = HTTPRouter(server: context)
        let broadcaster = context.broadcaster
        let httpHandler = HTTPServerHandler(
            maxBodyBytes: context.configuration.maxRequestBodyBytes,
            fanOutDone: { broadcaster.deliveriesQueuedSoFar(on: $0) },
            replying: { router.respond(to: $0) }
        )
        try channel.pipeline.syncOperations.configureChorusHTTP(
            handler: httpHandler,
            timeouts: context.configuration.httpTimeouts,
            clock: context.clock,
            metrics: context.metrics,
            upgraders: [upgrader]
        )
        // TLS below HTTP, so the HTTP timeouts see the decrypted bytes; plain text refused before it.
        if let tls {
            try channel.pipeline.syncOperations.addHandler(tls.makeHandler(), position: .first)
            try channel.pipeline.syncOperations.addHandler(PlaintextRefuser(), position: .first)
        }
    }

    /// Re-reads `tls.cert_file` and `tls.key_file` (on SIGHUP): connections accepted from now on
    /// get the new certificate, open ones keep theirs. A failed reload is logged and keeps the
    /// certificate in use. Returns whether the new files were taken; `false` too without `tls`.
    @discardableResult
    public func reloadTLS() -> Bool {
        guard let tls else {
            context.logger.info("no tls configured; nothing to reload")
            return false
        }
        return tls.reload()
    }

    /// The `permessage-deflate` terms for an upgrade request, when the server allows compression
    /// and the request offers terms it accepts.
    private static func deflateAgreement(_ head: HTTPRequestHead, context: ServerContext) -> DeflateAgreement? {
        guard context.configuration.permessageDeflate else { return nil }
        return DeflateAgreement.accepting(offers: head.headers["Sec-WebSocket-Extensions"])
    }

    /// Binds the plain-HTTP listener of `/metrics` on `metrics_host`:`metrics_port`.
    private static func bindMetricsListener(
        group: MultiThreadedEventLoopGroup,
        context: ServerContext
    ) async throws -> any Channel {
        let host = context.configuration.metricsHost
        let port = context.configuration.metricsPort
        do {
            return try await Self.metricsBootstrap(group: group, context: context).bind(host: host, port: port).get()
        } catch {
            throw ConfigurationError(
                source: "metrics_port",
                problems: [
                    "cannot listen on \(host):\(port) (\(error)); pick another metrics_port, or 0 for a free one"
                ]
            )
        }
    }

    /// The bootstrap of the metrics listener: NIO's HTTP/1.1 with Chorus's limits, answered by
    /// ``MetricsResponder``; with `console_token`, the console's event streams by ``ConsoleStreamHandler``.
    private static func metricsBootstrap(group: MultiThreadedEventLoopGroup, context: ServerContext) -> ServerBootstrap
    {
        let access = context.configuration.consoleToken.map { ConsoleAccess(token: $0, clock: context.clock) }
        let responder = MetricsResponder(
            metrics: context.metrics,
            console: access.map { ConsoleResponder(server: context, access: $0) }
        )
        let broadcaster = context.broadcaster
        return ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = HTTPServerHandler(
                        maxBodyBytes: context.configuration.maxRequestBodyBytes,
                        fanOutDone: { broadcaster.deliveriesQueuedSoFar(on: $0) },
                        replying: { responder.respond(to: $0) }
                    )
                    let sync = channel.pipeline.syncOperations
                    try sync.configureChorusHTTP(
                        handler: handler,
                        timeouts: context.configuration.httpTimeouts,
                        clock: context.clock,
                        metrics: context.metrics
                    )
                    if let access {
                        try sync.addHandler(
                            ConsoleStreamHandler(server: context, access: access),
                            position: .before(handler)
                        )
                    }
                }
            }
    }

    /// Drains and stops: stops accepting connections and API calls (503 from then on), lets every
    /// publish already acknowledged reach the subscribers' queues, tells every client to reconnect
    /// (4200, queued behind those frames), waits up to `shutdown_grace_seconds` for the clients to
    /// close, lets every reply waiting for a store finish, closes the history store (its pending
    /// writes commit), lets the push attempts in flight be recorded and closes the push store,
    /// writes the day's message counts to the usage store, flushes the webhooks and stops the
    /// event loops.
    public func shutdown() async throws {
        try? await serverChannel.close()
        try? await metricsChannel.close()
        context.draining.store(true, ordering: .releasing)
        // Any request that saw the server open has finished on its loop once each loop ran one more
        // task; its fan-out is then queued ahead of the 4200 closes below on every loop.
        for shard in context.broadcaster.shards { try? await shard.eventLoop.submit {}.get() }
        let open = context.connections.all()
        if !open.isEmpty {
            context.logger.info("closing connections", metadata: ["count": .stringConvertible(open.count)])
            for connection in open { connection.close(.serverShutdown) }
            let deadline = ContinuousClock.now + .seconds(configuration.shutdownGraceSeconds)
            while context.connections.count > 0, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        await context.pendingReplies.settled()
        await context.history.drain()
        await context.push.drain()
        await context.quota.stop()
        await context.appStore.stop()
        await context.cluster?.shutdown()
        await context.webhooks.shutdown()
        try await group.shutdownGracefully()
    }

    /// Whether webhook delivery is at rest: every event handed over so far has reached its app's
    /// worker and no request is in flight. Tests on a manual clock wait for it before asserting
    /// that nothing more was sent.
    package func webhooksAtRest() async -> Bool {
        await context.webhooks.isAtRest()
    }

    /// Runs until a graceful shutdown is requested (SIGINT/SIGTERM under a ServiceGroup).
    public func run() async throws {
        await withGracefulShutdownHandler {
            try? await serverChannel.closeFuture.get()
        } onGracefulShutdown: {
            self.serverChannel.close(promise: nil)
        }
        context.logger.info("shutting down")
        try await shutdown()
        context.logger.info("stopped")
    }
}
