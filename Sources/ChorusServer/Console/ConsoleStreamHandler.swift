import ChorusProtocol
import NIOCore
import NIOHTTP1

/// Serves an admitted `GET /console/apps/{id}/stream` as Server-Sent Events, ahead of
/// ``HTTPServerHandler`` on the metrics listener; passes every other request on.
///
/// Every ``interval`` it reads what the app's ``ConsoleFeed`` recorded since its cursor and sends
/// it as one `log` event (`{"entries":[…],"not_shown":N}`); every second a `state` event
/// (``ConsoleSnapshot``). Nothing is queued per viewer: a viewer that does not read (the connection
/// is not writable) skips ticks, and what the feed's bound pushes out meanwhile is counted in
/// `not_shown`. The stream runs until the viewer closes it.
final class ConsoleStreamHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// How often the stream sends what was recorded.
    static let interval = TimeAmount.milliseconds(250)
    /// A `state` event every this many ticks (one second).
    static let ticksPerSnapshot = 4

    private enum State {
        case passing
        case opening(appID: String, version: HTTPVersion)
        case streaming(appID: String, cursor: ConsoleFeed.Cursor)
    }

    private let server: ServerContext
    private let access: ConsoleAccess
    private var state = State.passing
    private var ticker: RepeatedTask?
    private var ticks = 0

    init(server: ServerContext, access: ConsoleAccess) {
        self.server = server
        self.access = access
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), .passing):
            guard let appID = admittedStream(head) else { return context.fireChannelRead(data) }
            state = .opening(appID: appID, version: head.version)
            report(.headReceived, context: context)
        case (.end, .opening(let appID, let version)):
            report(.requestReceived, context: context)
            start(appID: appID, version: version, context: context)
        case (_, .opening), (_, .streaming):
            break
        case (_, .passing):
            context.fireChannelRead(data)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        stop()
    }

    /// The app of a stream request the console admits; `nil` for any other request.
    private func admittedStream(_ head: HTTPRequestHead) -> String? {
        guard head.method == .GET,
            case .stream(let appID)? = ConsoleRoute(path: HTTPRequest(head: head, body: ByteBuffer()).path),
            server.apps.app(id: appID) != nil, access.admitsStream(head.headers)
        else { return nil }
        return appID
    }

    private func start(appID: String, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream")
        headers.add(name: "Cache-Control", value: "no-store")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: headers))),
            promise: nil
        )
        state = .streaming(appID: appID, cursor: server.console.attach(appID: appID))
        send("state", ConsoleSnapshot(appID: appID, server: server).json, context: context)
        context.flush()
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = context.loopBound
        ticker = context.eventLoop.scheduleRepeatedTask(initialDelay: Self.interval, delay: Self.interval) { _ in
            handler.value.tick(context: boundContext.value)
        }
    }

    private func tick(context: ChannelHandlerContext) {
        guard case .streaming(let appID, let cursor) = state, context.channel.isWritable else { return }
        ticks += 1
        let reading = server.console.read(appID: appID, after: cursor)
        state = .streaming(appID: appID, cursor: reading.next)
        if !reading.entries.isEmpty || reading.notShown > 0 {
            let log: JSONValue = [
                "entries": .array(reading.entries.map(\.json)), "not_shown": .integer(Int64(reading.notShown)),
            ]
            send("log", log, context: context)
        }
        if ticks % Self.ticksPerSnapshot == 0 {
            send("state", ConsoleSnapshot(appID: appID, server: server).json, context: context)
        }
        context.flush()
    }

    /// Writes one Server-Sent Event (compact JSON holds no line break).
    private func send(_ event: String, _ value: JSONValue, context: ChannelHandlerContext) {
        let text = "event: \(event)\ndata: \(value.jsonText)\n\n"
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: text)))), promise: nil)
    }

    /// Stops the ticks and lets the feed go, once.
    private func stop() {
        ticker?.cancel()
        ticker = nil
        if case .streaming(let appID, _) = state { server.console.detach(appID: appID) }
        state = .passing
    }

    /// Tells ``HTTPTimeoutHandler`` how far the request has come: once it is whole, no timeout
    /// runs, so the stream stays open.
    private func report(_ progress: HTTPTimeoutHandler.Progress, context: ChannelHandlerContext) {
        context.triggerUserOutboundEvent(progress, promise: nil)
    }
}

@available(*, unavailable)
extension ConsoleStreamHandler: Sendable {}
