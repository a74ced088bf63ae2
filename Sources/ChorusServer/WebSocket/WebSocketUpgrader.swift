import Crypto
import Foundation
package import NIOCore
package import NIOHTTP1
import NIOWebSocket

/// The WebSocket handshake of RFC 6455 §4.2 as an HTTP upgrade: checks `Sec-WebSocket-Key` and
/// version 13, asks `shouldUpgrade` (which may refuse, or add response headers), answers with
/// `Sec-WebSocket-Accept`, then lets `upgradePipelineHandler` build the connection's pipeline.
///
/// Unlike NIO's upgrader it adds no handlers of its own: Chorus reads frames with
/// ``WebSocketFrameReader`` and writes pre-encoded frames, so NIO's frame decoder and encoder
/// would only hold memory for every connection. Failures are NIO's upgrade errors, so the HTTP
/// side answers them as before.
package final class WebSocketUpgrader: HTTPServerProtocolUpgrader, Sendable {
    package let supportedProtocol = "websocket"
    package let requiredUpgradeHeaders: [String] = []

    private let shouldUpgrade: @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?>
    private let upgradePipelineHandler: @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<Void>

    package init(
        shouldUpgrade: @escaping @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<HTTPHeaders?>,
        upgradePipelineHandler: @escaping @Sendable (any Channel, HTTPRequestHead) -> EventLoopFuture<Void>
    ) {
        self.shouldUpgrade = shouldUpgrade
        self.upgradePipelineHandler = upgradePipelineHandler
    }

    package func buildUpgradeResponse(
        channel: any Channel,
        upgradeRequest: HTTPRequestHead,
        initialResponseHeaders: HTTPHeaders
    ) -> EventLoopFuture<HTTPHeaders> {
        let keys = upgradeRequest.headers[canonicalForm: "Sec-WebSocket-Key"]
        let versions = upgradeRequest.headers[canonicalForm: "Sec-WebSocket-Version"]
        guard keys.count == 1, versions.count == 1, versions[0] == "13" else {
            return channel.eventLoop.makeFailedFuture(NIOWebSocketUpgradeError.invalidUpgradeHeader)
        }
        let accept = Self.acceptValue(forKey: String(keys[0]))
        return shouldUpgrade(channel, upgradeRequest).flatMapThrowing { extraHeaders in
            guard var headers = extraHeaders else { throw NIOWebSocketUpgradeError.unsupportedWebSocketTarget }
            headers.replaceOrAdd(name: "Upgrade", value: "websocket")
            headers.add(name: "Sec-WebSocket-Accept", value: accept)
            headers.replaceOrAdd(name: "Connection", value: "upgrade")
            return headers
        }
    }

    package func upgrade(context: ChannelHandlerContext, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<Void> {
        upgradePipelineHandler(context.channel, upgradeRequest)
    }

    /// `Sec-WebSocket-Accept` for a client's key: base64 of the SHA-1 of the key and the RFC's GUID.
    static func acceptValue(forKey key: String) -> String {
        let digest = Insecure.SHA1.hash(data: Data((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8))
        return Data(digest).base64EncodedString()
    }
}
