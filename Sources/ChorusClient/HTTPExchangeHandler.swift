import NIOCore
import NIOHTTP1

/// One request written into the pipeline together with the promise of its response.
struct HTTPExchange: Sendable {
    var head: HTTPRequestHead
    var body: ByteBuffer?
    var response: EventLoopPromise<PusherHTTPResponse>
}

/// Writes requests and pairs responses with them in order, so one connection carries many exchanges.
final class HTTPExchangeHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPExchange
    typealias OutboundOut = HTTPClientRequestPart

    private var pending = CircularBuffer<EventLoopPromise<PusherHTTPResponse>>()
    private var current: PusherHTTPResponse?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let exchange = unwrapOutboundIn(data)
        pending.append(exchange.response)
        context.write(wrapOutboundOut(.head(exchange.head)), promise: nil)
        if let body = exchange.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.write(wrapOutboundOut(.end(nil)), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            current = PusherHTTPResponse(status: head.status, headers: head.headers, body: [])
        case .body(let buffer):
            current?.body.append(contentsOf: buffer.readableBytesView)
        case .end:
            if let response = current, let promise = pending.popFirst() {
                promise.succeed(response)
            }
            current = nil
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failPending(PusherHTTPClientError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failPending(error)
        context.close(promise: nil)
    }

    private func failPending(_ error: any Error) {
        while let promise = pending.popFirst() {
            promise.fail(error)
        }
    }
}

@available(*, unavailable)
extension HTTPExchangeHandler: Sendable {}
