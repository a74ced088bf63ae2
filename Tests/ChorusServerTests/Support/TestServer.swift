import ChorusClient
import ChorusProtocol
import ChorusServer
import Logging
import NIOCore
import NIOPosix

/// An in-process Chorus server on 127.0.0.1 with a free port, and clients pointed at it.
struct TestServer: Sendable {
    let server: ChorusServer

    /// The first configured app (the default one unless the test changed it).
    var app: AppConfiguration { server.configuration.apps[0] }
    var port: Int { server.port }

    /// Runs `body` against a fresh server on `clock`, always shutting it down afterwards.
    static func with<T: Sendable>(
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        clock: any ServerClock = EventLoopClock(),
        _ body: (TestServer) async throws -> T
    ) async throws -> T {
        var configuration = ServerConfiguration.embeddedDefault
        configuration.port = 0
        configuration.eventLoops = 2
        configure(&configuration)
        var logger = Logger(label: "chorus-test")
        logger.logLevel = .warning
        let server = try await ChorusServer.start(configuration: configuration, logger: logger, clock: clock)
        do {
            let result = try await body(TestServer(server: server))
            try await server.shutdown()
            return result
        } catch {
            try? await server.shutdown()
            throw error
        }
    }

    var connector: WebSocketConnector { WebSocketConnector(host: "127.0.0.1", port: port) }

    /// A connected Pusher client of app `key` (default: the first app).
    func connect(key: String? = nil) async throws -> PusherSocket {
        try await PusherSocket.connect(
            connector: connector,
            key: key ?? app.key,
            on: MultiThreadedEventLoopGroup.singleton
        )
    }

    /// Opens a WebSocket at `path` without waiting for the Pusher handshake.
    func openSession(path: String) async throws -> WebSocketSession {
        try await WebSocketSession.open(connector: connector, path: path, on: MultiThreadedEventLoopGroup.singleton)
    }

    /// A signed HTTP API client for app `app` (default: the first app).
    func httpClient(app: AppConfiguration? = nil) -> PusherHTTPClient {
        let app = app ?? self.app
        return PusherHTTPClient(host: "127.0.0.1", port: port, key: app.key, secret: app.secret)
    }

    /// Signs subscriptions and sign-ins as the app's backend would.
    var authenticator: ChannelAuthenticator { ChannelAuthenticator(key: app.key, secret: app.secret) }
}

extension PusherSocket {
    /// The next message, which must be `event` (on `channel`, when given).
    @discardableResult
    func expect(
        _ event: String,
        channel: String? = nil,
        timeout: TimeAmount = .seconds(5)
    ) async throws -> PusherMessage {
        let message = try await next(timeout: timeout)
        guard message.event == event, channel == nil || message.channel == channel else {
            throw UnexpectedMessage(expected: event, got: message)
        }
        return message
    }

    /// Waits for the close frame and returns its code; fails on any other message.
    func expectClose(timeout: TimeAmount = .seconds(5)) async throws -> UInt16? {
        do {
            let message = try await next(timeout: timeout)
            throw UnexpectedMessage(expected: "close", got: message)
        } catch PusherSocketError.closed(let code, _) {
            return code
        }
    }

    /// Asserts nothing arrives within `window`.
    func expectSilence(for window: TimeAmount = .milliseconds(300)) async throws {
        do {
            let message = try await next(timeout: window)
            throw UnexpectedMessage(expected: "silence", got: message)
        } catch WebSocketSessionError.timedOut {
            return
        }
    }
}

struct UnexpectedMessage: Error, CustomStringConvertible {
    var expected: String
    var got: PusherMessage
    var description: String { "expected \(expected), got \(got.jsonText)" }
}
