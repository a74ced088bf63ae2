import ChorusCore
import ChorusProtocol
import Logging
import NIOCore
import NIOWebSocket
import Prometheus

/// One client's Pusher session over an upgraded WebSocket.
///
/// The handler owns the channel and nothing else: it feeds frames, timers and the outcomes of
/// registry calls to ``PusherSessionStateMachine`` and carries out the actions it returns.
/// Every text frame to the client goes through the connection's shard slot, so replies and
/// broadcasts reach the client in the order they were produced and obey one outbound limit.
final class PusherConnectionHandler: ChannelInboundHandler, ActivityDeadlineOwner {
    typealias InboundIn = WebSocketFrame

    let server: ServerContext
    let outlet: BroadcastOutlet
    /// Whether the connection negotiated `permessage-deflate`: its shard writes it compressed frames.
    let compresses: Bool
    var machine: PusherSessionStateMachine
    var shardIndex = 0
    var shard: BroadcastShard?
    var slot: UInt32 = 0
    var context: ChannelHandlerContext?

    init(server: ServerContext, request: ConnectionRequest, outlet: BroadcastOutlet, compresses: Bool = false) {
        self.server = server
        self.outlet = outlet
        self.compresses = compresses
        self.machine = PusherSessionStateMachine(
            socketID: SocketIDGenerator.next(),
            request: request,
            app: server.apps.served(key: request.appKey),
            activityTimeoutSeconds: server.configuration.activityTimeoutSeconds,
            pongTimeoutSeconds: server.configuration.pongTimeoutSeconds,
            now: .now()
        )
        if let app = machine.app {
            if app.enabled, let origin = request.origin, !app.allowsOrigin(origin) {
                server.logger.info(
                    "connection refused: origin not allowed",
                    metadata: ["app_id": .string(app.id), "origin": .string(origin)]
                )
            }
        } else {
            server.logger.info("connection refused: unknown app key", metadata: ["app_key": .string(request.appKey)])
        }
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { execute(machine.connectionActive()) }
    }

    func channelActive(context: ChannelHandlerContext) {
        execute(machine.connectionActive())
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        execute(machine.connectionClosed())
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        execute(machine.connectionClosed())
        self.context = nil
    }

    /// Closed by the server: the HTTP API's `terminate_connections`, or shutdown.
    func close(for reason: ServerCloseReason) {
        execute(machine.closeRequested(reason))
    }

    /// The activity deadline passed (``ActivityTimerWheel``).
    func activityCheckDue() {
        execute(machine.activityCheckDue(now: .now()))
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let now = NIODeadline.now()
        switch frame.opcode {
        case .text:
            server.metrics.messagesReceived.increment()
            server.metrics.bytesReceived.increment(by: Int64(frame.length))
            execute(machine.textReceived(frame.unmaskedData.readableBytesView, now: now))
        case .binary:
            execute(machine.binaryReceived(now: now))
        case .ping:
            execute(machine.pingReceived(payload: frame.unmaskedData, now: now))
        case .pong:
            machine.pongReceived(now: now)
        case .connectionClose:
            execute(machine.closeReceived(payload: frame.unmaskedData, now: now))
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let violation = error as? WebSocketViolation {
            log(.info, "closing on WebSocket protocol error", ["error": .string(violation.reason)])
            execute(machine.protocolViolation(violation))
            return
        }
        log(.debug, "connection error", ["error": "\(error)"])
        context.close(promise: nil)
    }

    // MARK: Logging

    /// Logs with the socket id, without keeping a per-connection metadata dictionary.
    func log(_ level: Logger.Level, _ message: @autoclosure () -> Logger.Message, _ metadata: Logger.Metadata = [:]) {
        guard server.logger.logLevel <= level else { return }
        var metadata = metadata
        metadata["socket_id"] = .string(machine.socketID)
        server.logger.log(level: level, message(), metadata: metadata)
    }
}

@available(*, unavailable)
extension PusherConnectionHandler: Sendable {}
