package import NIOCore

/// Closes HTTP connections that are slow to send a request or idle too long (slowloris), with
/// one timer per connection on the injected clock.
///
/// It sits first in the pipeline so it sees every byte before the HTTP decoder does, which is how
/// it tells a request that has begun from a silent connection. ``HTTPServerHandler`` reports each
/// request's progress as ``Progress`` outbound user events. When a begun request times out it fires
/// ``RequestTimedOut`` inbound, for ``HTTPRequestErrorResponder`` to answer 408 and close; a silent
/// connection is closed here. The handler is removed when the connection upgrades to WebSocket.
package final class HTTPTimeoutHandler: ChannelDuplexHandler, RemovableChannelHandler {
    package typealias InboundIn = ByteBuffer
    package typealias OutboundIn = IOData

    /// A request's progress, sent by the handler that serves requests (an outbound user event).
    package enum Progress {
        case headReceived
        case requestReceived
        /// The response went out, or waits for the client to read earlier ones: either way the
        /// client has the next move.
        case responseSent
    }

    /// A request began and did not complete in time (an inbound user event).
    package struct RequestTimedOut {}

    private let timeouts: HTTPTimeouts
    private let clock: any ServerClock
    private var machine: HTTPTimeoutStateMachine?
    private var timer: Scheduled<Void>?

    package init(timeouts: HTTPTimeouts, clock: any ServerClock) {
        self.timeouts = timeouts
        self.clock = clock
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    package func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let action = machine?.bytesReceived(now: clock.now()) { perform(action, context: context) }
        context.fireChannelRead(data)
    }

    package func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?)
    {
        guard let progress = event as? Progress else {
            return context.triggerUserOutboundEvent(event, promise: promise)
        }
        let action: HTTPTimeoutStateMachine.Action?
        switch progress {
        case .headReceived: action = machine?.headReceived(now: clock.now())
        case .requestReceived: action = machine?.requestReceived()
        case .responseSent: action = machine?.responseSent(now: clock.now())
        }
        if let action { perform(action, context: context) }
        promise?.succeed()
    }

    private func start(context: ChannelHandlerContext) {
        guard machine == nil else { return }
        let machine = HTTPTimeoutStateMachine(timeouts: timeouts, openedAt: clock.now())
        self.machine = machine
        perform(machine.initialAction, context: context)
    }

    private func perform(_ action: HTTPTimeoutStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none:
            break
        case .schedule(let deadline):
            timer?.cancel()
            let eventLoop = context.eventLoop
            let handler = NIOLoopBound(self, eventLoop: eventLoop)
            let boundContext = context.loopBound
            timer = clock.schedule(at: deadline, on: eventLoop) {
                handler.value.deadlineReached(context: boundContext.value)
            }
        case .cancel:
            timer?.cancel()
            timer = nil
        case .close:
            timer = nil
            context.close(promise: nil)
        case .timeOut:
            timer = nil
            context.fireUserInboundEventTriggered(RequestTimedOut())
        }
    }

    private func deadlineReached(context: ChannelHandlerContext) {
        guard let action = machine?.deadlineReached(now: clock.now()) else { return }
        perform(action, context: context)
    }
}

@available(*, unavailable)
extension HTTPTimeoutHandler: Sendable {}
