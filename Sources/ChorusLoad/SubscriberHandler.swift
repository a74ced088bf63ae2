import ChorusProtocol
import NIOCore
import NIOWebSocket

/// One lean load connection: subscribes as told, then checks every delivery (sequence and
/// latency) with a byte scan, counting into its event loop's ``LoopRecorder``.
///
/// In delta runs a connection either rebuilds every message from `pusher:delta` frames before
/// the scan, or, as the channel's reference, hands its plain messages to the recorder; other
/// runs take the plain path only.
final class SubscriberHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private enum State {
        case awaitingConnection
        case enablingDelta
        case subscribing
        case subscribed
        case unsubscribed
        case finished
    }

    private let request: SubscriptionRequest
    /// Whether deliveries count towards loss and latency (churning members do not).
    private let checked: Bool
    private let workload: Int
    private let channelIndex: Int
    private let deltaRole: ConnectionPlan.DeltaRole?
    private var reception = DeltaReception()
    private let recorder: LoopRecorder
    private let subscribed: EventLoopPromise<Void>
    private var state = State.awaitingConnection
    private var socketID = ""
    private var tracker = SequenceTracker()
    private var timer: RepeatedTask?
    private var clientEventsSent = 0
    /// Sequence numbers continue across commands; each command sends up to the target.
    private var clientEventsTarget = 0
    private var clientEventsAtStart = 0
    private var clientEventsDone: EventLoopPromise<Int>?

    init(plan: ConnectionPlan, recorder: LoopRecorder, subscribed: EventLoopPromise<Void>) {
        self.request = plan.request
        self.checked = plan.checked
        self.workload = plan.workload
        self.channelIndex = plan.channelIndex
        self.deltaRole = plan.deltaRole
        self.recorder = recorder
        self.subscribed = subscribed
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            if let deltaRole {
                readDeltaRun(context: context, frame: frame.data, role: deltaRole)
                return
            }
            let payload = frame.data.withUnsafeReadableBytes { DeliveryScanner.scan($0) }
            if let payload {
                guard checked, state == .subscribed else { return }
                let receivedAt = MonotonicClock.now()
                recorder.recordDelivery(
                    payload,
                    workload: workload,
                    receivedAt: receivedAt,
                    outcome: tracker.record(payload.sequence)
                )
            } else {
                handleControl(context: context, text: frame.data)
            }
        case .ping:
            send(context: context, opcode: .pong, data: frame.data)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }

    private func readDeltaRun(context: ChannelHandlerContext, frame: ByteBuffer, role: ConnectionPlan.DeltaRole) {
        let text: [UInt8]
        var rebuilt = false
        switch role {
        case .reference:
            text = Array(frame.readableBytesView)
        case .decoder:
            switch reception.receive(frame, cache: recorder.deltaFrames) {
            case .message(let message, let wasRebuilt):
                text = message
                rebuilt = wasRebuilt
            case .syncError(let channel):
                recorder.recordDeltaSyncError()
                sendText(context: context, DeltaDecoder.syncErrorMessage(channel: channel).jsonText)
                return
            }
        }
        guard let payload = text.withUnsafeBytes({ DeliveryScanner.scan($0) }) else {
            handleControl(context: context, text: frame)
            return
        }
        guard state == .subscribed else { return }
        let key = DeltaTally.Key(channel: channelIndex, sequence: payload.sequence)
        switch role {
        case .reference:
            recorder.recordDeltaReference(text, key: key)
        case .decoder:
            guard checked else { return }
            recorder.recordDelivery(
                payload,
                workload: workload,
                receivedAt: MonotonicClock.now(),
                outcome: tracker.record(payload.sequence)
            )
            recorder.recordDeltaMessage(text, key: key, frameBytes: frame.readableBytes, rebuilt: rebuilt)
        }
    }

    private func handleControl(context: ChannelHandlerContext, text: ByteBuffer) {
        guard let message = try? PusherMessage(parsing: text.readableBytesView) else {
            recorder.recordProtocolError("unparsable frame: \(String(buffer: text).prefix(120))", workload: workload)
            return
        }
        switch message.event {
        case PusherEventName.connectionEstablished:
            guard state == .awaitingConnection, let id = message.dataObject?["socket_id"]?.stringValue else { return }
            socketID = id
            if request.delta == .connection {
                state = .enablingDelta
                sendText(context: context, request.enableDeltaText)
            } else {
                state = .subscribing
                sendText(context: context, request.subscribeText(socketID: id))
            }
        case PusherEventName.deltaCompressionEnabled:
            guard state == .enablingDelta else { return }
            guard message.dataObject?["enabled"] == .bool(true) else {
                let reason = "\(message.event) \(message.dataText ?? "")"
                subscribed.fail(LoadError.subscriptionRejected(channel: request.channel, reason: reason))
                return
            }
            state = .subscribing
            sendText(context: context, request.subscribeText(socketID: socketID))
        case PusherEventName.subscriptionSucceeded:
            guard state == .subscribing else { return }
            state = .subscribed
            subscribed.succeed()
        case PusherEventName.subscriptionError, PusherEventName.error:
            let reason = "\(message.event) \(message.dataText ?? "")"
            if state == .awaitingConnection || state == .enablingDelta || state == .subscribing {
                subscribed.fail(LoadError.subscriptionRejected(channel: request.channel, reason: reason))
            } else {
                recorder.recordProtocolError(reason, workload: workload)
            }
        case PusherEventName.ping:
            sendText(context: context, PusherMessage(event: PusherEventName.pong, data: [:]).jsonText)
        case PusherEventName.memberAdded, PusherEventName.memberRemoved:
            if checked { recorder.recordPresenceEvent(workload: workload) }
        default:
            break
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard let command = event as? SubscriberCommand else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        switch command {
        case .startChurn(let interval):
            timer = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                let (handler, context) = bound.value
                handler.toggleSubscription(context: context)
            }
        case .sendClientEvents(let count, let interval, let eventName, let payloadBytes, let done):
            clientEventsDone = done
            clientEventsTarget = clientEventsSent + count
            clientEventsAtStart = clientEventsSent
            timer = context.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: interval) { task in
                let (handler, context) = bound.value
                guard handler.clientEventsSent < handler.clientEventsTarget, handler.state == .subscribed else {
                    task.cancel()
                    handler.finishClientEvents()
                    return
                }
                let sequence = handler.clientEventsSent
                let payload = EventPayload(sequence: Int64(sequence), sentAt: MonotonicClock.now())
                    .text(size: payloadBytes[sequence % payloadBytes.count])
                let message = PusherMessage(event: eventName, channel: handler.request.channel, data: .string(payload))
                handler.sendText(context: context, message.jsonText)
                handler.clientEventsSent += 1
            }
        case .finish:
            timer?.cancel()
            timer = nil
            finishClientEvents()
            state = .finished
        }
    }

    private func finishClientEvents() {
        clientEventsDone?.succeed(clientEventsSent - clientEventsAtStart)
        clientEventsDone = nil
    }

    private func toggleSubscription(context: ChannelHandlerContext) {
        switch state {
        case .subscribed:
            state = .unsubscribed
            sendText(context: context, request.unsubscribeText)
        case .unsubscribed:
            state = .subscribing
            sendText(context: context, request.subscribeText(socketID: socketID))
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        finishClientEvents()
        if state != .finished {
            if state == .awaitingConnection || state == .enablingDelta || state == .subscribing {
                subscribed.fail(LoadError.closedBeforeSubscribing(channel: request.channel))
            }
            recorder.recordUnexpectedClose(workload: workload)
            state = .finished
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        recorder.recordProtocolError("\(error)", workload: workload)
        context.close(promise: nil)
    }

    private func sendText(context: ChannelHandlerContext, _ text: String) {
        send(context: context, opcode: .text, data: context.channel.allocator.buffer(string: text))
    }

    private func send(context: ChannelHandlerContext, opcode: WebSocketOpcode, data: ByteBuffer) {
        let frame = WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data)
        context.writeAndFlush(wrapOutboundOut(frame), promise: nil)
    }
}

@available(*, unavailable)
extension SubscriberHandler: Sendable {}
