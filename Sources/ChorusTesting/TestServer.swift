package import ChorusClient
package import ChorusHistory
package import ChorusProtocol
package import ChorusPush
package import ChorusServer
package import ChorusStorage
import Logging
import NIOPosix

/// An in-process Chorus server on 127.0.0.1 with a free port, and clients pointed at it: the live
/// counterpart of ``TestRouter``, for tests that need real sockets.
///
/// ```swift
/// try await TestServer.with { server in
///     let socket = try await server.connect()
///     try await socket.expect("pusher:connection_established")
/// }
/// ```
package struct TestServer: Sendable {
    package let server: ChorusServer

    /// The first configured app (the default one unless the test changed it).
    package var app: AppConfiguration { server.configuration.apps[0] }
    package var port: Int { server.port }

    /// Runs `body` against a fresh server on `clock` (history, push and daily message counts in
    /// memory, or in the stores given; push delivered by `pushProviders`, or by the providers
    /// `push_delivery` configures; UTC days by `wallClock`), always shutting it down afterwards.
    @discardableResult
    package static func with<T: Sendable>(
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        clock: any ServerClock = EventLoopClock(),
        historyStore: (any HistoryStore)? = nil,
        pushStore: (any PushStore)? = nil,
        pushProviders: [PushPlatform: any PushProvider]? = nil,
        usageStore: (any UsageStore)? = nil,
        wallClock: WallClock = .system,
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        var configuration = ServerConfiguration.embeddedDefault
        configuration.port = 0
        configuration.eventLoops = 2
        configuration.storage = .memory
        configuration.metricsPort = 0
        configure(&configuration)
        var logger = Logger(label: "chorus-test")
        logger.logLevel = .warning
        let server = try await ChorusServer.start(
            configuration: configuration,
            logger: logger,
            clock: clock,
            historyStore: historyStore,
            pushStore: pushStore,
            pushProviders: pushProviders,
            usageStore: usageStore,
            wallClock: wallClock
        )
        do {
            let result = try await body(TestServer(server: server))
            try await server.shutdown()
            return result
        } catch {
            try? await server.shutdown()
            throw error
        }
    }

    package var connector: WebSocketConnector { WebSocketConnector(host: "127.0.0.1", port: port) }

    /// A connected Pusher client of app `key` (default: the first app).
    package func connect(key: String? = nil) async throws -> PusherSocket {
        try await PusherSocket.connect(
            connector: connector,
            key: key ?? app.key,
            on: MultiThreadedEventLoopGroup.singleton
        )
    }

    /// Opens a WebSocket at `path` without waiting for the Pusher handshake.
    package func openSession(path: String) async throws -> WebSocketSession {
        try await WebSocketSession.open(connector: connector, path: path, on: MultiThreadedEventLoopGroup.singleton)
    }

    /// A signed HTTP API client for app `app` (default: the first app).
    package func httpClient(app: AppConfiguration? = nil) -> PusherHTTPClient {
        let app = app ?? self.app
        return PusherHTTPClient(host: "127.0.0.1", port: port, key: app.key, secret: app.secret)
    }

    /// An unsigned HTTP client of the `/metrics` listener (`metrics_port`, apart from the public port).
    package func metricsClient() -> PusherHTTPClient {
        PusherHTTPClient(host: "127.0.0.1", port: server.metricsPort, key: app.key, secret: app.secret)
    }

    /// Signs subscriptions and sign-ins as the app's backend would.
    package var authenticator: ChannelAuthenticator { ChannelAuthenticator(key: app.key, secret: app.secret) }
}
