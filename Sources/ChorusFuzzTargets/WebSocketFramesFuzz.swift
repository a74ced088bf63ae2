import ChorusDeflate
import ChorusProtocol
import ChorusServer
import NIOCore
import NIOEmbedded
import NIOWebSocket

/// Feeds bytes to the server's WebSocket stack on an embedded channel and checks that the session
/// never serves a message after it began closing. The first byte's lowest bit says whether
/// `permessage-deflate` was negotiated (the inflater joins the pipeline); the rest are the frames.
enum WebSocketFramesFuzz {
    static let maxMessageBytes = 4096

    static func run(_ input: [UInt8]) {
        guard let first = input.first else { return }
        let bytes = input.dropFirst()
        let probe = SessionProbe()
        let channel = EmbeddedChannel()
        do {
            let compression = first & 1 == 1
            try channel.pipeline.syncOperations.addHandler(
                WebSocketFrameReader(maxMessageBytes: maxMessageBytes, compressionNegotiated: compression)
            )
            if compression {
                let inflater = NIOLoopBoundBox.makeBoxSendingValue(try MessageInflater(), eventLoop: channel.eventLoop)
                try channel.pipeline.syncOperations.addHandler(
                    WebSocketMessageInflater(inflater: inflater, maxMessageBytes: maxMessageBytes)
                )
            }
            try channel.pipeline.syncOperations.addHandler(probe)
            // Split the input into a few writes, so partial frames cross read boundaries.
            var offset = bytes.startIndex
            var chunk = 1
            while offset < bytes.endIndex {
                let end = min(bytes.endIndex, offset + chunk)
                try channel.writeInbound(ByteBuffer(bytes: bytes[offset..<end]))
                offset = end
                chunk = chunk * 3 + 1
            }
        } catch {
            preconditionFailure("the pipeline let an error through: \(error)")
        }
        _ = try? channel.finish()
    }
}

/// The end of the pipeline: a session state machine fed every frame and error.
final class SessionProbe: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame

    private var machine = OpenSession.make()
    private var closing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let actions: [PusherSessionAction]
        switch frame.opcode {
        case .text: actions = machine.textReceived(frame.unmaskedData.readableBytesView, now: .now())
        case .binary: actions = machine.binaryReceived(now: .now())
        case .ping: actions = machine.pingReceived(payload: frame.unmaskedData, now: .now())
        case .connectionClose: actions = machine.closeReceived(payload: frame.unmaskedData, now: .now())
        default: actions = []
        }
        observe(actions)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let violation = error as? WebSocketViolation else {
            preconditionFailure("an error the server does not map to a close code: \(error)")
        }
        observe(machine.protocolViolation(violation))
    }

    private func observe(_ actions: [PusherSessionAction]) {
        for action in actions {
            switch action {
            case .close, .closeForProtocolError, .answerClose, .refuse:
                closing = true
            case .finishClose:
                precondition(closing, "finished a close that was never started")
            default:
                precondition(!closing, "served \(action) after the session began closing")
            }
        }
    }
}

/// A session of the default app past its handshake.
enum OpenSession {
    static let app = ServedApp(AppConfiguration(id: "1", key: "key", secret: "secret"))

    static func make() -> PusherSessionStateMachine {
        var machine = PusherSessionStateMachine(
            socketID: "1.1",
            request: ConnectionRequest(uri: "/app/key?protocol=7")!,
            app: app,
            activityTimeoutSeconds: 120,
            pongTimeoutSeconds: 30,
            now: .now()
        )
        _ = machine.connectionActive()
        _ = machine.registered(now: .now())
        return machine
    }
}
