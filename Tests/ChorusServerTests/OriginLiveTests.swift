import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOPosix
import Testing

@Suite("allowed_origins over real sockets")
struct OriginLiveTests {
    private static func open(_ server: TestServer, origin: String?) async throws -> WebSocketSession {
        var connector = server.connector
        connector.origin = origin
        return try await WebSocketSession.open(
            connector: connector,
            path: WebSocketConnector.pusherPath(key: server.app.key),
            on: MultiThreadedEventLoopGroup.singleton
        )
    }

    /// The next message, which must be a Pusher message in a text frame.
    private static func message(_ session: WebSocketSession) async throws -> PusherMessage {
        let inbound = try await session.next(timeout: .seconds(5))
        guard case .text(let text) = inbound else { throw UnexpectedFrame(inbound: inbound) }
        return try PusherMessage(parsing: Array(text.utf8))
    }

    private struct UnexpectedFrame: Error {
        var inbound: WebSocketInbound
    }

    @Test("an Origin not listed gets pusher:error 4009 and close 4009; listed and absent origins connect")
    func refusal() async throws {
        try await TestServer.with({ $0.apps[0].allowedOrigins = ["https://*.example.com", "http://localhost:3000"] }) {
            server in
            let refused = try await Self.open(server, origin: "https://evil.test")
            let message = try await Self.message(refused)
            #expect(message.event == "pusher:error")
            #expect(message.dataObject?["code"]?.intValue == 4009)
            #expect(
                try await refused.next(timeout: .seconds(5)) == .close(code: 4009, reason: "Connection is unauthorized")
            )
            for origin in ["https://app.example.com", "http://localhost:3000", nil] {
                let session = try await Self.open(server, origin: origin)
                let first = try await Self.message(session)
                #expect(first.event == "pusher:connection_established", "\(origin ?? "none")")
                await session.close()
            }
            // The bare domain is not a subdomain of itself.
            let bare = try await Self.open(server, origin: "https://example.com")
            _ = try await bare.next(timeout: .seconds(5))
            #expect(
                try await bare.next(timeout: .seconds(5)) == .close(code: 4009, reason: "Connection is unauthorized")
            )
        }
    }
}
