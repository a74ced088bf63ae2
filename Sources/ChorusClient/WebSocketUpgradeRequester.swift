import NIOCore
import NIOHTTP1

/// Sends the upgrade request once connected and turns every way the upgrade can fail into an error
/// on `upgraded`; removed from the pipeline when the upgrade succeeds.
final class WebSocketUpgradeRequester: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// The handler's name in the pipeline, by which the upgrade removes it.
    static let name = "chorus.websocket-upgrade-requester"

    private let host: String
    private let port: Int
    private let path: String
    /// The `Sec-WebSocket-Extensions` offer, if any.
    private let extensionOffer: String?
    private let origin: String?
    private let upgraded: EventLoopPromise<any Channel>

    init(
        host: String,
        port: Int,
        path: String,
        extensionOffer: String?,
        origin: String?,
        upgraded: EventLoopPromise<any Channel>
    ) {
        self.host = host
        self.port = port
        self.path = path
        self.extensionOffer = extensionOffer
        self.origin = origin
        self.upgraded = upgraded
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(host):\(port)")
        headers.add(name: "Content-Length", value: "0")
        if let extensionOffer { headers.add(name: "Sec-WebSocket-Extensions", value: extensionOffer) }
        if let origin { headers.add(name: "Origin", value: origin) }
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Only a refused upgrade reaches here: the upgrade handler consumes a 101.
        if case .head(let head) = unwrapInboundIn(data) {
            upgraded.fail(WebSocketConnectError.upgradeRefused(status: Int(head.status.code)))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOHTTPClientUpgradeError {
            upgraded.fail(WebSocketConnectError.invalidUpgradeResponse)
        } else {
            upgraded.fail(error)
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        upgraded.fail(WebSocketConnectError.closedBeforeUpgrade)
        context.fireChannelInactive()
    }
}

@available(*, unavailable)
extension WebSocketUpgradeRequester: Sendable {}
