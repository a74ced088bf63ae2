import ChorusClient
import ChorusProtocol
import ChorusServer
import ChorusTesting
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Testing

/// TLS end to end on loopback: ChorusClient over wss:// and https:// against a live server with
/// the test chain, a client trusting another CA refused at the handshake, and start-up refused for
/// a missing file.
@Suite("TLS, live")
struct TLSLiveTests {
    private static func withTLSServer(_ body: (TestServer) async throws -> Void) async throws {
        try await TestServer.with { configuration in
            configuration.tls = TLSSettings(
                certFile: TLSTestCertificates.path("server.pem"),
                keyFile: TLSTestCertificates.path("server.key")
            )
        } _: { server in
            try await body(server)
        }
    }

    @Test("a wss:// subscriber gets an event published over https://")
    func wssDelivery() async throws {
        try await Self.withTLSServer { server in
            let tls = try ClientTLS(caFile: TLSTestCertificates.path("ca.pem"))
            var connector = server.connector
            connector.tls = tls
            let socket = try await PusherSocket.connect(
                connector: connector,
                key: server.app.key,
                on: MultiThreadedEventLoopGroup.singleton
            )
            try await socket.subscribe(channel: "news")
            try await socket.expect("pusher_internal:subscription_succeeded")
            let http = PusherHTTPClient(
                host: "127.0.0.1",
                port: server.port,
                key: server.app.key,
                secret: server.app.secret,
                tls: tls
            )
            let response = try await http.trigger(appID: server.app.id, name: "story", channels: ["news"], data: "tls")
            #expect(response.status == .ok)
            let event = try await socket.expect("story", channel: "news")
            #expect(event.data?.stringValue == "tls")
            await socket.close()
            await http.shutdown()
        }
    }

    @Test("a client trusting another CA fails the handshake")
    func wrongCA() async throws {
        try await Self.withTLSServer { server in
            var connector = server.connector
            connector.tls = try ClientTLS(caFile: TLSTestCertificates.path("other-ca.pem"))
            await #expect(throws: NIOSSLError.self) {
                try await connector.connect(
                    path: WebSocketConnector.pusherPath(key: server.app.key),
                    on: MultiThreadedEventLoopGroup.singleton
                ) { channel in
                    channel.eventLoop.makeSucceededVoidFuture()
                }.get()
            }
        }
    }

    @Test("a missing certificate file stops start-up with the file named")
    func missingFile() async throws {
        let missing = TLSTestCertificates.path("missing.pem")
        await #expect {
            try await TestServer.with { configuration in
                configuration.tls = TLSSettings(certFile: missing, keyFile: TLSTestCertificates.path("server.key"))
            } _: { _ in
            }
        } throws: { error in
            (error as? ConfigurationError)?.problems == ["tls.cert_file \(missing): no such file"]
        }
    }
}
