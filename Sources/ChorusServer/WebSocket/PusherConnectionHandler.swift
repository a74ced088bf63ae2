import ChorusCore
import ChorusProtocol
import Logging
import NIOCore
import NIOWebSocket
import Prometheus

/// One client's Pusher session over an upgraded WebSocket: the handshake, pings, subscriptions,
/// presence, client events and sign-in.
///
/// Every text frame to the client goes through the connection's shard slot, so replies and
/// broadcasts reach the client in the order they were produced and obey one outbound limit.
final class PusherConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame

    let server: ServerContext
    private let request: ConnectionRequest
    private let outlet: BroadcastOutlet
    let app: AppConfiguration?
    let socketID = SocketIDGenerator.next()
    var logger: Logger

    var shardIndex = 0
    var shard: BroadcastShard?
    var slot: UInt32 = 0
    private var registered = false
    var closing = false
    private var context: ChannelHandlerContext?

    /// Presence channel → the user id this connection joined it as.
    var presenceUsers: [String: String] = [:]
    var signedInUser: String?
    /// Whether the client sent `pusher:enable_delta_compression`: new subscriptions take deltas.
    var deltaByDefault = false
    /// Channels on which this connection takes deltas.
    var deltaChannels: Set<String> = []
    var clientEvents: ClientEventRateLimiter
    private var activity: ActivityMonitor

    init(server: ServerContext, request: ConnectionRequest, outlet: BroadcastOutlet) {
        self.server = server
        self.request = request
        self.outlet = outlet
        self.app = server.apps.app(key: request.appKey)
        self.logger = server.logger
        self.clientEvents = ClientEventRateLimiter(limitPerSecond: app?.maxClientEventsPerSecond ?? 10)
        self.activity = ActivityMonitor(
            activityTimeout: .seconds(Int64(server.configuration.activityTimeoutSeconds)),
            pongTimeout: .seconds(Int64(server.configuration.pongTimeoutSeconds))
        )
        logger[metadataKey: "socket_id"] = .string(socketID)
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard !registered, !closing else { return }
        if let rejection = request.rejection {
            return refuse(rejection, context: context)
        }
        guard let app else {
            logger.info("connection refused: unknown app key", metadata: ["app_key": .string(request.appKey)])
            return refuse(.appDoesNotExist, context: context)
        }
        guard app.enabled else { return refuse(.appDisabled, context: context) }
        guard let index = server.broadcaster.shardIndex(for: context.eventLoop) else {
            preconditionFailure("connection on an event loop without a broadcast shard")
        }
        let shard = server.broadcaster.shards[index].value
        let address = SubscriberAddress(shard: index, slot: shard.register(outlet))
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let entry = ConnectionRegistry.Entry(appID: app.id, address: address, userID: nil) { reason in
            loopBoundSelf.eventLoop.execute { loopBoundSelf.value.close(for: reason) }
        }
        guard server.connections.add(socketID: socketID, entry: entry, limit: app.maxConnections) else {
            shard.unregister(address.slot)
            logger.info("connection refused: app over its connection quota", metadata: ["app_id": .string(app.id)])
            return refuse(.overConnectionQuota, context: context)
        }
        self.shard = shard
        self.shardIndex = index
        self.slot = address.slot
        self.registered = true
        outlet.onWritable = { [weak self] in
            guard let self, let shard = self.shard else { return }
            shard.resume(self.slot)
        }
        server.metrics.connections.increment()
        server.metrics.connectionsTotal.increment()
        logger.debug("connection established", metadata: ["app_id": .string(app.id)])
        send(.connectionEstablished(socketID: socketID, activityTimeout: server.configuration.activityTimeoutSeconds))
        scheduleActivityCheck(context: context, after: activity.activityTimeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        tearDown()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        tearDown()
    }

    private func tearDown() {
        guard registered, let shard, let app else { return }
        registered = false
        activity.cancel()
        for key in shard.channels(of: slot) {
            shard.unsubscribe(slot, from: key)
            leave(key, app: app)
        }
        if let signedInUser { leaveWatchlists(signedInUser, app: app) }
        shard.unregister(slot)
        server.connections.remove(socketID: socketID)
        server.metrics.connections.decrement()
        logger.debug("connection closed")
    }

    private func refuse(_ code: PusherErrorCode, context: ChannelHandlerContext) {
        closing = true
        let error = PusherMessage.error(code.meaning, code: code)
        outlet.write(WebSocketFrameWriter.textFrame(error.jsonText))
        outlet.sendCloseFrame(code: code.rawValue, reason: code.meaning)
    }

    /// Closes the connection with `pusher:error` and a close frame carrying `code`.
    func close(with code: PusherErrorCode, message: String? = nil) {
        guard !closing else { return }
        closing = true
        send(.error(message ?? code.meaning, code: code))
        outlet.sendCloseFrame(code: code.rawValue, reason: message ?? code.meaning)
    }

    /// Closed by the server: the HTTP API's `terminate_connections`, or shutdown.
    private func close(for reason: ServerCloseReason) {
        switch reason {
        case .terminatedByApp:
            logger.info("connection terminated by the app")
            close(with: .unauthorized, message: "Connection terminated by the application")
        case .serverShutdown:
            close(with: .genericReconnect, message: "Server shutting down; reconnect")
        }
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        activity.recordActivity(now: .now())
        switch frame.opcode {
        case .text:
            server.metrics.messagesReceived.increment()
            server.metrics.bytesReceived.increment(by: Int64(frame.length))
            var payload = frame.unmaskedData
            let bytes = payload.readBytes(length: payload.readableBytes) ?? []
            guard registered, !closing else { return }
            handleText(bytes)
        case .binary:
            guard registered, !closing else { return }
            send(.error("Binary frames are not supported; send JSON text frames", code: nil))
        case .ping:
            outlet.writeControl(WebSocketFrameWriter.frame(.pong, payload: frame.unmaskedData.readableBytesView))
        case .pong:
            break
        case .connectionClose:
            if closing {
                outlet.finishClosing()
            } else {
                closing = true
                var data = frame.unmaskedData
                let code = data.readInteger(as: UInt16.self) ?? 1000
                outlet.sendCloseFrame(code: code, reason: "")
                outlet.finishClosing()
            }
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? NIOWebSocketError {
            logger.info("closing on WebSocket protocol error", metadata: ["error": "\(error)"])
            closing = true
            switch error {
            case .invalidFrameLength: outlet.sendCloseFrame(code: 1009, reason: "Message too big")
            default: outlet.sendCloseFrame(code: 1002, reason: "Protocol error")
            }
            return
        }
        logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    private func handleText(_ bytes: [UInt8]) {
        let message: PusherMessage
        do {
            message = try PusherMessage(parsing: bytes)
        } catch {
            send(.error("Invalid message: \(error)", code: nil))
            return
        }
        switch message.event {
        case PusherEventName.ping: send(.pong)
        case PusherEventName.pong: break
        case PusherEventName.subscribe: subscribe(message)
        case PusherEventName.unsubscribe: unsubscribe(message)
        case PusherEventName.signin: signIn(message)
        case PusherEventName.enableDeltaCompression: enableDeltaCompression()
        case PusherEventName.deltaSyncError: deltaSyncError(message)
        case let name where PusherEventName.isClientEvent(name): relayClientEvent(message)
        case let name where PusherEventName.isReserved(name):
            logger.debug("ignoring unsupported protocol event", metadata: ["event": .string(name)])
        default:
            send(
                .error(
                    "Unknown event '\(message.event)': clients may send pusher: events and client- events",
                    code: nil
                )
            )
        }
    }

    // MARK: Outbound

    /// Queues `message` for this client behind anything already queued, and writes it.
    func send(_ message: PusherMessage) {
        guard let shard else { return }
        shard.enqueue(WebSocketFrameWriter.textFrame(message.jsonText), toSlot: slot)
        shard.flush()
    }

    var address: SubscriberAddress { SubscriberAddress(shard: shardIndex, slot: slot) }

    // MARK: Activity

    private func scheduleActivityCheck(context: ChannelHandlerContext, after delay: TimeAmount) {
        let loopBoundSelf = NIOLoopBound(self, eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(in: delay) {
            loopBoundSelf.value.checkActivity()
        }
        activity.scheduled(task)
    }

    private func checkActivity() {
        guard registered, !closing, let context else { return }
        switch activity.check(now: .now()) {
        case .wait(let delay):
            scheduleActivityCheck(context: context, after: delay)
        case .sendPing(let delay):
            send(PusherMessage(event: PusherEventName.ping, data: [:]))
            scheduleActivityCheck(context: context, after: delay)
        case .closeForMissingPong:
            logger.info("closing: no pong within the pong timeout")
            close(with: .pongNotReceived)
        }
    }
}

@available(*, unavailable)
extension PusherConnectionHandler: Sendable {}
