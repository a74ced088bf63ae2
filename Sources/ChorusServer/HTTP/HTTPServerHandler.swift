package import NIOCore
package import NIOHTTP1

/// Collects each HTTP request (head and body up to the body cap), hands it to the router and writes
/// the response, keeping the connection alive for the next request when the client allows it.
///
/// A body larger than the cap is refused with 413 as soon as its `Content-Length` announces it (or
/// as soon as a chunked body crosses it), and the connection is closed: nothing over the cap is
/// held in memory. A request that arrives while the connection is not writable (the client is not
/// reading its earlier responses) is answered only once it is writable again: until then NIO's
/// pipelining handler stops reading, so pipelining without reading cannot pile responses up in
/// memory. Each request's progress is reported to ``HTTPTimeoutHandler``.
package final class HTTPServerHandler: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = HTTPServerRequestPart

    private enum State {
        case idle
        case collecting(HTTPRequestHead, ByteBuffer)
        /// Complete, waiting for the client to read what was already written.
        case awaitingWritable(HTTPRequest)
        case discarding
    }

    private let maxBodyBytes: Int
    private let respond: (HTTPRequest) -> HTTPReply
    /// A future that completes once the fan-out of what was published so far has run.
    private let fanOutDone: (any EventLoop) -> EventLoopFuture<Void>
    private var state = State.idle
    /// Cleared when the handler leaves the pipeline: a reply that completes later is dropped.
    private var inPipeline = false
    /// The answer to the request in progress, a WebSocket upgrade the server refused (``UpgradeRefusal``).
    private var upgradeRefusal: HTTPResponse?

    package init(
        maxBodyBytes: Int,
        fanOutDone: @escaping (any EventLoop) -> EventLoopFuture<Void>,
        replying: @escaping (HTTPRequest) -> HTTPReply
    ) {
        self.maxBodyBytes = maxBodyBytes
        self.fanOutDone = fanOutDone
        self.respond = replying
    }

    /// A handler whose every response is ready at once.
    package convenience init(
        maxBodyBytes: Int,
        fanOutDone: @escaping (any EventLoop) -> EventLoopFuture<Void>,
        respond: @escaping (HTTPRequest) -> HTTPResponse
    ) {
        self.init(maxBodyBytes: maxBodyBytes, fanOutDone: fanOutDone, replying: { .now(respond($0)) })
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        inPipeline = true
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        inPipeline = false
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch (unwrapInboundIn(data), state) {
        case (.head(let head), _):
            report(.headReceived, context: context)
            if let length = head.headers.first(name: "content-length").flatMap(Int.init), length > maxBodyBytes {
                return refuseOversizedBody(head, context: context)
            }
            state = .collecting(head, context.channel.allocator.buffer(capacity: 0))
        case (.body(var chunk), .collecting(let head, var body)):
            guard body.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                return refuseOversizedBody(head, context: context)
            }
            state = .idle  // drop the reference so `body` is uniquely owned while it grows
            body.writeBuffer(&chunk)
            state = .collecting(head, body)
        case (.end, .collecting(let head, let body)):
            report(.requestReceived, context: context)
            let request = HTTPRequest(head: head, body: body, remoteAddress: context.channel.remoteAddress)
            if context.channel.isWritable {
                state = .idle
                answer(request, context: context)
            } else {
                state = .awaitingWritable(request)
                report(.responseSent, context: context)  // the client has the next move: the idle timeout runs
            }
        case (.body, _), (.end, _):
            break
        }
    }

    /// A refused WebSocket upgrade arrives as an error ahead of its request, which NIO then passes on.
    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let refusal = error as? UpgradeRefusal else { return context.fireErrorCaught(error) }
        upgradeRefusal = refusal.response
    }

    package func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, case .awaitingWritable(let request) = state {
            state = .idle
            answer(request, context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    /// Writes the reply to `request`; one that waits for the store is written when it is ready
    /// (NIO's pipelining handler holds any further request until then).
    private func answer(_ request: HTTPRequest, context: ChannelHandlerContext) {
        if let refusal = upgradeRefusal {
            upgradeRefusal = nil
            return write(refusal, for: request.head, keepAlive: false, context: context)
        }
        switch respond(request) {
        case .now(let response):
            write(response, for: request.head, keepAlive: request.head.isKeepAlive, context: context)
        case .later(let work):
            let promise = context.eventLoop.makePromise(of: HTTPResponse.self)
            promise.completeWithTask(work)
            promise.futureResult.assumeIsolated().whenSuccess { response in
                guard self.inPipeline else { return }
                self.write(response, for: request.head, keepAlive: request.head.isKeepAlive, context: context)
            }
        }
    }

    /// Tells ``HTTPTimeoutHandler`` how far the request on this connection has come.
    private func report(_ progress: HTTPTimeoutHandler.Progress, context: ChannelHandlerContext) {
        context.triggerUserOutboundEvent(progress, promise: nil)
    }

    /// Writes the response; the idle timeout runs from here, so a client that never reads a large
    /// response cannot hold the connection either.
    private func write(
        _ response: HTTPResponse,
        for request: HTTPRequestHead,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        report(.responseSent, context: context)
        let done = response.write(version: request.version, keepAlive: keepAlive, to: context)
        if !keepAlive {
            done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        } else if response.awaitsFanOut {
            holdReads(until: fanOutDone(context.eventLoop), context: context)
        }
    }

    /// Stops reading further requests until `future` completes: a publisher cannot queue fan-out
    /// work faster than it is written to subscribers, while its response still leaves at once.
    private func holdReads(until future: EventLoopFuture<Void>, context: ChannelHandlerContext) {
        let channel = context.channel
        channel.setOption(ChannelOptions.autoRead, value: false).whenSuccess {
            future.whenComplete { _ in
                channel.setOption(ChannelOptions.autoRead, value: true).whenSuccess { channel.read() }
            }
        }
    }

    /// Answers 413 and closes: the rest of the body is never read.
    private func refuseOversizedBody(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        state = .discarding
        let refusal = APIError.payloadTooLarge("Request body is larger than \(maxBodyBytes) bytes")
        write(refusal.response, for: head, keepAlive: false, context: context)
    }
}

@available(*, unavailable)
extension HTTPServerHandler: Sendable {}
