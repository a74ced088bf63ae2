import ChorusProtocol
import ChorusTesting
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A real HTTP server on 127.0.0.1 that records every webhook request it gets and answers as the
/// test tells it: with a status, or never (a hung receiver).
final class WebhookReceiver: Sendable {
    /// One request as received.
    struct Request: Sendable {
        var headers: HTTPHeaders
        var body: [UInt8]

        /// The parsed body `{"time_ms":…,"events":[…]}`.
        var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
        var events: [JSONValue] { json["events"]?.arrayValue ?? [] }
        var eventNames: [String] { events.compactMap { $0["name"]?.stringValue } }
    }

    /// How the receiver answers one request.
    enum Answer: Sendable {
        case status(HTTPResponseStatus)
        case hang
    }

    private struct State {
        var requests: [Request] = []
        /// Answers for the next requests, in order; afterwards `fallback`.
        var script: [Answer] = []
        var fallback: Answer = .status(.ok)
    }

    private let state = Mutex(State())
    private let channel: any Channel
    let port: Int

    private init(channel: any Channel) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
    }

    var url: String { "http://127.0.0.1:\(port)/webhooks" }

    /// Starts a receiver on a free port; answers `fallback` unless scripted otherwise.
    static func start(fallback: Answer = .status(.ok)) async throws -> WebhookReceiver {
        let box = Mutex<WebhookReceiver?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        RecordingHandler { request in
                            box.withLock { $0 }?.record(request) ?? .status(.serviceUnavailable)
                        }
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let receiver = WebhookReceiver(channel: channel)
        receiver.state.withLock { $0.fallback = fallback }
        box.withLock { $0 = receiver }
        return receiver
    }

    /// Answers the next requests with `answers`, in order.
    func script(_ answers: [Answer]) {
        state.withLock { $0.script = answers }
    }

    func setFallback(_ answer: Answer) {
        state.withLock { $0.fallback = answer }
    }

    var requests: [Request] { state.withLock { $0.requests } }

    /// Every event received so far, in order.
    var events: [JSONValue] { requests.flatMap(\.events) }

    /// Waits until at least `count` requests have arrived; returns them all.
    @discardableResult
    func waitForRequests(_ count: Int, timeout: Duration = .seconds(5)) async throws -> [Request] {
        try await eventually("\(count) webhook requests, got \(requests.count)", timeout: timeout) {
            requests.count >= count
        }
        return requests
    }

    /// Waits until at least `count` events have arrived; returns them all.
    @discardableResult
    func waitForEvents(_ count: Int, timeout: Duration = .seconds(5)) async throws -> [JSONValue] {
        try await eventually("\(count) webhook events, got \(events.count)", timeout: timeout) {
            events.count >= count
        }
        return events
    }

    func stop() async {
        try? await channel.close()
    }

    private func record(_ request: Request) -> Answer {
        state.withLock { state in
            state.requests.append(request)
            return state.script.isEmpty ? state.fallback : state.script.removeFirst()
        }
    }
}

/// Collects one request's head and body, then answers as the receiver decides.
private final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let onRequest: @Sendable (WebhookReceiver.Request) -> WebhookReceiver.Answer
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(onRequest: @escaping @Sendable (WebhookReceiver.Request) -> WebhookReceiver.Answer) {
        self.onRequest = onRequest
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            switch onRequest(WebhookReceiver.Request(headers: head.headers, body: body)) {
            case .hang:
                break
            case .status(let status):
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: "0")
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))),
                    promise: nil
                )
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}

@available(*, unavailable)
extension RecordingHandler: Sendable {}
