import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix
import NIOSSL

/// A listening socket on 127.0.0.1 that hands every complete request to a fake: plain HTTP/1.1,
/// or HTTP/2 over TLS (ALPN `h2`) with the test CA's server certificate.
final class FakeHTTPServer: Sendable {
    /// The port bound (the system chose it).
    let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    private init(port: Int, group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.port = port
        self.group = group
        self.channel = channel
    }

    /// Binds 127.0.0.1 on `port` (0: any free port); `tls` serves HTTP/2 over TLS, else HTTP/1.1.
    static func start(
        port: Int = 0,
        tls: NIOSSLContext?,
        respond: @escaping @Sendable (FakeHTTPRequest) -> FakeHTTPResponse?
    ) async throws -> FakeHTTPServer {
        // Its own loops, so `shutdown()` also ends the connections a hanging request keeps open.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try configureHTTP2(channel, tls: tls, respond: respond)
                    } else {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                        try channel.pipeline.syncOperations.addHandler(FakeHTTPHandler(respond: respond))
                    }
                }
            }
        do {
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
            guard let port = channel.localAddress?.port else { throw ChannelError.unknownLocalAddress }
            return FakeHTTPServer(port: port, group: group, channel: channel)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private static func configureHTTP2(
        _ channel: any Channel,
        tls: NIOSSLContext,
        respond: @escaping @Sendable (FakeHTTPRequest) -> FakeHTTPResponse?
    ) throws {
        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
        var connection = NIOHTTP2Handler.ConnectionConfiguration()
        // APNs allows about a thousand concurrent streams per connection.
        connection.initialSettings = nioDefaultSettings.map {
            $0.parameter == .maxConcurrentStreams ? HTTP2Setting(parameter: .maxConcurrentStreams, value: 1000) : $0
        }
        _ = try channel.pipeline.syncOperations.configureHTTP2Pipeline(
            mode: .server,
            connectionConfiguration: connection,
            streamConfiguration: .init()
        ) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandlers([
                    HTTP2FramePayloadToHTTP1ServerCodec(), FakeHTTPHandler(respond: respond),
                ])
            }
        }
    }

    /// A TLS context serving the test CA's server certificate with ALPN `h2` only.
    static func http2TLSContext() throws -> NIOSSLContext {
        let certificate = try NIOSSLCertificate(
            bytes: Array(TestCertificateAuthority.serverCertificatePEM.utf8),
            format: .pem
        )
        let key = try NIOSSLPrivateKey(bytes: Array(TestCertificateAuthority.serverKeyPEM.utf8), format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(certificate)],
            privateKey: .privateKey(key)
        )
        configuration.applicationProtocols = ["h2"]
        return try NIOSSLContext(configuration: configuration)
    }

    /// Closes the socket and every connection, hanging requests included.
    func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}
