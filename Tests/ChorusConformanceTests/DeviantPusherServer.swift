import ChorusProtocol
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// A deliberately small Pusher server (public channels, pings, signed triggers) whose deviations
/// from the protocol can be switched on, to prove the conformance suite notices them.
final class DeviantPusherServer: Sendable {
    struct Deviations: OptionSet, Sendable {
        let rawValue: Int
        /// Server→client `data` as a JSON object instead of a string.
        static let dataAsObject = Deviations(rawValue: 1)
        /// Accepts a request whose `body_md5` is not the MD5 of its body.
        static let skipsBodyMD5 = Deviations(rawValue: 2)
        /// Answers 200 where the payload limit makes 413 due.
        static let ignoresPayloadLimit = Deviations(rawValue: 4)
    }

    static let app = (id: "1", key: "fake-key", secret: "fake-secret")
    static let payloadLimitKB = 10

    let deviations: Deviations
    let subscribers = NIOLockedValueBox<[String: [any Channel]]>([:])
    private let channel: any Channel

    private init(deviations: Deviations, channel: any Channel) {
        self.deviations = deviations
        self.channel = channel
    }

    var port: Int { channel.localAddress!.port! }

    static func start(deviations: Deviations) async throws -> DeviantPusherServer {
        let box = NIOLockedValueBox<DeviantPusherServer?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let upgrader = NIOWebSocketServerUpgrader(
                    shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture([:]) },
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                FakeWebSocketHandler(server: box.withLockedValue { $0! })
                            )
                        }
                    }
                )
                return channel.eventLoop.makeCompletedFuture {
                    let http = FakeHTTPHandler(server: box.withLockedValue { $0! })
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (
                            upgraders: [upgrader],
                            completionHandler: { context in
                                context.pipeline.removeHandler(name: "fake-http", promise: nil)
                            }
                        )
                    )
                    try channel.pipeline.syncOperations.addHandler(http, name: "fake-http")
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let server = DeviantPusherServer(deviations: deviations, channel: channel)
        box.withLockedValue { $0 = server }
        return server
    }

    func shutdown() async throws {
        try await channel.close()
    }

    /// The text frame of an event as this server sends it (honestly or not).
    func frame(event: String, channel: String?, data: String) -> String {
        let value: JSONValue =
            deviations.contains(.dataAsObject) ? ((try? JSONValue(parsing: data)) ?? .string(data)) : .string(data)
        return PusherMessage(event: event, channel: channel, data: value).jsonText
    }

    static func send(_ text: String, to channel: any Channel) {
        var buffer = channel.allocator.buffer(capacity: text.utf8.count)
        buffer.writeString(text)
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, data: buffer), promise: nil)
    }
}

private final class FakeWebSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    let server: DeviantPusherServer

    init(server: DeviantPusherServer) {
        self.server = server
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let established = server.frame(
            event: PusherEventName.connectionEstablished,
            channel: nil,
            data: #"{"socket_id":"1.\#(Int.random(in: 1...99999))","activity_timeout":120}"#
        )
        DeviantPusherServer.send(established, to: context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        if frame.opcode == .connectionClose {
            context.close(promise: nil)
            return
        }
        guard frame.opcode == .text, let message = try? PusherMessage(parsing: Array(buffer: frame.unmaskedData)) else {
            return
        }
        switch message.event {
        case PusherEventName.ping:
            DeviantPusherServer.send(PusherMessage.pong.jsonText, to: context.channel)
        case PusherEventName.subscribe:
            guard let name = message.dataObject?["channel"]?.stringValue else { return }
            let channel = context.channel
            server.subscribers.withLockedValue { $0[name, default: []].append(channel) }
            DeviantPusherServer.send(
                server.frame(event: PusherEventName.subscriptionSucceeded, channel: name, data: "{}"),
                to: channel
            )
        default:
            break
        }
    }
}

private final class FakeHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let server: DeviantPusherServer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(server: DeviantPusherServer) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(let buffer):
            body.append(contentsOf: buffer.readableBytesView)
        case .end:
            guard let head else { return }
            let (status, text) = respond(to: head)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil
            )
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))),
                promise: nil
            )
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    private func respond(to head: HTTPRequestHead) -> (HTTPResponseStatus, String) {
        let parts = head.uri.split(separator: "?", maxSplits: 1)
        let path = String(parts[0])
        let query = parts.count > 1 ? QueryString.parse(parts[1]) : []
        let signer = RequestSigner(key: DeviantPusherServer.app.key, secret: DeviantPusherServer.app.secret)
        guard let signature = query.first(where: { $0.0 == "auth_signature" })?.1,
            signer.isValid(signature, method: head.method.rawValue, path: path, query: query)
        else {
            return (.unauthorized, #"{"error":"Invalid signature"}"#)
        }
        if !server.deviations.contains(.skipsBodyMD5), !body.isEmpty,
            query.first(where: { $0.0 == "body_md5" })?.1 != Hex.md5(body)
        {
            return (.unauthorized, #"{"error":"body_md5 does not match"}"#)
        }
        guard head.method == .POST, path == "/apps/\(DeviantPusherServer.app.id)/events",
            let event = try? JSONValue(parsing: body), let name = event["name"]?.stringValue,
            let channel = event["channel"]?.stringValue, let data = event["data"]
        else {
            return (.notFound, #"{"error":"Not found"}"#)
        }
        let dataText = data.stringValue ?? data.jsonText
        if !server.deviations.contains(.ignoresPayloadLimit),
            dataText.utf8.count > DeviantPusherServer.payloadLimitKB * 1024
        {
            return (.payloadTooLarge, #"{"error":"Payload too large"}"#)
        }
        let frame = server.frame(event: name, channel: channel, data: dataText)
        for subscriber in server.subscribers.withLockedValue({ $0[channel] ?? [] }) {
            DeviantPusherServer.send(frame, to: subscriber)
        }
        return (.ok, "{}")
    }
}
