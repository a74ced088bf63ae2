package import NIOCore
package import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// Opens WebSocket connections to one server: TCP connect, HTTP/1.1 upgrade, then the caller's handlers.
///
/// The connector adds nothing per message: after the upgrade the pipeline holds NIO's frame
/// encoder and decoder, its protocol error handler, and whatever `configure` installs.
package struct WebSocketConnector: Sendable {
    package let host: String
    package let port: Int
    /// How long the TCP connect and the upgrade together may take.
    package var timeout: TimeAmount
    /// The largest frame accepted from the server (and the largest message a compressed frame
    /// may inflate to).
    package var maxFrameSize: Int
    /// The `Sec-WebSocket-Extensions` header of the upgrade request, if any (``deflateOffer``: as
    /// browsers offer compression). When the server accepts `permessage-deflate`, its compressed
    /// frames are inflated before the caller's handlers see them.
    package var extensionOffer: String?
    /// The `Origin` header of the upgrade request, as a browser on that origin sends it; none when `nil`.
    package var origin: String?
    private let inflaters = LoopInflaters()
    /// `wss://`: the connection speaks TLS with these trust roots; `nil` (the default): `ws://`.
    package var tls: ClientTLS?
    /// The local address the socket binds to before connecting (port 0: any free one), so a load
    /// generator can spread its connections over several loopback source addresses, each with its
    /// own ephemeral ports; `nil` (the default): the system chooses.
    package var localAddress: SocketAddress?

    package init(
        host: String,
        port: Int,
        timeout: TimeAmount = .seconds(10),
        maxFrameSize: Int = 1 << 20,
        extensionOffer: String? = nil
    ) {
        self.host = host
        self.port = port
        self.timeout = timeout
        self.maxFrameSize = maxFrameSize
        self.extensionOffer = extensionOffer
    }

    /// The `permessage-deflate` offer browsers send.
    package static let deflateOffer = "permessage-deflate; client_max_window_bits"

    /// The Pusher WebSocket path of an app key, e.g. `/app/key?protocol=7&client=chorus&version=1.0`.
    package static func pusherPath(key: String, protocolVersion: Int = 7) -> String {
        "/app/\(key)?protocol=\(protocolVersion)&client=chorus&version=1.0"
    }

    /// Connects and upgrades `path`; `configure` installs the handlers that read and write
    /// `WebSocketFrame`s, and the returned channel is ready once it has.
    ///
    /// Fails with ``WebSocketConnectError`` when the upgrade is refused or does not finish in time,
    /// and with NIO's connect error when nothing listens.
    package func connect(
        path: String,
        on group: any EventLoopGroup,
        configure: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) -> EventLoopFuture<any Channel> {
        connect(path: path, on: group) { channel, _ in configure(channel) }
    }

    /// ``connect(path:on:configure:)`` whose `configure` also sees the server's 101 response (its
    /// `Sec-WebSocket-Extensions`, say).
    package func connect(
        path: String,
        on group: any EventLoopGroup,
        configure: @escaping @Sendable (any Channel, HTTPResponseHead) -> EventLoopFuture<Void>
    ) -> EventLoopFuture<any Channel> {
        let loop = group.next()
        let upgraded = loop.makePromise(of: (any Channel).self)
        let host = self.host
        let port = self.port
        let maxFrameSize = self.maxFrameSize
        let offer = extensionOffer
        let origin = self.origin
        let inflaters = self.inflaters
        let tls = self.tls
        var bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(timeout)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: maxFrameSize) { channel, response in
                    channel.pipeline.removeHandler(name: WebSocketUpgradeRequester.name)
                        .flatMapThrowing {
                            let accepted = response.headers["Sec-WebSocket-Extensions"]
                            guard offer != nil, accepted.contains(where: { $0.contains("permessage-deflate") }) else {
                                return
                            }
                            let inflater = WebSocketFrameInflater(
                                inflater: try inflaters.inflater(for: channel.eventLoop),
                                maxMessageBytes: maxFrameSize
                            )
                            try channel.pipeline.syncOperations.addHandler(inflater)
                        }
                        .flatMap { configure(channel, response) }
                        .map { upgraded.succeed(channel) }
                }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(tls.handler(host: host)) }
                    let requester = WebSocketUpgradeRequester(
                        host: host,
                        port: port,
                        path: path,
                        extensionOffer: offer,
                        origin: origin,
                        upgraded: upgraded
                    )
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes,
                        withClientUpgrade: (upgraders: [upgrader], completionHandler: { _ in })
                    )
                    try channel.pipeline.syncOperations.addHandler(requester, name: WebSocketUpgradeRequester.name)
                }
            }
        if let localAddress { bootstrap = bootstrap.bind(to: localAddress) }
        let deadline = loop.scheduleTask(in: timeout) {
            upgraded.fail(WebSocketConnectError.timedOut)
        }
        bootstrap.connect(host: host, port: port).whenComplete { result in
            switch result {
            case .failure(let error):
                upgraded.fail(error)
            case .success(let channel):
                upgraded.futureResult.whenFailure { _ in channel.close(promise: nil) }
            }
        }
        upgraded.futureResult.whenComplete { _ in deadline.cancel() }
        return upgraded.futureResult
    }
}

/// Why a WebSocket connection could not be set up.
package enum WebSocketConnectError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The server answered the upgrade request with this HTTP status instead of 101.
    case upgradeRefused(status: Int)
    /// The server answered 101 with a wrong `Sec-WebSocket-Accept`, or the HTTP exchange was malformed.
    case invalidUpgradeResponse
    /// The server closed the connection before answering.
    case closedBeforeUpgrade
    /// Connect and upgrade took longer than the connector's timeout.
    case timedOut

    package var description: String {
        switch self {
        case .upgradeRefused(let status): "WebSocket upgrade refused with HTTP status \(status)"
        case .invalidUpgradeResponse: "Invalid WebSocket upgrade response"
        case .closedBeforeUpgrade: "Connection closed before the WebSocket upgrade completed"
        case .timedOut: "WebSocket connect timed out"
        }
    }
}
