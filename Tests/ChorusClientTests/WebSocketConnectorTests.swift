import ChorusClient
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@Suite("Connecting to servers that are not there or say no")
struct WebSocketConnectorTests {
    /// A port nothing listens on: bound, then closed.
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    @Test("an unreachable server fails at once with an error, not a hang")
    func unreachable() async throws {
        let connector = WebSocketConnector(host: "127.0.0.1", port: try await Self.closedPort(), timeout: .seconds(2))
        let started = ContinuousClock.now
        await #expect(throws: (any Error).self) {
            _ = try await PusherSocket.connect(
                connector: connector,
                key: "k",
                on: MultiThreadedEventLoopGroup.singleton
            )
        }
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test("an HTTP answer other than 101 is reported with its status")
    func upgradeRefused() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(NotFoundResponder())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let connector = WebSocketConnector(host: "127.0.0.1", port: try #require(server.localAddress?.port))
        await #expect(throws: WebSocketConnectError.upgradeRefused(status: 404)) {
            _ = try await WebSocketSession.open(
                connector: connector,
                path: "/app/k",
                on: MultiThreadedEventLoopGroup.singleton
            )
        }
        try await server.close()
    }

    @Test("the HTTP client reports an unreachable server as an error")
    func httpUnreachable() async throws {
        let client = PusherHTTPClient(
            host: "127.0.0.1",
            port: try await Self.closedPort(),
            key: "k",
            secret: "s",
            timeout: .seconds(2)
        )
        await #expect(throws: (any Error).self) {
            _ = try await client.trigger(appID: "1", name: "e", channels: ["c"], data: "d")
        }
        await client.shutdown()
    }
}

/// Answers every request with 404, as a server without a WebSocket endpoint would.
private final class NotFoundResponder: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .notFound, headers: headers))),
            promise: nil
        )
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
